//! The in-browser benchmark pages, printed as a table and as JSON for `cargo xtask bench`:
//! - `?bench=isg`: the ISG model's figures, in wasm in the browser;
//! - `?bench=plugins`: the plugin host compiled to wasm, running real plugins built from source;
//! - `?bench=layouts`: the first-party layouts and renderers run to the end in the page's host;
//! - `?bench=lanes`: the fast lane against wasmi and the same Rust compiled in ([`lanes`]);
//! - `?bench=render`: the renderer, side by side with sigma.js, and where a frame goes ([`render`]);
//! - `?bench=market`: verifying and installing packages, a 1,000-plugin registry, search.

use isg::diff::diff;
use isg::query::{Direction, SearchIndex, neighbourhood, strongly_connected_components};
use isg::synth::{SynthSpec, generate};
use isg::{NodeId, SourceFile, load};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::loading::{fetch_with_progress, next_paint, now_ms};

mod breakdown;
mod figures;
mod lanes;
mod market;
mod peer;
mod render;

use figures::{Figure, percentiles};

#[path = "../../../plugins/force-core/src/lib.rs"]
#[allow(dead_code, missing_docs, unused_imports, reason = "only the layout is used; its tests compile away")]
mod force_core;

fn time_n(n: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let samples = (0..n)
        .map(|i| {
            let t = now_ms();
            f(i);
            now_ms() - t
        })
        .collect();
    percentiles(samples)
}

const KEYSTROKES: &[&str] = &[
    "s", "sp", "spa", "spaw", "spawn", "r", "re", "rea", "read", "read_", "read_b", "f", "fr", "fra", "fram", "frame",
];

async fn run(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    let push = |name: &str, (p50, p95): (f64, f64), target: &'static str| {
        figures.update(|f| f.push(Figure { name: name.to_owned(), p50, p95, target }));
    };
    status.set("downloading the registry sample".into());
    next_paint().await;
    let registry = fetch_with_progress("samples/registry-full.json.gz", &|_| {}).await.map_err(|e| e.to_string())?;
    status.set("load and index: registry".into());
    next_paint().await;
    let registry_load = time_n(3, |_| {
        let loaded = load(&[SourceFile { name: "registry-full.json.gz", bytes: &registry.bytes }]);
        if let Ok(l) = loaded {
            std::hint::black_box(SearchIndex::build(&l.graph));
        }
    });
    push("load+index registry (179k nodes / 406k edges, .gz)", registry_load, "≤ 1500 ms");

    status.set("generating a 100k / 1M synthetic graph".into());
    next_paint().await;
    let big = generate(SynthSpec { nodes: 100_000, edges: 1_000_000, seed: 42 });
    let json = isg::snapshot::to_snapshot_json(&big);
    status.set("load and index: 100k / 1M".into());
    next_paint().await;
    let big_load = time_n(3, |_| {
        if let Ok(l) = load(&[SourceFile { name: "synthetic.json", bytes: json.as_bytes() }]) {
            std::hint::black_box(SearchIndex::build(&l.graph));
        }
    });
    drop(json);
    push("load+index 100k nodes / 1M edges", big_load, "≤ 2000 ms");

    status.set("search, neighbourhood, scc, diff".into());
    next_paint().await;
    let index = SearchIndex::build(&big);
    push(
        "search per keystroke, 100k nodes",
        time_n(KEYSTROKES.len() * 10, |i| {
            std::hint::black_box(index.search(&big, KEYSTROKES[i % KEYSTROKES.len()], 30));
        }),
        "p95 ≤ 5 ms",
    );
    let n = big.node_count() as u32;
    push(
        "3-hop neighbourhood, 100k / 1M",
        time_n(300, |i| {
            let seed = NodeId((i as u32).wrapping_mul(2_654_435_761) % n);
            std::hint::black_box(neighbourhood(&big, &[seed], 3, Direction::Both, None));
        }),
        "≤ 2 ms",
    );
    push(
        "strongly connected components, 1M edges",
        time_n(3, |_| {
            std::hint::black_box(strongly_connected_components(&big));
        }),
        "≤ 200 ms",
    );
    drop(big);
    let old = generate(SynthSpec { nodes: 100_000, edges: 500_000, seed: 11 });
    let new = generate(SynthSpec { nodes: 100_000, edges: 520_000, seed: 11 });
    push(
        "diff of two 100k-node graphs",
        time_n(3, |_| {
            std::hint::black_box(diff(&old, &new));
        }),
        "≤ 500 ms",
    );
    Ok(())
}

