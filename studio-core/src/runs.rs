//! Plugin runs as the panel shows them, and layout results kept for instant replay.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use plugin_host::{AuditEvent, CallMetrics, Finding, HostCallCount, LogLine, MetricColumn};
use serde::{Deserialize, Serialize};

/// Where a run stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RunStatus {
    /// Working.
    Running,
    /// Done.
    Finished,
    /// Refused, failed, hit a limit or was cancelled.
    Failed {
        /// The typed error's code.
        code: String,
        /// Its text.
        message: String,
    },
}

/// A file a plugin exported, kept as bytes and offered only as a download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedFile {
    /// The name the host made safe.
    pub name: String,
    /// The type the host chose from the name's extension (shown; the download is always opaque).
    pub mime: String,
    /// Contents.
    pub bytes: Arc<Vec<u8>>,
}

/// What a run cost and what the host recorded, sent with its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunStats {
    /// Fuel, memory, host calls and slices.
    pub metrics: CallMetrics,
    /// Wall time in the worker, from load to end, in milliseconds.
    pub wall_ms: f64,
    /// Time to validate and instantiate the module (0 when it was already loaded).
    pub load_ms: f64,
    /// Notable events of this run.
    pub audit: Vec<AuditEvent>,
    /// Calls per host function during this run.
    pub host_calls: Vec<HostCallCount>,
    /// The plugin's log lines.
    pub logs: Vec<LogLine>,
    /// The lane the run took and why (absent from workers that predate lanes).
    #[serde(default)]
    pub lane: Option<plugin_host::lane::LaneChoice>,
}

/// A run as the plugin panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    /// Run id.
    pub id: u32,
    /// `name@version`.
    pub plugin: String,
    /// Its name, version and description, as reports name it.
    pub info: findings::PluginInfo,
    /// Where the plugin came from, in words.
    pub origin: String,
    /// Where it stands.
    pub status: RunStatus,
    /// The plugin's own progress report.
    pub progress: Option<(u32, u32)>,
    /// Fuel used so far (or in all).
    pub fuel_used: u64,
    /// What it produced, in one line.
    pub summary: String,
    /// Analysis findings.
    pub findings: Vec<Finding>,
    /// Analysis metric columns, one value per node.
    pub metrics: Vec<MetricColumn>,
    /// Exported files, offered as downloads.
    pub files: Vec<ExportedFile>,
    /// Costs, once it ended.
    pub stats: Option<RunStats>,
    /// The version of the graph it ran on: its findings' node ids mean nothing on another.
    pub graph: u32,
}

impl RunView {
    /// A run that just started.
    #[must_use]
    pub fn running(id: u32, info: findings::PluginInfo, origin: String, graph: u32) -> Self {
        Self {
            graph,
            id,
            plugin: info.id(),
            info,
            origin,
            status: RunStatus::Running,
            progress: None,
            fuel_used: 0,
            summary: String::new(),
            findings: Vec::new(),
            metrics: Vec::new(),
            files: Vec::new(),
            stats: None,
        }
    }

    /// Whether the run finished with findings or metrics (what [`RunView::analysis`] gives).
    #[must_use]
    pub fn has_analysis(&self) -> bool {
        self.status == RunStatus::Finished && (!self.findings.is_empty() || !self.metrics.is_empty())
    }

    /// What the run found, for the findings panel and its reports (`None` while it runs, when it
    /// failed, and for runs that found and measured nothing).
    #[must_use]
    pub fn analysis(&self) -> Option<findings::AnalysisRun> {
        self.has_analysis().then(|| findings::AnalysisRun {
            plugin: self.info.clone(),
            findings: self.findings.clone(),
            metrics: self.metrics.clone(),
        })
    }

    /// A run answered from a kept layout result, without running anything.
    #[must_use]
    pub fn replayed(id: u32, info: findings::PluginInfo, origin: String, graph: u32, positions: usize) -> Self {
        Self {
            status: RunStatus::Finished,
            summary: format!("kept from an earlier run: {positions} positions"),
            ..Self::running(id, info, origin, graph)
        }
    }
}

/// What the page remembers of a run a worker is working on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRecord {
    /// The graph version it runs on: a result for another graph is dropped.
    pub graph: u32,
    /// Where the plugin's private folder is stored, when it may use one.
    pub folder_key: Option<String>,
    /// The key its layout result is kept under, for layouts.
    pub kept_key: Option<String>,
    /// A tried plugin: its folder is kept for this page only.
    pub session_only: bool,
}

/// Layout results kept at most.
const KEPT_LAYOUTS: usize = 12;

/// One layout result as the plugin gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptLayout {
    /// One position per node.
    pub positions: Vec<[f32; 2]>,
    /// Its edge routes as encoded by the ABI, if it routed any.
    pub routes: Option<Vec<u8>>,
}

/// Layout results kept per plugin identity, graph, parameters and selection, so running the same
/// layout again (switching back after trying another) is instant.
#[derive(Default)]
pub struct KeptLayouts {
    /// Oldest first.
    results: VecDeque<(String, Arc<KeptLayout>)>,
}

impl KeptLayouts {
    /// The key a layout result is kept under: the plugin's identity key first, so another plugin
    /// (another origin or another byte) never replays it.
    #[must_use]
    pub fn key(identity_key: &str, graph: u32, params: &serde_json::Value, selected: Option<u32>) -> String {
        format!("{identity_key}|{graph}|{params}|{selected:?}")
    }

    /// The result kept under `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Arc<KeptLayout>> {
        self.results.iter().find(|(k, _)| k == key).map(|(_, p)| Arc::clone(p))
    }

    /// Keeps a result, dropping the oldest past the limit.
    pub fn keep(&mut self, key: String, layout: KeptLayout) {
        self.results.retain(|(k, _)| *k != key);
        if self.results.len() >= KEPT_LAYOUTS {
            self.results.pop_front();
        }
        self.results.push_back((key, Arc::new(layout)));
    }

    /// How many results are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// Whether none is.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}

/// The runs in progress, by run id, and the next id.
#[derive(Default)]
pub struct RunBook {
    next: u32,
    records: HashMap<u32, RunRecord>,
}

impl RunBook {
    /// A fresh run id.
    pub fn next_id(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    /// Remembers a run that was handed to a worker.
    pub fn start(&mut self, run: u32, record: RunRecord) {
        self.records.insert(run, record);
    }

    /// The run's record while it is in progress.
    #[must_use]
    pub fn get(&self, run: u32) -> Option<&RunRecord> {
        self.records.get(&run)
    }

    /// Forgets a run that ended, returning what was remembered of it.
    pub fn end(&mut self, run: u32) -> Option<RunRecord> {
        self.records.remove(&run)
    }

    /// Runs in progress.
    #[must_use]
    pub fn in_progress(&self) -> usize {
        self.records.len()
    }
}
