//! PageRank against values worked out by hand, and personalised to a selection.

use analysis_core::rank::{RankOptions, page_rank};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn two_nodes_by_hand() {
    // 0 → 1; node 1 depends on nothing and hands its rank back to everyone. With d = 0.85:
    // r0 = 0.075 + 0.425 r1 and r0 + r1 = 1, so r0 = 0.5 / 1.425.
    let r = page_rank(2, &[[0, 1]], &[], RankOptions::default());
    assert!(close(r[0], 0.5 / 1.425), "{r:?}");
    assert!(close(r[1], 1.0 - 0.5 / 1.425), "{r:?}");
}

#[test]
fn a_cycle_is_even_and_a_hub_everyone_calls_leads() {
    let r = page_rank(4, &[[0, 1], [1, 2], [2, 3], [3, 0]], &[], RankOptions::default());
    assert!(r.iter().all(|&x| close(x, 0.25)), "{r:?}");
    let star: Vec<[u32; 2]> = (1..10).map(|i| [i, 0]).collect();
    let r = page_rank(10, &star, &[], RankOptions::default());
    assert!((1..10).all(|i| r[0] > 5.0 * r[i]), "{r:?}");
    assert!(close(r.iter().sum(), 1.0));
}

#[test]
fn personalised_to_a_selection_it_ranks_what_the_selection_leans_on() {
    // Two separate chains: 0 → 1 → 2 and 3 → 4 → 5. Around node 3, the second chain matters.
    let edges = [[0, 1], [1, 2], [3, 4], [4, 5]];
    let everyone = page_rank(6, &edges, &[], RankOptions::default());
    assert!(close(everyone[2], everyone[5]), "symmetric without a selection");
    let around = page_rank(6, &edges, &[3], RankOptions::default());
    assert!(around[5] > 4.0 * around[2], "{around:?}");
    assert!(around[4] > around[1]);
    assert!(close(around.iter().sum(), 1.0));
    // A selection naming no node of the graph ranks as if there were none.
    assert_eq!(page_rank(6, &edges, &[99], RankOptions::default()), everyone);
    assert!(page_rank(0, &[], &[], RankOptions::default()).is_empty());
}
