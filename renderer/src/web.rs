//! wgpu on a `<canvas>`: one capability tier chosen at start-up, WebGPU or WebGL2.

pub use crate::frame::{DrawOptions, Frame, Minimap, RenderError};
use crate::gpu::Painter;
use crate::labels::FontAtlas;
use crate::scene::Scene;
use crate::view::Composed;

/// The graphics API the renderer runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// WebGPU (`navigator.gpu`).
    WebGpu,
    /// WebGL2, with wgpu's downlevel limits.
    WebGl2,
}

impl Backend {
    /// The name shown in the UI.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::WebGpu => "WebGPU",
            Self::WebGl2 => "WebGL2",
        }
    }
}

/// Which backends may be tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendPreference {
    /// WebGPU when available, else WebGL2.
    Auto,
    /// WebGL2 only.
    WebGl2Only,
}

/// A wgpu renderer bound to one canvas.
pub struct GpuRenderer {
    backend: Backend,
    surface: wgpu::Surface<'static>,
    device: wgpu::Device,
    queue: wgpu::Queue,
    config: wgpu::SurfaceConfiguration,
    painter: Painter,
    atlas: FontAtlas,
}

async fn adapter_for(
    instance: &wgpu::Instance,
    surface: Option<&wgpu::Surface<'static>>,
) -> Result<wgpu::Adapter, wgpu::RequestAdapterError> {
    instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            force_fallback_adapter: false,
            compatible_surface: surface,
            apply_limit_buckets: false,
        })
        .await
}

impl GpuRenderer {
    /// Starts on `canvas`, choosing the backend once: WebGPU if an adapter is offered, else WebGL2.
    pub async fn new(canvas: web_sys::HtmlCanvasElement, preference: BackendPreference) -> Result<Self, RenderError> {
        let width = canvas.width().max(1);
        let height = canvas.height().max(1);
        let mut webgpu_problem = String::from("WebGPU not offered");
        // A canvas serves only one context type, so WebGPU is probed without a surface first:
        // creating the surface would claim the canvas for WebGPU even if no adapter followed.
        if preference == BackendPreference::Auto && wgpu::util::is_browser_webgpu_supported().await {
            let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
            desc.backends = wgpu::Backends::BROWSER_WEBGPU;
            let instance = wgpu::Instance::new(desc);
            match adapter_for(&instance, None).await {
                Ok(adapter) => {
                    let surface = instance
                        .create_surface(wgpu::SurfaceTarget::Canvas(canvas))
                        .map_err(|e| RenderError::NoBackend(e.to_string()))?;
                    return Self::start_on(Backend::WebGpu, surface, adapter, width, height).await;
                }
                Err(e) => webgpu_problem = e.to_string(),
            }
        }
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = wgpu::Backends::GL;
        let instance = wgpu::Instance::new(desc);
        let surface = instance
            .create_surface(wgpu::SurfaceTarget::Canvas(canvas))
            .map_err(|e| RenderError::NoBackend(format!("{webgpu_problem}; WebGL2: {e}")))?;
        let adapter = adapter_for(&instance, Some(&surface))
            .await
            .map_err(|e| RenderError::NoBackend(format!("{webgpu_problem}; WebGL2: {e}")))?;
        Self::start_on(Backend::WebGl2, surface, adapter, width, height).await
    }

