//! GPU text: a signed-distance-field glyph atlas made once from the bundled font, and label
//! placement that never overlaps and puts the selection, search hits and high-degree nodes first.

use bytemuck::{Pod, Zeroable};
use isg::{Graph, NodeId};

use crate::camera::Camera;
use crate::gpu_bits::NodeFlagsGpu;
use crate::lod::Detail;
use crate::module_map::ShownContainer;
use crate::scene::Scene;
use crate::style::{Overlay, Rgba};

/// The bundled font: DejaVu Sans Mono (Bitstream Vera licence, see `assets/`).
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSansMono.ttf");

/// Pixel size glyphs are rasterised at; the SDF keeps them sharp well above and below it.
pub const ATLAS_PX: f32 = 32.0;
/// Distance-field reach in atlas pixels, either side of the outline.
const SPREAD: usize = 4;
/// Atlas width in texels.
const ATLAS_WIDTH: usize = 512;
/// First and last characters in the atlas; anything else is drawn as `?`.
const FIRST_CHAR: u8 = b' ';
const LAST_CHAR: u8 = b'~';

/// Why the font could not be prepared.
#[derive(Debug, thiserror::Error)]
#[error("the bundled label font could not be read: {0}")]
pub struct FontError(String);

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct GlyphMetrics {
    /// Texel rectangle in the atlas.
    uv: [f32; 4],
    /// Top-left of the glyph box relative to the pen on the baseline, at [`ATLAS_PX`] (y down).
    offset: [f32; 2],
    /// Glyph box size at [`ATLAS_PX`].
    size: [f32; 2],
}

/// The signed-distance atlas: one channel, 0.5 on the outline, higher inside.
#[derive(Clone, Debug)]
pub struct FontAtlas {
    /// Width in texels.
    pub width: u32,
    /// Height in texels.
    pub height: u32,
    /// Distance values, row-major.
    pub pixels: Vec<u8>,
    glyphs: Vec<GlyphMetrics>,
    advance: f32,
    ascent: f32,
}

/// One glyph quad on the GPU: 48 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct GlyphInstance {
    /// World position the label hangs from.
    pub anchor: [f32; 2],
    /// Top-left of the glyph relative to the anchor's screen point, in pixels at 1× scale.
    pub offset: [f32; 2],
    /// Glyph size in pixels at 1× scale.
    pub size: [f32; 2],
    /// Atlas rectangle, normalised: min x, min y, max x, max y.
    pub uv: [f32; 4],
    /// `0xRRGGBBAA`.
    pub color: u32,
    /// Keeps the stride at 48 bytes.
    pub pad: u32,
}

/// A label chosen for the screen.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    /// World position it hangs from.
    pub anchor: [f32; 2],
    /// Top-left of the text box relative to the anchor's screen point, in pixels.
    pub offset: [f32; 2],
    /// The text.
    pub text: String,
    /// Font size in pixels.
    pub px: f32,
    /// Text colour.
    pub color: Rgba,
    /// The node labelled, if it is one.
    pub node: Option<u32>,
}

/// Placement parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelOptions {
    /// Font size in device pixels.
    pub font_px: f32,
    /// Labels kept at most.
    pub max_labels: usize,
    /// Candidates examined at most, so placement time is bounded on huge graphs.
    pub max_candidates: usize,
    /// Characters kept of a long name.
    pub max_chars: usize,
}

impl Default for LabelOptions {
    fn default() -> Self {
        Self { font_px: 12.0, max_labels: 4000, max_candidates: 60_000, max_chars: crate::style::MAX_LABEL_CHARS }
    }
}

fn char_index(c: char) -> usize {
    let b = if c.is_ascii() && (FIRST_CHAR..=LAST_CHAR).contains(&(c as u8)) { c as u8 } else { b'?' };
    usize::from(b - FIRST_CHAR)
}

/// Signed distance field of a coverage bitmap: for each texel, the distance to the nearest texel
/// on the other side of the outline, searched within `SPREAD`.
fn distance_field(coverage: &[u8], w: usize, h: usize) -> Vec<u8> {
    let inside = |x: isize, y: isize| -> bool {
        x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h && coverage[y as usize * w + x as usize] >= 128
    };
    let r = SPREAD as isize;
    let mut out = vec![0u8; w * h];
    for y in 0..h as isize {
        for x in 0..w as isize {
            let me = inside(x, y);
            let mut best = (r * r + r * r) as f32;
            for dy in -r..=r {
                for dx in -r..=r {
                    if inside(x + dx, y + dy) != me {
                        best = best.min((dx * dx + dy * dy) as f32);
                    }
                }
            }
            // Distance to the boundary lies half a texel short of the nearest opposite texel.
            let d = (best.sqrt() - 0.5).max(0.0);
            let signed = if me { d } else { -d };
            out[y as usize * w + x as usize] = ((0.5 + signed / (2.0 * SPREAD as f32)).clamp(0.0, 1.0) * 255.0) as u8;
        }
    }
    out
}

