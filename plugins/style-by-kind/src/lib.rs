//! Style by kind: the app's default look written as a renderer plugin, and the template for new
//! renderers. Functions are blue circles, structs orange squares, traits purple diamonds; edges
//! take their kind's colour; placeholders for callees outside the codebase are grey.

use pt_plugin_sdk::{EdgeStyle, Graph, NodeStyle, Params, Shape, Styles};

/// Colour and glyph of a node kind, as the renderer's default look has them.
pub fn kind_look(kind: &str) -> ([u8; 3], Shape) {
    let colour = match kind {
        "Function" => [0x4e, 0x9a, 0xf0],
        "Method" => [0x3c, 0xc8, 0xd8],
        "Struct" => [0xf0, 0x8c, 0x3c],
        "Enum" => [0xe8, 0xb4, 0x3c],
        "Trait" => [0x9b, 0x6c, 0xf0],
        "Impl" => [0xd0, 0x6c, 0xb4],
        "Module" | "File" => [0x6c, 0xc0, 0x6c],
        _ => [0xa0, 0xa0, 0xa0],
    };
    (colour, Shape::for_kind(kind))
}

/// Colour of an edge kind.
pub fn edge_rgba(kind: &str) -> [u8; 4] {
    match kind {
        "Calls" => [0x7a, 0x9c, 0xc8, 0x90],
        "Uses" => [0xd8, 0x9c, 0x6c, 0x90],
        "Implements" => [0xb0, 0x8c, 0xf0, 0xd0],
        _ => [0x90, 0x90, 0x90, 0x80],
    }
}

fn render(graph: &Graph, params: &Params) -> Styles {
    let n = graph.node_count();
    let edges = graph.edges();
    let mut degree = vec![0u32; n];
    for e in edges {
        degree[e[0] as usize] += 1;
        degree[e[1] as usize] += 1;
    }
    let kinds = graph.node_kinds();
    let looks: Vec<([u8; 3], Shape)> =
        (0..=kinds.iter().copied().max().unwrap_or(0)).map(|k| kind_look(&graph.node_kind_name(k))).collect();
    let external = graph.node_is_external();
    let external_alpha = params.i64("external_alpha").clamp(0, 255) as u8;
    let grow = params.bool("size_by_degree");
    let nodes = (0..n)
        .map(|i| {
            let ([r, g, b], shape) = looks[kinds[i] as usize];
            let outside = external[i] != 0;
            let radius = if grow { (0.5 + (degree[i] as f32).sqrt() * 0.125).min(3.0) } else { 0.5 };
            NodeStyle {
                rgba: if outside { [0x8a, 0x8a, 0x8a, external_alpha] } else { [r, g, b, 255] },
                size: radius,
                shape,
                hidden: outside && external_alpha == 0,
                halo: false,
            }
        })
        .collect();
    let edge_kinds = graph.edge_kinds();
    let edge_colours: Vec<[u8; 4]> =
        (0..=edge_kinds.iter().copied().max().unwrap_or(0)).map(|k| edge_rgba(&graph.edge_kind_name(k))).collect();
    let edge_styles = edge_kinds.iter().map(|&k| EdgeStyle { rgba: edge_colours[k as usize], width: 1.0 }).collect();
    Styles { nodes, edges: Some(edge_styles), ..Styles::default() }
}

pt_plugin_sdk::renderer!(render);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_get_distinct_looks() {
        let f = kind_look("Function");
        let s = kind_look("Struct");
        let t = kind_look("Trait");
        assert!(f.0 != s.0 && s.0 != t.0 && f.1 != s.1 && s.1 != t.1);
        assert_eq!(kind_look("SomethingNew").1, Shape::Triangle, "unknown kinds still draw");
        assert!(edge_rgba("Implements")[3] > edge_rgba("Calls")[3], "the rare Implements edges stand out");
    }
}
