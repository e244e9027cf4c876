//! The wgpu renderer on the page's canvas, as the core's [`GpuView`].

use renderer::labels::FontAtlas;
use renderer::scene::Scene;
use renderer::view::Composed;
use renderer::web::GpuRenderer;
use renderer::{Frame, RenderError};
use studio_core::GpuView;

/// The canvas renderer (WebGPU or WebGL2) the studio draws with.
pub struct WebGpu(pub GpuRenderer);

impl GpuView for WebGpu {
    fn upload(&mut self, scene: &Scene) -> Result<(), RenderError> {
        self.0.upload(scene)
    }

    fn upload_nodes(&mut self, scene: &Scene) -> Result<(), RenderError> {
        self.0.upload_nodes(scene)
    }

    fn upload_edges(&mut self, scene: &Scene) {
        self.0.upload_edges(scene);
    }

    fn update_node_data(&mut self, scene: &Scene) {
        self.0.update_node_data(scene);
    }

    fn update_styles(&mut self, scene: &Scene) {
        self.0.update_styles(scene);
    }

    fn atlas(&self) -> &FontAtlas {
        self.0.atlas()
    }

    fn show(&mut self, composed: &Composed) {
        self.0.show(composed);
    }

    fn would_reuse_picture(&self, frame: &Frame) -> bool {
        self.0.would_reuse_picture(frame)
    }

    fn clear(&mut self, frame: &Frame) {
        self.0.render(frame);
    }
}

/// The studio as the page holds it.
pub type PageStudio = studio_core::Studio<WebGpu>;
