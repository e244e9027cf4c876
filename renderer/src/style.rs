//! The style API: colours, shapes, node and edge looks, overlays and the [`StyleSheet`] a renderer
//! plugin or the default look feeds in. How looks are packed into GPU bits is `gpu_bits`'s.

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

    /// From channels `[r, g, b, a]`, as the ABI's records hold them.
    #[must_use]
    pub const fn from_channels([r, g, b, a]: [u8; 4]) -> Self {
        Self::new(r, g, b, a)
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

/// Node glyphs: the ABI's, whose codes the shaders read from each node instance's low byte.
pub use pt_abi::Shape;

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
    /// The renderer's key to its colours and glyphs.
    pub legend: Vec<crate::legend::LegendEntry>,
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

/// The default look's colour for a node kind (the ABI's default look, which the `style-by-kind`
/// plugin draws too).
#[must_use]
pub fn kind_color(kind: &str) -> Rgba {
    Rgba::from_channels(pt_abi::node_kind_rgba(kind))
}

/// The default look's glyph for a node kind.
#[must_use]
pub fn kind_shape(kind: &str) -> Shape {
    pt_abi::node_kind_shape(kind)
}

/// The default look's colour for an edge kind.
#[must_use]
pub fn edge_color(kind: &str) -> Rgba {
    Rgba::from_channels(pt_abi::edge_kind_rgba(kind))
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
            s.color.push(if external { Rgba::from_channels(pt_abi::EXTERNAL_RGBA) } else { kind_color(kind) });
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

/// Characters kept of a label line by default; longer lines end in an ellipsis.
pub const MAX_LABEL_CHARS: usize = 40;

/// Width over height of a [`Shape::Box`] that holds `label` (lines split at `\n`, each cut at
/// [`MAX_LABEL_CHARS`] as labels are) with a margin, for a monospace font whose
/// advance is 0.6 of its size: between 1 and 30.
#[must_use]
pub fn box_aspect(label: &str) -> f32 {
    let lines = label.split('\n').count().max(1) as f32;
    let longest = label.split('\n').map(|l| l.chars().count()).max().unwrap_or(0);
    let columns = longest.min(MAX_LABEL_CHARS) as f32;
    ((columns * 0.6 + 1.2) / (lines * 1.2 + 0.6)).clamp(1.0, 30.0)
}

/// World diameter of a node: twice the ABI's default radius for its degree, so hubs stand out but
/// stay bounded.
#[must_use]
pub fn node_size(graph: &Graph, id: NodeId) -> f32 {
    let degree = u32::try_from(graph.in_degree(id) + graph.out_degree(id)).unwrap_or(u32::MAX);
    2.0 * pt_abi::node_radius(degree)
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
        assert_eq!(box_aspect(&"x".repeat(500)), box_aspect(&"x".repeat(MAX_LABEL_CHARS)));
    }
}
