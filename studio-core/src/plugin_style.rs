//! A renderer plugin's output, as the renderer's [`StyleSheet`]: the ABI's style records, which the
//! host checked and the worker passed on as written, decoded once here into node and edge looks,
//! labels and overlays.

use isg::Graph;
use plugin_host::abi::{EdgeMarks, EdgeStyle, NodeStyle, Overlay, RecordError, Records};
use renderer::legend::{LegendEntry, Swatch};
use renderer::style::{Arrow, EdgeLook, NodeLook, Overlay as ViewOverlay, Rgba, Shape, StyleError, StyleSheet};
use serde::{Deserialize, Serialize};

/// Halo colour for nodes a renderer marks with the halo flag.
const HALO: Rgba = Rgba::new(0xff, 0xd0, 0x50, 0xd0);
/// Annotation text colour.
const ANNOTATION: Rgba = Rgba::new(0xff, 0xb0, 0x60, 0xff);

/// The small parts of a renderer's output, which travel as JSON beside the records.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleExtras {
    /// Label text by node id, as pairs: a map with number keys would not survive an internally
    /// tagged message (serde buffers it with string keys, which then fail to read as `u32`).
    pub labels: Vec<(u32, String)>,
    /// Hulls and annotations.
    pub overlays: Vec<Overlay>,
}

/// Why a renderer's output could not be applied; the view stays as it was.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PluginStyleError {
    /// No graph is shown.
    #[error("no graph is shown")]
    NoGraph,
    /// A record array does not fit the graph shown, or is malformed.
    #[error(transparent)]
    Records(#[from] RecordError),
    /// An overlay colour that is not `#rrggbb(aa)`.
    #[error("overlay colour {0:?} is not #rrggbb or #rrggbbaa")]
    OverlayColour(String),
    /// The finished style sheet does not fit the graph.
    #[error(transparent)]
    Style(#[from] StyleError),
}

fn node_look(s: NodeStyle) -> NodeLook {
    NodeLook {
        color: Rgba::from_channels(s.rgba),
        // The ABI speaks of radius, the renderer of diameter.
        size: s.size * 2.0,
        shape: s.shape,
        visible: !s.hidden,
        halo: s.halo.then_some(HALO),
    }
}

fn edge_look(s: EdgeStyle) -> EdgeLook {
    EdgeLook {
        color: Rgba::from_channels(s.rgba),
        width_px: s.width,
        visible: s.width > 0.0,
        arrow: Arrow::Filled,
        dashed: false,
    }
}

fn with_marks(look: EdgeLook, marks: EdgeMarks) -> EdgeLook {
    let arrow = if marks.0 & EdgeMarks::NO_ARROW != 0 {
        Arrow::None
    } else if marks.0 & EdgeMarks::HOLLOW_ARROW != 0 {
        Arrow::Hollow
    } else {
        look.arrow
    };
    EdgeLook { arrow, dashed: marks.0 & EdgeMarks::DASHED != 0, ..look }
}

/// A renderer's record arrays as they arrived: ABI node and edge style records and edge mark
/// bytes, each only if the plugin set them.
#[derive(Clone, Copy, Debug, Default)]
pub struct StyleRecords<'a> {
    /// Node style records.
    pub nodes: Option<&'a [u8]>,
    /// Edge style records.
    pub edges: Option<&'a [u8]>,
    /// Edge mark bytes.
    pub marks: Option<&'a [u8]>,
}

/// Builds the style sheet for `graph`. The records are checked again here: they crossed a
/// worker boundary, and the page trusts no message.
///
/// # Errors
/// Records that do not fit the graph, or an overlay colour that is not `#rrggbb(aa)`.
pub fn style_sheet(
    graph: &Graph,
    records: StyleRecords<'_>,
    extras: StyleExtras,
) -> Result<StyleSheet, PluginStyleError> {
    let (nodes, edges) = (graph.node_count(), graph.edge_count());
    let node_looks = match records.nodes {
        Some(b) => Some(Records::<NodeStyle>::check(b, nodes)?.iter().map(node_look).collect()),
        None => None,
    };
    let mut edge_looks: Option<Vec<EdgeLook>> = match records.edges {
        Some(b) => Some(Records::<EdgeStyle>::check(b, edges)?.iter().map(edge_look).collect()),
        None => None,
    };
    if let Some(marks) = records.marks {
        let marks = Records::<EdgeMarks>::check(marks, edges)?;
        let looks = edge_looks.take().unwrap_or_else(|| renderer::scene::default_edge_looks(graph));
        edge_looks = Some(looks.into_iter().zip(marks.iter()).map(|(l, m)| with_marks(l, m)).collect());
    }
    let mut overlays = Vec::new();
    let mut legend = Vec::new();
    for o in extras.overlays {
        match o {
            Overlay::Hull { nodes, color, label } => {
                let color = Rgba::from_css_hex(&color).ok_or(PluginStyleError::OverlayColour(color))?;
                overlays.push(ViewOverlay::Hull { nodes, color, label });
            }
            Overlay::Annotation { node, text } => {
                overlays.push(ViewOverlay::Annotation { node, text, color: ANNOTATION })
            }
            Overlay::Legend { color, label, swatch } => {
                let color = Rgba::from_css_hex(&color).ok_or(PluginStyleError::OverlayColour(color))?;
                legend.push(LegendEntry { swatch: swatch_of(swatch.as_deref()), color, label });
            }
        }
    }
    Ok(StyleSheet {
        nodes: node_looks,
        edges: edge_looks,
        labels: extras.labels.into_iter().collect(),
        overlays,
        legend,
    })
}

/// A legend swatch by its ABI name (the host checked it is one of `SWATCHES`).
fn swatch_of(name: Option<&str>) -> Swatch {
    match name {
        Some("square") => Swatch::Node(Shape::Square),
        Some("diamond") => Swatch::Node(Shape::Diamond),
        Some("triangle") => Swatch::Node(Shape::Triangle),
        Some("box") => Swatch::Node(Shape::Box),
        Some("line") => Swatch::Line { dashed: false },
        Some("dashed") => Swatch::Line { dashed: true },
        Some("area") => Swatch::Area,
        _ => Swatch::Node(Shape::Circle),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_abi_swatch_name_has_its_own_swatch() {
        let swatches: Vec<Swatch> = plugin_host::abi::SWATCHES.iter().map(|&n| swatch_of(Some(n))).collect();
        for (i, a) in swatches.iter().enumerate() {
            assert!(swatches[i + 1..].iter().all(|b| b != a), "{a:?} twice");
        }
        assert_eq!(swatch_of(None), Swatch::Node(Shape::Circle));
    }
}
