//! The compact graph: column-per-field node table and CSR adjacency both ways.

use rustc_hash::FxHashMap;

use crate::modules::{ModuleId, ModuleTree};
use crate::strings::{Interner, StrId, StringPool};

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

/// One node to add to a [`GraphBuilder`].
#[derive(Clone, Copy, Debug)]
pub struct NodeSpec<'a> {
    /// Unique 64-bit identity.
    pub hash: u64,
    /// Kind name; unknown kinds are kept as they are.
    pub kind: &'a str,
    /// Short name.
    pub name: &'a str,
    /// Interface signature.
    pub signature: &'a str,
    /// Source file, as the export spelled it.
    pub file_path: &'a str,
    /// Line, 0 when unknown.
    pub line: u32,
    /// Loader flags.
    pub flags: NodeFlags,
}

/// What [`GraphBuilder::finish`] merged or noticed on the way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Edges dropped because the same `(from, to, kind)` was already present.
    pub duplicate_edges: usize,
    /// Edges from a node to itself (kept).
    pub self_loops: usize,
    /// Examples of self-loops, as node ids.
    pub self_loop_examples: Vec<NodeId>,
}

/// Accumulates nodes and edges, then freezes them into a [`Graph`].
pub struct GraphBuilder {
    interner: Interner,
    node_kinds: Vec<String>,
    edge_kinds: Vec<String>,
    hash: Vec<u64>,
    kind: Vec<u16>,
    name: Vec<StrId>,
    signature: Vec<StrId>,
    file: Vec<StrId>,
    line: Vec<u32>,
    flags: Vec<u8>,
    hash_to_id: FxHashMap<u64, u32>,
    edges: Vec<(u32, u32, u8)>,
}

/// A node with this hash is already present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DuplicateHash(pub NodeId);

/// The graph has more distinct edge kinds than the model stores (255).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("more than 255 distinct edge kinds")]
pub struct TooManyEdgeKinds;