/// The smallest plugin: exports `memory`, `pt_abi_version` (returns 1) and `pt_run` (returns 0).
/// Hand-assembled, since the app carries no WAT assembler.
const EMPTY_PLUGIN: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
    0x03, 0x03, 0x02, 0x00, 0x00, // function section: two functions of that type
    0x05, 0x03, 0x01, 0x00, 0x01, // memory section: one memory, 1 page
    0x07, 0x24, 0x03, // export section, 3 exports
    0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, //
    0x0e, b'p', b't', b'_', b'a', b'b', b'i', b'_', b'v', b'e', b'r', b's', b'i', b'o', b'n', 0x00, 0x00, //
    0x06, b'p', b't', b'_', b'r', b'u', b'n', 0x00, 0x01, //
    0x0a, 0x0b, 0x02, 0x04, 0x00, 0x41, 0x01, 0x0b, 0x04, 0x00, 0x41, 0x00,
    0x0b, // code: i32.const 1; i32.const 0
];

struct BenchPlugin {
    manifest: std::sync::Arc<plugin_host::Manifest>,
    wasm: Vec<u8>,
}

async fn bench_plugin(name: &str) -> Result<BenchPlugin, String> {
    let source = crate::plugin_catalog::fetch_catalog_plugin(name).await.map_err(|e| e.to_string())?;
    Ok(BenchPlugin { manifest: source.manifest, wasm: source.wasm.to_vec() })
}

