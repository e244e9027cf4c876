//! Architectural smells (`analysis_core::smells`): hub-like modules, unstable dependencies and
//! god items, each a warning whose click selects the items involved, after a summary. Metric
//! columns give every item its fan-in and fan-out in distinct items.

use analysis_core::smells::{Smells, Thresholds, smells};
use analysis_core::unreferenced::is_test_or_example;
use pt_plugin_sdk::{Analysis, Graph, Params, Severity, analysis};

/// How many names a message lists before "and N more".
const NAMES_LISTED: usize = 5;

/// The graph as the analysis reads it, with names for messages.
pub struct Input<'a> {
    /// Dependencies `[from, to]`.
    pub edges: &'a [[u32; 2]],
    /// Each item's module.
    pub modules: &'a [u32],
    /// Items never reported as god items (external placeholders, tests).
    pub skip: &'a [bool],
    /// An item's name.
    pub item_name: &'a dyn Fn(u32) -> String,
    /// A module's name.
    pub module_name: &'a dyn Fn(u32) -> String,
}

type Finding = (Severity, Vec<u32>, String);

fn hub_findings(input: &Input<'_>, found: &Smells, members: &[Vec<u32>], out: &mut Vec<Finding>) {
    for hub in &found.hubs {
        let name = (input.module_name)(hub.module);
        out.push((
            Severity::Warning,
            members[hub.module as usize].clone(),
            format!(
                "{name} is hub-like: {} modules depend on it and it depends on {}, so changes anywhere reach it and changes in it reach everywhere.",
                hub.fan_in, hub.fan_out
            ),
        ));
    }
}

fn unstable_findings(
    input: &Input<'_>,
    found: &Smells,
    out: &mut Vec<Finding>,
    edges: &mut std::collections::BTreeMap<usize, Vec<u32>>,
) {
    for u in &found.unstable {
        let mut nodes: Vec<u32> = u.edges.iter().flat_map(|&e| input.edges[e as usize]).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let targets = u.targets.iter().map(|&(m, i)| format!("{} (I {i:.2})", (input.module_name)(m)));
        // The dependencies on less stable modules are drawn in a warning colour when shown.
        edges.insert(out.len(), u.edges.clone());
        out.push((
            Severity::Warning,
            nodes,
            format!(
                "{} (instability {:.2}) depends on {} of its {} modules that are less stable than itself: {}. Stable code should not rest on code that changes more easily.",
                (input.module_name)(u.module),
                u.instability,
                u.targets.len(),
                u.dependencies,
                analysis_core::listed(targets, NAMES_LISTED),
            ),
        ));
    }
}

fn god_findings(input: &Input<'_>, found: &Smells, out: &mut Vec<Finding>) {
    for g in &found.gods {
        out.push((
            Severity::Warning,
            vec![g.node],
            format!(
                "{} in {} is a god item: {} items depend on it and it depends on {}; everything goes through it.",
                (input.item_name)(g.node),
                (input.module_name)(input.modules[g.node as usize]),
                g.fan_in,
                g.fan_out
            ),
        ));
    }
}

/// Finds the smells by `limits`, at most `max_findings` of each kind (the worst first).
#[must_use]
pub fn analyse(input: &Input<'_>, limits: Thresholds, max_findings: usize) -> Analysis {
    let mut found = smells(input.modules, input.edges, input.skip, limits);
    // Tests, benches and examples are not the architecture: a test file's stability or the
    // callers its helpers collect by name say nothing about the design.
    let is_test: Vec<bool> = (0..analysis_core::first_items(input.modules).len() as u32)
        .map(|m| is_test_or_example(&(input.module_name)(m)))
        .collect();
    found.unstable.retain(|u| !is_test[u.module as usize]);
    found.hubs.retain(|h| !is_test[h.module as usize]);
    let counts = (found.hubs.len(), found.unstable.len(), found.gods.len());
    found.hubs.truncate(max_findings);
    found.unstable.truncate(max_findings);
    found.gods.truncate(max_findings);
    // The items of each hub, gathered in one pass: a hub's finding selects them.
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); is_test.len()];
    let mut is_hub = vec![false; members.len()];
    for hub in &found.hubs {
        is_hub[hub.module as usize] = true;
    }
    for (v, &m) in input.modules.iter().enumerate().filter(|(_, m)| is_hub[**m as usize]) {
        members[m as usize].push(v as u32);
    }
    let mut findings = vec![(
        Severity::Info,
        Vec::new(),
        format!(
            "{} hub-like modules (at least {} modules each way), {} modules with unstable dependencies (at least {:.0}% of their dependencies less stable by over {:.2}), {} god items (fan-in at least {}, fan-out at least {}); tests, benches and examples not reported.{}",
            counts.0,
            limits.hub_modules,
            counts.1,
            100.0 * limits.unstable_share,
            limits.unstable_margin,
            counts.2,
            limits.god_fan_in,
            limits.god_fan_out,
            if counts.0.max(counts.1).max(counts.2) > max_findings {
                format!(" The worst {max_findings} of each are listed.")
            } else {
                String::new()
            }
        ),
    )];
    hub_findings(input, &found, &members, &mut findings);
    let mut finding_edges = std::collections::BTreeMap::new();
    unstable_findings(input, &found, &mut findings, &mut finding_edges);
    god_findings(input, &found, &mut findings);
    let column = |values: &[u32]| values.iter().map(|&d| d as f32).collect();
    Analysis {
        findings,
        metrics: vec![("fan-in".to_owned(), column(&found.fan_in)), ("fan-out".to_owned(), column(&found.fan_out))],
        finding_edges,
    }
}

