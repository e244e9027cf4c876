//! Martin's package metrics on a textbook-sized example computed by hand, and the module graph.

use analysis_core::ModuleGraph;
use analysis_core::metrics::{TypeRole, Zone, module_metrics};

use TypeRole::{Abstract as T, Concrete as S, NotAType as F};

/// core (0): two traits, two structs, that everyone uses; app (1): a struct and two functions
/// using core and util; util (2): a struct and a function, used by app, using core; toys (3): one
/// trait nobody uses, using core.
fn example() -> (Vec<u32>, Vec<[u32; 2]>, Vec<TypeRole>) {
    let modules = vec![0, 0, 0, 0, 1, 1, 1, 2, 2, 3];
    let roles = vec![T, T, S, S, S, F, F, S, F, T];
    let edges = vec![[5, 0], [6, 1], [6, 2], [8, 3], [5, 8], [0, 2], [7, 8], [9, 2]];
    (modules, edges, roles)
}

#[test]
fn coupling_instability_abstractness_and_distance_by_hand() {
    let (modules, edges, roles) = example();
    let m = module_metrics(&modules, &edges, &roles, 0.7);
    let row = |i: usize| (m[i].afferent, m[i].efferent, m[i].instability, m[i].abstractness, m[i].distance);
    // core: used by nodes 5, 6, 8 and 9 (Ca 4), uses nothing outside (Ce 0): I 0, A 2/4, D 0.5.
    assert_eq!(row(0), (4, 0, 0.0, 0.5, 0.5));
    // app: nobody uses it, nodes 5 and 6 reach out: I 1, no traits: A 0, on the main sequence.
    assert_eq!(row(1), (0, 2, 1.0, 0.0, 0.0));
    // util: used by 5, its node 8 reaches core: I 1/2, A 0, D 1/2.
    assert_eq!(row(2), (1, 1, 0.5, 0.0, 0.5));
    // toys: an abstraction nobody uses that depends on core: A 1, I 1, D 1.
    assert_eq!(row(3), (0, 1, 1.0, 1.0, 1.0));
    assert_eq!(
        m.iter().map(|r| r.zone).collect::<Vec<_>>(),
        [Zone::Balanced, Zone::Balanced, Zone::Balanced, Zone::Uselessness]
    );
    assert_eq!(m.iter().map(|r| r.nodes).collect::<Vec<_>>(), [4, 3, 2, 1]);
}

#[test]
fn a_stricter_band_puts_concrete_stable_modules_in_the_zone_of_pain() {
    let (modules, edges, roles) = example();
    let m = module_metrics(&modules, &edges, &roles, 0.5);
    assert_eq!(
        m.iter().map(|r| r.zone).collect::<Vec<_>>(),
        [Zone::Pain, Zone::Balanced, Zone::Pain, Zone::Uselessness]
    );
}

#[test]
fn a_module_without_coupling_or_types_reads_zero_and_empty_ids_are_skipped() {
    let m = module_metrics(&[0, 2], &[[0, 0]], &[F, F], 0.7);
    assert_eq!(m.iter().map(|r| r.module).collect::<Vec<_>>(), [0, 2]);
    assert_eq!((m[0].instability, m[0].abstractness, m[0].distance), (0.0, 0.0, 1.0));
    assert_eq!(m[0].zone, Zone::Balanced, "a module nothing couples to is in no zone");
}

#[test]
fn the_module_graph_counts_the_node_edges_behind_each_module_edge() {
    let (modules, edges, _) = example();
    let g = ModuleGraph::new(&modules, &edges);
    assert_eq!(g.count, 4);
    assert_eq!(g.sizes, [4, 3, 2, 1]);
    assert_eq!(g.edges, [[1, 0], [1, 2], [2, 0], [3, 0]]);
    assert_eq!(g.weights, [3, 1, 1, 1]);
    assert_eq!(TypeRole::of_kind("Trait"), T);
    assert_eq!(TypeRole::of_kind("Enum"), S);
    assert_eq!(TypeRole::of_kind("Method"), F);
}
