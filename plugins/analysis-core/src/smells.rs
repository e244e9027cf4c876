//! Architectural smells in the sense of Arcan and Designite, with thresholds the caller chooses:
//! - **hub-like modules**: many modules depend on the module and it depends on many (a change
//!   anywhere reaches it and a change in it reaches everywhere);
//! - **unstable dependencies**: a module depending on modules less stable than itself (Martin's
//!   stable dependencies principle: depend in the direction of stability), reported when such
//!   dependencies make up at least a share of its dependencies;
//! - **god items**: items with both a high fan-in and a high fan-out (everything goes through
//!   them), counted in distinct items.
//!
//! Instability here is Martin's `I = Ce / (Ca + Ce)` from [`crate::metrics`], so the two analyses
//! never disagree about how stable a module is.

use crate::ModuleGraph;
use crate::metrics::{TypeRole, module_metrics};

/// The thresholds (each documented in the `smells` plugin's manifest with its default).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A module is hub-like when at least this many other modules depend on it and it depends on
    /// at least this many.
    pub hub_modules: u32,
    /// A dependency is unstable when its target's instability exceeds its source's by more than
    /// this.
    pub unstable_margin: f32,
    /// A module smells of unstable dependencies when at least this share of the modules it
    /// depends on are less stable than itself.
    pub unstable_share: f32,
    /// An item is a god item when at least this many distinct items depend on it…
    pub god_fan_in: u32,
    /// …and it depends on at least this many.
    pub god_fan_out: u32,
}

/// A hub-like module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    /// The module.
    pub module: u32,
    /// Distinct modules depending on it.
    pub fan_in: u32,
    /// Distinct modules it depends on.
    pub fan_out: u32,
}

/// A module depending on modules less stable than itself.
#[derive(Debug, Clone, PartialEq)]
pub struct UnstableDependency {
    /// The module.
    pub module: u32,
    /// Its instability.
    pub instability: f32,
    /// The less stable modules it depends on, with their instability, the least stable first.
    pub targets: Vec<(u32, f32)>,
    /// How many modules it depends on in all.
    pub dependencies: u32,
    /// The node edges behind the unstable dependencies, by index into the edges given.
    pub edges: Vec<u32>,
}

/// An item with a high fan-in and fan-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GodItem {
    /// The item.
    pub node: u32,
    /// Distinct items depending on it.
    pub fan_in: u32,
    /// Distinct items it depends on.
    pub fan_out: u32,
}

/// Everything found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Smells {
    /// Hub-like modules, the biggest hub first.
    pub hubs: Vec<Hub>,
    /// Modules with unstable dependencies, the most such dependencies first.
    pub unstable: Vec<UnstableDependency>,
    /// God items, the highest degree first.
    pub gods: Vec<GodItem>,
    /// Every item's fan-in in distinct items.
    pub fan_in: Vec<u32>,
    /// Every item's fan-out in distinct items.
    pub fan_out: Vec<u32>,
}

/// Distinct neighbours in and out of every node of `graph`, self-loops left out.
fn distinct_degrees(count: usize, edges: impl Iterator<Item = [u32; 2]>) -> (Vec<u32>, Vec<u32>) {
    let mut pairs: Vec<[u32; 2]> = edges.filter(|e| e[0] != e[1]).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let (mut fan_in, mut fan_out) = (vec![0u32; count], vec![0u32; count]);
    for [a, b] in pairs {
        fan_out[a as usize] += 1;
        fan_in[b as usize] += 1;
    }
    (fan_in, fan_out)
}

/// Finds the smells of the graph of `modules.len()` items with dependencies `edges`. `skip` marks
/// items never reported as god items (external placeholders, tests), though they still count in
/// others' degrees.
#[must_use]
pub fn smells(modules: &[u32], edges: &[[u32; 2]], skip: &[bool], limits: Thresholds) -> Smells {
    let n = modules.len();
    let valid = |e: &&[u32; 2]| (e[0] as usize) < n && (e[1] as usize) < n;
    let module_graph = ModuleGraph::new(modules, edges);
    let (module_in, module_out) = distinct_degrees(module_graph.count, module_graph.edges.iter().copied());
    let mut hubs: Vec<Hub> = (0..module_graph.count)
        .filter(|&m| module_in[m] >= limits.hub_modules && module_out[m] >= limits.hub_modules)
        .map(|m| Hub { module: m as u32, fan_in: module_in[m], fan_out: module_out[m] })
        .collect();
    hubs.sort_by_key(|h| (std::cmp::Reverse(h.fan_in + h.fan_out), h.module));

    let metrics = module_metrics(modules, edges, &[] as &[TypeRole], 1.0);
    let mut instability = vec![0.0f32; module_graph.count];
    for m in &metrics {
        instability[m.module as usize] = m.instability;
    }
    let mut unstable: Vec<UnstableDependency> = Vec::new();
    let mut at = 0;
    while at < module_graph.edges.len() {
        let from = module_graph.edges[at][0];
        let end = at + module_graph.edges[at..].iter().take_while(|e| e[0] == from).count();
        let own = instability[from as usize];
        let mut targets: Vec<(u32, f32)> = module_graph.edges[at..end]
            .iter()
            .map(|e| (e[1], instability[e[1] as usize]))
            .filter(|&(_, i)| i > own + limits.unstable_margin)
            .collect();
        let dependencies = (end - at) as u32;
        if !targets.is_empty() && targets.len() as f32 >= limits.unstable_share * dependencies as f32 {
            targets.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            unstable.push(UnstableDependency {
                module: from,
                instability: own,
                targets,
                dependencies,
                edges: Vec::new(),
            });
        }
        at = end;
    }
    // The node edges behind each reported dependency, found in one pass.
    let mut wanted: Vec<([u32; 2], usize)> =
        unstable.iter().enumerate().flat_map(|(i, u)| u.targets.iter().map(move |t| ([u.module, t.0], i))).collect();
    wanted.sort_unstable();
    for (index, e) in edges.iter().enumerate().filter(|(_, e)| valid(e)) {
        let pair = [modules[e[0] as usize], modules[e[1] as usize]];
        if let Ok(i) = wanted.binary_search_by(|(p, _)| p.cmp(&pair)) {
            unstable[wanted[i].1].edges.push(index as u32);
        }
    }
    unstable.sort_by_key(|u| (std::cmp::Reverse(u.targets.len()), u.module));

    let (item_in, item_out) = distinct_degrees(n, edges.iter().filter(valid).copied());
    let mut gods: Vec<GodItem> = (0..n)
        .filter(|&v| !skip.get(v).copied().unwrap_or(false))
        .filter(|&v| item_in[v] >= limits.god_fan_in && item_out[v] >= limits.god_fan_out)
        .map(|v| GodItem { node: v as u32, fan_in: item_in[v], fan_out: item_out[v] })
        .collect();
    gods.sort_by_key(|g| (std::cmp::Reverse(g.fan_in + g.fan_out), g.node));
    Smells { hubs, unstable, gods, fan_in: item_in, fan_out: item_out }
}
