// Nodes, edges and arrowheads of an ISG, drawn as instanced quads and triangles.

const NODE_AGGREGATE: u32 = 256u;
const EDGE_WIDTH_MASK: u32 = 255u;
const EDGE_ARROW: u32 = 256u;
const EDGE_AGGREGATE: u32 = 512u;
const EDGE_HIDDEN: u32 = 1024u;
const EDGE_DASHED: u32 = 2048u;
const EDGE_HOLLOW: u32 = 4096u;
const EDGE_FILTERED: u32 = 8192u;
const EDGE_SEGMENT: u32 = 16384u;
const EDGE_ROUTED: u32 = 32768u;
const DASH_PX: f32 = 9.0;
const SPLIT_STUB_PX: f32 = 22.0;
const STUB_PX: f32 = 60.0;
const SUB_PIXEL_PX: f32 = 1.0;

fn node_radius_px(d: vec4<f32>) -> f32 {
    return max(d.w * view.scale, view.node_px) * 0.5;
}

fn outside_cull(p: vec2<f32>, radius_px: f32) -> bool {
    let m = radius_px / view.scale;
    return p.x < view.cull.x - m || p.y < view.cull.y - m || p.x > view.cull.z + m || p.y > view.cull.w + m;
}

struct EdgeGeometry {
    p0: vec2<f32>,
    p1: vec2<f32>,
    // Unit direction and normal in pixels.
    dir: vec2<f32>,
    normal: vec2<f32>,
    len_px: f32,
    color: vec4<f32>,
    width: f32,
    visible: bool,
    target_radius_px: f32,
};

fn edge_geometry(ends: vec2<u32>, color: u32, style: u32) -> EdgeGeometry {
    var g: EdgeGeometry;
    let a = load_node(ends.x);
    let b = load_node(ends.y);
    let fa = u32(a.z);
    let fb = u32(b.z);
    g.p0 = to_clip(a.xy);
    g.p1 = to_clip(b.xy);
    let d_px = (b.xy - a.xy) * view.scale * vec2<f32>(1.0, -1.0);
    g.len_px = length(d_px);
    g.dir = d_px / max(g.len_px, 1e-6);
    g.normal = vec2<f32>(-g.dir.y, g.dir.x);
    g.target_radius_px = node_radius_px(b);
    let aspect = box_aspect(fb);
    if (aspect > 0.0) {
        // A box's rim along the edge's direction.
        let half = vec2<f32>(g.target_radius_px * aspect, g.target_radius_px);
        let t = half / max(abs(g.dir), vec2<f32>(1e-4));
        g.target_radius_px = min(t.x, t.y);
    }
    var c = unpack_color(color);
    let w = f32(style & EDGE_WIDTH_MASK);
    g.width = select(view.edge_px, w * 0.25 * view.edge_px, w > 0.0);
    let aggregate = (style & EDGE_AGGREGATE) != 0u;
    if (aggregate) {
        c.a = c.a * view.aggregates;
    } else if (view.highlight > 0.5) {
        if (((fa | fb) & FLAG_SELECTED) != 0u) {
            g.width = g.width * 2.0;
            c.a = max(c.a, 0.9);
        } else {
            c.a = c.a * 0.12 * view.detail_edges;
        }
    } else {
        c.a = c.a * view.detail_edges;
    }
    g.color = c;
    // An edge whose both ends are off screen costs a full-screen streak of fragments and says
    // little: zoomed in on a big graph these are most edges. Only the selection's edges survive.
    let a_off = outside_cull(a.xy, node_radius_px(a));
    let b_off = outside_cull(b.xy, g.target_radius_px);
    let selected = ((fa | fb) & FLAG_SELECTED) != 0u && view.highlight > 0.5;
    let on_screen = !(a_off && b_off) || selected;
    // A split hub's edges are short stubs at their other ends, pointing at the hub.
    let split_a = (fa & FLAG_SPLIT) != 0u && !selected;
    let split_b = (fb & FLAG_SPLIT) != 0u && !selected;
    let stub_split = min(1.0, SPLIT_STUB_PX * view.label_scale / max(g.len_px, 1e-6));
    if (split_b && !split_a) {
        g.p1 = mix(g.p0, g.p1, stub_split);
        g.target_radius_px = 0.0;
    } else if (split_a && !split_b) {
        g.p0 = mix(g.p1, g.p0, stub_split);
    }
    // An edge to a node well off screen becomes a stub pointing its way: a long streak per such
    // edge is what makes a zoomed-in view of a big graph slow. The test uses the cull rectangle,
    // so every tile of an export makes the same choice.
    if (!split_a && !split_b && a_off != b_off && !selected && (style & EDGE_SEGMENT) == 0u && g.len_px > STUB_PX * 4.0 * view.label_scale) {
        let stub = STUB_PX * view.label_scale / max(g.len_px, 1e-6);
        if (a_off) {
            g.p0 = mix(g.p1, g.p0, stub);
        } else {
            g.p1 = mix(g.p0, g.p1, stub);
            g.target_radius_px = -1e6;
        }
    }
    // An edge shorter than a pixel between two nodes' centres lies under its nodes: its quad would
    // still cost the rasteriser its setup. Routed segments are parts of longer lines and stay.
    let sub_pixel = g.len_px < SUB_PIXEL_PX && (style & EDGE_SEGMENT) == 0u && !selected;
    g.visible = (style & (EDGE_HIDDEN | EDGE_FILTERED | EDGE_ROUTED)) == 0u && ((fa | fb) & FLAG_ANY_HIDDEN) == 0u && c.a > 0.01 && on_screen
        && !(split_a && split_b) && !sub_pixel;
    return g;
}

