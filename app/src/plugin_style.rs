//! A renderer plugin's output, as the renderer's [`StyleSheet`]: the plugin ABI's style records
//! (checked again on arrival) turned into node and edge looks, labels and overlays.

use isg::Graph;
use plugin_host::abi::{self, EdgeMarks, EdgeStyle, NodeStyle, Overlay};
use renderer::style::{Arrow, EdgeLook, NodeLook, Overlay as ViewOverlay, Rgba, Shape, StyleSheet};

use crate::plugin_protocol::StyleExtras;

/// Halo colour for nodes a renderer marks with the halo flag.
const HALO: Rgba = Rgba::new(0xff, 0xd0, 0x50, 0xd0);
/// Annotation text colour.
const ANNOTATION: Rgba = Rgba::new(0xff, 0xb0, 0x60, 0xff);

/// The ABI packs colours `0xAABBGGRR` (R in the low byte); the renderer packs `0xRRGGBBAA`.
fn colour(abi_rgba: u32) -> Rgba {
    let [r, g, b, a] = abi_rgba.to_le_bytes();
    Rgba::new(r, g, b, a)
}

fn shape(s: abi::Shape) -> Shape {
    match s {
        abi::Shape::Circle => Shape::Circle,
        abi::Shape::Square => Shape::Square,
        abi::Shape::Diamond => Shape::Diamond,
        abi::Shape::Triangle => Shape::Triangle,
        abi::Shape::Box => Shape::Box,
    }
}

fn node_look(s: &NodeStyle) -> NodeLook {
    NodeLook {
        color: colour(s.rgba),
        // The ABI speaks of radius, the renderer of diameter.
        size: s.size * 2.0,
        shape: shape(s.shape),
        visible: s.flags & NodeStyle::HIDDEN == 0,
        halo: (s.flags & NodeStyle::HALO != 0).then_some(HALO),
    }
}

fn edge_look(s: &EdgeStyle) -> EdgeLook {
    EdgeLook { color: colour(s.rgba), width_px: s.width, visible: s.width > 0.0, arrow: Arrow::Filled, dashed: false }
}

fn with_marks(look: EdgeLook, marks: u8) -> EdgeLook {
    let arrow = if marks & EdgeMarks::NO_ARROW != 0 {
        Arrow::None
    } else if marks & EdgeMarks::HOLLOW_ARROW != 0 {
        Arrow::Hollow
    } else {
        look.arrow
    };
    EdgeLook { arrow, dashed: marks & EdgeMarks::DASHED != 0, ..look }
}

/// A renderer's style records as the worker passed them on: ABI node and edge style records and
/// edge mark bytes, each only if the plugin set them.
#[derive(Clone, Copy, Debug, Default)]
pub struct StyleRecords<'a> {
    /// Node style records.
    pub nodes: Option<&'a [u8]>,
    /// Edge style records.
    pub edges: Option<&'a [u8]>,
    /// Edge mark bytes.
    pub marks: Option<&'a [u8]>,
}

/// Builds the style sheet for `graph`.
///
/// # Errors
/// Records that do not fit the graph, or an overlay colour that is not `#rrggbb(aa)`, in words.
pub fn style_sheet(graph: &Graph, records: StyleRecords<'_>, extras: StyleExtras) -> Result<StyleSheet, String> {
    let (nodes, edges) = (graph.node_count(), graph.edge_count());
    let node_looks = records.nodes.map(|b| abi::decode_node_styles(b, nodes)).transpose()?;
    let mut edge_looks: Option<Vec<EdgeLook>> = records
        .edges
        .map(|b| abi::decode_edge_styles(b, edges))
        .transpose()?
        .map(|v| v.iter().map(edge_look).collect());
    if let Some(marks) = records.marks {
        abi::check_edge_marks(marks, edges)?;
        let looks = edge_looks.take().unwrap_or_else(|| renderer::scene::default_edge_looks(graph));
        edge_looks = Some(looks.into_iter().zip(marks).map(|(l, &m)| with_marks(l, m)).collect());
    }
    let overlays = extras
        .overlays
        .into_iter()
        .map(|o| match o {
            Overlay::Hull { nodes, color, label } => Rgba::from_css_hex(&color)
                .map(|color| ViewOverlay::Hull { nodes, color, label })
                .ok_or_else(|| format!("overlay colour {color:?} is not #rrggbb or #rrggbbaa")),
            Overlay::Annotation { node, text } => Ok(ViewOverlay::Annotation { node, text, color: ANNOTATION }),
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(StyleSheet {
        nodes: node_looks.map(|v| v.iter().map(node_look).collect()),
        edges: edge_looks,
        labels: extras.labels.into_iter().collect(),
        overlays,
    })
}
