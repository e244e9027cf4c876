//! The fast lane against the interpreter: every first-party plugin computes the same output when
//! its module is metered and compiled (wasmtime with injected fuel, as the browser runs it, and
//! wasmtime with its own fuel, as the CLI runs it), and every hostile case ends in the same typed
//! error in every lane. Prints the fuel each lane counted, so the units can be compared.
#![allow(clippy::print_stdout, reason = "the fuel table is the figure the fast-lane issue asks for")]

#[path = "../support/mod.rs"]
mod support;

use std::sync::Arc;

use isg::synth::{SynthSpec, generate};
use plugin_host::lane::{Lane, Metering, Trust, WasmtimeRunner, choose_lane, meter};
use plugin_host::{
    CallMetrics, Capabilities, Capability, GraphInput, HostPolicy, Manifest, PluginError, PluginHost, RunOutput,
};
use serde_json::{Value, json};

type Outcome = Result<(RunOutput, CallMetrics), PluginError>;

const LANES: [&str; 3] = ["wasmi", "wasmtime, injected fuel", "wasmtime, own fuel"];

fn host() -> PluginHost {
    PluginHost::new(HostPolicy { fuel_ceiling: 2_000_000_000, memory_ceiling: 64 << 20, ..HostPolicy::default() })
        .expect("host starts")
}

fn graph(nodes: usize) -> Arc<GraphInput> {
    synthetic(nodes, nodes * 3, 11)
}

fn synthetic(nodes: usize, edges: usize, seed: u64) -> Arc<GraphInput> {
    Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes, edges, seed }))))
}

