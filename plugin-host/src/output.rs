//! What one call produced, and what it cost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::abi::{EdgeStyle, NodeStyle, Overlay, Severity};

/// Everything a call produced. Fields a plugin did not set stay empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunOutput {
    /// One position per node (layouts).
    pub positions: Option<Vec<[f32; 2]>>,
    /// One style per node (renderers).
    pub node_styles: Option<Vec<NodeStyle>>,
    /// One style per edge (renderers).
    pub edge_styles: Option<Vec<EdgeStyle>>,
    /// One [`crate::abi::EdgeMarks`] byte per edge (renderers).
    pub edge_marks: Option<Vec<u8>>,
    /// Replaced labels by node id.
    pub labels: BTreeMap<u32, String>,
    /// Hulls and annotations.
    pub overlays: Vec<Overlay>,
    /// Analysis findings.
    pub findings: Vec<Finding>,
    /// Analysis metric columns, one value per node.
    pub metrics: Vec<MetricColumn>,
    /// Exported files.
    pub files: Vec<ExportFile>,
    /// Log lines kept.
    pub logs: Vec<LogLine>,
    /// Log lines dropped past the policy's cap.
    pub dropped_logs: u64,
}

impl RunOutput {
    /// One line saying what the output holds, for the CLI and the plugin panel.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.positions {
            parts.push(format!("{} positions", p.len()));
        }
        if let Some(s) = &self.node_styles {
            parts.push(format!("{} node styles", s.len()));
        }
        if let Some(s) = &self.edge_styles {
            parts.push(format!("{} edge styles", s.len()));
        }
        if let Some(s) = &self.edge_marks {
            parts.push(format!("{} edge marks", s.len()));
        }
        let counts = [
            (self.labels.len(), "labels"),
            (self.overlays.len(), "overlays"),
            (self.findings.len(), "findings"),
            (self.metrics.len(), "metric columns"),
            (self.files.len(), "files"),
            (self.logs.len(), "log lines"),
        ];
        parts.extend(counts.iter().filter(|(n, _)| *n > 0).map(|(n, what)| format!("{n} {what}")));
        if parts.is_empty() { "no output".to_owned() } else { parts.join(", ") }
    }
}

/// A finding of an analysis plugin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// The nodes it is about.
    pub nodes: Vec<u32>,
    /// What it says.
    pub message: String,
}

/// One column of a metric table: a value per node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricColumn {
    /// Column name.
    pub name: String,
    /// One value per node.
    pub values: Vec<f32>,
}

/// A file an export plugin produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFile {
    /// Suggested file name.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// Contents.
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// A log line from a plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// 0 debug, 1 info, 2 warn, 3 error.
    pub level: u8,
    /// The message, truncated to 2 KiB.
    pub message: String,
}

/// What one call cost. Wall time is measured by the embedder, which owns the clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallMetrics {
    /// Fuel burnt, about one unit per wasm instruction.
    pub fuel_used: u64,
    /// Fuel the call was allowed.
    pub fuel_budget: u64,
    /// Largest linear memory the plugin had during the call, in bytes.
    pub peak_memory: usize,
    /// Host function calls made.
    pub host_calls: u64,
    /// Slices the call ran in; the page got control back between them.
    pub slices: u32,
}
