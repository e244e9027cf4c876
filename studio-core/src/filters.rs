//! Narrowing the picture down: filters by node kind, edge kind, what the code is for (source,
//! tests, benches, examples, external placeholders) and module subtree, and a focus around the
//! selection (its neighbourhood, callers and callees grown one level at a time, or a path).
//! Filters, focus and hubs compose: a node is drawn only when all of them let it through.

use std::collections::BTreeSet;

use isg::query::{Direction, neighbourhood, shortest_path};
use isg::{CodeRole, EdgeKind, Graph, NodeId};

/// Which nodes and edges the user chose to see. Empty sets show everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Node kinds left out, by name.
    pub hidden_node_kinds: BTreeSet<String>,
    /// Edge kinds left out, by name.
    pub hidden_edge_kinds: BTreeSet<String>,
    /// Roles left out: tests, benches, examples, external placeholders, or source.
    pub hidden_roles: BTreeSet<CodeRole>,
    /// Only this module subtree: a folder (`src/runtime`) or file path; `None` shows all.
    pub module: Option<String>,
}

impl Filters {
    /// Whether node `n` passes every filter.
    #[must_use]
    pub fn passes(&self, graph: &Graph, n: NodeId) -> bool {
        (self.hidden_node_kinds.is_empty() || !self.hidden_node_kinds.contains(graph.kind_name(n)))
            && (self.hidden_roles.is_empty() || !self.hidden_roles.contains(&graph.role(n)))
            && self.module.as_deref().is_none_or(|m| in_module(graph.file_path(n), m))
    }

    /// For each edge kind of `graph` (by index), whether it is left out.
    #[must_use]
    pub fn edge_kind_mask(&self, graph: &Graph) -> Vec<bool> {
        graph.edge_kinds().iter().map(|k| self.hidden_edge_kinds.contains(k)).collect()
    }

    /// Whether any filter is set.
    #[must_use]
    pub fn is_active(&self) -> bool {
        *self != Self::default()
    }
}

/// Whether `path` lies in the module `module` (a folder or a file, `/`-separated).
fn in_module(path: &str, module: &str) -> bool {
    let module = module.trim_end_matches('/');
    module.is_empty() || path.strip_prefix(module).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The module folders of `graph` with how many nodes each holds (directly or below), sorted by
/// path: the choices of the module filter.
#[must_use]
pub fn module_folders(graph: &Graph) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for n in graph.nodes() {
        let path = graph.file_path(n);
        for (i, _) in path.match_indices('/') {
            *counts.entry(&path[..i]).or_default() += 1;
        }
    }
    counts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// How the focus was made, and so what growing it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FocusKind {
    /// The selection and its neighbours to this depth, both ways.
    Neighbourhood(usize),
    /// The selection, grown by callers and callees one level at a time.
    Expanded {
        /// Levels of callers added.
        caller_levels: usize,
        /// Levels of callees added.
        callee_levels: usize,
    },
    /// A shortest path between two nodes.
    Path,
}

/// The part of the graph the view is narrowed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    /// How it was made.
    pub kind: FocusKind,
    /// The nodes it shows, sorted.
    members: Vec<u32>,
    /// Callers added last (where the next caller level starts), sorted.
    caller_frontier: Vec<u32>,
    /// Callees added last, sorted.
    callee_frontier: Vec<u32>,
}

/// Why a focus could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FocusError {
    /// Nothing is selected to focus on.
    #[error("select a node first")]
    NoSelection,
    /// A path needs exactly two nodes.
    #[error("select exactly two nodes for a path (Ctrl-click adds a node); {0} are selected")]
    NotTwo(usize),
    /// The two nodes are not connected at all.
    #[error("no path joins {from} and {to}, in either direction")]
    NoPath {
        /// The first node's name.
        from: String,
        /// The second node's name.
        to: String,
    },
}

impl Focus {
    /// The nodes within `depth` edges of `seeds`, both ways.
    ///
    /// # Errors
    /// No seeds.
    pub fn neighbourhood(graph: &Graph, seeds: &[u32], depth: usize) -> Result<Self, FocusError> {
        let seeds = valid(graph, seeds)?;
        let members =
            neighbourhood(graph, &seeds, depth, Direction::Both, None).into_iter().map(|(n, _)| n.0).collect();
        Ok(Self::of(FocusKind::Neighbourhood(depth), members, Vec::new(), Vec::new()))
    }

    /// The seeds alone, ready to grow by callers and callees.
    ///
    /// # Errors
    /// No seeds.
    pub fn seeds(graph: &Graph, seeds: &[u32]) -> Result<Self, FocusError> {
        let seeds: Vec<u32> = valid(graph, seeds)?.into_iter().map(|n| n.0).collect();
        let kind = FocusKind::Expanded { caller_levels: 0, callee_levels: 0 };
        Ok(Self::of(kind, seeds.clone(), seeds.clone(), seeds))
    }

