//! `?bench=lanes`: the fast lane in the browser, side by side in one run: each case in the fast
//! lane (metered, on the browser's engine) and unmetered on the same engine (what metering costs),
//! alternating, median of three; in wasmi once; and, for the force layout, as the same Rust
//! compiled into the app (median of three); the metering rewrite's and the engine's compile
//! times. On the page's thread, as the other bench pages.

use std::sync::Arc;

use leptos::prelude::*;
use plugin_host::lane::{Metering, meter};
use plugin_host::{Capabilities, Capability, GraphInput, HostPolicy, PluginHost};
use serde_json::{Value, json};

use super::figures::Figure;
use super::{force_core, registry_input, time_n};
use crate::loading::{next_paint, now_ms};

fn all() -> Capabilities {
    Capability::ALL.into_iter().collect()
}

struct LaneCase {
    plugin: &'static str,
    on: &'static str,
    input: Arc<GraphInput>,
    params: Value,
    /// Also the same Rust compiled into the app (the force layout).
    compiled: bool,
}

/// Milliseconds `plugin` takes on `input` with `metering` on the browser's engine (compiled once
/// beforehand), or in wasmi when `metering` is `None`.
async fn time_lane(
    host: &PluginHost,
    source: &studio_core::catalog::PluginSource,
    case: &LaneCase,
    metering: Option<Metering>,
) -> Result<f64, String> {
    next_paint().await;
    let input = Arc::clone(&case.input);
    let Some(metering) = metering else {
        let mut plugin = host.load(Arc::clone(&source.manifest), &source.wasm, all()).map_err(|e| e.to_string())?;
        let no_fetch = |_: &plugin_host::FetchRequest| Err(plugin_host::FetchFailed::new("no network in benches"));
        let t = now_ms();
        plugin.run_to_end(input, &case.params, None, no_fetch).map_err(|f| f.error.to_string())?;
        return Ok(now_ms() - t);
    };
    let plugin =
        host.load_fast(Arc::clone(&source.manifest), &source.wasm, all(), metering).map_err(|e| e.to_string())?;
    let t = now_ms();
    let (_, result) = studio_workers::fast_lane::run(plugin, input, &case.params, None, Box::new(|_, _| {}));
    result.map_err(|f| f.error.to_string())?;
    Ok(now_ms() - t)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Runs the lanes page.
pub(super) async fn run_lanes(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    let push = |name: String, ms: f64, target: &'static str| {
        figures.update(|f| f.push(Figure { name, p50: ms, p95: ms, target }));
    };
    let host = PluginHost::new(HostPolicy::default()).map_err(|e| e.to_string())?;
    rewrite_figures(&host, push).await?;
    let registry = registry_input(status).await?;
    let graph = |nodes, edges| {
        Arc::new(GraphInput::new(Arc::new(isg::synth::generate(isg::synth::SynthSpec { nodes, edges, seed: 1 }))))
    };
    let big = graph(100_000, 500_000);
    let case = |plugin, on, input: &Arc<GraphInput>, compiled| LaneCase {
        plugin,
        on,
        input: Arc::clone(input),
        params: json!({}),
        compiled,
    };
    let cases = [
        case("force-layout", "10k / 50k, to a stable picture", &graph(10_000, 50_000), true),
        case("force-layout", "100k / 500k", &big, true),
        case("force-layout", "registry", &registry, true),
        case("layered-layout", "100k / 500k", &big, false),
        case("layered-layout", "registry", &registry, false),
    ];
    for case in &cases {
        status.set(format!("{} on {}", case.plugin, case.on));
        let source = crate::plugin_catalog::fetch_catalog_plugin(case.plugin).await.map_err(|e| e.to_string())?;
        // The two fast runs alternate three times (noise hits both alike); the median of each.
        let (mut fast, mut unmetered) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            fast.push(time_lane(&host, &source, case, Some(Metering::Injected)).await?);
            unmetered.push(time_lane(&host, &source, case, Some(Metering::Unmetered)).await?);
        }
        let (fast, unmetered) = (median(fast), median(unmetered));
        let wasmi = time_lane(&host, &source, case, None).await?;
        let label = |what: &str| format!("{} on {}: {what}", case.plugin, case.on);
        let target = if case.on.starts_with("10k") { "≤ 800 ms" } else { "≤ 8000 ms" };
        push(label("fast lane"), fast, target);
        push(label("same engine, unmetered"), unmetered, "ratio below");
        push(label("wasmi"), wasmi, "today's lane");
        push(label(&format!("metering cost, fast / unmetered: {:.2}×", fast / unmetered)), fast / unmetered, "≤ 1.3×");
        push(label(&format!("wasmi / fast lane: {:.1}×", wasmi / fast)), wasmi / fast, "report");
        if case.compiled {
            next_paint().await;
            let edges: Vec<[u32; 2]> = case.input.graph().edges().map(|(a, b, _)| [a.0, b.0]).collect();
            let mut runs = Vec::new();
            for _ in 0..3 {
                let t = now_ms();
                let layout =
                    force_core::ForceLayout::new(case.input.node_count(), &edges, force_core::ForceParams::default());
                std::hint::black_box(layout.run());
                runs.push(now_ms() - t);
            }
            let compiled = median(runs);
            push(label("compiled into the app"), compiled, "ratio below");
            push(
                label(&format!("fast lane / compiled into the app: {:.2}×", fast / compiled)),
                fast / compiled,
                "≤ 1.5×",
            );
        }
    }
    Ok(())
}

/// The rewrite and the engine's compile, for the largest first-party plugin and the force layout.
async fn rewrite_figures(host: &PluginHost, push: impl Fn(String, f64, &'static str)) -> Result<(), String> {
    let limits = meter::MeterLimits { memory_bytes: 512 << 20, table_elements: 100_000 };
    for name in ["graph-export", "force-layout"] {
        next_paint().await;
        let source = crate::plugin_catalog::fetch_catalog_plugin(name).await.map_err(|e| e.to_string())?;
        let (p50, _) = time_n(10, |_| {
            std::hint::black_box(meter::instrument(&source.wasm, limits).is_ok());
        });
        push(format!("metering rewrite of {name} ({} KB)", source.wasm.len() / 1000), p50, "≤ 20 ms for 200 KB");
        let plugin = host
            .load_fast(Arc::clone(&source.manifest), &source.wasm, all(), Metering::Injected)
            .map_err(|e| e.to_string())?;
        let bytes = js_sys::Uint8Array::from(plugin.module());
        let t = now_ms();
        js_sys::WebAssembly::Module::new(&bytes.into()).map_err(|e| format!("{e:?}"))?;
        push(
            format!("the browser compiling metered {name} ({} KB)", plugin.module().len() / 1000),
            now_ms() - t,
            "report",
        );
    }
    Ok(())
}