/// The bundled font (DejaVu Sans Mono), for the label atlas and the legend.
pub(crate) fn bundled_font() -> Result<fontdue::Font, FontError> {
    fontdue::Font::from_bytes(FONT, fontdue::FontSettings::default()).map_err(|e| FontError(e.into()))
}

impl FontAtlas {
    /// Rasterises the printable ASCII range into a distance-field atlas.
    pub fn new() -> Result<Self, FontError> {
        let font = bundled_font()?;
        let line = font.horizontal_line_metrics(ATLAS_PX).ok_or_else(|| FontError("no horizontal metrics".into()))?;
        let pad = SPREAD + 1;
        let mut rows: Vec<u8> = Vec::new();
        let mut glyphs = Vec::new();
        let (mut x, mut y, mut row_h) = (0usize, 0usize, 0usize);
        let mut placed = Vec::new();
        let mut advance: f32 = 0.0;
        for c in FIRST_CHAR..=LAST_CHAR {
            let (m, coverage) = font.rasterize(c as char, ATLAS_PX);
            advance = advance.max(m.advance_width);
            let (w, h) = (m.width + 2 * pad, m.height + 2 * pad);
            let mut padded = vec![0u8; w * h];
            for gy in 0..m.height {
                padded[(gy + pad) * w + pad..(gy + pad) * w + pad + m.width]
                    .copy_from_slice(&coverage[gy * m.width..(gy + 1) * m.width]);
            }
            if x + w > ATLAS_WIDTH {
                x = 0;
                y += row_h;
                row_h = 0;
            }
            placed.push((x, y, w, h, distance_field(&padded, w, h)));
            // fontdue's ymin is the bottom of the box above the baseline; our y grows downwards.
            let top = -(m.ymin as f32 + m.height as f32) - pad as f32;
            glyphs.push(GlyphMetrics {
                uv: [x as f32, y as f32, (x + w) as f32, (y + h) as f32],
                offset: [m.xmin as f32 - pad as f32, top],
                size: [w as f32, h as f32],
            });
            x += w;
            row_h = row_h.max(h);
        }
        let height = (y + row_h).next_power_of_two();
        rows.resize(ATLAS_WIDTH * height, 0);
        for (px, py, w, h, field) in placed {
            for gy in 0..h {
                rows[(py + gy) * ATLAS_WIDTH + px..(py + gy) * ATLAS_WIDTH + px + w]
                    .copy_from_slice(&field[gy * w..(gy + 1) * w]);
            }
        }
        for g in &mut glyphs {
            g.uv = [
                g.uv[0] / ATLAS_WIDTH as f32,
                g.uv[1] / height as f32,
                g.uv[2] / ATLAS_WIDTH as f32,
                g.uv[3] / height as f32,
            ];
        }
        Ok(Self {
            width: ATLAS_WIDTH as u32,
            height: height as u32,
            pixels: rows,
            glyphs,
            advance,
            ascent: line.ascent,
        })
    }

    /// Width of `text` in pixels at font size `px`: its longest line's.
    #[must_use]
    pub fn text_width(&self, text: &str, px: f32) -> f32 {
        text.split('\n').map(|l| l.chars().count()).max().unwrap_or(0) as f32 * self.advance * px / ATLAS_PX
    }

    /// Height of a line at font size `px`.
    #[must_use]
    pub fn line_height(px: f32) -> f32 {
        px * 1.2
    }

    /// Appends the glyph quads for `labels` to `out`.
    pub fn glyphs(&self, labels: &[PlacedLabel], out: &mut Vec<GlyphInstance>) {
        for l in labels {
            let k = l.px / ATLAS_PX;
            let mut pen = l.offset[0];
            let mut baseline = l.offset[1] + self.ascent * k;
            for c in l.text.chars() {
                if c == '\n' {
                    pen = l.offset[0];
                    baseline += Self::line_height(l.px);
                    continue;
                }
                if c != ' ' {
                    let g = self.glyphs[char_index(c)];
                    out.push(GlyphInstance {
                        anchor: l.anchor,
                        offset: [pen + g.offset[0] * k, baseline + g.offset[1] * k],
                        size: [g.size[0] * k, g.size[1] * k],
                        uv: g.uv,
                        color: l.color.0,
                        pad: 0,
                    });
                }
                pen += self.advance * k;
            }
        }
    }
}

