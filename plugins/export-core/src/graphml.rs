//! GraphML (the format Gephi, yEd, Cytoscape and networkx read).

use crate::ExportGraph;

/// XML text: `&`, `<`, `>`, quotes escaped; control characters XML cannot hold dropped.
#[must_use]
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The graph in GraphML: a directed graph whose nodes carry `name`, `kind`, `file` and `module`,
/// and whose edges carry `kind`.
#[must_use]
pub fn write(graph: &ExportGraph) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n",
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"file\" for=\"node\" attr.name=\"file\" attr.type=\"string\"/>\n",
        "  <key id=\"module\" for=\"node\" attr.name=\"module\" attr.type=\"int\"/>\n",
        "  <key id=\"edge_kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <graph id=\"isg\" edgedefault=\"directed\">\n",
    ));
    for (i, name) in graph.names.iter().enumerate() {
        let kind = graph.kinds.get(i).map_or("", String::as_str);
        let file = graph.files.get(i).map_or("", String::as_str);
        let module = graph.modules.get(i).copied().unwrap_or(0);
        out.push_str(&format!(
            "    <node id=\"n{i}\"><data key=\"name\">{}</data><data key=\"kind\">{}</data><data key=\"file\">{}</data><data key=\"module\">{module}</data></node>\n",
            escaped(name),
            escaped(kind),
            escaped(file)
        ));
    }
    for (at, ([a, b], kind)) in graph.valid_edges().enumerate() {
        out.push_str(&format!(
            "    <edge id=\"e{at}\" source=\"n{a}\" target=\"n{b}\"><data key=\"edge_kind\">{}</data></edge>\n",
            escaped(kind)
        ));
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