    /// A shortest path between the two selected nodes: along calls and uses from the first to
    /// the second, else from the second to the first, else either way round.
    ///
    /// # Errors
    /// Not exactly two nodes, or no path at all.
    pub fn path(graph: &Graph, selection: &[u32]) -> Result<Self, FocusError> {
        let [a, b] = selection else { return Err(FocusError::NotTwo(selection.len())) };
        let [a, b] = [NodeId(*a), NodeId(*b)];
        let path = shortest_path(graph, a, b, Direction::Out, None)
            .or_else(|| shortest_path(graph, b, a, Direction::Out, None))
            .or_else(|| shortest_path(graph, a, b, Direction::Both, None))
            .ok_or_else(|| FocusError::NoPath { from: graph.name(a).to_owned(), to: graph.name(b).to_owned() })?;
        Ok(Self::of(FocusKind::Path, path.into_iter().map(|n| n.0).collect(), Vec::new(), Vec::new()))
    }

    fn of(kind: FocusKind, mut members: Vec<u32>, mut callers: Vec<u32>, mut callees: Vec<u32>) -> Self {
        for v in [&mut members, &mut callers, &mut callees] {
            v.sort_unstable();
            v.dedup();
        }
        Self { kind, members, caller_frontier: callers, callee_frontier: callees }
    }

    /// Adds one more level of callers (`Direction::In`) or callees (`Direction::Out`) through
    /// Calls edges; returns the nodes it added (none when the last level had no more).
    pub fn grow(&mut self, graph: &Graph, direction: Direction) -> Vec<u32> {
        let calls: Vec<EdgeKind> = graph.edge_kind_named("Calls").into_iter().collect();
        let frontier = match direction {
            Direction::In => &self.caller_frontier,
            _ => &self.callee_frontier,
        };
        let seeds: Vec<NodeId> = frontier.iter().map(|&n| NodeId(n)).collect();
        let mut added: Vec<u32> = neighbourhood(graph, &seeds, 1, direction, Some(&calls))
            .into_iter()
            .filter(|&(_, d)| d == 1)
            .map(|(n, _)| n.0)
            .filter(|n| self.members.binary_search(n).is_err())
            .collect();
        added.sort_unstable();
        added.dedup();
        self.members.extend(&added);
        self.members.sort_unstable();
        let levels = match &mut self.kind {
            FocusKind::Expanded { caller_levels, callee_levels } => Some((caller_levels, callee_levels)),
            _ => None,
        };
        match direction {
            Direction::In => {
                self.caller_frontier.clone_from(&added);
                if let Some((callers, _)) = levels {
                    *callers += 1;
                }
            }
            _ => {
                self.callee_frontier.clone_from(&added);
                if let Some((_, callees)) = levels {
                    *callees += 1;
                }
            }
        }
        added
    }

    /// Whether node `n` is in focus.
    #[must_use]
    pub fn contains(&self, n: u32) -> bool {
        self.members.binary_search(&n).is_ok()
    }

    /// The nodes in focus, sorted.
    #[must_use]
    pub fn members(&self) -> &[u32] {
        &self.members
    }

    /// What the focus shows, in words, for the panel.
    #[must_use]
    pub fn describe(&self) -> String {
        let n = self.members.len();
        match &self.kind {
            FocusKind::Neighbourhood(d) => format!("{n} nodes within {d} step(s) of the selection"),
            FocusKind::Expanded { caller_levels, callee_levels } => {
                format!("{n} nodes: the selection, {caller_levels} level(s) of callers, {callee_levels} of callees")
            }
            FocusKind::Path => format!("a path of {n} nodes"),
        }
    }
}

fn valid(graph: &Graph, ids: &[u32]) -> Result<Vec<NodeId>, FocusError> {
    let n = graph.node_count();
    let seeds: Vec<NodeId> = ids.iter().filter(|&&i| (i as usize) < n).map(|&i| NodeId(i)).collect();
    if seeds.is_empty() { Err(FocusError::NoSelection) } else { Ok(seeds) }
}

/// How much of the graph is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShownCounts {
    /// Nodes drawn.
    pub nodes: usize,
    /// Nodes in the graph.
    pub nodes_total: usize,
    /// Edges drawn.
    pub edges: usize,
    /// Edges in the graph.
    pub edges_total: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_match_whole_folders_only() {
        assert!(in_module("src/runtime/task/mod.rs", "src/runtime"));
        assert!(in_module("src/runtime/task/mod.rs", "src/runtime/"));
        assert!(in_module("src/runtime.rs", "src/runtime.rs"));
        assert!(!in_module("src/runtime_ext/mod.rs", "src/runtime"));
        assert!(!in_module("tests/rt.rs", "src"));
        assert!(in_module("anything.rs", ""));
    }
}
