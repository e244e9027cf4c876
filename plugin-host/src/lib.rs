//! # plugin-host — the sandbox for untrusted ISG plugins
//!
//! A plugin is a wasm module plus a `plugin.toml` ([`Manifest`]). The host runs it inside a wasmi
//! interpreter instance, in its own [`wasmi::Store`], under the [`HostPolicy`]:
//!
//! - **Fuel**: every call has a fuel budget and runs in slices ([`Call::step`]); between slices the
//!   embedder paints, shows progress and may cancel. Running out is [`ErrorKind::OutOfFuel`].
//!   Host functions pay for their own work in the same fuel, so no loop of host calls is free.
//! - **Memory**: linear memory and tables are capped by a resource limiter; start functions are
//!   refused; recursion depth and module shape are bounded, and translation is lazy. What a call
//!   produces counts against the output cap by its footprint in host memory.
//! - **Capabilities**: each [`Capability`] is one import module, linked only when granted; imports
//!   are checked before linking, so an ungranted one fails at load naming the capability.
//! - **ABI**: [`abi`] documents the exports and host functions; big data crosses as compact arrays.
//! - **Audit**: every host call is counted and notable events are logged ([`AuditLog`]).
//!
//! The core has no web dependencies; `cargo xtask test` checks that it pulls in no browser bindings.

pub mod abi;
mod allow_list;
mod audit;
mod capability;
mod deps;
pub mod display;
mod error;
pub mod export_format;
mod folder;
mod graph_input;
mod host;
mod host_fns;
mod identity;
pub mod lane;
mod manifest;
mod output;
mod params;
mod policy;

pub use allow_list::{AllowEntryProblem, NetworkRules, check_allow_entry};
pub use audit::{AuditEvent, AuditKind, AuditLog, HostCallCount};
pub use capability::{CORE_MODULE, Capability, HOST_FUNCTIONS};
pub use deps::{DependencyError, load_order};
pub use error::{ErrorKind, HostSetupError, PluginError};
pub use folder::{FILE_OVERHEAD, FolderError, MAX_FILES, MAX_NAME_BYTES, PluginFolder};
pub use graph_input::GraphInput;
pub use host::{Call, FailedCall, LoadedPlugin, PluginHost, Step};
pub use host_fns::{FetchFailed, FetchRequest};
pub use identity::{PluginDigest, PluginIdentity, PluginOrigin, hex, sha256_hex};
pub use manifest::{
    Capabilities, HOST_API_VERSION, Manifest, ManifestError, Metadata, NetworkPolicy, PluginInfo, PluginKind, Resources,
};
pub use output::{CallMetrics, ExportFile, Finding, LogLine, MetricColumn, RunOutput};
pub use params::{BadDefault, ParamError, ParamSpec, ValueProblem, resolve_params};
pub use policy::{FuelBudgetError, HostPolicy, PolicyError};
