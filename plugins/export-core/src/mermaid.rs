//! Mermaid flowcharts, within Mermaid's default limits: at most [`MAX_EDGES`] edges and
//! [`MAX_TEXT`] characters. An item graph over either limit is collapsed to modules (one box per
//! file, one arrow per pair of files, labelled with the number of edges behind it); a module
//! graph still over them keeps its heaviest arrows (and the modules they join). The file says what
//! was done, in a comment.

use crate::ExportGraph;

/// Mermaid's default `maxEdges`.
pub const MAX_EDGES: usize = 500;
/// Mermaid's default `maxTextSize`.
pub const MAX_TEXT: usize = 50_000;

/// A label inside `["…"]`: Mermaid reads HTML entities there, so quotes and angle brackets are
/// written as entities and line breaks as spaces.
#[must_use]
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid chart, as [`write`] and [`class_diagram`] make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// The Mermaid text.
    pub text: String,
    /// What was done to stay within the limits, in words (empty when nothing was).
    pub note: String,
}

/// The item flowchart, or `None` as soon as it passes [`MAX_TEXT`] (a big graph is not written
/// out in full only to be thrown away).
fn items(graph: &ExportGraph) -> Option<String> {
    let mut out = String::from("flowchart LR\n");
    for (i, name) in graph.names.iter().enumerate() {
        out.push_str(&format!("  n{i}[\"{}\"]\n", label(name)));
        if out.len() > MAX_TEXT {
            return None;
        }
    }
    for ([a, b], _) in graph.valid_edges() {
        out.push_str(&format!("  n{a} --> n{b}\n"));
        if out.len() > MAX_TEXT {
            return None;
        }
    }
    Some(out)
}

/// The module graph a collapsed chart draws from, counted once however often the chart is cut.
struct ModuleChart<'a> {
    /// Each module's name (the file of its first item).
    names: std::collections::BTreeMap<u32, &'a str>,
    /// Module dependencies with the node edges behind them, heaviest first.
    heaviest: Vec<([u32; 2], usize)>,
}

impl<'a> ModuleChart<'a> {
    fn new(graph: &'a ExportGraph) -> Self {
        let mut names: std::collections::BTreeMap<u32, &str> = std::collections::BTreeMap::new();
        for (i, &m) in graph.modules.iter().enumerate() {
            names.entry(m).or_insert_with(|| graph.files.get(i).map_or("", String::as_str));
        }
        let mut pairs: std::collections::BTreeMap<[u32; 2], usize> = std::collections::BTreeMap::new();
        for ([a, b], _) in graph.valid_edges() {
            let (ma, mb) = (graph.modules.get(a as usize), graph.modules.get(b as usize));
            if let (Some(&ma), Some(&mb)) = (ma, mb)
                && ma != mb
            {
                *pairs.entry([ma, mb]).or_default() += 1;
            }
        }
        let mut heaviest: Vec<([u32; 2], usize)> = pairs.into_iter().collect();
        heaviest.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        Self { names, heaviest }
    }

    /// The chart of the `keep` heaviest dependencies, and how many it kept.
    fn text(&self, keep: usize) -> (String, usize) {
        let kept = &self.heaviest[..keep.min(self.heaviest.len())];
        // Only the modules the kept arrows join are drawn: a graph of thousands of files could not
        // even name them all within the limit.
        let mut shown: Vec<u32> = kept.iter().flat_map(|(pair, _)| *pair).collect();
        shown.sort_unstable();
        shown.dedup();
        let mut out = String::from("flowchart LR\n");
        for m in shown {
            out.push_str(&format!("  m{m}[\"{}\"]\n", label(self.names.get(&m).copied().unwrap_or(""))));
        }
        for ([a, b], count) in kept {
            out.push_str(&format!("  m{a} -->|{count}| m{b}\n"));
        }
        (out, kept.len())
    }
}

