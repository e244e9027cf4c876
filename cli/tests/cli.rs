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

#[path = "../../plugin-host/tests/support/mod.rs"]
mod support;

fn run_plugin(name: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let wasm = support::plugins_dir().join(format!("{}.wasm", name.replace('-', "_")));
    let manifest = support::repo_root().join("plugins").join(name).join("plugin.toml");
    let mut cmd = ptstudio();
    cmd.arg("run-plugin").arg(wasm).arg("--manifest").arg(manifest);
    cmd.args(["--isg", &format!("{SAMPLES}/v0.1.0-snapshot/axum-0.8.3.json")]).args(extra);
    cmd.assert()
}

#[test]
fn run_plugin_prints_output_and_metrics() {
    let out = run_plugin("circle-layout", &["--json", "--params", r#"{"spacing": 3}"#]).success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON output");
    assert_eq!(v["plugin"], "circle-layout@0.1.0");
    assert_eq!(v["output"]["positions"].as_array().map(Vec::len), Some(611));
    assert!(v["metrics"]["fuel_used"].as_u64().unwrap_or(0) > 0);
    assert!(v["metrics"]["host_calls"].as_u64().unwrap_or(0) >= 3);
    assert!(v["error"].is_null());
    let text = run_plugin("circle-layout", &[]).success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(text.contains("output: 611 positions"), "{text}");
    assert!(text.contains("host calls"), "{text}");
}

#[test]
fn run_plugin_on_wasmtime_gives_the_same_output_and_errors_as_wasmi() {
    let json = |engine: &str| -> serde_json::Value {
        let out = run_plugin("force-layout", &["--json", "--engine", engine]).success();
        serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
    };
    let (wasmi, wasmtime) = (json("wasmi"), json("wasmtime"));
    assert_eq!(wasmtime["engine"], "wasmtime");
    assert_eq!(wasmi["output"]["positions"].as_array().map(Vec::len), Some(611));
    assert_eq!(wasmtime["output"], wasmi["output"], "the same positions, bit for bit");
    assert_eq!(wasmtime["metrics"]["slices"], 1, "a compiled call is not sliced");
    let cases = [
        ("spin", "50000000", "(OutOfFuel)"),
        ("alloc-bomb", "", "(MemoryLimit)"),
        ("recursion", "", "(StackOverflow)"),
    ];
    for (mode, fuel, code) in cases {
        let params = format!(r#"{{"mode":"{mode}"}}"#);
        let mut args = vec!["--params", &params, "--engine", "wasmtime"];
        if !fuel.is_empty() {
            args.extend(["--fuel", fuel]);
        }
        let out = run_plugin("hostile", &args).failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains(code), "{mode}: {err}");
    }
}

#[test]
fn run_plugin_reports_typed_errors_and_exits_non_zero() {
    let out = run_plugin("hostile", &["--params", r#"{"mode":"spin"}"#, "--fuel", "5000000"]).failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("ran out of fuel after 5000000 units") && err.contains("(OutOfFuel)"), "{err}");
    let out = run_plugin("circle-layout", &["--deny", "read_isg"]).failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("needs the read_isg capability"), "{err}");
    let out = run_plugin("circle-layout", &["--params", r#"{"spacing": -1}"#]).failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("below the minimum"), "{err}");
}

#[test]
fn run_plugin_writes_the_audit_trail() {
    let dir = tempfile::tempdir().expect("temp dir");
    let audit = dir.path().join("audit.json");
    run_plugin("hostile", &["--params", r#"{"mode":"behave"}"#, "--audit", audit.to_str().expect("utf-8 path")])
        .success();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&audit).expect("audit written")).expect("JSON");
    let calls: Vec<&str> =
        v["host_calls"].as_array().expect("array").iter().filter_map(|c| c["function"].as_str()).collect();
    assert!(calls.contains(&"pt_core.emit_finding") && calls.contains(&"pt_isg.node_count"), "{calls:?}");
    assert_eq!(v["events"][0]["kind"], "loaded");
}