/// Screen occupancy at 4-pixel resolution, for overlap tests.
struct Occupancy {
    cols: usize,
    rows: usize,
    cells: Vec<bool>,
}

const CELL_PX: f32 = 4.0;

impl Occupancy {
    fn new(viewport: [f32; 2]) -> Self {
        let cols = (viewport[0] / CELL_PX).ceil().max(1.0) as usize;
        let rows = (viewport[1] / CELL_PX).ceil().max(1.0) as usize;
        Self { cols, rows, cells: vec![false; cols * rows] }
    }

    fn span(&self, lo: [f32; 2], hi: [f32; 2]) -> Option<(usize, usize, usize, usize)> {
        if lo[0] < 0.0 || lo[1] < 0.0 {
            return None;
        }
        let (c0, r0) = ((lo[0] / CELL_PX) as usize, (lo[1] / CELL_PX) as usize);
        let (c1, r1) = ((hi[0] / CELL_PX) as usize, (hi[1] / CELL_PX) as usize);
        (c1 < self.cols && r1 < self.rows).then_some((c0, r0, c1, r1))
    }

    /// Claims the rectangle if it is on screen and free.
    fn claim(&mut self, lo: [f32; 2], hi: [f32; 2]) -> bool {
        let Some((c0, r0, c1, r1)) = self.span(lo, hi) else { return false };
        for r in r0..=r1 {
            if self.cells[r * self.cols + c0..=r * self.cols + c1].iter().any(|&c| c) {
                return false;
            }
        }
        for r in r0..=r1 {
            self.cells[r * self.cols + c0..=r * self.cols + c1].fill(true);
        }
        true
    }
}

/// Cuts each line of `text` to `max` characters, marking the cut with an ellipsis.
fn truncate(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 2));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.chars().count() <= max {
            out.push_str(line);
        } else {
            out.extend(line.chars().take(max.saturating_sub(1)));
            out.push('…');
        }
    }
    out
}

/// Folder names every crate has, which say nothing without their crate's name.
pub const GENERIC_FOLDERS: [&str; 6] = ["src", "tests", "benches", "examples", "lib", "bin"];

/// The short name of a module path: its last folder, with its parent when that folder is a
/// conventional one (`src`, `tests`…) that would read the same for every crate.
#[must_use]
pub fn module_label(path: &str) -> &str {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return "(root)";
    }
    let mut cuts = path.rmatch_indices('/').map(|(i, _)| i);
    let last = cuts.next().map_or(0, |i| i + 1);
    if GENERIC_FOLDERS.contains(&&path[last..]) {
        return cuts.next().map_or(path, |i| &path[i + 1..]);
    }
    &path[last..]
}

const NODE_LABEL: Rgba = Rgba::new(0xe6, 0xea, 0xf0, 0xff);
const HIGHLIGHT_LABEL: Rgba = Rgba::new(0xff, 0xe0, 0x70, 0xff);
const GROUP_LABEL: Rgba = Rgba::new(0xb8, 0xd8, 0xb8, 0xff);

/// With the module map on, items are named only in files at least this big on screen (radius,
/// device pixels): far out the map reads as crates and folders, closer as files, then items.
const ITEM_LABELS_FROM_FILE_PX: f32 = 90.0;

/// Containers smaller than this on screen (radius, device pixels) go unnamed.
const CONTAINER_LABEL_MIN_PX: f32 = 18.0;

/// Where a container's name goes: centred just inside the top of its ring, or, when that top is
/// above the view, at the top of the view while the container still covers it (a sticky header).
fn container_label_anchor(shown: &ShownContainer, camera: &Camera, line: f32, width: f32) -> Option<[f32; 2]> {
    let [w, h] = camera.viewport;
    let margin = 4.0;
    let y = (shown.centre_px[1] - shown.radius_px + line * 0.5 + margin).max(line * 0.5 + margin);
    let x = shown.centre_px[0].clamp(width * 0.5 + margin, (w - width * 0.5 - margin).max(width * 0.5 + margin));
    // Inside the circle when the chord at that height holds the name; else a caption just above
    // the ring (names of small crates are often wider than their circle).
    let dy = (y - shown.centre_px[1]).abs() + line * 0.5;
    let half_chord = (shown.radius_px * shown.radius_px - dy * dy).max(0.0).sqrt();
    if (x - shown.centre_px[0]).abs() + width * 0.5 <= half_chord {
        return (y < h).then(|| camera.screen_to_world([x, y]));
    }
    let above = shown.centre_px[1] - shown.radius_px - line * 0.5 - 2.0;
    (above > line * 0.5 && above < h).then(|| camera.screen_to_world([shown.centre_px[0], above]))
}

