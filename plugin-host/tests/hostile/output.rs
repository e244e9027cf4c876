//! Output: every record counts against the cap by its footprint, malformed output is refused,
//! pointers are bounds-checked, and exported files get safe names and host-chosen types.

use std::sync::Arc;

use plugin_host::*;
use serde_json::Value;

use crate::common::*;

#[test]
fn good_plugin_runs_with_metrics_and_audit() {
    let host = host();
    let graph = graph();
    let mut plugin = load(&host, GOOD).unwrap();
    let (out, metrics) = plugin.run_to_end(Arc::clone(&graph), &Value::Null, None, no_fetch).unwrap();
    assert_eq!(out.positions.unwrap().to_vec()[49], [49.0, 98.0]);
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
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason.contains("1 MiB")),
        "{e}"
    );
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
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason == "3 positions for 50 nodes"),
        "{e}"
    );
    // NaN positions.
    let e = run_error(
        r#"(import "pt_isg" "node_count" (func $nodes (result i32)))
                         (import "pt_viz" "set_positions" (func $set (param i32 i32)))
                         (func (export "pt_run") (result i32) (f32.store (i32.const 16) (f32.div (f32.const 0) (f32.const 0)))
                           (call $set (i32.const 0) (call $nodes)) i32.const 0)"#,
    );
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason.contains("node 2 is not finite")),
        "{e}"
    );
    // A bad overlay.
    let e = run_error(
        r#"(import "pt_viz" "add_overlay" (func $o (param i32 i32))) (data (i32.const 0) "{\"type\":\"blob\"}")
                         (func (export "pt_run") (result i32) (call $o (i32.const 0) (i32.const 15)) i32.const 0)"#,
    );
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason.contains("blob")),
        "{e}"
    );
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
            PluginError {
                kind: ErrorKind::BadPointer {
                    function: "pt_viz.set_positions",
                    ptr: 0xffff_0000,
                    len: 400,
                    memory: 65536,
                    ..
                },
                ..
            }
        ),
        "{e}"
    );
    let e = run_error(
        r#"(import "pt_isg" "read_edges" (func $edges (param i32 i32 i32) (result i32)))
                         (func (export "pt_run") (result i32) (drop (call $edges (i32.const 65530) (i32.const 0) (i32.const 100))) i32.const 0)"#,
    );
    assert!(matches!(e, PluginError { kind: ErrorKind::BadPointer { function: "pt_isg.read_edges", .. }, .. }), "{e}");
    // A negative length is a huge unsigned one, not a wrap-around.
    let e = run_error(
        r#"(import "pt_core" "log" (func $log (param i32 i32 i32)))
                         (func (export "pt_run") (result i32) (call $log (i32.const 0) (i32.const 8) (i32.const -1)) i32.const 0)"#,
    );
    assert!(matches!(e, PluginError { kind: ErrorKind::BadPointer { len: 4_294_967_295, .. }, .. }), "{e}");
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

/// Output flood: calls `call` forever (its arguments point at `data`), under a 1 MiB output cap.
fn flood(import: &str, call: &str, data: &str) -> (PluginError, CallMetrics) {
    let host = PluginHost::new(HostPolicy { max_output_bytes: 1 << 20, ..HostPolicy::default() }).unwrap();
    let body = format!(
        r#"{import} (data (i32.const 1000) "{data}")
           (func (export "pt_run") (result i32) (local $i i32)
             (loop $l {call} (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)) i32.const 0)"#
    );
    let mut plugin = load(&host, &body).unwrap();
    let failed = plugin.run_to_end(graph(), &Value::Null, None, no_fetch).unwrap_err();
    (failed.error, failed.metrics)
}

