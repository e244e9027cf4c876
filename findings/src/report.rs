//! The findings as JSON: per run, the plugin and its findings, each with its severity (in SARIF's
//! words), message and the items it is about (name, kind, file, line).

use isg::{Graph, NodeId};
use serde_json::{Value, json};

use crate::AnalysisRun;
use crate::sarif::level;

/// An item as the report names it.
#[must_use]
pub fn item(graph: &Graph, n: u32) -> Value {
    let id = NodeId(n);
    json!({ "name": graph.name(id), "kind": graph.kind_name(id), "file": graph.file_path(id), "line": graph.line(id) })
}

/// The JSON report of `runs` over `graph`; ids that are not nodes of `graph` are left out.
#[must_use]
pub fn json(runs: &[AnalysisRun], graph: &Graph) -> Value {
    let count = graph.node_count();
    json!({ "plugins": runs.iter().map(|r| json!({
        "plugin": r.plugin.id(),
        "findings": r.findings.iter().map(|f| json!({
            "severity": level(f.severity),
            "message": f.message,
            "items": f.nodes.iter().filter(|&&n| (n as usize) < count).map(|&n| item(graph, n)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "metrics": r.metrics.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
    })).collect::<Vec<_>>() })
}
