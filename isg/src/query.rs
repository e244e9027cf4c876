//! Queries over a [`Graph`]: ranked search, k-hop neighbourhoods, strongly connected components
//! and fan-in / fan-out rankings.

use crate::graph::{EdgeKind, Graph, NodeId};
use crate::role::CodeRole;

/// How many bytes of each signature the search index keeps; v1 signatures hold whole bodies.
const SIGNATURE_PREFIX: usize = 160;

/// Lower-cased names and signature prefixes laid out back to back for fast substring scans.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    names: String,
    name_starts: Vec<u32>,
    signatures: String,
    signature_starts: Vec<u32>,
}

/// One search result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchHit {
    /// The matching node.
    pub node: NodeId,
    /// Higher is better.
    pub score: u32,
}

/// Where the query was found, best first.
fn name_match_score(name_len: usize, at: usize, preceded_by: Option<u8>, query_len: usize) -> u32 {
    if at == 0 && query_len == name_len {
        1000
    } else if at == 0 {
        800
    } else if matches!(preceded_by, Some(b'_' | b':' | b' ' | b'<' | b'.')) {
        600
    } else {
        400
    }
}

impl SearchIndex {
    /// Indexes every node's name and the start of its signature.
    #[must_use]
    pub fn build(graph: &Graph) -> Self {
        let n = graph.node_count();
        let mut index = Self {
            names: String::with_capacity(n * 12),
            name_starts: Vec::with_capacity(n + 1),
            signatures: String::new(),
            signature_starts: Vec::with_capacity(n + 1),
        };
        for id in graph.nodes() {
            index.name_starts.push(index.names.len() as u32);
            push_lowercase(&mut index.names, graph.name(id));
            index.names.push('\n');
            index.signature_starts.push(index.signatures.len() as u32);
            let sig = graph.signature(id);
            let cut = floor_char_boundary(sig, SIGNATURE_PREFIX);
            push_lowercase(&mut index.signatures, &sig[..cut]);
            index.signatures.push('\n');
        }
        index.name_starts.push(index.names.len() as u32);
        index.signature_starts.push(index.signatures.len() as u32);
        index
    }

    /// Ranked matches of `query` in names (exact, prefix, word start, substring) and signatures.
    ///
    /// Within a match class, source ranks before tests, benches and examples, and those before
    /// external placeholders; then the better-connected node, then the shorter name. Returns at
    /// most `limit` hits.
    #[must_use]
    pub fn search(&self, graph: &Graph, query: &str, limit: usize) -> Vec<SearchHit> {
        let query = query.trim().to_lowercase();
        if query.is_empty() || query.contains('\n') || limit == 0 {
            return Vec::new();
        }
        // Matches come in position order, so a cursor walks the node boundaries once and all
        // matches inside one name are consecutive: no per-query node-sized array, no binary search.
        let mut found: Vec<(u32, u32)> = Vec::new();
        let bytes = self.names.as_bytes();
        let mut node = 0usize;
        for (pos, _) in self.names.match_indices(query.as_str()) {
            while self.name_starts[node + 1] as usize <= pos {
                node += 1;
            }
            let start = self.name_starts[node] as usize;
            let name_len = self.name_starts[node + 1] as usize - start - 1;
            let at = pos - start;
            let score = name_match_score(name_len, at, (at > 0).then(|| bytes[pos - 1]), query.len());
            match found.last_mut() {
                Some((last, best)) if *last == node as u32 => *best = (*best).max(score),
                _ => found.push((node as u32, score)),
            }
        }
        // A name match always outranks a signature match (400 + bonus > 200 + bonus), so signatures
        // are only scanned when names alone do not fill the page.
        if query.len() >= 2 && found.len() < limit {
            let named: rustc_hash::FxHashSet<u32> = found.iter().map(|&(n, _)| n).collect();
            let mut node = 0usize;
            for (pos, _) in self.signatures.match_indices(query.as_str()) {
                while self.signature_starts[node + 1] as usize <= pos {
                    node += 1;
                }
                if !named.contains(&(node as u32)) && found.last().is_none_or(|&(l, _)| l != node as u32) {
                    found.push((node as u32, 200));
                }
            }
        }
        // The match class decides first; within a class, the crate's own source before its tests,
        // benches and examples, and those before placeholders; then the better-connected node.
        let mut hits: Vec<SearchHit> = found
            .into_iter()
            .map(|(i, base)| {
                let node = NodeId(i);
                let degree = (graph.in_degree(node) + graph.out_degree(node)) as u32;
                let connectivity = (32 - degree.leading_zeros()) * 8; // log2 of degree, scaled
                let role = match graph.role(node) {
                    CodeRole::Src => 400,
                    CodeRole::Test | CodeRole::Bench | CodeRole::Example => 200,
                    CodeRole::External => 0,
                };
                SearchHit { node, score: base * 1000 + role + connectivity.min(150) }
            })
            .collect();
        let cmp = |a: &SearchHit, b: &SearchHit| {
            b.score
                .cmp(&a.score)
                .then_with(|| graph.name(a.node).len().cmp(&graph.name(b.node).len()))
                .then(a.node.cmp(&b.node))
        };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, cmp);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(cmp);
        hits
    }
}

fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase).map(|c| if c == '\n' { ' ' } else { c }));
    }
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    (0..=max).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// Which way to follow edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Along edges (callees, used types).
    Out,
    /// Against edges (callers, users).
    In,
    /// Both ways.
    Both,
}

/// Nodes within `hops` edges of `seeds`, each with its distance, seeds first (distance 0).
///
/// `kinds` restricts which edge kinds are followed; `None` follows all.
#[must_use]
pub fn neighbourhood(
    graph: &Graph,
    seeds: &[NodeId],
    hops: usize,
    direction: Direction,
    kinds: Option<&[EdgeKind]>,
) -> Vec<(NodeId, u32)> {
    let mut seen = vec![false; graph.node_count()];
    let mut result: Vec<(NodeId, u32)> = Vec::new();
    for &s in seeds {
        if !std::mem::replace(&mut seen[s.index()], true) {
            result.push((s, 0));
        }
    }
    let allowed = |k: EdgeKind| kinds.is_none_or(|ks| ks.contains(&k));
    let mut frontier_start = 0;
    for depth in 1..=hops as u32 {
        let frontier_end = result.len();
        if frontier_start == frontier_end {
            break;
        }
        for i in frontier_start..frontier_end {
            let node = result[i].0;
            if matches!(direction, Direction::Out | Direction::Both) {
                for e in graph.out_edges(node) {
                    if allowed(e.kind) && !std::mem::replace(&mut seen[e.node.index()], true) {
                        result.push((e.node, depth));
                    }
                }
            }
            if matches!(direction, Direction::In | Direction::Both) {
                for e in graph.in_edges(node) {
                    if allowed(e.kind) && !std::mem::replace(&mut seen[e.node.index()], true) {
                        result.push((e.node, depth));
                    }
                }
            }
        }
        frontier_start = frontier_end;
    }
    result
}

/// A shortest path from `from` to `to`, both included, following edges (`Out`), against them
/// (`In`) or either way (`Both`), through edges of `kinds` only (`None`: all). `None` when `to`
/// cannot be reached. Breadth-first: linear in the edges it looks at.
#[must_use]
pub fn shortest_path(
    graph: &Graph,
    from: NodeId,
    to: NodeId,
    direction: Direction,
    kinds: Option<&[EdgeKind]>,
) -> Option<Vec<NodeId>> {
    let n = graph.node_count();
    if from.index() >= n || to.index() >= n {
        return None;
    }
    const UNSEEN: u32 = u32::MAX;
    let mut parent = vec![UNSEEN; n];
    parent[from.index()] = from.0;
    let mut queue = std::collections::VecDeque::from([from]);
    let allowed = |k: EdgeKind| kinds.is_none_or(|ks| ks.contains(&k));
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to];
            let mut at = to;
            while at != from {
                at = NodeId(parent[at.index()]);
                path.push(at);
            }
            path.reverse();
            return Some(path);
        }
        let out = matches!(direction, Direction::Out | Direction::Both).then(|| graph.out_edges(node));
        let inc = matches!(direction, Direction::In | Direction::Both).then(|| graph.in_edges(node));
        for e in out.into_iter().flatten().chain(inc.into_iter().flatten()) {
            if allowed(e.kind) && parent[e.node.index()] == UNSEEN {
                parent[e.node.index()] = node.0;
                queue.push_back(e.node);
            }
        }
    }
    None
}

/// Strongly connected components.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Components {
    /// The component of each node, indexed by node id.
    pub component: Vec<u32>,
    /// Nodes per component.
    pub sizes: Vec<u32>,
}

impl Components {
    /// Number of components.
    #[must_use]
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// Size of the largest component.
    #[must_use]
    pub fn largest(&self) -> u32 {
        self.sizes.iter().copied().max().unwrap_or(0)
    }
}

/// Tarjan's algorithm with an explicit stack, so a million-node chain cannot overflow the call
/// stack (`analysis_core::tangles::components_by`, the one written for the analysis plugins).
#[must_use]
pub fn strongly_connected_components(graph: &Graph) -> Components {
    let found =
        analysis_core::tangles::components_by(graph.node_count(), |v, i| graph.out_targets(NodeId(v)).get(i).copied());
    let mut sizes = vec![0u32; found.count as usize];
    for &c in &found.of {
        sizes[c as usize] += 1;
    }
    Components { component: found.of, sizes }
}