fn container_label_color(level: u16) -> Rgba {
    match level {
        0 => Rgba::new(0xd6, 0xe2, 0xf8, 0xff),
        1 => Rgba::new(0xb8, 0xc8, 0xe4, 0xff),
        _ => Rgba::new(0x9c, 0xac, 0xc8, 0xff),
    }
}

/// Chooses labels for the view: annotations, hull captions, the names of the module containers
/// shown (outermost first), module names of the aggregates when zoomed out and no container is
/// shown, then highlighted nodes, then nodes by degree, each kept only where it overlaps no
/// earlier label.
#[must_use]
pub fn place_labels(
    scene: &Scene,
    graph: &Graph,
    camera: &Camera,
    detail: &Detail,
    atlas: &FontAtlas,
    options: &LabelOptions,
    containers: &[ShownContainer],
) -> Vec<PlacedLabel> {
    let mut occupied = Occupancy::new(camera.viewport);
    let mut out = Vec::new();
    let px = options.font_px;
    let text_of = |i: u32| scene.labels.get(&i).map_or_else(|| graph.name(NodeId(i)), String::as_str);

    // A box's label is its content, drawn inside it at the size that fits, before anything else.
    let [w, h] = camera.viewport;
    for &i in &scene.boxes {
        let idx = i as usize;
        let Some(aspect) = scene.box_aspect(idx) else { continue };
        if scene.is_hidden(idx) || out.len() >= options.max_labels {
            continue;
        }
        let s = camera.world_to_screen(scene.position(idx));
        let box_h = scene.drawn_px(idx, camera, 4.0);
        if s[0] + box_h * aspect < 0.0 || s[1] + box_h < 0.0 || s[0] - box_h * aspect > w || s[1] - box_h > h {
            continue;
        }
        let text = truncate(text_of(i), options.max_chars);
        let lines = text.split('\n').count() as f32;
        let fit = (box_h * 0.8 / (lines * 1.2)).min(box_h * aspect * 0.85 / atlas.text_width(&text, 1.0).max(1e-3));
        let box_px = fit.min(options.font_px * 1.5);
        if box_px < 5.0 {
            continue;
        }
        let (tw, th) = (atlas.text_width(&text, box_px), FontAtlas::line_height(box_px) * lines);
        let offset = [-tw * 0.5, -th * 0.5];
        occupied.claim(
            [s[0] - box_h * aspect * 0.5, s[1] - box_h * 0.5],
            [s[0] + box_h * aspect * 0.5, s[1] + box_h * 0.5],
        );
        out.push(PlacedLabel {
            anchor: scene.position(idx),
            offset,
            text,
            px: box_px,
            color: NODE_LABEL,
            node: Some(i),
        });
    }

    let mut try_place = |out: &mut Vec<PlacedLabel>,
                         anchor: [f32; 2],
                         text: &str,
                         dx: f32,
                         centred: bool,
                         color: Rgba,
                         node: Option<u32>,
                         px: f32|
     -> bool {
        if out.len() >= options.max_labels {
            return false;
        }
        let text = truncate(text, options.max_chars);
        let width = atlas.text_width(&text, px);
        let height = FontAtlas::line_height(px) * text.split('\n').count() as f32;
        let s = camera.world_to_screen(anchor);
        // A node's name goes right of it, else left, above or below: dense files keep more names.
        let beside =
            [[dx, -height * 0.5], [-dx - width, -height * 0.5], [-width * 0.5, -dx - height], [-width * 0.5, dx]];
        let centre = [[-width * 0.5, -height * 0.5]];
        let offsets: &[[f32; 2]] = if centred { &centre } else { &beside };
        for &offset in offsets {
            let lo = [s[0] + offset[0], s[1] + offset[1]];
            if occupied.claim(lo, [lo[0] + width, lo[1] + height]) {
                out.push(PlacedLabel { anchor, offset, text, px, color, node });
                return true;
            }
        }
        false
    };
    let node_dx = |i: usize| scene.drawn_px(i, camera, 4.0) * 0.5 + 3.0;
    for o in &scene.overlays {
        if let Overlay::Annotation { node, text, color } = o
            && !scene.is_hidden(*node as usize)
        {
            try_place(
                &mut out,
                scene.position(*node as usize),
                text,
                node_dx(*node as usize),
                false,
                *color,
                Some(*node),
                px,
            );
        }
    }
    for o in &scene.overlays {
        if let Overlay::Hull { nodes, label: Some(text), color } = o {
            let b = scene.bounds_of(nodes);
            let top = [(b.min[0] + b.max[0]) * 0.5, b.min[1] - scene.spacing()];
            try_place(&mut out, top, text, 0.0, true, color.with_alpha(0xff), None, px);
        }
    }
    // Container names, outermost first: far out the crates, closer the folders, then the files.
    for shown in containers {
        let name = scene.outlines.name(shown.index);
        let size = px * if shown.level == 0 { 1.25 } else { 1.0 };
        let width = atlas.text_width(&truncate(name, options.max_chars), size);
        // Crates may caption wider than their circle; deeper names stay near theirs.
        let widest = shown.radius_px * if shown.level == 0 { 6.0 } else { 3.0 };
        if shown.radius_px < CONTAINER_LABEL_MIN_PX || width > widest {
            continue;
        }
        if let Some(anchor) = container_label_anchor(shown, camera, FontAtlas::line_height(size), width) {
            try_place(&mut out, anchor, name, 0.0, true, container_label_color(shown.level), None, size);
        }
    }
    if detail.aggregates > 0.5 && containers.is_empty() {
        let agg = &scene.aggregates;
        let mut order: Vec<usize> = (0..agg.len()).collect();
        order.sort_by_key(|&g| std::cmp::Reverse(agg.sizes[g]));
        for g in order {
            let d = scene.node_data[scene.node_count() + g];
            if (d[2] as u32) & NodeFlagsGpu::HIDDEN == 0 {
                try_place(&mut out, [d[0], d[1]], module_label(&agg.names[g]), 0.0, true, GROUP_LABEL, None, px);
            }
        }
    }
    for &i in &scene.highlighted {
        if !scene.is_hidden(i as usize) && scene.box_aspect(i as usize).is_none() {
            try_place(
                &mut out,
                scene.position(i as usize),
                text_of(i),
                node_dx(i as usize),
                false,
                HIGHLIGHT_LABEL,
                Some(i),
                px,
            );
        }
    }
    if detail.nodes < 0.6 {
        return out;
    }
    let mut examined = 0;
    for &i in &scene.by_degree {
        if out.len() >= options.max_labels || examined >= options.max_candidates {
            break;
        }
        let idx = i as usize;
        if scene.is_hidden(idx) || scene.flags(idx) & NodeFlagsGpu::HIGHLIGHTS != 0 || scene.box_aspect(idx).is_some() {
            continue;
        }
        let s = camera.world_to_screen(scene.position(idx));
        if s[0] < 0.0 || s[1] < 0.0 || s[0] > w || s[1] > h {
            continue;
        }
        examined += 1;
        // With the module map on, an item is named once its file is big enough to read as a file.
        let file_small = !containers.is_empty()
            && scene
                .outlines
                .container_of(idx)
                .is_some_and(|c| scene.outlines.containers()[c].radius * camera.scale < ITEM_LABELS_FROM_FILE_PX);
        if file_small {
            continue;
        }
        try_place(&mut out, scene.position(idx), text_of(i), node_dx(idx), false, NODE_LABEL, Some(i), px);
    }
    out
}

/// Asserts that no two `labels` overlap on screen through `camera` and all lie inside `viewport`:
/// the label placer's promise, checked by its tests and the view's.
#[cfg(test)]
pub(crate) fn assert_labels_apart(labels: &[PlacedLabel], camera: &Camera, atlas: &FontAtlas) {
    let rects: Vec<([f32; 2], [f32; 2])> = labels
        .iter()
        .map(|l| {
            let s = camera.world_to_screen(l.anchor);
            let lo = [s[0] + l.offset[0], s[1] + l.offset[1]];
            let lines = l.text.split('\n').count() as f32;
            (lo, [lo[0] + atlas.text_width(&l.text, l.px), lo[1] + FontAtlas::line_height(l.px) * lines])
        })
        .collect();
    let [w, h] = camera.viewport;
    for (i, a) in rects.iter().enumerate() {
        assert!(a.0[0] >= 0.0 && a.1[0] <= w && a.0[1] >= 0.0 && a.1[1] <= h, "{a:?} is off screen");
        for b in &rects[i + 1..] {
            let apart = a.1[0] <= b.0[0] || b.1[0] <= a.0[0] || a.1[1] <= b.0[1] || b.1[1] <= a.0[1];
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
}

#[cfg(test)]
mod tests;