#[test]
fn empty_records_count_against_the_output_cap() {
    let cases = [
        (
            r#"(import "pt_core" "emit_finding" (func $f (param i32 i32 i32 i32 i32)))"#,
            "(call $f (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))",
            "",
        ),
        (
            r#"(import "pt_core" "emit_file" (func $f (param i32 i32 i32 i32 i32 i32)))"#,
            "(call $f (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))",
            "",
        ),
        (
            r#"(import "pt_viz" "add_overlay" (func $f (param i32 i32)))"#,
            "(call $f (i32.const 1000) (i32.const LEN))",
            r##"{\"type\":\"hull\",\"nodes\":[],\"color\":\"#ffffff\"}"##,
        ),
    ];
    for (import, call, data) in cases {
        let call = call.replace("LEN", &data.replace('\\', "").len().to_string());
        let (e, metrics) = flood(import, &call, data);
        assert!(
            matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason.contains("1 MiB")),
            "{call}: {e}"
        );
        // Each record costs at least its struct, so a 1 MiB cap holds thousands, not millions.
        assert!(metrics.host_calls < 20_000, "{call}: {} records fit in 1 MiB", metrics.host_calls);
        assert!(metrics.output_bytes <= 1 << 20, "{metrics:?}");
    }
}

#[test]
fn replaced_arrays_and_labels_do_not_pile_up() {
    let host = PluginHost::new(HostPolicy { max_output_bytes: 1 << 20, ..HostPolicy::default() }).unwrap();
    // 20,000 times: the same 2 KB label on node 0, and all 50 positions again.
    let body = r#"(import "pt_viz" "set_label" (func $label (param i32 i32 i32)))
                  (import "pt_viz" "set_positions" (func $set (param i32 i32)))
                  (func (export "pt_run") (result i32) (local $i i32)
                    (loop $l
                      (call $label (i32.const 0) (i32.const 0) (i32.const 2000))
                      (call $set (i32.const 4096) (i32.const 50))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $i) (i32.const 20000))))
                    i32.const 0)"#;
    let mut plugin = load(&host, body).unwrap();
    let (out, metrics) = plugin.run_to_end(graph(), &Value::Null, None, no_fetch).unwrap();
    assert_eq!(out.labels.len(), 1);
    assert!(metrics.output_bytes < 4096, "{metrics:?}");
}

#[test]
fn exported_files_get_safe_names_and_host_chosen_types() {
    let host = host();
    let body = r#"(import "pt_core" "emit_file" (func $f (param i32 i32 i32 i32 i32 i32)))
                  (data (i32.const 0) "../../report\e2\80\ae.html")
                  (data (i32.const 100) "text/html")
                  (data (i32.const 200) "graph.dot")
                  (data (i32.const 300) "<script>alert(1)</script>")
                  (func (export "pt_run") (result i32)
                    (call $f (i32.const 0) (i32.const 20) (i32.const 100) (i32.const 9) (i32.const 300) (i32.const 25))
                    (call $f (i32.const 200) (i32.const 9) (i32.const 100) (i32.const 9) (i32.const 300) (i32.const 25))
                    i32.const 0)"#;
    let mut plugin =
        host.load(manifest_of_kind("exporter", "", ""), &wat(&format!("{body} {ABI}")), grants_all()).unwrap();
    let out = run(&mut plugin, &graph()).unwrap();
    let files: Vec<(&str, &str)> = out.files.iter().map(|f| (f.name.as_str(), f.mime.as_str())).collect();
    assert_eq!(files, [("report_.html", "application/octet-stream"), ("graph.dot", "text/vnd.graphviz")]);
    assert_eq!(out.files[0].bytes, b"<script>alert(1)</script>", "the bytes are the plugin's, as data");
}

/// `(data …)` text for encoded edge routes.
fn wat_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:02x}")).collect()
}

fn routes_body(bytes: &[u8]) -> String {
    format!(
        r#"(import "pt_viz" "set_edge_routes" (func $r (param i32 i32))) (data (i32.const 0) "{}")
           (func (export "pt_run") (result i32) (call $r (i32.const 0) (i32.const {})) i32.const 0)"#,
        wat_bytes(bytes),
        bytes.len()
    )
}

