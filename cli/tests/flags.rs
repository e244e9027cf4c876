//! Every flag of `ptstudio` with edge values: each run ends with success or a clear error on
//! stderr, never a panic (a panicking Rust program exits with 101 and says "panicked").

use assert_cmd::Command;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples");

#[path = "../../plugin-host/tests/support/mod.rs"]
mod support;

/// Owned arguments, for cases that do not start from a base command.
fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

/// Runs `ptstudio args` and checks it did not panic; returns (exit code, stderr).
fn no_panic(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("ptstudio").expect("the binary is built").args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert!(code != 101 && !stderr.contains("panicked"), "ptstudio {args:?} panicked: {stderr}");
    if code != 0 {
        assert!(!stderr.trim().is_empty(), "ptstudio {args:?} failed without saying why");
    }
    (code, stderr)
}

#[test]
fn run_plugin_flags_with_edge_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wasm = support::plugins_dir().join("circle_layout.wasm");
    let wasm = wasm.to_str().expect("utf-8 path");
    let manifest = support::repo_root().join("plugins/circle-layout/plugin.toml");
    let manifest = manifest.to_str().expect("utf-8 path");
    let axum = format!("{SAMPLES}/v0.1.0-snapshot/axum-0.8.3.json");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, b"").expect("write");
    let empty = empty.to_str().expect("utf-8 path");
    let garbage = dir.path().join("garbage");
    std::fs::write(&garbage, [0xff, 0x00, 0x13, 0x37]).expect("write");
    let garbage = garbage.to_str().expect("utf-8 path");
    let folder = dir.path().to_str().expect("utf-8 path");
    let base = ["run-plugin", wasm, "--manifest", manifest, "--isg", &axum];
    let with = |extra: &[&str]| -> Vec<String> { base.iter().chain(extra).map(|s| (*s).to_owned()).collect() };
    let cases: Vec<(Vec<String>, bool)> = vec![
        (with(&["--fuel", "0"]), false),
        (with(&["--fuel", "1"]), false),
        (with(&["--fuel", "-1"]), false),
        (with(&["--fuel", "abc"]), false),
        (with(&["--fuel", "18446744073709551615"]), true),
        (with(&["--fuel", "18446744073709551616"]), false),
        (with(&["--params", ""]), false),
        (with(&["--params", "[]"]), false),
        (with(&["--params", "null"]), true),
        (with(&["--params", r#"{"spacing": 1e308}"#]), false),
        (with(&["--params", r#"{"spacing": "NaN"}"#]), false),
        (with(&["--params", r#"{"nope": 1}"#]), false),
        (with(&["--params", &"[".repeat(100_000)]), false),
        (with(&["--deny", "nothing"]), false),
        (with(&["--deny", ""]), false),
        (with(&["--deny", "read_isg", "--deny", "read_isg"]), false),
        (with(&["--audit", folder]), false),
        (with(&["--audit", "/no/such/dir/audit.json"]), false),
        (with(&["--json"]), true),
        (with(&["--engine", "wasmtime"]), true),
        (with(&["--engine", "wasmtime", "--fuel", "1"]), false),
        (with(&["--engine", "wasmtime", "--fuel", "18446744073709551615"]), true),
        (with(&["--engine", "wasmtime", "--deny", "write_visualization"]), false),
        (with(&["--engine", "nope"]), false),
        (with(&["--engine", ""]), false),
        (owned(&["run-plugin", garbage, "--manifest", manifest, "--isg", &axum, "--engine", "wasmtime"]), false),
        (
            vec!["run-plugin".into(), empty.into(), "--manifest".into(), manifest.into(), "--isg".into(), axum.clone()],
            false,
        ),
        (owned(&["run-plugin", garbage, "--manifest", manifest, "--isg", &axum]), false),
        (owned(&["run-plugin", folder, "--manifest", manifest, "--isg", &axum]), false),
        (
            vec!["run-plugin".into(), wasm.into(), "--manifest".into(), garbage.into(), "--isg".into(), axum.clone()],
            false,
        ),
        (
            vec!["run-plugin".into(), wasm.into(), "--manifest".into(), empty.into(), "--isg".into(), axum.clone()],
            false,
        ),
        (
            vec!["run-plugin".into(), wasm.into(), "--manifest".into(), manifest.into(), "--isg".into(), empty.into()],
            false,
        ),
        (
            vec!["run-plugin".into(), wasm.into(), "--manifest".into(), manifest.into(), "--isg".into(), folder.into()],
            false,
        ),
        (vec!["run-plugin".into(), wasm.into(), "--manifest".into(), manifest.into()], false),
    ];
    for (args, ok) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = no_panic(&args);
        assert_eq!(code == 0, ok, "ptstudio {args:?}: exit {code}: {stderr}");
    }
    let (_, stderr) = no_panic(&with(&["--fuel", "0"]).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(stderr.contains("--fuel"), "{stderr}");
    let (_, stderr) =
        no_panic(&with(&["--engine", "wasmtime", "--fuel", "1"]).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(stderr.contains("(OutOfFuel)"), "the fast lane names the same typed error: {stderr}");
}

#[test]
fn inspect_and_generate_flags_with_edge_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("g.json");
    let out = out.to_str().expect("utf-8 path");
    let folder = dir.path().to_str().expect("utf-8 path");
    let cases: [(&[&str], bool); 14] = [
        (&["inspect"], false),
        (&["inspect", folder], false),
        (&["inspect", "/dev/null"], false),
        (&["inspect", "--json", "/no/such/file"], false),
        (&["generate", "--nodes", "0", "--edges", "0", "-o", out], true),
        (&["generate", "--nodes", "0", "--edges", "1000", "-o", out], true),
        (&["generate", "--nodes", "1", "--edges", "1000", "-o", out], true),
        (&["generate", "--nodes", "18446744073709551615", "--edges", "1", "-o", out], false),
        (&["generate", "--nodes", "5000001", "--edges", "1", "-o", out], false),
        (&["generate", "--nodes", "10", "--edges", "20000001", "-o", out], false),
        (&["generate", "--nodes", "-1", "--edges", "1", "-o", out], false),
        (&["generate", "--nodes", "10", "--edges", "10", "--seed", "18446744073709551615", "-o", out], true),
        (&["generate", "--nodes", "10", "--edges", "10", "-o", folder], false),
        (&["generate", "--nodes", "10", "--edges", "10", "-o", "/no/such/dir/g.json"], false),
    ];
    for (args, ok) in cases {
        let (code, stderr) = no_panic(args);
        assert_eq!(code == 0, ok, "ptstudio {args:?}: exit {code}: {stderr}");
    }
}

#[test]
fn export_flags_with_edge_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("graph-export");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::copy(support::repo_root().join("plugins/graph-export/plugin.toml"), folder.join("plugin.toml"))
        .expect("copy");
    std::fs::copy(support::plugins_dir().join("graph_export.wasm"), folder.join("plugin.wasm")).expect("copy");
    let exporter = folder.to_str().expect("utf-8 path");
    let axum = format!("{SAMPLES}/v0.1.0-snapshot/axum-0.8.3.json");
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, b"").expect("write");
    let empty = empty.to_str().expect("utf-8 path");
    let out = dir.path().join("out");
    let out = out.to_str().expect("utf-8 path");
    let here = dir.path().to_str().expect("utf-8 path");
    let base = ["export", "--plugin", exporter, "--isg", &axum];
    let with = |extra: &[&str]| -> Vec<String> { base.iter().chain(extra).map(|s| (*s).to_owned()).collect() };
    let cases: Vec<(Vec<String>, bool)> = vec![
        (with(&["--format", "dot", "-o", out]), true),
        (with(&["--format", "", "-o", out]), false),
        (with(&["--format", "DOT", "-o", out]), false),
        (with(&["--format", "dot"]), false),
        (with(&["--format", "dot", "-o", ""]), false),
        (with(&["--format", "dot", "-o", here]), false),
        (with(&["--format", "dot", "--scope", "", "-o", out]), false),
        (with(&["--format", "dot", "--scope", "visible", "-o", out]), false),
        (with(&["--format", "csv", "--scope", "modules", "-o", out]), true),
        (with(&["--format", "dot", "--scope", "selection", "--select", "", "-o", out]), false),
        (with(&["--format", "dot", "--scope", "selection", "--select", "@", "-o", out]), false),
        (with(&["--format", "dot", "--scope", "selection", "--select", "Router@", "-o", out]), false),
        (with(&["--format", "dot", "--scope", "selection", "--select", &"x".repeat(100_000), "-o", out]), false),
        (owned(&["export", "--isg", empty, "--format", "dot", "--plugin", exporter, "-o", out]), false),
        (owned(&["export", "--isg", &axum, "--format", "dot", "--plugin", "", "-o", out]), false),
        (owned(&["export", "--isg", &axum, "--format", "dot", "--plugin", "../..", "-o", out]), false),
        (vec!["export".into(), "--format".into(), "dot".into(), "-o".into(), out.into()], false),
    ];
    for (args, ok) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = no_panic(&args);
        assert_eq!(code == 0, ok, "ptstudio {args:?}: exit {code}: {stderr}");
    }
}

#[test]
fn analyze_flags_with_edge_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("tangles");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::copy(support::repo_root().join("plugins/tangles/plugin.toml"), folder.join("plugin.toml")).expect("copy");
    std::fs::copy(support::plugins_dir().join("tangles.wasm"), folder.join("plugin.wasm")).expect("copy");
    let plugin = folder.to_str().expect("utf-8 path");
    let axum = format!("{SAMPLES}/v0.1.0-snapshot/axum-0.8.3.json");
    let here = dir.path().to_str().expect("utf-8 path");
    let base = ["analyze", "--plugin", plugin, "--isg", &axum];
    let with = |extra: &[&str]| -> Vec<String> { base.iter().chain(extra).map(|s| (*s).to_owned()).collect() };
    let cases: Vec<(Vec<String>, bool)> = vec![
        (with(&[]), true),
        (with(&["--params", ""]), false),
        (with(&["--params", "[]"]), false),
        (with(&["--params", r#"{"min_size": -5}"#]), false),
        (with(&["--params", r#"{"min_size": 1e308}"#]), false),
        (with(&["--params", &"{".repeat(100_000)]), false),
        (with(&["--fail-on", ""]), false),
        (with(&["--fail-on", "fatal"]), false),
        (with(&["--fail-on", "error"]), true),
        (with(&["--sarif", here]), false),
        (with(&["--json", "/no/such/dir/out.json"]), false),
        (vec!["analyze".into(), "--isg".into(), axum.clone()], false),
        (vec!["analyze".into(), "--plugin".into(), plugin.into()], false),
    ];
    for (args, ok) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = no_panic(&args);
        assert_eq!(code == 0, ok, "ptstudio {args:?}: exit {code}: {stderr}");
    }
}
