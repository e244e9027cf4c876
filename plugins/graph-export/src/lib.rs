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
    let format = params.str("format");
    let modules = graph.node_modules();
    // Texts are read through the host one by one, the bulk of an export's cost: a Mermaid chart
    // that will be collapsed to modules needs no item names, and one file per module.
    let collapsed = format == "mermaid" && graph.edge_count() > export_core::mermaid::MAX_EDGES;
    let mut seen = std::collections::BTreeSet::new();
    let export = ExportGraph {
        names: (0..n).map(|v| if collapsed { String::new() } else { graph.node_name(v) }).collect(),
        kinds: node_kinds,
        files: (0..n)
            .map(|v| if !collapsed || seen.insert(modules[v as usize]) { graph.node_file(v) } else { String::new() })
            .collect(),
        modules: modules.to_vec(),
        edges: graph.edges().to_vec(),
        edge_kinds,
    };
    match format {
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
