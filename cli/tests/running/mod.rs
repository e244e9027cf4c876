//! Running `ptstudio` on a real sample with first-party plugins staged as folders or packages,
//! shared by the command tests.
#![allow(dead_code, reason = "each test binary that includes this uses part of it")]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::support;

const AXUM: &str = "../shared/isg-samples/v0.1.0-snapshot/axum-0.8.3.json";

/// The axum sample.
pub fn axum() -> PathBuf {
    support::repo_root().join(AXUM)
}

/// A first-party plugin as a folder (`plugin.toml` and `plugin.wasm`), as the build stages it.
pub fn plugin_folder(dir: &Path, name: &str) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(support::repo_root().join("plugins").join(name).join("plugin.toml"), folder.join("plugin.toml"))
        .unwrap();
    let wasm = support::plugins_dir().join(format!("{}.wasm", name.replace('-', "_")));
    std::fs::copy(wasm, folder.join("plugin.wasm")).unwrap();
    folder
}

/// Runs `ptstudio args` in `dir`: (success, stdout, stderr).
pub fn ptstudio(dir: &Path, args: &[&str]) -> (bool, String, String) {
    ptstudio_with(dir, args, &[])
}

/// Runs `ptstudio args` in `dir` with environment variables `env`.
pub fn ptstudio_with(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> (bool, String, String) {
    let mut command = Command::cargo_bin("ptstudio").unwrap();
    command.current_dir(dir).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Where `cargo xtask setup` unpacks the SARIF schema (xtask/src/setup.rs).
const SARIF_SCHEMA: &str = ".tools/sarif/package/lib/schemas/sarif-2.1.0-rtm.5.json";

/// Validates the SARIF log at `path` against the published SARIF 2.1.0 schema with Python's
/// jsonschema (both installed by `cargo xtask setup`); returns "RUNS RESULTS".
pub fn validate_sarif(path: &Path) -> String {
    let schema = support::repo_root().join(SARIF_SCHEMA);
    let check = "import json, sys, jsonschema\n\
                 log = json.load(open(sys.argv[1])); schema = json.load(open(sys.argv[2]))\n\
                 jsonschema.validate(log, schema)\n\
                 print(len(log['runs']), sum(len(r['results']) for r in log['runs']))";
    let validated = std::process::Command::new("python3")
        .args(["-c", check, path.to_str().unwrap(), schema.to_str().unwrap()])
        .output()
        .expect("python3 with jsonschema, installed by `cargo xtask setup`");
    assert!(validated.status.success(), "{}", String::from_utf8_lossy(&validated.stderr));
    String::from_utf8_lossy(&validated.stdout).trim().to_owned()
}
