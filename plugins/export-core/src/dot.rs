//! Graphviz DOT.

use crate::ExportGraph;

/// A DOT string literal: quotes and backslashes escaped, line breaks as `\n`.
#[must_use]
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn shape(kind: &str) -> &'static str {
    match kind {
        "Struct" | "Enum" => "box",
        "Trait" => "hexagon",
        "Impl" => "component",
        "Module" | "File" => "folder",
        _ => "ellipse",
    }
}

/// The graph in DOT: items as `n0`, `n1`… labelled with their names.
#[must_use]
pub fn write(graph: &ExportGraph) -> String {
    let mut out = String::from("digraph isg {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for (i, name) in graph.names.iter().enumerate() {
        let kind = graph.kinds.get(i).map_or("", String::as_str);
        let file = graph.files.get(i).map_or("", String::as_str);
        out.push_str(&format!(
            "  n{i} [label={}, shape={}, tooltip={}];\n",
            quoted(name),
            shape(kind),
            quoted(&format!("{kind} in {file}"))
        ));
    }
    for ([a, b], kind) in graph.valid_edges() {
        let style = if kind == "Implements" { ", style=dashed" } else { "" };
        out.push_str(&format!("  n{a} -> n{b} [label={}{style}];\n", quoted(kind)));
    }
    out.push_str("}\n");
    out
}
