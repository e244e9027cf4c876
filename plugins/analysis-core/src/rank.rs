//! PageRank over the dependency graph (Brin and Page, 1998), as Aider's repository map uses it to
//! pick what matters: rank flows along every edge from the item that depends to the item depended
//! on, so an item many important items call or use ranks high. Items that depend on nothing hand
//! their rank back to the teleport set. Personalised, the teleport set is the selection: the
//! ranking then says what matters *around* it.

use crate::Digraph;

/// How PageRank runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankOptions {
    /// The share of rank that follows edges (the rest teleports); 0.85 in the original paper.
    pub damping: f64,
    /// Stop when an iteration changes the ranks by less than this in total (L1).
    pub tolerance: f64,
    /// Stop after this many iterations whatever the change.
    pub max_iterations: u32,
}

impl Default for RankOptions {
    fn default() -> Self {
        // The error shrinks by the damping factor each iteration: 1e-8 in all is far below any
        // difference in rank a reader sees, reached in about a hundred iterations.
        Self { damping: 0.85, tolerance: 1e-8, max_iterations: 150 }
    }
}

/// The rank of every node (summing to 1), teleporting to `personal` when it names any node of
/// the graph (otherwise to every node alike). Parallel edges count once each.
#[must_use]
pub fn page_rank(n: usize, edges: &[[u32; 2]], personal: &[u32], options: RankOptions) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let g = Digraph::new(n, edges);
    let mut teleport = vec![0.0f64; n];
    let chosen: Vec<u32> = personal.iter().copied().filter(|&v| (v as usize) < n).collect();
    if chosen.is_empty() {
        teleport.fill(1.0 / n as f64);
    } else {
        for &v in &chosen {
            teleport[v as usize] += 1.0 / chosen.len() as f64;
        }
    }
    let out_degree: Vec<usize> = (0..n as u32).map(|v| g.successors(v).len()).collect();
    let mut rank = teleport.clone();
    let mut next = vec![0.0f64; n];
    let mut share = vec![0.0f64; n];
    let d = options.damping;
    for _ in 0..options.max_iterations {
        let mut dangling = 0.0;
        for v in 0..n {
            // What each node hands each successor, once per node rather than once per edge.
            if out_degree[v] == 0 {
                dangling += rank[v];
            } else {
                share[v] = rank[v] / out_degree[v] as f64;
            }
        }
        for v in 0..n {
            let inflow: f64 = g.predecessors(v as u32).iter().map(|&(u, _)| share[u as usize]).sum();
            next[v] = (1.0 - d) * teleport[v] + d * (inflow + dangling * teleport[v]);
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < options.tolerance {
            break;
        }
    }
    rank
}
