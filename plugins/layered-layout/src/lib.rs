//! Layered (Sugiyama) layout for call graphs: callers above callees, crossings reduced.

use layout_core::layered::{LayeredParams, layered};
use pt_plugin_sdk::{Graph, Params, Positions};

fn layout(graph: &Graph, params: &Params) -> Positions {
    let tuning = LayeredParams {
        layer_gap: params.f64("layer_gap") as f32,
        node_gap: params.f64("node_gap") as f32,
        sweeps: params.i64("sweeps").clamp(0, 64) as usize,
        dummy_budget: params.f64("dummy_budget") as f32,
        hub_degree: params.i64("hub_degree").max(0) as u32,
    };
    let result = layered(graph.node_count(), graph.edges(), &tuning);
    pt_plugin_sdk::log(
        1,
        &format!(
            "{} layers, {} edges reversed, {} dummy nodes, crossings {} → {}",
            result.layer.iter().max().map_or(0, |m| m + 1),
            result.reversed,
            result.dummies,
            result.crossings_before,
            result.crossings_after
        ),
    );
    pt_plugin_sdk::publish_edge_routes(&result.routes);
    result.positions
}

pt_plugin_sdk::layout!(layout);
