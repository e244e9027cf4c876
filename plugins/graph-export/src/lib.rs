//! The graph as Graphviz DOT, GraphML or a Mermaid flowchart (`export_core`).

use export_core::ExportGraph;
use pt_plugin_sdk::{ExportFile, Graph, Params, exporter, log};

fn export(graph: &Graph, params: &Params) -> ExportFile {
    let n = graph.node_count() as u32;
    let node_kinds: Vec<String> = {
        let kinds = graph.node_kinds();
        let names: Vec<String> =
            (0..=kinds.iter().copied().max().unwrap_or(0)).map(|k| graph.node_kind_name(k)).collect();
        kinds.iter().map(|&k| names[k as usize].clone()).collect()
    };
    let edge_kinds: Vec<String> = {
        let kinds = graph.edge_kinds();
        let names: Vec<String> =
            (0..=kinds.iter().copied().max().unwrap_or(0)).map(|k| graph.edge_kind_name(k)).collect();
        kinds.iter().map(|&k| names[k as usize].clone()).collect()
    };
    let export = ExportGraph {
        names: (0..n).map(|v| graph.node_name(v)).collect(),
        kinds: node_kinds,
        files: (0..n).map(|v| graph.node_file(v)).collect(),
        modules: graph.node_modules().to_vec(),
        edges: graph.edges().to_vec(),
        edge_kinds,
    };
    match params.str("format") {
        "graphml" => {
            ExportFile { name: "graph.graphml".into(), bytes: export_core::graphml::write(&export).into_bytes() }
        }
        "mermaid" => {
            let chart = export_core::mermaid::write(&export);
            if !chart.note.is_empty() {
                log(1, &chart.note);
            }
            ExportFile { name: "graph.mmd".into(), bytes: chart.text.into_bytes() }
        }
        _ => ExportFile { name: "graph.dot".into(), bytes: export_core::dot::write(&export).into_bytes() },
    }
}

exporter!(export);
