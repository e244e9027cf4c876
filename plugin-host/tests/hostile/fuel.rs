//! Fuel: endless loops end in `OutOfFuel` in slices, Cancel stops a call at once, and fuel
//! budgets are checked.

use std::sync::Arc;

use plugin_host::*;
use serde_json::Value;

use crate::common::*;

#[test]
fn infinite_loop_runs_out_of_fuel_in_slices() {
    let host = host();
    let graph = graph();
    let mut plugin = load(&host, r#"(func (export "pt_run") (result i32) (loop $l (br $l)) i32.const 0)"#).unwrap();
    let FailedCall { error, metrics } =
        *plugin.run_to_end(Arc::clone(&graph), &Value::Null, None, no_fetch).unwrap_err();
    assert!(matches!(error, PluginError { kind: ErrorKind::OutOfFuel { fuel: 20_000_000, .. }, .. }), "{error}");
    assert!(metrics.slices >= 20, "the loop must have yielded between slices: {metrics:?}");
    assert!(metrics.fuel_used >= 19_000_000, "{metrics:?}");
    assert!(error.to_string().contains("ran out of fuel"));
    assert_eq!(plugin.audit().events().back().unwrap().kind, AuditKind::LimitHit);
    assert_host_intact(&host, &graph);
}

#[test]
fn loop_in_abi_handshake_runs_out_of_fuel() {
    let host = host();
    let bytes = wat(
        r#"(memory (export "memory") 1) (func (export "pt_abi_version") (result i32) (loop $l (br $l)) i32.const 1)
                      (func (export "pt_run") (result i32) i32.const 0)"#,
    );
    let e = host.load(manifest("", ""), &bytes, Capabilities::default()).err().unwrap();
    assert!(matches!(e, PluginError { kind: ErrorKind::OutOfFuel { .. }, .. }), "{e}");
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
    assert!(matches!(call.cancel(), PluginError { kind: ErrorKind::Cancelled, .. }));
    // The same plugin runs again on a fresh instance.
    let (_, metrics) =
        plugin.run_to_end(Arc::clone(&graph), &serde_json::json!({"spin": false}), None, no_fetch).unwrap();
    assert_eq!(metrics.slices, 1);
    // Parameters are checked before the plugin sees them.
    let e = plugin.start(Arc::clone(&graph), &serde_json::json!({"spin": 1}), None).err().unwrap();
    assert!(matches!(e, PluginError { kind: ErrorKind::Params { .. }, .. }), "{e}");
}

#[test]
fn fuel_budget_overrides_are_checked_and_reset() {
    let host = host();
    let graph = graph();
    let mut plugin = load(&host, r#"(func (export "pt_run") (result i32) (loop $l (br $l)) i32.const 0)"#).unwrap();
    let fuel_of_run = |plugin: &mut LoadedPlugin| match run(plugin, &graph) {
        Err(PluginError { kind: ErrorKind::OutOfFuel { fuel, .. }, .. }) => fuel,
        other => panic!("expected OutOfFuel, got {other:?}"),
    };
    plugin.set_fuel_budget(Some(1000)).unwrap();
    assert_eq!(fuel_of_run(&mut plugin), 1000);
    // Outside 1..=ceiling is a typed error, and the budget stays as it was.
    for bad in [0, 20_000_001, u64::MAX] {
        let e = plugin.set_fuel_budget(Some(bad)).unwrap_err();
        assert_eq!(e, FuelBudgetError { requested: bad, ceiling: 20_000_000 });
        assert_eq!(plugin.fuel_budget(), 1000);
    }
    plugin.set_fuel_budget(Some(20_000_000)).unwrap();
    assert_eq!(fuel_of_run(&mut plugin), 20_000_000, "the ceiling itself is allowed");
    plugin.set_fuel_budget(Some(5000)).unwrap();
    plugin.set_fuel_budget(None).unwrap();
    assert_eq!(fuel_of_run(&mut plugin), 20_000_000, "back to the manifest's (here: the ceiling)");
}

#[test]
fn a_policy_that_leaves_no_fuel_is_refused() {
    let e = PluginHost::new(HostPolicy { fuel_ceiling: 0, ..HostPolicy::default() }).err().unwrap();
    assert_eq!(e.to_string(), "host policy: fuel_ceiling is 0, but it must be at least 1");
    assert!(PluginHost::new(HostPolicy { slice_fuel: 0, ..HostPolicy::default() }).is_err());
}
