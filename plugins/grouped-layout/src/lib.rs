//! Grouped by module: every module's nodes on a disc, discs packed without overlap.

use layout_core::grouped::grouped;
use pt_plugin_sdk::{Graph, Params, Positions};

fn layout(graph: &Graph, params: &Params) -> Positions {
    grouped(graph.node_modules(), params.f64("spacing") as f32)
}

pt_plugin_sdk::layout!(layout);
