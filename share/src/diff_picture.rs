//! A diff report's picture: both snapshots in one graph ([`isg::diff::union`]) with every node
//! and edge coloured by what happened to it — added, removed, re-signed, or the same (dimmed) —
//! as a renderer plugin's style would be, with its legend; the viewer applies and checks it the
//! same way.

use isg::diff::{DiffUnion, EdgeChange, NodeChange};
use pt_abi::{EdgeStyle, NodeStyle, encode_edge_styles, encode_node_styles, node_kind_shape, node_radius};

use crate::payload::CapturedStyle;

/// Added nodes and edges.
pub const ADDED_RGBA: [u8; 4] = [0x2e, 0xa0, 0x43, 0xff];
/// Removed nodes and edges.
pub const REMOVED_RGBA: [u8; 4] = [0xd7, 0x3a, 0x49, 0xff];
/// Re-signed nodes.
pub const CHANGED_RGBA: [u8; 4] = [0xe3, 0xa0, 0x08, 0xff];
/// What did not change, dimmed so the changes stand out.
pub const SAME_RGBA: [u8; 4] = [0x9a, 0xa4, 0xb0, 0x70];

/// The style's name, as the legend shows it.
pub const DIFF_STYLE: &str = "diff";

fn node_rgba(change: NodeChange) -> [u8; 4] {
    match change {
        NodeChange::Same => SAME_RGBA,
        NodeChange::Added => ADDED_RGBA,
        NodeChange::Removed => REMOVED_RGBA,
        NodeChange::Changed => CHANGED_RGBA,
    }
}

fn edge_rgba(change: EdgeChange) -> [u8; 4] {
    match change {
        EdgeChange::Same => SAME_RGBA,
        EdgeChange::Added => ADDED_RGBA,
        EdgeChange::Removed => REMOVED_RGBA,
    }
}

fn hex(rgba: [u8; 4]) -> String {
    format!("#{:02x}{:02x}{:02x}{:02x}", rgba[0], rgba[1], rgba[2], rgba[3])
}

/// How many nodes and edges changed, in words.
#[must_use]
pub fn summary(u: &DiffUnion) -> String {
    let n = |c: NodeChange| u.nodes.iter().filter(|&&x| x == c).count();
    let e = |c: EdgeChange| u.edges.iter().filter(|&&x| x == c).count();
    format!(
        "{} nodes added, {} removed, {} re-signed; {} edges added, {} removed",
        n(NodeChange::Added),
        n(NodeChange::Removed),
        n(NodeChange::Changed),
        e(EdgeChange::Added),
        e(EdgeChange::Removed)
    )
}

/// The style that colours `u` by change, with its legend.
#[must_use]
pub fn diff_style(u: &DiffUnion) -> CapturedStyle {
    let g = &u.graph;
    let nodes: Vec<NodeStyle> = g
        .nodes()
        .map(|v| {
            let change = u.nodes[v.index()];
            NodeStyle {
                rgba: node_rgba(change),
                size: node_radius((g.in_degree(v) + g.out_degree(v)) as u32),
                shape: node_kind_shape(g.kind_name(v)),
                hidden: false,
                halo: change != NodeChange::Same,
            }
        })
        .collect();
    let edges: Vec<EdgeStyle> = u
        .edges
        .iter()
        .map(|&c| EdgeStyle { rgba: edge_rgba(c), width: if c == EdgeChange::Same { 1.0 } else { 2.0 } })
        .collect();
    let count = |c: NodeChange| u.nodes.iter().filter(|&&x| x == c).count();
    let ecount = |c: EdgeChange| u.edges.iter().filter(|&&x| x == c).count();
    let legend = [
        (
            ADDED_RGBA,
            format!("added ({} nodes, {} edges)", count(NodeChange::Added), ecount(EdgeChange::Added)),
            "circle",
        ),
        (
            REMOVED_RGBA,
            format!("removed ({} nodes, {} edges)", count(NodeChange::Removed), ecount(EdgeChange::Removed)),
            "circle",
        ),
        (CHANGED_RGBA, format!("re-signed ({} nodes)", count(NodeChange::Changed)), "circle"),
        (SAME_RGBA, "unchanged".to_owned(), "circle"),
    ];
    let overlays: Vec<serde_json::Value> = legend
        .iter()
        .map(|(rgba, label, swatch)| serde_json::json!({"type": "legend", "color": hex(*rgba), "label": label, "swatch": swatch}))
        .collect();
    CapturedStyle {
        name: DIFF_STYLE.to_owned(),
        nodes: Some(encode_node_styles(&nodes)),
        edges: Some(encode_edge_styles(&edges)),
        marks: None,
        extras: serde_json::json!({"labels": [], "overlays": overlays}),
    }
}
