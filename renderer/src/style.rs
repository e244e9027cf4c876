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
}

/// Per-node highlight bits, as the shader reads them.
pub struct NodeFlagsGpu;

impl NodeFlagsGpu {
    /// The selected node.
    pub const SELECTED: u32 = 1;
    /// A neighbour of the selection.
    pub const NEIGHBOUR: u32 = 2;
    /// A search hit.
    pub const HIT: u32 = 4;
    /// Not drawn.
    pub const HIDDEN: u32 = 16;
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
}

/// World diameter of a node: 1 plus a little per sqrt(degree), so hubs stand out but stay bounded.
#[must_use]
pub fn node_size(graph: &Graph, id: NodeId) -> f32 {
    let degree = (graph.in_degree(id) + graph.out_degree(id)) as f32;
    (1.0 + degree.sqrt() * 0.25).min(6.0)
}
