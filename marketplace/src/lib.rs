//! # marketplace — plugin packages, signatures, registries
//!
//! Everything the marketplace decides, with no web dependencies, so it is tested natively and the
//! app only fetches bytes and shows results:
//! - [`package`]: the `.ptplugin` file (`plugin.toml`, `plugin.wasm`, `README.md`, an optional
//!   icon and the publisher's signature, tar in gzip), read with every size, name and entry
//!   checked;
//! - [`signing`]: minisign signatures of a package's [`signing::Statement`] (name, version and
//!   every file's SHA-256) and of registry indexes; where a package stands against trusted keys;
//! - [`index`]: a registry's signed index with its serial and expiry, releases, publishers and
//!   revocations;
//! - [`catalog`]: all registries together: search and filters, dependency resolution with semver;
//! - [`mirror`]: a whole registry as one file, for machines without a network;
//! - [`registry`] (feature `author`): a registry as a folder, for `ptstudio registry …`;
//!   [`synth`] (feature `author`): synthetic signed packages and indexes for the benchmarks.

mod archive;
pub mod catalog;
pub mod index;
pub mod mirror;
pub mod package;
#[cfg(feature = "author")]
pub mod registry;
pub mod signing;
#[cfg(feature = "author")]
pub mod synth;

pub use catalog::{Catalog, Listed, Query, ResolveError, Resolved, Sort};
pub use index::{FileMismatch, Index, IndexError, Publisher, Release, Revoked};
pub use package::{Package, PackageError};
pub use signing::{KeyId, PublicKey, SignatureProblem, SignatureStatus, Statement, check_package};
#[cfg(feature = "author")]
pub use signing::{KeyPair, SigningError};
