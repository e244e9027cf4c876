//! A renderer plugin's output, as the renderer's [`StyleSheet`]: the plugin ABI's style records
//! (checked again on arrival) turned into node and edge looks, labels and overlays.

use plugin_host::abi::{self, EdgeStyle, NodeStyle, Overlay};
use renderer::style::{EdgeLook, NodeLook, Overlay as ViewOverlay, Rgba, Shape, StyleSheet};

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
    EdgeLook { color: colour(s.rgba), width_px: s.width, visible: s.width > 0.0, arrow: true }
}

/// Builds the style sheet for a graph of `nodes` nodes and `edges` edges.
///
/// # Errors
/// Records that do not fit the graph, or an overlay colour that is not `#rrggbb(aa)`, in words.
pub fn style_sheet(
    nodes: usize,
    edges: usize,
    node_records: Option<&[u8]>,
    edge_records: Option<&[u8]>,
    extras: StyleExtras,
) -> Result<StyleSheet, String> {
    let node_looks = node_records.map(|b| abi::decode_node_styles(b, nodes)).transpose()?;
    let edge_looks = edge_records.map(|b| abi::decode_edge_styles(b, edges)).transpose()?;
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
        edges: edge_looks.map(|v| v.iter().map(edge_look).collect()),
        labels: extras.labels,
        overlays,
    })
}