async fn run_plugins(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    use std::sync::Arc;

    use plugin_host::{Capabilities, Capability, GraphInput, HostPolicy, PluginHost};
    use serde_json::json;

    let push = |name: String, (p50, p95): (f64, f64), target: &'static str| {
        figures.update(|f| f.push(Figure { name, p50, p95, target }));
    };
    status.set("fetching plugins".into());
    next_paint().await;
    let circle = bench_plugin("circle-layout").await?;
    let force = bench_plugin("force-layout").await?;
    let calls = bench_plugin("call-bench").await?;
    let host = PluginHost::new(HostPolicy::default()).map_err(|e| e.to_string())?;
    let all = Capability::ALL.into_iter().collect::<Capabilities>();
    let load =
        |p: &BenchPlugin, bytes: &[u8]| host.load(Arc::clone(&p.manifest), bytes, all).map_err(|e| e.to_string());
    let tiny = Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes: 16, edges: 32, seed: 1 }))));
    let no_fetch = |_: &plugin_host::FetchRequest| Err(plugin_host::FetchFailed::new("no network in benches"));

    status.set("cold start and reload".into());
    next_paint().await;
    let mut failure = None;
    let cold = time_n(100, |_| match load(&circle, &circle.wasm) {
        Ok(mut p) => {
            std::hint::black_box(p.run_to_end(Arc::clone(&tiny), &json!({}), None, no_fetch).is_ok());
        }
        Err(e) => failure = Some(e),
    });
    push(
        format!("cold start: bytes → instantiated → first call, circle-layout ({} KB)", circle.wasm.len() / 1000),
        cold,
        "≤ 5 ms p50",
    );
    let reload = time_n(100, |i| {
        let mut changed = circle.wasm.clone();
        // An extra custom section: the same code, a different module, as after an edit.
        changed.extend_from_slice(&[0, 6, 1, b'g']);
        changed.extend_from_slice(&(i as u32).to_le_bytes());
        if let Ok(mut p) = load(&circle, &changed) {
            std::hint::black_box(p.run_to_end(Arc::clone(&tiny), &json!({}), None, no_fetch).is_ok());
        }
    });
    push("reload of a changed plugin (load + first call)".into(), reload, "≤ 20 ms");
    if let Some(e) = failure {
        return Err(e);
    }

    status.set("call overhead".into());
    next_paint().await;
    // The host's own cost per call: a module whose pt_run returns at once (its SDK-built cousins
    // would add their own parameter parsing, interpreted, to the figure).
    let empty = BenchPlugin { manifest: Arc::clone(&calls.manifest), wasm: EMPTY_PLUGIN.to_vec() };
    let mut plugin = load(&empty, &empty.wasm)?;
    let params = json!({});
    // The browser's clock ticks in 0.1 ms steps, so per-call figures are means over many calls.
    let rounds = 5000;
    let t = now_ms();
    for _ in 0..rounds {
        std::hint::black_box(plugin.run_to_end(Arc::clone(&tiny), &params, None, no_fetch).is_ok());
    }
    let round_us = (now_ms() - t) * 1000.0 / f64::from(rounds);
    push("host → plugin call, whole round trip: mean, in µs (not ms)".into(), (round_us, round_us), "≤ 10 µs");
    let mut plugin = load(&calls, &calls.wasm)?;
    let per_call = time_n(5, |_| {
        std::hint::black_box(
            plugin.run_to_end(Arc::clone(&tiny), &json!({"calls": 1_000_000}), None, no_fetch).is_ok(),
        );
    });
    // 1M calls: total ms / 1M calls × 1000 µs per ms.
    push(
        "plugin → host call: mean over 1M calls, in µs (not ms)".into(),
        (per_call.0 / 1000.0, per_call.1 / 1000.0),
        "≤ 10 µs",
    );

    status.set("200 plugins at once".into());
    next_paint().await;
    let heap = || {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length()
    };
    let before = heap();
    let t = now_ms();
    let many: Vec<_> = (0..200).filter_map(|_| load(&circle, &circle.wasm).ok()).collect();
    let took = now_ms() - t;
    let grown = f64::from(heap() - before);
    let linear: usize = many.iter().map(plugin_host::LoadedPlugin::memory_bytes).sum();
    push(
        format!(
            "{} plugins loaded at once (ms to load all); page heap grew {:.0} MiB, {:.0} KiB per plugin beyond its linear memory",
            many.len(),
            grown / 1048576.0,
            (grown - linear as f64).max(0.0) / many.len().max(1) as f64 / 1024.0
        ),
        (took, took),
        "200 plugins, ≤ 1 MiB each beyond linear memory",
    );
    drop(many);

    status.set("force layout: wasmi vs compiled in".into());
    next_paint().await;
    let graph = Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes: 2_000, edges: 8_000, seed: 3 }))));
    let edges: Vec<[u32; 2]> = graph.graph().edges().map(|(a, b, _)| [a.0, b.0]).collect();
    let mut f = load(&force, &force.wasm)?;
    // At most 10 steps a level, the same work on both sides.
    let params = json!({"iterations": 10, "publish_every": 10_000});
    let in_wasmi = time_n(3, |_| {
        std::hint::black_box(f.run_to_end(Arc::clone(&graph), &params, None, no_fetch).is_ok());
    });
    let compiled = time_n(3, |_| {
        let force = force_core::ForceParams { max_steps: 10, ..force_core::ForceParams::default() };
        std::hint::black_box(force_core::ForceLayout::new(graph.node_count(), &edges, force).run());
    });
    push("force layout, ≤ 10 steps a level, 2k / 8k: in wasmi".into(), in_wasmi, "ratio below");
    push("force layout, ≤ 10 steps a level, 2k / 8k: compiled into the app".into(), compiled, "ratio below");
    push(
        format!("interpreter / compiled ratio: {:.1}×", in_wasmi.0 / compiled.0),
        (in_wasmi.0 / compiled.0, in_wasmi.1 / compiled.1),
        "seed asks ≤ 1.2×",
    );
    host_work(&host, push).await
}

