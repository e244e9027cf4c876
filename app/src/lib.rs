//! # app — the Parseltongue Studio web shell (Leptos, client-side rendered)
//!
//! Views and browser glue only; what the app does lives in [`studio_core`] (tested natively),
//! and its Web Workers in [`studio_workers`].
//!
//! - [`ui`]: the page layout; [`state`]: the reactive state ([`state::Ui`]) and redraw
//!   scheduling; [`open_graph`]: the load pipeline, where [`graph_load`] hands files to the graph
//!   worker and gets the compact model back.
//! - [`loading`]: reading ISG files from disk, drag-and-drop and URLs, with progress;
//!   [`browser_file`] hands files to the user, always as inert downloads.
//! - [`graph_view`]: the canvas: renderer start-up, pan, zoom, picking; [`legend_view`] the
//!   legend beside it; [`web_gpu`] is the canvas renderer as the core's GPU.
//! - [`panels`]: counts, warnings, search, node details, the error banner and progress bar;
//!   [`filter_panel`]: filters, hubs and focus; [`shortcuts`]: the keyboard everywhere on the
//!   page, undo and redo, and the shortcuts sheet.
//! - [`plugins`], [`plugin_panel`]: consent, the worker pool and the panel; [`plugin_catalog`]
//!   fetches first-party plugins against the catalog's SHA-256 and takes plugins from disk;
//!   [`browser_storage`] is IndexedDB as the core's storage backend; [`marketplace_view`]
//!   browses registries, tries, installs, updates, rolls back and uninstalls their checked
//!   packages, over [`market_state`].
//! - `bench` (cargo feature `bench`, not in the product bundle): the in-browser benchmark
//!   pages (`?bench=isg`, `?bench=plugins`, `?bench=layouts`, `?bench=render`).
//!
//! Everything reactive is in [`state::Ui`]; everything large (the graph) stays out of signals.
#![deny(clippy::unwrap_used)]

#[cfg(feature = "bench")]
pub mod bench;
pub mod browser_file;
pub mod browser_storage;
pub mod deep_link;
pub mod filter_panel;
pub mod findings_panel;
pub mod graph_load;
pub mod graph_view;
pub mod legend_view;
pub mod loading;
pub mod market_state;
pub mod marketplace_view;
pub mod open_graph;
pub mod panels;
pub mod plugin_catalog;
pub mod plugin_panel;
pub mod plugin_pool;
pub mod plugins;
pub mod report_view;
pub mod share_panel;
pub mod shortcuts;
pub mod state;
pub mod ui;
pub mod web_gpu;

pub use ui::App;
