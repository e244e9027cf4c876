//! Graph coarsening by matching: each level merges neighbours in pairs, so it has about half the
//! nodes of the level below.

/// Springs at nodes up to this degree pull at full strength.
const HUB_FREE_DEGREE: f32 = 16.0;
const NONE: u32 = u32::MAX;

/// One level of the hierarchy.
pub(crate) struct Level {
    pub n: usize,
    /// Undirected edges without self-loops or repeats.
    pub edges: Vec<[u32; 2]>,
    /// Spring strength per edge: weaker on edges that touch a hub.
    pub weights: Vec<f32>,
    /// How many input nodes each node stands for.
    mass: Vec<u32>,
    /// Natural edge length here: clusters of m nodes need about √m times the room of one.
    pub k: f32,
    /// For each node of the finer level below, the node of this level it merged into (empty on level 0).
    pub parent_of: Vec<u32>,
}

impl Level {
    pub fn input(n: usize, edges: &[[u32; 2]], k: f32) -> Self {
        let mut edges =
            merge_repeats(edges.iter().filter(|e| (e[0] as usize) < n && (e[1] as usize) < n).map(|&e| (e, 1.0)));
        let degree = degrees(n, edges.iter().map(|(e, _)| e));
        // A hub's thousands of springs would drag every neighbour into one clump; springs that
        // touch a node of degree d pull with strength (HUB_FREE_DEGREE / d)² past that degree.
        for (e, w) in &mut edges {
            let d = degree[e[0] as usize].max(degree[e[1] as usize]) as f32;
            *w = (HUB_FREE_DEGREE / d).min(1.0).powi(2);
        }
        Self::from_weighted(n, edges, vec![1; n], k, Vec::new())
    }

    fn from_weighted(n: usize, edges: Vec<([u32; 2], f32)>, mass: Vec<u32>, k: f32, parent_of: Vec<u32>) -> Self {
        let (edges, weights) = edges.into_iter().unzip();
        Self { n, edges, weights, mass, k, parent_of }
    }

    /// The next coarser level. Nodes are visited from the lowest degree up, and each unmatched node
    /// pairs with its lightest unmatched neighbour; one with none left joins its lightest
    /// neighbouring cluster (so a star collapses onto its hub at once), and isolated nodes pair
    /// with each other.
    pub fn coarsen(&self, k0: f32, n0: usize) -> Self {
        let n = self.n;
        let (start, adjacent) = adjacency(n, &self.edges);
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&i| start[i as usize + 1] - start[i as usize]);
        let mut cluster = vec![NONE; n];
        let mut mass: Vec<u32> = Vec::with_capacity(n / 2 + 1);
        let mut lonely = NONE;
        for &u in &order {
            let u = u as usize;
            if cluster[u] != NONE {
                continue;
            }
            let neighbours = &adjacent[start[u] as usize..start[u + 1] as usize];
            // The lightest, least connected free neighbour: pairing with a hub would drag its
            // whole neighbourhood into one cluster.
            let free = neighbours
                .iter()
                .copied()
                .filter(|&v| cluster[v as usize] == NONE)
                .min_by_key(|&v| (self.mass[v as usize], start[v as usize + 1] - start[v as usize]));
            if let Some(v) = free {
                cluster[u] = mass.len() as u32;
                cluster[v as usize] = mass.len() as u32;
                mass.push(self.mass[u] + self.mass[v as usize]);
            } else if let Some(&c) = neighbours.iter().map(|&v| &cluster[v as usize]).min_by_key(|&&c| mass[c as usize])
            {
                cluster[u] = c;
                mass[c as usize] += self.mass[u];
            } else if lonely != NONE {
                let c = cluster[lonely as usize];
                cluster[u] = c;
                mass[c as usize] += self.mass[u];
                lonely = NONE;
            } else {
                cluster[u] = mass.len() as u32;
                mass.push(self.mass[u]);
                lonely = u as u32;
            }
        }
        let m = mass.len();
        let k = k0 * (n0 as f32 / m as f32).sqrt();
        // Springs between two clusters add up, but never beyond full strength: hub springs stay
        // weak on every level, and a dense pair of clusters does not fold onto itself.
        let mut edges = merge_repeats(
            self.edges.iter().zip(&self.weights).map(|(&[a, b], &w)| ([cluster[a as usize], cluster[b as usize]], w)),
        );
        for (_, w) in &mut edges {
            *w = w.min(1.0);
        }
        Self::from_weighted(m, edges, mass, k, cluster)
    }
}

/// Drops self-loops and merges repeated undirected edges, adding their weights.
fn merge_repeats(edges: impl Iterator<Item = ([u32; 2], f32)>) -> Vec<([u32; 2], f32)> {
    let mut keyed: Vec<(u64, f32)> = edges
        .filter(|(e, _)| e[0] != e[1])
        .map(|([a, b], w)| ((u64::from(a.min(b)) << 32) | u64::from(a.max(b)), w))
        .collect();
    keyed.sort_unstable_by_key(|&(k, _)| k);
    let mut merged: Vec<([u32; 2], f32)> = Vec::with_capacity(keyed.len());
    let mut last = u64::MAX;
    for (key, w) in keyed {
        if key == last {
            if let Some(m) = merged.last_mut() {
                m.1 += w;
            }
        } else {
            merged.push(([(key >> 32) as u32, key as u32], w));
            last = key;
        }
    }
    merged
}

fn degrees<'a>(n: usize, edges: impl IntoIterator<Item = &'a [u32; 2]>) -> Vec<u32> {
    let mut degree = vec![0u32; n];
    for e in edges {
        degree[e[0] as usize] += 1;
        degree[e[1] as usize] += 1;
    }
    degree
}

/// Compressed adjacency: the neighbours of `i` are `adjacent[start[i]..start[i + 1]]`.
fn adjacency(n: usize, edges: &[[u32; 2]]) -> (Vec<u32>, Vec<u32>) {
    let degree = degrees(n, edges.iter());
    let mut start = Vec::with_capacity(n + 1);
    let mut sum = 0u32;
    start.push(0);
    for d in &degree {
        sum += d;
        start.push(sum);
    }
    let mut fill = start.clone();
    let mut adjacent = vec![0u32; sum as usize];
    for &[a, b] in edges {
        adjacent[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
        adjacent[fill[b as usize] as usize] = a;
        fill[b as usize] += 1;
    }
    (start, adjacent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_collapses_and_a_path_halves() {
        let star: Vec<[u32; 2]> = (1..100).map(|i| [0, i]).collect();
        let level = Level::input(100, &star, 10.0).coarsen(10.0, 100);
        assert_eq!(level.n, 1, "the star is one cluster");
        assert!(level.edges.is_empty());
        let path: Vec<[u32; 2]> = (0..99).map(|i| [i, i + 1]).collect();
        let level = Level::input(100, &path, 10.0).coarsen(10.0, 100);
        assert!((50..=60).contains(&level.n), "{} clusters", level.n);
        assert_eq!(level.mass.iter().sum::<u32>(), 100);
        assert_eq!(level.parent_of.len(), 100);
        // Clusters of a path are runs of neighbours, joined by edges in a path again.
        assert_eq!(level.edges.len(), level.n - 1);
    }

    #[test]
    fn isolated_nodes_pair_up_and_repeated_edges_merge() {
        let level = Level::input(10, &[[0, 1], [1, 0], [0, 1], [2, 2]], 10.0);
        assert_eq!(level.edges, vec![[0, 1]]);
        let coarse = level.coarsen(10.0, 10);
        assert_eq!(coarse.n, 5);
        assert!(coarse.k > 10.0);
    }
}
