//! The `ptstudio` binary as a user runs it.

use assert_cmd::Command;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples");

fn ptstudio() -> Command {
    Command::cargo_bin("ptstudio").expect("the binary is built")
}

#[test]
fn inspect_prints_counts_warnings_and_memory() {
    let out = ptstudio().args(["inspect", &format!("{SAMPLES}/v0.1.0-snapshot/axum-0.8.3.json")]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("format: parseltongue v0.1.0 snapshot"), "{text}");
    assert!(text.contains("nodes: 611 (611 records in the files)"), "{text}");
    assert!(text.contains("  Function: 496"), "{text}");
    assert!(text.contains("  Calls: 678"), "{text}");
    assert!(text.contains("53 edges go from a node to itself"), "{text}");
}

#[test]
fn inspect_json_reports_resolution_for_a_pt02_pair() {
    let out = ptstudio()
        .args([
            "inspect",
            "--json",
            &format!("{SAMPLES}/v0.9.7-pt02/axum-0.8.3.level01.entities.json"),
            &format!("{SAMPLES}/v0.9.7-pt02/axum-0.8.3.level00.edges.json"),
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON output");
    assert_eq!(v["format"], "parseltongue v0.9.7 pt02 export");
    assert_eq!(v["raw_edges"], 3368);
    let e = &v["resolution"]["edges"];
    let total = e["resolved"].as_u64().unwrap_or(0)
        + e["ambiguous"].as_u64().unwrap_or(0)
        + e["external"].as_u64().unwrap_or(0);
    assert_eq!(total, 3368);
}

#[test]
fn bad_input_exits_non_zero_with_the_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"nodes\": [").expect("write");
    let out = ptstudio().args(["inspect", bad.to_str().unwrap_or_default()]).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.starts_with("error: ") && err.contains("bad.json: the file is truncated: it ends at line 1, column 11"),
        "{err}"
    );
    let out = ptstudio().args(["inspect", "/no/such/file.json"]).assert().failure();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("cannot read /no/such/file.json"));
}

#[test]
fn generate_writes_a_graph_that_inspect_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("synthetic.json.gz");
    let p = path.to_str().unwrap_or_default();
    ptstudio()
        .args(["generate", "--nodes", "3000", "--edges", "12000", "--seed", "5", "--output", p])
        .assert()
        .success();
    let out = ptstudio().args(["inspect", "--json", p]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON output");
    assert_eq!(v["nodes"], 3000);
    assert!(v["edges"].as_u64().unwrap_or(0) > 11_000);
    assert_eq!(v["warnings"].as_array().map(Vec::len), Some(0));
}