/// axum as the analyzer exported it.
fn axum() -> Arc<GraphInput> {
    let path = support::repo_root().join("../shared/isg-samples/v1-isg_data/axum-0.8.3.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let loaded = isg::load(&[isg::SourceFile { name: "axum-0.8.3.json", bytes: &bytes }]).expect("axum loads");
    Arc::new(GraphInput::new(Arc::new(loaded.graph)))
}

fn all() -> Capabilities {
    Capability::ALL.into_iter().collect()
}

/// Runs one call of the plugin in each lane.
fn run_everywhere(
    manifest: &Arc<Manifest>,
    wasm: &[u8],
    graph: &Arc<GraphInput>,
    params: &Value,
    fuel: Option<u64>,
) -> [Outcome; 3] {
    let host = host();
    // One runner per thread: a plugin compiled once serves every case of the test.
    thread_local!(static RUNNER: WasmtimeRunner = WasmtimeRunner::new().expect("wasmtime starts"));
    let wasmi = host.load(Arc::clone(manifest), wasm, all()).and_then(|mut p| {
        p.set_fuel_budget(fuel).expect("budget within the ceiling");
        p.run_to_end(Arc::clone(graph), params, None, |_| unreachable!("no fetches")).map_err(|f| f.error)
    });
    let fast = |metering| {
        host.load_fast(Arc::clone(manifest), wasm, all(), metering).and_then(|mut p| {
            p.set_fuel_budget(fuel).expect("budget within the ceiling");
            RUNNER.with(|runner| runner.run(&mut p, Arc::clone(graph), params, None)).map_err(|f| f.error)
        })
    };
    [wasmi, fast(Metering::Injected), fast(Metering::Engine)]
}

fn output_bytes(output: &RunOutput) -> Vec<Vec<u8>> {
    vec![
        output.positions.as_ref().map(|r| r.as_bytes().to_vec()).unwrap_or_default(),
        output.node_styles.as_ref().map(|r| r.as_bytes().to_vec()).unwrap_or_default(),
        output.edge_styles.as_ref().map(|r| r.as_bytes().to_vec()).unwrap_or_default(),
        output.edge_marks.as_ref().map(|r| r.as_bytes().to_vec()).unwrap_or_default(),
        output.edge_routes.as_ref().map(|r| r.as_bytes().to_vec()).unwrap_or_default(),
        serde_json::to_vec(&output.findings).expect("findings serialise"),
        output.metrics.iter().flat_map(|m| m.values.iter().flat_map(|v| v.to_bits().to_le_bytes())).collect(),
        output.files.iter().flat_map(|f| f.bytes.clone()).collect(),
        serde_json::to_vec(&output.labels).expect("labels serialise"),
    ]
}

#[test]
fn first_party_plugins_compute_the_same_in_every_lane() {
    let plugins = [
        "circle-layout",
        "force-layout",
        "grouped-layout",
        "layered-layout",
        "radial-layout",
        "module-colors",
        "style-by-kind",
        "uml-view",
        "tangles",
        "smells",
        "hotspots",
        "module-metrics",
        "communities",
        "patterns",
        "unreferenced",
        "start-here",
        "graph-export",
    ];
    let mut ratios = Vec::new();
    println!(
        "{:<16} {:>7} {:>14} {:>14} {:>8} {:>14} {:>8}",
        "plugin", "nodes", "wasmi fuel", "injected", "ratio", "wasmtime's", "ratio"
    );
    // Three graphs of other sizes and shapes, and a real export: the same bytes every time.
    let graphs = [graph(400), synthetic(1_500, 2_000, 5), synthetic(60, 400, 9), axum()];
    for (name, graph) in plugins.iter().flat_map(|name| graphs.iter().map(move |g| (*name, g))) {
        let (wasm, text) = support::plugin(name);
        let manifest = Arc::new(Manifest::parse(&text).expect("first-party manifest parses"));
        let [wasmi, injected, own] = run_everywhere(&manifest, &wasm, graph, &json!({}), None);
        let (reference, wasmi_metrics) = wasmi.unwrap_or_else(|e| panic!("{name} in wasmi: {e}"));
        let reference = output_bytes(&reference);
        let mut fuel = Vec::new();
        for (lane, outcome) in LANES[1..].iter().zip([injected, own]) {
            let (output, metrics) = outcome.unwrap_or_else(|e| panic!("{name} in {lane}: {e}"));
            assert!(output_bytes(&output) == reference, "{name}: {lane} computed another output than wasmi");
            fuel.push(metrics.fuel_used);
        }
        let ratio = |f: u64| f as f64 / wasmi_metrics.fuel_used.max(1) as f64;
        println!(
            "{name:<16} {:>7} {:>14} {:>14} {:>8.2} {:>14} {:>8.2}",
            graph.node_count(),
            wasmi_metrics.fuel_used,
            fuel[0],
            ratio(fuel[0]),
            fuel[1],
            ratio(fuel[1])
        );
        // One budget means about the same in both lanes.
        ratios.push((name, ratio(fuel[0])));
    }
    // One budget means about the same in both lanes: the typical plugin within 2× either way, and
    // none off by an order of magnitude (which would be a meter charging nothing, or far too much).
    ratios.sort_by(|a, b| a.1.total_cmp(&b.1));
    let median = ratios[ratios.len() / 2].1;
    println!("injected / wasmi fuel: median {median:.2}, from {:.2} to {:.2}", ratios[0].1, ratios[ratios.len() - 1].1);
    assert!((0.5..=2.0).contains(&median), "the median plugin's injected fuel is {median:.2} × wasmi's");
    for (name, ratio) in ratios {
        assert!((0.1..=10.0).contains(&ratio), "{name}: injected fuel is {ratio:.2} × wasmi's");
    }
}

fn hostile(mode: &str, fuel: Option<u64>) -> [Outcome; 3] {
    let (wasm, text) = support::plugin("hostile");
    let manifest = Arc::new(Manifest::parse(&text).expect("hostile manifest parses"));
    run_everywhere(&manifest, &wasm, &graph(50), &json!({ "mode": mode }), fuel)
}

fn codes(outcomes: &[Outcome; 3]) -> Vec<String> {
    outcomes.iter().map(|o| o.as_ref().map_or_else(|e| e.code().to_owned(), |_| "Ok".to_owned())).collect()
}

#[test]
fn hostile_plugins_end_in_the_same_typed_error_in_every_lane() {
    for (mode, fuel, code) in [
        ("spin", Some(20_000_000), "OutOfFuel"),
        ("alloc-bomb", None, "MemoryLimit"),
        ("recursion", None, "StackOverflow"),
        ("panic", None, "Trap"),
        ("style-flood", Some(5_000_000), "OutOfFuel"),
        ("behave", None, "Ok"),
    ] {
        let outcomes = hostile(mode, fuel);
        assert_eq!(codes(&outcomes), vec![code; 3], "{mode}: {outcomes:?}");
        if let [Err(wasmi), Err(injected), Err(own)] = &outcomes {
            println!("{mode}: {wasmi}\n  injected: {injected}\n  wasmtime's: {own}");
            if code == "OutOfFuel" || code == "MemoryLimit" {
                assert_eq!(
                    injected.to_string(),
                    wasmi.to_string(),
                    "{mode}: the fast lane words it as the interpreter does"
                );
            }
        }
    }
}

fn case_manifest(capabilities: &str) -> Arc<Manifest> {
    let text = format!(
        "[plugin]\nname = \"case\"\nversion = \"1.0.0\"\nauthor = \"tests\"\ndescription = \"a test case\"\n\
         kind = \"layout\"\nhost_api = \"^1\"\n[capabilities]\n{capabilities}\n"
    );
    Arc::new(Manifest::parse(&text).expect("test manifest parses"))
}

fn wat_case(body: &str, capabilities: &str) -> [Outcome; 3] {
    let wasm = wat::parse_str(format!(
        r#"(module {body} (memory (export "memory") 1) (func (export "pt_abi_version") (result i32) i32.const 1))"#
    ))
    .expect("test WAT assembles");
    run_everywhere(&case_manifest(capabilities), &wasm, &graph(20), &json!({}), Some(10_000_000))
}

#[test]
fn inline_cases_end_in_the_same_typed_error_in_every_lane() {
    let cases = [
        (
            "endless loop",
            r#"(func (export "pt_run_layout") (result i32) (loop $l (br $l)) i32.const 0)"#,
            "",
            "OutOfFuel",
        ),
        (
            "endless memory.fill",
            r#"(func (export "pt_run_layout") (result i32) (loop $l (memory.fill (i32.const 0) (i32.const 1) (i32.const 65536)) (br $l)) i32.const 0)"#,
            "",
            "OutOfFuel",
        ),
        (
            "growing past the ceiling",
            r#"(func (export "pt_run_layout") (result i32) (drop (memory.grow (i32.const 4096))) i32.const 0)"#,
            "",
            "MemoryLimit",
        ),
        (
            "an ungranted import",
            r#"(import "pt_viz" "set_positions" (func $set (param i32 i32))) (func (export "pt_run_layout") (result i32) i32.const 0)"#,
            "read_isg = true",
            "CapabilityDenied",
        ),
        (
            "a pointer outside memory",
            r#"(import "pt_core" "log" (func $log (param i32 i32 i32))) (func (export "pt_run_layout") (result i32) (call $log (i32.const 1) (i32.const 65530) (i32.const 100)) i32.const 0)"#,
            "",
            "BadPointer",
        ),
        (
            "positions of the wrong length",
            r#"(import "pt_viz" "set_positions" (func $set (param i32 i32))) (func (export "pt_run_layout") (result i32) (call $set (i32.const 0) (i32.const 3)) i32.const 0)"#,
            "write_visualization = true",
            "InvalidOutput",
        ),
        (
            "a start function",
            r#"(func $s) (start $s) (func (export "pt_run_layout") (result i32) i32.const 0)"#,
            "",
            "InvalidModule",
        ),
        (
            "a table bomb",
            r#"(table 1 funcref) (func (export "pt_run_layout") (result i32) (drop (table.grow (ref.null func) (i32.const 200000))) i32.const 0)"#,
            "",
            "MemoryLimit",
        ),
        ("unreachable", r#"(func (export "pt_run_layout") (result i32) unreachable)"#, "", "Trap"),
    ];
    for (name, body, capabilities, code) in cases {
        let outcomes = wat_case(body, capabilities);
        assert_eq!(codes(&outcomes), vec![code; 3], "{name}: {outcomes:?}");
        if let [Err(wasmi), Err(injected), Err(own)] = &outcomes
            && code == "MemoryLimit"
        {
            assert_eq!(injected.to_string(), wasmi.to_string(), "{name}: worded as the interpreter words it");
            assert_eq!(own.to_string(), wasmi.to_string(), "{name}: worded as the interpreter words it");
        }
    }
}

#[test]
fn only_trusted_plugins_without_fetches_take_the_fast_lane() {
    let none = Capabilities::default();
    assert_eq!(choose_lane(&Trust::None, none).lane, Lane::Interpreter);
    assert_eq!(choose_lane(&Trust::Hand, none).lane, Lane::Fast);
    let publisher = Trust::Publisher { key: "RWQ1".into() };
    assert_eq!(choose_lane(&publisher, none).lane, Lane::Fast);
    assert!(choose_lane(&publisher, none).reason.starts_with("signed by RWQ1, a publisher you trust"));
    assert_eq!(choose_lane(&Trust::Hand, all()).lane, Lane::Interpreter);
    assert!(choose_lane(&Trust::Hand, all()).reason.contains("fetch"));
}

#[test]
fn the_rewrite_refuses_what_it_cannot_meter_and_caps_memory() {
    let limits = meter::MeterLimits { memory_bytes: 1 << 20, table_elements: 10 };
    let module = |body: &str| wat::parse_str(format!("(module {body})")).expect("WAT assembles");
    let err = meter::instrument(&module(r#"(memory 32)"#), limits).expect_err("2 MiB start");
    assert!(err.to_string().contains("starts at 2 MiB, over the 1 MiB limit"), "{err}");
    let err = meter::instrument(&module(r#"(table 11 funcref)"#), limits).expect_err("11 elements");
    assert!(err.to_string().contains("11 elements"), "{err}");
    let err = meter::instrument(&module(r#"(global (export "pt_meter_fuel") i32 (i32.const 0))"#), limits)
        .expect_err("reserved name");
    assert!(err.to_string().contains("pt_meter_fuel"), "{err}");
    let rewritten = meter::instrument(&module(r#"(memory (export "memory") 1 1000)"#), limits).expect("meters");
    let parsed = wasmparser::Parser::new(0).parse_all(&rewritten).find_map(|p| match p.ok()? {
        wasmparser::Payload::MemorySection(r) => r.into_iter().next()?.ok(),
        _ => None,
    });
    assert_eq!(parsed.and_then(|m| m.maximum), Some(16), "the maximum is capped at the limit's 16 pages");
    for cut in [0, 8, rewritten.len() / 2] {
        assert!(meter::instrument(&rewritten[..cut.max(1)], limits).is_err() || cut == 8, "a cut module is refused");
    }
}
