//! The module itself: start functions, translation bombs, malformed wasm, the ABI handshake,
//! traps, resource requests, and the entry point that must match the manifest's kind.

use std::sync::Arc;

use plugin_host::*;

use crate::common::*;

#[test]
fn start_function_is_refused() {
    let e = run_error(
        r#"(func $forever (loop $l (br $l))) (start $forever) (func (export "pt_run") (result i32) i32.const 0)"#,
    );
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidModule { reason, .. }, .. } if reason.contains("start")),
        "{e}"
    );
}

#[test]
fn translation_bombs_are_bounded() {
    // Many tiny functions: over the engine's enforced limits.
    let many: String = (0..10_001).map(|i| format!("(func $f{i})")).collect();
    let e = run_error(&format!(r#"{many} (func (export "pt_run") (result i32) i32.const 0)"#));
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidModule { reason, .. }, .. } if reason.contains("10000 functions")),
        "{e}"
    );
    // One huge function: refused at load, so no lazy translation can take long.
    let body = "(drop (i32.const 1))".repeat(400_000);
    let e = run_error(&format!(r#"(func (export "pt_run") (result i32) {body} i32.const 0)"#));
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidModule { reason, .. }, .. } if reason.contains("over the 1024 KiB limit")),
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
fn malformed_wasm_is_an_invalid_module() {
    let host = host();
    let good = wat(&format!("{GOOD} {ABI}"));
    for bytes in [&b"not wasm at all"[..], &good[..good.len() / 2], &[0, 0x61, 0x73, 0x6d, 2, 0, 0, 0][..], &[][..]] {
        let e = host.load(manifest(&all_caps(), ""), bytes, grants_all()).err().unwrap();
        assert!(matches!(e, PluginError { kind: ErrorKind::InvalidModule { .. }, .. }), "{e}");
    }
    assert_host_intact(&host, &graph());
}

#[test]
fn traps_carry_the_plugins_message() {
    let e = run_error(
        r#"(import "pt_core" "fail" (func $fail (param i32 i32))) (data (i32.const 0) "index out of range")
                         (func (export "pt_run") (result i32) (call $fail (i32.const 0) (i32.const 18)) unreachable)"#,
    );
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::Trap { message, .. }, .. } if message.starts_with("index out of range")),
        "{e}"
    );
    let e = run_error(r#"(func (export "pt_run") (result i32) (i32.div_u (i32.const 1) (i32.const 0)))"#);
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::Trap { message, .. }, .. } if message.contains("divide by zero")),
        "{e}"
    );
    let e = run_error(r#"(func (export "pt_run") (result i32) i32.const 3)"#);
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::Trap { message, .. }, .. } if message == "pt_run returned 3"),
        "{e}"
    );
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
        assert!(matches!(e, PluginError { kind: ErrorKind::AbiMismatch { expected: 1, .. }, .. }), "{e}");
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
fn the_entry_point_must_match_the_manifests_kind() {
    let host = host();
    let analysis = format!(r#"{ABI} (func (export "pt_run_analysis") (result i32) i32.const 0)"#);
    let e = host.load(manifest_of_kind("layout", "", ""), &wat(&analysis), grants_all()).err().unwrap();
    assert_eq!(
        e.to_string(),
        "plugin case@1.0.0 is declared kind \"layout\" in plugin.toml, but its module exports pt_run_analysis, the entry point of kind \"analysis\""
    );
    assert_eq!(e.code(), "KindMismatch");
    // The right manifest loads it, and it runs through its own entry point.
    let mut plugin = host.load(manifest_of_kind("analysis", "", ""), &wat(&analysis), grants_all()).unwrap();
    assert_eq!(plugin.entry_point(), "pt_run_analysis");
    run(&mut plugin, &graph()).unwrap();
    // Two entry points: refused, both named.
    let two = format!(
        r#"{ABI} (func $r (result i32) i32.const 0) (export "pt_run_layout" (func $r)) (export "pt_run_exporter" (func $r))"#
    );
    let e = host.load(manifest_of_kind("layout", "", ""), &wat(&two), grants_all()).err().unwrap();
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidModule { reason, .. }, .. }
            if reason.contains("2 entry points") && reason.contains("pt_run_layout") && reason.contains("pt_run_exporter")),
        "{e}"
    );
    // A plugin built before host API 1.2 exports `pt_run`: it loads, and the audit trail says its
    // kind was not checked.
    let mut legacy = load(&host, GOOD).unwrap();
    assert_eq!(legacy.entry_point(), "pt_run");
    assert!(legacy.audit().events()[0].detail.contains("its kind is not checked"));
    run(&mut legacy, &graph()).unwrap();
}

#[test]
fn sdk_plugins_export_their_kinds_entry_point() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let (wasm, text) = crate::support::plugin("hostile");
    let real = Manifest::parse(&text).unwrap();
    assert_eq!(real.plugin.kind, PluginKind::Analysis);
    // The hostile analysis plugin, presented under a layout's manifest, is refused.
    let as_layout = Arc::new(Manifest::parse(&text.replace("kind = \"analysis\"", "kind = \"layout\"")).unwrap());
    let e = host.load(as_layout, &wasm, grants_all()).err().unwrap();
    assert!(
        matches!(
            e,
            PluginError {
                kind: ErrorKind::KindMismatch { declared: PluginKind::Layout, found: PluginKind::Analysis, .. },
                ..
            }
        ),
        "{e}"
    );
    assert!(host.load(Arc::new(real), &wasm, grants_all()).is_ok());
}
