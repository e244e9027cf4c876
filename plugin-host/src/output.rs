//! What one call produced, and what it cost.

use std::collections::BTreeMap;

use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::abi::{EdgeMarks, EdgeStyle, NodeStyle, Overlay, Records, Severity};

/// Everything a call produced. Fields a plugin did not set stay empty. The per-node and per-edge
/// arrays are [`Records`]: checked once by the host and kept as the plugin wrote them, so they
/// travel on (to the page) without being encoded again.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunOutput {
    /// One position per node (layouts).
    #[serde(serialize_with = "positions_json")]
    pub positions: Option<Records<[f32; 2]>>,
    /// One style per node (renderers).
    #[serde(serialize_with = "node_styles_json")]
    pub node_styles: Option<Records<NodeStyle>>,
    /// One style per edge (renderers).
    #[serde(serialize_with = "edge_styles_json")]
    pub edge_styles: Option<Records<EdgeStyle>>,
    /// Line and head marks per edge (renderers, host API 1.1).
    #[serde(serialize_with = "edge_marks_json")]
    pub edge_marks: Option<Records<EdgeMarks>>,
    /// Bends for some edges, drawn with the layout's positions (host API 1.4).
    #[serde(serialize_with = "edge_routes_json")]
    pub edge_routes: Option<EdgeRoutes>,
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
        if let Some(r) = &self.edge_routes {
            parts.push(format!("{} routed edges", r.routes()));
        }
        let legend = self.overlays.iter().filter(|o| matches!(o, Overlay::Legend { .. })).count();
        let counts = [
            (self.labels.len(), "labels"),
            (self.overlays.len() - legend, "overlays"),
            (legend, "legend entries"),
            (self.findings.len(), "findings"),
            (self.metrics.len(), "metric columns"),
            (self.files.len(), "files"),
            (self.logs.len(), "log lines"),
        ];
        parts.extend(counts.iter().filter(|(n, _)| *n > 0).map(|(n, what)| format!("{n} {what}")));
        if parts.is_empty() { "no output".to_owned() } else { parts.join(", ") }
    }
}

/// Edge routes as the plugin wrote them, checked by the host ([`crate::abi::check_edge_route_bytes`]),
/// so they travel on to the page without being encoded again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeRoutes {
    bytes: Vec<u8>,
    routes: usize,
    edges: usize,
}

impl EdgeRoutes {
    /// Checks encoded routes for a graph of `edges` edges.
    ///
    /// # Errors
    /// What is wrong with them.
    pub fn check(bytes: &[u8], edges: usize) -> Result<Self, crate::abi::RouteError> {
        let routes = crate::abi::check_edge_route_bytes(bytes, edges)?;
        Ok(Self { bytes: bytes.to_vec(), routes, edges })
    }

    /// Number of routed edges.
    #[must_use]
    pub fn routes(&self) -> usize {
        self.routes
    }

    /// The encoded routes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The routes decoded.
    #[must_use]
    pub fn decode(&self) -> Vec<crate::abi::EdgeRoute> {
        // Checked when made, for the same graph: this cannot fail.
        crate::abi::decode_edge_routes(&self.bytes, self.edges).unwrap_or_default()
    }

    /// Host memory held.
    #[must_use]
    pub fn footprint(&self) -> usize {
        self.bytes.capacity()
    }
}

fn edge_routes_json<S: Serializer>(r: &Option<EdgeRoutes>, s: S) -> Result<S::Ok, S::Error> {
    let Some(r) = r else { return s.serialize_none() };
    let routes: Vec<serde_json::Value> =
        r.decode().into_iter().map(|r| serde_json::json!({ "edge": r.edge, "bends": r.bends })).collect();
    routes.serialize(s)
}

/// Serializes an optional record array as a JSON list, one item per record.
fn records_json<T: pt_abi::Record, S: Serializer, J: Serialize>(
    records: Option<&Records<T>>,
    serializer: S,
    item: impl Fn(T) -> J,
) -> Result<S::Ok, S::Error> {
    let Some(records) = records else { return serializer.serialize_none() };
    let mut seq = serializer.serialize_seq(Some(records.len()))?;
    for r in records.iter() {
        seq.serialize_element(&item(r))?;
    }
    seq.end()
}

fn positions_json<S: Serializer>(r: &Option<Records<[f32; 2]>>, s: S) -> Result<S::Ok, S::Error> {
    records_json(r.as_ref(), s, |p| p)
}

fn node_styles_json<S: Serializer>(r: &Option<Records<NodeStyle>>, s: S) -> Result<S::Ok, S::Error> {
    records_json(r.as_ref(), s, |n| {
        serde_json::json!({
            "rgba": n.rgba, "size": n.size, "shape": format!("{:?}", n.shape).to_lowercase(),
            "hidden": n.hidden, "halo": n.halo,
        })
    })
}

fn edge_styles_json<S: Serializer>(r: &Option<Records<EdgeStyle>>, s: S) -> Result<S::Ok, S::Error> {
    records_json(r.as_ref(), s, |e| serde_json::json!({ "rgba": e.rgba, "width": e.width }))
}

fn edge_marks_json<S: Serializer>(r: &Option<Records<EdgeMarks>>, s: S) -> Result<S::Ok, S::Error> {
    records_json(r.as_ref(), s, |m| m.0)
}

/// A finding's severity as its lower-case name in JSON (`"info"`, `"warning"`, `"error"`).
mod severity_name {
    use super::*;

    const NAMES: [(Severity, &str); 3] =
        [(Severity::Info, "info"), (Severity::Warning, "warning"), (Severity::Error, "error")];

    pub(super) fn serialize<S: Serializer>(severity: &Severity, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(NAMES.iter().find(|(v, _)| v == severity).map_or("info", |(_, n)| n))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
        let name = String::deserialize(d)?;
        NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(v, _)| *v)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown severity {name:?}")))
    }
}

/// A finding of an analysis plugin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// How serious it is.
    #[serde(with = "severity_name")]
    pub severity: Severity,
    /// The nodes it is about.
    pub nodes: Vec<u32>,
    /// The edges it is about (indices in the graph's edge order; host API 1.5), such as the
    /// dependencies to cut to break a tangle.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<u32>,
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

/// A call's output would pass the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("output exceeds the {cap_mib} MiB limit per call ({held_mib} MiB held, {asked} bytes more asked for)")]
pub(crate) struct OutputFull {
    cap_mib: usize,
    held_mib: usize,
    asked: usize,
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
    pub(crate) fn reserve(&mut self, bytes: usize) -> Result<(), OutputFull> {
        match self.used.checked_add(bytes) {
            Some(total) if total <= self.cap => {
                self.used = total;
                Ok(())
            }
            _ => Err(OutputFull { cap_mib: self.cap >> 20, held_mib: self.used >> 20, asked: bytes }),
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
        assert!(m.reserve(500).unwrap_err().to_string().contains("500 bytes more"));
        assert_eq!(m.used(), 600, "a refused reservation takes nothing");
        m.release(200);
        m.reserve(500).unwrap();
        assert_eq!(m.used(), 900);
        assert!(m.reserve(usize::MAX).is_err(), "no overflow");
        assert!(record_overhead::<Finding>() > 0);
    }
}
