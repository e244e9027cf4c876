//! Force-directed layout plugin: runs [`force_core::Simulation`] and publishes intermediate positions.

use force_core::{ForceParams, Simulation};
use pt_plugin_sdk::{Graph, Params, Positions, progress, publish_positions};

/// Mean movement per node below which the picture counts as stable.
const STABLE: f32 = 0.05;

fn layout(graph: &Graph, params: &Params) -> Positions {
    let iterations = params.i64("iterations").max(1) as u32;
    let every = params.i64("publish_every").max(1) as u32;
    let force = ForceParams { theta: params.f64("theta") as f32, ..ForceParams::default() };
    let mut sim = Simulation::new(graph.node_count(), graph.edges().to_vec(), 10.0);
    for step in 1..=iterations {
        let moved = sim.step(&force);
        if moved < STABLE {
            break;
        }
        if step % every == 0 {
            publish_positions(&sim.positions);
            progress(step, iterations);
        }
    }
    sim.positions
}

pt_plugin_sdk::layout!(layout);