#[test]
fn edge_routes_are_checked_and_kept_as_written() {
    let routes = vec![abi::EdgeRoute { edge: 3, bends: vec![[1.0, 2.0], [3.0, 4.0]] }];
    let bytes = abi::encode_edge_routes(&routes);
    let host = host();
    let graph = graph();
    let mut plugin = load(&host, &routes_body(&bytes)).unwrap();
    let out = run(&mut plugin, &graph).unwrap();
    let kept = out.edge_routes.as_ref().expect("routes kept");
    assert_eq!(kept.as_bytes(), &bytes[..], "as the plugin wrote them");
    assert_eq!(kept.decode(), routes);
    assert!(out.summary().contains("1 routed edges"), "{}", out.summary());

    let edges = graph.edge_count();
    let bad = [
        (
            abi::encode_edge_routes(&[abi::EdgeRoute { edge: edges as u32, bends: vec![] }]),
            format!("names edge {edges}"),
        ),
        (abi::encode_edge_routes(&[routes[0].clone(), routes[0].clone()]), "routed twice".to_owned()),
        (
            abi::encode_edge_routes(&[abi::EdgeRoute { edge: 1, bends: vec![[f32::INFINITY, 0.0]] }]),
            "not a finite".to_owned(),
        ),
        (bytes[..bytes.len() - 3].to_vec(), "end inside the route".to_owned()),
    ];
    for (bytes, want) in bad {
        let e = run_error(&routes_body(&bytes));
        assert!(
            matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason.contains(&want)),
            "{want}: {e}"
        );
    }
}

#[test]
fn a_route_flood_ends_at_the_output_cap() {
    // One route with a bend count far beyond the bytes behind it, then routes re-set in a loop:
    // the lie is refused before anything is allocated, and re-setting does not pile up.
    let mut lying = 0u32.to_le_bytes().to_vec();
    lying.extend_from_slice(&u32::MAX.to_le_bytes());
    let e = run_error(&routes_body(&lying));
    assert!(matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { .. }, .. }), "{e}");
    let host = PluginHost::new(HostPolicy { max_output_bytes: 1 << 20, ..HostPolicy::default() }).unwrap();
    let graph = graph();
    let body = r#"(import "pt_viz" "set_edge_routes" (func $r (param i32 i32)))
                  (func (export "pt_run") (result i32) (local $i i32)
                    (loop $l
                      (call $r (i32.const 0) (i32.const 8))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $i) (i32.const 20000))))
                    i32.const 0)"#;
    let mut plugin = load(&host, body).unwrap();
    let (out, metrics) = plugin.run_to_end(Arc::clone(&graph), &Value::Null, None, no_fetch).unwrap();
    assert_eq!(out.edge_routes.map(|r| r.routes()), Some(1), "edge 0, no bends, the last one set");
    assert!(metrics.output_bytes < 4096, "replaced routes give their room back: {metrics:?}");
}

