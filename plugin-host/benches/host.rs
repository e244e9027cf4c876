//! Benchmarks of the plugin host, grouped by phase: load (cold start, reload), call (overhead per
//! call and per host call), memory (per idle plugin, 200 at once) and compute (a force-layout step
//! in wasmi against the same Rust compiled natively).
//!
//! A figures table with the issue's targets prints first; criterion's groups follow.
//! Run: `cargo bench -p plugin-host --bench host` (or `cargo xtask bench`).
#![allow(clippy::print_stdout, reason = "a bench's job is to print its figures")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use criterion::Criterion;
use isg::synth::{SynthSpec, generate};
use plugin_host::{Capabilities, Capability, GraphInput, HostPolicy, LoadedPlugin, Manifest, PluginHost};
use serde_json::json;

#[path = "../../plugins/force-core/src/lib.rs"]
#[allow(dead_code, missing_docs, unused_imports, reason = "only the layout is used; its own tests compile away")]
mod force_core;
#[path = "../tests/support/mod.rs"]
mod support;
#[path = "../../isg/benches/timing.rs"]
mod timing;

use timing::time_n;

/// Counts live heap bytes, so the bench can say what an idle plugin costs the host.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

#[allow(unsafe_code, reason = "a global allocator is unsafe by definition; this one only counts and forwards")]
// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn all_grants() -> Capabilities {
    Capability::ALL.into_iter().collect()
}

struct Plugin {
    wasm: Vec<u8>,
    manifest: Arc<Manifest>,
}

fn plugin(name: &str) -> Plugin {
    let (wasm, manifest) = support::plugin(name);
    Plugin { wasm, manifest: Arc::new(Manifest::parse(&manifest).expect("manifest parses")) }
}

impl Plugin {
    fn load(&self, host: &PluginHost) -> LoadedPlugin {
        host.load(Arc::clone(&self.manifest), &self.wasm, all_grants()).expect("plugin loads")
    }

    /// The same module with a different custom section: a "changed" plugin for the reload figure.
    fn changed(&self, generation: u32) -> Vec<u8> {
        let mut wasm = self.wasm.clone();
        let name = b"pt-generation";
        let payload = generation.to_le_bytes();
        wasm.push(0); // custom section id
        wasm.push((1 + name.len() + payload.len()) as u8);
        wasm.push(name.len() as u8);
        wasm.extend_from_slice(name);
        wasm.extend_from_slice(&payload);
        wasm
    }
}

fn no_fetch(_: &plugin_host::FetchRequest) -> Result<Vec<u8>, plugin_host::FetchFailed> {
    Err(plugin_host::FetchFailed::new("no network in benches"))
}

fn tiny_graph() -> Arc<GraphInput> {
    Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes: 16, edges: 32, seed: 1 }))))
}

/// A plugin whose `pt_run` calls `pt_core.progress` `n` times.
fn host_call_loop(host: &PluginHost, n: u32) -> LoadedPlugin {
    let wat = format!(
        r#"(module (import "pt_core" "progress" (func $p (param i32 i32)))
             (memory (export "memory") 1)
             (func (export "pt_abi_version") (result i32) i32.const 1)
             (func (export "pt_run") (result i32) (local $i i32)
               (loop $l (call $p (local.get $i) (i32.const {n}))
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br_if $l (i32.lt_u (local.get $i) (i32.const {n}))))
               i32.const 0))"#
    );
    let manifest = Manifest::parse(
        "[plugin]\nname = \"calls\"\nversion = \"1.0.0\"\nauthor = \"bench\"\ndescription = \"d\"\nkind = \"analysis\"\nhost_api = \"^1\"\n",
    )
    .expect("manifest");
    host.load(Arc::new(manifest), &wat::parse_str(wat).expect("wat"), Capabilities::default()).expect("loads")
}

fn force_graph() -> (Arc<GraphInput>, Vec<[u32; 2]>) {
    let graph = Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes: 2_000, edges: 8_000, seed: 3 }))));
    let edges = graph.graph().edges().map(|(a, b, _)| [a.0, b.0]).collect();
    (graph, edges)
}

