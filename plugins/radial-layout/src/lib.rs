//! Radial (ego) layout: the selected node in the centre (or the best-connected one when nothing
//! is selected), rings by hop distance.

use layout_core::radial::radial;
use pt_plugin_sdk::{Graph, Params, Positions};

fn layout(graph: &Graph, params: &Params) -> Positions {
    let n = graph.node_count();
    let edges = graph.edges();
    let hub_degree = params.i64("hub_degree").max(0) as u32;
    let centre = graph.selected().unwrap_or_else(|| {
        let degree = layout_core::degrees(n, edges);
        // The best-connected node that is not a hub shows the most structure around it.
        (0..n as u32)
            .filter(|&v| hub_degree == 0 || degree[v as usize] <= hub_degree)
            .max_by_key(|&v| (degree[v as usize], std::cmp::Reverse(v)))
            .unwrap_or(0)
    });
    radial(n, edges, centre, params.f64("ring_gap") as f32, params.f64("min_arc") as f32, hub_degree)
}

pt_plugin_sdk::layout!(layout);
