//! Findings as a SARIF 2.1.0 log (the OASIS standard GitHub code scanning and other CI tools
//! read): one run per plugin, its tool named after the plugin with the plugin as its one rule,
//! and each finding a result at the files and lines of the first items it is about.

use isg::{Graph, NodeId};
use plugin_host::abi::Severity;
use serde_json::{Value, json};

use crate::AnalysisRun;

/// Locations given per result; the rest of a big finding's items are counted in its message.
const LOCATIONS_PER_RESULT: usize = 10;

/// A file path as a relative URI reference: characters URIs do not allow are percent-encoded.
#[must_use]
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.trim_start_matches("./").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A severity as SARIF names it (`note`, `warning`, `error`); the text report uses the same words.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn location(graph: &Graph, n: u32) -> Value {
    let id = NodeId(n);
    let mut physical = json!({ "artifactLocation": { "uri": uri(graph.file_path(id)) } });
    // SARIF lines start at 1; an export without a line gives the file alone.
    if graph.line(id) >= 1 {
        physical["region"] = json!({ "startLine": graph.line(id) });
    }
    let kind = match graph.kind_name(id) {
        "Function" | "Method" => "function",
        "Struct" | "Enum" | "Trait" => "type",
        "Module" | "File" => "module",
        _ => "member",
    };
    json!({
        "physicalLocation": physical,
        "logicalLocations": [{ "name": graph.name(id), "kind": kind }],
    })
}

/// The SARIF log of `runs` over `graph`.
#[must_use]
pub fn log(runs: &[AnalysisRun], graph: &Graph) -> Value {
    let count = graph.node_count();
    let runs: Vec<Value> = runs
        .iter()
        .map(|run| {
            let m = &run.plugin;
            let results: Vec<Value> = run
                .findings
                .iter()
                .map(|f| {
                    let nodes: Vec<u32> = f.nodes.iter().copied().filter(|&n| (n as usize) < count).collect();
                    let mut text = f.message.clone();
                    if nodes.len() > LOCATIONS_PER_RESULT {
                        text.push_str(&format!(
                            " ({} items; the first {LOCATIONS_PER_RESULT} are located)",
                            nodes.len()
                        ));
                    }
                    let mut result = json!({
                        "ruleId": m.name,
                        "level": level(f.severity),
                        "message": { "text": text },
                    });
                    if !nodes.is_empty() {
                        result["locations"] =
                            nodes.iter().take(LOCATIONS_PER_RESULT).map(|&n| location(graph, n)).collect::<Value>();
                    }
                    result
                })
                .collect();
            json!({
                "tool": { "driver": {
                    "name": m.name,
                    "version": m.version,
                    "informationUri": "https://github.com/parseltongue-studio/parseltongue-studio",
                    "rules": [{ "id": m.name, "shortDescription": { "text": m.description } }],
                } },
                "results": results,
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    })
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("./src/a b/ü#1.rs"), "src/a%20b/%C3%BC%231.rs");
        assert_eq!(uri("tokio-1.54.1/src/lib.rs"), "tokio-1.54.1/src/lib.rs");
    }
}
