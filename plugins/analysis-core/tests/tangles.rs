//! Tangles on hand-built graphs with known answers: which nodes tangle, feedback sets that leave
//! no cycle, light edges cut before heavy ones, and long chains without stack overflow.

use analysis_core::tangles::{Tangle, scc_sizes, tangled_share, tangles};

/// The edges left after taking `cut` (edge indices) out.
fn without(edges: &[[u32; 2]], cut: &[u32]) -> Vec<[u32; 2]> {
    edges.iter().enumerate().filter(|(i, _)| !cut.contains(&(*i as u32))).map(|(_, e)| *e).collect()
}

/// A small deterministic generator (no dependency for one test).
fn lcg(seed: &mut u64) -> u32 {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    (*seed >> 33) as u32
}

#[test]
fn two_cycles_a_bridge_and_a_self_loop() {
    // 0→1→2→0 and 3⇄4 tangle; 2→3 only bridges them; 5→6 is a chain; 6→6 is recursion, no tangle.
    let edges = [[0, 1], [1, 2], [2, 0], [2, 3], [3, 4], [4, 3], [5, 6], [6, 6]];
    let found = tangles(7, &edges, None);
    assert_eq!(found.iter().map(|t| t.nodes.clone()).collect::<Vec<_>>(), [vec![0, 1, 2], vec![3, 4]]);
    assert_eq!(found[0].edges, [0, 1, 2]);
    assert_eq!(found[1].edges, [4, 5]);
    assert_eq!(found[0].feedback.len(), 1, "one edge breaks a simple cycle");
    assert_eq!(found[1].feedback.len(), 1);
    let cut: Vec<u32> = found.iter().flat_map(|t| t.feedback.clone()).collect();
    assert!(tangles(7, &without(&edges, &cut), None).is_empty(), "no cycle is left");
    assert_eq!(scc_sizes(7, &edges), [3, 3, 3, 2, 2, 1, 1]);
}

#[test]
fn feedback_sets_break_every_cycle_and_stay_small_on_random_graphs() {
    let mut seed = 7;
    for round in 0..40 {
        let n = 5 + (lcg(&mut seed) % 60) as usize;
        let m = n * (1 + round % 4);
        let edges: Vec<[u32; 2]> = (0..m).map(|_| [lcg(&mut seed) % n as u32, lcg(&mut seed) % n as u32]).collect();
        let found = tangles(n, &edges, None);
        let cut: Vec<u32> = found.iter().flat_map(|t| t.feedback.clone()).collect();
        assert!(tangles(n, &without(&edges, &cut), None).is_empty(), "round {round}: a cycle survived");
        for t in &found {
            assert!(t.feedback.iter().all(|e| t.edges.contains(e)), "feedback edges lie inside their tangle");
            // Eades–Lin–Smyth never cuts more than half the edges of a tangle.
            assert!(t.feedback.len() * 2 <= t.edges.len(), "round {round}: {} of {}", t.feedback.len(), t.edges.len());
        }
    }
}

#[test]
fn a_light_edge_is_cut_before_a_heavy_one() {
    // Module 0 uses module 1 through ten calls; module 1 calls back once: cut the call back.
    let edges = [[0, 1], [1, 0]];
    let heavy_first = tangles(2, &edges, Some(&[10, 1]));
    assert_eq!(heavy_first[0].feedback, [1]);
    let light_first = tangles(2, &edges, Some(&[1, 10]));
    assert_eq!(light_first[0].feedback, [0]);
}

#[test]
fn the_cheapest_cut_of_a_figure_eight_is_its_shared_edge() {
    // Two cycles sharing the edge 0→1: 0→1→2→0 and 0→1→3→0. Cutting 0→1 breaks both.
    let edges = [[0, 1], [1, 2], [2, 0], [1, 3], [3, 0]];
    let found = tangles(4, &edges, None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].feedback.len(), 1);
    assert!(tangles(4, &without(&edges, &found[0].feedback), None).is_empty());
}

#[test]
fn a_long_chain_and_a_long_cycle_do_not_overflow_the_stack() {
    let n = 200_001u32;
    let mut edges: Vec<[u32; 2]> = (0..n - 1).map(|i| [i, i + 1]).collect();
    assert!(tangles(n as usize, &edges, None).is_empty());
    edges.push([n - 1, 0]);
    let found = tangles(n as usize, &edges, None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].nodes.len(), n as usize);
    assert_eq!(found[0].feedback.len(), 1);
}

#[test]
fn edges_naming_unknown_nodes_are_left_out() {
    let found = tangles(2, &[[0, 1], [1, 0], [1, 9], [9, 0]], None);
    assert_eq!(found, [Tangle { nodes: vec![0, 1], edges: vec![0, 1], feedback: found[0].feedback.clone() }]);
}

#[test]
fn the_tangled_share_of_each_module() {
    let edges = [[0, 1], [1, 2], [2, 0], [3, 4], [4, 3]];
    let found = tangles(7, &edges, None);
    // Module 0 holds 0, 1, 2 (tangled) and 5; module 1 holds 3, 4 (tangled) and 6; module 2 is empty.
    let modules = [0, 0, 0, 1, 1, 0, 1, 3];
    let share = tangled_share(&modules, &found);
    assert_eq!(share, [0.75, 2.0 / 3.0, 0.0, 0.0]);
}
