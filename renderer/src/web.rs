//! wgpu on a `<canvas>`: one capability tier chosen at start-up, WebGPU or WebGL2.

use wgpu::util::DeviceExt;

use crate::camera::Camera;
use crate::scene::{EdgeInstance, NODE_TEXTURE_WIDTH, NodeInstance, Scene};
use crate::shaders::GRAPH_WGSL;

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

/// Why the renderer could not start or draw.
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
}

/// Drawing parameters beyond the camera.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawOptions {
    /// Minimum node diameter in device pixels.
    pub node_px: f32,
    /// Edge width in device pixels.
    pub edge_px: f32,
    /// Dim everything not highlighted.
    pub highlight: bool,
    /// Edge opacity multiplier (level of detail fades edges out when zoomed far out).
    pub edge_alpha: f32,
    /// Background colour, sRGB.
    pub background: [f64; 3],
}

impl Default for DrawOptions {
    fn default() -> Self {
        Self { node_px: 4.0, edge_px: 1.0, highlight: false, edge_alpha: 1.0, background: [0.07, 0.08, 0.10] }
    }
}

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct CameraUniform {
    center: [f32; 2],
    viewport: [f32; 2],
    scale: f32,
    node_px: f32,
    edge_px: f32,
    highlight: f32,
    srgb_target: f32,
    edge_alpha: f32,
    _pad: [f32; 2],
}

struct SceneBuffers {
    node_texture: wgpu::Texture,
    bind_group: wgpu::BindGroup,
    nodes: wgpu::Buffer,
    edges: wgpu::Buffer,
    node_count: u32,
    edge_count: u32,
    rows: u32,
}

