//! The WGSL sources, validated with naga by the test suite.

/// Nodes and edges: instanced quads reading node data from a texture.
pub const GRAPH_WGSL: &str = include_str!("shaders/graph.wgsl");

/// Every shader, by name, for validation.
pub const ALL: &[(&str, &str)] = &[("graph.wgsl", GRAPH_WGSL)];
