//! The hostile-plugin suite: each case is a plugin written in WAT, assembled by the test, that tries
//! to escape, exhaust or confuse the host. Every case must end in the right typed error, and the
//! host, the graph and the next plugin must be unaffected.

use std::sync::Arc;

use isg::synth::{SynthSpec, generate};
use plugin_host::{
    Capabilities, Capability, GraphInput, HostPolicy, LoadedPlugin, Manifest, PluginError, PluginHost, Step,
};
use serde_json::Value;

const ABI: &str = r#"(memory (export "memory") 1) (func (export "pt_abi_version") (result i32) i32.const 1)"#;

fn manifest(capabilities: &str, extra: &str) -> Arc<Manifest> {
    let text = format!(
        "[plugin]\nname = \"case\"\nversion = \"1.0.0\"\nauthor = \"tests\"\ndescription = \"a test case\"\n\
         kind = \"layout\"\nhost_api = \"^1\"\n[capabilities]\n{capabilities}\n{extra}"
    );
    Arc::new(Manifest::parse(&text).expect("test manifest parses"))
}

fn all_caps() -> String {
    "read_isg = true\nwrite_visualization = true\nnetwork_access = true\nfile_system_access = true".into()
}

fn grants_all() -> Capabilities {
    Capability::ALL.into_iter().collect()
}

fn wat(body: &str) -> Vec<u8> {
    wat::parse_str(format!("(module {body})")).expect("test WAT assembles")
}

fn graph() -> Arc<GraphInput> {
    Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes: 50, edges: 120, seed: 7 }))))
}

fn host() -> PluginHost {
    PluginHost::new(HostPolicy {
        fuel_ceiling: 20_000_000,
        slice_fuel: 1_000_000,
        memory_ceiling: 16 << 20,
        ..HostPolicy::default()
    })
    .expect("host starts")
}

/// A well-behaved layout: reads the node count and places node i at (i, 2i).
const GOOD: &str = r#"
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

fn load(host: &PluginHost, body: &str) -> Result<LoadedPlugin, PluginError> {
    host.load(manifest(&all_caps(), ""), &wat(&format!("{body} {ABI}")), grants_all())
}

fn run(plugin: &mut LoadedPlugin, graph: &Arc<GraphInput>) -> Result<plugin_host::RunOutput, PluginError> {
    plugin
        .run_to_end(Arc::clone(graph), &Value::Null, None, |_| Err("no network in tests".into()))
        .map(|(o, _)| o)
        .map_err(|(e, _)| e)
}

/// After a hostile case, a good plugin on the same host and graph still works.
fn assert_host_intact(host: &PluginHost, graph: &Arc<GraphInput>) {
    let mut good = load(host, GOOD).expect("good plugin loads");
    let out = run(&mut good, graph).expect("good plugin runs");
    let positions = out.positions.expect("positions");
    assert_eq!(positions.len(), graph.node_count());
    assert_eq!(positions[7], [7.0, 14.0]);
    assert_eq!(graph.edge_count(), graph.graph().edge_count());
}

fn run_error(body: &str) -> PluginError {
    let host = host();
    let graph = graph();
    let error = match load(&host, body) {
        Ok(mut plugin) => run(&mut plugin, &graph).expect_err("hostile plugin must fail"),
        Err(e) => e,
    };
    assert_host_intact(&host, &graph);
    error
}

#[test]
fn good_plugin_runs_with_metrics_and_audit() {
    let host = host();
    let graph = graph();
    let mut plugin = load(&host, GOOD).unwrap();
    let (out, metrics) = plugin.run_to_end(Arc::clone(&graph), &Value::Null, None, |_| Err(String::new())).unwrap();
    assert_eq!(out.positions.unwrap()[49], [49.0, 98.0]);
    assert_eq!(metrics.host_calls, 2);
    assert!(metrics.fuel_used > 50, "{metrics:?}");
    assert_eq!(metrics.peak_memory, 65536);
    assert_eq!(plugin.audit().host_calls(), 2);
    let json: Value = serde_json::from_str(&plugin.audit().to_json()).unwrap();
    assert_eq!(json["host_calls"][0]["function"], "pt_isg.node_count");
    assert_eq!(json["events"][0]["kind"], "loaded");
    assert_eq!(json["events"][1]["kind"], "finished");
    // A second call on the same instance works too.
    assert!(run(&mut plugin, &graph).is_ok());
}

