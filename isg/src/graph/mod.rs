//! The compact graph: column-per-field node table and CSR adjacency both ways.

use crate::modules::{ModuleId, ModuleTree};
use crate::strings::{StrId, StringPool};

mod builder;
mod model_io;

pub use builder::{BuildStats, DuplicateHash, GraphBuilder, NodeSpec, TooManyEdgeKinds};

/// Dense node index, `0..graph.node_count()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The id as a `usize` index.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Index into [`Graph::node_kinds`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeKind(pub u16);

/// Index into [`Graph::edge_kinds`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EdgeKind(pub u8);

/// Per-node flags set by the loader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeFlags(pub u8);

impl NodeFlags {
    /// A placeholder for a callee the export named but did not define.
    pub const EXTERNAL: Self = Self(1);
    /// A placeholder whose name matched several entities, so it was not resolved.
    pub const AMBIGUOUS: Self = Self(2);
    /// A node the loader made up (a source file that an export used as an edge endpoint).
    pub const SYNTHETIC: Self = Self(4);

    /// True when every bit of `other` is set.
    #[must_use]
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Both sets of bits.
    #[must_use]
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

/// A neighbour reached through one edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Neighbour {
    /// The node at the other end.
    pub node: NodeId,
    /// The edge's kind.
    pub kind: EdgeKind,
}

/// Compressed sparse rows: `targets[offsets[n]..offsets[n + 1]]` are node `n`'s neighbours.
#[derive(Clone, Debug, Default)]
struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
    kinds: Vec<u8>,
}

impl Csr {
    fn row(&self, n: NodeId) -> std::ops::Range<usize> {
        self.offsets[n.index()] as usize..self.offsets[n.index() + 1] as usize
    }

    fn bytes(&self) -> usize {
        self.offsets.capacity() * 4 + self.targets.capacity() * 4 + self.kinds.capacity()
    }

    /// Builds rows keyed by `key` of each `(from, to, kind)` triple, pointing at the other end.
    fn from_sorted_triples(node_count: usize, triples: &[(u32, u32, u8)], by_target: bool) -> Self {
        let mut offsets = vec![0u32; node_count + 1];
        for &(from, to, _) in triples {
            let key = if by_target { to } else { from };
            offsets[key as usize + 1] += 1;
        }
        for i in 0..node_count {
            offsets[i + 1] += offsets[i];
        }
        let mut cursor = offsets.clone();
        let mut targets = vec![0u32; triples.len()];
        let mut kinds = vec![0u8; triples.len()];
        for &(from, to, kind) in triples {
            let (key, other) = if by_target { (to, from) } else { (from, to) };
            let slot = cursor[key as usize] as usize;
            cursor[key as usize] += 1;
            targets[slot] = other;
            kinds[slot] = kind;
        }
        Self { offsets, targets, kinds }
    }
}

/// An Interface Signature Graph: code entities and the Calls / Uses / Implements edges between them.
///
/// Nodes are stored column by column and addressed by dense [`NodeId`]s; edges are kept twice,
/// as out-adjacency and in-adjacency, in CSR form. An edge's id is its position in the out-rows.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    strings: StringPool,
    node_kinds: Vec<String>,
    edge_kinds: Vec<String>,
    hash: Vec<u64>,
    kind: Vec<u16>,
    name: Vec<StrId>,
    signature: Vec<StrId>,
    line: Vec<u32>,
    flags: Vec<u8>,
    out: Csr,
    inc: Csr,
    /// Node ids grouped by kind: `kind_nodes[kind_offsets[k]..kind_offsets[k + 1]]`.
    kind_offsets: Vec<u32>,
    kind_nodes: Vec<u32>,
    /// Node ids sorted by hash, for binary-search lookup without a hash table per node.
    by_hash: Vec<u32>,
    modules: ModuleTree,
}

