//! The picture cache: on a big graph, the edges, arrowheads, nodes and aggregates are drawn once
//! into a texture a margin larger than the view, and while the view only pans by whole pixels
//! within that margin (and nothing drawn in it changed) each frame copies the texture onto the
//! target instead of drawing them again. On a fill-limited GPU (a laptop's, a software
//! rasteriser) a frame of 50k edges costs seconds to draw and milliseconds to copy. Module rings,
//! hulls, labels and the minimap are still drawn every frame, over and under the copy in their
//! usual order; since premultiplied "over" is associative, the copy gives the picture drawing
//! would (up to rounding). The picture covers the view and [`VIEW_MARGIN_PX`] around it, the
//! margin edges are culled against whether a picture is drawn or not: a pan within the margin
//! shows the edges drawing anew would. A new look is drawn directly; the picture is drawn from the
//! second frame that looks the same, so a look that changes every frame costs nothing extra.

use super::{Painter, ViewUniform};
use crate::camera::Camera;
use crate::frame::{Frame, VIEW_MARGIN_PX};
use crate::passes::Passes;

/// Below this many instances drawn (edges, module edges and nodes) drawing is cheap enough: the
/// graph is drawn directly, every frame.
pub const PICTURE_FROM_INSTANCES: u32 = 12_000;

/// The passes the picture holds, contiguous in drawing order.
pub(super) const PICTURE_PASSES: Passes =
    Passes::EDGES.with(Passes::MODULE_EDGES).with(Passes::ARROWS).with(Passes::NODES).with(Passes::AGGREGATES);

/// How far a pan may be from whole pixels for the picture to be reused.
const WHOLE_PIXEL: f32 = 0.02;

/// What a picture was drawn with: reused only for the same.
#[derive(Clone, Copy, PartialEq)]
pub(super) struct PictureKey {
    /// The picture's view uniform with its centre and cull rectangle zeroed (they move with a pan).
    uniform: [u8; size_of::<ViewUniform>()],
    /// The painter's generation: every upload and update of what the picture shows bumps it.
    generation: u64,
    format: wgpu::TextureFormat,
}

/// The texture and what it holds.
pub(super) struct Picture {
    texture: wgpu::Texture,
    bind: wgpu::BindGroup,
    size: [u32; 2],
    format: wgpu::TextureFormat,
    drawn: Option<(PictureKey, [f32; 2])>,
}

impl Picture {
    /// GPU bytes held.
    pub(super) fn bytes(&self) -> u64 {
        u64::from(self.size[0]) * u64::from(self.size[1]) * 4
    }
}

impl Painter {
    /// Whether `frame` is drawn through the picture cache: many instances drawn, on screen (not an
    /// export's tile), every pass wanted and reuse allowed.
    pub(super) fn uses_picture(&self, frame: &Frame) -> bool {
        let Some(s) = &self.scene else { return false };
        let edges = self.visible_edge_count.unwrap_or(s.edge_count);
        self.selection.reuse
            && self.selection.passes == Passes::ALL
            && !self.selection.vertex_only
            && frame.cull.is_none()
            && edges + s.aggregate_edges + s.node_count + s.aggregate_nodes >= PICTURE_FROM_INSTANCES
    }

    /// Whether `frame` goes through the picture cache: it is big enough ([`Painter::uses_picture`])
    /// and either the picture held shows it, or the frame before looked the same (only the view's
    /// position may differ). A look that changes every frame (nodes gliding, a layout's positions
    /// streaming in) is drawn directly: a picture nobody copies would only add its own cost.
    pub(super) fn wants_picture(&mut self, frame: &Frame, format: wgpu::TextureFormat) -> bool {
        if !self.uses_picture(frame) {
            self.last_look = None;
            return false;
        }
        let key = self.picture_key(frame, format).1;
        let steady = self.last_look == Some(key);
        self.last_look = Some(key);
        steady || self.reusable_shift(&frame.camera.with_margin(VIEW_MARGIN_PX), key).is_some()
    }