#[test]
fn infinite_loop_runs_out_of_fuel_in_slices() {
    let host = host();
    let graph = graph();
    let mut plugin = load(&host, r#"(func (export "pt_run") (result i32) (loop $l (br $l)) i32.const 0)"#).unwrap();
    let (error, metrics) =
        plugin.run_to_end(Arc::clone(&graph), &Value::Null, None, |_| Err(String::new())).unwrap_err();
    assert!(matches!(error, PluginError::OutOfFuel { fuel: 20_000_000, .. }), "{error}");
    assert!(metrics.slices >= 20, "the loop must have yielded between slices: {metrics:?}");
    assert!(metrics.fuel_used >= 19_000_000, "{metrics:?}");
    assert!(error.to_string().contains("ran out of fuel"));
    assert_eq!(plugin.audit().events().back().unwrap().kind, plugin_host::AuditKind::LimitHit);
    assert_host_intact(&host, &graph);
}

#[test]
fn start_function_is_refused() {
    let e = run_error(
        r#"(func $forever (loop $l (br $l))) (start $forever) (func (export "pt_run") (result i32) i32.const 0)"#,
    );
    assert!(matches!(&e, PluginError::InvalidModule { reason, .. } if reason.contains("start")), "{e}");
}

#[test]
fn loop_in_abi_handshake_runs_out_of_fuel() {
    let host = host();
    let bytes = wat(
        r#"(memory (export "memory") 1) (func (export "pt_abi_version") (result i32) (loop $l (br $l)) i32.const 1)
                      (func (export "pt_run") (result i32) i32.const 0)"#,
    );
    let e = host.load(manifest("", ""), &bytes, Capabilities::default()).err().unwrap();
    assert!(matches!(e, PluginError::OutOfFuel { .. }), "{e}");
}

#[test]
fn memory_grow_bomb_hits_the_memory_limit() {
    let e = run_error(
        r#"(func (export "pt_run") (result i32) (loop $l (drop (memory.grow (i32.const 100))) (br $l)) i32.const 0)"#,
    );
    assert!(matches!(&e, PluginError::MemoryLimit { detail, .. } if detail.contains("16 MiB")), "{e}");
}

#[test]
fn huge_initial_memory_is_refused_at_load() {
    let host = host();
    let bytes = wat(
        r#"(memory (export "memory") 1000) (func (export "pt_abi_version") (result i32) i32.const 1) (func (export "pt_run") (result i32) i32.const 0)"#,
    );
    let e = host.load(manifest("", ""), &bytes, Capabilities::default()).err().unwrap();
    assert!(matches!(e, PluginError::MemoryLimit { .. }), "{e}");
}

#[test]
fn table_bomb_hits_the_limit() {
    let e = run_error(
        r#"(table $t 1 funcref)
           (func (export "pt_run") (result i32) (loop $l (drop (table.grow $t (ref.null func) (i32.const 50000))) (br $l)) i32.const 0)"#,
    );
    assert!(matches!(&e, PluginError::MemoryLimit { detail, .. } if detail.contains("table")), "{e}");
}

#[test]
fn deep_recursion_overflows_the_stack() {
    let e = run_error(
        r#"(func $down (param i32) (result i32) (call $down (i32.add (local.get 0) (i32.const 1))))
                         (func (export "pt_run") (result i32) (call $down (i32.const 0)))"#,
    );
    assert!(matches!(e, PluginError::StackOverflow { .. }), "{e}");
}

#[test]
fn translation_bombs_are_bounded() {
    // Many tiny functions: over the engine's enforced limits.
    let many: String = (0..10_001).map(|i| format!("(func $f{i})")).collect();
    let e = run_error(&format!(r#"{many} (func (export "pt_run") (result i32) i32.const 0)"#));
    assert!(matches!(&e, PluginError::InvalidModule { reason, .. } if reason.contains("10000 functions")), "{e}");
    // One huge function: refused at load, so no lazy translation can take long.
    let body = "(drop (i32.const 1))".repeat(400_000);
    let e = run_error(&format!(r#"(func (export "pt_run") (result i32) {body} i32.const 0)"#));
    assert!(
        matches!(&e, PluginError::InvalidModule { reason, .. } if reason.contains("over the 1024 KiB limit")),
        "{e}"
    );
    // A big function first called when a slice is nearly spent is translated all the same, and a
    // memory.grow that costs more fuel than the slice has left waits for the next slice.
    let host = PluginHost::new(HostPolicy { slice_fuel: 5_000, ..HostPolicy::default() }).unwrap();
    let big = "(drop (i32.const 1))".repeat(100_000);
    let mut plugin = load(
        &host,
        &format!(
            r#"(func $big {big})
               (func (export "pt_run") (result i32) (local $i i32)
                 (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 1400))))
                 (call $big)
                 (drop (memory.grow (i32.const 600)))
                 i32.const 0)"#
        ),
    )
    .unwrap();
    let graph = graph();
    run(&mut plugin, &graph).expect("a healthy run survives slice boundaries");
    assert!(plugin.memory_bytes() >= 601 * 65536, "the memory grew");
}

#[test]
fn huge_output_is_refused() {
    let host = PluginHost::new(HostPolicy { max_output_bytes: 1 << 20, ..HostPolicy::default() }).unwrap();
    let graph = graph();
    let mut plugin = load(
        &host,
        r#"(import "pt_core" "emit_file" (func $file (param i32 i32 i32 i32 i32 i32)))
           (func (export "pt_run") (result i32) (loop $l (call $file (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 65536)) (br $l)) i32.const 0)"#,
    )
    .unwrap();
    let e = run(&mut plugin, &graph).unwrap_err();
    assert!(matches!(&e, PluginError::InvalidOutput { reason, .. } if reason.contains("1 MiB")), "{e}");
    // Log spam is counted, not kept.
    let mut plugin = load(
        &host,
        r#"(import "pt_core" "log" (func $log (param i32 i32 i32)))
           (func (export "pt_run") (result i32) (local $i i32)
             (loop $l (call $log (i32.const 1) (i32.const 0) (i32.const 100))
               (local.set $i (i32.add (local.get $i) (i32.const 1)))
               (br_if $l (i32.lt_u (local.get $i) (i32.const 5000)))) i32.const 0)"#,
    )
    .unwrap();
    let out = run(&mut plugin, &graph).unwrap();
    assert_eq!(out.logs.len(), 1000);
    assert_eq!(out.dropped_logs, 4000);
}

#[test]
fn malformed_output_is_refused() {
    // Too few positions.
    let e = run_error(
        r#"(import "pt_viz" "set_positions" (func $set (param i32 i32)))
                         (func (export "pt_run") (result i32) (call $set (i32.const 0) (i32.const 3)) i32.const 0)"#,
    );
    assert!(matches!(&e, PluginError::InvalidOutput { reason, .. } if reason == "3 positions for 50 nodes"), "{e}");
    // NaN positions.
    let e = run_error(
        r#"(import "pt_isg" "node_count" (func $nodes (result i32)))
                         (import "pt_viz" "set_positions" (func $set (param i32 i32)))
                         (func (export "pt_run") (result i32) (f32.store (i32.const 16) (f32.div (f32.const 0) (f32.const 0)))
                           (call $set (i32.const 0) (call $nodes)) i32.const 0)"#,
    );
    assert!(matches!(&e, PluginError::InvalidOutput { reason, .. } if reason.contains("node 2 is not finite")), "{e}");
    // A bad overlay.
    let e = run_error(
        r#"(import "pt_viz" "add_overlay" (func $o (param i32 i32))) (data (i32.const 0) "{\"type\":\"blob\"}")
                         (func (export "pt_run") (result i32) (call $o (i32.const 0) (i32.const 15)) i32.const 0)"#,
    );
    assert!(matches!(&e, PluginError::InvalidOutput { reason, .. } if reason.contains("blob")), "{e}");
}

#[test]
fn out_of_bounds_pointers_are_refused() {
    let e = run_error(
        r#"(import "pt_isg" "node_count" (func $nodes (result i32)))
                         (import "pt_viz" "set_positions" (func $set (param i32 i32)))
                         (func (export "pt_run") (result i32) (call $set (i32.const 0xffff0000) (call $nodes)) i32.const 0)"#,
    );
    assert!(
        matches!(
            e,
            PluginError::BadPointer { function: "pt_viz.set_positions", ptr: 0xffff_0000, len: 400, memory: 65536, .. }
        ),
        "{e}"
    );
    let e = run_error(
        r#"(import "pt_isg" "read_edges" (func $edges (param i32 i32 i32) (result i32)))
                         (func (export "pt_run") (result i32) (drop (call $edges (i32.const 65530) (i32.const 0) (i32.const 100))) i32.const 0)"#,
    );
    assert!(matches!(e, PluginError::BadPointer { function: "pt_isg.read_edges", .. }), "{e}");
    // A negative length is a huge unsigned one, not a wrap-around.
    let e = run_error(
        r#"(import "pt_core" "log" (func $log (param i32 i32 i32)))
                         (func (export "pt_run") (result i32) (call $log (i32.const 0) (i32.const 8) (i32.const -1)) i32.const 0)"#,
    );
    assert!(matches!(e, PluginError::BadPointer { len: 4_294_967_295, .. }), "{e}");
}

#[test]
fn ungranted_and_unknown_imports_fail_at_load() {
    let host = host();
    let body = format!(
        r#"(import "pt_isg" "node_count" (func (result i32))) {ABI} (func (export "pt_run") (result i32) i32.const 0)"#
    );
    // Requested in the manifest but not granted by the user.
    let e = host.load(manifest("read_isg = true", ""), &wat(&body), Capabilities::default()).err().unwrap();
    assert_eq!(
        e,
        PluginError::CapabilityDenied {
            plugin: "case@1.0.0".into(),
            import: "pt_isg.node_count".into(),
            capability: Some(Capability::ReadIsg)
        }
    );
    assert_eq!(
        e.to_string(),
        "plugin case@1.0.0 imports pt_isg.node_count, which needs the read_isg capability, and it was not granted"
    );
    // Granted by the user but never requested in the manifest.
    let e = host.load(manifest("", ""), &wat(&body), grants_all()).err().unwrap();
    assert!(matches!(e, PluginError::CapabilityDenied { capability: Some(Capability::ReadIsg), .. }), "{e}");
    for import in [r#""env" "abort""#, r#""pt_isg" "read_everything""#, r#""wasi_snapshot_preview1" "fd_write""#] {
        let body = format!(r#"(import {import} (func)) {ABI} (func (export "pt_run") (result i32) i32.const 0)"#);
        let e = host.load(manifest(&all_caps(), ""), &wat(&body), grants_all()).err().unwrap();
        assert!(matches!(e, PluginError::CapabilityDenied { capability: None, .. }), "{import}: {e}");
        assert!(e.to_string().contains("which no capability provides"), "{e}");
    }
    // An imported memory.
    let body = r#"(import "pt_core" "memory" (memory 1)) (func (export "pt_abi_version") (result i32) i32.const 1) (func (export "pt_run") (result i32) i32.const 0)"#;
    let e = host.load(manifest("", ""), &wat(body), grants_all()).err().unwrap();
    assert!(matches!(e, PluginError::InvalidModule { .. }), "{e}");
    assert_host_intact(&host, &graph());
}

#[test]
fn malformed_wasm_is_an_invalid_module() {
    let host = host();
    let good = wat(&format!("{GOOD} {ABI}"));
    for bytes in [&b"not wasm at all"[..], &good[..good.len() / 2], &[0, 0x61, 0x73, 0x6d, 2, 0, 0, 0][..], &[][..]] {
        let e = host.load(manifest(&all_caps(), ""), bytes, grants_all()).err().unwrap();
        assert!(matches!(e, PluginError::InvalidModule { .. }), "{e}");
    }
    assert_host_intact(&host, &graph());
}

#[test]
fn traps_carry_the_plugins_message() {
    let e = run_error(
        r#"(import "pt_core" "fail" (func $fail (param i32 i32))) (data (i32.const 0) "index out of range")
                         (func (export "pt_run") (result i32) (call $fail (i32.const 0) (i32.const 18)) unreachable)"#,
    );
    assert!(matches!(&e, PluginError::Trap { message, .. } if message.starts_with("index out of range")), "{e}");
    let e = run_error(r#"(func (export "pt_run") (result i32) (i32.div_u (i32.const 1) (i32.const 0)))"#);
    assert!(matches!(&e, PluginError::Trap { message, .. } if message.contains("divide by zero")), "{e}");
    let e = run_error(r#"(func (export "pt_run") (result i32) i32.const 3)"#);
    assert!(matches!(&e, PluginError::Trap { message, .. } if message == "pt_run returned 3"), "{e}");
}

#[test]
fn abi_mismatch_names_both_versions() {
    let host = host();
    let bytes = wat(
        r#"(memory (export "memory") 1) (func (export "pt_abi_version") (result i32) i32.const 2) (func (export "pt_run") (result i32) i32.const 0)"#,
    );
    let e = host.load(manifest("", ""), &bytes, Capabilities::default()).err().unwrap();
    assert_eq!(e.to_string(), "plugin case@1.0.0 does not speak plugin ABI 1: it reports ABI 2");
    for body in [
        r#"(memory (export "memory") 1) (func (export "pt_run") (result i32) i32.const 0)"#,
        r#"(memory (export "memory") 1) (func (export "pt_abi_version") (result i32) i32.const 1)"#,
        r#"(func (export "pt_abi_version") (result i32) i32.const 1) (func (export "pt_run") (result i32) i32.const 0)"#,
        r#"(memory (export "memory") 1) (func (export "pt_abi_version") (param i32) (result i32) i32.const 1) (func (export "pt_run") (result i32) i32.const 0)"#,
    ] {
        let e = host.load(manifest("", ""), &wat(body), Capabilities::default()).err().unwrap();
        assert!(matches!(e, PluginError::AbiMismatch { expected: 1, .. }), "{e}");
    }
}

#[test]
fn resource_requests_above_the_policy_are_refused() {
    let host = host();
    let e = host
        .load(manifest("", "[resources]\nfuel = 30000000"), &wat(&format!("{GOOD} {ABI}")), grants_all())
        .err()
        .unwrap();
    assert!(e.to_string().contains("at most 20000000"), "{e}");
    let e = host
        .load(manifest("", "[resources]\nmemory_mib = 64"), &wat(&format!("{GOOD} {ABI}")), grants_all())
        .err()
        .unwrap();
    assert!(e.to_string().contains("at most 16 MiB"), "{e}");
}

#[test]
fn cancel_stops_at_once_and_the_plugin_recovers() {
    let host = host();
    let graph = graph();
    // `{"spin":true}` is 13 bytes, `{"spin":false}` 14.
    let body = r#"(import "pt_core" "params_len" (func $len (result i32)))
                  (func (export "pt_run") (result i32) (if (i32.eq (call $len) (i32.const 13)) (then (loop $l (br $l)))) i32.const 0)"#;
    let text = "[parameters.spin]\ntype = \"boolean\"\ndefault = false\n";
    let mut plugin = host.load(manifest("", text), &wat(&format!("{body} {ABI}")), Capabilities::default()).unwrap();
    let mut call = plugin.start(Arc::clone(&graph), &serde_json::json!({"spin": true}), None).unwrap();
    assert!(matches!(call.step(), Ok(Step::Running { .. })));
    assert!(matches!(call.cancel(), PluginError::Cancelled { .. }));
    // The same plugin runs again on a fresh instance.
    let (_, metrics) = plugin
        .run_to_end(Arc::clone(&graph), &serde_json::json!({"spin": false}), None, |_| Err(String::new()))
        .unwrap();
    assert_eq!(metrics.slices, 1);
    // Parameters are checked before the plugin sees them.
    let e = plugin.start(Arc::clone(&graph), &serde_json::json!({"spin": 1}), None).err().unwrap();
    assert!(matches!(e, PluginError::Params { .. }), "{e}");
}

#[test]
fn fetch_is_host_mediated_and_allow_listed() {
    let host = host();
    let graph = graph();
    let body = r#"(import "pt_net" "fetch" (func $fetch (param i32 i32 i32 i32) (result i32)))
                  (import "pt_core" "log" (func $log (param i32 i32 i32)))
                  (data (i32.const 0) "https://api.example.org/x")
                  (data (i32.const 100) "https://evil.example.com/")
                  (func (export "pt_run") (result i32)
                    (if (i32.ne (call $fetch (i32.const 100) (i32.const 25) (i32.const 1000) (i32.const 64)) (i32.const -1)) (then unreachable))
                    (if (i32.ne (call $fetch (i32.const 0) (i32.const 25) (i32.const 1000) (i32.const 4)) (i32.const 11)) (then unreachable))
                    (call $log (i32.const 1) (i32.const 1000) (i32.const 4))
                    i32.const 0)"#;
    let m = manifest("network_access = true", "[network]\nallow = [\"api.example.org\"]\n");
    let mut plugin = host.load(m, &wat(&format!("{body} {ABI}")), grants_all()).unwrap();
    let mut asked = Vec::new();
    let (out, _) = plugin
        .run_to_end(graph, &Value::Null, None, |req| {
            asked.push(req.url.clone());
            Ok(b"hello world".to_vec())
        })
        .unwrap();
    assert_eq!(asked, ["https://api.example.org/x"]);
    assert_eq!(out.logs[0].message, "hell");
    let kinds: Vec<_> = plugin.audit().events().iter().map(|e| e.kind).collect();
    assert!(
        kinds.contains(&plugin_host::AuditKind::Denied) && kinds.contains(&plugin_host::AuditKind::CapabilityUse),
        "{kinds:?}"
    );
}

#[test]
fn private_folder_round_trips_and_keeps_its_quota() {
    let host = PluginHost::new(HostPolicy { folder_quota: 8, ..HostPolicy::default() }).unwrap();
    let body = r#"(import "pt_fs" "write" (func $w (param i32 i32 i32 i32) (result i32)))
                  (import "pt_fs" "read" (func $r (param i32 i32 i32 i32) (result i32)))
                  (data (i32.const 0) "notes0123456789")
                  (func (export "pt_run") (result i32)
                    (if (i32.ne (call $w (i32.const 0) (i32.const 5) (i32.const 5) (i32.const 4)) (i32.const 0)) (then unreachable))
                    (if (i32.ne (call $w (i32.const 0) (i32.const 5) (i32.const 5) (i32.const 10)) (i32.const -2)) (then unreachable))
                    (if (i32.ne (call $r (i32.const 0) (i32.const 5) (i32.const 200) (i32.const 10)) (i32.const 4)) (then unreachable))
                    (if (i32.ne (call $r (i32.const 5) (i32.const 1) (i32.const 200) (i32.const 10)) (i32.const -1)) (then unreachable))
                    (i32.ne (i32.load (i32.const 200)) (i32.load (i32.const 5))))"#;
    let mut plugin =
        host.load(manifest("file_system_access = true", ""), &wat(&format!("{body} {ABI}")), grants_all()).unwrap();
    run(&mut plugin, &graph()).unwrap();
    assert_eq!(plugin.folder().files()["notes"], b"0123");
}

#[test]
fn graph_is_readable_through_pt_isg() {
    let host = host();
    let graph = graph();
    // Reads edge 3 and the name of its source, and reports them as a finding.
    let body = r#"(import "pt_isg" "read_edges" (func $edges (param i32 i32 i32) (result i32)))
                  (import "pt_isg" "node_name" (func $name (param i32 i32 i32) (result i32)))
                  (import "pt_core" "emit_finding" (func $finding (param i32 i32 i32 i32 i32)))
                  (func (export "pt_run") (result i32) (local $len i32)
                    (if (i32.ne (call $edges (i32.const 0) (i32.const 3) (i32.const 1)) (i32.const 1)) (then unreachable))
                    (local.set $len (call $name (i32.load (i32.const 0)) (i32.const 100) (i32.const 200)))
                    (call $finding (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 100) (local.get $len))
                    i32.const 0)"#;
    let mut plugin = load(&host, body).unwrap();
    let out = run(&mut plugin, &graph).unwrap();
    let (from, to, _) = graph.graph().edges().nth(3).unwrap();
    assert_eq!(out.findings[0].nodes, [from.0, to.0]);
    assert_eq!(out.findings[0].message, graph.graph().name(from));
}

#[test]
fn fuel_budget_overrides_are_capped_and_reset() {
    let host = host();
    let graph = graph();
    let mut plugin = load(&host, r#"(func (export "pt_run") (result i32) (loop $l (br $l)) i32.const 0)"#).unwrap();
    let fuel_of_run = |plugin: &mut LoadedPlugin| match run(plugin, &graph) {
        Err(PluginError::OutOfFuel { fuel, .. }) => fuel,
        other => panic!("expected OutOfFuel, got {other:?}"),
    };
    plugin.set_fuel_budget(Some(1000));
    assert_eq!(fuel_of_run(&mut plugin), 1000);
    plugin.set_fuel_budget(Some(u64::MAX));
    assert_eq!(fuel_of_run(&mut plugin), 20_000_000, "capped at the policy's ceiling");
    plugin.set_fuel_budget(Some(5000));
    plugin.set_fuel_budget(None);
    assert_eq!(fuel_of_run(&mut plugin), 20_000_000, "back to the manifest's (here: the ceiling)");
}
