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

/// For each node of `new` (by id), the node of `old` with the same identity, `u32::MAX` when
/// the node is new.
fn new_to_old(old: &Graph, new: &Graph) -> Vec<u32> {
    let old_by_identity: FxHashMap<Identity<'_>, u32> =
        identities(old).into_iter().enumerate().map(|(i, id)| (id, i as u32)).collect();
    identities(new).iter().map(|identity| old_by_identity.get(identity).copied().unwrap_or(u32::MAX)).collect()
}

/// Compares two graphs.
#[must_use]
pub fn diff(old: &Graph, new: &Graph) -> GraphDiff {
    let mut result = GraphDiff::default();
    let to_old = new_to_old(old, new);
    let mut matched_old = vec![false; old.node_count()];
    for (i, &o) in to_old.iter().enumerate() {
        let n = NodeId(i as u32);
        if o == u32::MAX {
            result.added_nodes.push(n);
        } else {
            matched_old[o as usize] = true;
            if old.signature(NodeId(o)) != new.signature(n) {
                result.changed_signatures.push((NodeId(o), n));
            }
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

/// What happened to a node of a [`DiffUnion`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeChange {
    /// In both, with the same signature.
    Same,
    /// Only in the new graph.
    Added,
    /// Only in the old graph.
    Removed,
    /// In both, re-signed.
    Changed,
}

/// What happened to an edge of a [`DiffUnion`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeChange {
    /// In both.
    Same,
    /// Only in the new graph.
    Added,
    /// Only in the old graph.
    Removed,
}

/// Both snapshots in one graph, to draw a diff: every node and edge of the new graph (with the
/// same ids), then the removed nodes and edges of the old one, each marked with its change.
pub struct DiffUnion {
    /// The new graph plus what was removed.
    pub graph: Graph,
    /// Per node of `graph`.
    pub nodes: Vec<NodeChange>,
    /// Per edge of `graph`, in its edge order.
    pub edges: Vec<EdgeChange>,
}

/// Both snapshots in one graph, marked with what changed from `old` to `new`.
#[must_use]
pub fn union(old: &Graph, new: &Graph) -> DiffUnion {
    use crate::graph::{GraphBuilder, NodeSpec};
    let d = diff(old, new);
    let to_old = new_to_old(old, new);
    let mut builder = GraphBuilder::new();
    builder.reserve(new.node_count() + d.removed_nodes.len(), new.edge_count() + d.removed_edges.len());
    let spec = |g: &Graph, n: NodeId, hash: u64| {
        let (kind, name, signature, file_path) = (g.kind_name(n), g.name(n), g.signature(n), g.file_path(n));
        (hash, kind.to_owned(), name.to_owned(), signature.to_owned(), file_path.to_owned(), g.line(n), g.flags(n))
    };
    // old id -> union id
    let mut old_to_union = vec![u32::MAX; old.node_count()];
    for (i, &o) in to_old.iter().enumerate() {
        if o != u32::MAX {
            old_to_union[o as usize] = i as u32;
        }
    }
    let mut nodes = Vec::with_capacity(new.node_count() + d.removed_nodes.len());
    let added: Vec<(u64, String, String, String, String, u32, crate::NodeFlags)> = new
        .nodes()
        .map(|n| spec(new, n, new.hash(n)))
        .chain(d.removed_nodes.iter().map(|&o| spec(old, o, old.hash(o))))
        .collect();
    for (i, (hash, kind, name, signature, file_path, line, flags)) in added.iter().enumerate() {
        // A removed node may share its hash with a new one (hashes differ between versions, and
        // nothing stops a clash): it takes the next free one.
        let mut hash = *hash;
        let id = loop {
            let node = NodeSpec { hash, kind, name, signature, file_path, line: *line, flags: *flags };
            match builder.add_node(node) {
                Ok(id) => break id,
                Err(_) => hash = hash.wrapping_add(1),
            }
        };
        if i >= new.node_count() {
            old_to_union[d.removed_nodes[i - new.node_count()].index()] = id.0;
            nodes.push(NodeChange::Removed);
        } else if to_old[i] == u32::MAX {
            nodes.push(NodeChange::Added);
        } else {
            nodes.push(NodeChange::Same);
        }
    }
    for &(_, n) in &d.changed_signatures {
        nodes[n.index()] = NodeChange::Changed;
    }
    for (f, t, k) in new.edges() {
        // At most 255 edge kinds: both graphs were built under the same limit, and a union of
        // more kinds keeps the ones that fit.
        builder.add_edge(f, t, &new.edge_kinds()[k.0 as usize]).ok();
    }
    for (f, t, kind) in &d.removed_edges {
        builder.add_edge(NodeId(old_to_union[f.index()]), NodeId(old_to_union[t.index()]), kind).ok();
    }
    let (graph, _) = builder.finish();
    let added: rustc_hash::FxHashSet<(u32, u32, &str)> =
        d.added_edges.iter().map(|(f, t, k)| (f.0, t.0, k.as_str())).collect();
    let removed: rustc_hash::FxHashSet<(u32, u32, &str)> = d
        .removed_edges
        .iter()
        .map(|(f, t, k)| (old_to_union[f.index()], old_to_union[t.index()], k.as_str()))
        .collect();
    let edges = graph
        .edges()
        .map(|(f, t, k)| {
            let key = (f.0, t.0, graph.edge_kinds()[k.0 as usize].as_str());
            if removed.contains(&key) {
                EdgeChange::Removed
            } else if added.contains(&key) {
                EdgeChange::Added
            } else {
                EdgeChange::Same
            }
        })
        .collect();
    DiffUnion { graph, nodes, edges }
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

    #[test]
    fn union_holds_both_snapshots_marked() {
        let old = build(&[("a", "fn a()"), ("b", "fn b()"), ("gone", "fn gone()")], &[(0, 1), (0, 2)]);
        let new = build(&[("b", "fn b(x: u8)"), ("a", "fn a()"), ("fresh", "fn fresh()")], &[(1, 0), (0, 2)]);
        let u = union(&old, &new);
        assert_eq!(u.graph.node_count(), 4);
        for n in new.nodes() {
            assert_eq!(u.graph.name(n), new.name(n), "the new graph's ids are kept");
        }
        assert_eq!(u.nodes, vec![NodeChange::Changed, NodeChange::Same, NodeChange::Added, NodeChange::Removed]);
        // The hash of `gone` (102) is taken by `fresh` in the new graph: it moved to the next free one.
        assert_eq!(u.graph.name(NodeId(3)), "gone");
        assert_eq!(u.graph.hash(NodeId(3)), 103);
        let edges: Vec<(String, String, EdgeChange)> = u
            .graph
            .edges()
            .zip(&u.edges)
            .map(|((f, t, _), &c)| (u.graph.name(f).to_owned(), u.graph.name(t).to_owned(), c))
            .collect();
        assert_eq!(edges.len(), 3);
        assert!(edges.contains(&("a".into(), "b".into(), EdgeChange::Same)));
        assert!(edges.contains(&("b".into(), "fresh".into(), EdgeChange::Added)));
        assert!(edges.contains(&("a".into(), "gone".into(), EdgeChange::Removed)));
    }
}
