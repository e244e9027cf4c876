//! Tangles: modules, and items, that depend on one another in a cycle, with the few edges whose
//! removal breaks each (`analysis_core::tangles`). A module tangle's finding selects the items at
//! both ends of the dependencies to cut; an item tangle's selects its items. Metric columns give
//! each item the size of its tangle and the share of its module that is tangled.

use analysis_core::ModuleGraph;
use analysis_core::tangles::{Tangle, tangled_share, tangles};
use pt_plugin_sdk::{Analysis, Graph, Params, Severity, analysis};

/// How many names a message lists before "and N more".
const NAMES_LISTED: usize = 5;

/// What to look at and how much to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Tangles between modules.
    pub modules: bool,
    /// Tangles between items.
    pub items: bool,
    /// Smallest tangle reported.
    pub min_size: usize,
    /// Most tangles reported (the biggest first).
    pub max_findings: usize,
}

/// The graph as the analysis reads it, with names for messages.
pub struct Input<'a> {
    /// Number of items.
    pub nodes: usize,
    /// Dependencies `[from, to]`.
    pub edges: &'a [[u32; 2]],
    /// Each item's module.
    pub modules: &'a [u32],
    /// An item's name.
    pub item_name: &'a dyn Fn(u32) -> String,
    /// A module's name.
    pub module_name: &'a dyn Fn(u32) -> String,
}

fn listed(names: impl ExactSizeIterator<Item = String>) -> String {
    analysis_core::listed(names, NAMES_LISTED)
}

fn module_findings(input: &Input<'_>, options: Options, out: &mut Analysis) -> usize {
    let graph = ModuleGraph::new(input.modules, input.edges);
    let found = tangles(graph.count, &graph.edges, Some(&graph.weights));
    let reported: Vec<&Tangle> = found.iter().filter(|t| t.nodes.len() >= options.min_size).collect();
    let shown = &reported[..reported.len().min(options.max_findings)];
    // The items at both ends of every dependency to cut (what a reader has to change), found in
    // one pass over the edges: each cut module pair, sorted, names the tangle it belongs to.
    let module_edges = &graph.edges;
    let mut cuts: Vec<([u32; 2], usize)> = shown
        .iter()
        .enumerate()
        .flat_map(|(at, t)| t.feedback.iter().map(move |&e| (module_edges[e as usize], at)))
        .collect();
    cuts.sort_unstable();
    let mut nodes: Vec<Vec<u32>> = vec![Vec::new(); shown.len()];
    let mut cut_edges: Vec<Vec<u32>> = vec![Vec::new(); shown.len()];
    for (index, e) in input.edges.iter().enumerate() {
        let pair = [input.modules[e[0] as usize], input.modules[e[1] as usize]];
        if let Ok(i) = cuts.binary_search_by(|(p, _)| p.cmp(&pair)) {
            nodes[cuts[i].1].extend([e[0], e[1]]);
            cut_edges[cuts[i].1].push(index as u32);
        }
    }
    for ((t, mut nodes), edges) in shown.iter().zip(nodes).zip(cut_edges) {
        nodes.sort_unstable();
        nodes.dedup();
        let cut_words = t.feedback.iter().map(|&e| {
            let [a, b] = graph.edges[e as usize];
            let uses = graph.weights[e as usize];
            format!(
                "{} → {} ({uses} {})",
                (input.module_name)(a),
                (input.module_name)(b),
                if uses == 1 { "use" } else { "uses" }
            )
        });
        let message = format!(
            "{} modules depend on one another in a cycle: {}. Cutting {} of their {} dependencies breaks it: {}.",
            t.nodes.len(),
            listed(t.nodes.iter().map(|&m| (input.module_name)(m))),
            t.feedback.len(),
            t.edges.len(),
            listed(cut_words),
        );
        out.finding_edges.insert(out.findings.len(), edges);
        out.findings.push((Severity::Warning, nodes, message));
    }
    reported.len()
}

fn item_findings(input: &Input<'_>, found: &[Tangle], options: Options, out: &mut Analysis) -> usize {
    let reported: Vec<&Tangle> = found.iter().filter(|t| t.nodes.len() >= options.min_size).collect();
    for t in reported.iter().take(options.max_findings) {
        let mut modules: Vec<u32> = t.nodes.iter().map(|&v| input.modules[v as usize]).collect();
        modules.sort_unstable();
        modules.dedup();
        let cuts = t.feedback.iter().map(|&e| {
            let [a, b] = input.edges[e as usize];
            format!("{} → {}", (input.item_name)(a), (input.item_name)(b))
        });
        let message = format!(
            "{} items call or use one another in a cycle, in {}: {}. Cutting {} of their {} edges breaks it: {}.",
            t.nodes.len(),
            listed(modules.iter().map(|&m| (input.module_name)(m))),
            listed(t.nodes.iter().map(|&v| (input.item_name)(v))),
            t.feedback.len(),
            t.edges.len(),
            listed(cuts),
        );
        // A cycle inside one module is its own business; one across modules ties them together.
        let severity = if modules.len() > 1 { Severity::Warning } else { Severity::Info };
        out.finding_edges.insert(out.findings.len(), t.feedback.clone());
        out.findings.push((severity, t.nodes.clone(), message));
    }
    reported.len()
}