impl Graph {
    /// Number of nodes.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.hash.len()
    }

    /// Number of edges (after the loader merged duplicates).
    #[must_use]
    pub fn edge_count(&self) -> usize {
        self.out.targets.len()
    }

    /// Every node id.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeId> + use<> {
        (0..self.node_count() as u32).map(NodeId)
    }

    /// The names of the node kinds this graph uses, indexed by [`NodeKind`].
    #[must_use]
    pub fn node_kinds(&self) -> &[String] {
        &self.node_kinds
    }

    /// The names of the edge kinds this graph uses, indexed by [`EdgeKind`].
    #[must_use]
    pub fn edge_kinds(&self) -> &[String] {
        &self.edge_kinds
    }

    /// The node kind called `name`, if the graph has it.
    #[must_use]
    pub fn node_kind_named(&self, name: &str) -> Option<NodeKind> {
        self.node_kinds.iter().position(|k| k == name).map(|i| NodeKind(i as u16))
    }

    /// The edge kind called `name`, if the graph has it.
    #[must_use]
    pub fn edge_kind_named(&self, name: &str) -> Option<EdgeKind> {
        self.edge_kinds.iter().position(|k| k == name).map(|i| EdgeKind(i as u8))
    }

    /// The node's 64-bit hash as the export gave it (or as the loader derived it from a key).
    #[must_use]
    pub fn hash(&self, n: NodeId) -> u64 {
        self.hash[n.index()]
    }

    /// The node's kind.
    #[must_use]
    pub fn kind(&self, n: NodeId) -> NodeKind {
        NodeKind(self.kind[n.index()])
    }

    /// The node's kind name.
    #[must_use]
    pub fn kind_name(&self, n: NodeId) -> &str {
        &self.node_kinds[self.kind[n.index()] as usize]
    }

    /// The node's short name.
    #[must_use]
    pub fn name(&self, n: NodeId) -> &str {
        self.strings.get(self.name[n.index()])
    }

    /// The node's interface signature.
    #[must_use]
    pub fn signature(&self, n: NodeId) -> &str {
        self.strings.get(self.signature[n.index()])
    }

    /// The source file the node is defined in (empty for placeholders).
    #[must_use]
    pub fn file_path(&self, n: NodeId) -> &str {
        self.modules.file_path(self.modules.module_of(n), &self.strings)
    }

    /// The node's line (0 when the export did not record one).
    #[must_use]
    pub fn line(&self, n: NodeId) -> u32 {
        self.line[n.index()]
    }

    /// The loader's flags for the node.
    #[must_use]
    pub fn flags(&self, n: NodeId) -> NodeFlags {
        NodeFlags(self.flags[n.index()])
    }

    /// True for placeholder nodes that the export referenced but never defined.
    #[must_use]
    pub fn is_external(&self, n: NodeId) -> bool {
        self.flags(n).contains(NodeFlags::EXTERNAL)
    }

    /// The module (file) the node belongs to.
    #[must_use]
    pub fn module(&self, n: NodeId) -> ModuleId {
        self.modules.module_of(n)
    }

    /// The module tree derived from file paths.
    #[must_use]
    pub fn modules(&self) -> &ModuleTree {
        &self.modules
    }

    /// The string pool behind names, signatures and paths.
    #[must_use]
    pub fn strings(&self) -> &StringPool {
        &self.strings
    }

    /// Outgoing edges of `n`.
    pub fn out_edges(&self, n: NodeId) -> impl ExactSizeIterator<Item = Neighbour> + '_ {
        let r = self.out.row(n);
        self.out.targets[r.clone()]
            .iter()
            .zip(&self.out.kinds[r])
            .map(|(&t, &k)| Neighbour { node: NodeId(t), kind: EdgeKind(k) })
    }

    /// Incoming edges of `n`.
    pub fn in_edges(&self, n: NodeId) -> impl ExactSizeIterator<Item = Neighbour> + '_ {
        let r = self.inc.row(n);
        self.inc.targets[r.clone()]
            .iter()
            .zip(&self.inc.kinds[r])
            .map(|(&t, &k)| Neighbour { node: NodeId(t), kind: EdgeKind(k) })
    }

    /// The raw out-neighbour ids of `n` (fast path for traversals).
    #[must_use]
    pub fn out_targets(&self, n: NodeId) -> &[u32] {
        &self.out.targets[self.out.row(n)]
    }

    /// The raw in-neighbour ids of `n`.
    #[must_use]
    pub fn in_sources(&self, n: NodeId) -> &[u32] {
        &self.inc.targets[self.inc.row(n)]
    }

    /// Number of outgoing edges (fan-out).
    #[must_use]
    pub fn out_degree(&self, n: NodeId) -> usize {
        self.out.row(n).len()
    }

    /// Number of incoming edges (fan-in).
    #[must_use]
    pub fn in_degree(&self, n: NodeId) -> usize {
        self.inc.row(n).len()
    }

    /// Every edge as `(from, to, kind)`, in edge-id order.
    pub fn edges(&self) -> impl Iterator<Item = (NodeId, NodeId, EdgeKind)> + '_ {
        self.nodes().flat_map(move |from| self.out_edges(from).map(move |e| (from, e.node, e.kind)))
    }

    /// The nodes of one kind, in id order.
    #[must_use]
    pub fn nodes_of_kind(&self, kind: NodeKind) -> &[u32] {
        let k = kind.0 as usize;
        if k + 1 >= self.kind_offsets.len() {
            return &[];
        }
        &self.kind_nodes[self.kind_offsets[k] as usize..self.kind_offsets[k + 1] as usize]
    }

    /// The node with this hash, if any.
    #[must_use]
    pub fn node_by_hash(&self, hash: u64) -> Option<NodeId> {
        self.by_hash.binary_search_by_key(&hash, |&id| self.hash[id as usize]).ok().map(|i| NodeId(self.by_hash[i]))
    }

    /// Node counts by kind name, in kind order.
    #[must_use]
    pub fn node_counts_by_kind(&self) -> Vec<(String, usize)> {
        self.node_kinds
            .iter()
            .enumerate()
            .map(|(k, name)| (name.clone(), self.nodes_of_kind(NodeKind(k as u16)).len()))
            .collect()
    }

    /// Edge counts by kind name, in kind order.
    #[must_use]
    pub fn edge_counts_by_kind(&self) -> Vec<(String, usize)> {
        let mut counts = vec![0usize; self.edge_kinds.len()];
        for &k in &self.out.kinds {
            counts[k as usize] += 1;
        }
        self.edge_kinds.iter().cloned().zip(counts).collect()
    }

    /// Heap bytes of the model, split into string data and everything else.
    #[must_use]
    pub fn memory(&self) -> MemoryUsage {
        let columns = self.hash.capacity() * 8
            + self.kind.capacity() * 2
            + self.name.capacity() * 4
            + self.signature.capacity() * 4
            + self.line.capacity() * 4
            + self.flags.capacity()
            + self.kind_offsets.capacity() * 4
            + self.kind_nodes.capacity() * 4
            + self.by_hash.capacity() * 4;
        MemoryUsage {
            string_bytes: self.strings.string_bytes(),
            node_bytes: columns
                + self.strings.index_bytes()
                + self.modules.heap_bytes()
                + self.out.offsets.capacity() * 4
                + self.inc.offsets.capacity() * 4,
            edge_bytes: self.out.bytes() + self.inc.bytes()
                - self.out.offsets.capacity() * 4
                - self.inc.offsets.capacity() * 4,
        }
    }
}

