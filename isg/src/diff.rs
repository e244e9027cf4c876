//! Differences between two graphs: added, removed and re-signed nodes, added and removed edges.
//!
//! Nodes are matched by identity (kind, file, name, and occurrence for same-named overloads),
//! not by hash: hashes differ between parseltongue versions for the same entity.

use rustc_hash::FxHashMap;

use crate::graph::{Graph, NodeId};

/// What changed from `old` to `new`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphDiff {
    /// Nodes only in the new graph (ids in `new`).
    pub added_nodes: Vec<NodeId>,
    /// Nodes only in the old graph (ids in `old`).
    pub removed_nodes: Vec<NodeId>,
    /// Nodes in both whose signature changed, as `(old id, new id)`.
    pub changed_signatures: Vec<(NodeId, NodeId)>,
    /// Edges only in the new graph, as `(from, to, kind name)` with ids in `new`.
    pub added_edges: Vec<(NodeId, NodeId, String)>,
    /// Edges only in the old graph, with ids in `old`.
    pub removed_edges: Vec<(NodeId, NodeId, String)>,
}

impl GraphDiff {
    /// True when nothing changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.added_nodes.is_empty()
            && self.removed_nodes.is_empty()
            && self.changed_signatures.is_empty()
            && self.added_edges.is_empty()
            && self.removed_edges.is_empty()
    }
}

type Identity<'g> = (&'g str, &'g str, &'g str, u32);

fn identities(graph: &Graph) -> Vec<Identity<'_>> {
    let mut occurrences: FxHashMap<(&str, &str, &str), u32> = FxHashMap::default();
    graph
        .nodes()
        .map(|n| {
            let base = (graph.kind_name(n), graph.file_path(n), graph.name(n));
            let seen = occurrences.entry(base).or_insert(0);
            *seen += 1;
            (base.0, base.1, base.2, *seen - 1)
        })
        .collect()
}

/// Compares two graphs.
#[must_use]
pub fn diff(old: &Graph, new: &Graph) -> GraphDiff {
    let old_ids = identities(old);
    let new_ids = identities(new);
    let old_by_identity: FxHashMap<Identity<'_>, NodeId> =
        old_ids.iter().enumerate().map(|(i, &id)| (id, NodeId(i as u32))).collect();
    let mut result = GraphDiff::default();
    // new id -> old id, u32::MAX when the node is new
    let mut to_old = vec![u32::MAX; new.node_count()];
    let mut matched_old = vec![false; old.node_count()];
    for (i, identity) in new_ids.iter().enumerate() {
        let n = NodeId(i as u32);
        match old_by_identity.get(identity) {
            Some(&o) => {
                to_old[i] = o.0;
                matched_old[o.index()] = true;
                if old.signature(o) != new.signature(n) {
                    result.changed_signatures.push((o, n));
                }
            }
            None => result.added_nodes.push(n),
        }
    }
    result.removed_nodes = old.nodes().filter(|o| !matched_old[o.index()]).collect();

    let mut new_edge_set: rustc_hash::FxHashSet<(u32, u32, &str)> = rustc_hash::FxHashSet::default();
    for (f, t, k) in new.edges() {
        let kind = new.edge_kinds()[k.0 as usize].as_str();
        let (of, ot) = (to_old[f.index()], to_old[t.index()]);
        if of == u32::MAX || ot == u32::MAX {
            result.added_edges.push((f, t, kind.to_owned()));
        } else {
            new_edge_set.insert((of, ot, kind));
        }
    }
    let mut old_edge_set: rustc_hash::FxHashSet<(u32, u32, &str)> = rustc_hash::FxHashSet::default();
    for (f, t, k) in old.edges() {
        let kind = old.edge_kinds()[k.0 as usize].as_str();
        if !new_edge_set.contains(&(f.0, t.0, kind)) {
            result.removed_edges.push((f, t, kind.to_owned()));
        }
        old_edge_set.insert((f.0, t.0, kind));
    }
    let new_of_old: FxHashMap<u32, u32> =
        to_old.iter().enumerate().filter(|(_, o)| **o != u32::MAX).map(|(n, &o)| (o, n as u32)).collect();
    for &(of, ot, kind) in &new_edge_set {
        if !old_edge_set.contains(&(of, ot, kind)) {
            result.added_edges.push((NodeId(new_of_old[&of]), NodeId(new_of_old[&ot]), kind.to_owned()));
        }
    }
    result.added_edges.sort_unstable();
    result.removed_edges.sort_unstable();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphBuilder, NodeFlags, NodeSpec};

    fn build(nodes: &[(&'static str, &'static str)], edges: &[(u32, u32)]) -> Graph {
        let mut b = GraphBuilder::new();
        for (i, &(name, signature)) in nodes.iter().enumerate() {
            b.add_node(NodeSpec {
                hash: i as u64 + 100,
                kind: "Function",
                name,
                signature,
                file_path: "src/a.rs",
                line: 0,
                flags: NodeFlags::default(),
            })
            .unwrap();
        }
        for &(f, t) in edges {
            b.add_edge(NodeId(f), NodeId(t), "Calls").unwrap();
        }
        b.finish().0
    }

    #[test]
    fn diff_reports_nodes_signatures_and_edges() {
        let old = build(&[("a", "fn a()"), ("b", "fn b()"), ("gone", "fn gone()")], &[(0, 1), (0, 2)]);
        let new = build(&[("b", "fn b(x: u8)"), ("a", "fn a()"), ("fresh", "fn fresh()")], &[(1, 0), (0, 2)]);
        let d = diff(&old, &new);
        assert_eq!(d.added_nodes, vec![NodeId(2)]);
        assert_eq!(d.removed_nodes, vec![NodeId(2)]);
        assert_eq!(d.changed_signatures, vec![(NodeId(1), NodeId(0))]);
        assert_eq!(d.added_edges, vec![(NodeId(0), NodeId(2), "Calls".into())]);
        assert_eq!(d.removed_edges, vec![(NodeId(0), NodeId(2), "Calls".into())]);
        assert!(diff(&old, &old).is_empty());
    }
}