/// The `limit` nodes with the most incoming (`Direction::In`), outgoing (`Out`) or total (`Both`) edges.
#[must_use]
pub fn top_by_degree(graph: &Graph, direction: Direction, limit: usize) -> Vec<(NodeId, usize)> {
    let degree = |n: NodeId| match direction {
        Direction::In => graph.in_degree(n),
        Direction::Out => graph.out_degree(n),
        Direction::Both => graph.in_degree(n) + graph.out_degree(n),
    };
    let mut all: Vec<(NodeId, usize)> = graph.nodes().map(|n| (n, degree(n))).collect();
    let cmp = |a: &(NodeId, usize), b: &(NodeId, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    if all.len() > limit && limit > 0 {
        all.select_nth_unstable_by(limit - 1, cmp);
    }
    all.truncate(limit);
    all.sort_unstable_by(cmp);
    all
}

impl SearchIndex {
    pub(crate) fn write_model(&self, w: &mut crate::model::codec::ModelWriter) {
        w.text(&self.names);
        w.u32s(&self.name_starts);
        w.text(&self.signatures);
        w.u32s(&self.signature_starts);
    }

    pub(crate) fn read_model(
        r: &mut crate::model::codec::ModelReader<'_>,
        nodes: usize,
    ) -> Result<Self, crate::model::codec::ModelError> {
        use crate::model::codec::ModelError;
        let names = r.text()?;
        let name_starts = r.u32s()?;
        let signatures = r.text()?;
        let signature_starts = r.u32s()?;
        let fits = |text: &str, starts: &[u32]| {
            starts.len() == nodes + 1
                && starts.last().is_some_and(|&e| e as usize == text.len())
                && starts.windows(2).all(|w| w[0] <= w[1])
                && starts.iter().all(|&s| text.is_char_boundary(s as usize))
        };
        if !fits(&names, &name_starts) || !fits(&signatures, &signature_starts) {
            return Err(ModelError::Inconsistent("search index"));
        }
        Ok(Self { names, name_starts, signatures, signature_starts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphBuilder, NodeFlags, NodeSpec};

    fn graph(names: &[&'static str], edges: &[(u32, u32, &'static str)]) -> Graph {
        let mut b = GraphBuilder::new();
        for (i, name) in names.iter().enumerate() {
            let sig = Box::leak(format!("fn {name}()").into_boxed_str());
            b.add_node(NodeSpec {
                hash: i as u64,
                kind: "Function",
                name,
                signature: sig,
                file_path: "src/lib.rs",
                line: 0,
                flags: NodeFlags::default(),
            })
            .unwrap();
        }
        for &(f, t, k) in edges {
            b.add_edge(NodeId(f), NodeId(t), k).unwrap();
        }
        b.finish().0
    }

    #[test]
    fn search_ranks_exact_then_prefix_then_word_then_substring() {
        let g = graph(&["spawn_blocking", "spawn", "try_spawn", "respawned", "unrelated"], &[]);
        let idx = SearchIndex::build(&g);
        let names: Vec<&str> = idx.search(&g, "Spawn", 10).iter().map(|h| g.name(h.node)).collect();
        assert_eq!(names, ["spawn", "spawn_blocking", "try_spawn", "respawned"]);
        assert_eq!(idx.search(&g, "spawn", 2).len(), 2);
        assert!(idx.search(&g, "   ", 10).is_empty());
        // matches in the signature only count from two characters on
        assert_eq!(idx.search(&g, "fn ", 10).len(), 5);
    }

    #[test]
    fn equal_matches_rank_source_before_tests_even_when_tests_are_busier() {
        let mut b = GraphBuilder::new();
        for (i, file) in ["src/runtime/tests/task.rs", "src/runtime/mod.rs", "tests/rt.rs"].into_iter().enumerate() {
            b.add_node(NodeSpec {
                hash: i as u64,
                kind: "Struct",
                name: "Runtime",
                signature: "struct Runtime",
                file_path: file,
                line: 1,
                flags: NodeFlags::default(),
            })
            .unwrap();
        }
        for i in 3..40u64 {
            b.add_node(NodeSpec {
                hash: i,
                kind: "Function",
                name: "t",
                signature: "",
                file_path: "tests/rt.rs",
                line: 1,
                flags: NodeFlags::default(),
            })
            .unwrap();
            b.add_edge(NodeId(i as u32), NodeId(0), "Uses").unwrap();
        }
        let g = b.finish().0;
        let idx = SearchIndex::build(&g);
        let files: Vec<&str> = idx.search(&g, "runtime", 3).iter().map(|h| g.file_path(h.node)).collect();
        assert_eq!(files[0], "src/runtime/mod.rs", "{files:?}");
        // Between the two tests, the busier one first.
        assert_eq!(files[1], "src/runtime/tests/task.rs");
    }

    #[test]
    fn shortest_paths_follow_the_direction_asked() {
        // a -> b -> c -> d, and a shortcut a -> d through Uses; e is apart.
        let g = graph(&["a", "b", "c", "d", "e"], &[(0, 1, "Calls"), (1, 2, "Calls"), (2, 3, "Calls"), (0, 3, "Uses")]);
        let ids = |p: Option<Vec<NodeId>>| p.map(|p| p.into_iter().map(|n| n.0).collect::<Vec<_>>());
        assert_eq!(ids(shortest_path(&g, NodeId(0), NodeId(3), Direction::Out, None)), Some(vec![0, 3]));
        let calls = [g.edge_kind_named("Calls").unwrap()];
        assert_eq!(ids(shortest_path(&g, NodeId(0), NodeId(3), Direction::Out, Some(&calls))), Some(vec![0, 1, 2, 3]));
        assert_eq!(ids(shortest_path(&g, NodeId(3), NodeId(0), Direction::Out, None)), None);
        assert_eq!(ids(shortest_path(&g, NodeId(3), NodeId(1), Direction::In, Some(&calls))), Some(vec![3, 2, 1]));
        // Either way round, two hops: through b or through d.
        let both = ids(shortest_path(&g, NodeId(2), NodeId(0), Direction::Both, None)).unwrap();
        assert!(both == [2, 1, 0] || both == [2, 3, 0], "{both:?}");
        assert_eq!(ids(shortest_path(&g, NodeId(1), NodeId(1), Direction::Out, None)), Some(vec![1]));
        assert_eq!(ids(shortest_path(&g, NodeId(0), NodeId(4), Direction::Both, None)), None);
        assert_eq!(ids(shortest_path(&g, NodeId(0), NodeId(99), Direction::Both, None)), None);
    }

    #[test]
    fn neighbourhood_respects_hops_direction_and_kinds() {
        let g = graph(&["a", "b", "c", "d"], &[(0, 1, "Calls"), (1, 2, "Calls"), (2, 3, "Uses"), (3, 0, "Calls")]);
        let calls = g.edge_kind_named("Calls").unwrap();
        let out2: Vec<_> = neighbourhood(&g, &[NodeId(0)], 2, Direction::Out, None);
        assert_eq!(out2, vec![(NodeId(0), 0), (NodeId(1), 1), (NodeId(2), 2)]);
        let in1 = neighbourhood(&g, &[NodeId(0)], 1, Direction::In, None);
        assert_eq!(in1, vec![(NodeId(0), 0), (NodeId(3), 1)]);
        let only_calls = neighbourhood(&g, &[NodeId(1)], 5, Direction::Out, Some(&[calls]));
        assert_eq!(only_calls.len(), 2);
    }

    #[test]
    fn scc_finds_cycles_and_survives_a_long_chain() {
        let g = graph(&["a", "b", "c", "d"], &[(0, 1, "Calls"), (1, 0, "Calls"), (1, 2, "Calls"), (3, 3, "Calls")]);
        let c = strongly_connected_components(&g);
        assert_eq!(c.count(), 3);
        assert_eq!(c.component[0], c.component[1]);
        assert_ne!(c.component[0], c.component[2]);
        assert_eq!(c.largest(), 2);

        let n = 200_000u32;
        let mut b = GraphBuilder::new();
        for i in 0..n {
            b.add_node(NodeSpec {
                hash: u64::from(i),
                kind: "Function",
                name: "f",
                signature: "",
                file_path: "",
                line: 0,
                flags: NodeFlags::default(),
            })
            .unwrap();
        }
        for i in 0..n {
            b.add_edge(NodeId(i), NodeId((i + 1) % n), "Calls").unwrap();
        }
        let ring = strongly_connected_components(&b.finish().0);
        assert_eq!(ring.count(), 1);
        assert_eq!(ring.largest(), n);
    }

    #[test]
    fn top_by_degree_orders_hubs_first() {
        let g = graph(&["hub", "a", "b"], &[(1, 0, "Calls"), (2, 0, "Calls"), (0, 1, "Calls")]);
        assert_eq!(top_by_degree(&g, Direction::In, 1), vec![(NodeId(0), 2)]);
        assert_eq!(top_by_degree(&g, Direction::Out, 3)[2].1, 1);
    }
}
