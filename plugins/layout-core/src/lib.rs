//! Layout algorithms with no dependencies, so the same code runs as plugins in the wasmi sandbox
//! and natively in the property tests and the CLI comparison:
//! - [`layered`]: Sugiyama — cycle breaking, longest-path layering, dummy nodes for long edges,
//!   barycentre crossing reduction and coordinate assignment;
//! - [`radial`]: rings by hop distance around one node;
//! - [`grouped`]: modules as non-overlapping discs, packed in shelves.
//!
//! Every layout can set hubs aside: nodes above a degree threshold would otherwise drag the whole
//! picture to themselves (v1 exports merge every `new`, `map` and `unwrap` into one node).

pub mod grouped;
pub mod layered;
pub mod radial;

/// Undirected degree of every node (self-loops ignored).
#[must_use]
pub fn degrees(n: usize, edges: &[[u32; 2]]) -> Vec<u32> {
    let mut d = vec![0u32; n];
    for e in edges.iter().filter(|e| e[0] != e[1]) {
        d[e[0] as usize] += 1;
        d[e[1] as usize] += 1;
    }
    d
}

/// Whether each node is a hub: degree above `threshold` (0 means no hubs).
#[must_use]
pub fn hubs(n: usize, edges: &[[u32; 2]], threshold: u32) -> Vec<bool> {
    if threshold == 0 {
        return vec![false; n];
    }
    degrees(n, edges).into_iter().map(|d| d > threshold).collect()
}

/// Compressed adjacency: `start[v]..start[v + 1]` indexes `targets`.
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    /// Row starts, one more than nodes.
    pub start: Vec<u32>,
    /// Neighbours.
    pub targets: Vec<u32>,
}

impl Adjacency {
    /// Builds from directed pairs; `both` adds each pair in both directions.
    #[must_use]
    pub fn new(n: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone, both: bool) -> Self {
        let mut start = vec![0u32; n + 1];
        for (a, b) in pairs.clone() {
            start[a as usize + 1] += 1;
            if both {
                start[b as usize + 1] += 1;
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut targets = vec![0u32; start[n] as usize];
        for (a, b) in pairs {
            targets[fill[a as usize] as usize] = b;
            fill[a as usize] += 1;
            if both {
                targets[fill[b as usize] as usize] = a;
                fill[b as usize] += 1;
            }
        }
        Self { start, targets }
    }

    /// Neighbours of `v`.
    #[must_use]
    pub fn of(&self, v: u32) -> &[u32] {
        &self.targets[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }
}
