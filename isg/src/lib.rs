//! # isg — the Interface Signature Graph model
//!
//! The functions, structs and traits of a Rust codebase and the Calls / Uses / Implements edges
//! between them, as exported by the `parseltongue` analyzer, in a compact, query-friendly form.
//!
//! - [`load`] reads every export parseltongue has written (v0.1.0 snapshots, v1 `isg_data`,
//!   v0.9.7 pt02 JSON and TOON, saved v1.7.2 HTTP responses), plain or gzip-compressed.
//! - [`Graph`] stores nodes column by column with interned strings, dense `u32` ids and CSR
//!   adjacency in both directions.
//! - [`query`] holds search, k-hop neighbourhoods, strongly connected components and fan-in/out;
//!   [`modules`] the file tree and quotient graphs; [`role`] tells source from tests, benches
//!   and examples; [`diff`] compares two graphs.
//! - [`model`] writes a loaded graph, its index and report as one buffer and reads it back
//!   (checked), so a worker that parsed an export can hand it on without a second parse.
//! - [`synth`] generates realistic synthetic graphs for benches and tests.
//!
//! This crate has no web dependencies: it is tested and benchmarked natively and compiled
//! unchanged into the browser app.

pub mod diff;
pub mod graph;
pub mod load;
pub mod model;
pub mod modules;
pub mod query;
pub mod role;
pub mod snapshot;
pub mod strings;
pub mod synth;

pub use graph::{EdgeKind, Graph, GraphBuilder, MemoryUsage, Neighbour, NodeFlags, NodeId, NodeKind, NodeSpec};
pub use load::{
    FileProblem, Format, LoadError, LoadOptions, LoadReport, Loaded, Resolution, SourceFile, Warning, WarningKind,
    load, load_with,
};
pub use modules::{ModuleId, ModuleTree, QuotientGraph, quotient};
pub use role::CodeRole;
