//! Each format escapes whatever names the code holds, and Mermaid stays within its limits.

use export_core::{ExportGraph, dot, graphml, mermaid};

fn graph(names: &[&str], edges: &[[u32; 2]]) -> ExportGraph {
    ExportGraph {
        names: names.iter().map(|s| (*s).to_owned()).collect(),
        kinds: names.iter().map(|_| "Function".to_owned()).collect(),
        files: names.iter().enumerate().map(|(i, _)| format!("src/m{}.rs", i % 3)).collect(),
        modules: (0..names.len() as u32).map(|i| i % 3).collect(),
        edges: edges.to_vec(),
        edge_kinds: edges.iter().map(|_| "Calls".to_owned()).collect(),
        positions: Vec::new(),
    }
}

const HOSTILE: &str = "a\"b\\c\n<script>&amp;'#1";

#[test]
fn dot_quotes_every_text_and_leaves_out_edges_to_nowhere() {
    let text = dot::write(&graph(&[HOSTILE, "ok"], &[[0, 1], [1, 7]]));
    assert!(text.contains(r#"n0 [label="a\"b\\c\n<script>&amp;'#1", shape=ellipse"#), "{text}");
    assert!(text.contains("n0 -> n1"));
    assert!(!text.contains("n7"), "an edge naming no item is left out");
    assert_eq!(dot::quoted("\r"), "\"\"");
}

#[test]
fn graphml_escapes_markup_and_drops_what_xml_cannot_hold() {
    let text = graphml::write(&graph(&[HOSTILE, "bell\u{7}"], &[[0, 1]]));
    assert!(text.contains("<data key=\"name\">a&quot;b\\c\n&lt;script&gt;&amp;amp;&apos;#1</data>"), "{text}");
    assert!(text.contains("<data key=\"name\">bell</data>"));
    assert!(text.contains("<edge id=\"e0\" source=\"n0\" target=\"n1\"><data key=\"edge_kind\">Calls</data></edge>"));
    assert!(!text.contains("<script>"));
}

#[test]
fn mermaid_labels_are_entities_and_big_graphs_collapse_to_modules() {
    let small = mermaid::write(&graph(&[HOSTILE, "b"], &[[0, 1]]));
    assert!(small.note.is_empty());
    assert!(small.text.contains("n0[\"a#quot;b\\c #lt;script#gt;&amp;'#35;1\"]"), "{}", small.text);
    // 600 edges: over Mermaid's 500, so one box per file and one arrow per pair of files.
    let names: Vec<String> = (0..300).map(|i| format!("f{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let edges: Vec<[u32; 2]> = (0..600u32).map(|i| [i % 300, (i * 7 + 1) % 300]).collect();
    let big = mermaid::write(&graph(&refs, &edges));
    assert!(big.note.starts_with("300 items and 600 edges pass Mermaid's limits"), "{}", big.note);
    assert!(big.text.starts_with("%% 300 items"));
    // Item i calls item 7i + 1: from module m to module m + 1 (mod 3), three arrows.
    assert_eq!(big.text.lines().filter(|l| l.contains("-->")).count(), 3);
    assert!(big.text.len() <= mermaid::MAX_TEXT);
}

#[test]
fn a_module_graph_over_the_limits_keeps_its_heaviest_arrows() {
    // 2,000 modules of one item each, 1,000 edges between distinct modules: naming every module
    // alone would pass the text limit, so arrows are cut and only the modules they join drawn.
    let names: Vec<String> = (0..2_000).map(|i| format!("f{i}")).collect();
    let mut g = graph(&names.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    g.modules = (0..2_000).collect();
    g.files = (0..2_000).map(|i| format!("src/f{i}.rs")).collect();
    g.edges = (0..1_000u32).map(|i| [i, i + 1_000]).collect();
    g.edge_kinds = vec!["Calls".into(); 1_000];
    let chart = mermaid::write(&g);
    assert!(chart.text.len() <= mermaid::MAX_TEXT, "{} characters", chart.text.len());
    assert!(!chart.note.contains("still too long"), "{}", chart.note);
    assert!(chart.note.contains("keeping the"), "{}", chart.note);
    assert!(chart.text.lines().filter(|l| l.contains("-->")).count() <= mermaid::MAX_EDGES);
}
