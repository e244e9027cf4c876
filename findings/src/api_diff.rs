//! API differences between two snapshots of a codebase (`isg::diff` matches items by kind, file
//! and name): added, removed and re-signed items, and trait implementations gained or lost,
//! grouped by module (file), each module's finding saying whether the change breaks callers.
//!
//! An item is public when its signature says `pub` (the export carries no other visibility);
//! an export without visibility in its signatures gives "breaking if public" instead.
//! - removing a public item, changing a public signature or losing an `Implements` edge
//!   **breaks** callers (an error);
//! - the same for items of unknown visibility **may** break (a warning);
//! - only additions are **additive** (a note).

use isg::diff::diff;
use isg::{Graph, NodeId};
use plugin_host::Finding;
use plugin_host::abi::Severity;

use crate::{AnalysisRun, PluginInfo};

/// How many names a module's finding lists per kind of change.
const NAMES_LISTED: usize = 6;

/// Characters of a signature a message quotes.
const SIGNATURE_SHOWN: usize = 80;

/// A signature as a message quotes it: whitespace collapsed, cut to [`SIGNATURE_SHOWN`] characters
/// (some exports put a whole item's source in its signature).
fn quoted(signature: &str) -> String {
    let flat = signature.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > SIGNATURE_SHOWN {
        format!("{}…", flat.chars().take(SIGNATURE_SHOWN).collect::<String>())
    } else {
        flat
    }
}

/// What a change does to callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// New API only.
    Additive,
    /// Breaks callers if the item was public (the export does not say).
    MayBreak,
    /// Breaks callers.
    Breaking,
}

/// Visibility as far as a signature tells.
fn visibility(signature: &str) -> Option<bool> {
    let s = signature.trim_start();
    if s.starts_with("pub ") || s == "pub" {
        Some(true)
    } else if s.starts_with("pub(") {
        // pub(crate), pub(super), pub(in …): not part of the public API.
        Some(false)
    } else if s.is_empty() || !s.contains(' ') {
        None
    } else if ["fn ", "struct ", "enum ", "trait ", "type ", "const ", "static ", "union ", "impl", "mod "]
        .iter()
        .any(|k| s.starts_with(k))
    {
        // A signature written out without `pub`: private. Exports that drop `pub` everywhere
        // (parseltongue 0.1.0 writes `fn name`) make every item look private; see `exports_visibility`.
        Some(false)
    } else {
        None
    }
}

/// Whether this export records visibility at all: some signature of it starts with `pub`.
fn exports_visibility(graph: &Graph) -> bool {
    graph.nodes().any(|n| graph.signature(n).trim_start().starts_with("pub"))
}

/// The impact of removing or re-signing an item with `signature`.
fn impact_of(signature: &str, visibility_known: bool) -> Option<Impact> {
    if !visibility_known {
        return Some(Impact::MayBreak);
    }
    match visibility(signature) {
        Some(true) => Some(Impact::Breaking),
        Some(false) => None,
        None => Some(Impact::MayBreak),
    }
}

/// One module's changes, by name.
#[derive(Default)]
struct ModuleChanges {
    removed: Vec<String>,
    changed: Vec<String>,
    added: Vec<String>,
    lost_impls: Vec<String>,
    gained_impls: Vec<String>,
    impact: Option<Impact>,
    /// Items of the new snapshot the finding selects.
    nodes: Vec<u32>,
}

impl ModuleChanges {
    fn raise(&mut self, impact: Option<Impact>) {
        self.impact = self.impact.max(impact);
    }
}

fn listed(what: &str, names: &[String]) -> Option<String> {
    (!names.is_empty()).then(|| {
        let shown: Vec<&str> = names.iter().take(NAMES_LISTED).map(String::as_str).collect();
        let more = names.len().saturating_sub(NAMES_LISTED);
        let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
        format!("{} {what} ({}{tail})", names.len(), shown.join(", "))
    })
}