/// Finds the tangles `options` asks for.
#[must_use]
pub fn analyse(input: &Input<'_>, options: Options) -> Analysis {
    let mut out = Analysis::default();
    let mut unreported = 0;
    if options.modules {
        unreported += module_findings(input, options, &mut out).saturating_sub(options.max_findings);
    }
    // Item tangles are found when asked for, and then give the metric columns too.
    let items = if options.items { tangles(input.nodes, input.edges, None) } else { Vec::new() };
    if options.items {
        unreported += item_findings(input, &items, options, &mut out).saturating_sub(options.max_findings);
    }
    if unreported > 0 {
        out.findings.push((
            Severity::Info,
            Vec::new(),
            format!("{unreported} smaller tangles are not listed: raise \"Most tangles reported\" to see them."),
        ));
    }
    if out.findings.is_empty() {
        out.findings.push((
            Severity::Info,
            Vec::new(),
            "No tangles: nothing depends on itself through others.".to_owned(),
        ));
    }
    let mut size = vec![0.0f32; input.nodes];
    for t in &items {
        for &v in &t.nodes {
            size[v as usize] = t.nodes.len() as f32;
        }
    }
    if !options.items {
        return out;
    }
    let share = tangled_share(input.modules, &items);
    let module_share = input.modules.iter().map(|&m| 100.0 * share[m as usize]).collect();
    out.metrics = vec![("tangle size".to_owned(), size), ("module tangled %".to_owned(), module_share)];
    out
}

fn run(graph: &Graph, params: &Params) -> Analysis {
    let modules = graph.node_modules();
    let first = analysis_core::first_items(modules);
    let item_name = |v: u32| graph.node_name(v);
    let module_name = |m: u32| first[m as usize].map_or_else(|| format!("module {m}"), |v| graph.node_file(v));
    let level = params.str("level");
    let options = Options {
        modules: level != "items",
        items: level != "modules",
        min_size: params.i64("min_size").max(2) as usize,
        max_findings: params.i64("max_findings").max(1) as usize,
    };
    let input = Input {
        nodes: graph.node_count(),
        edges: graph.edges(),
        modules,
        item_name: &item_name,
        module_name: &module_name,
    };
    analyse(&input, options)
}

analysis!(run);

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(edges: &'a [[u32; 2]], modules: &'a [u32], names: &'a dyn Fn(u32) -> String) -> Input<'a> {
        Input { nodes: modules.len(), edges, modules, item_name: names, module_name: names }
    }

    const ALL: Options = Options { modules: true, items: true, min_size: 2, max_findings: 100 };

    #[test]
    fn a_module_cycle_names_its_modules_and_the_dependency_to_cut() {
        // Modules 0 (items 0, 1) and 1 (items 2, 3): 0 uses 1 three times, 1 calls back once.
        let edges = [[0, 2], [1, 2], [1, 3], [3, 0]];
        let modules = [0, 0, 1, 1];
        let name = |v: u32| ["a", "b", "c", "d"][v as usize].to_owned();
        let result = analyse(&input(&edges, &modules, &name), Options { items: false, ..ALL });
        let (severity, nodes, message) = &result.findings[0];
        assert_eq!(*severity, Severity::Warning);
        assert_eq!(
            message,
            "2 modules depend on one another in a cycle: a, b. Cutting 1 of their 2 dependencies breaks it: b → a (1 use)."
        );
        assert_eq!(nodes, &[0, 3], "the items at both ends of the call back");
        assert_eq!(result.finding_edges[&0], [3], "the edge to cut, for the app to draw in warning colour");
    }

    #[test]
    fn item_cycles_within_and_across_modules() {
        let edges = [[0, 1], [1, 0], [2, 3], [3, 2]];
        let modules = [0, 0, 0, 1];
        let name = |v: u32| format!("n{v}");
        let result = analyse(&input(&edges, &modules, &name), Options { modules: false, ..ALL });
        let severities: Vec<Severity> = result.findings.iter().map(|f| f.0).collect();
        assert_eq!(severities, [Severity::Info, Severity::Warning], "inside one module, then across two");
        // Each two-item cycle is broken by cutting one of its two edges.
        for (i, cycle) in [[0, 1], [2, 3]].iter().enumerate() {
            let cut = &result.finding_edges[&i];
            assert_eq!(cut.len(), 1);
            assert!(cycle.contains(&cut[0]), "{cut:?} cuts cycle {cycle:?}");
        }
        assert_eq!(result.metrics[0].1, [2.0, 2.0, 2.0, 2.0]);
        assert_eq!(result.metrics[1].1, [100.0, 100.0, 100.0, 100.0]);
    }

    #[test]
    fn limits_are_said_and_no_tangle_is_said_too() {
        let edges: Vec<[u32; 2]> = (0..10).flat_map(|i| [[2 * i, 2 * i + 1], [2 * i + 1, 2 * i]]).collect();
        let modules = vec![0; 20];
        let name = |v: u32| format!("n{v}");
        let result = analyse(&input(&edges, &modules, &name), Options { max_findings: 3, ..ALL });
        assert_eq!(result.findings.len(), 4);
        assert_eq!(
            result.findings[3].2,
            "7 smaller tangles are not listed: raise \"Most tangles reported\" to see them."
        );
        let calm = analyse(&input(&[[0, 1]], &[0, 0], &name), ALL);
        assert_eq!(calm.findings[0].2, "No tangles: nothing depends on itself through others.");
    }
}
