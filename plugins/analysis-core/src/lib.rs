//! Analysis algorithms with no dependencies, so the same code runs as analysis plugins in the
//! wasmi sandbox and natively in tests on hand-built graphs with known answers and on the real
//! samples:
//! - [`tangles`]: strongly connected components (iterative Tarjan), each tangle's feedback edges
//!   by Eades–Lin–Smyth, at node and at module level, and how tangled each module is;
//! - [`metrics`]: Robert Martin's package metrics per module (Ca, Ce, instability,
//!   abstractness, distance from the main sequence) and the zones of pain and uselessness;
//! - [`smells`]: hub-like modules, unstable dependencies and god items, by thresholds;
//! - [`communities`]: Leiden communities and the modularity of any partition;
//! - [`patterns`]: builders, newtypes, visitors and observers guessed from names and signatures
//!   (experimental);
//! - [`rank`]: PageRank over dependencies, personalised to a selection, for what to read first;
//! - [`unreferenced`]: functions nothing calls that are no entry point, trait method or test.
//!
//! Graphs come as a node count and directed `[from, to]` edges, the way plugins read them.

pub mod communities;
pub mod metrics;
pub mod patterns;
pub mod rank;
pub mod smells;
pub mod tangles;
pub mod unreferenced;

/// Outgoing and incoming adjacency in compressed rows, with the edge index of every entry.
#[derive(Debug, Clone, Default)]
pub struct Digraph {
    out_start: Vec<u32>,
    out: Vec<(u32, u32)>,
    in_start: Vec<u32>,
    inn: Vec<(u32, u32)>,
}

impl Digraph {
    /// Builds from `edges` over `n` nodes; an edge naming a node `>= n` is left out.
    #[must_use]
    pub fn new(n: usize, edges: &[[u32; 2]]) -> Self {
        let valid = |e: &[u32; 2]| (e[0] as usize) < n && (e[1] as usize) < n;
        let rows = |side: usize| {
            let mut start = vec![0u32; n + 1];
            for e in edges.iter().filter(|e| valid(e)) {
                start[e[side] as usize + 1] += 1;
            }
            for i in 0..n {
                start[i + 1] += start[i];
            }
            let mut fill = start.clone();
            let mut entries = vec![(0u32, 0u32); start[n] as usize];
            for (i, e) in edges.iter().enumerate().filter(|(_, e)| valid(e)) {
                let slot = &mut fill[e[side] as usize];
                entries[*slot as usize] = (e[1 - side], i as u32);
                *slot += 1;
            }
            (start, entries)
        };
        let (out_start, out) = rows(0);
        let (in_start, inn) = rows(1);
        Self { out_start, out, in_start, inn }
    }

    /// Number of nodes.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.out_start.len().saturating_sub(1)
    }

    /// `(target, edge index)` of every edge leaving `v`.
    #[must_use]
    pub fn successors(&self, v: u32) -> &[(u32, u32)] {
        &self.out[self.out_start[v as usize] as usize..self.out_start[v as usize + 1] as usize]
    }

    /// `(source, edge index)` of every edge entering `v`.
    #[must_use]
    pub fn predecessors(&self, v: u32) -> &[(u32, u32)] {
        &self.inn[self.in_start[v as usize] as usize..self.in_start[v as usize + 1] as usize]
    }
}

/// The graph of modules: one node per module id, one edge per ordered pair of different modules
/// with at least one node edge between them, weighted by how many.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleGraph {
    /// Number of modules (one more than the highest id).
    pub count: usize,
    /// Nodes per module.
    pub sizes: Vec<u32>,
    /// Module edges, sorted.
    pub edges: Vec<[u32; 2]>,
    /// Node edges behind each module edge.
    pub weights: Vec<u32>,
}

impl ModuleGraph {
    /// Collapses the node graph `edges` by `modules` (one module id per node). Edges inside one
    /// module, and edges naming a node without a module, are left out.
    #[must_use]
    pub fn new(modules: &[u32], edges: &[[u32; 2]]) -> Self {
        let count = modules.iter().map(|&m| m as usize + 1).max().unwrap_or(0);
        let mut sizes = vec![0u32; count];
        for &m in modules {
            sizes[m as usize] += 1;
        }
        let mut pairs: Vec<[u32; 2]> = edges
            .iter()
            .filter_map(|e| Some([*modules.get(e[0] as usize)?, *modules.get(e[1] as usize)?]))
            .filter(|p| p[0] != p[1])
            .collect();
        pairs.sort_unstable();
        let (mut edges, mut weights) = (Vec::new(), Vec::<u32>::new());
        for p in pairs {
            if edges.last() == Some(&p) {
                *weights.last_mut().expect("one weight per edge") += 1;
            } else {
                edges.push(p);
                weights.push(1);
            }
        }
        Self { count, sizes, edges, weights }
    }
}

/// The first item of every module by module id (`None` for an id no item has): the item whose
/// file names the module in reports.
#[must_use]
pub fn first_items(modules: &[u32]) -> Vec<Option<u32>> {
    let mut first = vec![None; modules.iter().map(|&m| m as usize + 1).max().unwrap_or(0)];
    for (v, &m) in modules.iter().enumerate() {
        first[m as usize].get_or_insert(v as u32);
    }
    first
}

/// Names joined by commas, the first `shown` of them and then "and N more".
#[must_use]
pub fn listed(names: impl ExactSizeIterator<Item = String>, shown: usize) -> String {
    let total = names.len();
    let named: Vec<String> = names.take(shown).collect();
    if total > shown { format!("{} and {} more", named.join(", "), total - shown) } else { named.join(", ") }
}
