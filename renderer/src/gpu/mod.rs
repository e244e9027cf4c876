//! The wgpu half of the renderer, for any device: pipelines, scene buffers, one frame's draw calls
//! (graph, labels, overlays, minimap), off-screen rendering with read-back, and tiled PNG export.
//! The browser glue (`web.rs`) and the native harness (`headless.rs`) supply a device, a target,
//! and how to wait for the GPU without blocking ([`Idle`]); this file knows neither.

use wgpu::util::DeviceExt;

use crate::camera::{Bounds, Camera};
use crate::frame::{DrawOptions, RenderError, VIEW_MARGIN_PX};
use crate::gpu_bits::EdgeStyleBits;
use crate::labels::{FontAtlas, GlyphInstance};
use crate::overlay::OverlayVertex;
use crate::passes::PassSelection;
use crate::scene::{EdgeInstance, NODE_TEXTURE_WIDTH, NodeInstance, Scene};
use crate::shaders::{GRAPH_WGSL, LAYER_WGSL, OVERLAY_WGSL, TEXT_WGSL};
use crate::style::Rgba;

mod draw;
mod picture;
mod pipelines;
mod readback;

pub use picture::PICTURE_FROM_INSTANCES;

use pipelines::{Pipelines, texture_entry};

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

/// Uniform slots per frame (main view, minimap, the picture cache's view), each at the 256-byte dynamic-offset alignment.
const SLOT: u64 = 256;
const SLOTS: u64 = 3;

const MINIMAP_BACKGROUND: Rgba = Rgba::new(0x10, 0x13, 0x18, 0xe8);
const MINIMAP_FRAME: Rgba = Rgba::new(0xff, 0xd0, 0x50, 0xff);

fn flag(on: bool) -> f32 {
    if on { 1.0 } else { 0.0 }
}

