//! The graph as plugins see it: compact arrays built once per loaded graph and shared by every call.

use std::sync::Arc;

use isg::{Graph, NodeId};

/// A loaded graph plus the flat arrays `pt_isg` copies out of, in edge order of [`Graph::edges`].
#[derive(Debug)]
pub struct GraphInput {
    graph: Arc<Graph>,
    pub(crate) edges: Vec<[u32; 2]>,
    pub(crate) edge_kinds: Vec<u8>,
    pub(crate) node_kinds: Vec<u16>,
    pub(crate) node_flags: Vec<u8>,
    pub(crate) node_modules: Vec<u32>,
}

impl GraphInput {
    /// Builds the arrays; O(nodes + edges), done once per graph, not per call.
    pub fn new(graph: Arc<Graph>) -> Self {
        let mut edges = Vec::with_capacity(graph.edge_count());
        let mut edge_kinds = Vec::with_capacity(graph.edge_count());
        for (from, to, kind) in graph.edges() {
            edges.push([from.0, to.0]);
            edge_kinds.push(kind.0);
        }
        let nodes = || graph.nodes();
        let node_kinds = nodes().map(|n| graph.kind(n).0).collect();
        let node_flags = nodes().map(|n| u8::from(graph.is_external(n))).collect();
        let node_modules = nodes().map(|n| graph.module(n).0).collect();
        Self { graph, edges, edge_kinds, node_kinds, node_flags, node_modules }
    }

    /// The graph itself.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_kinds.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    pub(crate) fn node(&self, id: i32) -> Option<NodeId> {
        u32::try_from(id).ok().filter(|&i| (i as usize) < self.node_count()).map(NodeId)
    }
}
