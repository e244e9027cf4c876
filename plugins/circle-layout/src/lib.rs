//! Circular layout, and the template for new plugins: one function, one macro, one `plugin.toml`.

use pt_plugin_sdk::{Graph, Params, Positions};

/// Orders nodes (by module when asked, then by id) and spaces them evenly on a circle whose
/// circumference gives each node `spacing` units of arc.
fn layout(graph: &Graph, params: &Params) -> Positions {
    let n = graph.node_count();
    let mut order: Vec<u32> = (0..n as u32).collect();
    if params.bool("group_by_module") {
        let modules = graph.node_modules();
        order.sort_by_key(|&i| (modules[i as usize], i));
    }
    let spacing = params.f64("spacing") as f32;
    let radius = (spacing * n as f32 / std::f32::consts::TAU).max(spacing);
    let mut positions = vec![[0.0; 2]; n];
    for (slot, &node) in order.iter().enumerate() {
        let angle = slot as f32 / n.max(1) as f32 * std::f32::consts::TAU;
        positions[node as usize] = [radius * angle.cos(), radius * angle.sin()];
    }
    positions
}

pt_plugin_sdk::layout!(layout);
