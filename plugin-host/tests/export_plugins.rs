//! The first-party exporters on real samples, their files handed to the real tools (installed by
//! `cargo xtask setup`): Graphviz, networkx, cytoscape, PlantUML, Mermaid.

mod running;
mod support;

use std::sync::Arc;

use plugin_host::{GraphInput, HostPolicy, PluginHost};
use running::{axum, load, no_fetch, tokio, tool};
use serde_json::json;

fn exported(format: &str, g: &Arc<GraphInput>) -> plugin_host::ExportFile {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "graph-export");
    let (out, _) = plugin.run_to_end(Arc::clone(g), &json!({ "format": format }), None, no_fetch).expect("runs");
    out.files.into_iter().next().expect("one file")
}

#[test]
fn graphviz_renders_the_dot_export_of_axum() {
    let g = axum();
    let file = exported("dot", &g);
    assert_eq!((file.name.as_str(), file.mime.as_str()), ("graph.dot", "text/vnd.graphviz"));
    // `dot` parses it and lays out every node and edge (its canonical output lists them).
    let canon = tool("dot", &["-Tcanon"], &file.bytes);
    let nodes = canon
        .lines()
        .filter(|l| l.trim_start().starts_with('n') && l.contains("[label="))
        .filter(|l| !l.contains("->"))
        .count();
    let edges = canon.lines().filter(|l| l.contains(" -> ")).count();
    assert_eq!((nodes, edges), (g.graph().node_count(), g.graph().edge_count()));
    let svg = tool("dot", &["-Tsvg"], &file.bytes);
    assert!(svg.contains("<svg"), "rendered");
}

#[test]
fn networkx_reads_the_graphml_export_of_axum_with_every_node_edge_and_name() {
    let g = axum();
    let file = exported("graphml", &g);
    let script = "import sys, networkx as nx\n\
                  g = nx.read_graphml(sys.stdin.buffer)\n\
                  names = sorted(d['name'] for _, d in g.nodes(data=True))\n\
                  print(g.number_of_nodes(), g.number_of_edges(), len(set(names)))";
    let counts = tool("python3", &["-c", script], &file.bytes);
    let graph = g.graph();
    let distinct: std::collections::BTreeSet<&str> = graph.nodes().map(|n| graph.name(n)).collect();
    assert_eq!(counts.trim(), format!("{} {} {}", graph.node_count(), graph.edge_count(), distinct.len()));
}

#[test]
fn the_mermaid_export_of_tokio_collapses_to_modules_and_says_so() {
    let g = tokio();
    let file = exported("mermaid", &g);
    let text = String::from_utf8(file.bytes).expect("utf-8");
    assert!(text.starts_with("%% 2869 items and "), "{}", &text[..80.min(text.len())]);
    assert!(text.contains("collapsed to modules"));
    assert!(text.len() <= 50_000, "within Mermaid's text limit");
    assert!(text.lines().filter(|l| l.contains("-->")).count() <= 500, "within Mermaid's edge limit");
    let small = exported("mermaid", &axum());
    assert!(
        String::from_utf8(small.bytes).expect("utf-8").starts_with("%% 611 items"),
        "axum has more than 500 edges too"
    );
}
