//! # app — the Parseltongue Studio browser UI (Leptos, client-side rendered)
//!
//! - [`studio`]: the non-reactive state: the loaded graph, its search index and scene, the camera
//!   and the GPU renderer.
//! - [`loading`]: reading ISG files from disk, drag-and-drop and URLs, with progress;
//!   [`browser_file`] hands files to the user, always as inert downloads.
//! - [`graph_view`]: the canvas: renderer start-up, pan, zoom, picking, redraw scheduling.
//! - [`panels`]: counts, warnings, search, node details and the error banner.
//! - [`bench`]: the in-browser benchmark pages (`?bench=isg`, `?bench=plugins`), and
//!   [`render_bench`] (`?bench=render`).
//! - [`plugins`], [`plugin_panel`]: the plugin catalog, consent, the worker pool and the panel;
//!   [`plugin_worker`] runs inside each worker, [`plugin_protocol`] is what they say to each other;
//!   [`browser_storage`] keeps grants and plugin folders in IndexedDB; [`plugin_style`] turns a
//!   renderer plugin's output into the renderer's style sheet.
//!
//! Everything reactive is in [`ui::Ui`]; everything large (the graph) stays out of signals.
#![deny(clippy::unwrap_used)]

pub mod bench;
pub mod browser_file;
pub mod browser_storage;
pub mod graph_view;
pub mod loading;
pub mod panels;
pub mod plugin_panel;
pub mod plugin_protocol;
pub mod plugin_style;
pub mod plugin_worker;
pub mod plugins;
pub mod render_bench;
pub mod studio;
pub mod ui;

pub use ui::App;
