//! The WGSL sources, validated with naga by the test suite. Each shader is the shared prelude
//! (view uniform, node texture, colour helpers) followed by its own entry points.

/// Nodes, edges and arrowheads: instanced quads reading node data from a texture.
pub const GRAPH_WGSL: &str = concat!(include_str!("shaders/common.wgsl"), include_str!("shaders/graph.wgsl"));

/// Labels from the distance-field atlas.
pub const TEXT_WGSL: &str = concat!(include_str!("shaders/common.wgsl"), include_str!("shaders/text.wgsl"));

/// Hulls and minimap rectangles.
pub const OVERLAY_WGSL: &str = concat!(include_str!("shaders/common.wgsl"), include_str!("shaders/overlay.wgsl"));

/// The picture cache copied onto the target (no prelude: it reads only its texture).
pub const LAYER_WGSL: &str = include_str!("shaders/layer.wgsl");

/// Every shader, by name, with the entry points it must have.
pub const ALL: &[(&str, &str, &[&str])] = &[
    (
        "graph.wgsl",
        GRAPH_WGSL,
        &["edge_vs", "edge_fs", "edge_plain_vs", "edge_plain_fs", "arrow_vs", "node_vs", "node_fs"],
    ),
    ("text.wgsl", TEXT_WGSL, &["text_vs", "text_fs"]),
    ("overlay.wgsl", OVERLAY_WGSL, &["overlay_vs", "overlay_fs"]),
    ("layer.wgsl", LAYER_WGSL, &["layer_vs", "layer_fs"]),
];
