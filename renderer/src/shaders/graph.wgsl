// Nodes and edges of an ISG, drawn as instanced quads.
//
// Node data lives in an RGBA32F texture (x, y, flags, size) rather than a storage buffer because
// WebGL2 has no storage buffers in the vertex stage; textureLoad works on both backends.

struct Camera {
    center: vec2<f32>,
    viewport: vec2<f32>,
    scale: f32,
    node_px: f32,
    edge_px: f32,
    highlight: f32,
    srgb_target: f32,
    edge_alpha: f32,
    _pad0: f32,
    _pad1: f32,
};

@group(0) @binding(0) var<uniform> cam: Camera;
@group(0) @binding(1) var node_data: texture_2d<f32>;

const FLAG_SELECTED: u32 = 1u;
const FLAG_NEIGHBOUR: u32 = 2u;
const FLAG_HIT: u32 = 4u;
const FLAG_HIDDEN: u32 = 16u;

fn load_node(i: u32) -> vec4<f32> {
    let width = textureDimensions(node_data).x;
    return textureLoad(node_data, vec2<i32>(i32(i % width), i32(i / width)), 0);
}

fn to_clip(p: vec2<f32>) -> vec2<f32> {
    let px = (p - cam.center) * cam.scale;
    return vec2<f32>(px.x * 2.0 / cam.viewport.x, -px.y * 2.0 / cam.viewport.y);
}

// Colours are packed 0xRRGGBBAA; shifts rather than unpack4x8unorm, which GLSL ES 3.0 lacks.
fn unpack_color(c: u32) -> vec4<f32> {
    return vec4<f32>(
        f32((c >> 24u) & 255u),
        f32((c >> 16u) & 255u),
        f32((c >> 8u) & 255u),
        f32(c & 255u),
    ) / 255.0;
}

fn output_color(c: vec4<f32>) -> vec4<f32> {
    // Colours are authored in sRGB; an sRGB target would encode them twice.
    var rgb = c.rgb;
    if (cam.srgb_target > 0.5) {
        rgb = pow(rgb, vec3<f32>(2.2));
    }
    return vec4<f32>(rgb * c.a, c.a);
}

fn is_highlighted(flags: u32) -> bool {
    return (flags & (FLAG_SELECTED | FLAG_NEIGHBOUR | FLAG_HIT)) != 0u;
}

struct EdgeOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) across: f32,
};

@vertex
fn edge_vs(@builtin(vertex_index) v: u32, @location(0) ends: vec2<u32>, @location(1) color: u32) -> EdgeOut {
    var out: EdgeOut;
    let a = load_node(ends.x);
    let b = load_node(ends.y);
    let fa = u32(a.z);
    let fb = u32(b.z);
    let p0 = to_clip(a.xy);
    let p1 = to_clip(b.xy);
    let dir_px = (p1 - p0) * cam.viewport;
    let len = max(length(dir_px), 1e-6);
    let normal_px = vec2<f32>(-dir_px.y, dir_px.x) / len;
    var c = unpack_color(color);
    var width = cam.edge_px;
    let touches_selection = ((fa | fb) & FLAG_SELECTED) != 0u;
    if (cam.highlight > 0.5) {
        if (touches_selection) {
            width = width * 2.0;
            c.a = max(c.a, 0.9);
        } else {
            c.a = c.a * 0.12;
        }
    } else {
        c.a = c.a * cam.edge_alpha;
    }
    let side = f32(v & 1u) * 2.0 - 1.0;
    let along = f32(v >> 1u);
    let base = mix(p0, p1, along);
    let offset = normal_px * side * width * 0.5 / cam.viewport * 2.0;
    out.pos = vec4<f32>(base + offset, 0.0, 1.0);
    if (((fa | fb) & FLAG_HIDDEN) != 0u) {
        out.pos = vec4<f32>(2.0, 2.0, 2.0, 1.0);
    }
    out.color = c;
    out.across = side;
    return out;
}

@fragment
fn edge_fs(in: EdgeOut) -> @location(0) vec4<f32> {
    let edge_fade = 1.0 - smoothstep(0.6, 1.0, abs(in.across));
    return output_color(vec4<f32>(in.color.rgb, in.color.a * max(edge_fade, 0.35)));
}

struct NodeOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) uv: vec2<f32>,
    @location(2) @interpolate(flat) shape: u32,
    @location(3) @interpolate(flat) flags: u32,
};

@vertex
fn node_vs(@builtin(vertex_index) v: u32, @builtin(instance_index) i: u32, @location(0) color: u32, @location(1) shape: u32) -> NodeOut {
    var out: NodeOut;
    let d = load_node(i);
    let flags = u32(d.z);
    let corner = vec2<f32>(f32(v & 1u), f32(v >> 1u)) * 2.0 - 1.0;
    var radius_px = max(d.w * cam.scale, cam.node_px) * 0.5;
    if ((flags & FLAG_SELECTED) != 0u) {
        radius_px = radius_px * 1.8 + 3.0;
    } else if ((flags & (FLAG_NEIGHBOUR | FLAG_HIT)) != 0u) {
        radius_px = radius_px * 1.3 + 1.0;
    }
    let center = to_clip(d.xy);
    out.pos = vec4<f32>(center + corner * radius_px * 2.0 / cam.viewport, 0.0, 1.0);
    if ((flags & FLAG_HIDDEN) != 0u) {
        out.pos = vec4<f32>(2.0, 2.0, 2.0, 1.0);
    }
    var c = unpack_color(color);
    if (cam.highlight > 0.5 && !is_highlighted(flags)) {
        c = vec4<f32>(mix(c.rgb, vec3<f32>(0.55, 0.58, 0.62), 0.6), c.a * 0.35);
    }
    out.color = c;
    out.uv = corner;
    out.shape = shape;
    out.flags = flags;
    return out;
}

// Signed distance (in quad units, <0 inside) for shape 0 circle, 1 square, 2 diamond, 3 triangle.
fn shape_distance(uv: vec2<f32>, shape: u32) -> f32 {
    let p = abs(uv);
    switch shape {
        case 1u: { return max(p.x, p.y) - 0.8; }
        case 2u: { return (p.x + p.y) * 0.7071 - 0.68; }
        case 3u: { return max(abs(uv.x) * 0.866 + uv.y * 0.5, -uv.y) - 0.45; }
        default: { return length(uv) - 0.95; }
    }
}

@fragment
fn node_fs(in: NodeOut) -> @location(0) vec4<f32> {
    let d = shape_distance(in.uv, in.shape);
    let aa = max(fwidth(d), 1e-4);
    let alpha = 1.0 - smoothstep(-aa, aa, d);
    if (alpha <= 0.0) {
        discard;
    }
    var rgb = in.color.rgb;
    // A dark rim keeps touching nodes apart; selected nodes get a bright ring.
    if (d > -0.18) {
        if ((in.flags & FLAG_SELECTED) != 0u) {
            rgb = vec3<f32>(1.0, 0.85, 0.2);
        } else {
            rgb = rgb * 0.55;
        }
    }
    return output_color(vec4<f32>(rgb, in.color.a * alpha));
}