fn figures() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let circle = plugin("circle-layout");
    let force = plugin("force-layout");
    let graph = tiny_graph();
    println!("\n== figures (targets from the plugin host issue) ==");
    println!(
        "plugin sizes: circle-layout {} KB, force-layout {} KB",
        circle.wasm.len() / 1000,
        force.wasm.len() / 1000
    );

    let (p50, p95) = time_n(200, |_| {
        let mut p = circle.load(&host);
        black_box(p.run_to_end(Arc::clone(&graph), &json!({}), None, no_fetch).expect("runs"));
    });
    println!(
        "cold start (bytes → instantiated → first call returns), circle-layout: p50 {p50:.2} ms, p95 {p95:.2} ms  [target ≤ 5 ms p50]"
    );

    let mut current = circle.load(&host);
    let (p50, p95) = time_n(200, |i| {
        let bytes = circle.changed(i as u32);
        current = host.load(Arc::clone(&circle.manifest), &bytes, all_grants()).expect("reloads");
        black_box(current.run_to_end(Arc::clone(&graph), &json!({}), None, no_fetch).expect("runs"));
    });
    println!("reload of a changed plugin (load + first call): p50 {p50:.2} ms, p95 {p95:.2} ms  [target ≤ 20 ms]");

    let mut empty = host_call_loop(&host, 1);
    let rounds = 20_000;
    let t = Instant::now();
    for _ in 0..rounds {
        black_box(empty.run_to_end(Arc::clone(&graph), &json!({}), None, no_fetch).expect("runs"));
    }
    let per_call = t.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
    println!(
        "host → plugin call, whole round trip (check params, run, collect output): {per_call:.2} µs mean  [target ≤ 10 µs]"
    );
    let n = 1_000_000;
    let mut calls = host_call_loop(&host, n);
    let (p50, _) = time_n(5, |_| {
        black_box(calls.run_to_end(Arc::clone(&graph), &json!({}), None, no_fetch).expect("runs"));
    });
    println!(
        "plugin → host call (pt_core.progress in a loop): {:.3} µs per call  [target ≤ 10 µs]",
        p50 * 1000.0 / f64::from(n)
    );

    let before = LIVE.load(Ordering::Relaxed);
    let plugins: Vec<LoadedPlugin> = (0..200).map(|_| circle.load(&host)).collect();
    let total = LIVE.load(Ordering::Relaxed) - before;
    let linear: usize = plugins.iter().map(LoadedPlugin::memory_bytes).sum();
    println!(
        "200 plugins loaded at once: {:.1} MiB heap, of which {:.1} MiB linear memory; host memory per idle plugin beyond its linear memory: {:.0} KiB  [target ≤ 1 MiB, 200 plugins]",
        total as f64 / f64::from(1 << 20),
        linear as f64 / f64::from(1 << 20),
        (total - linear) as f64 / 200.0 / 1024.0
    );
    drop(plugins);

    let (graph, edges) = force_graph();
    let mut f = force.load(&host);
    let params = json!({"publish_every": 10_000});
    let t = Instant::now();
    let (_, metrics) = f.run_to_end(Arc::clone(&graph), &params, None, no_fetch).expect("runs");
    let wasm_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    black_box(force_core::ForceLayout::new(graph.node_count(), &edges, force_core::ForceParams::default()).run());
    let native_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "force layout to a stable picture on 2k nodes / 8k edges: wasmi {wasm_ms:.1} ms ({:.0} M fuel), native {native_ms:.1} ms; interpreter is {:.1}× native  [seed asks within 1.2×]",
        metrics.fuel_used as f64 / 1e6,
        wasm_ms / native_ms
    );
    println!();
}

fn main() {
    figures();
    let mut c = Criterion::default().configure_from_args();
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let circle = plugin("circle-layout");
    let graph = tiny_graph();

    let mut group = c.benchmark_group("load");
    group.bench_function("validate_and_instantiate/circle-layout", |b| b.iter(|| black_box(circle.load(&host))));
    group.bench_function("cold_start/circle-layout", |b| {
        b.iter(|| circle.load(&host).run_to_end(Arc::clone(&graph), &json!({}), None, no_fetch).expect("runs"));
    });
    group.finish();

    let mut group = c.benchmark_group("call");
    let mut empty = host_call_loop(&host, 1);
    group.bench_function("round_trip", |b| {
        b.iter(|| empty.run_to_end(Arc::clone(&graph), &json!({}), None, no_fetch).expect("runs"))
    });
    let mut thousand = host_call_loop(&host, 1000);
    group.bench_function("1000_host_calls", |b| {
        b.iter(|| thousand.run_to_end(Arc::clone(&graph), &json!({}), None, no_fetch).expect("runs"))
    });
    group.finish();

    let mut group = c.benchmark_group("compute");
    group.sample_size(10);
    let (fgraph, edges) = force_graph();
    let force = plugin("force-layout");
    let mut f = force.load(&host);
    let params = json!({"iterations": 5, "publish_every": 10_000});
    group.bench_function("force_5_steps_a_level/wasmi", |b| {
        b.iter(|| f.run_to_end(Arc::clone(&fgraph), &params, None, no_fetch).expect("runs"))
    });
    let force = force_core::ForceParams { max_steps: 5, ..force_core::ForceParams::default() };
    group.bench_function("force_5_steps_a_level/native", |b| {
        b.iter(|| black_box(force_core::ForceLayout::new(fgraph.node_count(), &edges, force).run()));
    });
    group.finish();
    c.final_summary();
}
