//! # app — the Parseltongue Studio browser UI (Leptos, client-side rendered)
//!
//! - [`studio`]: the non-reactive state: the loaded graph, its search index and scene, the camera
//!   and the GPU renderer.
//! - [`loading`]: reading ISG files from disk, drag-and-drop and URLs, with progress.
//! - [`graph_view`]: the canvas: renderer start-up, pan, zoom, picking, redraw scheduling.
//! - [`panels`]: counts, warnings, search, node details and the error banner.
//! - [`bench`]: the in-browser benchmark page (`?bench=isg`).
//!
//! Everything reactive is in [`ui::Ui`]; everything large (the graph) stays out of signals.
#![deny(clippy::unwrap_used)]

pub mod bench;
pub mod graph_view;
pub mod loading;
pub mod panels;
pub mod studio;
pub mod ui;

pub use ui::App;