impl Default for GraphBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl GraphBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self {
            interner: Interner::new(),
            node_kinds: Vec::new(),
            edge_kinds: Vec::new(),
            hash: Vec::new(),
            kind: Vec::new(),
            name: Vec::new(),
            signature: Vec::new(),
            file: Vec::new(),
            line: Vec::new(),
            flags: Vec::new(),
            hash_to_id: FxHashMap::default(),
            edges: Vec::new(),
        }
    }

    /// Reserves room for `nodes` nodes and `edges` edges.
    pub fn reserve(&mut self, nodes: usize, edges: usize) {
        self.hash.reserve(nodes);
        self.kind.reserve(nodes);
        self.name.reserve(nodes);
        self.signature.reserve(nodes);
        self.file.reserve(nodes);
        self.line.reserve(nodes);
        self.flags.reserve(nodes);
        self.hash_to_id.reserve(nodes);
        self.edges.reserve(edges);
    }

    /// Number of nodes added so far.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.hash.len()
    }

    /// The node added with `hash`, if any.
    #[must_use]
    pub fn node_by_hash(&self, hash: u64) -> Option<NodeId> {
        self.hash_to_id.get(&hash).map(|&i| NodeId(i))
    }

    /// The name given to a node added earlier.
    #[must_use]
    pub fn name(&self, n: NodeId) -> &str {
        self.interner.get(self.name[n.index()])
    }

    fn node_kind_id(&mut self, kind: &str) -> u16 {
        if let Some(i) = self.node_kinds.iter().position(|k| k == kind) {
            return i as u16;
        }
        self.node_kinds.push(kind.to_owned());
        (self.node_kinds.len() - 1) as u16
    }

    fn edge_kind_id(&mut self, kind: &str) -> Result<u8, TooManyEdgeKinds> {
        if let Some(i) = self.edge_kinds.iter().position(|k| k == kind) {
            return Ok(i as u8);
        }
        if self.edge_kinds.len() >= usize::from(u8::MAX) {
            return Err(TooManyEdgeKinds);
        }
        self.edge_kinds.push(kind.to_owned());
        Ok((self.edge_kinds.len() - 1) as u8)
    }

    /// Adds a node, or reports the node that already has its hash.
    pub fn add_node(&mut self, spec: NodeSpec<'_>) -> Result<NodeId, DuplicateHash> {
        let id = self.hash.len() as u32;
        match self.hash_to_id.entry(spec.hash) {
            std::collections::hash_map::Entry::Occupied(e) => {
                return Err(DuplicateHash(NodeId(*e.get())));
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id);
            }
        }
        let kind = self.node_kind_id(spec.kind);
        self.hash.push(spec.hash);
        self.kind.push(kind);
        let name = self.interner.intern(spec.name);
        self.name.push(name);
        let signature = self.interner.intern(spec.signature);
        self.signature.push(signature);
        let file = self.interner.intern(spec.file_path);
        self.file.push(file);
        self.line.push(spec.line);
        self.flags.push(spec.flags.0);
        Ok(NodeId(id))
    }

    /// Adds an edge between two nodes added earlier.
    pub fn add_edge(&mut self, from: NodeId, to: NodeId, kind: &str) -> Result<(), TooManyEdgeKinds> {
        let k = self.edge_kind_id(kind)?;
        self.edges.push((from.0, to.0, k));
        Ok(())
    }

    /// Freezes the graph: merges duplicate edges, builds both CSRs, the kind index and the module tree.
    #[must_use]
    pub fn finish(mut self) -> (Graph, BuildStats) {
        let n = self.hash.len();
        let mut stats = BuildStats::default();

        // Counting sort by source, then a small sort per row, is O(E) overall and lets
        // duplicates be merged row by row without a global sort of 1M triples.
        let mut out = Csr::from_sorted_triples(n, &self.edges, false);
        self.edges = Vec::new();
        let mut write = 0usize;
        let mut new_offsets = Vec::with_capacity(n + 1);
        new_offsets.push(0u32);
        let mut row: Vec<(u32, u8)> = Vec::new();
        for node in 0..n {
            let r = out.offsets[node] as usize..out.offsets[node + 1] as usize;
            row.clear();
            row.extend(out.targets[r.clone()].iter().copied().zip(out.kinds[r].iter().copied()));
            row.sort_unstable();
            let before = row.len();
            row.dedup();
            stats.duplicate_edges += before - row.len();
            for &(t, k) in &row {
                if t as usize == node {
                    stats.self_loops += 1;
                    if stats.self_loop_examples.len() < 5 {
                        stats.self_loop_examples.push(NodeId(t));
                    }
                }
                out.targets[write] = t;
                out.kinds[write] = k;
                write += 1;
            }
            new_offsets.push(write as u32);
        }
        out.targets.truncate(write);
        out.kinds.truncate(write);
        out.targets.shrink_to_fit();
        out.kinds.shrink_to_fit();
        out.offsets = new_offsets;

        let mut inc_offsets = vec![0u32; n + 1];
        for &t in &out.targets {
            inc_offsets[t as usize + 1] += 1;
        }
        for i in 0..n {
            inc_offsets[i + 1] += inc_offsets[i];
        }
        let mut cursor = inc_offsets.clone();
        let mut inc_targets = vec![0u32; write];
        let mut inc_kinds = vec![0u8; write];
        for from in 0..n {
            for e in out.offsets[from] as usize..out.offsets[from + 1] as usize {
                let t = out.targets[e] as usize;
                let slot = cursor[t] as usize;
                cursor[t] += 1;
                inc_targets[slot] = from as u32;
                inc_kinds[slot] = out.kinds[e];
            }
        }
        let inc = Csr { offsets: inc_offsets, targets: inc_targets, kinds: inc_kinds };

        let kinds = self.node_kinds.len();
        let mut kind_offsets = vec![0u32; kinds + 1];
        for &k in &self.kind {
            kind_offsets[k as usize + 1] += 1;
        }
        for i in 0..kinds {
            kind_offsets[i + 1] += kind_offsets[i];
        }
        let mut cursor = kind_offsets.clone();
        let mut kind_nodes = vec![0u32; n];
        for (id, &k) in self.kind.iter().enumerate() {
            kind_nodes[cursor[k as usize] as usize] = id as u32;
            cursor[k as usize] += 1;
        }

        let mut by_hash: Vec<u32> = (0..n as u32).collect();
        by_hash.sort_unstable_by_key(|&i| self.hash[i as usize]);
        drop(self.hash_to_id);

        let modules = ModuleTree::build(&self.file, &mut self.interner);
        let graph = Graph {
            strings: self.interner.finish(),
            node_kinds: self.node_kinds,
            edge_kinds: self.edge_kinds,
            hash: self.hash,
            kind: self.kind,
            name: self.name,
            signature: self.signature,
            line: self.line,
            flags: self.flags,
            out,
            inc,
            kind_offsets,
            kind_nodes,
            by_hash,
            modules,
        };
        (graph, stats)
    }
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
