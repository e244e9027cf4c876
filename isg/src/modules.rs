//! The module/file tree derived from node file paths, and quotient graphs over it.

use rustc_hash::FxHashMap;

use crate::graph::{Graph, NodeId};
use crate::strings::{Interner, StrId, StringPool};

/// Index of a folder or file in a [`ModuleTree`]. The root is `ModuleId(0)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

impl ModuleId {
    /// The tree's root.
    pub const ROOT: Self = Self(0);
}

/// Name of the folder that holds placeholder nodes with no source file.
pub const EXTERNAL_MODULE: &str = "(external)";

/// Folders and files, as a tree, with each node assigned to its file.
#[derive(Clone, Debug, Default)]
pub struct ModuleTree {
    parent: Vec<u32>,
    segment: Vec<StrId>,
    path: Vec<StrId>,
    depth: Vec<u16>,
    /// Nodes directly in each module (files hold nodes; folders hold none).
    direct_nodes: Vec<u32>,
    node_module: Vec<u32>,
}

impl ModuleTree {
    pub(crate) fn build(node_files: &[StrId], interner: &mut Interner) -> Self {
        let root_name = interner.intern("");
        let mut tree = Self {
            parent: vec![u32::MAX],
            segment: vec![root_name],
            path: vec![root_name],
            depth: vec![0],
            direct_nodes: vec![0],
            node_module: Vec::with_capacity(node_files.len()),
        };
        let mut by_file: FxHashMap<StrId, u32> = FxHashMap::default();
        let mut by_child: FxHashMap<(u32, StrId), u32> = FxHashMap::default();
        for &file in node_files {
            let module = match by_file.get(&file) {
                Some(&m) => m,
                None => {
                    let raw = interner.get(file).to_owned();
                    let m = tree.insert_path(&raw, interner, &mut by_child);
                    by_file.insert(file, m);
                    m
                }
            };
            tree.node_module.push(module);
            tree.direct_nodes[module as usize] += 1;
        }
        tree
    }

    fn insert_path(&mut self, raw: &str, interner: &mut Interner, by_child: &mut FxHashMap<(u32, StrId), u32>) -> u32 {
        let trimmed = raw.trim_start_matches("./").trim_start_matches('/');
        let segments: Vec<&str> = if trimmed.is_empty() {
            vec![EXTERNAL_MODULE]
        } else {
            trimmed.split('/').filter(|s| !s.is_empty() && *s != ".").collect()
        };
        let mut current = 0u32;
        let mut prefix = String::new();
        for (i, seg) in segments.iter().enumerate() {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(seg);
            let seg_id = interner.intern(seg);
            current = match by_child.get(&(current, seg_id)) {
                Some(&c) => c,
                None => {
                    let id = self.parent.len() as u32;
                    let is_leaf = i + 1 == segments.len();
                    self.parent.push(current);
                    self.segment.push(seg_id);
                    self.path.push(interner.intern(if is_leaf && !trimmed.is_empty() { raw } else { &prefix }));
                    self.depth.push((i + 1) as u16);
                    self.direct_nodes.push(0);
                    by_child.insert((current, seg_id), id);
                    id
                }
            };
        }
        current
    }

    /// Number of folders and files, root included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// True when the tree is only its root.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parent.len() <= 1
    }

    /// The module holding node `n`.
    #[must_use]
    pub fn module_of(&self, n: NodeId) -> ModuleId {
        ModuleId(self.node_module[n.index()])
    }

    /// The parent of `m`, `None` for the root.
    #[must_use]
    pub fn parent(&self, m: ModuleId) -> Option<ModuleId> {
        let p = self.parent[m.0 as usize];
        (p != u32::MAX).then_some(ModuleId(p))
    }

    /// Depth of `m`; the root is 0.
    #[must_use]
    pub fn depth(&self, m: ModuleId) -> usize {
        usize::from(self.depth[m.0 as usize])
    }

    /// The last path segment of `m`.
    #[must_use]
    pub fn name<'a>(&self, m: ModuleId, strings: &'a StringPool) -> &'a str {
        strings.get(self.segment[m.0 as usize])
    }

    /// The full path of `m`: the file path as the export spelled it, or the folder's prefix.
    #[must_use]
    pub fn file_path<'a>(&self, m: ModuleId, strings: &'a StringPool) -> &'a str {
        if m == ModuleId::ROOT || strings.get(self.segment[m.0 as usize]) == EXTERNAL_MODULE {
            return "";
        }
        strings.get(self.path[m.0 as usize])
    }

    /// Number of nodes directly in `m`.
    #[must_use]
    pub fn direct_node_count(&self, m: ModuleId) -> usize {
        self.direct_nodes[m.0 as usize] as usize
    }

    /// The ancestor of `m` at `depth`, or `m` itself when it is shallower.
    #[must_use]
    pub fn ancestor_at(&self, mut m: ModuleId, depth: usize) -> ModuleId {
        while self.depth(m) > depth {
            m = ModuleId(self.parent[m.0 as usize]);
        }
        m
    }

    /// The deepest level in the tree.
    #[must_use]
    pub fn max_depth(&self) -> usize {
        self.depth.iter().copied().max().map_or(0, usize::from)
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.parent.capacity() * 4
            + self.segment.capacity() * 4
            + self.path.capacity() * 4
            + self.depth.capacity() * 2
            + self.direct_nodes.capacity() * 4
            + self.node_module.capacity() * 4
    }
}

