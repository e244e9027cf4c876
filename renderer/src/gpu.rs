//! The wgpu half of the renderer, for any device: pipelines, scene buffers, one frame's draw calls
//! (graph, labels, overlays, minimap), off-screen rendering with read-back, and tiled PNG export.
//! The browser glue (`web.rs`) and the native harness (`headless.rs`) supply a device, a target,
//! and how to wait for the GPU without blocking ([`Idle`]); this file knows neither.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use wgpu::util::DeviceExt;

use crate::camera::{Bounds, Camera};
use crate::export::{PngStrips, TilePlan, tile_frame};
use crate::frame::{DrawOptions, Frame, RenderError};
use crate::labels::{FontAtlas, GlyphInstance};
use crate::legend::LegendImage;
use crate::lod::{Detail, MIN_EDGE_OPACITY};
use crate::overlay::{OverlayVertex, rect_outline, rect_triangles};
use crate::scene::{EdgeInstance, NODE_TEXTURE_WIDTH, NodeInstance, Scene};
use crate::shaders::{GRAPH_WGSL, OVERLAY_WGSL, TEXT_WGSL};
use crate::style::Rgba;

/// How the painter waits for the GPU without blocking: a future that lets the host's event loop
/// run for a moment (the browser's; natively the painter blocks on the device instead).
pub type Idle = fn() -> std::pin::Pin<Box<dyn Future<Output = ()>>>;

/// The view uniform, mirrored by `struct View` in `shaders/common.wgsl`; a test checks the two
/// have the same size and member offsets.
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct ViewUniform {
    center: [f32; 2],
    viewport: [f32; 2],
    scale: f32,
    node_px: f32,
    edge_px: f32,
    highlight: f32,
    srgb_target: f32,
    detail_edges: f32,
    detail_nodes: f32,
    aggregates: f32,
    label_scale: f32,
    arrows: f32,
    pad: [f32; 2],
    cull: [f32; 4],
}

// WebGL2 and WebGPU need uniform blocks in 16-byte multiples; the slot must hold one.
const _: () = assert!(size_of::<ViewUniform>() == 80 && size_of::<ViewUniform>().is_multiple_of(16));

/// Uniform slots per frame (main view, minimap), each at the 256-byte dynamic-offset alignment.
const SLOT: u64 = 256;
const SLOTS: u64 = 2;

const MINIMAP_BACKGROUND: Rgba = Rgba::new(0x10, 0x13, 0x18, 0xe8);
const MINIMAP_FRAME: Rgba = Rgba::new(0xff, 0xd0, 0x50, 0xff);

fn flag(on: bool) -> f32 {
    if on { 1.0 } else { 0.0 }
}

impl ViewUniform {
    fn new(camera: &Camera, options: &DrawOptions, srgb_target: bool, label_scale: f32, cull: Option<Bounds>) -> Self {
        let cull = cull.unwrap_or_else(|| camera.visible());
        Self {
            center: camera.center,
            viewport: camera.viewport,
            scale: camera.scale,
            node_px: options.node_px * label_scale,
            edge_px: options.edge_px * label_scale,
            highlight: flag(options.highlight),
            srgb_target: flag(srgb_target),
            detail_edges: options.detail.edges,
            detail_nodes: options.detail.nodes,
            aggregates: options.detail.aggregates,
            label_scale,
            arrows: flag(options.detail.arrows),
            pad: [0.0; 2],
            cull: [cull.min[0], cull.min[1], cull.max[0], cull.max[1]],
        }
    }
}

struct Pipelines {
    format: wgpu::TextureFormat,
    edge: wgpu::RenderPipeline,
    arrow: wgpu::RenderPipeline,
    node: wgpu::RenderPipeline,
    text: wgpu::RenderPipeline,
    overlay: wgpu::RenderPipeline,
}

