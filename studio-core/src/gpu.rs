//! The GPU as the core sees it: a small trait the web shell implements over the wgpu renderer,
//! and a null implementation that records what it was asked to do, so the core's behaviour is
//! tested natively without a device.

use renderer::labels::{FontAtlas, FontError};
use renderer::scene::Scene;
use renderer::view::Composed;
use renderer::{Frame, RenderError};

/// What the core needs from a GPU renderer.
pub trait GpuView {
    /// Uploads a whole scene (a new graph).
    ///
    /// # Errors
    /// The scene does not fit the device.
    fn upload(&mut self, scene: &Scene) -> Result<(), RenderError>;
    /// Re-uploads the node data (positions, flags, sizes).
    fn update_node_data(&mut self, scene: &Scene);
    /// Re-uploads the node and edge instances (a new style).
    fn update_styles(&mut self, scene: &Scene);
    /// The label font atlas the renderer draws with.
    fn atlas(&self) -> &FontAtlas;
    /// Draws a composed frame.
    fn show(&mut self, composed: &Composed);
    /// Draws an empty frame (no graph yet).
    fn clear(&mut self, frame: &Frame);
}

/// A renderer without a device: counts what it was asked to do.
pub struct NullGpu {
    atlas: FontAtlas,
    /// Scenes uploaded.
    pub uploads: usize,
    /// Node data updates.
    pub node_updates: usize,
    /// Style updates.
    pub style_updates: usize,
    /// Frames shown.
    pub frames: usize,
    /// Refuse uploads of scenes with more nodes than this (to test a device that is too small).
    pub max_nodes: Option<usize>,
}

impl NullGpu {
    /// A null renderer with the real label atlas.
    ///
    /// # Errors
    /// The bundled font could not be rasterised.
    pub fn new() -> Result<Self, FontError> {
        Ok(Self { atlas: FontAtlas::new()?, uploads: 0, node_updates: 0, style_updates: 0, frames: 0, max_nodes: None })
    }
}

impl GpuView for NullGpu {
    fn upload(&mut self, scene: &Scene) -> Result<(), RenderError> {
        if self.max_nodes.is_some_and(|max| scene.node_count() > max) {
            return Err(RenderError::TooLarge(format!("{} nodes", scene.node_count())));
        }
        self.uploads += 1;
        Ok(())
    }

    fn update_node_data(&mut self, _: &Scene) {
        self.node_updates += 1;
    }

    fn update_styles(&mut self, _: &Scene) {
        self.style_updates += 1;
    }

    fn atlas(&self) -> &FontAtlas {
        &self.atlas
    }

    fn show(&mut self, _: &Composed) {
        self.frames += 1;
    }

    fn clear(&mut self, _: &Frame) {
        self.frames += 1;
    }
}