struct EdgeOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) across: f32,
    // Pixels from the line's start, for dashes.
    @location(2) along_px: f32,
    // Barycentric coordinates in an arrowhead, for hollow ones.
    @location(3) bary: vec3<f32>,
    @location(4) @interpolate(flat) style: u32,
};

fn arrow_length_px(g: EdgeGeometry) -> f32 {
    return 5.0 + g.width * 2.5;
}

fn arrow_drawn(g: EdgeGeometry, style: u32) -> bool {
    return g.visible && view.arrows > 0.5 && (style & EDGE_ARROW) != 0u && g.target_radius_px >= 0.0
        && g.len_px > g.target_radius_px + arrow_length_px(g) * 2.0;
}

@vertex
fn edge_vs(@builtin(vertex_index) v: u32, @location(0) ends: vec2<u32>, @location(1) color: u32, @location(2) style: u32) -> EdgeOut {
    return edge_vertex(v, ends, color, style);
}

// One corner of an edge's quad: `v` 0 and 1 at its start, 2 and 3 at its end.
fn edge_vertex(v: u32, ends: vec2<u32>, color: u32, style: u32) -> EdgeOut {
    var out: EdgeOut;
    let g = edge_geometry(ends, color, style);
    let side = f32(v & 1u) * 2.0 - 1.0;
    let along = f32(v >> 1u);
    var p1 = g.p1;
    if ((style & EDGE_HOLLOW) != 0u && arrow_drawn(g, style)) {
        // A line through a hollow head would fill it: stop at the head's base.
        p1 = g.p1 - px_to_clip(g.dir * vec2<f32>(1.0, -1.0) * (g.target_radius_px + arrow_length_px(g)));
    }
    let base = mix(g.p0, p1, along);
    out.pos = vec4<f32>(base + px_to_clip(g.normal * vec2<f32>(1.0, -1.0) * side * g.width * 0.5) , 0.0, 1.0);
    if (!g.visible) {
        out.pos = CULLED;
    }
    out.color = g.color;
    out.across = side;
    out.along_px = along * g.len_px;
    out.bary = vec3<f32>(0.0);
    out.style = style & EDGE_DASHED;
    return out;
}

