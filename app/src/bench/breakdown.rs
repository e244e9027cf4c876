//! Where a frame goes, for the render bench: the CPU side (level of detail and rings, label
//! placement, the visible-edge list) timed step by step, and the GPU side pass by pass. Each pass
//! is drawn alone, whole and then with a one-pixel scissor (its vertex work only); a cleared frame
//! (submit, present and the wait for the GPU) is the floor taken off each. The picture cache is
//! off throughout: these are the costs of drawing.

use isg::Graph;
use renderer::passes::{PassSelection, Passes};
use renderer::view::{ViewSettings, compose};
use renderer::web::{DrawOptions, GpuRenderer};
use renderer::{Camera, Scene};

use super::figures::percentiles;
use super::render::{camera_at, settings};
use crate::loading::now_ms;

/// Frames per measured step.
const FRAMES: usize = 8;
const WHERE: &str = "where a frame goes";

fn median(samples: Vec<f64>) -> f64 {
    percentiles(samples).0
}

/// Milliseconds of `step` per frame through the camera path, median of [`FRAMES`].
fn time_cpu(fitted: Camera, factor: f32, mut step: impl FnMut(Camera)) -> (f64, f64) {
    let samples = (0..FRAMES)
        .map(|i| {
            let cam = camera_at(fitted, factor, i);
            let t = now_ms();
            step(cam);
            now_ms() - t
        })
        .collect();
    percentiles(samples)
}

/// Draws the composed frames through the camera path with only `selection`, timing from the
/// draw call to the GPU being done.
async fn time_gpu(
    renderer: &mut GpuRenderer,
    scene: &Scene,
    graph: &Graph,
    fitted: Camera,
    factor: f32,
    selection: PassSelection,
) -> f64 {
    renderer.select_passes(selection);
    let mut samples = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        let composed =
            compose(scene, graph, renderer.atlas(), camera_at(fitted, factor, i), DrawOptions::default(), &settings());
        let t = now_ms();
        renderer.show(&composed);
        renderer.finish().await;
        samples.push(now_ms() - t);
    }
    renderer.select_passes(PassSelection::ALL);
    median(samples)
}

/// Times one view of `scene` step by step and pass by pass, pushing one figure per step.
pub(super) async fn frame_breakdown(
    renderer: &mut GpuRenderer,
    scene: &Scene,
    graph: &Graph,
    fitted: Camera,
    factor: f32,
    name: &str,
    push: &impl Fn(String, (f64, f64), &'static str),
) {
    let atlas = renderer.atlas().clone();
    let whole = time_cpu(fitted, factor, |cam| {
        drop(std::hint::black_box(compose(scene, graph, &atlas, cam, DrawOptions::default(), &settings())));
    });
    let unlabelled = ViewSettings { labels: None, ..settings() };
    let without_labels = time_cpu(fitted, factor, |cam| {
        drop(std::hint::black_box(compose(scene, graph, &atlas, cam, DrawOptions::default(), &unlabelled)));
    });
    let visible = time_cpu(fitted, factor, |cam| {
        drop(std::hint::black_box(scene.visible_edges(&cam)));
    });
    push(format!("{name}: CPU compose, all of it (p50, p95)"), whole, WHERE);
    push(
        format!("{name}: CPU label placement and glyphs"),
        ((whole.0 - without_labels.0).max(0.0), (whole.1 - without_labels.1).max(0.0)),
        WHERE,
    );
    push(format!("{name}: CPU visible-edge list"), visible, WHERE);
    let full = PassSelection::ALL_REDRAWN;
    let cleared =
        time_gpu(renderer, scene, graph, fitted, factor, PassSelection { passes: Passes::NONE, ..full }).await;
    let all = time_gpu(renderer, scene, graph, fitted, factor, full).await;
    let all_vertex =
        time_gpu(renderer, scene, graph, fitted, factor, PassSelection { vertex_only: true, ..full }).await;
    push(format!("{name}: GPU cleared frame (submit, present, fence wait)"), (cleared, cleared), WHERE);
    push(
        format!("{name}: GPU every pass, whole (p50) and vertex work only (p95 column)"),
        (all - cleared, all_vertex - cleared),
        WHERE,
    );
    for (pass, passes) in Passes::EACH {
        let alone = time_gpu(renderer, scene, graph, fitted, factor, PassSelection { passes, ..full }).await;
        let vertex =
            time_gpu(renderer, scene, graph, fitted, factor, PassSelection { passes, vertex_only: true, reuse: false })
                .await;
        push(
            format!("{name}: GPU pass {pass}: whole (p50), vertex only (p95 column); fragments = the difference"),
            ((alone - cleared).max(0.0), (vertex - cleared).max(0.0)),
            WHERE,
        );
    }
}