/// The graph with every node replaced by its module at some depth: one group per module,
/// and one weighted edge per pair of groups that any edge connects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotientGraph {
    /// The module each group stands for.
    pub groups: Vec<ModuleId>,
    /// The group each node falls in, indexed by node id.
    pub node_group: Vec<u32>,
    /// Nodes per group.
    pub group_sizes: Vec<u32>,
    /// `(from group, to group, number of edges)`, sorted; edges inside one group are left out.
    pub edges: Vec<(u32, u32, u32)>,
    /// Edges whose both ends fall in the same group.
    pub internal_edges: usize,
}

/// Collapses `graph` onto its modules at `depth` (1 = top-level folders).
#[must_use]
pub fn quotient(graph: &Graph, depth: usize) -> QuotientGraph {
    let tree = graph.modules();
    let mut group_of_module: FxHashMap<ModuleId, u32> = FxHashMap::default();
    let mut groups = Vec::new();
    let mut group_sizes: Vec<u32> = Vec::new();
    let mut node_group = Vec::with_capacity(graph.node_count());
    for n in graph.nodes() {
        let m = tree.ancestor_at(tree.module_of(n), depth);
        let g = *group_of_module.entry(m).or_insert_with(|| {
            groups.push(m);
            group_sizes.push(0);
            (groups.len() - 1) as u32
        });
        group_sizes[g as usize] += 1;
        node_group.push(g);
    }
    let mut weights: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut internal_edges = 0;
    for n in graph.nodes() {
        let gf = node_group[n.index()];
        for &t in graph.out_targets(n) {
            let gt = node_group[t as usize];
            if gf == gt {
                internal_edges += 1;
            } else {
                *weights.entry((gf, gt)).or_insert(0) += 1;
            }
        }
    }
    let mut edges: Vec<(u32, u32, u32)> = weights.into_iter().map(|((a, b), w)| (a, b, w)).collect();
    edges.sort_unstable();
    QuotientGraph { groups, node_group, group_sizes, edges, internal_edges }
}

impl ModuleTree {
    pub(crate) fn write_model(&self, w: &mut crate::model::codec::ModelWriter) {
        w.u32s(&self.parent);
        w.u32s(&self.segment.iter().map(|s| s.0).collect::<Vec<_>>());
        w.u32s(&self.path.iter().map(|s| s.0).collect::<Vec<_>>());
        w.u16s(&self.depth);
        w.u32s(&self.direct_nodes);
        w.u32s(&self.node_module);
    }

    pub(crate) fn read_model(
        r: &mut crate::model::codec::ModelReader<'_>,
        nodes: usize,
        strings: usize,
    ) -> Result<Self, crate::model::codec::ModelError> {
        use crate::model::codec::{ModelError, check_ids};
        let parent = r.u32s()?;
        let segment = r.u32s()?;
        let path = r.u32s()?;
        let depth = r.u16s()?;
        let direct_nodes = r.u32s()?;
        let node_module = r.u32s()?;
        let m = parent.len();
        let same = [segment.len(), path.len(), depth.len(), direct_nodes.len()].iter().all(|&l| l == m);
        // Parents come before their children (the root first), so walking up always ends.
        let parents_ok =
            parent.first() == Some(&u32::MAX) && parent.iter().enumerate().skip(1).all(|(i, &p)| (p as usize) < i);
        if !same || !parents_ok || node_module.len() != nodes {
            return Err(ModelError::Inconsistent("module tree"));
        }
        check_ids(&segment, strings, "module names")?;
        check_ids(&path, strings, "module paths")?;
        check_ids(&node_module, m, "node modules")?;
        Ok(Self {
            parent,
            segment: segment.into_iter().map(StrId).collect(),
            path: path.into_iter().map(StrId).collect(),
            depth,
            direct_nodes,
            node_module,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphBuilder, NodeFlags, NodeSpec};

    fn node(hash: u64, file: &'static str) -> NodeSpec<'static> {
        NodeSpec {
            hash,
            kind: "Function",
            name: "f",
            signature: "fn f",
            file_path: file,
            line: 0,
            flags: NodeFlags::default(),
        }
    }

    #[test]
    fn tree_follows_paths_and_quotient_weights_cross_module_edges() {
        let mut b = GraphBuilder::new();
        let a = b.add_node(node(1, "./src/net/tcp.rs")).unwrap();
        let c = b.add_node(node(2, "./src/net/udp.rs")).unwrap();
        let d = b.add_node(node(3, "./src/fs/mod.rs")).unwrap();
        let e = b.add_node(node(4, "")).unwrap();
        b.add_edge(a, c, "Calls").unwrap();
        b.add_edge(a, d, "Calls").unwrap();
        b.add_edge(c, d, "Uses").unwrap();
        b.add_edge(a, e, "Calls").unwrap();
        let (g, _) = b.finish();
        let t = g.modules();
        assert_eq!(g.file_path(a), "./src/net/tcp.rs");
        assert_eq!(g.file_path(e), "");
        assert_eq!(t.depth(t.module_of(a)), 3);
        assert_eq!(t.name(t.ancestor_at(t.module_of(a), 2), g.strings()), "net");
        // root, src, net, tcp.rs, udp.rs, fs, mod.rs, (external)
        assert_eq!(t.len(), 8);

        let q = quotient(&g, 2);
        assert_eq!(q.groups.len(), 3); // net, fs, (external)
        assert_eq!(q.internal_edges, 1);
        let net = q.node_group[a.index()];
        let fs = q.node_group[d.index()];
        assert!(q.edges.contains(&(net, fs, 2)));
        assert_eq!(q.group_sizes[net as usize], 2);
    }
}
