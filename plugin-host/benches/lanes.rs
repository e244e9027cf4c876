//! The fast lane natively, side by side in one run: the force layout to a stable picture in wasmi,
//! in wasmtime with its own fuel, in wasmtime with injected metering (what the browser runs), in
//! wasmtime unmetered (what metering costs), and as the same Rust compiled natively; and the
//! metering rewrite's time per first-party plugin.
//!
//! Run: `cargo bench -p plugin-host --features wasmtime --bench lanes` (or `cargo xtask bench`).
#![allow(clippy::print_stdout, reason = "a bench's job is to print its figures")]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::Criterion;
use isg::synth::{SynthSpec, generate};
use plugin_host::lane::{Metering, WasmtimeRunner, meter};
use plugin_host::{Capabilities, Capability, GraphInput, HostPolicy, Manifest, PluginHost};
use serde_json::{Value, json};

#[path = "../../plugins/force-core/src/lib.rs"]
#[allow(dead_code, missing_docs, unused_imports, reason = "only the layout is used; its own tests compile away")]
mod force_core;
#[path = "../tests/support/mod.rs"]
mod support;
#[path = "../../isg/benches/timing.rs"]
mod timing;

fn all() -> Capabilities {
    Capability::ALL.into_iter().collect()
}

fn ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

/// One force run per lane on a graph of `nodes` nodes and `edges` edges; prints the row.
fn force_row(host: &PluginHost, runner: &WasmtimeRunner, nodes: usize, edges: usize, with_wasmi: bool) {
    let (wasm, text) = support::plugin("force-layout");
    let manifest = Arc::new(Manifest::parse(&text).expect("manifest"));
    let graph = Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes, edges, seed: 3 }))));
    let pairs: Vec<[u32; 2]> = graph.graph().edges().map(|(a, b, _)| [a.0, b.0]).collect();
    let params: Value = json!({"publish_every": 10_000});
    let wasmi = with_wasmi.then(|| {
        let mut plugin = host.load(Arc::clone(&manifest), &wasm, all()).expect("loads");
        ms(|| {
            black_box(plugin.run_to_end(Arc::clone(&graph), &params, None, |_| unreachable!()).expect("runs"));
        })
    });
    // Compiled once beforehand (the compile time is its own figure), then timed.
    let lane = |metering| {
        let mut plugin = host.load_fast(Arc::clone(&manifest), &wasm, all(), metering).expect("loads");
        runner.compile(&plugin).expect("compiles");
        ms(|| {
            black_box(runner.run(&mut plugin, Arc::clone(&graph), &params, None).expect("runs"));
        })
    };
    let own = lane(Metering::Engine);
    let injected = lane(Metering::Injected);
    let unmetered = lane(Metering::Unmetered);
    let native = ms(|| {
        black_box(force_core::ForceLayout::new(graph.node_count(), &pairs, force_core::ForceParams::default()).run());
    });
    let wasmi_text = wasmi.map_or_else(|| "—".to_owned(), |w| format!("{w:.0}"));
    println!(
        "{:>12} {:>10} {own:>10.0} {injected:>10.0} {unmetered:>10.0} {native:>8.0} {:>9.2} {:>9.2} {:>9.2} {}",
        format!("{}k / {}k", nodes / 1000, edges / 1000),
        wasmi_text,
        own / native,
        injected / unmetered,
        own / unmetered,
        wasmi.map_or_else(|| "—".to_owned(), |w| format!("{:.1}", w / own)),
    );
}

fn figures() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let runner = WasmtimeRunner::new().expect("wasmtime");
    println!("\n== the fast lane natively: force layout to a stable picture, ms (one run each, side by side) ==");
    let header = ["graph", "wasmi", "wasmtime", "injected", "unmetered", "native", "wt/nat", "inj/unm", "own/unm"];
    let widths = [12, 10, 10, 10, 10, 8, 9, 9, 9];
    let cells: Vec<String> = header.iter().zip(widths).map(|(h, w)| format!("{h:>w$}")).collect();
    println!("{} wasmi/wt", cells.join(" "));
    force_row(&host, &runner, 2_000, 8_000, true);
    force_row(&host, &runner, 10_000, 50_000, true);
    force_row(&host, &runner, 100_000, 500_000, false);
    println!(
        "(wasmtime: its own fuel; injected: the rewrite's metering, as the browser runs it; unmetered: no fuel at all;"
    );
    println!(" each compiled beforehand)");
    let (wasm, text) = support::plugin("force-layout");
    let manifest = Arc::new(Manifest::parse(&text).expect("manifest"));
    for metering in [Metering::Engine, Metering::Injected] {
        let plugin = host.load_fast(Arc::clone(&manifest), &wasm, all(), metering).expect("loads");
        let fresh = WasmtimeRunner::new().expect("wasmtime");
        let compile = ms(|| {
            black_box(fresh.compile(&plugin).expect("compiles"));
        });
        println!(
            "compiling force-layout ({metering:?}, {} KB) with Cranelift: {compile:.0} ms",
            plugin.module().len() / 1000
        );
    }

    println!("\n== the metering rewrite, per first-party plugin ==");
    let limits = meter::MeterLimits { memory_bytes: 512 << 20, table_elements: 100_000 };
    let mut largest = (String::new(), 0usize, 0.0f64);
    for entry in std::fs::read_dir(support::plugins_dir()).expect("plugins built") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "wasm") {
            continue;
        }
        let wasm = std::fs::read(&path).expect("reads");
        let (p50, _) = timing::time_n(20, |_| {
            black_box(meter::instrument(&wasm, limits).expect("meters"));
        });
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if wasm.len() > largest.1 {
            largest = (name.clone(), wasm.len(), p50);
        }
        let grown = meter::instrument(&wasm, limits).expect("meters").len();
        println!("{name:<20} {:>6} KB → {:>6} KB   rewrite p50 {p50:.2} ms", wasm.len() / 1000, grown / 1000);
    }
    println!(
        "largest, {} ({} KB): rewrite p50 {:.2} ms  [target ≤ 20 ms for 200 KB]\n",
        largest.0,
        largest.1 / 1000,
        largest.2
    );
}

fn main() {
    figures();
    let mut c = Criterion::default().configure_from_args();
    let (wasm, _) = support::plugin("force-layout");
    let limits = meter::MeterLimits { memory_bytes: 512 << 20, table_elements: 100_000 };
    let mut group = c.benchmark_group("rewrite");
    group.bench_function("meter/force-layout", |b| {
        b.iter(|| black_box(meter::instrument(&wasm, limits).expect("meters")))
    });
    group.finish();
    c.final_summary();
}
