//! API differences between two hand-built snapshots, each change's impact worked out by hand.

use findings::api_diff::api_diff;
use plugin_host::abi::Severity;

/// A v0.1.0 snapshot of `nodes` `(hash, kind, name, signature, file)` and `edges` `(from, to, kind)`.
fn snapshot(nodes: &[(u64, &str, &str, &str, &str)], edges: &[(u64, u64, &str)]) -> isg::Graph {
    let nodes: Vec<String> = nodes
        .iter()
        .map(|(h, k, n, s, f)| {
            format!(r#"{{"hash":{h},"kind":"{k}","name":"{n}","signature":"{s}","file_path":"{f}","line":0}}"#)
        })
        .collect();
    let edges: Vec<String> = edges.iter().map(|(a, b, k)| format!(r#"{{"from":{a},"to":{b},"kind":"{k}"}}"#)).collect();
    let text = format!(
        r#"{{"nodes":[{}],"edges":[{}],"metadata":{{"version":1,"timestamp":0,"node_count":{},"edge_count":{}}}}}"#,
        nodes.join(","),
        edges.join(","),
        nodes.len(),
        edges.len()
    );
    isg::load(&[isg::SourceFile { name: "s.json", bytes: text.as_bytes() }]).expect("loads").graph
}

#[test]
fn removals_new_signatures_and_lost_implementations_break_additions_do_not() {
    let base = snapshot(
        &[
            (1, "Function", "keep", "pub fn keep()", "src/a.rs"),
            (2, "Function", "gone", "pub fn gone()", "src/a.rs"),
            (3, "Function", "helper", "fn helper()", "src/a.rs"),
            (4, "Function", "resign", "pub fn resign(x: u32)", "src/a.rs"),
            (5, "Struct", "S", "pub struct S", "src/b.rs"),
            (6, "Trait", "T", "pub trait T", "src/b.rs"),
            (7, "Function", "quiet", "fn quiet()", "src/d.rs"),
        ],
        &[(5, 6, "Implements"), (1, 3, "Calls")],
    );
    // Hashes differ between snapshots on purpose: items are matched by kind, file and name.
    let new = snapshot(
        &[
            (11, "Function", "keep", "pub fn keep()", "src/a.rs"),
            (14, "Function", "resign", "pub fn resign(x: u64)", "src/a.rs"),
            (15, "Struct", "S", "pub struct S", "src/b.rs"),
            (16, "Trait", "T", "pub trait T", "src/b.rs"),
            (18, "Function", "fresh", "pub fn fresh()", "src/c.rs"),
            (17, "Function", "quiet", "fn quiet(y: u8)", "src/d.rs"),
        ],
        &[],
    );
    let run = api_diff(&base, &new);
    assert_eq!(run.plugin.name, "api-diff");
    let f = &run.findings;
    assert_eq!(
        f[0].message,
        "1 added, 2 removed, 2 re-signed items; 3 modules changed: 2 breaking, 0 possibly breaking, 1 additive."
    );
    assert_eq!(f[1].severity, Severity::Error);
    assert_eq!(
        f[1].message,
        "src/a.rs (breaking): 2 removed (gone, helper); 1 re-signed (resign: `pub fn resign(x: u32)` → `pub fn resign(x: u64)`)."
    );
    let resign = new.nodes().find(|&n| new.name(n) == "resign").expect("resign").0;
    assert_eq!(f[1].nodes, [resign], "selects the re-signed item of the new snapshot");
    assert_eq!(f[2].message, "src/b.rs (breaking): 1 lost implementations (S no longer implements T).");
    assert_eq!((f[3].severity, f[3].message.as_str()), (Severity::Info, "src/c.rs (additive): 1 added (fresh)."));
    // d.rs: a private item re-signed changes nothing for callers, so it is not a changed module.
    assert_eq!(f.len(), 4, "{f:#?}");
}

#[test]
fn without_visibility_in_the_export_removals_may_break() {
    let base = snapshot(&[(1, "Function", "a", "fn a", "x.rs"), (2, "Function", "b", "fn b", "x.rs")], &[]);
    let new = snapshot(&[(1, "Function", "a", "fn a", "x.rs")], &[]);
    let run = api_diff(&base, &new);
    assert!(run.findings[0].message.ends_with(
        "This export records no visibility: removals and new signatures break callers if the items were public."
    ));
    assert_eq!(
        (run.findings[1].severity, run.findings[1].message.as_str()),
        (Severity::Warning, "x.rs (breaking if public): 1 removed (b).")
    );
    // A long signature is quoted short.
    let long = format!("fn a({})", "x: u8, ".repeat(40));
    let changed = snapshot(&[(1, "Function", "a", &long, "x.rs"), (2, "Function", "b", "fn b", "x.rs")], &[]);
    let run = api_diff(&base, &changed);
    assert!(run.findings[1].message.contains("`fn a` → `fn a(x: u8, x: u8,"), "{}", run.findings[1].message);
    assert!(run.findings[1].message.contains("…`)"), "{}", run.findings[1].message);
    // The same snapshot twice: nothing changed.
    let same = api_diff(&new, &new);
    assert_eq!(same.findings.len(), 1);
    assert!(same.findings[0].message.starts_with("0 added, 0 removed, 0 re-signed items; 0 modules changed"));
}
