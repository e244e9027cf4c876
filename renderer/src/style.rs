//! Colours, shapes and highlight flags: the style a renderer plugin or the default look feeds in.

use isg::{Graph, NodeFlags, NodeId};

/// A colour packed as `0xRRGGBBAA`, sRGB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgba(pub u32);

impl Rgba {
    /// From 8-bit channels.
    #[must_use]
    pub const fn new(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self((r as u32) << 24 | (g as u32) << 16 | (b as u32) << 8 | a as u32)
    }

    /// The channels `[r, g, b, a]`.
    #[must_use]
    pub const fn channels(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }

    /// `#rrggbb` for CSS and SVG.
    #[must_use]
    pub fn to_css_hex(self) -> String {
        let [r, g, b, _] = self.channels();
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// Opacity in `0.0..=1.0`.
    #[must_use]
    pub fn alpha(self) -> f32 {
        f32::from(self.channels()[3]) / 255.0
    }

    /// The same colour with alpha `a`.
    #[must_use]
    pub const fn with_alpha(self, a: u8) -> Self {
        Self((self.0 & 0xffff_ff00) | a as u32)
    }

    /// Parses `#rrggbb` or `#rrggbbaa`.
    #[must_use]
    pub fn from_css_hex(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let value = u32::from_str_radix(hex, 16).ok()?;
        match hex.len() {
            6 => Some(Self(value << 8 | 0xff)),
            8 => Some(Self(value)),
            _ => None,
        }
    }
}

/// Node glyphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Shape {
    /// Functions and methods.
    Circle = 0,
    /// Structs and enums.
    Square = 1,
    /// Traits.
    Diamond = 2,
    /// Everything else.
    Triangle = 3,
    /// A UML-style class box: a rounded rectangle as wide as its label, which is drawn inside it.
    Box = 4,
}

impl Shape {
    /// Every shape, in code order.
    pub const ALL: [Self; 5] = [Self::Circle, Self::Square, Self::Diamond, Self::Triangle, Self::Box];
}

/// The head drawn where an edge meets its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arrow {
    /// None.
    None,
    /// A filled triangle: the default.
    Filled,
    /// An outlined triangle, as UML draws realisation and inheritance.
    Hollow,
}

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

    /// Packs a width in device pixels (clamped to 0.25..=63.75) with `flags`.
    #[must_use]
    pub fn pack(width_px: f32, flags: u32) -> u32 {
        ((width_px * 4.0).round().clamp(1.0, 255.0) as u32) | flags
    }
}

/// How one node looks, as a renderer plugin or the default look sets it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeLook {
    /// Fill colour.
    pub color: Rgba,
    /// Diameter in world units.
    pub size: f32,
    /// Glyph.
    pub shape: Shape,
    /// Drawn at all.
    pub visible: bool,
    /// A glow ring around the node, if any.
    pub halo: Option<Rgba>,
}

/// How one edge looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdgeLook {
    /// Colour.
    pub color: Rgba,
    /// Width in device pixels (at 1× export scale).
    pub width_px: f32,
    /// Drawn at all.
    pub visible: bool,
    /// Head at the target when zoomed in far enough.
    pub arrow: Arrow,
    /// A dashed line, as UML draws dependencies and realisations.
    pub dashed: bool,
}

/// Something drawn over the graph.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// A filled convex hull around a group of nodes, with an optional caption.
    Hull {
        /// Node indices inside the hull.
        nodes: Vec<u32>,
        /// Fill colour (its alpha is used as given).
        color: Rgba,
        /// Caption drawn at the hull's top.
        label: Option<String>,
    },
    /// A note pinned next to a node; always labelled first.
    Annotation {
        /// The node it points at.
        node: u32,
        /// The note.
        text: String,
        /// Text colour.
        color: Rgba,
    },
}

/// A complete restyling of the graph: what a renderer plugin hands the renderer.
/// Fields left empty keep the default look.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StyleSheet {
    /// One look per node, or `None` for the default look.
    pub nodes: Option<Vec<NodeLook>>,
    /// One look per edge (in the graph's edge order), or `None` for the default look.
    pub edges: Option<Vec<EdgeLook>>,
    /// Label text replacing node names, by node index.
    pub labels: std::collections::BTreeMap<u32, String>,
    /// Hulls and annotations.
    pub overlays: Vec<Overlay>,
}

/// Why a [`StyleSheet`] does not fit the graph.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StyleError {
    /// The per-node or per-edge array has the wrong length.
    #[error("the style has {got} {what} looks for a graph of {expected} {what}s")]
    Count {
        /// "node" or "edge".
        what: &'static str,
        /// Looks given.
        got: usize,
        /// Items in the graph.
        expected: usize,
    },
    /// A label, hull or annotation names a node the graph does not have.
    #[error("the style's {what} names node {node}, but the graph has {count} nodes")]
    UnknownNode {
        /// Where the node id was found.
        what: &'static str,
        /// The id.
        node: u32,
        /// Nodes in the graph.
        count: usize,
    },
    /// A size or width is negative or not finite.
    #[error("the style gives {what} {index} the size {value}, which is not a finite non-negative number")]
    BadSize {
        /// "node" or "edge".
        what: &'static str,
        /// Which one.
        index: usize,
        /// The value.
        value: f32,
    },
}