/// Host work per unit of fuel in the browser: the hostile plugin spinning (plain wasm) and
/// flooding `pt_viz.set_node_styles` with the registry's 179k node styles, each stepped slice by
/// slice for two seconds as the worker does. The longest slice is how long a Cancel can take.
async fn host_work(
    host: &plugin_host::PluginHost,
    push: impl Fn(String, (f64, f64), &'static str),
) -> Result<(), String> {
    use std::sync::Arc;

    use plugin_host::{Capabilities, Capability, GraphInput, Step};
    use serde_json::json;

    let hostile = bench_plugin("hostile").await?;
    let registry = fetch_with_progress("samples/registry-full.json.gz", &|_| {}).await.map_err(|e| e.to_string())?;
    let registry =
        load(&[SourceFile { name: "registry-full.json.gz", bytes: &registry.bytes }]).map_err(|e| e.to_string())?;
    let registry = Arc::new(GraphInput::new(Arc::new(registry.graph)));
    let all = Capability::ALL.into_iter().collect::<Capabilities>();
    let mut plain = None;
    for mode in ["spin", "style-flood"] {
        next_paint().await;
        let mut plugin = host.load(Arc::clone(&hostile.manifest), &hostile.wasm, all).map_err(|e| e.to_string())?;
        let mut call =
            plugin.start(Arc::clone(&registry), &json!({ "mode": mode }), None).map_err(|e| e.to_string())?;
        let started = now_ms();
        let mut worst: f64 = 0.0;
        loop {
            let t = now_ms();
            let step = call.step();
            worst = worst.max(now_ms() - t);
            if !matches!(step, Ok(Step::Running { .. })) || now_ms() - started > 2000.0 {
                break;
            }
        }
        let seconds_per_g = (now_ms() - started) / 1000.0 / (call.metrics().fuel_used.max(1) as f64 / 1e9);
        let base = *plain.get_or_insert(seconds_per_g);
        push(
            format!(
                "hostile {mode} on the registry: {seconds_per_g:.2} s per G fuel ({:.1}× the plain loop); ms = longest slice, which bounds Cancel",
                seconds_per_g / base
            ),
            (worst, worst),
            "a small factor; a slice's wall time",
        );
    }
    Ok(())
}

/// One plugin run of a bench: the plugin, what it runs on (in words and as input), its
/// parameters and the target.
struct PluginCase {
    name: &'static str,
    on: &'static str,
    input: std::sync::Arc<plugin_host::GraphInput>,
    params: serde_json::Value,
    target: &'static str,
}

/// The registry sample as plugins read it.
async fn registry_input(status: RwSignal<String>) -> Result<std::sync::Arc<plugin_host::GraphInput>, String> {
    status.set("downloading the registry sample".into());
    next_paint().await;
    let registry = fetch_with_progress("samples/registry-full.json.gz", &|_| {}).await.map_err(|e| e.to_string())?;
    let registry =
        load(&[SourceFile { name: "registry-full.json.gz", bytes: &registry.bytes }]).map_err(|e| e.to_string())?;
    Ok(std::sync::Arc::new(plugin_host::GraphInput::new(std::sync::Arc::new(registry.graph))))
}

/// Runs each case to the end in the page's own plugin host (wasmi compiled to wasm).
async fn run_cases(
    figures: RwSignal<Vec<Figure>>,
    status: RwSignal<String>,
    cases: Vec<PluginCase>,
) -> Result<(), String> {
    use std::sync::Arc;

    use plugin_host::{Capabilities, Capability, HostPolicy, PluginHost};

    let host = PluginHost::new(HostPolicy::default()).map_err(|e| e.to_string())?;
    let all = Capability::ALL.into_iter().collect::<Capabilities>();
    let no_fetch = |_: &plugin_host::FetchRequest| Err(plugin_host::FetchFailed::new("no network in benches"));
    for PluginCase { name, on, input, params, target } in cases {
        status.set(format!("{name} on {on}"));
        next_paint().await;
        let source = crate::plugin_catalog::fetch_catalog_plugin(name).await.map_err(|e| e.to_string())?;
        let mut plugin = host.load(Arc::clone(&source.manifest), &source.wasm, all).map_err(|e| e.to_string())?;
        let started = now_ms();
        let result = plugin.run_to_end(input, &params, None, no_fetch);
        let ms = now_ms() - started;
        let label = match result {
            Ok((_, metrics)) => format!("{name} on {on}: {:.2} G fuel", metrics.fuel_used as f64 / 1e9),
            Err(failed) => {
                format!(
                    "{name} on {on}: {} after {:.2} G fuel",
                    failed.error.code(),
                    failed.metrics.fuel_used as f64 / 1e9
                )
            }
        };
        figures.update(|f| f.push(Figure { name: label, p50: ms, p95: ms, target }));
    }
    Ok(())
}

/// `?bench=layouts`: first-party layouts and renderers run to the end in the page's own plugin
/// host (wasmi compiled to wasm), on synthetic graphs and the registry sample.
async fn run_layouts(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    use std::sync::Arc;

    use isg::synth::{SynthSpec, generate};
    use plugin_host::GraphInput;
    use serde_json::json;

    let registry = registry_input(status).await?;
    let graph = |nodes, edges| Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes, edges, seed: 1 }))));
    let big = graph(100_000, 500_000);
    let case = |name, on, input: &Arc<GraphInput>, params, target| PluginCase {
        name,
        on,
        input: Arc::clone(input),
        params,
        target,
    };
    let cases = vec![
        case("layered-layout", "2k / 10k", &graph(2_000, 10_000), json!({}), "≤ 2000 ms"),
        case("layered-layout", "100k / 500k", &big, json!({}), "report"),
        case("layered-layout", "registry", &registry, json!({}), "report"),
        case("force-layout", "10k / 50k, to a stable picture", &graph(10_000, 50_000), json!({}), "≤ 5000 ms"),
        case("force-layout", "100k / 500k", &big, json!({}), "report"),
        case("force-layout", "registry", &registry, json!({}), "report"),
        case("radial-layout", "registry", &registry, json!({}), "report"),
        case("grouped-layout", "registry", &registry, json!({}), "report"),
        case("hotspots", "registry, scc", &registry, json!({"metric": "scc"}), "report"),
        case("module-colors", "registry", &registry, json!({}), "report"),
    ];
    run_cases(figures, status, cases).await
}

