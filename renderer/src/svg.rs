//! SVG export of the view: what is on screen, in view pixels, as vector shapes and text. Edges
//! and nodes outside the view are left out; the level of detail is the one on screen.

use std::fmt::Write;

use isg::Graph;

use crate::frame::Frame;
use crate::gpu_bits::{EdgeStyleBits, NodeFlagsGpu, NodeInstanceBits, SPLIT_STUB_PX};
use crate::labels::{FontAtlas, PlacedLabel};
use crate::legend::Legend;
use crate::overlay::OverlayVertex;
use crate::scene::{EdgeInstance, NodeInstance, Scene};
use crate::style::{Rgba, Shape};

/// Edges written at most; a comment in the file says how many more were left out.
pub const MAX_SVG_EDGES: usize = 200_000;

/// Text as XML character data: markup escaped, control characters as spaces, and the
/// characters XML 1.0 does not allow at all (U+FFFE, U+FFFF) as U+FFFD, so any label a plugin
/// sets still makes a well-formed document.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn paint(c: Rgba, alpha: f32) -> String {
    format!("fill=\"{}\" fill-opacity=\"{:.3}\"", c.to_css_hex(), (c.alpha() * alpha).clamp(0.0, 1.0))
}

fn on_screen(a: [f32; 2], b: [f32; 2], w: f32, h: f32, margin: f32) -> bool {
    a[0].max(b[0]) >= -margin
        && a[0].min(b[0]) <= w + margin
        && a[1].max(b[1]) >= -margin
        && a[1].min(b[1]) <= h + margin
}

