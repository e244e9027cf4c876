//! What the plugin tests share: the axum sample, and first-party plugins built from source and
//! run on it through the real host.
#![allow(dead_code, reason = "each test binary that includes this uses part of it")]

#[path = "../../../plugin-host/tests/support/mod.rs"]
pub mod support;

use std::sync::Arc;

use isg::SourceFile;
use plugin_host::{Capabilities, Capability, GraphInput, HostPolicy, Manifest, PluginHost};
use studio_core::{LoadedGraph, NullGpu, Studio};

/// The axum sample.
pub const AXUM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples/v0.1.0-snapshot/axum-0.8.3.json");

/// The axum sample, loaded.
pub fn axum() -> isg::Loaded {
    let bytes = std::fs::read(AXUM).expect("sample");
    isg::load(&[SourceFile { name: AXUM, bytes: &bytes }]).expect("loads")
}

/// Runs a first-party plugin on axum with every capability and returns its output.
pub fn run_on_axum(name: &str, params: &serde_json::Value) -> plugin_host::RunOutput {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let (wasm, text) = support::plugin(name);
    let manifest = Arc::new(Manifest::parse(&text).expect("manifest"));
    let mut plugin = host.load(manifest, &wasm, Capability::ALL.into_iter().collect::<Capabilities>()).expect("loads");
    let graph = Arc::new(GraphInput::new(Arc::new(axum().graph)));
    plugin
        .run_to_end(graph, params, None, |_| Err(plugin_host::FetchFailed::new("no network in tests")))
        .expect("runs")
        .0
}

/// A studio on a null GPU showing axum.
pub fn axum_studio() -> Studio<NullGpu> {
    let mut s: Studio<NullGpu> = Studio::default();
    s.attach_renderer(NullGpu::new().expect("atlas")).expect("attaches");
    s.install(LoadedGraph::from_loaded("axum".into(), axum())).expect("installs");
    s
}
