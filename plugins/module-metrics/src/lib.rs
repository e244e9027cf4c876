//! Robert Martin's package metrics per module (`analysis_core::metrics`): a finding for every
//! module in the zone of pain or of uselessness, a summary, and metric columns giving every item
//! its module's Ca, Ce, instability, abstractness and distance.

use analysis_core::metrics::{ModuleMetrics, TypeRole, Zone, module_metrics};
use analysis_core::unreferenced::is_test_or_example;
use pt_plugin_sdk::abi::metric_names;
use pt_plugin_sdk::{Analysis, Graph, Params, Severity, analysis};

/// The graph as the analysis reads it.
pub struct Input<'a> {
    /// Dependencies `[from, to]`.
    pub edges: &'a [[u32; 2]],
    /// Each item's module.
    pub modules: &'a [u32],
    /// Each item's role for abstractness.
    pub roles: &'a [TypeRole],
    /// A module's name.
    pub module_name: &'a dyn Fn(u32) -> String,
}

fn explain(m: &ModuleMetrics, name: &str) -> Option<String> {
    let figures = format!(
        "A {:.2}, I {:.2}, distance {:.2}; {} items elsewhere depend on it, {} of its items depend elsewhere",
        m.abstractness, m.instability, m.distance, m.afferent, m.efferent
    );
    match m.zone {
        Zone::Balanced => None,
        Zone::Pain => Some(format!(
            "{name} is in the zone of pain: concrete and stable, so much depends on code that is hard to change ({figures})."
        )),
        Zone::Uselessness => Some(format!(
            "{name} is in the zone of uselessness: abstract and unstable, abstractions little depends on ({figures})."
        )),
    }
}

/// Measures every module; modules of fewer than `min_nodes` items get metrics but no finding.
#[must_use]
pub fn analyse(input: &Input<'_>, far: f32, min_nodes: u32) -> Analysis {
    let measured = module_metrics(input.modules, input.edges, input.roles, far);
    let count = measured.iter().map(|m| m.module as usize + 1).max().unwrap_or(0);
    // Each module's items, gathered once: a finding selects them.
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (v, &k) in input.modules.iter().enumerate() {
        members[k as usize].push(v as u32);
    }
    let mut findings: Vec<(Severity, Vec<u32>, String)> = Vec::new();
    let (mut pain, mut useless) = (0, 0);
    for m in measured.iter().filter(|m| m.nodes >= min_nodes) {
        let name = (input.module_name)(m.module);
        // A test file depends on what it tests and nothing depends on it: its zone says nothing.
        if is_test_or_example(&name) {
            continue;
        }
        let Some(message) = explain(m, &name) else { continue };
        match m.zone {
            Zone::Pain => pain += 1,
            _ => useless += 1,
        }
        findings.push((Severity::Warning, std::mem::take(&mut members[m.module as usize]), message));
    }
    let mean = if measured.is_empty() {
        0.0
    } else {
        measured.iter().map(|m| m.distance).sum::<f32>() / measured.len() as f32
    };
    findings.insert(
        0,
        (
            Severity::Info,
            Vec::new(),
            format!(
                "{} modules measured: {pain} in the zone of pain, {useless} in the zone of uselessness (distance at least {far:.2}, modules of at least {min_nodes} items, tests and examples not reported); mean distance from the main sequence {mean:.2}.",
                measured.len()
            ),
        ),
    );
    let mut by_id: Vec<Option<&ModuleMetrics>> = vec![None; count];
    for m in &measured {
        by_id[m.module as usize] = Some(m);
    }
    let column = |name: &str, value: fn(&ModuleMetrics) -> f32| {
        let values = input.modules.iter().map(|&k| by_id[k as usize].map_or(0.0, value)).collect();
        (name.to_owned(), values)
    };
    Analysis {
        findings,
        metrics: vec![
            column("module Ca", |m| m.afferent as f32),
            column("module Ce", |m| m.efferent as f32),
            column(metric_names::MODULE_INSTABILITY, |m| m.instability),
            column(metric_names::MODULE_ABSTRACTNESS, |m| m.abstractness),
            column("module distance", |m| m.distance),
        ],
        ..Analysis::default()
    }
}

fn run(graph: &Graph, params: &Params) -> Analysis {
    let modules = graph.node_modules();
    let kinds = graph.node_kinds();
    let kind_roles: Vec<TypeRole> = graph.node_kind_names().iter().map(|k| TypeRole::of_kind(k)).collect();
    let roles: Vec<TypeRole> = kinds.iter().map(|&k| kind_roles[k as usize]).collect();
    let first = analysis_core::first_items(modules);
    let module_name = |m: u32| first[m as usize].map_or_else(|| format!("module {m}"), |v| graph.node_file(v));
    let input = Input { edges: graph.edges(), modules, roles: &roles, module_name: &module_name };
    analyse(&input, params.f64("far") as f32, params.i64("min_nodes").max(1) as u32)
}

analysis!(run);

#[cfg(test)]
mod tests {
    use super::*;
    use TypeRole::{Abstract as T, Concrete as S, NotAType as F};

    #[test]
    fn zones_are_found_explained_and_every_item_gets_its_modules_figures() {
        // core (0) is concrete and used by items 2, 3 and 4; toys (1) is one trait using core that
        // nothing uses; app (2) uses core.
        let modules = [0, 0, 1, 2, 2];
        let roles = [S, S, T, F, F];
        let edges = [[2, 0], [3, 0], [4, 1]];
        let name = |m: u32| ["core.rs", "toys.rs", "app.rs"][m as usize].to_owned();
        let input = Input { edges: &edges, modules: &modules, roles: &roles, module_name: &name };
        let result = analyse(&input, 0.7, 1);
        let messages: Vec<&str> = result.findings.iter().map(|f| f.2.as_str()).collect();
        assert_eq!(
            messages[0],
            "3 modules measured: 1 in the zone of pain, 1 in the zone of uselessness (distance at least 0.70, modules of at least 1 items, tests and examples not reported); mean distance from the main sequence 0.67."
        );
        assert!(messages[1].starts_with("core.rs is in the zone of pain: concrete and stable"), "{}", messages[1]);
        assert!(
            messages[1].contains("A 0.00, I 0.00, distance 1.00; 3 items elsewhere depend on it"),
            "{}",
            messages[1]
        );
        assert_eq!(result.findings[1].1, [0, 1]);
        assert!(messages[2].starts_with("toys.rs is in the zone of uselessness"), "{}", messages[2]);
        assert_eq!(result.metrics[2].0, "module instability");
        assert_eq!(result.metrics[2].1, [0.0, 0.0, 1.0, 1.0, 1.0]);
        // Small modules are measured but not reported.
        assert_eq!(analyse(&input, 0.7, 2).findings.len(), 2);
    }
}