// Most edges are plain (no dashes, no hollow heads): this pair interpolates one value across a
// quad instead of nine, and its fragments do no pattern work. Fill-limited GPUs spend a frame on
// edge fragments, so this is the pair drawn unless the edges drawn have dashes to show.
struct PlainEdgeOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) @interpolate(flat) color: vec4<f32>,
    @location(1) across: f32,
};

@vertex
fn edge_plain_vs(@builtin(vertex_index) v: u32, @location(0) ends: vec2<u32>, @location(1) color: u32, @location(2) style: u32) -> PlainEdgeOut {
    let full = edge_vertex(v, ends, color, style);
    var out: PlainEdgeOut;
    out.pos = full.pos;
    out.color = full.color;
    out.across = full.across;
    return out;
}

@fragment
fn edge_plain_fs(in: PlainEdgeOut) -> @location(0) vec4<f32> {
    return output_color(vec4<f32>(in.color.rgb, in.color.a * edge_coverage(in.across)));
}

// Coverage across a line's quad: full in the middle, fading towards its sides.
fn edge_coverage(across: f32) -> f32 {
    return max(1.0 - smoothstep(0.6, 1.0, abs(across)), 0.35);
}

@fragment
fn edge_fs(in: EdgeOut) -> @location(0) vec4<f32> {
    if ((in.style & EDGE_DASHED) != 0u && fract(in.along_px / (DASH_PX * view.label_scale)) > 0.55) {
        discard;
    }
    if ((in.style & EDGE_HOLLOW) != 0u && min(in.bary.x, min(in.bary.y, in.bary.z)) > 0.2) {
        discard;
    }
    return output_color(vec4<f32>(in.color.rgb, in.color.a * edge_coverage(in.across)));
}

// Three vertices per edge: a triangle whose tip touches the target node's rim.
@vertex
fn arrow_vs(@builtin(vertex_index) v: u32, @location(0) ends: vec2<u32>, @location(1) color: u32, @location(2) style: u32) -> EdgeOut {
    var out: EdgeOut;
    let g = edge_geometry(ends, color, style);
    let length_px = arrow_length_px(g);
    let half_px = 2.0 + g.width * 1.5;
    // Screen-space helpers work with y down; clip space has y up.
    let dir = g.dir * vec2<f32>(1.0, -1.0);
    let normal = g.normal * vec2<f32>(1.0, -1.0);
    let tip = g.p1 - px_to_clip(dir * g.target_radius_px);
    var corner = tip;
    out.bary = vec3<f32>(1.0, 0.0, 0.0);
    if (v == 1u) {
        corner = tip - px_to_clip(dir * length_px) + px_to_clip(normal * half_px);
        out.bary = vec3<f32>(0.0, 1.0, 0.0);
    } else if (v == 2u) {
        corner = tip - px_to_clip(dir * length_px) - px_to_clip(normal * half_px);
        out.bary = vec3<f32>(0.0, 0.0, 1.0);
    }
    out.pos = vec4<f32>(corner, 0.0, 1.0);
    if (!arrow_drawn(g, style)) {
        out.pos = CULLED;
    }
    out.color = vec4<f32>(g.color.rgb, min(g.color.a * 1.6, 1.0));
    out.across = 0.0;
    out.along_px = 0.0;
    out.style = style & EDGE_HOLLOW;
    return out;
}

struct NodeOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) uv: vec2<f32>,
    @location(2) @interpolate(flat) shape: u32,
    @location(3) @interpolate(flat) flags: u32,
    @location(4) halo: vec4<f32>,
    @location(5) @interpolate(flat) extent: f32,
    @location(6) @interpolate(flat) aspect: f32,
};

