// The picture cache: the graph drawn once into a texture with a margin around the view, copied
// onto the target at a whole-pixel shift while the view only pans. No filtering: each target
// pixel takes exactly one texel, so a copy equals drawing the graph there.

@group(0) @binding(0) var picture: texture_2d<f32>;

struct LayerOut {
    @builtin(position) pos: vec4<f32>,
    // Texels from a target pixel to its texel in the picture.
    @location(0) @interpolate(flat) shift: vec2<f32>,
};

@vertex
fn layer_vs(@builtin(vertex_index) v: u32, @location(0) shift: vec2<f32>) -> LayerOut {
    var out: LayerOut;
    let corner = vec2<f32>(f32(v & 1u), f32(v >> 1u)) * 2.0 - 1.0;
    out.pos = vec4<f32>(corner, 0.0, 1.0);
    out.shift = shift;
    return out;
}

@fragment
fn layer_fs(in: LayerOut) -> @location(0) vec4<f32> {
    return textureLoad(picture, vec2<i32>(floor(in.pos.xy + in.shift)), 0);
}
