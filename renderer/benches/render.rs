//! Native render benchmark: the same scene, labels and draw calls as the browser, on a
//! window-less wgpu device, at 1920×1080.
//!
//! `cargo bench -p renderer --bench render` runs on Vulkan (lavapipe on a CPU-only machine, the
//! real driver on a GPU machine); `PT_RENDER_BACKEND=gles` runs on OpenGL ES with WebGL2's limits.
//! `PT_RENDER_CASES=10k,100k,registry` picks cases; `PT_REGISTRY_SAMPLE` points at the registry
//! export when `../shared` is not beside the repository. Each zoom level draws up to 40 frames or
//! stops after 8 s; `PT_RENDER_DEBUG=1` also prints what each zoom level draws. Prints, per case:
//! the two-step first picture after the model is ready (nodes and aggregates, then everything), frame time p50/p95 at three zoom levels (CPU part
//! = label placement and level of detail; the rest = encode, submit and wait), and GPU bytes per
//! node and per edge. Each zoom level is drawn twice: panning with the picture cache reused, and
//! drawn in full every frame.

#![allow(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::time::Instant;

use isg::synth::{SynthSpec, generate};
use isg::{Graph, SourceFile, load};
use renderer::headless::{Headless, NativeBackend};
use renderer::labels::FontAtlas;
use renderer::passes::PassSelection;
use renderer::style::NodeStyles;
use renderer::view::{ViewSettings, compose};
use renderer::{Camera, DrawOptions, Scene};

const W: u32 = 1920;
const H: u32 = 1080;
const FRAMES: usize = 40;
/// A zoom level stops early after this long (CPU rasterisers take seconds a frame on 1M edges).
const LEVEL_BUDGET_S: f64 = 8.0;
const MIN_FRAMES: usize = 4;

fn percentile(mut v: Vec<f64>, q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn registry() -> Option<Graph> {
    let path = std::env::var_os("PT_REGISTRY_SAMPLE").map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/isg-samples/v0.1.0-snapshot/registry-full.json.gz")
        },
        std::path::PathBuf::from,
    );
    let bytes = std::fs::read(&path).ok()?;
    load(&[SourceFile { name: "registry-full.json.gz", bytes: &bytes }]).ok().map(|l| l.graph)
}

fn bench_case(gpu: &mut Headless, atlas: &FontAtlas, name: &str, graph: &Graph) {
    let target = gpu.target(W, H);
    let settings = ViewSettings { minimap: Some([180.0, 130.0]), ..ViewSettings::default() };
    let ready = Instant::now();
    let positions = renderer::module_map::modules_first(graph);
    let laid_out = ms(ready);
    let scene = Scene::build(graph, &positions, &NodeStyles::by_kind(graph));
    let built = ms(ready);
    // The two-step first picture, as the app draws it: nodes and aggregates, then the edges.
    if let Err(e) = gpu.painter.upload_nodes(&gpu.device, &gpu.queue, &scene) {
        println!("{name}: {e}");
        return;
    }
    let mut camera = Camera::new([W as f32, H as f32]);
    camera.fit(scene.bounds(), 24.0);
    let first_step = ViewSettings { first_step: true, ..settings };
    let composed = compose(&scene, graph, atlas, camera, DrawOptions::default(), &first_step);
    gpu.draw(&composed, &target);
    let first = ms(ready);
    gpu.painter.upload_edges(&gpu.device, &scene);
    let composed = compose(&scene, graph, atlas, camera, DrawOptions::default(), &settings);
    gpu.draw(&composed, &target);
    let full = ms(ready);
    println!(
        "{name}: first picture (nodes, aggregates) {first:.0} ms after the model is ready (layout {laid_out:.0} ms, \
         scene {:.0} ms, upload and draw {:.0} ms); full first frame {full:.0} ms",
        built - laid_out,
        first - built
    );
    let fitted = camera;
    println!(
        "{name}: {} nodes, {} edges; GPU {:.1} B/node + {:.1} B/edge ({:.1} MB)",
        graph.node_count(),
        graph.edge_count(),
        (scene.node_data.len() * 16 + (scene.nodes.len() + scene.aggregates.nodes.len()) * 16) as f64
            / graph.node_count() as f64,
        ((scene.edges.len() + scene.aggregates.edges.len()) * 16) as f64 / graph.edge_count().max(1) as f64,
        gpu.painter.gpu_bytes() as f64 / 1e6,
    );
    for (zoom, factor) in [("fit", 1.0f32), ("out 0.4x", 0.4), ("in 6x", 6.0)] {
        for (how, selection) in [("", PassSelection::ALL), (" drawn in full", PassSelection::ALL_REDRAWN)] {
            gpu.painter.select_passes(selection);
            let frames = zoom_level(gpu, atlas, &scene, graph, fitted, factor, &target);
            let (p50, p95) = (percentile(frames.total.clone(), 0.5), percentile(frames.total, 0.95));
            println!(
                "  {zoom:>9}{how}: frame p50 {p50:.2} ms, p95 {p95:.2} ms ({:.0} fps at p50) over {} frames; CPU part p50 {:.2} ms",
                1000.0 / p50,
                frames.cpu.len(),
                percentile(frames.cpu, 0.5)
            );
        }
        gpu.painter.select_passes(PassSelection::ALL);
    }
}