/// A wgpu renderer bound to one canvas.
pub struct GpuRenderer {
    backend: Backend,
    surface: wgpu::Surface<'static>,
    device: wgpu::Device,
    queue: wgpu::Queue,
    config: wgpu::SurfaceConfiguration,
    srgb_target: bool,
    camera_buffer: wgpu::Buffer,
    bind_layout: wgpu::BindGroupLayout,
    edge_pipeline: wgpu::RenderPipeline,
    node_pipeline: wgpu::RenderPipeline,
    scene: Option<SceneBuffers>,
    max_texture_rows: u32,
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
                    return Self::finish(Backend::WebGpu, surface, adapter, width, height).await;
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
        Self::finish(Backend::WebGl2, surface, adapter, width, height).await
    }

    async fn finish(
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

        let shader = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("graph.wgsl"),
            source: wgpu::ShaderSource::Wgsl(GRAPH_WGSL.into()),
        });
        let camera_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("camera"),
            size: size_of::<CameraUniform>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("graph"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::VERTEX,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: false },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
            ],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("graph"),
            bind_group_layouts: &[Some(&bind_layout)],
            immediate_size: 0,
        });
        let blend = Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING);
        let target = [Some(wgpu::ColorTargetState { format, blend, write_mask: wgpu::ColorWrites::ALL })];
        let pipeline = |label: &str, vs: &str, fs: &str, attributes: &[wgpu::VertexAttribute], stride: u64| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(&layout),
                vertex: wgpu::VertexState {
                    module: &shader,
                    entry_point: Some(vs),
                    compilation_options: Default::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: stride,
                        step_mode: wgpu::VertexStepMode::Instance,
                        attributes,
                    })],
                },
                primitive: wgpu::PrimitiveState {
                    topology: wgpu::PrimitiveTopology::TriangleStrip,
                    ..Default::default()
                },
                depth_stencil: None,
                multisample: wgpu::MultisampleState::default(),
                fragment: Some(wgpu::FragmentState {
                    module: &shader,
                    entry_point: Some(fs),
                    compilation_options: Default::default(),
                    targets: &target,
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let edge_pipeline = pipeline(
            "edges",
            "edge_vs",
            "edge_fs",
            &wgpu::vertex_attr_array![0 => Uint32x2, 1 => Uint32],
            size_of::<EdgeInstance>() as u64,
        );
        let node_pipeline = pipeline(
            "nodes",
            "node_vs",
            "node_fs",
            &wgpu::vertex_attr_array![0 => Uint32, 1 => Uint32],
            size_of::<NodeInstance>() as u64,
        );
        let max_texture_rows = limits.max_texture_dimension_2d;
        Ok(Self {
            backend,
            surface,
            device,
            queue,
            srgb_target: config.format.is_srgb(),
            config,
            camera_buffer,
            bind_layout,
            edge_pipeline,
            node_pipeline,
            scene: None,
            max_texture_rows,
        })
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

    /// Uploads a scene, replacing the previous one.
    pub fn upload(&mut self, scene: &Scene) -> Result<(), RenderError> {
        let rows = (scene.node_data.len() as u32 / NODE_TEXTURE_WIDTH).max(1);
        if rows > self.max_texture_rows {
            return Err(RenderError::TooLarge(format!(
                "{} nodes need a {}×{rows} node texture, the device allows {} rows",
                scene.node_count(),
                NODE_TEXTURE_WIDTH,
                self.max_texture_rows
            )));
        }
        let node_texture = self.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("node data"),
            size: wgpu::Extent3d { width: NODE_TEXTURE_WIDTH, height: rows, depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: wgpu::TextureFormat::Rgba32Float,
            usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        });
        let view = node_texture.create_view(&wgpu::TextureViewDescriptor::default());
        let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("graph"),
            layout: &self.bind_layout,
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: self.camera_buffer.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(&view) },
            ],
        });
        // Empty vertex buffers are invalid; one zeroed instance stands in and is never drawn.
        let nodes_bytes: &[u8] = if scene.nodes.is_empty() { &[0; 8] } else { bytemuck::cast_slice(&scene.nodes) };
        let edges_bytes: &[u8] = if scene.edges.is_empty() { &[0; 12] } else { bytemuck::cast_slice(&scene.edges) };
        let nodes = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("node instances"),
            contents: nodes_bytes,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        });
        let edges = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("edge instances"),
            contents: edges_bytes,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        });
        self.scene = Some(SceneBuffers {
            node_texture,
            bind_group,
            nodes,
            edges,
            node_count: scene.nodes.len() as u32,
            edge_count: scene.edges.len() as u32,
            rows,
        });
        self.update_node_data(scene);
        Ok(())
    }

    /// Re-uploads only positions, flags and sizes (cheap: 16 bytes a node), for animation and highlighting.
    pub fn update_node_data(&mut self, scene: &Scene) {
        let Some(buffers) = &self.scene else { return };
        let rows = buffers.rows;
        let needed = (rows * NODE_TEXTURE_WIDTH) as usize;
        if scene.node_data.len() < needed {
            return;
        }
        self.queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &buffers.node_texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            bytemuck::cast_slice(&scene.node_data[..needed]),
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(NODE_TEXTURE_WIDTH * 16),
                rows_per_image: Some(rows),
            },
            wgpu::Extent3d { width: NODE_TEXTURE_WIDTH, height: rows, depth_or_array_layers: 1 },
        );
    }

    /// Re-uploads node colours and glyphs (after a style change).
    pub fn update_node_styles(&mut self, scene: &Scene) {
        if let Some(buffers) = &self.scene
            && !scene.nodes.is_empty()
            && scene.nodes.len() as u32 == buffers.node_count
        {
            self.queue.write_buffer(&buffers.nodes, 0, bytemuck::cast_slice(&scene.nodes));
        }
    }

    /// GPU bytes held for the current scene.
    #[must_use]
    pub fn gpu_bytes(&self) -> u64 {
        self.scene.as_ref().map_or(0, |s| u64::from(s.rows * NODE_TEXTURE_WIDTH) * 16 + s.nodes.size() + s.edges.size())
    }

    /// Draws one frame.
    pub fn render(&mut self, camera: &Camera, options: &DrawOptions) {
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t) | wgpu::CurrentSurfaceTexture::Suboptimal(t) => t,
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                self.surface.configure(&self.device, &self.config);
                return;
            }
            _ => return,
        };
        let uniform = CameraUniform {
            center: camera.center,
            viewport: camera.viewport,
            scale: camera.scale,
            node_px: options.node_px,
            edge_px: options.edge_px,
            highlight: if options.highlight { 1.0 } else { 0.0 },
            srgb_target: if self.srgb_target { 1.0 } else { 0.0 },
            edge_alpha: options.edge_alpha,
            _pad: [0.0; 2],
        };
        self.queue.write_buffer(&self.camera_buffer, 0, bytemuck::bytes_of(&uniform));
        let view = frame.texture.create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("frame") });
        {
            let [r, g, b] = options.background;
            let clear = if self.srgb_target { [r.powf(2.2), g.powf(2.2), b.powf(2.2)] } else { [r, g, b] };
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("graph"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color { r: clear[0], g: clear[1], b: clear[2], a: 1.0 }),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            if let Some(s) = &self.scene {
                pass.set_bind_group(0, &s.bind_group, &[]);
                if s.edge_count > 0 && options.edge_alpha > 0.0 {
                    pass.set_pipeline(&self.edge_pipeline);
                    pass.set_vertex_buffer(0, s.edges.slice(..));
                    pass.draw(0..4, 0..s.edge_count);
                }
                if s.node_count > 0 {
                    pass.set_pipeline(&self.node_pipeline);
                    pass.set_vertex_buffer(0, s.nodes.slice(..));
                    pass.draw(0..4, 0..s.node_count);
                }
            }
        }
        self.queue.submit([encoder.finish()]);
        self.queue.present(frame);
    }
}
