//! Leiden on graphs whose communities are known: two triangles, a planted partition, and the
//! guarantees the algorithm gives (connected communities, never worse than the folders it is
//! compared with on the same graph).

use analysis_core::communities::{UndirectedGraph, leiden, modularity, normalized_mutual_information};

/// Two triangles joined by one edge.
fn two_triangles() -> UndirectedGraph {
    UndirectedGraph::new(6, &[[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [2, 3]], None)
}

/// A tiny random source for building test graphs (not the algorithm's).
fn lcg(state: &mut u64) -> f64 {
    *state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    (*state >> 11) as f64 / (1u64 << 53) as f64
}

/// `groups` groups of `size` nodes, an edge inside a group with probability `p_in`, between groups
/// with `p_out`; returns the edges and each node's group.
fn planted(groups: usize, size: usize, p_in: f64, p_out: f64, seed: u64) -> (Vec<[u32; 2]>, Vec<u32>) {
    let n = groups * size;
    let mut state = seed;
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let p = if a / size == b / size { p_in } else { p_out };
            if lcg(&mut state) < p {
                edges.push([a as u32, b as u32]);
            }
        }
    }
    (edges, (0..n).map(|v| (v / size) as u32).collect())
}

/// True when the nodes of every community are connected using only edges inside it.
fn connected(n: usize, edges: &[[u32; 2]], community: &[u32]) -> bool {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], v: usize) -> usize {
        let mut r = v;
        while parent[r] != r {
            r = parent[r];
        }
        parent[v] = r;
        r
    }
    for e in edges.iter().filter(|e| community[e[0] as usize] == community[e[1] as usize]) {
        let (a, b) = (find(&mut parent, e[0] as usize), find(&mut parent, e[1] as usize));
        parent[a] = b;
    }
    let mut root_of = std::collections::HashMap::new();
    (0..n).all(|v| {
        let r = find(&mut parent, v);
        *root_of.entry(community[v]).or_insert(r) == r
    })
}

#[test]
fn modularity_of_two_triangles_by_hand() {
    let g = two_triangles();
    // m = 7; each triangle: 3 edges inside (6 counting both directions), degrees 2 + 2 + 3 = 7.
    // Q = 2 × (6/14 − (7/14)²) = 5/14.
    assert!((modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0) - 5.0 / 14.0).abs() < 1e-12);
    // Everything in one community: 14/14 − 1 = 0.
    assert!(modularity(&g, &[0; 6], 1.0).abs() < 1e-12);
    // A higher resolution penalises big communities more: 2 × (6/14 − 2 × (7/14)²) = 5/14 − 1/2.
    assert!((modularity(&g, &[0, 0, 0, 1, 1, 1], 2.0) - (5.0 / 14.0 - 0.5)).abs() < 1e-12);
}

#[test]
fn leiden_finds_the_two_triangles() {
    let found = leiden(&two_triangles(), 1.0, 7);
    assert_eq!(found, [0, 0, 0, 1, 1, 1]);
}

#[test]
fn leiden_recovers_a_planted_partition_with_connected_communities() {
    let (edges, truth) = planted(5, 30, 0.3, 0.01, 42);
    let g = UndirectedGraph::new(150, &edges, None);
    for seed in [1, 2, 3] {
        let found = leiden(&g, 1.0, seed);
        assert_eq!(normalized_mutual_information(&found, &truth), 1.0, "seed {seed}: {found:?}");
        assert!(connected(150, &edges, &found));
        assert!(modularity(&g, &found, 1.0) >= modularity(&g, &truth, 1.0) - 1e-12);
    }
}

#[test]
fn communities_stay_connected_and_beat_a_random_partition_on_noisy_graphs() {
    for seed in 0..20 {
        let (edges, truth) = planted(4, 20, 0.15, 0.04, seed);
        let g = UndirectedGraph::new(80, &edges, None);
        let found = leiden(&g, 1.0, seed);
        assert!(connected(80, &edges, &found), "seed {seed}: a disconnected community");
        assert!(modularity(&g, &found, 1.0) > modularity(&g, &truth, 1.0) - 0.02, "seed {seed}");
        // Numbered from the biggest.
        let mut sizes = vec![0; found.iter().map(|&c| c as usize + 1).max().unwrap()];
        for &c in &found {
            sizes[c as usize] += 1;
        }
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]) && sizes.iter().all(|&s| s > 0), "{sizes:?}");
    }
}

#[test]
fn the_same_seed_gives_the_same_communities_and_weights_count() {
    let (edges, _) = planted(3, 25, 0.2, 0.03, 9);
    let g = UndirectedGraph::new(75, &edges, None);
    assert_eq!(leiden(&g, 1.0, 5), leiden(&g, 1.0, 5));
    // A path of four splits in the middle, unless its middle edge weighs much more.
    let path = [[0, 1], [2, 3], [1, 2]];
    let plain = leiden(&UndirectedGraph::new(4, &path, None), 1.0, 1);
    assert_eq!(plain, [0, 0, 1, 1]);
    let heavy = leiden(&UndirectedGraph::new(4, &path, Some(&[1, 1, 50])), 1.0, 1);
    assert_eq!(heavy[1], heavy[2]);
}

#[test]
fn graphs_without_edges_and_isolated_nodes_are_their_own_communities() {
    let g = UndirectedGraph::new(3, &[[0, 0], [1, 7]], None);
    assert_eq!(leiden(&g, 1.0, 1), [0, 1, 2]);
    assert_eq!(modularity(&g, &[0, 1, 2], 1.0), 0.0);
    let empty = UndirectedGraph::new(0, &[], None);
    assert!(leiden(&empty, 1.0, 1).is_empty());
}

#[test]
fn normalized_mutual_information_by_hand() {
    assert_eq!(normalized_mutual_information(&[0, 0, 1, 1], &[5, 5, 2, 2]), 1.0);
    // Independent halves: knowing one says nothing about the other.
    assert!(normalized_mutual_information(&[0, 0, 1, 1], &[0, 1, 0, 1]).abs() < 1e-12);
    assert_eq!(normalized_mutual_information(&[0, 0], &[3, 3]), 1.0);
}