/// Frame times at one zoom level: the whole frame, and its CPU part (level of detail and labels).
struct LevelFrames {
    total: Vec<f64>,
    cpu: Vec<f64>,
}

/// Draws frames panning a little at `factor` times the fitted zoom, until [`FRAMES`] or the budget.
fn zoom_level(
    gpu: &mut Headless,
    atlas: &FontAtlas,
    scene: &Scene,
    graph: &Graph,
    fitted: Camera,
    factor: f32,
    target: &wgpu::TextureView,
) -> LevelFrames {
    let settings = ViewSettings { minimap: Some([180.0, 130.0]), ..ViewSettings::default() };
    let mut frames = LevelFrames { total: Vec::new(), cpu: Vec::new() };
    let level = Instant::now();
    for i in 0..FRAMES {
        if i >= MIN_FRAMES && level.elapsed().as_secs_f64() > LEVEL_BUDGET_S {
            break;
        }
        let mut cam = fitted;
        cam.zoom_at([W as f32 / 2.0, H as f32 / 2.0], factor);
        cam.pan_pixels([(i as f32 * 7.0) % 40.0 - 20.0, 3.0]);
        let t = Instant::now();
        let composed = compose(scene, graph, atlas, cam, DrawOptions::default(), &settings);
        frames.cpu.push(ms(t));
        if i == 0 && std::env::var_os("PT_RENDER_DEBUG").is_some() {
            println!(
                "    edges drawn {:?}, labels {}, glyphs {}, detail {:?}",
                composed.edges.as_ref().map(Vec::len),
                composed.labels.len(),
                composed.glyphs.len(),
                composed.frame.options.detail
            );
        }
        gpu.draw(&composed, target);
        frames.total.push(ms(t));
    }
    frames
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let backend = match std::env::var("PT_RENDER_BACKEND").as_deref() {
        Ok("gles") => NativeBackend::Gles,
        _ => NativeBackend::Vulkan,
    };
    let mut gpu = match Headless::new(backend) {
        Ok(g) => g,
        Err(e) => {
            println!("render bench skipped: {e}");
            return;
        }
    };
    let atlas = FontAtlas::new().expect("bundled font");
    println!("render bench on {} at {W}×{H}, {FRAMES} frames per zoom level", gpu.adapter);
    let cases = std::env::var("PT_RENDER_CASES").unwrap_or_else(|_| "10k,100k,registry".into());
    for case in cases.split(',') {
        match case {
            "10k" => bench_case(
                &mut gpu,
                &atlas,
                "synthetic 10k/50k",
                &generate(SynthSpec { nodes: 10_000, edges: 50_000, seed: 1 }),
            ),
            "50k" => bench_case(
                &mut gpu,
                &atlas,
                "synthetic 50k/250k",
                &generate(SynthSpec { nodes: 50_000, edges: 250_000, seed: 1 }),
            ),
            "100k" => bench_case(
                &mut gpu,
                &atlas,
                "synthetic 100k/1M",
                &generate(SynthSpec { nodes: 100_000, edges: 1_000_000, seed: 1 }),
            ),
            "registry" => match registry() {
                Some(g) => bench_case(&mut gpu, &atlas, "registry sample", &g),
                None => println!("registry sample not found beside the repository (../shared/isg-samples)"),
            },
            other => println!("unknown case {other}"),
        }
    }
}