struct SceneBuffers {
    node_texture: wgpu::Texture,
    bind_group: wgpu::BindGroup,
    nodes: wgpu::Buffer,
    edges: wgpu::Buffer,
    node_count: u32,
    aggregate_nodes: u32,
    edge_count: u32,
    /// Module edges as drawn at rest (bundled along the module tree where the graph has one).
    aggregate_edges: u32,
    /// The same module edges straight, after them: what a moving (cheap) frame draws.
    straight_aggregate_edges: u32,
    rows: u32,
}

/// A vertex buffer that grows to fit what is written to it.
struct GrowingBuffer {
    label: &'static str,
    buffer: Option<wgpu::Buffer>,
    len: u64,
}

impl GrowingBuffer {
    const fn new(label: &'static str) -> Self {
        Self { label, buffer: None, len: 0 }
    }

    fn write(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, bytes: &[u8]) {
        self.len = bytes.len() as u64;
        if bytes.is_empty() {
            return;
        }
        if self.buffer.as_ref().is_none_or(|b| b.size() < self.len) {
            self.buffer = Some(device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(self.label),
                size: self.len.next_power_of_two().max(256),
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }));
        }
        if let Some(b) = &self.buffer {
            queue.write_buffer(b, 0, bytes);
        }
    }

    fn size(&self) -> u64 {
        self.buffer.as_ref().map_or(0, wgpu::Buffer::size)
    }
}

/// Draws scenes on one device into targets of any colour format.
pub struct Painter {
    view_buffer: wgpu::Buffer,
    graph_layout: wgpu::BindGroupLayout,
    text_layout: wgpu::BindGroupLayout,
    text_bind: wgpu::BindGroup,
    graph_shader: wgpu::ShaderModule,
    text_shader: wgpu::ShaderModule,
    overlay_shader: wgpu::ShaderModule,
    pipelines: Vec<Pipelines>,
    scene: Option<SceneBuffers>,
    glyphs: GrowingBuffer,
    glyph_count: u32,
    visible_edges: GrowingBuffer,
    /// Edges in `visible_edges` when the view drew only those; `None` draws every edge.
    visible_edge_count: Option<u32>,
    overlays: GrowingBuffer,
    overlay_vertices: Vec<OverlayVertex>,
    /// The composed view's module rings, drawn with the scene's hulls.
    ring_vertices: Vec<OverlayVertex>,
    max_texture_dimension: u32,
    idle: Idle,
}

/// A 2D float texture binding.
fn texture_entry(binding: u32, visibility: wgpu::ShaderStages, filterable: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        count: None,
    }
}

fn blend_target(format: wgpu::TextureFormat) -> [Option<wgpu::ColorTargetState>; 1] {
    [Some(wgpu::ColorTargetState {
        format,
        blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
        write_mask: wgpu::ColorWrites::ALL,
    })]
}

