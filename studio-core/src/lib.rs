//! # studio-core — the app without the web
//!
//! Everything Parseltongue Studio does that is not a view or browser glue, tested natively:
//!
//! - [`studio::Studio`]: the graph on screen and what the user does with it (selection, search
//!   hits, hubs hidden or split, highlight, positions gliding to a layout's result, a renderer
//!   plugin's style), with the GPU behind [`gpu::GpuView`] ([`gpu::NullGpu`] in tests);
//! - [`loaded::LoadedGraph`]: a graph ready to show, read back from the model a worker wrote
//!   ([`loaded::Preparing`] does it in steps, so the page can stay responsive);
//! - [`details`]: what the side panels show;
//! - [`filters`]: filters by kind, role and module, and a focus around the selection
//!   (neighbourhood, callers and callees level by level, a path); [`history`]: undo and redo;
//! - [`keys`]: which key does what to the view;
//! - [`plugin_style`]: a renderer plugin's records turned into the renderer's style sheet;
//! - [`catalog`]: first-party plugins checked against the build's catalog, plugins from disk;
//! - [`consent`] over [`storage::StorageBackend`] (IndexedDB in the shell, memory in tests);
//! - [`runs`]: runs as the panel shows them, their bookkeeping, and kept layout results.
//!
//! It has no web dependencies: no web-sys, no Leptos, no clock (the shell passes time in).

pub mod catalog;
pub mod consent;
pub mod details;
pub mod filters;
pub mod gpu;
pub mod history;
pub mod installed;
pub mod keys;
pub mod loaded;
pub mod market;
pub mod pacing;
pub mod plugin_style;
pub mod runs;
pub mod storage;
pub mod studio;

pub use gpu::{GpuView, NullGpu};
pub use loaded::{LoadedGraph, Preparing};
pub use studio::{HubMode, MINIMAP_CSS, PositionsRefused, ReportRefused, RoutesRefused, Studio, ViewNotes};