impl ViewUniform {
    fn new(camera: &Camera, options: &DrawOptions, srgb_target: bool, label_scale: f32, cull: Option<Bounds>) -> Self {
        let cull = cull.unwrap_or_else(|| camera.with_margin(VIEW_MARGIN_PX).visible());
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
    /// Some edge uploaded is dashed: the edge pass needs the pattern's fragment work.
    dashed: bool,
    rows: u32,
}

/// Node and edge instance buffers: drawn from, rewritten on a style change.
const INSTANCE_USAGE: wgpu::BufferUsages = wgpu::BufferUsages::VERTEX.union(wgpu::BufferUsages::COPY_DST);

/// Overlay vertices of a frame: the main view's come first, then the minimap's.
#[derive(Clone, Copy)]
struct OverlayRanges {
    main: u32,
    total: u32,
}

impl OverlayRanges {
    const NONE: Self = Self { main: 0, total: 0 };
}

/// Node and edge instances are both 16 bytes: the byte range of `count` of them from `from`.
fn instance_range(from: u32, count: u32) -> std::ops::Range<u64> {
    u64::from(from) * 16..u64::from(from + count) * 16
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
    selection: PassSelection,
    layer_shader: wgpu::ShaderModule,
    picture_layout: wgpu::BindGroupLayout,
    /// The picture cache's shift, a vertex attribute of its one quad.
    picture_shift: wgpu::Buffer,
    picture: Option<picture::Picture>,
    /// Bumped by every upload or update of what the picture cache holds.
    generation: u64,
    /// How the last frame drew the graph.
    last_picture: PictureUse,
    /// What the last frame big enough for the picture cache looked like (see `Painter::wants_picture`).
    last_look: Option<picture::PictureKey>,
}

/// How a frame drew the graph's edges and nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureUse {
    /// Directly onto the target (a small graph, an export, a bench's selection).
    Direct,
    /// Into the picture cache, then copied.
    Drawn,
    /// Copied from the picture cache drawn for an earlier frame.
    Reused,
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
            selection: PassSelection::ALL,
            layer_shader: shader("layer.wgsl", LAYER_WGSL),
            picture_layout: device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some("picture"),
                entries: &[texture_entry(0, wgpu::ShaderStages::FRAGMENT, false)],
            }),
            picture_shift: device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("picture shift"),
                size: 16,
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }),
            picture: None,
            generation: 0,
            last_picture: PictureUse::Direct,
            last_look: None,
        }
    }

    /// Uploads a scene, replacing the previous one; on error the previous one stays.
    pub fn upload(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, scene: &Scene) -> Result<(), RenderError> {
        self.upload_nodes(device, queue, scene)?;
        self.upload_edges(device, scene);
        Ok(())
    }

    /// The first step of an upload: the node data, the nodes and the module aggregates, replacing
    /// the previous scene with no edges yet, so a first picture can be drawn before the edges
    /// (the bulk of a big graph's bytes) are uploaded by [`Painter::upload_edges`]. On error the
    /// previous scene stays.
    pub fn upload_nodes(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        scene: &Scene,
    ) -> Result<(), RenderError> {
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
        // Aggregates follow the graph's own instances in the same buffer; empty buffers are
        // invalid, so a zeroed instance stands in and is never drawn.
        let mut nodes: Vec<NodeInstance> = Vec::with_capacity(scene.nodes.len() + scene.aggregates.nodes.len() + 1);
        nodes.extend_from_slice(&scene.nodes);
        nodes.extend_from_slice(&scene.aggregates.nodes);
        if nodes.is_empty() {
            nodes.push(NodeInstance::default());
        }
        let nodes_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("node instances"),
            contents: bytemuck::cast_slice(&nodes),
            usage: INSTANCE_USAGE,
        });
        self.generation += 1;
        self.scene = Some(SceneBuffers {
            node_texture,
            bind_group,
            nodes: nodes_buffer,
            edges: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("no edges yet"),
                contents: bytemuck::bytes_of(&EdgeInstance::default()),
                usage: INSTANCE_USAGE,
            }),
            node_count: scene.nodes.len() as u32,
            aggregate_nodes: scene.aggregates.nodes.len() as u32,
            edge_count: 0,
            aggregate_edges: 0,
            straight_aggregate_edges: 0,
            dashed: false,
            rows,
        });
        self.update_node_data(queue, scene);
        Ok(())
    }

    /// The second step of an upload: the scene's edges, routed segments and module edges, after
    /// [`Painter::upload_nodes`] of the same scene.
    pub fn upload_edges(&mut self, device: &wgpu::Device, scene: &Scene) {
        self.generation += 1;
        let Some(buffers) = &mut self.scene else { return };
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
        if edges.is_empty() {
            // Empty buffers are invalid: a zeroed instance stands in and is never drawn.
            edges.push(EdgeInstance::default());
        }
        buffers.edges = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("edge instances"),
            contents: bytemuck::cast_slice(&edges),
            usage: INSTANCE_USAGE,
        });
        buffers.edge_count = (scene.edges.len() + routed.len()) as u32;
        buffers.aggregate_edges = aggregate.len() as u32;
        buffers.straight_aggregate_edges = straight.len() as u32;
        buffers.dashed = edges.iter().any(|e| e.style & EdgeStyleBits::DASHED != 0);
    }

    /// Re-uploads positions, flags and sizes (16 bytes a node), for animation and highlighting,
    /// and takes the scene's hull triangles, which follow positions.
    pub fn update_node_data(&mut self, queue: &wgpu::Queue, scene: &Scene) {
        self.generation += 1;
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
        if let Some(b) = &self.scene {
            if scene.nodes.len() as u32 == b.node_count && !scene.nodes.is_empty() {
                queue.write_buffer(&b.nodes, 0, bytemuck::cast_slice(&scene.nodes));
            }
            // Before the second step of an upload there are no edges to restyle: it uploads them as they are.
            if (scene.edges.len() + scene.route_segments().len()) as u32 == b.edge_count && b.edge_count > 0 {
                if !scene.edges.is_empty() {
                    queue.write_buffer(&b.edges, 0, bytemuck::cast_slice(&scene.edges));
                }
                if !scene.route_segments().is_empty() {
                    let offset = (scene.edges.len() * size_of::<EdgeInstance>()) as u64;
                    queue.write_buffer(&b.edges, offset, bytemuck::cast_slice(scene.route_segments()));
                }
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
        // A new visible-edge list needs no new picture: the picture was drawn with the list of its
        // own view and margin, which holds every edge a pan within the margin shows.
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
            + self.picture_bytes()
    }

    /// GPU bytes of the picture cache (one texture the size of the view and its margin), 0 before
    /// a big graph is drawn; counted in [`Painter::gpu_bytes`] too.
    #[must_use]
    pub fn picture_bytes(&self) -> u64 {
        self.picture.as_ref().map_or(0, picture::Picture::bytes)
    }

    /// Draws only `selection` of each frame from now on (the render bench's per-pass timing).
    pub fn select_passes(&mut self, selection: PassSelection) {
        self.selection = selection;
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