    async fn start_on(
        backend: Backend,
        surface: wgpu::Surface<'static>,
        adapter: wgpu::Adapter,
        width: u32,
        height: u32,
    ) -> Result<Self, RenderError> {
        let limits = match backend {
            Backend::WebGpu => wgpu::Limits::default(),
            Backend::WebGl2 => wgpu::Limits::downlevel_webgl2_defaults(),
        }
        .using_resolution(adapter.limits());
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("graph"),
                required_features: wgpu::Features::empty(),
                required_limits: limits.clone(),
                ..Default::default()
            })
            .await
            .map_err(|e| RenderError::Device(e.to_string()))?;
        let caps = surface.get_capabilities(&adapter);
        // Backends differ in their preferred format (WebGL2 sRGB, WebGPU linear); prefer a linear
        // 8-bit format so colours come out the same on both, and correct in the shader otherwise.
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| matches!(f, wgpu::TextureFormat::Rgba8Unorm | wgpu::TextureFormat::Bgra8Unorm))
            .or_else(|| caps.formats.first().copied())
            .ok_or_else(|| RenderError::Device("the surface offers no texture format".into()))?;
        let config = wgpu::SurfaceConfiguration {
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            format,
            color_space: wgpu::SurfaceColorSpace::Auto,
            width,
            height,
            present_mode: wgpu::PresentMode::Fifo,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps.alpha_modes.first().copied().unwrap_or(wgpu::CompositeAlphaMode::Auto),
            view_formats: vec![],
        };
        surface.configure(&device, &config);

        let atlas = FontAtlas::new()?;
        let mut painter = Painter::new(&device, &queue, &atlas, || Box::pin(yield_to_browser()));
        // Compiled now, at start-up, not in a new graph's first picture.
        painter.warm_up(&device, config.format);
        Ok(Self { backend, surface, device, queue, config, painter, atlas })
    }

    /// The backend in use.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The surface's texture format.
    #[must_use]
    pub fn surface_format(&self) -> wgpu::TextureFormat {
        self.config.format
    }

    /// Resizes the drawing surface to `width` × `height` device pixels.
    pub fn resize(&mut self, width: u32, height: u32) {
        let (width, height) = (width.max(1), height.max(1));
        if (width, height) != (self.config.width, self.config.height) {
            self.config.width = width;
            self.config.height = height;
            self.surface.configure(&self.device, &self.config);
        }
    }

    /// The label font's atlas, for placing labels.
    #[must_use]
    pub fn atlas(&self) -> &FontAtlas {
        &self.atlas
    }

    /// Uploads a scene, replacing the previous one; on error the previous one stays.
    pub fn upload(&mut self, scene: &Scene) -> Result<(), RenderError> {
        self.painter.upload(&self.device, &self.queue, scene)
    }

    /// The first step of an upload: nodes and aggregates, no edges yet (see [`Painter::upload_nodes`]).
    pub fn upload_nodes(&mut self, scene: &Scene) -> Result<(), RenderError> {
        self.painter.upload_nodes(&self.device, &self.queue, scene)
    }

    /// The second step of an upload: the edges of the scene whose nodes were uploaded.
    pub fn upload_edges(&mut self, scene: &Scene) {
        self.painter.upload_edges(&self.device, scene);
    }

    /// Re-uploads only positions, flags and sizes (cheap: 16 bytes a node), for animation and highlighting.
    pub fn update_node_data(&mut self, scene: &Scene) {
        self.painter.update_node_data(&self.queue, scene);
    }

    /// Re-uploads node and edge looks and overlays after a style change.
    pub fn update_styles(&mut self, scene: &Scene) {
        self.painter.update_styles(&self.queue, scene);
    }

    /// Draws a composed frame: its labels, its visible edges, the graph.
    pub fn show(&mut self, composed: &Composed) {
        self.painter.prepare(&self.device, &self.queue, composed);
        self.render(&composed.frame);
    }

    /// Draws only `selection` of each frame from now on (the render bench's per-pass timing).
    pub fn select_passes(&mut self, selection: crate::passes::PassSelection) {
        self.painter.select_passes(selection);
    }

    /// Whether drawing `frame` now would copy the picture cache rather than draw the graph (see
    /// [`Painter::would_reuse_picture`]).
    #[must_use]
    pub fn would_reuse_picture(&self, frame: &Frame) -> bool {
        self.painter.would_reuse_picture(frame, self.config.format)
    }

    /// GPU bytes of the picture cache (see [`Painter::picture_bytes`]).
    #[must_use]
    pub fn picture_bytes(&self) -> u64 {
        self.painter.picture_bytes()
    }

    /// GPU bytes held for the current scene, labels and overlays.
    #[must_use]
    pub fn gpu_bytes(&self) -> u64 {
        self.painter.gpu_bytes()
    }

    /// Draws one frame on the canvas.
    pub fn render(&mut self, frame: &Frame) {
        let texture = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t) | wgpu::CurrentSurfaceTexture::Suboptimal(t) => t,
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                self.surface.configure(&self.device, &self.config);
                return;
            }
            _ => return,
        };
        let view = texture.texture.create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("frame") });
        self.painter.encode(&self.device, &self.queue, &mut encoder, &view, self.config.format, frame);
        self.queue.submit([encoder.finish()]);
        self.queue.present(texture);
    }

    /// Waits until the GPU has finished every frame submitted so far.
    pub async fn finish(&self) {
        self.painter.finish(&self.device, &self.queue).await;
    }

    /// Renders the view in `frame` as a `width`×`height` PNG, with `legend` blended in at its
    /// pixel position when one is given.
    pub async fn export_png(
        &mut self,
        frame: &Frame,
        width: u32,
        height: u32,
        legend: Option<(&crate::legend::LegendImage, [u32; 2])>,
    ) -> Result<Vec<u8>, RenderError> {
        self.painter.export_png(&self.device, &self.queue, frame, width, height, legend).await
    }
}

/// Lets the browser run its event loop for a moment (GPU callbacks, input) before going on.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).ok();
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.ok();
}
