//! # studio-workers — the app's Web Workers
//!
//! No Leptos, no DOM: each runs in a dedicated worker built by Trunk from its own binary.
//!
//! - [`graph_worker`] parses and indexes an export once and hands the page the compact model;
//! - [`plugin_worker`] runs plugins in the wasmi host, in fuel slices, on the model it was given,
//!   and trusted ones in the fast lane (`fast_lane`: metered, on the browser's own engine);
//! - [`protocol`] is what the page and the workers say to each other.
//!
//! The crate builds for wasm32 only; natively it is empty.

#[cfg(target_arch = "wasm32")]
pub mod fast_lane;
#[cfg(target_arch = "wasm32")]
pub mod graph_worker;
#[cfg(target_arch = "wasm32")]
pub mod plugin_worker;
#[cfg(target_arch = "wasm32")]
pub mod protocol;
