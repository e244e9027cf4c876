//! `?bench=render`: the renderer on this browser's backend, at 1280×720 device pixels, on synthetic
//! graphs and the registry sample. `?bench=render&nodes=N&edges=M` benches one synthetic size.
//! Reports time to first frame after the model is ready, frame time p50/p95 at three zoom levels
//! (each frame: level of detail, label placement, draw, and a wait until the GPU is done) and GPU
//! bytes per node and per edge.

use isg::synth::{SynthSpec, generate};
use isg::{Graph, SourceFile, load};
use leptos::prelude::*;
use renderer::style::NodeStyles;
use renderer::view::{ViewSettings, compose};
use renderer::web::{BackendPreference, DrawOptions, GpuRenderer};
use renderer::{Camera, Scene};
use wasm_bindgen::JsCast;

use super::figures::{Figure, percentiles};
use crate::loading::{fetch_with_progress, next_paint, now_ms, query_param};

/// Frames per zoom level, unless a level runs past its time budget.
const FRAMES: usize = 30;
const LEVEL_BUDGET_MS: f64 = 6000.0;

async fn bench_graph(
    renderer: &mut GpuRenderer,
    name: &str,
    graph: &Graph,
    figures: RwSignal<Vec<Figure>>,
    status: RwSignal<String>,
) -> Result<(), String> {
    let push = |label: String, (p50, p95): (f64, f64), target: &'static str| {
        figures.update(|f| f.push(Figure { name: label, p50, p95, target }));
    };
    status.set(format!("{name}: first frame"));
    next_paint().await;
    let viewport = [1280.0, 720.0];
    let settings = ViewSettings { minimap: Some([180.0, 130.0]), ..ViewSettings::default() };
    let ready = now_ms();
    let positions = renderer::module_map::modules_first(graph);
    let scene = Scene::build(graph, &positions, &NodeStyles::by_kind(graph));
    renderer.upload(&scene).map_err(|e| e.to_string())?;
    let mut fitted = Camera::new(viewport);
    fitted.fit(scene.bounds(), 24.0);
    let composed = compose(&scene, graph, renderer.atlas(), fitted, DrawOptions::default(), &settings);
    renderer.show(&composed);
    renderer.finish().await;
    let first = now_ms() - ready;
    push(format!("{name}: first frame after the model is ready"), (first, first), "≤ 300 ms at 100k nodes");
    let bytes = renderer.gpu_bytes() as f64;
    let node_bytes = (scene.node_data.len() * 16 + (scene.nodes.len() + scene.aggregates.nodes.len()) * 16) as f64;
    let per_node = node_bytes / graph.node_count().max(1) as f64;
    let per_edge = (bytes - node_bytes).max(0.0) / graph.edge_count().max(1) as f64;
    push(
        format!("{name}: GPU bytes per node (p50) and per edge (p95), incl. labels"),
        (per_node, per_edge),
        "≤ 64 / ≤ 48 bytes",
    );
    for (zoom, factor) in [("fit", 1.0f32), ("zoomed out 0.4×", 0.4), ("zoomed in 6×", 6.0)] {
        status.set(format!("{name}: frames, {zoom}"));
        next_paint().await;
        let level = now_ms();
        let mut samples = Vec::new();
        for i in 0..FRAMES {
            if i >= 4 && now_ms() - level > LEVEL_BUDGET_MS {
                break;
            }
            let mut cam = fitted;
            cam.zoom_at([viewport[0] / 2.0, viewport[1] / 2.0], factor);
            cam.pan_pixels([(i as f32 * 7.0) % 40.0 - 20.0, 3.0]);
            let t = now_ms();
            let composed = compose(&scene, graph, renderer.atlas(), cam, DrawOptions::default(), &settings);
            renderer.show(&composed);
            renderer.finish().await;
            samples.push(now_ms() - t);
        }
        let n = samples.len();
        push(
            format!("{name}: frame, {zoom} ({n} frames)"),
            percentiles(samples),
            "real GPU: ≥ 60 fps WebGPU, ≥ 30 fps WebGL2 at 100k/1M",
        );
    }
    Ok(())
}

/// Runs the render benchmark on the page's canvas.
pub(crate) async fn run_render(figures: RwSignal<Vec<Figure>>, status: RwSignal<String>) -> Result<(), String> {
    next_paint().await;
    let canvas = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-testid=bench-canvas]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .ok_or("the bench canvas is missing")?;
    let preference = match query_param("backend").as_deref() {
        Some("webgl2") => BackendPreference::WebGl2Only,
        _ => BackendPreference::Auto,
    };
    let mut renderer = GpuRenderer::new(canvas, preference).await.map_err(|e| e.to_string())?;
    renderer.resize(1280, 720);
    status.set(format!("backend {}", renderer.backend().label()));
    figures.update(|f| {
        f.push(Figure { name: format!("backend: {}", renderer.backend().label()), p50: 0.0, p95: 0.0, target: "" })
    });
    let number = |key: &str| query_param(key).and_then(|v| v.parse::<usize>().ok());
    if let Some(nodes) = number("nodes") {
        let edges = number("edges").unwrap_or(nodes * 5);
        let g = generate(SynthSpec { nodes, edges, seed: 1 });
        return bench_graph(&mut renderer, &format!("{nodes}/{edges}"), &g, figures, status).await;
    }
    for (nodes, edges) in [(10_000, 50_000), (50_000, 250_000), (100_000, 1_000_000)] {
        status.set(format!("generating {nodes}/{edges}"));
        next_paint().await;
        let g = generate(SynthSpec { nodes, edges, seed: 1 });
        bench_graph(&mut renderer, &format!("synthetic {}k/{}k", nodes / 1000, edges / 1000), &g, figures, status)
            .await?;
    }
    status.set("downloading the registry sample".into());
    next_paint().await;
    let registry = fetch_with_progress("samples/registry-full.json.gz", &|_| {}).await.map_err(|e| e.to_string())?;
    let loaded =
        load(&[SourceFile { name: "registry-full.json.gz", bytes: &registry.bytes }]).map_err(|e| e.to_string())?;
    bench_graph(&mut renderer, "registry (179k/406k)", &loaded.graph, figures, status).await
}
