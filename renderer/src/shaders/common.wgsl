// Shared by every shader: the view uniform, the node-data texture and colour helpers.
//
// Node data lives in an RGBA32F texture (x, y, flags, size) rather than a storage buffer because
// WebGL2 has no storage buffers in the vertex stage; textureLoad works on both backends.

struct View {
    center: vec2<f32>,
    viewport: vec2<f32>,
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
    _pad0: f32,
    _pad1: f32,
    // World rectangle (min x, min y, max x, max y) an edge end must fall in for the edge to be
    // drawn: the view itself, or the whole picture when an export renders it in tiles.
    cull: vec4<f32>,
};

@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var node_data: texture_2d<f32>;

const FLAG_SELECTED: u32 = 1u;
const FLAG_NEIGHBOUR: u32 = 2u;
const FLAG_HIT: u32 = 4u;
const FLAG_HOVER: u32 = 8u;
const FLAG_ANY_HIDDEN: u32 = 48u;
const FLAG_SPLIT: u32 = 64u;
const FLAG_BOX_ASPECT_SHIFT: u32 = 8u;
const SHAPE_BOX: u32 = 4u;

// Width over height of a box node, 0 for any other glyph.
fn box_aspect(flags: u32) -> f32 {
    return f32((flags >> FLAG_BOX_ASPECT_SHIFT) & 255u) / 8.0;
}

fn load_node(i: u32) -> vec4<f32> {
    let width = textureDimensions(node_data).x;
    return textureLoad(node_data, vec2<i32>(i32(i % width), i32(i / width)), 0);
}

fn to_clip(p: vec2<f32>) -> vec2<f32> {
    let px = (p - view.center) * view.scale;
    return vec2<f32>(px.x * 2.0 / view.viewport.x, -px.y * 2.0 / view.viewport.y);
}

// Pixels to clip units (y up).
fn px_to_clip(d: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(d.x * 2.0 / view.viewport.x, -d.y * 2.0 / view.viewport.y);
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
    if (view.srgb_target > 0.5) {
        rgb = pow(rgb, vec3<f32>(2.2));
    }
    return vec4<f32>(rgb * c.a, c.a);
}

fn is_highlighted(flags: u32) -> bool {
    return (flags & (FLAG_SELECTED | FLAG_NEIGHBOUR | FLAG_HIT | FLAG_HOVER)) != 0u;
}

const CULLED: vec4<f32> = vec4<f32>(2.0, 2.0, 2.0, 1.0);
