//! # renderer — drawing ISGs with wgpu
//!
//! The pure half (no GPU or web dependencies, tested natively): the [`camera`], the [`scene`]
//! that turns a graph, positions and a [`style`] into GPU-ready instance arrays, [`lod`] (level of
//! detail), [`pick`] (the picking grid), [`labels`] (SDF glyph atlas and label placement),
//! [`overlay`] geometry, [`animation`], the initial [`layout`], [`svg`] and [`export`] (PNG tiling
//! and encoding), and the WGSL [`shaders`].
//!
//! The GPU half (cargo feature `gpu`, on by default), [`gpu`], draws a scene on any wgpu device. [`web`] (wasm32 only) puts it on a
//! canvas, choosing one capability tier at start-up: WebGPU when the browser has it, otherwise
//! WebGL2. [`headless`] (native only) gives it a window-less device for image tests and benches.

pub mod animation;
pub mod camera;
pub mod export;
pub mod frame;
#[cfg(feature = "gpu")]
pub mod gpu;
pub mod gpu_bits;
pub mod labels;
pub mod layout;
pub mod legend;
pub mod lod;
pub mod module_map;
pub mod overlap;
pub mod overlay;
pub mod packing;
pub mod passes;
pub mod pick;
pub mod scene;
pub mod shaders;
pub mod style;
pub mod svg;
pub mod view;

#[cfg(all(feature = "gpu", not(target_arch = "wasm32")))]
pub mod headless;
#[cfg(all(feature = "gpu", target_arch = "wasm32"))]
pub mod web;

pub use camera::{Bounds, Camera};
pub use frame::{DrawOptions, Frame, Minimap, RenderError, VIEW_MARGIN_PX};
pub use gpu_bits::NodeFlagsGpu;
pub use scene::{EdgeInstance, NodeInstance, Scene};
pub use style::{Rgba, Shape, StyleSheet};
