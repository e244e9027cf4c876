//! Communities by Leiden (`analysis_core::communities`) on the module graph (files, weighted by
//! the dependencies between them) or on the item graph, set beside the grouping the code already
//! has (folders for modules, files for items): the modularity of both, how much they agree
//! (normalised mutual information), how many folders the communities split, and each community's
//! members with where they live.

use analysis_core::ModuleGraph;
use analysis_core::communities::{UndirectedGraph, leiden, modularity, normalized_mutual_information};
use pt_plugin_sdk::abi::metric_names;
use pt_plugin_sdk::{Analysis, Graph, Params, Severity, analysis};
use std::collections::BTreeMap;

/// How many places a community's message names.
const PLACES_LISTED: usize = 4;

/// What to group and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Group modules (files) rather than items.
    pub modules: bool,
    /// Leiden's resolution: above 1 finds smaller communities.
    pub resolution: f64,
    /// Seed of Leiden's random choices.
    pub seed: u64,
    /// Smallest community reported.
    pub min_size: usize,
    /// Most communities reported (the biggest first).
    pub max_findings: usize,
}

/// The graph as the analysis reads it.
pub struct Input<'a> {
    /// Dependencies `[from, to]`.
    pub edges: &'a [[u32; 2]],
    /// Each item's module.
    pub modules: &'a [u32],
    /// A module's file path.
    pub module_name: &'a dyn Fn(u32) -> String,
}

/// The folder of a file path (`.` for a path without one).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(".", |(folder, _)| folder)
}

/// Ids for names, in order of first appearance.
fn ids_of<'n>(names: impl Iterator<Item = &'n str>) -> (Vec<u32>, Vec<&'n str>) {
    let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
    let mut order = Vec::new();
    let ids = names
        .map(|name| {
            *seen.entry(name).or_insert_with(|| {
                order.push(name);
                order.len() as u32 - 1
            })
        })
        .collect();
    (ids, order)
}

/// "mostly in X (n units); also Y (m), Z (k)".
fn places(members: &[u32], place: &[u32], place_names: &[&str], unit: &str) -> String {
    let mut count: BTreeMap<u32, usize> = BTreeMap::new();
    for &v in members {
        *count.entry(place[v as usize]).or_default() += 1;
    }
    let mut ranked: Vec<(u32, usize)> = count.into_iter().collect();
    ranked.sort_by_key(|&(p, c)| (std::cmp::Reverse(c), p));
    let named = ranked.iter().map(|&(p, c)| format!("{} ({c})", place_names[p as usize]));
    let (first, rest) = (ranked[0], ranked.len() - 1);
    if rest == 0 {
        format!("all in {}", place_names[first.0 as usize])
    } else {
        format!("mostly {unit} in {}", analysis_core::listed(named, PLACES_LISTED))
    }
}

/// Finds the communities `options` asks for.
#[must_use]
pub fn analyse(input: &Input<'_>, options: Options) -> Analysis {
    let n = input.modules.len();
    // Module ids numbered densely over the modules that have items: an id no item has would be an
    // isolated node, a community of nothing.
    let present: Vec<u32> = analysis_core::first_items(input.modules)
        .iter()
        .enumerate()
        .filter_map(|(m, first)| first.map(|_| m as u32))
        .collect();
    let mut dense = vec![0u32; present.last().map_or(0, |&m| m as usize + 1)];
    for (d, &m) in present.iter().enumerate() {
        dense[m as usize] = d as u32;
    }
    let modules: Vec<u32> = input.modules.iter().map(|&m| dense[m as usize]).collect();
    let files: Vec<String> = present.iter().map(|&m| (input.module_name)(m)).collect();
    // What is grouped (modules or items), its graph, and the grouping the code already has.
    let (graph, existing, existing_names, unit, existing_word) = if options.modules {
        let modules = ModuleGraph::new(&modules, input.edges);
        let graph = UndirectedGraph::new(modules.count, &modules.edges, Some(&modules.weights));
        let (folders, names) = ids_of(files.iter().map(|f| folder_of(f)));
        (graph, folders, names, "files", "folders")
    } else {
        let graph = UndirectedGraph::new(n, input.edges, None);
        let names: Vec<&str> = files.iter().map(String::as_str).collect();
        (graph, modules.clone(), names, "items", "files")
    };
    let found = leiden(&graph, options.resolution, options.seed);
    let count = found.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (v, &c) in found.iter().enumerate() {
        members[c as usize].push(v as u32);
    }
    let singles = members.iter().filter(|m| m.len() == 1).count();
    // Folders (or files) that the communities split.
    let mut pairs: Vec<(u32, u32)> = existing.iter().zip(&found).map(|(&e, &c)| (e, c)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let split =
        pairs.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| w[0].0).collect::<std::collections::BTreeSet<_>>().len();
    let mut findings = vec![(
        Severity::Info,
        Vec::new(),
        format!(
            "Leiden found {count} communities of {unit} ({singles} of a single one; resolution {:.2}), modularity {:.3}; the {} {existing_word} as communities score {:.3}. Agreement between the two (normalised mutual information) {:.2}: the communities split {split} of the {existing_word}.",
            options.resolution,
            modularity(&graph, &found, options.resolution),
            existing_names.len(),
            modularity(&graph, &existing, options.resolution),
            normalized_mutual_information(&found, &existing),
        ),
    )];
    let reported: Vec<&Vec<u32>> = members.iter().filter(|m| m.len() >= options.min_size).collect();
    for (rank, group) in reported.iter().take(options.max_findings).enumerate() {
        let items: Vec<u32> = if options.modules {
            let mut wanted = vec![false; present.len()];
            for &m in group.iter() {
                wanted[m as usize] = true;
            }
            (0..n as u32).filter(|&v| wanted[modules[v as usize] as usize]).collect()
        } else {
            (*group).clone()
        };
        let size = if options.modules {
            format!("{} files ({} items)", group.len(), items.len())
        } else {
            format!("{} items", group.len())
        };
        findings.push((
            Severity::Info,
            items,
            format!("Community {}: {size}, {}.", rank + 1, places(group, &existing, &existing_names, unit)),
        ));
    }
    if reported.len() > options.max_findings {
        findings.push((
            Severity::Info,
            Vec::new(),
            format!("{} smaller communities are not listed.", reported.len() - options.max_findings),
        ));
    }
    let column = modules
        .iter()
        .enumerate()
        .map(|(v, &m)| 1.0 + found[if options.modules { m as usize } else { v }] as f32)
        .collect();
    Analysis { findings, metrics: vec![(metric_names::COMMUNITY.to_owned(), column)], ..Analysis::default() }
}

