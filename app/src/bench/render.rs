//! `?bench=render`: the renderer on this browser's backend, at 1280×720 device pixels, on synthetic
//! graphs and the registry sample, side by side with sigma.js when bench-browser.mjs put it on the
//! page (`peer.rs`). `?bench=render&nodes=N&edges=M` benches one synthetic size.
//!
//! Reports, per graph: the first picture after the model is ready (the two-step first frame:
//! nodes and aggregates, then everything), frame time p50/p95 at three zoom levels (each frame:
//! level of detail, label placement, draw, and a wait until the GPU is done) alternating in rounds
//! with sigma.js's `render()` through the same camera path, and their ratio (with the picture cache
//! reused while the view pans, and drawn in full every frame); GPU bytes per node and
//! per edge; and for 10k and 50k nodes where a frame goes, pass by pass (`breakdown.rs`).

use isg::synth::{SynthSpec, generate};
use isg::{Graph, SourceFile, load};
use leptos::prelude::*;
use renderer::passes::PassSelection;
use renderer::style::NodeStyles;
use renderer::view::{ViewSettings, compose};
use renderer::web::{BackendPreference, DrawOptions, GpuRenderer};
use renderer::{Camera, Scene};
use wasm_bindgen::JsCast;

use super::breakdown::frame_breakdown;
use super::figures::{Figure, percentiles};
use super::peer::Peer;
use crate::loading::{fetch_with_progress, next_paint, now_ms, query_param};

/// Frames per zoom level and renderer, in [`ROUNDS`] alternating rounds, unless a round runs past
/// its time budget.
const FRAMES: usize = 24;
const ROUNDS: usize = 2;
const ROUND_BUDGET_MS: f64 = 3000.0;
/// Each level draws at least this many frames per round, however slow.
const MIN_FRAMES: usize = 2;

/// The zoom levels every renderer is measured at, as factors of the fitted view.
pub(super) const ZOOMS: [(&str, f32); 3] = [("fit", 1.0), ("zoomed out 0.4×", 0.4), ("zoomed in 6×", 6.0)];

/// The viewport every frame is drawn at, in device pixels.
pub(super) const VIEWPORT: [f32; 2] = [1280.0, 720.0];

/// The camera of frame `i` at zoom `factor`: a small whole-pixel pan each frame (what the picture
/// cache reuses; the bench also times frames with reuse off).
pub(super) fn camera_at(fitted: Camera, factor: f32, i: usize) -> Camera {
    let mut cam = fitted;
    cam.zoom_at([VIEWPORT[0] / 2.0, VIEWPORT[1] / 2.0], factor);
    cam.pan_pixels([(i as f32 * 7.0) % 40.0 - 20.0, 3.0]);
    cam
}

/// What every bench frame draws besides the graph.
pub(super) fn settings() -> ViewSettings {
    ViewSettings { minimap: Some([180.0, 130.0]), ..ViewSettings::default() }
}

/// Draws frames through the camera path until `frames` are drawn or the budget is spent.
async fn our_frames(
    renderer: &mut GpuRenderer,
    scene: &Scene,
    graph: &Graph,
    fitted: Camera,
    factor: f32,
    first: usize,
) -> Vec<f64> {
    let start = now_ms();
    let mut samples = Vec::new();
    for i in first..first + FRAMES / ROUNDS {
        if samples.len() >= MIN_FRAMES && now_ms() - start > ROUND_BUDGET_MS {
            break;
        }
        let cam = camera_at(fitted, factor, i);
        let t = now_ms();
        let composed = compose(scene, graph, renderer.atlas(), cam, DrawOptions::default(), &settings());
        renderer.show(&composed);
        renderer.finish().await;
        samples.push(now_ms() - t);
    }
    samples
}

fn peer_frames(peer: &Peer, fitted: Camera, factor: f32, first: usize) -> Result<Vec<f64>, String> {
    let start = now_ms();
    let mut samples = Vec::new();
    for i in first..first + FRAMES / ROUNDS {
        if samples.len() >= MIN_FRAMES && now_ms() - start > ROUND_BUDGET_MS {
            break;
        }
        let t = now_ms();
        peer.frame(&camera_at(fitted, factor, i), &fitted)?;
        samples.push(now_ms() - t);
    }
    Ok(samples)
}

