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

/// What [`write`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flowchart {
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
pub fn write(graph: &ExportGraph) -> Flowchart {
    let edges = graph.valid_edges().count();
    if edges <= MAX_EDGES
        && let Some(text) = items(graph)
    {
        return Flowchart { text, note: String::new() };
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
            return Flowchart { text: format!("%% {note}.\n{text}"), note };
        }
        keep /= 2;
    }
}
