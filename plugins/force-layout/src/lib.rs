//! Force-directed layout plugin: runs [`force_core::ForceLayout`] and publishes the picture as it
//! settles, level by level.

use force_core::{ForceLayout, ForceParams};
use pt_plugin_sdk::{Graph, Params, Positions, progress, publish_positions};

fn layout(graph: &Graph, params: &Params) -> Positions {
    let every = params.i64("publish_every").max(1) as u32;
    let force = ForceParams {
        theta: params.f64("theta") as f32,
        tolerance: params.f64("tolerance") as f32,
        max_steps: params.i64("iterations").max(1) as u32,
        ..ForceParams::default()
    };
    let mut layout = ForceLayout::new(graph.node_count(), graph.edges(), force);
    // Progress counts the step limit of every level; a level that settles early jumps ahead.
    let levels = layout.level_count() as u32;
    let total = levels * force.max_steps;
    loop {
        let report = layout.step();
        if report.finished {
            break;
        }
        if report.level_done || layout.level_steps().is_multiple_of(every) {
            publish_positions(&layout.positions());
            let finished_levels = levels - 1 - layout.level() as u32;
            progress(finished_levels * force.max_steps + layout.level_steps(), total);
        }
    }
    layout.positions()
}

pt_plugin_sdk::layout!(layout);