/// The view as an SVG document, with the legend (and its scale in device pixels per CSS pixel)
/// in the top-left corner when one is given.
#[must_use]
pub fn export_svg(
    scene: &Scene,
    graph: &Graph,
    frame: &Frame,
    overlays: &[OverlayVertex],
    labels: &[PlacedLabel],
    legend: Option<(&Legend, f32)>,
) -> String {
    let cam = &frame.camera;
    let [w, h] = cam.viewport;
    let detail = frame.options.detail;
    let mut s = String::new();
    let [r, g, b] = frame.options.background.map(|c| (c * 255.0).round() as u8);
    writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        xml_escape(&format!("ISG view: {} nodes, {} edges", graph.node_count(), graph.edge_count())),
        Rgba::new(r, g, b, 255).to_css_hex()
    ).ok();
    s.push_str("<g id=\"overlays\">\n");
    for tri in overlays.chunks_exact(3) {
        let p: Vec<[f32; 2]> = tri.iter().map(|v| cam.world_to_screen(v.pos)).collect();
        writeln!(
            s,
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {}/>",
            p[0][0],
            p[0][1],
            p[1][0],
            p[1][1],
            p[2][0],
            p[2][1],
            paint(Rgba(tri[0].color), 1.0)
        )
        .ok();
    }
    s.push_str("</g>\n<g id=\"edges\" stroke-linecap=\"round\">\n");
    let mut written = 0usize;
    let mut skipped = 0usize;
    let mut edge = |e: &EdgeInstance, alpha: f32, s: &mut String| {
        if e.style & (EdgeStyleBits::ANY_HIDDEN | EdgeStyleBits::ROUTED) != 0 {
            return;
        }
        let (fa, fb) = (scene.node_data[e.from as usize], scene.node_data[e.to as usize]);
        if ((fa[2] as u32) | (fb[2] as u32)) & NodeFlagsGpu::ANY_HIDDEN != 0 {
            return;
        }
        let mut a = cam.world_to_screen([fa[0], fa[1]]);
        let mut b = cam.world_to_screen([fb[0], fb[1]]);
        // As on the GPU: a split hub's edges are short stubs at their other ends.
        let selected = frame.options.highlight && ((fa[2] as u32) | (fb[2] as u32)) & NodeFlagsGpu::SELECTED != 0;
        let split = |f: [f32; 4]| !selected && (f[2] as u32) & NodeFlagsGpu::SPLIT != 0;
        let stub = |from: [f32; 2], to: [f32; 2]| {
            let len = ((to[0] - from[0]).powi(2) + (to[1] - from[1]).powi(2)).sqrt().max(1e-6);
            let t = (SPLIT_STUB_PX / len).min(1.0);
            [from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t]
        };
        match (split(fa), split(fb)) {
            (true, true) => return,
            (false, true) => b = stub(a, b),
            (true, false) => a = stub(b, a),
            (false, false) => {}
        }
        // As on the GPU: an edge with both ends off screen is left out.
        if !on_screen(a, a, w, h, 0.0) && !on_screen(b, b, w, h, 0.0) {
            return;
        }
        if written >= MAX_SVG_EDGES {
            skipped += 1;
            return;
        }
        written += 1;
        let width = match e.style & EdgeStyleBits::WIDTH_MASK {
            0 => frame.options.edge_px,
            q => q as f32 * 0.25 * frame.options.edge_px,
        };
        let c = Rgba(e.color);
        let dash = if e.style & EdgeStyleBits::DASHED != 0 { " stroke-dasharray=\"5 4\"" } else { "" };
        writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-opacity=\"{:.3}\" stroke-width=\"{width:.2}\"{dash}/>",
            a[0],
            a[1],
            b[0],
            b[1],
            c.to_css_hex(),
            (c.alpha() * alpha).clamp(0.0, 1.0)
        ).ok();
    };
    if detail.edges >= crate::lod::MIN_EDGE_OPACITY {
        for e in scene.edges.iter().chain(scene.route_segments()) {
            edge(e, detail.edges, &mut s);
        }
    }
    if detail.aggregates > 0.003 {
        for e in scene.aggregate_edges_drawn() {
            edge(e, detail.aggregates, &mut s);
        }
    }
    if skipped > 0 {
        writeln!(s, "<!-- {skipped} more edges on screen left out past {MAX_SVG_EDGES} -->").ok();
    }
    s.push_str("</g>\n<g id=\"nodes\" stroke=\"#000\" stroke-opacity=\"0.45\">\n");
    let node = |n: &NodeInstance, alpha: f32, s: &mut String| {
        let d = scene.node_data[n.index as usize];
        if (d[2] as u32) & NodeFlagsGpu::ANY_HIDDEN != 0 {
            return;
        }
        let p = cam.world_to_screen([d[0], d[1]]);
        let radius = (d[3] * cam.scale).max(frame.options.node_px) * 0.5;
        if !on_screen(p, p, w, h, radius) {
            return;
        }
        let fill = paint(Rgba(n.color), alpha);
        let shape = if n.shape & NodeInstanceBits::AGGREGATE != 0 {
            Shape::Circle as u32
        } else {
            n.shape & NodeInstanceBits::SHAPE_MASK
        };
        let (x, y, rr) = (p[0], p[1], radius);
        let aspect = scene.box_aspect(n.index as usize).unwrap_or(1.0);
        match shape {
            4 => writeln!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"{:.1}\" {fill}/>",
                x - rr * (aspect * 0.92),
                y - rr * 0.92,
                rr * aspect * 1.84,
                rr * 1.84,
                rr * 0.2
            ),
            1 => writeln!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" {fill}/>",
                x - rr * 0.8,
                y - rr * 0.8,
                rr * 1.6,
                rr * 1.6
            ),
            2 => writeln!(
                s,
                "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\" {fill}/>",
                y - rr * 0.96,
                x + rr * 0.96,
                y + rr * 0.96,
                x - rr * 0.96
            ),
            3 => writeln!(
                s,
                "<polygon points=\"{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" {fill}/>",
                y - rr * 0.9,
                x + rr * 0.78,
                y + rr * 0.45,
                x - rr * 0.78,
                y + rr * 0.45
            ),
            _ => writeln!(s, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" {fill}/>", rr * 0.95),
        }
        .ok();
    };
    for n in &scene.nodes {
        let flags = scene.flags(n.index as usize);
        let alpha = if flags & NodeFlagsGpu::HIGHLIGHTS != 0 { 1.0 } else { detail.nodes };
        node(n, alpha, &mut s);
    }
    if detail.aggregates > 0.003 {
        for n in &scene.aggregates.nodes {
            node(n, detail.aggregates, &mut s);
        }
    }
    s.push_str("</g>\n<g id=\"labels\" font-family=\"DejaVu Sans Mono, monospace\" stroke=\"#08090d\" stroke-width=\"3\" paint-order=\"stroke\">\n");
    for l in labels {
        let p = cam.world_to_screen(l.anchor);
        for (row, line) in l.text.split('\n').enumerate() {
            let baseline = p[1] + l.offset[1] + FontAtlas::line_height(l.px) * (row as f32 + 0.78);
            writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{baseline:.1}\" font-size=\"{:.1}\" fill=\"{}\">{}</text>",
                p[0] + l.offset[0],
                l.px,
                l.color.to_css_hex(),
                xml_escape(line)
            )
            .ok();
        }
    }
    s.push_str("</g>\n");
    if let Some((legend, scale)) = legend {
        writeln!(s, "<g transform=\"scale({scale:.3})\">").ok();
        s.push_str(&legend.svg([LEGEND_MARGIN_PX, LEGEND_MARGIN_PX]));
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

/// The legend's distance from the top-left corner of an export, in CSS pixels.
pub const LEGEND_MARGIN_PX: f32 = 12.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::Camera;
    use crate::frame::DrawOptions;
    use crate::style::NodeStyles;
    use isg::synth::{SynthSpec, generate};

    #[test]
    fn svg_holds_what_is_on_screen_and_escapes_text() {
        let g = generate(SynthSpec { nodes: 300, edges: 900, seed: 8 });
        let scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
        let mut camera = Camera::new([640.0, 480.0]);
        camera.fit(scene.bounds(), 10.0);
        let frame = Frame { camera, options: DrawOptions::default(), label_scale: 1.0, minimap: None, cull: None };
        let label = PlacedLabel {
            anchor: scene.position(0),
            offset: [4.0, -7.0],
            text: "a<b>&\"c\"".into(),
            px: 12.0,
            color: Rgba(0xffff_ffff),
            node: Some(0),
        };
        let svg = export_svg(&scene, &g, &frame, &[], &[label], None);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("a&lt;b&gt;&amp;&quot;c&quot;"));
        let shapes = svg.matches("<circle").count() + svg.matches("<rect x").count() + svg.matches("<polygon").count();
        assert_eq!(shapes, g.node_count(), "every node is on screen after fit");
        assert!(svg.matches("<line").count() > g.edge_count() / 2);
        let mut zoomed = frame;
        zoomed.camera.zoom_at([320.0, 240.0], 20.0);
        let part = export_svg(&scene, &g, &zoomed, &[], &[], None);
        assert!(part.matches("<circle").count() < svg.matches("<circle").count(), "off-screen nodes are left out");
    }

    #[test]
    fn svg_is_well_formed_xml_for_any_label() {
        let g = generate(SynthSpec { nodes: 20, edges: 40, seed: 8 });
        let scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
        let mut camera = Camera::new([640.0, 480.0]);
        camera.fit(scene.bounds(), 10.0);
        let frame = Frame { camera, options: DrawOptions::default(), label_scale: 1.0, minimap: None, cull: None };
        // Every character XML forbids or treats specially, plus bidi controls and noncharacters.
        let hostile: String = (0u32..0x20)
            .chain([0x7f, 0x85, 0xfffe, 0xffff, 0x202e, 0x200b, 0xfeff, 0x1fffe, 0x10ffff])
            .filter_map(char::from_u32)
            .chain("<]]>&amp;\"'".chars())
            .collect();
        let labels: Vec<PlacedLabel> = [hostile.as_str(), "\u{fffe}", "line\nnext", "]]>"]
            .iter()
            .enumerate()
            .map(|(i, text)| PlacedLabel {
                anchor: scene.position(i),
                offset: [0.0, 0.0],
                text: (*text).to_owned(),
                px: 12.0,
                color: Rgba(0xffff_ffff),
                node: Some(i as u32),
            })
            .collect();
        let svg = export_svg(&scene, &g, &frame, &[], &labels, None);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        assert!(texts.iter().any(|t| t.contains('\u{fffd}')), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("<]]>&amp;")), "markup survives as text: {texts:?}");
    }
}
