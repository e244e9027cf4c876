//! Colour by module: each node takes the colour of the folder its file sits in (to `depth`
//! levels), and the biggest folders get a captioned hull.

use std::collections::HashMap;

use pt_plugin_sdk::{Graph, NodeStyle, Params, Shape, Styles};
use serde_json::json;

const PALETTE: [[u8; 3]; 12] = [
    [78, 154, 240],
    [240, 140, 60],
    [108, 192, 108],
    [155, 108, 240],
    [232, 180, 60],
    [60, 200, 216],
    [208, 108, 180],
    [160, 200, 60],
    [240, 108, 108],
    [140, 160, 200],
    [200, 160, 120],
    [120, 220, 180],
];

/// Nodes a hull lists at most: the host draws the hull of their positions, and an evenly spread
/// sample of a big folder outlines it as well as every member would.
const HULL_SAMPLE: usize = 4000;

/// The folder key of a file path at `depth` levels; files at the root share "(root)".
pub fn folder_key(path: &str, depth: usize) -> String {
    let dirs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    if path.is_empty() {
        return "(outside the codebase)".into();
    }
    if dirs.is_empty() {
        return "(root)".into();
    }
    dirs[..dirs.len().min(depth)].join("/")
}

fn render(graph: &Graph, params: &Params) -> Styles {
    let n = graph.node_count();
    let depth = params.i64("depth").clamp(1, 8) as usize;
    let mut group_of: HashMap<String, u32> = HashMap::new();
    let mut members: Vec<Vec<u32>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut node_group = Vec::with_capacity(n);
    for i in 0..n as u32 {
        let key = folder_key(&graph.node_file(i), depth);
        let g = *group_of.entry(key.clone()).or_insert_with(|| {
            members.push(Vec::new());
            names.push(key);
            (members.len() - 1) as u32
        });
        members[g as usize].push(i);
        node_group.push(g);
    }
    let mut by_size: Vec<usize> = (0..members.len()).collect();
    by_size.sort_by_key(|&g| (std::cmp::Reverse(members[g].len()), names[g].clone()));
    let mut rank = vec![0usize; members.len()];
    for (r, &g) in by_size.iter().enumerate() {
        rank[g] = r;
    }
    let kinds = graph.node_kinds();
    let shapes: Vec<Shape> = (0..=kinds.iter().copied().max().unwrap_or(0))
        .map(|k| pt_plugin_sdk::node_kind_shape(&graph.node_kind_name(k)))
        .collect();
    let nodes = (0..n)
        .map(|i| {
            let [r, g, b] = PALETTE[rank[node_group[i] as usize] % PALETTE.len()];
            NodeStyle { rgba: [r, g, b, 255], size: 0.6, shape: shapes[kinds[i] as usize], hidden: false, halo: false }
        })
        .collect();
    let hulls = params.i64("hulls").max(0) as usize;
    let overlays = by_size
        .iter()
        .take(hulls)
        .filter(|&&g| members[g].len() >= 3)
        .map(|&g| {
            let all = &members[g];
            let step = all.len().div_ceil(HULL_SAMPLE);
            let sample: Vec<u32> = all.iter().step_by(step).copied().collect();
            let [r, gr, b] = PALETTE[rank[g] % PALETTE.len()];
            json!({
                "type": "hull",
                "nodes": sample,
                "color": format!("#{r:02x}{gr:02x}{b:02x}2a"),
                "label": format!("{} ({})", names[g], all.len()),
            })
        })
        .collect();
    Styles { nodes, overlays, ..Styles::default() }
}

pt_plugin_sdk::renderer!(render);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_keys_cut_paths_at_depth() {
        assert_eq!(folder_key("src/a/b/c.rs", 1), "src");
        assert_eq!(folder_key("src/a/b/c.rs", 2), "src/a");
        assert_eq!(folder_key("src/a/b/c.rs", 8), "src/a/b");
        assert_eq!(folder_key("lib.rs", 2), "(root)");
        assert_eq!(folder_key("", 2), "(outside the codebase)");
    }
}
