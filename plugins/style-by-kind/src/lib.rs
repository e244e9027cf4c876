//! Style by kind: the app's default look written as a renderer plugin, and the template for new
//! renderers. Functions are blue circles, structs orange squares, traits purple diamonds; edges
//! take their kind's colour; placeholders for callees outside the codebase are grey. The look
//! itself is the ABI's (`pt_abi`'s default look), the same functions the renderer draws with, so
//! this plugin's output equals the built-in look (a host test checks it).

use pt_plugin_sdk::{
    EXTERNAL_RGBA, EdgeStyle, Graph, NodeStyle, Params, Shape, Styles, edge_kind_rgba, legend_entry, node_kind_rgba,
    node_kind_shape, node_radius,
};

fn render(graph: &Graph, params: &Params) -> Styles {
    let n = graph.node_count();
    let edges = graph.edges();
    let mut degree = vec![0u32; n];
    for e in edges {
        degree[e[0] as usize] += 1;
        degree[e[1] as usize] += 1;
    }
    let kinds = graph.node_kinds();
    let looks: Vec<_> = graph.node_kind_names().iter().map(|k| (node_kind_rgba(k), node_kind_shape(k))).collect();
    let external = graph.node_is_external();
    let external_alpha = params.i64("external_alpha").clamp(0, 255) as u8;
    let grow = params.bool("size_by_degree");
    let nodes = (0..n)
        .map(|i| {
            let (rgba, shape) = looks[kinds[i] as usize];
            let outside = external[i] != 0;
            let [r, g, b, _] = EXTERNAL_RGBA;
            NodeStyle {
                rgba: if outside { [r, g, b, external_alpha] } else { rgba },
                size: if grow { node_radius(degree[i]) } else { node_radius(0) },
                shape,
                hidden: outside && external_alpha == 0,
                halo: false,
            }
        })
        .collect();
    let edge_kinds = graph.edge_kinds();
    let edge_colours: Vec<[u8; 4]> = graph.edge_kind_names().iter().map(|k| edge_kind_rgba(k)).collect();
    let edge_styles = edge_kinds.iter().map(|&k| EdgeStyle { rgba: edge_colours[k as usize], width: 1.0 }).collect();
    // The legend: each kind present, in the look it is drawn with.
    let mut overlays = Vec::new();
    for (k, (rgba, shape)) in looks.iter().enumerate() {
        if kinds.iter().any(|&x| x as usize == k) {
            overlays.push(legend_entry(*rgba, &graph.node_kind_name(k as u16), shape_name(*shape)));
        }
    }
    for (k, rgba) in edge_colours.iter().enumerate() {
        if edge_kinds.iter().any(|&x| x as usize == k) {
            overlays.push(legend_entry(*rgba, &graph.edge_kind_name(k as u8), "line"));
        }
    }
    Styles { nodes, edges: Some(edge_styles), overlays, ..Styles::default() }
}

/// The legend swatch of a glyph.
fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Circle => "circle",
        Shape::Square => "square",
        Shape::Diamond => "diamond",
        Shape::Triangle => "triangle",
        Shape::Box => "box",
    }
}

pt_plugin_sdk::renderer!(render);
