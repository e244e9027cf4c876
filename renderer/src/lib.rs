//! # renderer — drawing ISGs with wgpu
//!
//! The pure half (no web or GPU dependencies, tested natively): the [`camera`], the
//! [`scene`] that turns a graph plus positions and [`style`] into GPU-ready instance arrays, the
//! initial [`layout`], and the WGSL [`shaders`].
//!
//! The GPU half, [`web`], exists only on `wasm32`: it picks one capability tier at start-up
//! (WebGPU when the browser has it, otherwise WebGL2) and draws a [`scene::Scene`].

pub mod camera;
pub mod layout;
pub mod scene;
pub mod shaders;
pub mod style;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use camera::{Bounds, Camera};
pub use scene::{EdgeInstance, NodeInstance, Scene};
pub use style::{NodeFlagsGpu, Rgba, Shape};