/// The first picture after the model is ready: layout, scene, upload of the nodes and
/// aggregates, a frame of them, then the edges and the full frame. Returns the scene and the
/// fitted camera.
async fn first_frame(
    renderer: &mut GpuRenderer,
    name: &str,
    graph: &Graph,
    push: &impl Fn(String, (f64, f64), &'static str),
) -> Result<(Scene, Camera), String> {
    let ready = now_ms();
    let positions = renderer::module_map::modules_first(graph);
    let scene = Scene::build(graph, &positions, &NodeStyles::by_kind(graph));
    let built = now_ms();
    renderer.upload_nodes(&scene).map_err(|e| e.to_string())?;
    let mut fitted = Camera::new(VIEWPORT);
    fitted.fit(scene.bounds(), 24.0);
    let first = ViewSettings { first_step: true, ..settings() };
    let composed = compose(&scene, graph, renderer.atlas(), fitted, DrawOptions::default(), &first);
    renderer.show(&composed);
    renderer.finish().await;
    let step_one = now_ms();
    renderer.upload_edges(&scene);
    let composed = compose(&scene, graph, renderer.atlas(), fitted, DrawOptions::default(), &settings());
    renderer.show(&composed);
    renderer.finish().await;
    let step_two = now_ms();
    push(
        format!(
            "{name}: first picture (nodes, aggregates) after the model is ready; layout and scene {:.0} ms",
            built - ready
        ),
        (step_one - ready, step_one - built),
        "p50: from the model, p95 column: from the scene; ≤ 300 ms at 100k on a GPU",
    );
    push(
        format!("{name}: full first frame (edges, labels) after the model is ready"),
        (step_two - ready, step_two - built),
        "p95 column: from the scene",
    );
    Ok((scene, fitted))
}

async fn bench_graph(
    renderer: &mut GpuRenderer,
    peer: Option<&Peer>,
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
    let (scene, fitted) = first_frame(renderer, name, graph, &push).await?;
    let picture = renderer.picture_bytes() as f64;
    let bytes = renderer.gpu_bytes() as f64 - picture;
    let node_bytes = (scene.node_data.len() * 16 + (scene.nodes.len() + scene.aggregates.nodes.len()) * 16) as f64;
    let per_node = node_bytes / graph.node_count().max(1) as f64;
    let per_edge = (bytes - node_bytes).max(0.0) / graph.edge_count().max(1) as f64;
    push(
        format!(
            "{name}: GPU bytes per node (p50) and per edge (p95), incl. labels; the picture cache apart: {:.1} MB",
            picture / 1e6
        ),
        (per_node, per_edge),
        "≤ 64 / ≤ 48 bytes",
    );
    if let Some(peer) = peer {
        status.set(format!("{name}: {} builds its model", peer.name));
        next_paint().await;
        let ms = peer.mount(&scene, graph, &fitted)?;
        push(format!("{name}: {} builds its graph and first frame", peer.name), (ms, ms), "");
    }
    for (zoom, factor) in ZOOMS {
        status.set(format!("{name}: frames, {zoom}"));
        next_paint().await;
        let (mut ours, mut redrawn, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let first = round * FRAMES / ROUNDS;
            ours.extend(our_frames(renderer, &scene, graph, fitted, factor, first).await);
            renderer.select_passes(PassSelection::ALL_REDRAWN);
            redrawn.extend(our_frames(renderer, &scene, graph, fitted, factor, first).await);
            renderer.select_passes(PassSelection::ALL);
            if let Some(peer) = peer {
                theirs.extend(peer_frames(peer, fitted, factor, first)?);
            }
            next_paint().await;
        }
        let (n, m) = (ours.len(), redrawn.len());
        let (ours, redrawn) = (percentiles(ours), percentiles(redrawn));
        push(
            format!("{name}: frame, {zoom} ({n} frames)"),
            ours,
            "real GPU: ≥ 60 fps WebGPU, ≥ 30 fps WebGL2 at 100k/1M",
        );
        push(format!("{name}: frame drawn in full (no picture reused), {zoom} ({m} frames)"), redrawn, "");
        if let Some(peer) = peer {
            let n = theirs.len();
            let theirs = percentiles(theirs);
            push(format!("{name}: {} frame, {zoom} ({n} frames)", peer.name), theirs, "");
            push(
                format!("{name}: frame rate ÷ {}'s, {zoom} (p50 column: medians, p95: p95s)", peer.name),
                (theirs.0 / ours.0.max(1e-3), theirs.1 / ours.1.max(1e-3)),
                "≥ 5×",
            );
            push(
                format!("{name}: frame rate drawn in full ÷ {}'s, {zoom}", peer.name),
                (theirs.0 / redrawn.0.max(1e-3), theirs.1 / redrawn.1.max(1e-3)),
                "",
            );
        }
    }
    if let Some(peer) = peer {
        peer.unmount();
    }
    if graph.node_count() <= 50_000 {
        for (zoom, factor) in [ZOOMS[0], ZOOMS[2]] {
            status.set(format!("{name}: where a frame goes, {zoom}"));
            next_paint().await;
            frame_breakdown(renderer, &scene, graph, fitted, factor, &format!("{name}, {zoom}"), &push).await;
        }
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
    renderer.resize(VIEWPORT[0] as u32, VIEWPORT[1] as u32);
    status.set(format!("backend {}", renderer.backend().label()));
    let peer = Peer::on_page();
    let peer_line = peer.as_ref().map_or_else(
        || "no peer on the page (run through e2e/bench-browser.mjs to measure sigma.js beside)".to_owned(),
        |p| format!("side by side with {}", p.name),
    );
    figures.update(|f| {
        f.push(Figure {
            name: format!("backend: {}; {peer_line}", renderer.backend().label()),
            p50: 0.0,
            p95: 0.0,
            target: "",
        })
    });
    let number = |key: &str| query_param(key).and_then(|v| v.parse::<usize>().ok());
    if let Some(nodes) = number("nodes") {
        let edges = number("edges").unwrap_or(nodes * 5);
        let g = generate(SynthSpec { nodes, edges, seed: 1 });
        return bench_graph(&mut renderer, peer.as_ref(), &format!("{nodes}/{edges}"), &g, figures, status).await;
    }
    for (nodes, edges) in [(10_000, 50_000), (50_000, 250_000), (100_000, 1_000_000)] {
        status.set(format!("generating {nodes}/{edges}"));
        next_paint().await;
        let g = generate(SynthSpec { nodes, edges, seed: 1 });
        let name = format!("synthetic {}k/{}k", nodes / 1000, edges / 1000);
        bench_graph(&mut renderer, peer.as_ref(), &name, &g, figures, status).await?;
    }
    status.set("downloading the registry sample".into());
    next_paint().await;
    let registry = fetch_with_progress("samples/registry-full.json.gz", &|_| {}).await.map_err(|e| e.to_string())?;
    let loaded =
        load(&[SourceFile { name: "registry-full.json.gz", bytes: &registry.bytes }]).map_err(|e| e.to_string())?;
    bench_graph(&mut renderer, peer.as_ref(), "registry (179k/406k)", &loaded.graph, figures, status).await
}
