//! Running first-party plugins in the host on real samples, shared by the plugin test files.
#![allow(dead_code, reason = "each test binary that includes this uses part of it")]

use std::sync::Arc;

use plugin_host::{Capabilities, Capability, GraphInput, LoadedPlugin, Manifest, PluginHost};

use crate::support;

/// Loads first-party plugin `name` (built from source) with every capability granted.
pub fn load(host: &PluginHost, name: &str) -> LoadedPlugin {
    let (wasm, manifest) = support::plugin(name);
    let manifest = Arc::new(Manifest::parse(&manifest).expect("first-party manifest parses"));
    let grants = Capability::ALL.into_iter().collect::<Capabilities>();
    host.load(manifest, &wasm, grants).expect("first-party plugin loads")
}

/// A fetch that always fails: no plugin under test gets the network.
pub fn no_fetch(_: &plugin_host::FetchRequest) -> Result<Vec<u8>, plugin_host::FetchFailed> {
    Err(plugin_host::FetchFailed::new("no network in tests"))
}

/// A bundled sample, as the loader reads it (native only: the samples are read from disk).
pub fn sample(file: &str) -> Arc<GraphInput> {
    let path = support::repo_root().join("../shared/isg-samples/v0.1.0-snapshot").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("the sample {file}: {e}"));
    let name = path.display().to_string();
    let loaded = isg::load(&[isg::SourceFile { name: &name, bytes: &bytes }]).expect("loads");
    Arc::new(GraphInput::new(Arc::new(loaded.graph)))
}

pub fn tokio() -> Arc<GraphInput> {
    sample("tokio-1.47.1.json")
}

pub fn axum() -> Arc<GraphInput> {
    sample("axum-0.8.3.json")
}

/// The metric column `name` of a run's output.
pub fn column<'a>(out: &'a plugin_host::RunOutput, name: &str) -> &'a [f32] {
    &out.metrics.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no column {name}")).values
}

/// Runs `program` on `input` (on its standard input), returning its standard output; fails the
/// test with its standard error when it fails. The tools are installed by `cargo xtask setup`.
pub fn tool(program: &str, args: &[&str], input: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} is installed by `cargo xtask setup`: {e}"));
    child.stdin.take().expect("stdin").write_all(input).expect("writes");
    let out = child.wait_with_output().expect("runs");
    assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