impl Painter {
    /// Prepares shaders, bind groups and the label atlas on `device`.
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue, atlas: &FontAtlas, idle: Idle) -> Self {
        let shader = |label: &str, source: &'static str| {
            device.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(label),
                source: wgpu::ShaderSource::Wgsl(source.into()),
            })
        };
        let view_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("views"),
            size: SLOT * SLOTS,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let graph_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("graph"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: true,
                        min_binding_size: wgpu::BufferSize::new(size_of::<ViewUniform>() as u64),
                    },
                    count: None,
                },
                texture_entry(1, wgpu::ShaderStages::VERTEX, false),
            ],
        });
        let text_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("text"),
            entries: &[
                texture_entry(0, wgpu::ShaderStages::FRAGMENT, true),
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
        let atlas_texture = device.create_texture_with_data(
            queue,
            &wgpu::TextureDescriptor {
                label: Some("glyph atlas"),
                size: wgpu::Extent3d { width: atlas.width, height: atlas.height, depth_or_array_layers: 1 },
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: wgpu::TextureFormat::R8Unorm,
                usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                view_formats: &[],
            },
            wgpu::util::TextureDataOrder::LayerMajor,
            &atlas.pixels,
        );
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("glyph atlas"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let text_bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("text"),
            layout: &text_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(
                        &atlas_texture.create_view(&wgpu::TextureViewDescriptor::default()),
                    ),
                },
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::Sampler(&sampler) },
            ],
        });
        Self {
            view_buffer,
            graph_layout,
            text_layout,
            text_bind,
            graph_shader: shader("graph.wgsl", GRAPH_WGSL),
            text_shader: shader("text.wgsl", TEXT_WGSL),
            overlay_shader: shader("overlay.wgsl", OVERLAY_WGSL),
            pipelines: Vec::new(),
            scene: None,
            glyphs: GrowingBuffer::new("glyphs"),
            glyph_count: 0,
            visible_edges: GrowingBuffer::new("visible edges"),
            visible_edge_count: None,
            overlays: GrowingBuffer::new("overlays"),
            overlay_vertices: Vec::new(),
            ring_vertices: Vec::new(),
            max_texture_dimension: device.limits().max_texture_dimension_2d,
            idle,
        }
    }

    fn pipelines_for(&mut self, device: &wgpu::Device, format: wgpu::TextureFormat) -> usize {
        if let Some(i) = self.pipelines.iter().position(|p| p.format == format) {
            return i;
        }
        let graph = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("graph"),
            bind_group_layouts: &[Some(&self.graph_layout)],
            immediate_size: 0,
        });
        let text = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("text"),
            bind_group_layouts: &[Some(&self.graph_layout), Some(&self.text_layout)],
            immediate_size: 0,
        });
        let target = blend_target(format);
        let make = |label: &str,
                    layout: &wgpu::PipelineLayout,
                    module: &wgpu::ShaderModule,
                    (vs, fs): (&str, &str),
                    attributes: &[wgpu::VertexAttribute],
                    (stride, step_mode): (u64, wgpu::VertexStepMode),
                    topology: wgpu::PrimitiveTopology| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(label),
                layout: Some(layout),
                vertex: wgpu::VertexState {
                    module,
                    entry_point: Some(vs),
                    compilation_options: Default::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout { array_stride: stride, step_mode, attributes })],
                },
                primitive: wgpu::PrimitiveState { topology, ..Default::default() },
                depth_stencil: None,
                multisample: wgpu::MultisampleState::default(),
                fragment: Some(wgpu::FragmentState {
                    module,
                    entry_point: Some(fs),
                    compilation_options: Default::default(),
                    targets: &target,
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let instance = wgpu::VertexStepMode::Instance;
        let strip = wgpu::PrimitiveTopology::TriangleStrip;
        let edge_attrs = wgpu::vertex_attr_array![0 => Uint32x2, 1 => Uint32, 2 => Uint32];
        let edge_stride = (size_of::<EdgeInstance>() as u64, instance);
        let p = Pipelines {
            format,
            edge: make("edges", &graph, &self.graph_shader, ("edge_vs", "edge_fs"), &edge_attrs, edge_stride, strip),
            arrow: make(
                "arrows",
                &graph,
                &self.graph_shader,
                ("arrow_vs", "edge_fs"),
                &edge_attrs,
                edge_stride,
                wgpu::PrimitiveTopology::TriangleList,
            ),
            node: make(
                "nodes",
                &graph,
                &self.graph_shader,
                ("node_vs", "node_fs"),
                &wgpu::vertex_attr_array![0 => Uint32, 1 => Uint32, 2 => Uint32, 3 => Uint32],
                (size_of::<NodeInstance>() as u64, instance),
                strip,
            ),
            text: make(
                "labels",
                &text,
                &self.text_shader,
                ("text_vs", "text_fs"),
                &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2, 2 => Float32x2, 3 => Float32x4, 4 => Uint32],
                (size_of::<GlyphInstance>() as u64, instance),
                strip,
            ),
            overlay: make(
                "overlays",
                &graph,
                &self.overlay_shader,
                ("overlay_vs", "overlay_fs"),
                &wgpu::vertex_attr_array![0 => Float32x2, 1 => Uint32],
                (size_of::<OverlayVertex>() as u64, wgpu::VertexStepMode::Vertex),
                wgpu::PrimitiveTopology::TriangleList,
            ),
        };
        self.pipelines.push(p);
        self.pipelines.len() - 1
    }

    /// Uploads a scene, replacing the previous one; on error the previous one stays.
    pub fn upload(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, scene: &Scene) -> Result<(), RenderError> {
        let rows = (scene.node_data.len() as u32 / NODE_TEXTURE_WIDTH).max(1);
        if rows > self.max_texture_dimension {
            return Err(RenderError::TooLarge(format!(
                "{} nodes need a {NODE_TEXTURE_WIDTH}×{rows} node texture, the device allows {} rows",
                scene.node_count(),
                self.max_texture_dimension
            )));
        }
        let node_texture = device.create_texture(&wgpu::TextureDescriptor {
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
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("graph"),
            layout: &self.graph_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &self.view_buffer,
                        offset: 0,
                        size: wgpu::BufferSize::new(size_of::<ViewUniform>() as u64),
                    }),
                },
                wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(&view) },
            ],
        });
        // Aggregates follow the graph's own instances in the same buffers; empty buffers are
        // invalid, so a zeroed instance stands in and is never drawn.
        let mut nodes: Vec<NodeInstance> = Vec::with_capacity(scene.nodes.len() + scene.aggregates.nodes.len() + 1);
        nodes.extend_from_slice(&scene.nodes);
        nodes.extend_from_slice(&scene.aggregates.nodes);
        // Routed edges' segments are drawn with the graph's edges, bundled module edges as the aggregates'.
        let (routed, aggregate) = (scene.route_segments(), scene.aggregate_edges_drawn());
        // Bundled module edges draw several segments each; while the view moves, the straight
        // ones (one instance each) stand in for them.
        let straight: &[EdgeInstance] =
            if std::ptr::eq(aggregate, scene.aggregates.edges.as_slice()) { &[] } else { &scene.aggregates.edges };
        let mut edges: Vec<EdgeInstance> =
            Vec::with_capacity(scene.edges.len() + routed.len() + aggregate.len() + straight.len() + 1);
        edges.extend_from_slice(&scene.edges);
        edges.extend_from_slice(routed);
        edges.extend_from_slice(aggregate);
        edges.extend_from_slice(straight);
        let (node_total, edge_total) = (nodes.len(), edges.len());
        if nodes.is_empty() {
            nodes.push(NodeInstance::default());
        }
        if edges.is_empty() {
            edges.push(EdgeInstance::default());
        }
        let usage = wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST;
        let nodes_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("node instances"),
            contents: bytemuck::cast_slice(&nodes),
            usage,
        });
        let edges_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("edge instances"),
            contents: bytemuck::cast_slice(&edges),
            usage,
        });
        debug_assert_eq!(node_total, scene.nodes.len() + scene.aggregates.nodes.len());
        self.scene = Some(SceneBuffers {
            node_texture,
            bind_group,
            nodes: nodes_buffer,
            edges: edges_buffer,
            node_count: scene.nodes.len() as u32,
            aggregate_nodes: scene.aggregates.nodes.len() as u32,
            edge_count: (scene.edges.len() + routed.len()) as u32,
            aggregate_edges: (edge_total - scene.edges.len() - routed.len() - straight.len()) as u32,
            straight_aggregate_edges: straight.len() as u32,
            rows,
        });
        self.update_node_data(queue, scene);
        Ok(())
    }

    /// Re-uploads positions, flags and sizes (16 bytes a node), for animation and highlighting,
    /// and takes the scene's hull triangles, which follow positions.
    pub fn update_node_data(&mut self, queue: &wgpu::Queue, scene: &Scene) {
        self.overlay_vertices.clear();
        self.overlay_vertices.extend_from_slice(scene.overlay_vertices());
        let Some(buffers) = &self.scene else { return };
        let rows = buffers.rows;
        let needed = (rows * NODE_TEXTURE_WIDTH) as usize;
        if scene.node_data.len() < needed {
            return;
        }
        queue.write_texture(
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

    /// Re-uploads node and edge looks after a style change (same graph).
    pub fn update_styles(&mut self, queue: &wgpu::Queue, scene: &Scene) {
        if let Some(b) = &self.scene
            && scene.nodes.len() as u32 == b.node_count
            && (scene.edges.len() + scene.route_segments().len()) as u32 == b.edge_count
        {
            if !scene.nodes.is_empty() {
                queue.write_buffer(&b.nodes, 0, bytemuck::cast_slice(&scene.nodes));
            }
            if !scene.edges.is_empty() {
                queue.write_buffer(&b.edges, 0, bytemuck::cast_slice(&scene.edges));
            }
            if !scene.route_segments().is_empty() {
                let offset = (scene.edges.len() * size_of::<EdgeInstance>()) as u64;
                queue.write_buffer(&b.edges, offset, bytemuck::cast_slice(scene.route_segments()));
            }
        }
        self.update_node_data(queue, scene);
    }

    /// Replaces the label glyphs.
    pub fn set_labels(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, glyphs: &[GlyphInstance]) {
        self.glyphs.write(device, queue, bytemuck::cast_slice(glyphs));
        self.glyph_count = glyphs.len() as u32;
    }

    /// Takes a composed frame's labels, module rings and visible-edge list.
    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, composed: &crate::view::Composed) {
        self.set_labels(device, queue, &composed.glyphs);
        self.ring_vertices.clear();
        self.ring_vertices.extend_from_slice(&composed.rings);
        self.visible_edge_count = composed.edges.as_ref().map(|edges| {
            self.visible_edges.write(device, queue, bytemuck::cast_slice(edges));
            edges.len() as u32
        });
    }

    /// GPU bytes held: node texture, instances, glyphs and overlays.
    #[must_use]
    pub fn gpu_bytes(&self) -> u64 {
        self.scene.as_ref().map_or(0, |s| u64::from(s.rows * NODE_TEXTURE_WIDTH) * 16 + s.nodes.size() + s.edges.size())
            + self.glyphs.size()
            + self.overlays.size()
            + self.visible_edges.size()
    }

    /// Records one frame into `target` (a view of a texture in `format`).
    pub fn encode(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        frame: &Frame,
    ) {
        let srgb = format.is_srgb();
        let pi = self.pipelines_for(device, format);
        let main = ViewUniform::new(&frame.camera, &frame.options, srgb, frame.label_scale, frame.cull);
        queue.write_buffer(&self.view_buffer, 0, bytemuck::bytes_of(&main));
        let mut all_overlays = self.ring_vertices.clone();
        all_overlays.extend_from_slice(&self.overlay_vertices);
        let main_overlays = all_overlays.len() as u32;
        if let Some(m) = &frame.minimap {
            let detail = Detail {
                edges: 0.0,
                nodes: if self.scene.as_ref().is_some_and(|s| s.aggregate_nodes > 0) { 0.0 } else { 1.0 },
                aggregates: 1.0,
                arrows: false,
                bundles: false,
            };
            let options = DrawOptions { node_px: 1.5, detail, highlight: false, ..frame.options };
            let mini = ViewUniform::new(&m.camera, &options, srgb, 1.0, None);
            queue.write_buffer(&self.view_buffer, SLOT, bytemuck::bytes_of(&mini));
            let lo = m.camera.screen_to_world([0.0, 0.0]);
            let hi = m.camera.screen_to_world(m.camera.viewport);
            all_overlays.extend(rect_triangles(lo, hi, MINIMAP_BACKGROUND));
            let view_lo = frame.camera.screen_to_world([0.0, 0.0]);
            let view_hi = frame.camera.screen_to_world(frame.camera.viewport);
            let clamp = |p: [f32; 2]| [p[0].clamp(lo[0], hi[0]), p[1].clamp(lo[1], hi[1])];
            all_overlays.extend(rect_outline(clamp(view_lo), clamp(view_hi), 1.5 / m.camera.scale, MINIMAP_FRAME));
            all_overlays.extend(rect_outline(lo, hi, 1.0 / m.camera.scale, Rgba::new(0x50, 0x58, 0x68, 0xff)));
        }
        self.overlays.write(device, queue, bytemuck::cast_slice(&all_overlays));
        let total_overlays = all_overlays.len() as u32;

        let [r, g, b] = frame.options.background;
        let clear = if srgb { [r.powf(2.2), g.powf(2.2), b.powf(2.2)] } else { [r, g, b] };
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("graph"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: target,
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
        let p = &self.pipelines[pi];
        let Some(s) = &self.scene else { return };
        let detail = frame.options.detail;
        pass.set_bind_group(0, &s.bind_group, &[0]);
        if main_overlays > 0
            && let Some(o) = &self.overlays.buffer
        {
            pass.set_pipeline(&p.overlay);
            pass.set_vertex_buffer(0, o.slice(..));
            pass.draw(0..main_overlays, 0..1);
        }
        // Node and edge instances are both 16 bytes.
        let instance_range = |from: u32, count: u32| u64::from(from) * 16..u64::from(from + count) * 16;
        // The edges to draw: the view's own list when zoomed in on a big graph, else all of them.
        let (edge_buffer, edge_slice, edge_count) = match (self.visible_edge_count, &self.visible_edges.buffer) {
            (Some(count), Some(b)) => (b, instance_range(0, count), count),
            (Some(_), None) => (&s.edges, 0..0, 0),
            (None, _) => (&s.edges, instance_range(0, s.edge_count), s.edge_count),
        };
        // Below 5% opacity the edge mesh is invisible: skipping it is what bounds the frame time
        // when a big graph is zoomed out.
        if edge_count > 0 && (detail.edges >= MIN_EDGE_OPACITY || frame.options.highlight) {
            pass.set_pipeline(&p.edge);
            pass.set_vertex_buffer(0, edge_buffer.slice(edge_slice.clone()));
            pass.draw(0..4, 0..edge_count);
        }
        if s.aggregate_edges > 0 && detail.aggregates > 0.003 {
            let (first, count) = if detail.bundles || s.straight_aggregate_edges == 0 {
                (s.edge_count, s.aggregate_edges)
            } else {
                (s.edge_count + s.aggregate_edges, s.straight_aggregate_edges)
            };
            pass.set_pipeline(&p.edge);
            pass.set_vertex_buffer(0, s.edges.slice(instance_range(first, count)));
            pass.draw(0..4, 0..count);
        }
        if edge_count > 0 && detail.arrows && detail.edges >= MIN_EDGE_OPACITY {
            pass.set_pipeline(&p.arrow);
            pass.set_vertex_buffer(0, edge_buffer.slice(edge_slice));
            pass.draw(0..3, 0..edge_count);
        }
        // The lighter picture (no individual nodes, aggregates instead) skips the node mesh.
        if s.node_count > 0 && (detail.nodes > 0.003 || frame.options.highlight) {
            pass.set_pipeline(&p.node);
            pass.set_vertex_buffer(0, s.nodes.slice(instance_range(0, s.node_count)));
            pass.draw(0..4, 0..s.node_count);
        }
        if s.aggregate_nodes > 0 && detail.aggregates > 0.003 {
            pass.set_pipeline(&p.node);
            pass.set_vertex_buffer(0, s.nodes.slice(instance_range(s.node_count, s.aggregate_nodes)));
            pass.draw(0..4, 0..s.aggregate_nodes);
        }
        if self.glyph_count > 0
            && let Some(gb) = &self.glyphs.buffer
        {
            pass.set_pipeline(&p.text);
            pass.set_bind_group(1, &self.text_bind, &[]);
            pass.set_vertex_buffer(0, gb.slice(..u64::from(self.glyph_count) * size_of::<GlyphInstance>() as u64));
            pass.draw(0..4, 0..self.glyph_count);
        }
        if let Some(m) = &frame.minimap
            && let Some(o) = &self.overlays.buffer
        {
            let [x, y, w, h] = m.rect;
            let target_w = frame.camera.viewport[0];
            let target_h = frame.camera.viewport[1];
            if x >= 0.0 && y >= 0.0 && x + w <= target_w && y + h <= target_h && w >= 1.0 && h >= 1.0 {
                pass.set_viewport(x, y, w, h, 0.0, 1.0);
                pass.set_scissor_rect(x as u32, y as u32, w as u32, h as u32);
                pass.set_bind_group(0, &s.bind_group, &[SLOT as u32]);
                pass.set_pipeline(&p.overlay);
                pass.set_vertex_buffer(0, o.slice(..));
                pass.draw(main_overlays..main_overlays + 6, 0..1);
                if s.aggregate_nodes > 0 {
                    pass.set_pipeline(&p.node);
                    pass.set_vertex_buffer(0, s.nodes.slice(instance_range(s.node_count, s.aggregate_nodes)));
                    pass.draw(0..4, 0..s.aggregate_nodes);
                } else if s.node_count > 0 {
                    pass.set_pipeline(&p.node);
                    pass.set_vertex_buffer(0, s.nodes.slice(instance_range(0, s.node_count)));
                    pass.draw(0..4, 0..s.node_count);
                }
                pass.set_pipeline(&p.overlay);
                pass.set_vertex_buffer(0, o.slice(..));
                pass.draw(main_overlays + 6..total_overlays, 0..1);
            }
        }
    }

    /// Draws `frame` into a fresh `width`×`height` RGBA texture and reads the pixels back
    /// (tightly packed RGBA, rows top to bottom).
    pub async fn render_rgba(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &Frame,
        width: u32,
        height: u32,
    ) -> Result<Vec<u8>, RenderError> {
        let format = wgpu::TextureFormat::Rgba8Unorm;
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("off-screen"),
            size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let padded = (width * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("read-back"),
            size: u64::from(padded) * u64::from(height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("off-screen") });
        self.encode(device, queue, &mut encoder, &view, format, frame);
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(height),
                },
            },
            wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
        );
        queue.submit([encoder.finish()]);
        let slice = buffer.slice(..);
        let done = Arc::new(AtomicBool::new(false));
        let failed = Arc::new(AtomicBool::new(false));
        let (d, f) = (done.clone(), failed.clone());
        slice.map_async(wgpu::MapMode::Read, move |r| {
            f.store(r.is_err(), Ordering::Release);
            d.store(true, Ordering::Release);
        });
        wait_for(device, &done, self.idle).await;
        if failed.load(Ordering::Acquire) {
            return Err(RenderError::Readback("the read-back buffer could not be mapped".into()));
        }
        let mapped = slice.get_mapped_range().map_err(|e| RenderError::Readback(e.to_string()))?;
        let mut out = Vec::with_capacity((width * height * 4) as usize);
        for row in mapped.chunks(padded as usize).take(height as usize) {
            out.extend_from_slice(&row[..(width * 4) as usize]);
        }
        drop(mapped);
        buffer.unmap();
        Ok(out)
    }

    /// Waits until the GPU has finished everything submitted so far (for frame timing).
    pub async fn finish(&self, device: &wgpu::Device, queue: &wgpu::Queue) {
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        queue.on_submitted_work_done(move || d.store(true, Ordering::Release));
        wait_for(device, &done, self.idle).await;
    }

    /// Exports the view in `frame` as a `width`×`height` PNG (up to 8192 a side), rendered in
    /// tiles the device can hold and streamed into the encoder a strip at a time, with `legend`
    /// blended in at its pixel position when one is given.
    pub async fn export_png(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &Frame,
        width: u32,
        height: u32,
        legend: Option<(&LegendImage, [u32; 2])>,
    ) -> Result<Vec<u8>, RenderError> {
        let plan = TilePlan::new(width, height, self.max_texture_dimension.min(2048))?;
        let mut png = PngStrips::new(width, height)?;
        // An export may show more than the view (another aspect); it draws every edge.
        let view_edges = self.visible_edge_count.take();
        let result = self.export_strips(device, queue, frame, plan, &mut png, legend).await;
        self.visible_edge_count = view_edges;
        result?;
        png.finish()
    }

    async fn export_strips(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &Frame,
        plan: TilePlan,
        png: &mut PngStrips,
        legend: Option<(&LegendImage, [u32; 2])>,
    ) -> Result<(), RenderError> {
        let (width, height) = (plan.width(), plan.height());
        for strip in plan.strips() {
            let mut rows = vec![0u8; (width * strip.height * 4) as usize];
            for tile in plan.tiles_in(&strip) {
                let tile_frame = tile_frame(frame, width, height, &tile);
                let pixels = self.render_rgba(device, queue, &tile_frame, tile.width, tile.height).await?;
                for y in 0..tile.height as usize {
                    let dst = (y * width as usize + tile.x as usize) * 4;
                    let src = y * tile.width as usize * 4;
                    rows[dst..dst + tile.width as usize * 4]
                        .copy_from_slice(&pixels[src..src + tile.width as usize * 4]);
                }
            }
            if let Some((image, at)) = legend {
                image.composite(&mut rows, width, strip.y, at);
            }
            png.push_rows(&rows)?;
        }
        Ok(())
    }
}