fn run(graph: &Graph, params: &Params) -> Analysis {
    let modules = graph.node_modules();
    let first = analysis_core::first_items(modules);
    let module_name = |m: u32| first[m as usize].map_or_else(|| format!("module {m}"), |v| graph.node_file(v));
    let options = Options {
        modules: params.str("level") != "items",
        resolution: params.f64("resolution"),
        seed: params.i64("seed") as u64,
        min_size: params.i64("min_size").max(1) as usize,
        max_findings: params.i64("max_findings").max(1) as usize,
    };
    analyse(&Input { edges: graph.edges(), modules, module_name: &module_name }, options)
}

analysis!(run);

#[cfg(test)]
mod tests {
    use super::*;

    /// Two folders of three files each, every file one item; the files of each folder call one
    /// another in a ring, and one call crosses between the folders.
    fn example() -> (Vec<u32>, Vec<[u32; 2]>) {
        (vec![0, 1, 2, 3, 4, 5], vec![[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [2, 3]])
    }

    const FILES: [&str; 6] = ["a/x.rs", "a/y.rs", "a/z.rs", "b/x.rs", "b/y.rs", "b/z.rs"];

    #[test]
    fn module_communities_match_folders_that_are_communities() {
        let (modules, edges) = example();
        let name = |m: u32| FILES[m as usize].to_owned();
        let options = Options { modules: true, resolution: 1.0, seed: 1, min_size: 2, max_findings: 10 };
        let result = analyse(&Input { edges: &edges, modules: &modules, module_name: &name }, options);
        assert_eq!(
            result.findings[0].2,
            "Leiden found 2 communities of files (0 of a single one; resolution 1.00), modularity 0.357; the 2 folders as communities score 0.357. Agreement between the two (normalised mutual information) 1.00: the communities split 0 of the folders."
        );
        assert_eq!(result.findings[1].2, "Community 1: 3 files (3 items), all in a.");
        assert_eq!(result.findings[1].1, [0, 1, 2]);
        assert_eq!(result.metrics[0].1, [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]);
    }

    #[test]
    fn item_communities_across_files_are_named_by_where_they_live() {
        let (_, edges) = example();
        let modules = [0, 0, 1, 1, 1, 1];
        let name = |m: u32| ["a.rs", "b.rs"][m as usize].to_owned();
        let options = Options { modules: false, resolution: 1.0, seed: 1, min_size: 2, max_findings: 1 };
        let result = analyse(&Input { edges: &edges, modules: &modules, module_name: &name }, options);
        assert!(result.findings[0].2.contains("the communities split 1 of the files"), "{}", result.findings[0].2);
        assert_eq!(result.findings[1].2, "Community 1: 3 items, mostly items in a.rs (2), b.rs (1).");
        assert_eq!(result.findings[2].2, "1 smaller communities are not listed.");
    }
}
