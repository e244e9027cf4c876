//! Host work is metered: every host function pays fuel for what it decodes, copies or stores
//! before it does it, so a loop of host calls runs out of fuel as a loop of instructions would,
//! and Cancel (which acts between slices) is never held up by unpaid host work.

use std::sync::Arc;

use isg::synth::{SynthSpec, generate};
use plugin_host::*;
use serde_json::Value;

use crate::common::*;

fn big_graph() -> Arc<GraphInput> {
    Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes: 5_000, edges: 12_000, seed: 11 }))))
}

/// Calls `pt_viz.set_node_styles` with a whole graph's worth of records, forever.
const STYLE_LOOP: &str = r#"
    (import "pt_isg" "node_count" (func $nodes (result i32)))
    (import "pt_viz" "set_node_styles" (func $styles (param i32 i32)))
    (func (export "pt_run") (result i32)
      (loop $l (call $styles (i32.const 0) (call $nodes)) (br $l))
      i32.const 0)"#;

fn style_loop_plugin(host: &PluginHost) -> LoadedPlugin {
    let module = wat(&format!(
        r#"{STYLE_LOOP} (memory (export "memory") 2) (func (export "pt_abi_version") (result i32) i32.const 1)"#
    ));
    host.load(manifest(&all_caps(), ""), &module, grants_all()).expect("loads")
}

#[test]
fn a_loop_of_bulk_host_calls_pays_for_the_records() {
    let host = host();
    let graph = big_graph();
    let mut plugin = style_loop_plugin(&host);
    let FailedCall { error, metrics } =
        *plugin.run_to_end(Arc::clone(&graph), &Value::Null, None, no_fetch).unwrap_err();
    assert!(matches!(error, PluginError { kind: ErrorKind::OutOfFuel { fuel: 20_000_000, .. }, .. }), "{error}");
    assert!(metrics.fuel_used <= 20_000_000, "{metrics:?}");
    // 5,000 records of 12 bytes cost far more than the few instructions of the call: the budget
    // pays for a few hundred calls, not the millions an unmetered host would allow.
    assert!(metrics.host_calls < 600, "{} host calls for 20 M fuel", metrics.host_calls);
    assert!(metrics.host_calls > 10, "{metrics:?}");
}

#[test]
fn host_work_beyond_the_slice_is_booked_and_beyond_the_budget_refused() {
    // Slices far smaller than one call's host work: the work is taken from the rest of the budget.
    let host = PluginHost::new(HostPolicy { slice_fuel: 1_000, ..HostPolicy::default() }).unwrap();
    let graph = big_graph();
    let once = r#"
        (import "pt_isg" "node_count" (func $nodes (result i32)))
        (import "pt_viz" "set_positions" (func $set (param i32 i32)))
        (memory (export "memory") 1) (func (export "pt_abi_version") (result i32) i32.const 1)
        (func (export "pt_run") (result i32) (call $set (i32.const 0) (call $nodes)) i32.const 0)"#;
    let mut plugin = host.load(manifest(&all_caps(), ""), &wat(once), grants_all()).unwrap();
    let (out, metrics) = plugin.run_to_end(Arc::clone(&graph), &Value::Null, None, no_fetch).unwrap();
    assert_eq!(out.positions.map(|p| p.len()), Some(5_000));
    assert!(metrics.fuel_used > 10_000, "40 KB of positions cost more than the slice: {metrics:?}");
    // The same call under a budget smaller than its host work never does the work.
    plugin.set_fuel_budget(Some(5_000)).unwrap();
    let FailedCall { error, metrics } = *plugin.run_to_end(graph, &Value::Null, None, no_fetch).unwrap_err();
    assert!(matches!(error, PluginError { kind: ErrorKind::OutOfFuel { fuel: 5_000, .. }, .. }), "{error}");
    assert!(metrics.fuel_used <= 5_000, "{metrics:?}");
    assert_eq!(plugin.audit().events().back().map(|e| e.kind), Some(AuditKind::LimitHit));
}

#[test]
fn every_host_call_costs_more_than_its_call_instruction() {
    let host = host();
    let graph = graph();
    let mut plugin = load(
        &host,
        r#"(import "pt_core" "progress" (func $p (param i32 i32)))
           (func (export "pt_run") (result i32) (loop $l (call $p (i32.const 1) (i32.const 2)) (br $l)) i32.const 0)"#,
    )
    .unwrap();
    let FailedCall { metrics, .. } = *plugin.run_to_end(graph, &Value::Null, None, no_fetch).unwrap_err();
    assert!(metrics.host_calls * 50 < metrics.fuel_used, "{metrics:?}");
}