/// The graph as a Mermaid flowchart within Mermaid's default limits.
#[must_use]
pub fn write(graph: &ExportGraph) -> Chart {
    let edges = graph.valid_edges().count();
    if edges <= MAX_EDGES
        && let Some(text) = items(graph)
    {
        return Chart { text, note: String::new() };
    }
    let chart = ModuleChart::new(graph);
    let total = chart.heaviest.len();
    let mut keep = MAX_EDGES;
    loop {
        let (text, kept) = chart.text(keep);
        if text.len() <= MAX_TEXT || keep == 0 {
            let mut note = format!(
                "{} items and {edges} edges pass Mermaid's limits ({MAX_EDGES} edges, {MAX_TEXT} characters): collapsed to modules",
                graph.names.len()
            );
            if kept < total {
                note.push_str(&format!(", keeping the {kept} heaviest of {total} module dependencies"));
            }
            if text.len() > MAX_TEXT {
                note.push_str(", and still too long: too many modules to name");
            }
            return Chart { text: format!("%% {note}.\n{text}"), note };
        }
        keep /= 2;
    }
}

/// A class name in a class diagram label: Mermaid writes generics as `~T~`, so angle brackets
/// become tildes; quotes and line breaks go.
fn class_label(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '<' | '>' => Some('~'),
            '"' | '`' => Some('\''),
            '\n' | '\r' | '\t' => Some(' '),
            '{' | '}' | '[' | ']' => None,
            c => Some(c),
        })
        .collect()
}

/// An operation's name: only what a Rust identifier holds.
fn operation(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// The class diagram of `chosen` classes (indices into the model), with every relation between
/// them.
fn class_text(graph: &ExportGraph, model: &crate::classes::ClassModel, chosen: &[u32]) -> (String, usize) {
    use crate::classes::RelationKind;
    let mut out = String::from("classDiagram\n");
    for &c in chosen {
        let class = &model.classes[c as usize];
        let name = graph.names.get(class.node as usize).map_or("", String::as_str);
        out.push_str(&format!("  class C{c}[\"{}\"] {{\n    <<{}>>\n", class_label(name), class.stereotype));
        for &op in class.operations.iter().take(crate::plantuml::OPERATIONS_SHOWN) {
            out.push_str(&format!("    +{}()\n", operation(graph.names.get(op as usize).map_or("", String::as_str))));
        }
        out.push_str("  }\n");
    }
    let mut drawn = 0;
    for r in &model.relations {
        if chosen.binary_search(&r.from).is_ok() && chosen.binary_search(&r.to).is_ok() {
            let arrow = match r.kind {
                RelationKind::Realizes => "..|>",
                RelationKind::Association => "-->",
                RelationKind::Dependency => "..>",
            };
            out.push_str(&format!("  C{} {arrow} C{}\n", r.from, r.to));
            drawn += 1;
        }
    }
    (out, drawn)
}

/// The graph's class model as a Mermaid class diagram within Mermaid's default limits: when all
/// classes do not fit, the most related ones are kept (as many as fit), and the file says so.
#[must_use]
pub fn class_diagram(graph: &ExportGraph) -> Chart {
    let model = crate::classes::class_model(graph);
    let total = model.classes.len();
    let mut related = vec![0u32; total];
    for r in &model.relations {
        related[r.from as usize] += 1;
        related[r.to as usize] += 1;
    }
    let mut ranked: Vec<u32> = (0..total as u32).collect();
    ranked.sort_by_key(|&c| (std::cmp::Reverse(related[c as usize]), c));
    let mut keep = total;
    loop {
        let mut chosen = ranked[..keep].to_vec();
        chosen.sort_unstable();
        let (text, drawn) = class_text(graph, &model, &chosen);
        if (text.len() <= MAX_TEXT && drawn <= MAX_EDGES) || keep == 0 {
            if keep == total {
                return Chart { text, note: String::new() };
            }
            let note = format!(
                "{total} classes and {} relations pass Mermaid's limits ({MAX_EDGES} edges, {MAX_TEXT} characters): kept the {keep} most related classes and the {drawn} relations between them",
                model.relations.len()
            );
            return Chart { text: format!("%% {note}.\n{text}"), note };
        }
        // Shrink by the share that is over, a little more, so few rounds are needed.
        let over = (text.len() as f64 / MAX_TEXT as f64).max(drawn as f64 / MAX_EDGES as f64);
        keep = ((keep as f64 / over) * 0.95).floor().min(keep as f64 - 1.0).max(0.0) as usize;
    }
}
