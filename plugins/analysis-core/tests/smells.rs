//! Architectural smells on a hand-built graph whose every figure is worked out in the comments.

use analysis_core::smells::{GodItem, Hub, Thresholds, smells};

const LIMITS: Thresholds =
    Thresholds { hub_modules: 2, unstable_margin: 0.1, unstable_share: 0.3, god_fan_in: 2, god_fan_out: 2 };

/// One item per module: 1 and 2 use 0; 0 uses 3 and 4; 3 uses 4 (twice, through two edges).
/// Instability (Ce / (Ca + Ce)): m0 = 1/3, m1 = m2 = 1, m3 = 1/2, m4 = 0.
fn example() -> (Vec<u32>, Vec<[u32; 2]>) {
    (vec![0, 1, 2, 3, 4], vec![[1, 0], [2, 0], [0, 3], [0, 4], [3, 4], [3, 4], [0, 0]])
}

#[test]
fn a_module_used_by_many_that_uses_many_is_a_hub() {
    let (modules, edges) = example();
    let found = smells(&modules, &edges, &[], LIMITS);
    assert_eq!(found.hubs, [Hub { module: 0, fan_in: 2, fan_out: 2 }]);
    assert!(smells(&modules, &edges, &[], Thresholds { hub_modules: 3, ..LIMITS }).hubs.is_empty());
}

#[test]
fn depending_on_a_less_stable_module_is_reported_with_the_edges_behind_it() {
    let (modules, edges) = example();
    let found = smells(&modules, &edges, &[], LIMITS);
    // m0 (1/3) depends on m3 (1/2, less stable by more than the margin) and m4 (0): half of its
    // dependencies, over the 0.3 share. m3 → m4 goes towards stability; m1, m2 → m0 too.
    assert_eq!(found.unstable.len(), 1);
    let u = &found.unstable[0];
    assert_eq!((u.module, u.dependencies, u.edges.as_slice()), (0, 2, [2].as_slice()));
    assert_eq!(u.targets.len(), 1);
    assert_eq!(u.targets[0].0, 3);
    assert!((u.targets[0].1 - 0.5).abs() < 1e-6 && (u.instability - 1.0 / 3.0).abs() < 1e-6);
    // A wider margin, or a share over one half, and it is no longer a smell.
    assert!(smells(&modules, &edges, &[], Thresholds { unstable_margin: 0.2, ..LIMITS }).unstable.is_empty());
    assert!(smells(&modules, &edges, &[], Thresholds { unstable_share: 0.6, ..LIMITS }).unstable.is_empty());
}

#[test]
fn god_items_count_distinct_neighbours_and_skip_what_they_are_told() {
    let (modules, edges) = example();
    let found = smells(&modules, &edges, &[], LIMITS);
    // Item 0: used by 1 and 2, uses 3 and 4 (its self-loop does not count). Item 3 uses 4 through
    // two edges: one neighbour.
    assert_eq!(found.gods, [GodItem { node: 0, fan_in: 2, fan_out: 2 }]);
    assert!(smells(&modules, &edges, &[true], LIMITS).gods.is_empty());
    assert!(smells(&modules, &edges, &[], Thresholds { god_fan_out: 3, ..LIMITS }).gods.is_empty());
}

#[test]
fn edges_to_nowhere_and_an_empty_graph_find_nothing() {
    let found = smells(&[0, 1], &[[0, 9], [7, 1]], &[], LIMITS);
    assert!(found.hubs.is_empty() && found.unstable.is_empty() && found.gods.is_empty());
    assert_eq!(smells(&[], &[], &[], LIMITS), Default::default());
    assert_eq!((found.fan_in, found.fan_out), (vec![0, 0], vec![0, 0]));
}