/// `?bench=analyses`: the first-party analyses on the registry sample in the page's plugin host.
async fn run_analyses(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    use serde_json::json;

    let registry = registry_input(status).await?;
    let case =
        |name, on, params, target| PluginCase { name, on, input: std::sync::Arc::clone(&registry), params, target };
    let cases = vec![
        case("tangles", "registry, items and modules", json!({}), "≤ 3000 ms (node level)"),
        case("tangles", "registry, modules only", json!({"level": "modules"}), "≤ 1000 ms (module level)"),
        case("module-metrics", "registry", json!({}), "≤ 1000 ms (module level)"),
        case("start-here", "registry", json!({}), "≤ 3000 ms (node level)"),
        case("unreferenced", "registry", json!({}), "≤ 3000 ms (node level)"),
        case("smells", "registry", json!({}), "≤ 3000 ms (node level: god items)"),
        case("communities", "registry, modules", json!({}), "≤ 1000 ms (module level)"),
        case("communities", "registry, items", json!({"level": "items"}), "≤ 3000 ms (node level)"),
        case("patterns", "registry", json!({}), "≤ 3000 ms (node level)"),
    ];
    run_cases(figures, status, cases).await
}

/// `?bench=exports`: the graph-export exporter in every format on the registry sample in the
/// page's plugin host.
async fn run_exports(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    use serde_json::json;

    let registry = registry_input(status).await?;
    let formats = ["dot", "graphml", "gexf", "cytoscape", "mermaid", "mermaid-class", "plantuml", "csv"];
    let mut cases: Vec<PluginCase> = formats
        .iter()
        .map(|&format| PluginCase {
            name: "graph-export",
            on: format,
            input: std::sync::Arc::clone(&registry),
            params: json!({ "format": format }),
            target: "≤ 3000 ms",
        })
        .collect();
    cases.push(PluginCase {
        name: "graph-export",
        on: "dot, module level",
        input: std::sync::Arc::clone(&registry),
        params: json!({ "format": "dot", "scope": "modules" }),
        target: "≤ 3000 ms",
    });
    run_cases(figures, status, cases).await
}

