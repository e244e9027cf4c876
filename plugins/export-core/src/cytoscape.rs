//! Cytoscape.js JSON (`cy.json()`'s `elements` form, which `cytoscape({ elements })` loads).

use crate::ExportGraph;

/// A JSON string literal: quotes, backslashes and control characters escaped.
#[must_use]
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // U+2028 and U+2029 are valid JSON but end a line in older JavaScript.
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The graph as Cytoscape.js elements: nodes `n0`, `n1`… with `name`, `kind`, `file`, `module`
/// and `color` (the app's default look) in their data and a `position` when one is known; edges
/// `e0`, `e1`… with `source`, `target` and `kind`.
#[must_use]
pub fn write(graph: &ExportGraph) -> String {
    let mut out = String::from("{\"elements\":{\"nodes\":[\n");
    for (i, name) in graph.names.iter().enumerate() {
        let kind = graph.kinds.get(i).map_or("", String::as_str);
        let [r, g, b, _] = graph.color(i);
        out.push_str(&format!(
            "{}{{\"data\":{{\"id\":\"n{i}\",\"name\":{},\"kind\":{},\"file\":{},\"module\":{},\"color\":\"#{r:02x}{g:02x}{b:02x}\"}}",
            if i == 0 { "" } else { ",\n" },
            json_string(name),
            json_string(kind),
            json_string(graph.files.get(i).map_or("", String::as_str)),
            graph.modules.get(i).copied().unwrap_or(0),
        ));
        if let Some([x, y]) = graph.position(i) {
            out.push_str(&format!(",\"position\":{{\"x\":{x},\"y\":{y}}}"));
        }
        out.push('}');
    }
    out.push_str("\n],\"edges\":[\n");
    for (at, ([a, b], kind)) in graph.valid_edges().enumerate() {
        out.push_str(&format!(
            "{}{{\"data\":{{\"id\":\"e{at}\",\"source\":\"n{a}\",\"target\":\"n{b}\",\"kind\":{}}}}}",
            if at == 0 { "" } else { ",\n" },
            json_string(kind)
        ));
    }
    out.push_str("\n]}}\n");
    out
}