@vertex
fn node_vs(
    @builtin(vertex_index) v: u32,
    @location(0) index: u32,
    @location(1) color: u32,
    @location(2) halo: u32,
    @location(3) shape: u32,
) -> NodeOut {
    var out: NodeOut;
    let d = load_node(index);
    let flags = u32(d.z);
    let aggregate = (shape & NODE_AGGREGATE) != 0u;
    let corner = vec2<f32>(f32(v & 1u), f32(v >> 1u)) * 2.0 - 1.0;
    var radius_px = node_radius_px(d);
    if ((flags & FLAG_SELECTED) != 0u) {
        radius_px = radius_px * 1.8 + 3.0;
    } else if ((flags & (FLAG_NEIGHBOUR | FLAG_HIT | FLAG_HOVER)) != 0u) {
        radius_px = radius_px * 1.3 + 1.0;
    }
    var h = unpack_color(halo);
    // The quad grows to make room for the halo ring around the glyph.
    let extent = select(1.0, 1.7, h.a > 0.0);
    let center = to_clip(d.xy);
    let boxed = (shape & 255u) == SHAPE_BOX && box_aspect(flags) > 0.0;
    let aspect = select(1.0, box_aspect(flags), boxed);
    let stretch = vec2<f32>(aspect, 1.0);
    out.pos = vec4<f32>(center + px_to_clip(corner * stretch * vec2<f32>(1.0, -1.0) * radius_px * extent), 0.0, 1.0);
    var c = unpack_color(color);
    if (aggregate) {
        c.a = c.a * view.aggregates;
        h.a = 0.0;
    } else if (!is_highlighted(flags)) {
        c.a = c.a * view.detail_nodes;
        if (view.highlight > 0.5) {
            c = vec4<f32>(mix(c.rgb, vec3<f32>(0.55, 0.58, 0.62), 0.6), c.a * 0.35);
        }
    }
    if ((flags & FLAG_ANY_HIDDEN) != 0u || c.a <= 0.003) {
        out.pos = CULLED;
    }
    out.color = c;
    out.halo = h;
    out.uv = corner * stretch * extent;
    out.shape = select(shape & 255u, 0u, aggregate);
    out.flags = flags;
    out.extent = extent;
    out.aspect = aspect;
    return out;
}

// Signed distance (in quad units, <0 inside) for shape 0 circle, 1 square, 2 diamond, 3 triangle,
// 4 box (a rounded rectangle `aspect` times as wide as high).
fn shape_distance(uv: vec2<f32>, shape: u32, aspect: f32) -> f32 {
    let p = abs(uv);
    switch shape {
        case 4u: {
            let q = p - vec2<f32>(aspect * 0.92 - 0.2, 0.72);
            return length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0) - 0.2;
        }
        case 1u: { return max(p.x, p.y) - 0.8; }
        case 2u: { return (p.x + p.y) * 0.7071 - 0.68; }
        case 3u: { return max(abs(uv.x) * 0.866 + uv.y * 0.5, -uv.y) - 0.45; }
        default: { return length(uv) - 0.95; }
    }
}

@fragment
fn node_fs(in: NodeOut) -> @location(0) vec4<f32> {
    let d = shape_distance(in.uv, in.shape, in.aspect);
    let aa = max(fwidth(d), 1e-4);
    let alpha = 1.0 - smoothstep(-aa, aa, d);
    if (alpha <= 0.0) {
        if (in.halo.a > 0.0 && d < 0.65) {
            let ring = 1.0 - smoothstep(0.0, 0.65, d);
            return output_color(vec4<f32>(in.halo.rgb, in.halo.a * ring * 0.85));
        }
        discard;
    }
    var rgb = in.color.rgb;
    // A dark rim keeps touching nodes apart; selected and hovered nodes get a bright ring.
    if (d > -0.18) {
        if ((in.flags & FLAG_SELECTED) != 0u) {
            rgb = vec3<f32>(1.0, 0.85, 0.2);
        } else if ((in.flags & FLAG_HOVER) != 0u) {
            rgb = vec3<f32>(1.0, 1.0, 1.0);
        } else {
            rgb = rgb * 0.55;
        }
    }
    return output_color(vec4<f32>(rgb, in.color.a * alpha));
}