/// Heap bytes held by a [`Graph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryUsage {
    /// Bytes of interned string data.
    pub string_bytes: usize,
    /// Bytes that scale with the node count (columns, offsets, indexes, string offsets, module tree).
    pub node_bytes: usize,
    /// Bytes that scale with the edge count (CSR targets and kinds, both ways).
    pub edge_bytes: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn spec(hash: u64, kind: &'static str, name: &'static str, file: &'static str) -> NodeSpec<'static> {
        NodeSpec { hash, kind, name, signature: name, file_path: file, line: 0, flags: NodeFlags::default() }
    }

    #[test]
    fn builder_merges_duplicate_edges_and_builds_both_directions() {
        let mut b = GraphBuilder::new();
        let a = b.add_node(spec(u64::MAX, "Function", "a", "src/lib.rs")).unwrap();
        let c = b.add_node(spec(1, "Struct", "c", "src/x.rs")).unwrap();
        assert_eq!(b.add_node(spec(1, "Struct", "dup", "src/x.rs")), Err(DuplicateHash(c)));
        b.add_edge(a, c, "Uses").unwrap();
        b.add_edge(a, c, "Uses").unwrap();
        b.add_edge(a, c, "Calls").unwrap();
        b.add_edge(a, a, "Calls").unwrap();
        let (g, stats) = b.finish();
        assert_eq!(stats.duplicate_edges, 1);
        assert_eq!(stats.self_loops, 1);
        assert_eq!(g.edge_count(), 3);
        assert_eq!(g.out_degree(a), 3);
        assert_eq!(g.in_degree(c), 2);
        assert_eq!(g.in_sources(c), &[0, 0]);
        assert_eq!(g.node_by_hash(u64::MAX), Some(a));
        assert_eq!(g.hash(a), u64::MAX);
        assert_eq!(g.node_by_hash(2), None);
        assert_eq!(g.file_path(c), "src/x.rs");
        assert_eq!(g.edge_counts_by_kind(), vec![("Uses".into(), 1), ("Calls".into(), 2)]);
        assert_eq!(g.node_counts_by_kind(), vec![("Function".into(), 1), ("Struct".into(), 1)]);
    }
}
