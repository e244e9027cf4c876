//! Start here: the items that matter most, by PageRank over calls and uses
//! (`analysis_core::rank`), around the selected item when there is one. Each listed item is a
//! finding that selects it; a metric column gives every item its rank.

use analysis_core::rank::{RankOptions, page_rank};
use analysis_core::unreferenced::is_test_or_example;
use pt_plugin_sdk::{Analysis, Graph, Params, Severity, analysis};

/// The graph as the ranking reads it.
pub struct Input<'a> {
    /// Number of items.
    pub nodes: usize,
    /// Dependencies `[from, to]`.
    pub edges: &'a [[u32; 2]],
    /// Items that may be listed (not external placeholders; not tests unless asked).
    pub listable: &'a dyn Fn(u32) -> bool,
    /// An item's name and file, for its finding.
    pub describe: &'a dyn Fn(u32) -> String,
}

/// Ranks every item and lists the `top` listable ones, around `selected` when given.
#[must_use]
pub fn analyse(input: &Input<'_>, top: usize, selected: Option<(u32, String)>) -> Analysis {
    let personal: Vec<u32> = selected.iter().map(|(v, _)| *v).collect();
    let rank = page_rank(input.nodes, input.edges, &personal, RankOptions::default());
    let mut users = vec![0u32; input.nodes];
    for e in input.edges.iter().filter(|e| e[0] != e[1]) {
        users[e[1] as usize] += 1;
    }
    let mut by_rank: Vec<u32> = (0..input.nodes as u32).collect();
    by_rank.sort_by(|&a, &b| rank[b as usize].total_cmp(&rank[a as usize]).then(a.cmp(&b)));
    // Asked in rank order and only until the list is full: each answer may cost a host call.
    let order: Vec<u32> = by_rank.into_iter().filter(|&v| (input.listable)(v)).take(top).collect();
    let scope = selected.as_ref().map_or_else(|| "in the whole graph".to_owned(), |(_, name)| format!("around {name}"));
    let mut findings = vec![(
        Severity::Info,
        order.clone(),
        format!("Start here: the {} items that matter most {scope}, by PageRank over calls and uses.", order.len()),
    )];
    for (place, &v) in order.iter().enumerate() {
        let message = format!(
            "{}. {} (rank {:.4}; {} items depend on it)",
            place + 1,
            (input.describe)(v),
            rank[v as usize],
            users[v as usize]
        );
        findings.push((Severity::Info, vec![v], message));
    }
    Analysis {
        findings,
        metrics: vec![("rank".to_owned(), rank.iter().map(|&r| r as f32).collect())],
        ..Analysis::default()
    }
}

fn run(graph: &Graph, params: &Params) -> Analysis {
    let external = graph.node_is_external();
    let include_tests = params.bool("include_tests");
    let listable = |v: u32| external[v as usize] == 0 && (include_tests || !is_test_or_example(&graph.node_file(v)));
    let describe = |v: u32| format!("{} — {}", graph.node_name(v), graph.node_file(v));
    let selected = graph.selected().filter(|_| params.bool("around_selection")).map(|v| (v, graph.node_name(v)));
    let input = Input { nodes: graph.node_count(), edges: graph.edges(), listable: &listable, describe: &describe };
    analyse(&input, params.i64("top").max(1) as usize, selected)
}

analysis!(run);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hub_comes_first_and_each_item_is_a_finding_that_selects_it() {
        // Items 1..=5 all call 0; 0 calls 6; 7 is a test calling 0.
        let edges = [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [0, 6], [7, 0]];
        let listable = |v: u32| v != 7;
        let describe = |v: u32| format!("n{v} — src/lib.rs");
        let input = Input { nodes: 8, edges: &edges, listable: &listable, describe: &describe };
        let result = analyse(&input, 3, None);
        assert_eq!(
            result.findings[0].2,
            "Start here: the 3 items that matter most in the whole graph, by PageRank over calls and uses."
        );
        assert_eq!(result.findings[0].1, [6, 0, 1], "0 passes its rank on to 6, which it depends on");
        assert!(result.findings[2].2.starts_with("2. n0 — src/lib.rs (rank "), "{}", result.findings[2].2);
        assert!(result.findings[2].2.ends_with("; 6 items depend on it)"), "{}", result.findings[2].2);
        assert_eq!(result.findings[2].1, [0]);
        assert_eq!(result.metrics[0].1.len(), 8);
        let around = analyse(&input, 2, Some((3, "n3".into())));
        assert!(around.findings[0].2.contains("around n3"));
    }
}
