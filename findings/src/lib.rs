//! What analysis plugins found, made useful to people and tools, with no web dependencies so the
//! app and the command line share it and it is tested natively:
//! - [`book`]: every run's findings in one list, filtered by plugin, severity, module and text,
//!   sorted;
//! - [`table`]: a run's metric columns as a sortable table, by module when they are per module;
//! - [`plots`]: the main-sequence scatter, the degree distribution and the community sizes, as
//!   data the app draws and as SVG documents for export;
//! - [`report`] and [`sarif`]: the findings as JSON and as a SARIF 2.1.0 log;
//! - [`api_diff`]: API differences between two snapshots as findings, breaking or additive.

pub mod api_diff;
pub mod book;
pub mod plots;
pub mod report;
pub mod sarif;
pub mod table;

use plugin_host::{Finding, MetricColumn};

/// The plugin a run was of, as reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// What it does, in a line.
    pub description: String,
}

impl From<&plugin_host::Manifest> for PluginInfo {
    fn from(manifest: &plugin_host::Manifest) -> Self {
        let m = &manifest.plugin;
        Self { name: m.name.clone(), version: m.version.to_string(), description: m.description.clone() }
    }
}

impl PluginInfo {
    /// `name@version`.
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }
}

/// One analysis run's output.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisRun {
    /// The plugin.
    pub plugin: PluginInfo,
    /// What it found.
    pub findings: Vec<Finding>,
    /// Its metric columns (one value per node).
    pub metrics: Vec<MetricColumn>,
}

/// Items grouped by file, in first-appearance order: `(file, items)`. A module of the app's
/// metrics is a file of the export.
pub(crate) fn items_by_file(graph: &isg::Graph) -> Vec<(&str, Vec<u32>)> {
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut groups: Vec<(&str, Vec<u32>)> = Vec::new();
    for v in graph.nodes() {
        let file = graph.file_path(v);
        let at = *index.entry(file).or_insert_with(|| {
            groups.push((file, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(v.0);
    }
    groups
}