/// The bench page: runs once on mount and shows the figures.
#[component]
pub fn BenchPage() -> impl IntoView {
    let figures = RwSignal::new(Vec::<Figure>::new());
    let status = RwSignal::new(String::from("starting"));
    let done = RwSignal::new(false);
    let which = crate::loading::query_param("bench").unwrap_or_default();
    let title = match which.as_str() {
        "plugins" => "plugin host",
        "render" => "renderer",
        "layouts" => "layout and renderer plugin",
        "lanes" => "fast lane",
        "analyses" => "analysis plugin",
        "exports" => "exporter plugin",
        "market" => "marketplace",
        _ => "ISG",
    };
    let with_canvas = which == "render";
    spawn_local(async move {
        let result = match which.as_str() {
            "plugins" => run_plugins(figures, status).await,
            "render" => render::run_render(figures, status).await,
            "layouts" => run_layouts(figures, status).await,
            "lanes" => lanes::run_lanes(figures, status).await,
            "analyses" => run_analyses(figures, status).await,
            "exports" => run_exports(figures, status).await,
            "market" => market::run_market(figures, status).await,
            _ => run(figures, status).await,
        };
        match result {
            Ok(()) => status.set("done".into()),
            Err(e) => status.set(format!("failed: {e}")),
        }
        done.set(true);
    });
    let json = move || {
        let rows: Vec<String> = figures
            .get()
            .iter()
            .map(|f| {
                format!(
                    "{{\"name\":{:?},\"p50_ms\":{:.3},\"p95_ms\":{:.3},\"target\":{:?}}}",
                    f.name, f.p50, f.p95, f.target
                )
            })
            .collect();
        format!("[{}]", rows.join(","))
    };
    view! {
        <main class="bench">
            <h1>{format!("Parseltongue Studio: in-browser {title} benchmarks")}</h1>
            <p data-testid="bench-status">{move || status.get()}</p>
            <table class="counts">
                <tr>
                    <th>"figure"</th>
                    <th>"p50 ms"</th>
                    <th>"p95 ms"</th>
                    <th>"target"</th>
                </tr>
                {move || {
                    figures
                        .get()
                        .into_iter()
                        .map(|f| {
                            view! {
                                <tr>
                                    <td>{f.name}</td>
                                    <td class="num">{format!("{:.2}", f.p50)}</td>
                                    <td class="num">{format!("{:.2}", f.p95)}</td>
                                    <td>{f.target}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </table>
            <Show when=move || done.get()>
                <pre data-testid="bench-results">{json}</pre>
            </Show>
            <Show when=move || with_canvas>
                <canvas data-testid="bench-canvas" width="1280" height="720" style:width="640px" style:height="360px"></canvas>
            </Show>
        </main>
    }
}
