//! The render pipelines a painter draws with, one set per target colour format.

use super::Painter;
use crate::labels::GlyphInstance;
use crate::overlay::OverlayVertex;
use crate::scene::{EdgeInstance, NodeInstance};

pub(super) struct Pipelines {
    pub(super) format: wgpu::TextureFormat,
    pub(super) edge: wgpu::RenderPipeline,
    /// Edges without dashes: fewer values interpolated, no pattern work per fragment.
    pub(super) plain_edge: wgpu::RenderPipeline,
    pub(super) arrow: wgpu::RenderPipeline,
    pub(super) node: wgpu::RenderPipeline,
    pub(super) text: wgpu::RenderPipeline,
    pub(super) overlay: wgpu::RenderPipeline,
    pub(super) picture: wgpu::RenderPipeline,
}

/// A 2D float texture binding.
pub(super) fn texture_entry(
    binding: u32,
    visibility: wgpu::ShaderStages,
    filterable: bool,
) -> wgpu::BindGroupLayoutEntry {
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
    pub(super) fn pipelines_for(&mut self, device: &wgpu::Device, format: wgpu::TextureFormat) -> usize {
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
        let picture = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("picture"),
            bind_group_layouts: &[Some(&self.picture_layout)],
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
            plain_edge: make(
                "plain edges",
                &graph,
                &self.graph_shader,
                ("edge_plain_vs", "edge_plain_fs"),
                &edge_attrs,
                edge_stride,
                strip,
            ),
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
            picture: make(
                "picture",
                &picture,
                &self.layer_shader,
                ("layer_vs", "layer_fs"),
                &wgpu::vertex_attr_array![0 => Float32x2],
                (8, instance),
                strip,
            ),
        };
        self.pipelines.push(p);
        self.pipelines.len() - 1
    }
}
