//! How looks and highlights are packed into the bits the shaders read: node flags in the node
//! texture, shape and aggregate bits in node instances, width and marks in edge instances. The
//! WGSL side mirrors these constants (`shaders/common.wgsl`, `shaders/graph.wgsl`); a test reads
//! the shaders with naga and checks every mirror has the same value.

/// Per-node highlight and visibility bits, as the shader reads them from the node texture.
pub struct NodeFlagsGpu;

impl NodeFlagsGpu {
    /// The selected node.
    pub const SELECTED: u32 = 1;
    /// A neighbour of the selection.
    pub const NEIGHBOUR: u32 = 2;
    /// A search hit.
    pub const HIT: u32 = 4;
    /// Under the pointer.
    pub const HOVER: u32 = 8;
    /// Hidden by the user (for example external placeholders).
    pub const HIDDEN: u32 = 16;
    /// Hidden by the style in force.
    pub const STYLE_HIDDEN: u32 = 32;
    /// A [`Shape::Box`] node's width over its height, in eighths, sits in these bits (0: not a box),
    /// so that edges, which read only the node texture, can end at the box's rim.
    pub const BOX_ASPECT_SHIFT: u32 = 8;
    /// Mask of the box aspect bits.
    pub const BOX_ASPECT_MASK: u32 = 0xff << Self::BOX_ASPECT_SHIFT;

    /// The flag bits for a [`Shape::Box`] `aspect` times as wide as high (0 for any other glyph).
    #[must_use]
    pub fn box_aspect_bits(aspect: Option<f32>) -> u32 {
        aspect.map_or(0, |a| ((a * 8.0).round() as u32).clamp(1, 255) << Self::BOX_ASPECT_SHIFT)
    }

    /// Width over height of a [`Shape::Box`] node with these flags, `None` for other glyphs.
    #[must_use]
    pub fn box_aspect(flags: u32) -> Option<f32> {
        let eighths = (flags & Self::BOX_ASPECT_MASK) >> Self::BOX_ASPECT_SHIFT;
        (eighths > 0).then(|| eighths as f32 / 8.0)
    }
    /// Either kind of hidden.
    pub const ANY_HIDDEN: u32 = Self::HIDDEN | Self::STYLE_HIDDEN;
    /// A split hub: each of its edges is drawn as a short stub at its other end, pointing its way,
    /// instead of a line across the picture (unless the edge belongs to the selection).
    pub const SPLIT: u32 = 64;
    /// The bits a highlight change rewrites.
    pub const HIGHLIGHTS: u32 = Self::SELECTED | Self::NEIGHBOUR | Self::HIT | Self::HOVER;
}

/// Bits in [`crate::scene::NodeInstance::shape`] above the shape code.
pub struct NodeInstanceBits;

impl NodeInstanceBits {
    /// Mask of the shape code.
    pub const SHAPE_MASK: u32 = 0xff;
    /// The instance stands for a module aggregate (level of detail).
    pub const AGGREGATE: u32 = 0x100;
}

/// Bits in [`crate::scene::EdgeInstance::style`]: width in quarter pixels in the low byte, then flags.
pub struct EdgeStyleBits;

impl EdgeStyleBits {
    /// Mask of the width in quarter pixels; 0 means the default width.
    pub const WIDTH_MASK: u32 = 0xff;
    /// Draw an arrowhead at the target.
    pub const ARROW: u32 = 0x100;
    /// The edge joins two module aggregates.
    pub const AGGREGATE: u32 = 0x200;
    /// Not drawn (self-loops, or hidden by the style).
    pub const HIDDEN: u32 = 0x400;
    /// A dashed line.
    pub const DASHED: u32 = 0x800;
    /// The arrowhead is outlined, not filled.
    pub const HOLLOW: u32 = 0x1000;
    /// Left out by the user's edge-kind filter; apart from [`Self::HIDDEN`], which the style owns.
    pub const FILTERED: u32 = 0x2000;
    /// Either reason not to draw an edge.
    pub const ANY_HIDDEN: u32 = Self::HIDDEN | Self::FILTERED;
    /// One segment of a polyline (a routed or bundled edge): never shortened to an off-screen stub,
    /// whose end is a bend, not a node.
    pub const SEGMENT: u32 = 0x4000;
    /// A graph edge drawn by its route's segments instead of its own straight line.
    pub const ROUTED: u32 = 0x8000;

    /// Packs a width in device pixels (clamped to 0.25..=63.75) with `flags`.
    #[must_use]
    pub fn pack(width_px: f32, flags: u32) -> u32 {
        ((width_px * 4.0).round().clamp(1.0, 255.0) as u32) | flags
    }
}

/// Length of a split hub's edge stubs in pixels (drawn by the graph shader, and by the SVG export
/// to match it).
pub const SPLIT_STUB_PX: f32 = 22.0;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Every `const` of a WGSL source with a scalar value, by name.
    fn wgsl_constants(source: &str) -> BTreeMap<String, f64> {
        let module = naga::front::wgsl::parse_str(source).expect("the shader parses");
        module
            .constants
            .iter()
            .filter_map(|(_, c)| {
                let value = match module.global_expressions[c.init] {
                    naga::Expression::Literal(naga::Literal::U32(v)) => f64::from(v),
                    naga::Expression::Literal(naga::Literal::F32(v)) => f64::from(v),
                    _ => return None,
                };
                Some((c.name.clone()?, value))
            })
            .collect()
    }

    #[test]
    fn the_shaders_mirror_every_bit() {
        let wgsl = wgsl_constants(crate::shaders::GRAPH_WGSL);
        let mirrors: [(&str, f64); 19] = [
            ("FLAG_SELECTED", f64::from(NodeFlagsGpu::SELECTED)),
            ("FLAG_NEIGHBOUR", f64::from(NodeFlagsGpu::NEIGHBOUR)),
            ("FLAG_HIT", f64::from(NodeFlagsGpu::HIT)),
            ("FLAG_HOVER", f64::from(NodeFlagsGpu::HOVER)),
            ("FLAG_ANY_HIDDEN", f64::from(NodeFlagsGpu::ANY_HIDDEN)),
            ("FLAG_SPLIT", f64::from(NodeFlagsGpu::SPLIT)),
            ("FLAG_BOX_ASPECT_SHIFT", f64::from(NodeFlagsGpu::BOX_ASPECT_SHIFT)),
            ("SHAPE_BOX", f64::from(crate::style::Shape::Box as u8)),
            ("NODE_AGGREGATE", f64::from(NodeInstanceBits::AGGREGATE)),
            ("EDGE_WIDTH_MASK", f64::from(EdgeStyleBits::WIDTH_MASK)),
            ("EDGE_ARROW", f64::from(EdgeStyleBits::ARROW)),
            ("EDGE_AGGREGATE", f64::from(EdgeStyleBits::AGGREGATE)),
            ("EDGE_HIDDEN", f64::from(EdgeStyleBits::HIDDEN)),
            ("EDGE_DASHED", f64::from(EdgeStyleBits::DASHED)),
            ("EDGE_HOLLOW", f64::from(EdgeStyleBits::HOLLOW)),
            ("EDGE_FILTERED", f64::from(EdgeStyleBits::FILTERED)),
            ("EDGE_SEGMENT", f64::from(EdgeStyleBits::SEGMENT)),
            ("EDGE_ROUTED", f64::from(EdgeStyleBits::ROUTED)),
            ("SPLIT_STUB_PX", f64::from(SPLIT_STUB_PX)),
        ];
        for (name, rust) in mirrors {
            assert_eq!(wgsl.get(name), Some(&rust), "{name} differs between Rust and WGSL");
        }
    }
}
