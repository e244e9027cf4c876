//! What one frame is, independent of any GPU: the camera and drawing options ([`Frame`],
//! [`DrawOptions`]), the minimap's placement ([`Minimap`]), and why drawing can fail
//! ([`RenderError`]). The pure half (composition, SVG, export planning) uses these without
//! touching wgpu.

use crate::camera::{Bounds, Camera};
use crate::lod::Detail;

/// Why the renderer could not start, draw or export.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Neither API could be used.
    #[error("this browser offers neither WebGPU nor WebGL2, so the graph cannot be drawn ({0})")]
    NoBackend(String),
    /// The device could not be created.
    #[error("the graphics device could not be created: {0}")]
    Device(String),
    /// The graph needs more GPU resources than the device allows.
    #[error("the graph is too large for this GPU: {0}")]
    TooLarge(String),
    /// An export size outside what we can produce.
    #[error("cannot export a {width}×{height} image: {reason}")]
    ExportSize {
        /// Asked width.
        width: u32,
        /// Asked height.
        height: u32,
        /// Why not.
        reason: String,
    },
    /// Reading pixels back from the GPU failed.
    #[error("reading the picture back from the GPU failed: {0}")]
    Readback(String),
    /// The label font could not be prepared.
    #[error(transparent)]
    Font(#[from] crate::labels::FontError),
}

/// Edges are drawn when an end lies in the view or within this many device pixels of it (the
/// cull rectangle of `graph.wgsl` and the visible-edge list); the GPU's picture cache covers the
/// same margin, so a pan within it shows what drawing the frame anew would.
pub const VIEW_MARGIN_PX: f32 = 96.0;

/// Drawing parameters beyond the camera.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawOptions {
    /// Minimum node diameter in device pixels.
    pub node_px: f32,
    /// Default edge width in device pixels.
    pub edge_px: f32,
    /// Dim everything not highlighted.
    pub highlight: bool,
    /// What the zoom level lets through.
    pub detail: Detail,
    /// Background colour, sRGB.
    pub background: [f64; 3],
}

impl Default for DrawOptions {
    fn default() -> Self {
        Self { node_px: 4.0, edge_px: 1.0, highlight: false, detail: Detail::FULL, background: [0.07, 0.08, 0.10] }
    }
}

/// The small overview drawn in a corner of the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Minimap {
    /// Device-pixel rectangle `[x, y, width, height]` inside the target.
    pub rect: [f32; 4],
    /// Camera fitted to the whole graph, with `viewport` = the rectangle's size.
    pub camera: Camera,
}

impl Minimap {
    /// A minimap of `size` device pixels in the bottom-right corner of `viewport`, showing `bounds`.
    #[must_use]
    pub fn corner(viewport: [f32; 2], size: [f32; 2], margin: f32, bounds: Bounds) -> Self {
        let rect = [viewport[0] - size[0] - margin, viewport[1] - size[1] - margin, size[0], size[1]];
        let mut camera = Camera::new(size);
        camera.fit(bounds, 6.0);
        Self { rect, camera }
    }

    /// True when device pixel `px` of the main view falls on the minimap.
    #[must_use]
    pub fn contains(&self, px: [f32; 2]) -> bool {
        px[0] >= self.rect[0]
            && px[1] >= self.rect[1]
            && px[0] <= self.rect[0] + self.rect[2]
            && px[1] <= self.rect[1] + self.rect[3]
    }

    /// The world point under device pixel `px` of the main view.
    #[must_use]
    pub fn world_at(&self, px: [f32; 2]) -> [f32; 2] {
        self.camera.screen_to_world([px[0] - self.rect[0], px[1] - self.rect[1]])
    }
}

/// One frame's worth of view state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// The main view.
    pub camera: Camera,
    /// Sizes, highlight and detail.
    pub options: DrawOptions,
    /// Multiplier for label and pixel sizes (1 on screen, more in a high-resolution export).
    pub label_scale: f32,
    /// The overview, if shown.
    pub minimap: Option<Minimap>,
    /// The world rectangle edge ends must touch to be drawn; `None` for what the camera sees.
    /// Export tiles set it to the whole picture so tiles join without seams.
    pub cull: Option<Bounds>,
}
