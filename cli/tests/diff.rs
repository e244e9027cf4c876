//! `ptstudio diff` on two hand-written snapshots: the changes printed by module, SARIF the
//! published schema accepts, and `--fail-on` gating on a breaking change.

#[path = "../../plugin-host/tests/support/mod.rs"]
mod support;

mod running;

use running::{ptstudio, validate_sarif};

const BASE: &str = r#"{"nodes":[
  {"hash":1,"kind":"Function","name":"keep","signature":"pub fn keep()","file_path":"src/a.rs","line":3},
  {"hash":2,"kind":"Function","name":"gone","signature":"pub fn gone()","file_path":"src/a.rs","line":9}
],"edges":[],"metadata":{"version":1,"timestamp":0,"node_count":2,"edge_count":0}}"#;

const NEW: &str = r#"{"nodes":[
  {"hash":11,"kind":"Function","name":"keep","signature":"pub fn keep(x: u8)","file_path":"src/a.rs","line":3},
  {"hash":13,"kind":"Function","name":"fresh","signature":"pub fn fresh()","file_path":"src/b.rs","line":1}
],"edges":[],"metadata":{"version":1,"timestamp":0,"node_count":2,"edge_count":0}}"#;

#[test]
fn breaking_changes_are_errors_that_fail_on_error_gates() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("base.json"), BASE).unwrap();
    std::fs::write(d.join("new.json"), NEW).unwrap();
    let (ok, out, err) = ptstudio(
        d,
        &[
            "diff",
            "--base",
            "base.json",
            "--isg",
            "new.json",
            "--sarif",
            "diff.sarif",
            "--json",
            "diff.json",
            "--fail-on",
            "error",
        ],
    );
    assert!(!ok, "a public item removed and one re-signed: breaking");
    assert!(err.contains("1 findings at or above error: failing, as --fail-on asks"), "{err}");
    assert!(out.starts_with("api-diff@"), "{out}");
    assert!(out.contains("error: src/a.rs (breaking): 1 removed (gone); 1 re-signed (keep: `pub fn keep()` → `pub fn keep(x: u8)`). [1 items]"), "{out}");
    assert!(out.contains("note: src/b.rs (additive): 1 added (fresh). [1 items]"), "{out}");
    assert_eq!(validate_sarif(&d.join("diff.sarif")), "1 3");
    let sarif: serde_json::Value = serde_json::from_slice(&std::fs::read(d.join("diff.sarif")).unwrap()).unwrap();
    let result = &sarif["runs"][0]["results"][1];
    assert_eq!(result["level"], "error");
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/a.rs");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
    // Additions only: passes a gate on errors.
    let (ok, _, err) = ptstudio(d, &["diff", "--base", "base.json", "--isg", "base.json", "--fail-on", "error"]);
    assert!(ok, "{err}");
    let (ok, _, err) = ptstudio(d, &["diff", "--base", "nothing.json", "--isg", "new.json"]);
    assert!(!ok && err.contains("nothing.json"), "{err}");
}