    /// Makes sure the picture holds `frame`'s graph, drawing it again unless the one held only
    /// needs a whole-pixel shift within the margin; returns that shift (target pixel to texel).
    pub(super) fn refresh_picture(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        pi: usize,
        frame: &Frame,
    ) -> [f32; 2] {
        let camera = frame.camera.with_margin(VIEW_MARGIN_PX);
        let size = [camera.viewport[0].ceil() as u32, camera.viewport[1].ceil() as u32];
        let format = self.pipelines[pi].format;
        if self.picture.as_ref().is_none_or(|p| p.size != size || p.format != format) {
            self.picture = Some(self.new_picture(device, size, format));
        }
        let (uniform, key) = self.picture_key(frame, format);
        if let Some(shift) = self.reusable_shift(&camera, key) {
            self.last_picture = super::PictureUse::Reused;
            return shift;
        }
        let margin = VIEW_MARGIN_PX;
        queue.write_buffer(&self.view_buffer, 2 * super::SLOT, bytemuck::bytes_of(&uniform));
        let Some(picture) = &mut self.picture else { return [margin; 2] };
        let view = picture.texture.create_view(&wgpu::TextureViewDescriptor::default());
        picture.drawn = Some((key, camera.center));
        self.last_picture = super::PictureUse::Drawn;
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("picture"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        let picture_frame = Frame { camera, ..*frame };
        self.draw_graph(&mut pass, pi, &picture_frame, super::OverlayRanges::NONE, PICTURE_PASSES, 2);
        [margin; 2]
    }

    /// The picture's view uniform for `frame` and what a picture must have been drawn with to be
    /// reused for it.
    fn picture_key(&self, frame: &Frame, format: wgpu::TextureFormat) -> (ViewUniform, PictureKey) {
        let camera = frame.camera.with_margin(VIEW_MARGIN_PX);
        // Culled as drawing the frame directly culls: against the view and the margin, which the picture is.
        let uniform =
            ViewUniform::new(&camera, &frame.options, format.is_srgb(), frame.label_scale, Some(camera.visible()));
        let key = PictureKey {
            uniform: bytemuck::cast(ViewUniform { center: [0.0; 2], cull: [0.0; 4], ..uniform }),
            generation: self.generation,
            format,
        };
        (uniform, key)
    }

    /// The shift (target pixel to texel) at which the picture held shows `camera` (the frame's,
    /// with its margin), if it was drawn with `key` and the view only moved by whole pixels within
    /// the margin.
    fn reusable_shift(&self, camera: &Camera, key: PictureKey) -> Option<[f32; 2]> {
        let (drawn, centre) = self.picture.as_ref()?.drawn?;
        if drawn != key {
            return None;
        }
        let shift = [(camera.center[0] - centre[0]) * camera.scale, (camera.center[1] - centre[1]) * camera.scale];
        let whole = shift.map(|d| (d - d.round()).abs() <= WHOLE_PIXEL && d.round().abs() <= VIEW_MARGIN_PX);
        (whole[0] && whole[1]).then(|| [shift[0].round() + VIEW_MARGIN_PX, shift[1].round() + VIEW_MARGIN_PX])
    }

    /// Whether drawing `frame` into a target in `format` would copy the picture held rather than
    /// draw the graph: the core then prefers the full picture to the lighter one while the view
    /// pans.
    #[must_use]
    pub fn would_reuse_picture(&self, frame: &Frame, format: wgpu::TextureFormat) -> bool {
        self.uses_picture(frame)
            && self.picture.as_ref().is_some_and(|p| p.format == format)
            && self
                .reusable_shift(&frame.camera.with_margin(VIEW_MARGIN_PX), self.picture_key(frame, format).1)
                .is_some()
    }

    fn new_picture(&self, device: &wgpu::Device, size: [u32; 2], format: wgpu::TextureFormat) -> Picture {
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("picture"),
            size: wgpu::Extent3d { width: size[0], height: size[1], depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[],
        });
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("picture"),
            layout: &self.picture_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::TextureView(
                    &texture.create_view(&wgpu::TextureViewDescriptor::default()),
                ),
            }],
        });
        Picture { texture, bind, size, format, drawn: None }
    }

    /// Copies the picture onto the target with `shift` (one full-screen quad).
    pub(super) fn draw_picture(
        &self,
        pass: &mut wgpu::RenderPass<'_>,
        pi: usize,
        queue: &wgpu::Queue,
        shift: [f32; 2],
    ) {
        let Some(picture) = &self.picture else { return };
        queue.write_buffer(&self.picture_shift, 0, bytemuck::cast_slice(&shift));
        pass.set_pipeline(&self.pipelines[pi].picture);
        pass.set_bind_group(0, &picture.bind, &[]);
        pass.set_vertex_buffer(0, self.picture_shift.slice(..8));
        pass.draw(0..4, 0..1);
    }
}
