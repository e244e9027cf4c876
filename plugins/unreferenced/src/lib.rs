//! Unreferenced code (`analysis_core::unreferenced`): functions and methods nothing calls or uses
//! that are no entry point, trait method, public API or test, one finding per module selecting
//! them, and a summary.

use analysis_core::unreferenced::{Item, unreferenced};
use pt_plugin_sdk::{Analysis, Graph, Params, Severity, analysis};

/// How many names a module's finding lists before "and N more".
const NAMES_LISTED: usize = 8;

/// The findings for `found` (ascending item ids) among `items`.
#[must_use]
pub fn report(items: &[Item<'_>], found: &[u32]) -> Analysis {
    let mut by_file: std::collections::BTreeMap<&str, Vec<u32>> = std::collections::BTreeMap::new();
    for &v in found {
        by_file.entry(items[v as usize].file).or_default().push(v);
    }
    let callables = items.iter().filter(|i| i.callable && !i.external).count();
    let mut findings = vec![(
        Severity::Info,
        found.to_vec(),
        format!(
            "{} of {callables} functions and methods are not referenced, in {} files (entry points, trait methods, public API and tests left out).",
            found.len(),
            by_file.len()
        ),
    )];
    let mut files: Vec<(&str, Vec<u32>)> = by_file.into_iter().collect();
    files.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    for (file, nodes) in files {
        let mut names: Vec<&str> = nodes.iter().take(NAMES_LISTED).map(|&v| items[v as usize].name).collect();
        if nodes.len() > NAMES_LISTED {
            names.push("…");
        }
        let message = format!("{file}: {} not referenced: {}", nodes.len(), names.join(", "));
        findings.push((Severity::Warning, nodes, message));
    }
    let mut flag = vec![0.0f32; items.len()];
    for &v in found {
        flag[v as usize] = 1.0;
    }
    Analysis { findings, metrics: vec![("unreferenced".to_owned(), flag)], ..Analysis::default() }
}

fn run(graph: &Graph, params: &Params) -> Analysis {
    let n = graph.node_count();
    let edges = graph.edges();
    let external = graph.node_is_external();
    let kinds = graph.node_kinds();
    let kind_names = graph.node_kind_names();
    let mut referenced = vec![false; n];
    for e in edges.iter().filter(|e| e[0] != e[1]) {
        referenced[e[1] as usize] = true;
    }
    // Host calls are paid in fuel, so texts are read only where the rules look at them: names of
    // called methods (a called method's name excuses its namesakes), and name, signature and file
    // of the callables nothing references, the only ones that can be reported.
    let texts: Vec<(String, String, String)> = (0..n as u32)
        .map(|v| {
            let kind = kind_names[kinds[v as usize] as usize].as_str();
            let callable = matches!(kind, "Function" | "Method");
            let candidate = callable && !referenced[v as usize] && external[v as usize] == 0;
            let name = if candidate || kind == "Method" { graph.node_name(v) } else { String::new() };
            if candidate {
                (name, graph.node_signature(v), graph.node_file(v))
            } else {
                (name, String::new(), String::new())
            }
        })
        .collect();
    let items: Vec<Item<'_>> = (0..n)
        .map(|v| {
            let kind = kind_names[kinds[v] as usize].as_str();
            Item {
                callable: matches!(kind, "Function" | "Method"),
                method: kind == "Method",
                name: &texts[v].0,
                signature: &texts[v].1,
                file: &texts[v].2,
                external: external[v] != 0,
            }
        })
        .collect();
    let found = unreferenced(&items, edges, params.bool("include_public"));
    report(&items, &found)
}

analysis!(run);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_finding_per_file_biggest_first_after_a_summary() {
        let item = |name: &'static str, file: &'static str| Item {
            callable: true,
            method: false,
            name,
            signature: "fn x()",
            file,
            external: false,
        };
        let items = [item("a", "src/a.rs"), item("b", "src/b.rs"), item("c", "src/b.rs"), item("d", "src/a.rs")];
        let result = report(&items, &[1, 2, 3]);
        let messages: Vec<&str> = result.findings.iter().map(|f| f.2.as_str()).collect();
        assert_eq!(
            messages,
            [
                "3 of 4 functions and methods are not referenced, in 2 files (entry points, trait methods, public API and tests left out).",
                "src/b.rs: 2 not referenced: b, c",
                "src/a.rs: 1 not referenced: d",
            ]
        );
        assert_eq!(result.findings[1].1, [1, 2]);
        assert_eq!(result.metrics[0].1, [0.0, 1.0, 1.0, 1.0]);
    }
}
