//! What every hostile case shares: the test host and policy, a small graph, manifests, WAT
//! assembly, a well-behaved plugin, and the check that a hostile case left the host intact.

use std::sync::Arc;

use isg::synth::{SynthSpec, generate};
use plugin_host::{
    Capabilities, Capability, FetchFailed, FetchRequest, GraphInput, HostPolicy, LoadedPlugin, Manifest, PluginError,
    PluginHost,
};
use serde_json::Value;

pub(crate) const ABI: &str =
    r#"(memory (export "memory") 1) (func (export "pt_abi_version") (result i32) i32.const 1)"#;

pub(crate) fn manifest(capabilities: &str, extra: &str) -> Arc<Manifest> {
    manifest_of_kind("layout", capabilities, extra)
}

/// A test manifest declaring `kind`.
pub(crate) fn manifest_of_kind(kind: &str, capabilities: &str, extra: &str) -> Arc<Manifest> {
    let text = format!(
        "[plugin]\nname = \"case\"\nversion = \"1.0.0\"\nauthor = \"tests\"\ndescription = \"a test case\"\n\
         kind = \"{kind}\"\nhost_api = \"^1\"\n[capabilities]\n{capabilities}\n{extra}"
    );
    Arc::new(Manifest::parse(&text).expect("test manifest parses"))
}

pub(crate) fn all_caps() -> String {
    "read_isg = true\nwrite_visualization = true\nnetwork_access = true\nfile_system_access = true".into()
}

pub(crate) fn grants_all() -> Capabilities {
    Capability::ALL.into_iter().collect()
}

pub(crate) fn wat(body: &str) -> Vec<u8> {
    wat::parse_str(format!("(module {body})")).expect("test WAT assembles")
}

pub(crate) fn graph() -> Arc<GraphInput> {
    Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes: 50, edges: 120, seed: 7 }))))
}

pub(crate) fn host() -> PluginHost {
    PluginHost::new(HostPolicy {
        fuel_ceiling: 20_000_000,
        slice_fuel: 1_000_000,
        memory_ceiling: 16 << 20,
        ..HostPolicy::default()
    })
    .expect("host starts")
}

/// A well-behaved layout: reads the node count and places node i at (i, 2i).
pub(crate) const GOOD: &str = r#"
    (import "pt_isg" "node_count" (func $nodes (result i32)))
    (import "pt_viz" "set_positions" (func $set (param i32 i32)))
    (func (export "pt_run") (result i32) (local $i i32) (local $n i32)
      (local.set $n (call $nodes))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f32.store (i32.mul (local.get $i) (i32.const 8)) (f32.convert_i32_u (local.get $i)))
        (f32.store (i32.add (i32.mul (local.get $i) (i32.const 8)) (i32.const 4)) (f32.convert_i32_u (i32.shl (local.get $i) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (call $set (i32.const 0) (local.get $n))
      i32.const 0)
"#;

pub(crate) fn load(host: &PluginHost, body: &str) -> Result<LoadedPlugin, PluginError> {
    host.load(manifest(&all_caps(), ""), &wat(&format!("{body} {ABI}")), grants_all())
}

/// The fetch answer of a host with no network.
pub(crate) fn no_fetch(_: &FetchRequest) -> Result<Vec<u8>, FetchFailed> {
    Err(FetchFailed::new("no network in tests"))
}

pub(crate) fn run(plugin: &mut LoadedPlugin, graph: &Arc<GraphInput>) -> Result<plugin_host::RunOutput, PluginError> {
    plugin.run_to_end(Arc::clone(graph), &Value::Null, None, no_fetch).map(|(o, _)| o).map_err(|failed| failed.error)
}

/// After a hostile case, a good plugin on the same host and graph still works.
pub(crate) fn assert_host_intact(host: &PluginHost, graph: &Arc<GraphInput>) {
    let mut good = load(host, GOOD).expect("good plugin loads");
    let out = run(&mut good, graph).expect("good plugin runs");
    let positions = out.positions.expect("positions").to_vec();
    assert_eq!(positions.len(), graph.node_count());
    assert_eq!(positions[7], [7.0, 14.0]);
    assert_eq!(graph.edge_count(), graph.graph().edge_count());
}

pub(crate) fn run_error(body: &str) -> PluginError {
    let host = host();
    let graph = graph();
    let error = match load(&host, body) {
        Ok(mut plugin) => run(&mut plugin, &graph).expect_err("hostile plugin must fail"),
        Err(e) => e,
    };
    assert_host_intact(&host, &graph);
    #[cfg(feature = "wasmtime")]
    fast_lanes_agree(&host, &graph, body, &error);
    error
}

/// The same case in the fast lane, with injected metering and with wasmtime's own fuel, ends in
/// the same typed error (limits in the same words).
#[cfg(feature = "wasmtime")]
fn fast_lanes_agree(host: &PluginHost, graph: &Arc<GraphInput>, body: &str, expected: &PluginError) {
    use plugin_host::lane::{Metering, WasmtimeRunner};
    let runner = WasmtimeRunner::new().expect("wasmtime starts");
    for metering in [Metering::Injected, Metering::Engine] {
        let wasm = wat(&format!("{body} {ABI}"));
        let error = match host.load_fast(manifest(&all_caps(), ""), &wasm, grants_all(), metering) {
            Ok(mut plugin) => {
                runner
                    .run(&mut plugin, Arc::clone(graph), &Value::Null, None)
                    .expect_err("hostile plugin must fail")
                    .error
            }
            Err(e) => e,
        };
        assert_eq!(error.code(), expected.code(), "{metering:?}: {error} where the interpreter said {expected}");
        if matches!(
            expected.kind,
            plugin_host::ErrorKind::MemoryLimit { .. } | plugin_host::ErrorKind::OutOfFuel { .. }
        ) {
            assert_eq!(error.to_string(), expected.to_string(), "{metering:?}: worded as the interpreter words it");
        }
    }
}