/// The default look's colour for a node kind.
#[must_use]
pub fn kind_color(kind: &str) -> Rgba {
    match kind {
        "Function" => Rgba::new(0x4e, 0x9a, 0xf0, 0xff),
        "Method" => Rgba::new(0x3c, 0xc8, 0xd8, 0xff),
        "Struct" => Rgba::new(0xf0, 0x8c, 0x3c, 0xff),
        "Enum" => Rgba::new(0xe8, 0xb4, 0x3c, 0xff),
        "Trait" => Rgba::new(0x9b, 0x6c, 0xf0, 0xff),
        "Impl" => Rgba::new(0xd0, 0x6c, 0xb4, 0xff),
        "Module" | "File" => Rgba::new(0x6c, 0xc0, 0x6c, 0xff),
        _ => Rgba::new(0xa0, 0xa0, 0xa0, 0xff),
    }
}

/// The default look's glyph for a node kind.
#[must_use]
pub fn kind_shape(kind: &str) -> Shape {
    match kind {
        "Function" | "Method" => Shape::Circle,
        "Struct" | "Enum" => Shape::Square,
        "Trait" | "Impl" => Shape::Diamond,
        _ => Shape::Triangle,
    }
}

/// The default look's colour for an edge kind.
#[must_use]
pub fn edge_color(kind: &str) -> Rgba {
    match kind {
        "Calls" => Rgba::new(0x7a, 0x9c, 0xc8, 0x90),
        "Uses" => Rgba::new(0xd8, 0x9c, 0x6c, 0x90),
        "Implements" => Rgba::new(0xb0, 0x8c, 0xf0, 0xd0),
        _ => Rgba::new(0x90, 0x90, 0x90, 0x80),
    }
}

/// The colour, glyph and world size of every node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeStyles {
    /// Colour per node.
    pub color: Vec<Rgba>,
    /// Glyph per node.
    pub shape: Vec<Shape>,
    /// Diameter in world units per node.
    pub size: Vec<f32>,
}

impl NodeStyles {
    /// Colour and glyph by kind; size grows with the square root of degree; placeholders are grey.
    #[must_use]
    pub fn by_kind(graph: &Graph) -> Self {
        let n = graph.node_count();
        let mut s = Self { color: Vec::with_capacity(n), shape: Vec::with_capacity(n), size: Vec::with_capacity(n) };
        for id in graph.nodes() {
            let kind = graph.kind_name(id);
            let external = graph.flags(id).contains(NodeFlags::EXTERNAL);
            s.color.push(if external { Rgba::new(0x8a, 0x8a, 0x8a, 0xc0) } else { kind_color(kind) });
            s.shape.push(kind_shape(kind));
            s.size.push(node_size(graph, id));
        }
        s
    }

    /// Node `i`'s default look: visible, no halo.
    #[must_use]
    pub fn look(&self, i: usize) -> NodeLook {
        NodeLook { color: self.color[i], size: self.size[i], shape: self.shape[i], visible: true, halo: None }
    }
}

/// Width over height of a [`Shape::Box`] that holds `label` (lines split at `\n`, each cut at
/// [`crate::labels::MAX_LABEL_CHARS`] as labels are) with a margin, for a monospace font whose
/// advance is 0.6 of its size: between 1 and 30.
#[must_use]
pub fn box_aspect(label: &str) -> f32 {
    let lines = label.split('\n').count().max(1) as f32;
    let longest = label.split('\n').map(|l| l.chars().count()).max().unwrap_or(0);
    let columns = longest.min(crate::labels::MAX_LABEL_CHARS) as f32;
    ((columns * 0.6 + 1.2) / (lines * 1.2 + 0.6)).clamp(1.0, 30.0)
}

/// World diameter of a node: 1 plus a little per sqrt(degree), so hubs stand out but stay bounded.
#[must_use]
pub fn node_size(graph: &Graph, id: NodeId) -> f32 {
    let degree = (graph.in_degree(id) + graph.out_degree(id)) as f32;
    (1.0 + degree.sqrt() * 0.25).min(6.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_is_as_wide_as_its_longest_kept_line() {
        let two = box_aspect("<<trait>>\nT");
        assert!((two - 2.2).abs() < 0.01, "{two}");
        assert!(box_aspect("a\nb\nc\nd\ne\nf") >= 1.0, "tall boxes stay at least square");
        // A line past the label cut is drawn cut, so the box does not grow past it.
        assert_eq!(box_aspect(&"x".repeat(500)), box_aspect(&"x".repeat(crate::labels::MAX_LABEL_CHARS)));
    }
}