#[test]
fn finding_edges_are_checked_and_attach_to_the_last_finding() {
    let host = host();
    let graph = graph();
    let edges = graph.graph().edge_count() as u32;
    let finding = r#"(import "pt_core" "emit_finding" (func $finding (param i32 i32 i32 i32 i32)))
                     (import "pt_core" "mark_finding_edges" (func $mark (param i32 i32)))"#;
    // Edges 2 and 5 on the second finding; the first keeps none.
    let body = format!(
        r#"{finding} (data (i32.const 0) "\02\00\00\00\05\00\00\00")
           (func (export "pt_run") (result i32)
             (call $finding (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
             (call $finding (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
             (call $mark (i32.const 0) (i32.const 2))
             i32.const 0)"#
    );
    let mut plugin = load(&host, &body).unwrap();
    let out = run(&mut plugin, &graph).unwrap();
    assert!(out.findings[0].edges.is_empty());
    assert_eq!(out.findings[1].edges, [2, 5]);
    // Before any finding, an edge that does not exist, and a range past memory are all refused.
    let before = format!(
        r#"{finding} (func (export "pt_run") (result i32) (call $mark (i32.const 0) (i32.const 1)) i32.const 0)"#
    );
    let e = run_error(&before);
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason.contains("before any emit_finding")),
        "{e}"
    );
    let missing = format!(
        r#"{finding} (func (export "pt_run") (result i32)
             (i32.store (i32.const 0) (i32.const {edges}))
             (call $finding (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
             (call $mark (i32.const 0) (i32.const 1)) i32.const 0)"#
    );
    let e = run_error(&missing);
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::InvalidOutput { reason, .. }, .. } if reason.contains(&format!("edge {edges} does not exist"))),
        "{e}"
    );
    let huge = format!(
        r#"{finding} (func (export "pt_run") (result i32)
             (call $finding (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
             (call $mark (i32.const 0) (i32.const -1)) i32.const 0)"#
    );
    let e = run_error(&huge);
    assert!(
        matches!(e, PluginError { kind: ErrorKind::BadPointer { function: "pt_core.mark_finding_edges", .. }, .. }),
        "{e}"
    );
}

#[test]
fn positions_on_screen_are_read_only_when_given_for_that_call() {
    let host = host();
    let graph = graph();
    let n = graph.node_count();
    // Reads positions 2 and 3 (four floats) and reports, as message lengths, the first x read
    // (x = 7.0 gives a 7-byte message) and what read_positions returned, plus one.
    let body = r#"(import "pt_isg" "read_positions" (func $pos (param i32 i32 i32) (result i32)))
                  (import "pt_core" "emit_finding" (func $finding (param i32 i32 i32 i32 i32)))
                  (data (i32.const 300) "abcdefghijklmnop")
                  (func (export "pt_run") (result i32) (local $got i32)
                    (local.set $got (call $pos (i32.const 0) (i32.const 2) (i32.const 2)))
                    (if (i32.ge_s (local.get $got) (i32.const 1)) (then
                      (call $finding (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 300)
                        (i32.trunc_f32_s (f32.load (i32.const 0))))))
                    (call $finding (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 300)
                      (i32.add (local.get $got) (i32.const 1)))
                    i32.const 0)"#;
    let mut plugin = load(&host, body).unwrap();
    let returned = |out: &RunOutput| out.findings.last().unwrap().message.len() as i32 - 1;
    // None given: −1.
    let out = run(&mut plugin, &graph).unwrap();
    assert_eq!(returned(&out), -1);
    // Given, one per node: two positions copied, the first x read back.
    let positions: Vec<[f32; 2]> = (0..n).map(|i| [i as f32 + 5.0, 0.5]).collect();
    plugin.set_view_positions(Some(Arc::new(positions.clone())));
    let out = run(&mut plugin, &graph).unwrap();
    assert_eq!(returned(&out), 2);
    assert_eq!(out.findings[0].message.len(), 7, "position 2's x is 7.0");
    // Only for that call; and positions of the wrong length are ignored.
    assert_eq!(returned(&run(&mut plugin, &graph).unwrap()), -1);
    plugin.set_view_positions(Some(Arc::new(positions[..n - 1].to_vec())));
    assert_eq!(returned(&run(&mut plugin, &graph).unwrap()), -1);
}

#[test]
fn view_flags_are_read_only_when_given_and_only_of_the_right_length() {
    let host = host();
    let graph = graph();
    let n = graph.node_count();
    // Reports, as message lengths, flag 3 (plus one) and what read_view_flags returned (plus one).
    let body = r#"(import "pt_isg" "read_view_flags" (func $flags (param i32 i32 i32) (result i32)))
                  (import "pt_core" "emit_finding" (func $finding (param i32 i32 i32 i32 i32)))
                  (data (i32.const 300) "abcdefghijklmnop")
                  (func (export "pt_run") (result i32) (local $got i32)
                    (local.set $got (call $flags (i32.const 0) (i32.const 0) (i32.const 100000)))
                    (call $finding (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 300)
                      (i32.add (i32.load8_u (i32.const 3)) (i32.const 1)))
                    (call $finding (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 300)
                      (i32.and (i32.add (local.get $got) (i32.const 1)) (i32.const 15)))
                    i32.const 0)"#;
    let mut plugin = load(&host, body).unwrap();
    let lengths = |out: &RunOutput| (out.findings[0].message.len(), out.findings[1].message.len());
    assert_eq!(lengths(&run(&mut plugin, &graph).unwrap()).1, 0, "none given: −1");
    let mut flags = vec![0u8; n];
    flags[3] = abi::VIEW_SHOWN | abi::VIEW_SELECTED;
    plugin.set_view_flags(Some(Arc::new(flags.clone())));
    // All n flags copied (a count past the end is cut to the graph), flag 3 read back as 3.
    assert_eq!(lengths(&run(&mut plugin, &graph).unwrap()), (4, (n + 1) & 15));
    plugin.set_view_flags(Some(Arc::new(flags[1..].to_vec())));
    assert_eq!(lengths(&run(&mut plugin, &graph).unwrap()).1, 0, "the wrong length is ignored");
}
