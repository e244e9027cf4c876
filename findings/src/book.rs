//! Every analysis run's findings in one list: filtered by plugin, severity, module (a file the
//! finding's items are in) and text, and sorted.

use isg::{Graph, NodeId};
use plugin_host::Finding;
use plugin_host::abi::Severity;

use crate::{AnalysisRun, PluginInfo};

/// What the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this plugin's findings (by name).
    pub plugin: Option<String>,
    /// Only findings at least this serious.
    pub min_severity: Option<Severity>,
    /// Only findings about an item in this file.
    pub module: Option<String>,
    /// Only findings whose message holds this text (any case).
    pub text: String,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Run after run, each in the plugin's order.
    #[default]
    Listed,
    /// Errors first, then warnings, then notes.
    Severity,
    /// By plugin name.
    Plugin,
    /// The findings about the most items first.
    Size,
}

impl SortBy {
    /// Every order, with the word the panel shows.
    pub const ALL: [(Self, &'static str); 4] =
        [(Self::Listed, "as listed"), (Self::Severity, "severity"), (Self::Plugin, "plugin"), (Self::Size, "items")];
}

/// One finding in the list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry<'a> {
    /// Index of its run.
    pub run: usize,
    /// Its place in the run's findings.
    pub index: usize,
    /// The plugin that found it.
    pub plugin: &'a PluginInfo,
    /// The finding.
    pub finding: &'a Finding,
}

/// Whether `finding` is about an item of `graph` in file `module`.
fn touches(graph: &Graph, finding: &Finding, module: &str) -> bool {
    let count = graph.node_count();
    finding.nodes.iter().any(|&n| (n as usize) < count && graph.file_path(NodeId(n)) == module)
}

/// The findings of `runs` that `filter` lets through, in `sort`'s order (ties keep the listed order).
#[must_use]
pub fn entries<'a>(runs: &'a [AnalysisRun], graph: &Graph, filter: &Filter, sort: SortBy) -> Vec<Entry<'a>> {
    let text = filter.text.to_lowercase();
    let mut out: Vec<Entry<'a>> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| filter.plugin.as_ref().is_none_or(|p| *p == r.plugin.name))
        .flat_map(|(run, r)| {
            r.findings.iter().enumerate().map(move |(index, finding)| Entry { run, index, plugin: &r.plugin, finding })
        })
        .filter(|e| filter.min_severity.is_none_or(|s| e.finding.severity >= s))
        .filter(|e| text.is_empty() || e.finding.message.to_lowercase().contains(&text))
        .filter(|e| filter.module.as_ref().is_none_or(|m| touches(graph, e.finding, m)))
        .collect();
    match sort {
        SortBy::Listed => {}
        SortBy::Severity => out.sort_by_key(|e| std::cmp::Reverse(e.finding.severity)),
        SortBy::Plugin => out.sort_by(|a, b| a.plugin.name.cmp(&b.plugin.name)),
        SortBy::Size => out.sort_by_key(|e| std::cmp::Reverse(e.finding.nodes.len())),
    }
    out
}

/// The plugins that ran, by name, each once, in run order.
#[must_use]
pub fn plugins(runs: &[AnalysisRun]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for r in runs {
        if !names.contains(&r.plugin.name) {
            names.push(r.plugin.name.clone());
        }
    }
    names
}

/// The files the findings are about, with how many findings touch each, the most touched first
/// (at most `limit`).
#[must_use]
pub fn modules(runs: &[AnalysisRun], graph: &Graph, limit: usize) -> Vec<(String, usize)> {
    let count = graph.node_count();
    let mut touched: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for finding in runs.iter().flat_map(|r| &r.findings) {
        let mut files: Vec<&str> =
            finding.nodes.iter().filter(|&&n| (n as usize) < count).map(|&n| graph.file_path(NodeId(n))).collect();
        files.sort_unstable();
        files.dedup();
        for f in files {
            *touched.entry(f).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = touched.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.truncate(limit);
    out
}