fn run(graph: &Graph, params: &Params) -> Analysis {
    let modules = graph.node_modules();
    let first = analysis_core::first_items(modules);
    let item_name = |v: u32| graph.node_name(v);
    let module_name = |m: u32| first[m as usize].map_or_else(|| format!("module {m}"), |v| graph.node_file(v));
    let is_test: Vec<bool> = first.iter().map(|v| v.is_some_and(|v| is_test_or_example(&graph.node_file(v)))).collect();
    let skip: Vec<bool> =
        graph.node_is_external().iter().zip(modules).map(|(&f, &m)| f != 0 || is_test[m as usize]).collect();
    let limits = Thresholds {
        hub_modules: params.i64("hub_modules").max(1) as u32,
        unstable_margin: params.f64("unstable_margin") as f32,
        unstable_share: params.f64("unstable_share") as f32,
        god_fan_in: params.i64("god_fan_in").max(1) as u32,
        god_fan_out: params.i64("god_fan_out").max(1) as u32,
    };
    let input = Input { edges: graph.edges(), modules, skip: &skip, item_name: &item_name, module_name: &module_name };
    analyse(&input, limits, params.i64("max_findings").max(1) as usize)
}

analysis!(run);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_smell_is_a_finding_naming_what_it_found_and_selecting_its_items() {
        // Files a.rs (item 0), b.rs (1), c.rs (2), d.rs (3, 5), e.rs (4): b and c use a; a uses
        // d and e; d uses e. a.rs is a hub, a depends on the less stable d, item 0 is a god item.
        let modules = [0, 1, 2, 3, 4, 3];
        let edges = [[1, 0], [2, 0], [0, 3], [0, 4], [3, 4]];
        let files = |m: u32| format!("{}.rs", ["a", "b", "c", "d", "e"][m as usize]);
        let items = |v: u32| format!("item{v}");
        let input = Input { edges: &edges, modules: &modules, skip: &[], item_name: &items, module_name: &files };
        let limits =
            Thresholds { hub_modules: 2, unstable_margin: 0.1, unstable_share: 0.3, god_fan_in: 2, god_fan_out: 2 };
        let result = analyse(&input, limits, 10);
        let texts: Vec<&str> = result.findings.iter().map(|f| f.2.as_str()).collect();
        assert!(
            texts[0]
                .starts_with("1 hub-like modules (at least 2 modules each way), 1 modules with unstable dependencies"),
            "{}",
            texts[0]
        );
        assert_eq!(
            texts[1],
            "a.rs is hub-like: 2 modules depend on it and it depends on 2, so changes anywhere reach it and changes in it reach everywhere."
        );
        assert_eq!(result.findings[1].1, [0]);
        assert!(
            texts[2].starts_with(
                "a.rs (instability 0.33) depends on 1 of its 2 modules that are less stable than itself: d.rs (I 0.50)."
            ),
            "{}",
            texts[2]
        );
        assert_eq!(result.findings[2].1, [0, 3]);
        assert_eq!(
            texts[3],
            "item0 in a.rs is a god item: 2 items depend on it and it depends on 2; everything goes through it."
        );
        assert_eq!(result.metrics[0].1, [2.0, 0.0, 0.0, 1.0, 2.0, 0.0]);
        assert_eq!(result.metrics[1].1, [2.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
        // The limit on findings is said.
        assert!(
            analyse(&input, Thresholds { hub_modules: 1, ..limits }, 1).findings[0]
                .2
                .ends_with("The worst 1 of each are listed.")
        );
    }
}