/// The API differences from `base` to `graph` as an analysis run named `api-diff`, whose findings
/// select items of `graph`: a summary, then one finding per changed module, breaking ones first.
#[must_use]
pub fn api_diff(base: &Graph, graph: &Graph) -> AnalysisRun {
    let d = diff(base, graph);
    let known = exports_visibility(base) || exports_visibility(graph);
    let mut modules: std::collections::BTreeMap<String, ModuleChanges> = std::collections::BTreeMap::new();
    fn at<'m>(
        modules: &'m mut std::collections::BTreeMap<String, ModuleChanges>,
        g: &Graph,
        n: NodeId,
    ) -> &'m mut ModuleChanges {
        modules.entry(g.file_path(n).to_owned()).or_default()
    }
    for &n in &d.removed_nodes {
        if base.is_external(n) {
            continue;
        }
        let m = at(&mut modules, base, n);
        m.removed.push(base.name(n).to_owned());
        m.raise(impact_of(base.signature(n), known));
    }
    for &(o, n) in &d.changed_signatures {
        let m = at(&mut modules, graph, n);
        m.changed.push(format!(
            "{}: `{}` → `{}`",
            graph.name(n),
            quoted(base.signature(o)),
            quoted(graph.signature(n))
        ));
        m.raise(impact_of(base.signature(o), known));
        m.nodes.push(n.0);
    }
    for &n in &d.added_nodes {
        if graph.is_external(n) {
            continue;
        }
        let m = at(&mut modules, graph, n);
        m.added.push(graph.name(n).to_owned());
        m.raise(Some(Impact::Additive));
        m.nodes.push(n.0);
    }
    for (from, to, kind) in &d.removed_edges {
        if kind == "Implements" {
            let m = at(&mut modules, base, *from);
            m.lost_impls.push(format!("{} no longer implements {}", base.name(*from), base.name(*to)));
            m.raise(Some(Impact::Breaking));
        }
    }
    for (from, to, kind) in &d.added_edges {
        if kind == "Implements" {
            let m = at(&mut modules, graph, *from);
            m.gained_impls.push(format!("{} implements {}", graph.name(*from), graph.name(*to)));
            m.raise(Some(Impact::Additive));
            m.nodes.extend([from.0, to.0]);
        }
    }
    let mut changed: Vec<(String, ModuleChanges)> = modules.into_iter().filter(|(_, m)| m.impact.is_some()).collect();
    changed.sort_by(|a, b| b.1.impact.cmp(&a.1.impact).then_with(|| a.0.cmp(&b.0)));
    let count = |impact: Impact| changed.iter().filter(|(_, m)| m.impact == Some(impact)).count();
    let mut findings = vec![Finding {
        severity: Severity::Info,
        nodes: Vec::new(),
        edges: Vec::new(),
        message: format!(
            "{} added, {} removed, {} re-signed items; {} modules changed: {} breaking, {} possibly breaking, {} additive.{}",
            d.added_nodes.len(),
            d.removed_nodes.len(),
            d.changed_signatures.len(),
            changed.len(),
            count(Impact::Breaking),
            count(Impact::MayBreak),
            count(Impact::Additive),
            if known {
                ""
            } else {
                " This export records no visibility: removals and new signatures break callers if the items were public."
            }
        ),
    }];
    for (file, mut m) in changed {
        let impact = m.impact.unwrap_or(Impact::Additive);
        let (severity, word) = match impact {
            Impact::Breaking => (Severity::Error, "breaking"),
            Impact::MayBreak => (Severity::Warning, "breaking if public"),
            Impact::Additive => (Severity::Info, "additive"),
        };
        let parts: Vec<String> = [
            listed("removed", &m.removed),
            listed("re-signed", &m.changed),
            listed("lost implementations", &m.lost_impls),
            listed("added", &m.added),
            listed("new implementations", &m.gained_impls),
        ]
        .into_iter()
        .flatten()
        .collect();
        m.nodes.sort_unstable();
        m.nodes.dedup();
        findings.push(Finding {
            severity,
            nodes: m.nodes,
            edges: Vec::new(),
            message: format!("{file} ({word}): {}.", parts.join("; ")),
        });
    }
    AnalysisRun {
        plugin: PluginInfo {
            name: "api-diff".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "API differences between two snapshots: added, removed and re-signed items by module, breaking or additive.".into(),
        },
        findings,
        metrics: Vec::new(),
    }
}