/// Polls `device` until `done` is set: blocking natively, letting the event loop run (`idle`)
/// between polls on the web.
async fn wait_for(device: &wgpu::Device, done: &AtomicBool, idle: Idle) {
    while !done.load(Ordering::Acquire) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            // A failed poll shows as `done` never being set, which the caller reports.
            device.poll(wgpu::PollType::wait_indefinitely()).ok();
            let _ = idle;
        }
        #[cfg(target_arch = "wasm32")]
        {
            // WebGL2 fences are only checked by polling; WebGPU resolves on the event loop.
            device.poll(wgpu::PollType::Poll).ok();
            if !done.load(Ordering::Acquire) {
                idle().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_uniform_matches_its_wgsl_mirror() {
        let module = naga::front::wgsl::parse_str(GRAPH_WGSL).expect("the shader parses");
        let (members, span) = module
            .types
            .iter()
            .find_map(|(_, t)| match (&t.name, &t.inner) {
                (Some(name), naga::TypeInner::Struct { members, span }) if name == "View" => Some((members, *span)),
                _ => None,
            })
            .expect("struct View in common.wgsl");
        assert_eq!(span as usize, size_of::<ViewUniform>(), "sizes differ");
        for m in members {
            let rust = match m.name.as_deref().unwrap_or_default() {
                "center" => std::mem::offset_of!(ViewUniform, center),
                "viewport" => std::mem::offset_of!(ViewUniform, viewport),
                "scale" => std::mem::offset_of!(ViewUniform, scale),
                "node_px" => std::mem::offset_of!(ViewUniform, node_px),
                "edge_px" => std::mem::offset_of!(ViewUniform, edge_px),
                "highlight" => std::mem::offset_of!(ViewUniform, highlight),
                "srgb_target" => std::mem::offset_of!(ViewUniform, srgb_target),
                "detail_edges" => std::mem::offset_of!(ViewUniform, detail_edges),
                "detail_nodes" => std::mem::offset_of!(ViewUniform, detail_nodes),
                "aggregates" => std::mem::offset_of!(ViewUniform, aggregates),
                "label_scale" => std::mem::offset_of!(ViewUniform, label_scale),
                "arrows" => std::mem::offset_of!(ViewUniform, arrows),
                "_pad0" => std::mem::offset_of!(ViewUniform, pad),
                "_pad1" => std::mem::offset_of!(ViewUniform, pad) + 4,
                "cull" => std::mem::offset_of!(ViewUniform, cull),
                other => panic!("WGSL member {other} has no Rust mirror"),
            };
            assert_eq!(m.offset as usize, rust, "offset of {:?}", m.name);
        }
    }
}
