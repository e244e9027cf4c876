// Overlays: plain coloured triangles in world units (hulls, minimap frame).

struct OverlayOut {
    @builtin(position) pos: vec4<f32>,
    @location(0) color: vec4<f32>,
};

@vertex
fn overlay_vs(@location(0) pos: vec2<f32>, @location(1) color: u32) -> OverlayOut {
    var out: OverlayOut;
    out.pos = vec4<f32>(to_clip(pos), 0.0, 1.0);
    out.color = unpack_color(color);
    return out;
}

@fragment
fn overlay_fs(in: OverlayOut) -> @location(0) vec4<f32> {
    return output_color(in.color);
}
