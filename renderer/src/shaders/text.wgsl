// Labels: glyph quads sampled from a signed-distance-field atlas, with a dark outline so text
// reads over edges and nodes.

@group(1) @binding(0) var atlas: texture_2d<f32>;
@group(1) @binding(1) var atlas_sampler: sampler;

struct GlyphOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) color: vec4<f32>,
};

@vertex
fn text_vs(
    @builtin(vertex_index) v: u32,
    @location(0) anchor: vec2<f32>,
    @location(1) offset: vec2<f32>,
    @location(2) size: vec2<f32>,
    @location(3) uv: vec4<f32>,
    @location(4) color: u32,
) -> GlyphOut {
    var out: GlyphOut;
    let corner = vec2<f32>(f32(v & 1u), f32(v >> 1u));
    let px = (offset + corner * size) * view.label_scale;
    out.pos = vec4<f32>(to_clip(anchor) + px_to_clip(px), 0.0, 1.0);
    out.uv = mix(uv.xy, uv.zw, corner);
    out.color = unpack_color(color);
    return out;
}

@fragment
fn text_fs(in: GlyphOut) -> @location(0) vec4<f32> {
    let d = textureSample(atlas, atlas_sampler, in.uv).r;
    let w = max(fwidth(d), 1e-3) * 0.75;
    let fill = smoothstep(0.5 - w, 0.5 + w, d);
    let outline = smoothstep(0.5 - 0.22 - w, 0.5 - 0.22 + w, d);
    let rgb = mix(vec3<f32>(0.03, 0.035, 0.05), in.color.rgb, fill);
    let a = max(fill, outline * 0.85) * in.color.a;
    return output_color(vec4<f32>(rgb, a));
}
