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
    /// The first step of a new graph's two-step upload: its nodes and module aggregates, so a
    /// first picture can be drawn before the edges are uploaded by [`GpuView::upload_edges`].
    ///
    /// # Errors
    /// The scene does not fit the device.
    fn upload_nodes(&mut self, scene: &Scene) -> Result<(), RenderError>;
    /// The second step: the edges of the scene whose nodes were uploaded.
    fn upload_edges(&mut self, scene: &Scene);
    /// Re-uploads the node data (positions, flags, sizes).
    fn update_node_data(&mut self, scene: &Scene);
    /// Re-uploads the node and edge instances (a new style).
    fn update_styles(&mut self, scene: &Scene);
    /// The label font atlas the renderer draws with.
    fn atlas(&self) -> &FontAtlas;
    /// Draws a composed frame.
    fn show(&mut self, composed: &Composed);
    /// Whether showing `frame` now would copy the picture drawn for an earlier frame rather than
    /// draw the graph (a big graph panned by whole pixels): then the full picture is as cheap as
    /// the lighter one.
    fn would_reuse_picture(&self, frame: &Frame) -> bool;
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
    /// First steps of two-step uploads (nodes and aggregates).
    pub node_uploads: usize,
    /// Second steps of two-step uploads (edges).
    pub edge_uploads: usize,
    /// Frames shown.
    pub frames: usize,
    /// The level of detail and label count of the last frame shown.
    pub last_shown: Option<(renderer::lod::Detail, usize)>,
    /// Say every frame would reuse the picture (to test a big graph panned on a slow renderer).
    pub reuses_picture: bool,
    /// Refuse uploads of scenes with more nodes than this (to test a device that is too small).
    pub max_nodes: Option<usize>,
}

impl NullGpu {
    /// A null renderer with the real label atlas.
    ///
    /// # Errors
    /// The bundled font could not be rasterised.
    pub fn new() -> Result<Self, FontError> {
        Ok(Self {
            atlas: FontAtlas::new()?,
            uploads: 0,
            node_uploads: 0,
            edge_uploads: 0,
            node_updates: 0,
            style_updates: 0,
            frames: 0,
            last_shown: None,
            reuses_picture: false,
            max_nodes: None,
        })
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

    fn upload_nodes(&mut self, scene: &Scene) -> Result<(), RenderError> {
        if self.max_nodes.is_some_and(|max| scene.node_count() > max) {
            return Err(RenderError::TooLarge(format!("{} nodes", scene.node_count())));
        }
        self.node_uploads += 1;
        Ok(())
    }

    fn upload_edges(&mut self, _: &Scene) {
        self.edge_uploads += 1;
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

    fn show(&mut self, composed: &Composed) {
        self.last_shown = Some((composed.frame.options.detail, composed.labels.len()));
        self.frames += 1;
    }

    fn would_reuse_picture(&self, _: &Frame) -> bool {
        self.reuses_picture
    }

    fn clear(&mut self, _: &Frame) {
        self.frames += 1;
    }
}
