//! Building a [`Graph`]: nodes and edges accumulate, then freeze into columns and CSR rows.

use rustc_hash::FxHashMap;

use super::{Csr, Graph, NodeFlags, NodeId};
use crate::modules::ModuleTree;
use crate::strings::{Interner, StrId};

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

    /// Registers kinds in this order before any node or edge uses them, so a graph rebuilt from
    /// its parts numbers its kinds (and so orders each node's edges) as the original did.
    ///
    /// # Errors
    /// More than 255 edge kinds.
    pub(crate) fn declare_kinds(
        &mut self,
        node_kinds: &[String],
        edge_kinds: &[String],
    ) -> Result<(), TooManyEdgeKinds> {
        for k in node_kinds {
            self.node_kind_id(k);
        }
        for k in edge_kinds {
            self.edge_kind_id(k)?;
        }
        Ok(())
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

        let inc_offsets = bucket_offsets(out.targets.iter().map(|&t| t as usize), n);
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
        let kind_offsets = bucket_offsets(self.kind.iter().map(|&k| usize::from(k)), kinds);
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

/// CSR offsets for a counting sort: `offsets[b]..offsets[b + 1]` is bucket `b`'s slot range when
/// each key lands in its bucket.
fn bucket_offsets(keys: impl Iterator<Item = usize>, buckets: usize) -> Vec<u32> {
    let mut offsets = vec![0u32; buckets + 1];
    for k in keys {
        offsets[k + 1] += 1;
    }
    for i in 0..buckets {
        offsets[i + 1] += offsets[i];
    }
    offsets
}
