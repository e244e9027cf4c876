//! Design patterns guessed from the interface (`analysis_core::patterns`, experimental): one
//! finding per match, saying what it rests on, after a summary; a click selects the items.

use analysis_core::patterns::{Item, Pattern, detect};
use pt_plugin_sdk::{Analysis, Graph, Params, Severity, analysis};

/// The patterns a run looks for.
const ALL: [Pattern; 4] = [Pattern::Builder, Pattern::Newtype, Pattern::Visitor, Pattern::Observer];

/// Finds the patterns in `wanted` among `items`, at most `max_findings` listed; `file` names an
/// item's file (read only for the items reported).
#[must_use]
pub fn analyse(
    items: &[Item<'_>],
    edges: &[[u32; 2]],
    wanted: &[Pattern],
    max_findings: usize,
    file: &dyn Fn(u32) -> String,
) -> Analysis {
    let found: Vec<_> = detect(items, edges).into_iter().filter(|m| wanted.contains(&m.pattern)).collect();
    let counts: Vec<String> = ALL
        .iter()
        .filter(|p| wanted.contains(p))
        .map(|p| format!("{} {}s", found.iter().filter(|m| m.pattern == *p).count(), p.word()))
        .collect();
    let mut findings = vec![(
        Severity::Info,
        Vec::new(),
        format!(
            "Experimental: {} guessed from names, signatures and edges (the export has no bodies; each match says what it rests on).{}",
            counts.join(", "),
            if found.len() > max_findings { format!(" The first {max_findings} are listed.") } else { String::new() }
        ),
    )];
    for m in found.into_iter().take(max_findings) {
        let main = items[m.nodes[0] as usize];
        findings.push((
            Severity::Info,
            m.nodes.clone(),
            format!("{}: {} in {} ({}).", m.pattern.word(), main.name, file(m.nodes[0]), m.evidence),
        ));
    }
    Analysis { findings, ..Analysis::default() }
}

fn run(graph: &Graph, params: &Params) -> Analysis {
    let n = graph.node_count() as u32;
    let kinds = graph.node_kinds();
    let kind_names = graph.node_kind_names();
    // Signatures are read only for structs: the newtype check is the only one that needs them.
    // Files are not read at all but for the items reported: items of one file share a module id.
    let texts: Vec<(String, String)> = (0..n)
        .map(|v| {
            let kind = &kind_names[kinds[v as usize] as usize];
            let signature = if kind == "Struct" { graph.node_signature(v) } else { String::new() };
            (graph.node_name(v), signature)
        })
        .collect();
    let modules = graph.node_modules();
    let items: Vec<Item<'_>> = texts
        .iter()
        .zip(kinds)
        .zip(modules)
        .map(|(((name, signature), &k), &module)| Item { name, kind: &kind_names[k as usize], module, signature })
        .collect();
    let wanted: Vec<Pattern> = match params.str("pattern") {
        "builder" => vec![Pattern::Builder],
        "newtype" => vec![Pattern::Newtype],
        "visitor" => vec![Pattern::Visitor],
        "observer" => vec![Pattern::Observer],
        _ => ALL.to_vec(),
    };
    analyse(&items, graph.edges(), &wanted, params.i64("max_findings").max(1) as usize, &|v| graph.node_file(v))
}

analysis!(run);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_findings_with_their_evidence_after_a_summary() {
        let items = [
            Item { name: "ClientBuilder", kind: "Struct", module: 0, signature: "pub struct ClientBuilder" },
            Item { name: "build", kind: "Method", module: 0, signature: "" },
            Item { name: "Client", kind: "Struct", module: 0, signature: "pub struct Client" },
            Item { name: "Port", kind: "Struct", module: 1, signature: "struct Port(u16);" },
        ];
        let file = |v: u32| if v < 3 { "src/client.rs".to_owned() } else { "src/net.rs".to_owned() };
        let result = analyse(&items, &[], &ALL, 10, &file);
        assert_eq!(
            result.findings[0].2,
            "Experimental: 1 builders, 1 newtypes, 0 visitors, 0 observers guessed from names, signatures and edges (the export has no bodies; each match says what it rests on)."
        );
        assert_eq!(
            result.findings[1].2,
            "builder: ClientBuilder in src/client.rs (named ClientBuilder, `build` in its file, builds Client)."
        );
        assert_eq!(result.findings[1].1, [0, 1, 2]);
        assert_eq!(result.findings[2].2, "newtype: Port in src/net.rs (a tuple struct with one field, u16).");
        let only = analyse(&items, &[], &[Pattern::Newtype], 10, &file);
        assert_eq!(only.findings.len(), 2);
        assert!(analyse(&items, &[], &ALL, 1, &file).findings[0].2.ends_with("The first 1 are listed."));
    }
}
