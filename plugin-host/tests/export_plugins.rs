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

#[test]
fn networkx_reads_the_gexf_export_of_axum_with_every_node_edge_name_and_colour() {
    let g = axum();
    let file = exported("gexf", &g);
    assert_eq!(file.name, "graph.gexf");
    let script = "import sys, networkx as nx\n\
                  g = nx.read_gexf(sys.stdin.buffer, version='1.3')\n\
                  names = set(d['label'] for _, d in g.nodes(data=True))\n\
                  kinds = sorted(set(d['kind'] for _, d in g.nodes(data=True)))\n\
                  colour = g.nodes['n0']['viz']['color']\n\
                  print(g.number_of_nodes(), g.number_of_edges(), len(names), ','.join(kinds), colour['r'], colour['g'], colour['b'])";
    let read = tool("python3", &["-c", script], &file.bytes);
    let graph = g.graph();
    let names: std::collections::BTreeSet<&str> = graph.nodes().map(|n| graph.name(n)).collect();
    let kinds: std::collections::BTreeSet<&str> = graph.nodes().map(|n| graph.kind_name(n)).collect();
    let [r, gr, b, _] = plugin_host::abi::node_kind_rgba(graph.kind_name(isg::NodeId(0)));
    assert_eq!(
        read.trim(),
        format!(
            "{} {} {} {} {r} {gr} {b}",
            graph.node_count(),
            graph.edge_count(),
            names.len(),
            kinds.into_iter().collect::<Vec<_>>().join(",")
        )
    );
}

/// `(width, height)` of an SVG's `viewBox`.
fn svg_size(svg: &str) -> (f64, f64) {
    let at = svg.find("viewBox=\"").expect("a viewBox") + 9;
    let numbers: Vec<f64> =
        svg[at..].split('"').next().expect("closed").split(' ').map(|n| n.parse().expect("a number")).collect();
    (numbers[2], numbers[3])
}

#[test]
fn plantuml_renders_every_part_of_tokios_class_diagram_within_its_image_limit() {
    let g = tokio();
    let file = exported("plantuml", &g);
    let text = String::from_utf8(file.bytes).expect("utf-8");
    let parts = text.matches("@startuml").count();
    assert!(parts > 1, "tokio's 399 classes are split");
    assert!(
        text.starts_with(&format!(
            "' 399 classes pass what one PlantUML image holds (4096 px a side): split into {parts} diagrams"
        )),
        "{}",
        &text[..200]
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("classes.puml"), &text).expect("written");
    // -failfast2: any syntax error in any part fails the run.
    tool("plantuml", &["-tsvg", "-failfast2", &dir.path().join("classes.puml").to_string_lossy()], b"");
    let mut images: Vec<String> = std::fs::read_dir(dir.path())
        .expect("listed")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    images.sort();
    assert_eq!(images.len(), parts, "{images:?}");
    let mut classes_drawn = 0;
    for image in &images {
        let svg = std::fs::read_to_string(dir.path().join(image)).expect("read");
        let (w, h) = svg_size(&svg);
        assert!(w <= 4096.0 && h <= 4096.0, "{image} is {w} × {h}");
        // PlantUML draws a stereotype between guillemets.
        classes_drawn += ["«struct»", "«trait»", "«enum»", "«union»", "«type»"]
            .iter()
            .map(|s| svg.matches(s).count())
            .sum::<usize>();
    }
    assert_eq!(classes_drawn, 399, "every class drawn once, with its stereotype");
}
