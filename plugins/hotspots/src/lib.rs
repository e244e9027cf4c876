//! Hotspot highlighting: a heat colour per node by fan-in, fan-out or the size of the strongly
//! connected component it belongs to. Sizes grow with heat, the hottest get halos and a note, and
//! edges fade except those touching a hot node.

use analysis_core::tangles::scc_sizes;
use pt_plugin_sdk::{EdgeStyle, Graph, NodeStyle, Params, Styles};
use serde_json::json;

/// Dim slate at 0, through amber, to hot red-white at 1.
fn heat(t: f32) -> [u8; 4] {
    let stops: [[f32; 3]; 4] = [[70.0, 86.0, 110.0], [60.0, 140.0, 220.0], [240.0, 170.0, 50.0], [255.0, 70.0, 60.0]];
    let x = t.clamp(0.0, 1.0) * 3.0;
    let i = (x as usize).min(2);
    let f = x - i as f32;
    let c: Vec<u8> = (0..3).map(|k| (stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f) as u8).collect();
    [c[0], c[1], c[2], 255]
}

fn render(graph: &Graph, params: &Params) -> Styles {
    let n = graph.node_count();
    let edges = graph.edges();
    let metric = params.str("metric").to_owned();
    let values: Vec<u32> = match metric.as_str() {
        "scc" => scc_sizes(n, edges).into_iter().map(|s| s - 1).collect(),
        "fan_out" => {
            let mut v = vec![0u32; n];
            edges.iter().for_each(|e| v[e[0] as usize] += 1);
            v
        }
        _ => {
            let mut v = vec![0u32; n];
            edges.iter().for_each(|e| v[e[1] as usize] += 1);
            v
        }
    };
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let scale = (1.0 + max as f32).ln();
    let t: Vec<f32> = values.iter().map(|&v| (1.0 + v as f32).ln() / scale).collect();
    let mut hottest: Vec<u32> = (0..n as u32).filter(|&i| values[i as usize] > 0).collect();
    hottest.sort_by_key(|&i| std::cmp::Reverse(values[i as usize]));
    hottest.truncate(params.i64("top").max(0) as usize);
    let kinds = graph.node_kinds();
    let kind_names = graph.node_kind_names();
    let mut nodes: Vec<NodeStyle> = (0..n)
        .map(|i| NodeStyle {
            rgba: heat(t[i]),
            size: 0.5 + 2.5 * t[i],
            shape: pt_plugin_sdk::node_kind_shape(&kind_names[kinds[i] as usize]),
            hidden: false,
            halo: false,
        })
        .collect();
    for &h in &hottest {
        nodes[h as usize].halo = true;
    }
    let edge_styles = edges
        .iter()
        .map(|e| {
            let hot = t[e[0] as usize].max(t[e[1] as usize]);
            let mut rgba = heat(hot);
            rgba[3] = (40.0 + 180.0 * hot * hot) as u8;
            EdgeStyle { rgba, width: 0.75 + 1.5 * hot * hot }
        })
        .collect();
    let word = match metric.as_str() {
        "scc" => "cycle of",
        "fan_out" => "fan-out",
        _ => "fan-in",
    };
    let mut overlays: Vec<_> = hottest
        .iter()
        .take(5)
        .map(|&h| {
            let v = values[h as usize] + u32::from(metric == "scc");
            json!({"type": "annotation", "node": h, "text": format!("{word} {v}")})
        })
        .collect();
    let what = match metric.as_str() {
        "scc" => "size of its cycle",
        "fan_out" => "calls and uses out",
        _ => "callers and users",
    };
    overlays.extend([
        pt_plugin_sdk::legend_entry(heat(0.0), &format!("none ({what})"), "circle"),
        pt_plugin_sdk::legend_entry(heat(0.5), &format!("some, on a log scale (up to {max})"), "circle"),
        pt_plugin_sdk::legend_entry(heat(1.0), &format!("most: {max}; bigger nodes are hotter"), "circle"),
        pt_plugin_sdk::legend_entry(heat(0.75), "an edge, as hot as its hotter end", "line"),
    ]);
    Styles { nodes, edges: Some(edge_styles), overlays, ..Styles::default() }
}

pt_plugin_sdk::renderer!(render);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scc_sizes_find_cycles_and_singletons() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 4 hangs off it; 5 loops on itself.
        let edges = [[0, 1], [1, 2], [2, 0], [2, 3], [3, 4], [5, 5]];
        assert_eq!(scc_sizes(6, &edges), vec![3, 3, 3, 1, 1, 1]);
        // A long chain does not recurse.
        let chain: Vec<[u32; 2]> = (0..200_000u32).map(|i| [i, i + 1]).collect();
        assert!(scc_sizes(200_001, &chain).iter().all(|&s| s == 1));
    }

    #[test]
    fn heat_runs_from_cool_to_hot() {
        assert!(heat(0.0)[2] > heat(0.0)[0], "cool is blue-ish");
        assert!(heat(1.0)[0] > 250 && heat(1.0)[2] < 80, "hot is red");
    }
}
