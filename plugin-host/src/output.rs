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
    /// File name, made safe by the host ([`crate::export_format::safe_file_name`]).
    pub name: String,
    /// MIME type, chosen by the host from the name's extension
    /// ([`crate::export_format::mime_for`]); the plugin's own claim is ignored.
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
    /// Host memory the call's output takes, as counted against the output cap.
    #[serde(default)]
    pub output_bytes: usize,
}

/// Host memory a record costs beyond its variable parts: the struct in its growing `Vec` (which
/// may hold up to twice the space it needs) and the allocator's bookkeeping for its buffers.
pub(crate) const fn record_overhead<T>() -> usize {
    2 * size_of::<T>() + 32
}

/// The output a call has produced so far, by its footprint in host memory, against the cap.
///
/// Every record counts: an empty finding costs its struct, a replaced array gives back what the
/// array it replaces took, and reservations are made before decoding, so the host never holds
/// much more than the cap for one call.
#[derive(Debug, Clone)]
pub(crate) struct OutputMeter {
    used: usize,
    cap: usize,
}

impl OutputMeter {
    /// A meter allowing `cap` bytes.
    pub(crate) fn new(cap: usize) -> Self {
        Self { used: 0, cap }
    }

    /// Takes `bytes` more, or says why not (nothing is taken then).
    pub(crate) fn reserve(&mut self, bytes: usize) -> Result<(), String> {
        match self.used.checked_add(bytes) {
            Some(total) if total <= self.cap => {
                self.used = total;
                Ok(())
            }
            _ => Err(format!(
                "output exceeds the {} MiB limit per call ({} MiB held, {} bytes more asked for)",
                self.cap >> 20,
                self.used >> 20,
                bytes
            )),
        }
    }

    /// Gives back `bytes` (a record that was replaced, or a reservation larger than needed).
    pub(crate) fn release(&mut self, bytes: usize) {
        self.used = self.used.saturating_sub(bytes);
    }

    /// Bytes held.
    pub(crate) fn used(&self) -> usize {
        self.used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meter_counts_records_and_refuses_past_the_cap() {
        let mut m = OutputMeter::new(1000);
        m.reserve(600).unwrap();
        assert!(m.reserve(500).unwrap_err().contains("500 bytes more"));
        assert_eq!(m.used(), 600, "a refused reservation takes nothing");
        m.release(200);
        m.reserve(500).unwrap();
        assert_eq!(m.used(), 900);
        assert!(m.reserve(usize::MAX).is_err(), "no overflow");
        assert!(record_overhead::<Finding>() > 0);
    }
}
