//! One frame's draw calls: the view uniforms and overlay triangles written, then the graph pass by
//! pass (directly, or through the picture cache), labels, and the minimap in its own viewport.

use super::{MINIMAP_BACKGROUND, MINIMAP_FRAME, OverlayRanges, Painter, PictureUse, SLOT, ViewUniform, instance_range};
use crate::frame::{DrawOptions, Frame};
use crate::labels::GlyphInstance;
use crate::lod::{Detail, MIN_EDGE_OPACITY, MIN_PATTERN_OPACITY};
use crate::overlay::{rect_outline, rect_triangles};
use crate::passes::Passes;
use crate::style::Rgba;

impl Painter {
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
        let overlays = self.write_frame_data(device, queue, frame, srgb);
        let picture =
            self.wants_picture(frame, format).then(|| self.refresh_picture(device, queue, encoder, pi, frame));
        if picture.is_none() {
            self.last_picture = PictureUse::Direct;
        }
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
        if self.selection.vertex_only {
            pass.set_scissor_rect(0, 0, 1, 1);
        }
        match picture {
            Some(shift) => {
                self.draw_graph(&mut pass, pi, frame, overlays, Passes::HULLS, 0);
                self.draw_picture(&mut pass, pi, queue, shift);
                self.draw_graph(&mut pass, pi, frame, overlays, Passes::LABELS, 0);
            }
            None => self.draw_graph(&mut pass, pi, frame, overlays, Passes::ALL, 0),
        }
        if self.selection.passes.contains(Passes::MINIMAP) {
            self.draw_minimap(&mut pass, pi, frame, overlays);
        }
    }

    /// Writes the frame's view uniforms (main view, minimap) and its overlay triangles: module
    /// rings, hulls, then the minimap's background and frames.
    fn write_frame_data(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &Frame,
        srgb: bool,
    ) -> OverlayRanges {
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
        OverlayRanges { main: main_overlays, total: all_overlays.len() as u32 }
    }

    /// `passes` of the graph, as far as the level of detail and the selected passes ask, with the
    /// view uniform in `slot`.
    pub(super) fn draw_graph(
        &self,
        pass: &mut wgpu::RenderPass<'_>,
        pi: usize,
        frame: &Frame,
        overlays: OverlayRanges,
        passes: Passes,
        slot: u32,
    ) {
        let p = &self.pipelines[pi];
        let Some(s) = &self.scene else { return };
        let detail = frame.options.detail;
        let on = |which: Passes| passes.contains(which) && self.selection.passes.contains(which);
        // Dashes need per-fragment work; in a faint fog far out they do not show.
        let edge_pipeline = if s.dashed && detail.edges.max(detail.aggregates) >= MIN_PATTERN_OPACITY {
            &p.edge
        } else {
            &p.plain_edge
        };
        pass.set_bind_group(0, &s.bind_group, &[slot * SLOT as u32]);
        if overlays.main > 0
            && on(Passes::HULLS)
            && let Some(o) = &self.overlays.buffer
        {
            pass.set_pipeline(&p.overlay);
            pass.set_vertex_buffer(0, o.slice(..));
            pass.draw(0..overlays.main, 0..1);
        }
        // The edges to draw: the view's own list when zoomed in on a big graph, else all of them.
        let (edge_buffer, edge_slice, edge_count) = match (self.visible_edge_count, &self.visible_edges.buffer) {
            (Some(count), Some(b)) => (b, instance_range(0, count), count),
            (Some(_), None) => (&s.edges, 0..0, 0),
            (None, _) => (&s.edges, instance_range(0, s.edge_count), s.edge_count),
        };
        // Below 5% opacity the edge mesh is invisible: skipping it is what bounds the frame time
        // when a big graph is zoomed out.
        if edge_count > 0 && (detail.edges >= MIN_EDGE_OPACITY || frame.options.highlight) && on(Passes::EDGES) {
            pass.set_pipeline(edge_pipeline);
            pass.set_vertex_buffer(0, edge_buffer.slice(edge_slice.clone()));
            pass.draw(0..4, 0..edge_count);
        }
        if s.aggregate_edges > 0 && detail.aggregates > 0.003 && on(Passes::MODULE_EDGES) {
            let (first, count) = if detail.bundles || s.straight_aggregate_edges == 0 {
                (s.edge_count, s.aggregate_edges)
            } else {
                (s.edge_count + s.aggregate_edges, s.straight_aggregate_edges)
            };
            pass.set_pipeline(edge_pipeline);
            pass.set_vertex_buffer(0, s.edges.slice(instance_range(first, count)));
            pass.draw(0..4, 0..count);
        }
        if edge_count > 0 && detail.arrows && detail.edges >= MIN_EDGE_OPACITY && on(Passes::ARROWS) {
            pass.set_pipeline(&p.arrow);
            pass.set_vertex_buffer(0, edge_buffer.slice(edge_slice));
            pass.draw(0..3, 0..edge_count);
        }
        // The lighter picture (no individual nodes, aggregates instead) skips the node mesh.
        if s.node_count > 0 && (detail.nodes > 0.003 || frame.options.highlight) && on(Passes::NODES) {
            pass.set_pipeline(&p.node);
            pass.set_vertex_buffer(0, s.nodes.slice(instance_range(0, s.node_count)));
            pass.draw(0..4, 0..s.node_count);
        }
        if s.aggregate_nodes > 0 && detail.aggregates > 0.003 && on(Passes::AGGREGATES) {
            pass.set_pipeline(&p.node);
            pass.set_vertex_buffer(0, s.nodes.slice(instance_range(s.node_count, s.aggregate_nodes)));
            pass.draw(0..4, 0..s.aggregate_nodes);
        }
        if self.glyph_count > 0
            && on(Passes::LABELS)
            && let Some(gb) = &self.glyphs.buffer
        {
            pass.set_pipeline(&p.text);
            pass.set_bind_group(1, &self.text_bind, &[]);
            pass.set_vertex_buffer(0, gb.slice(..u64::from(self.glyph_count) * size_of::<GlyphInstance>() as u64));
            pass.draw(0..4, 0..self.glyph_count);
        }
    }

    /// The minimap in its corner: background, aggregates (or nodes), the view's frame.
    fn draw_minimap(&self, pass: &mut wgpu::RenderPass<'_>, pi: usize, frame: &Frame, overlays: OverlayRanges) {
        let p = &self.pipelines[pi];
        let (Some(s), Some(m), Some(o)) = (&self.scene, &frame.minimap, &self.overlays.buffer) else { return };
        let [x, y, w, h] = m.rect;
        let target_w = frame.camera.viewport[0];
        let target_h = frame.camera.viewport[1];
        if !(x >= 0.0 && y >= 0.0 && x + w <= target_w && y + h <= target_h && w >= 1.0 && h >= 1.0) {
            return;
        }
        pass.set_viewport(x, y, w, h, 0.0, 1.0);
        let (sw, sh) = if self.selection.vertex_only { (1, 1) } else { (w as u32, h as u32) };
        pass.set_scissor_rect(x as u32, y as u32, sw, sh);
        pass.set_bind_group(0, &s.bind_group, &[SLOT as u32]);
        pass.set_pipeline(&p.overlay);
        pass.set_vertex_buffer(0, o.slice(..));
        pass.draw(overlays.main..overlays.main + 6, 0..1);
        let (first, count) = if s.aggregate_nodes > 0 { (s.node_count, s.aggregate_nodes) } else { (0, s.node_count) };
        if count > 0 {
            pass.set_pipeline(&p.node);
            pass.set_vertex_buffer(0, s.nodes.slice(instance_range(first, count)));
            pass.draw(0..4, 0..count);
        }
        pass.set_pipeline(&p.overlay);
        pass.set_vertex_buffer(0, o.slice(..));
        pass.draw(overlays.main + 6..overlays.total, 0..1);
    }

    /// Compiles the pipelines for targets in `format` now (at start-up), rather than in the first
    /// frame drawn to one.
    pub fn warm_up(&mut self, device: &wgpu::Device, format: wgpu::TextureFormat) {
        self.pipelines_for(device, format);
    }

    /// How the last frame drew the graph: directly, or through the picture cache.
    #[must_use]
    pub fn last_picture(&self) -> PictureUse {
        self.last_picture
    }
}
