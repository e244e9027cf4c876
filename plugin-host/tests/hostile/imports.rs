//! Imports and the network: ungranted and unknown imports fail at load; fetches go through the
//! host, only to public hosts on the allow-list.

use std::sync::Arc;

use plugin_host::*;
use serde_json::Value;

use crate::common::*;

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
        PluginError::new(
            "case@1.0.0",
            ErrorKind::CapabilityDenied { import: "pt_isg.node_count".into(), capability: Some(Capability::ReadIsg) }
        )
    );
    assert_eq!(
        e.to_string(),
        "plugin case@1.0.0 imports pt_isg.node_count, which needs the read_isg capability, and it was not granted"
    );
    // The fast lane checks imports with the same code, before any rewrite.
    #[cfg(feature = "wasmtime")]
    for metering in [lane::Metering::Injected, lane::Metering::Engine] {
        let fast = host.load_fast(manifest("read_isg = true", ""), &wat(&body), Capabilities::default(), metering);
        assert_eq!(fast.err(), Some(e.clone()), "{metering:?}");
    }
    // Granted by the user but never requested in the manifest.
    let e = host.load(manifest("", ""), &wat(&body), grants_all()).err().unwrap();
    assert!(
        matches!(
            e,
            PluginError { kind: ErrorKind::CapabilityDenied { capability: Some(Capability::ReadIsg), .. }, .. }
        ),
        "{e}"
    );
    for import in [r#""env" "abort""#, r#""pt_isg" "read_everything""#, r#""wasi_snapshot_preview1" "fd_write""#] {
        let body = format!(r#"(import {import} (func)) {ABI} (func (export "pt_run") (result i32) i32.const 0)"#);
        let e = host.load(manifest(&all_caps(), ""), &wat(&body), grants_all()).err().unwrap();
        assert!(
            matches!(e, PluginError { kind: ErrorKind::CapabilityDenied { capability: None, .. }, .. }),
            "{import}: {e}"
        );
        assert!(e.to_string().contains("which no capability provides"), "{e}");
    }
    // An imported memory.
    let body = r#"(import "pt_core" "memory" (memory 1)) (func (export "pt_abi_version") (result i32) i32.const 1) (func (export "pt_run") (result i32) i32.const 0)"#;
    let e = host.load(manifest("", ""), &wat(body), grants_all()).err().unwrap();
    assert!(matches!(e, PluginError { kind: ErrorKind::InvalidModule { .. }, .. }), "{e}");
    assert_host_intact(&host, &graph());
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
    assert!(kinds.contains(&AuditKind::Denied) && kinds.contains(&AuditKind::CapabilityUse), "{kinds:?}");
}

#[test]
fn allow_lists_name_public_hosts_only() {
    let body = format!(r#"{ABI} (func (export "pt_run") (result i32) i32.const 0)"#);
    let text = |entry: &str| {
        format!(
            "[plugin]\nname = \"net\"\nversion = \"1.0.0\"\nauthor = \"t\"\ndescription = \"d\"\nkind = \"layout\"\n\
             host_api = \"^1\"\n[capabilities]\nnetwork_access = true\n[network]\nallow = [\"{entry}\"]\n"
        )
    };
    for entry in ["localhost", "127.0.0.1", "169.254.169.254", "10.1.2.3", "0", "..", "printer.local", "intranet"] {
        let e = Manifest::parse(&text(entry)).unwrap_err();
        assert!(matches!(e, ManifestError::BadAllowEntry { .. }), "{entry}: {e}");
    }
    // A manifest read under development rules may list localhost, but a host whose policy does
    // not allow loopback still refuses it at load.
    let dev = Arc::new(Manifest::parse_with(&text("localhost"), NetworkRules { allow_loopback: true }).unwrap());
    let e = host().load(Arc::clone(&dev), &wat(&body), grants_all()).err().unwrap();
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidModule { reason, .. }, .. } if reason.contains("loopback")),
        "{e}"
    );
    let dev_host = PluginHost::new(HostPolicy { allow_loopback_fetch: true, ..HostPolicy::default() }).unwrap();
    assert!(dev_host.load(dev, &wat(&body), grants_all()).is_ok());
}
