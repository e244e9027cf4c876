//! A GPU device without a window, for image tests and native render benchmarks: wgpu on Vulkan
//! (lavapipe on a CPU-only machine, the real driver on a GPU machine) or on OpenGL ES.

use crate::frame::RenderError;
use crate::gpu::Painter;
use crate::labels::FontAtlas;

/// Which native API to run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NativeBackend {
    /// Vulkan: the path WebGPU takes on Linux.
    Vulkan,
    /// OpenGL ES with WebGL2's limits: the path WebGL2 takes.
    Gles,
}

/// A device, its queue and a painter.
pub struct Headless {
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// The painter bound to it.
    pub painter: Painter,
    /// Adapter name and driver, for reports.
    pub adapter: String,
}

impl Headless {
    /// Opens the first adapter of `backend`.
    pub fn new(backend: NativeBackend) -> Result<Self, RenderError> {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = match backend {
            NativeBackend::Vulkan => wgpu::Backends::VULKAN,
            NativeBackend::Gles => wgpu::Backends::GL,
        };
        let instance = wgpu::Instance::new(desc);
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: None,
            apply_limit_buckets: false,
        }))
        .map_err(|e| RenderError::NoBackend(format!("{backend:?}: {e}")))?;
        let info = adapter.get_info();
        let limits = match backend {
            NativeBackend::Vulkan => wgpu::Limits::default(),
            NativeBackend::Gles => wgpu::Limits::downlevel_webgl2_defaults(),
        }
        .using_resolution(adapter.limits());
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("headless"),
            required_features: wgpu::Features::empty(),
            required_limits: limits,
            ..Default::default()
        }))
        .map_err(|e| RenderError::Device(e.to_string()))?;
        let atlas = FontAtlas::new()?;
        // Natively the painter blocks on the device while it waits, so idling does nothing.
        let mut painter = Painter::new(&device, &queue, &atlas, || Box::pin(std::future::ready(())));
        painter.warm_up(&device, wgpu::TextureFormat::Rgba8Unorm);
        Ok(Self { device, queue, painter, adapter: format!("{} ({:?}, {})", info.name, info.backend, info.driver) })
    }
}

impl Headless {
    /// Draws a composed frame off-screen and returns its RGBA pixels.
    pub fn render(&mut self, composed: &crate::view::Composed) -> Result<Vec<u8>, RenderError> {
        self.painter.prepare(&self.device, &self.queue, composed);
        let [w, h] = composed.frame.camera.viewport;
        pollster::block_on(self.painter.render_rgba(&self.device, &self.queue, &composed.frame, w as u32, h as u32))
    }

    /// Draws a composed frame off-screen and waits for the GPU, without reading pixels back.
    pub fn draw(&mut self, composed: &crate::view::Composed, target: &wgpu::TextureView) {
        self.painter.prepare(&self.device, &self.queue, composed);
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("frame") });
        self.painter.encode(
            &self.device,
            &self.queue,
            &mut encoder,
            target,
            wgpu::TextureFormat::Rgba8Unorm,
            &composed.frame,
        );
        self.queue.submit([encoder.finish()]);
        pollster::block_on(self.painter.finish(&self.device, &self.queue));
    }

    /// A render target of `width`×`height` for [`Headless::draw`].
    #[must_use]
    pub fn target(&self, width: u32, height: u32) -> wgpu::TextureView {
        self.device
            .create_texture(&wgpu::TextureDescriptor {
                label: Some("target"),
                size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: wgpu::TextureFormat::Rgba8Unorm,
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
                view_formats: &[],
            })
            .create_view(&wgpu::TextureViewDescriptor::default())
    }
}
