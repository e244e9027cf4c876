//! Real plugins, written in Rust with the SDK and built from source by the test, run in the host.

mod running;
mod support;

use running::{load, no_fetch};

use std::sync::Arc;

use isg::synth::{SynthSpec, generate};
use plugin_host::{Capability, ErrorKind, FailedCall, GraphInput, HostPolicy, PluginError, PluginHost};
use serde_json::json;

fn graph(nodes: usize, edges: usize) -> Arc<GraphInput> {
    Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes, edges, seed: 11 }))))
}

#[test]
fn circle_layout_places_every_node_on_the_circle() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "circle-layout");
    assert_eq!(plugin.grants().requested(), [Capability::ReadIsg, Capability::WriteVisualization]);
    let g = graph(1000, 3000);
    let (out, metrics) = plugin.run_to_end(Arc::clone(&g), &json!({"spacing": 2.0}), None, no_fetch).unwrap();
    let positions = out.positions.unwrap().to_vec();
    assert_eq!(positions.len(), 1000);
    let radius = 2.0 * 1000.0 / std::f32::consts::TAU;
    for p in &positions {
        let r = (p[0] * p[0] + p[1] * p[1]).sqrt();
        assert!((r - radius).abs() < 0.01, "{r} vs {radius}");
    }
    // Grouped by module: nodes of one module are contiguous around the circle.
    let angle = |p: &[f32; 2]| p[1].atan2(p[0]).rem_euclid(std::f32::consts::TAU);
    let mut by_angle: Vec<u32> = (0..1000).collect();
    by_angle.sort_by(|a, b| angle(&positions[*a as usize]).total_cmp(&angle(&positions[*b as usize])));
    let modules: Vec<u32> = by_angle.iter().map(|&n| g.graph().module(isg::NodeId(n)).0).collect();
    let runs = 1 + modules.windows(2).filter(|w| w[0] != w[1]).count();
    let distinct = modules.iter().collect::<std::collections::BTreeSet<_>>().len();
    assert_eq!(runs, distinct, "each module is one arc");
    assert!(metrics.fuel_used > 10_000 && metrics.host_calls >= 3, "{metrics:?}");
}

#[test]
fn force_layout_is_progressive_and_settles() {
    let host = PluginHost::new(HostPolicy { slice_fuel: 500_000, ..HostPolicy::default() }).unwrap();
    let mut plugin = load(&host, "force-layout");
    let g = graph(300, 600);
    let mut call = plugin.start(Arc::clone(&g), &json!({"iterations": 200, "publish_every": 5}), None).unwrap();
    let mut intermediate = 0;
    let output = loop {
        match call.step().unwrap() {
            plugin_host::Step::Running { positions_changed, progress } => {
                if positions_changed {
                    intermediate += 1;
                    assert_eq!(call.positions().unwrap().len(), 300);
                    assert!(progress.is_some());
                }
            }
            plugin_host::Step::Fetch(_) => unreachable!("force layout does not fetch"),
            plugin_host::Step::Finished(output) => break *output,
        }
    };
    assert!(intermediate >= 3, "saw {intermediate} intermediate pictures");
    let positions = output.positions.unwrap().to_vec();
    assert!(positions.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
    // Connected nodes end up closer than average pairs.
    let dist = |a: u32, b: u32| {
        let (p, q) = (positions[a as usize], positions[b as usize]);
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
    };
    let edges: Vec<_> = g.graph().edges().map(|(a, b, _)| dist(a.0, b.0)).collect();
    let edge_mean = edges.iter().sum::<f32>() / edges.len() as f32;
    let pair_mean = (0..299).map(|i| dist(i, (i * 7 + 13) % 300)).sum::<f32>() / 299.0;
    assert!(edge_mean < pair_mean, "edges {edge_mean} vs pairs {pair_mean}");
}

#[test]
fn hostile_rust_plugin_is_contained_in_every_mode() {
    let host =
        PluginHost::new(HostPolicy { fuel_ceiling: 200_000_000, memory_ceiling: 64 << 20, ..HostPolicy::default() })
            .unwrap();
    let mut plugin = load(&host, "hostile");
    let g = graph(100, 300);
    let mut run = |mode: &str| {
        plugin
            .run_to_end(Arc::clone(&g), &json!({ "mode": mode }), None, no_fetch)
            .map(|(o, _)| o)
            .map_err(|failed| failed.error)
    };
    let edges = g.edge_count();
    let e = run("panic").unwrap_err();
    let expected = format!("deliberate panic: edge {} of {edges}", edges + 1);
    assert!(
        matches!(&e, PluginError { kind: ErrorKind::Trap { message, .. }, .. } if message.contains(&expected)),
        "{e}"
    );
    let e = run("alloc-bomb").unwrap_err();
    assert!(matches!(e, PluginError { kind: ErrorKind::MemoryLimit { .. }, .. }), "{e}");
    let e = run("recursion").unwrap_err();
    assert!(matches!(e, PluginError { kind: ErrorKind::StackOverflow, .. }), "{e}");
    let e = run("spin").unwrap_err();
    assert!(matches!(e, PluginError { kind: ErrorKind::OutOfFuel { fuel: 200_000_000, .. }, .. }), "{e}");
    // A flood of bulk host calls pays for the host's work: it runs out of the same fuel after a
    // bounded number of calls.
    let FailedCall { error: e, metrics } =
        *plugin.run_to_end(Arc::clone(&g), &json!({ "mode": "style-flood" }), None, no_fetch).unwrap_err();
    assert!(matches!(e, PluginError { kind: ErrorKind::OutOfFuel { fuel: 200_000_000, .. }, .. }), "{e}");
    assert!(metrics.host_calls < 200_000_000 / 3_000, "{metrics:?}");
    let mut run = |mode: &str| {
        plugin
            .run_to_end(Arc::clone(&g), &json!({ "mode": mode }), None, no_fetch)
            .map(|(o, _)| o)
            .map_err(|failed| failed.error)
    };
    // The same plugin, asked to behave, still works after all of that.
    let out = run("behave").unwrap();
    assert_eq!(out.findings[0].message, format!("100 nodes, {edges} edges"));
    let e = run("explode").unwrap_err();
    assert!(matches!(e, PluginError { kind: ErrorKind::Params { .. }, .. }), "{e}");
}

#[test]
fn hotspots_heat_the_most_called_nodes_and_note_them() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "hotspots");
    let g = graph(2000, 8000);
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({"metric": "fan_in", "top": 7}), None, no_fetch).unwrap();
    let styles = out.node_styles.expect("one style per node").to_vec();
    assert_eq!(styles.len(), 2000);
    assert_eq!(out.edge_styles.expect("one style per edge").len(), g.graph().edge_count());
    let graph = g.graph();
    let hottest = graph.nodes().max_by_key(|&n| (graph.in_degree(n), std::cmp::Reverse(n.0))).unwrap();
    let coldest = graph.nodes().find(|&n| graph.in_degree(n) == 0).unwrap();
    assert!(styles[hottest.index()].halo);
    assert!(styles[hottest.index()].size > styles[coldest.index()].size, "hot nodes grow");
    assert_eq!(styles.iter().filter(|s| s.halo).count(), 7);
    let notes = out.overlays.iter().filter(|o| matches!(o, plugin_host::abi::Overlay::Annotation { .. })).count();
    assert_eq!(notes, 5);

    let (cycles, _) = plugin.run_to_end(Arc::clone(&g), &json!({"metric": "scc", "top": 3}), None, no_fetch).unwrap();
    assert_ne!(cycles.node_styles.map(|r| r.to_vec()), Some(styles), "the metric changes the picture");
}

#[test]
fn module_colors_colour_each_folder_alike_and_hull_the_biggest() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "module-colors");
    let g = graph(3000, 6000);
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({"depth": 1, "hulls": 4}), None, no_fetch).unwrap();
    let styles = out.node_styles.expect("one style per node").to_vec();
    let graph = g.graph();
    let folder = |n: isg::NodeId| {
        graph.file_path(n).rsplit_once('/').map_or("", |(d, _)| d).split('/').next().unwrap_or("").to_owned()
    };
    let mut colour_of: std::collections::HashMap<String, [u8; 4]> = std::collections::HashMap::new();
    for n in graph.nodes() {
        let c = *colour_of.entry(folder(n)).or_insert(styles[n.index()].rgba);
        assert_eq!(c, styles[n.index()].rgba, "one colour per top-level folder");
    }
    let hulls: Vec<_> = out
        .overlays
        .iter()
        .filter_map(|o| match o {
            plugin_host::abi::Overlay::Hull { nodes, label, .. } => Some((nodes.len(), label.clone())),
            plugin_host::abi::Overlay::Annotation { .. } | plugin_host::abi::Overlay::Legend { .. } => None,
        })
        .collect();
    assert_eq!(hulls.len(), 4.min(colour_of.len()));
    assert!(hulls.windows(2).all(|w| w[0].0 >= w[1].0), "biggest first: {hulls:?}");
    assert!(hulls.iter().all(|(_, l)| l.as_deref().is_some_and(|l| l.ends_with(')'))));
}

#[test]
fn layered_layout_points_edges_down_through_the_host() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "layered-layout");
    // The synthetic generator's edges point from lower to higher ids only in part; the layout
    // reverses what closes a cycle, so check the edges it kept pointing down: most of them.
    let g = graph(1500, 5000);
    let (out, metrics) = plugin.run_to_end(Arc::clone(&g), &json!({"hub_degree": 0}), None, no_fetch).unwrap();
    let p = out.positions.expect("positions").to_vec();
    assert_eq!(p.len(), 1500);
    assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
    let graph = g.graph();
    let down = graph.edges().filter(|(a, b, _)| a != b && p[a.index()][1] < p[b.index()][1]).count();
    let loops = graph.edges().filter(|(a, b, _)| a == b).count();
    assert!(down * 10 >= (graph.edge_count() - loops) * 7, "{down} of {} edges point down", graph.edge_count());
    assert!(out.logs.iter().any(|l| l.message.contains("crossings")), "{:?}", out.logs);
    assert!(metrics.fuel_used > 0);
}

#[test]
fn radial_layout_centres_the_selected_node() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "radial-layout");
    let g = graph(800, 2400);
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({}), Some(42), no_fetch).unwrap();
    let p = out.positions.expect("positions").to_vec();
    assert_eq!(p[42], [0.0, 0.0], "the selection is the centre");
    let graph = g.graph();
    let r = |v: usize| (p[v][0].powi(2) + p[v][1].powi(2)).sqrt();
    let neighbours: Vec<usize> = graph
        .out_edges(isg::NodeId(42))
        .chain(graph.in_edges(isg::NodeId(42)))
        .map(|e| e.node.index())
        .filter(|&v| v != 42)
        .collect();
    assert!(!neighbours.is_empty());
    let first_ring = (0..800).filter(|&v| v != 42).map(r).fold(f32::INFINITY, f32::min);
    for v in neighbours {
        assert!((r(v) - first_ring).abs() < 1e-3, "neighbour {v} at {} is not on the first ring ({first_ring})", r(v));
    }
}

#[test]
fn grouped_layout_keeps_modules_apart() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "grouped-layout");
    let g = graph(2000, 4000);
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({"spacing": 3.0}), None, no_fetch).unwrap();
    let p = out.positions.expect("positions").to_vec();
    let graph = g.graph();
    // Bounding discs of different modules do not overlap.
    let mut discs: std::collections::BTreeMap<u32, Vec<[f32; 2]>> = std::collections::BTreeMap::new();
    for n in graph.nodes() {
        discs.entry(graph.module(n).0).or_default().push(p[n.index()]);
    }
    let circles: Vec<([f32; 2], f32)> = discs
        .values()
        .map(|pts| {
            let c = [
                pts.iter().map(|q| q[0]).sum::<f32>() / pts.len() as f32,
                pts.iter().map(|q| q[1]).sum::<f32>() / pts.len() as f32,
            ];
            (c, pts.iter().map(|q| ((q[0] - c[0]).powi(2) + (q[1] - c[1]).powi(2)).sqrt()).fold(0.0, f32::max))
        })
        .collect();
    for (i, a) in circles.iter().enumerate() {
        for b in &circles[i + 1..] {
            let d = ((a.0[0] - b.0[0]).powi(2) + (a.0[1] - b.0[1]).powi(2)).sqrt();
            assert!(d >= a.1 + b.1, "two modules overlap");
        }
    }
}

#[test]
fn style_by_kind_gives_each_kind_one_look_and_each_edge_kind_one_colour() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "style-by-kind");
    let g = graph(1500, 4500);
    let (out, _) = plugin.run_to_end(Arc::clone(&g), &json!({"size_by_degree": false}), None, no_fetch).unwrap();
    let nodes = out.node_styles.expect("one style per node").to_vec();
    let edges = out.edge_styles.expect("one style per edge").to_vec();
    let graph = g.graph();
    let mut by_kind: std::collections::HashMap<&str, ([u8; 4], plugin_host::abi::Shape)> =
        std::collections::HashMap::new();
    for n in graph.nodes() {
        let s = nodes[n.index()];
        if graph.is_external(n) {
            continue;
        }
        let look = *by_kind.entry(graph.kind_name(n)).or_insert((s.rgba, s.shape));
        assert_eq!(look, (s.rgba, s.shape), "one look per kind");
        assert_eq!(s.size, 0.5, "sizes stay flat when size_by_degree is off");
    }
    assert!(by_kind.len() >= 3, "{by_kind:?}");
    let colours: std::collections::BTreeSet<[u8; 4]> = by_kind.values().map(|l| l.0).collect();
    assert_eq!(colours.len(), by_kind.len(), "kinds are told apart by colour");
    let mut by_edge_kind: std::collections::HashMap<u8, [u8; 4]> = std::collections::HashMap::new();
    for ((_, _, kind), s) in graph.edges().zip(&edges) {
        assert_eq!(*by_edge_kind.entry(kind.0).or_insert(s.rgba), s.rgba, "one colour per edge kind");
    }
}

#[test]
fn uml_view_boxes_the_types_and_marks_realisation_dashed_with_hollow_heads() {
    use plugin_host::abi::{EdgeMarks, Shape};
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "uml-view");
    let g = graph(1500, 4500);
    let (out, metrics) = plugin.run_to_end(Arc::clone(&g), &json!({"operations": 3}), None, no_fetch).unwrap();
    let nodes = out.node_styles.expect("one style per node").to_vec();
    let marks: Vec<u8> = out.edge_marks.expect("one mark per edge").iter().map(|m| m.0).collect();
    let graph = g.graph();
    let mut boxes = 0;
    for n in graph.nodes() {
        let is_type = matches!(graph.kind_name(n), "Struct" | "Trait");
        assert_eq!(nodes[n.index()].shape == Shape::Box, is_type, "{} is boxed only if it is a type", graph.name(n));
        if is_type {
            boxes += 1;
            let label = &out.labels[&n.0];
            let mut lines = label.lines();
            assert!(matches!(lines.next(), Some("<<struct>>" | "<<trait>>")), "{label}");
            assert_eq!(lines.next(), Some(graph.signature(n)), "the signature follows the stereotype");
            assert!(label.lines().filter(|l| l.starts_with("+ ")).count() <= 3, "{label}");
        }
    }
    assert!(boxes > 100 && out.labels.len() == boxes, "{boxes} boxes, {} labels", out.labels.len());
    for ((_, _, kind), &m) in graph.edges().zip(&marks) {
        let realisation = graph.edge_kinds()[kind.0 as usize] == "Implements";
        assert_eq!(m == EdgeMarks::DASHED | EdgeMarks::HOLLOW_ARROW, realisation, "edge mark {m:#x}");
    }
    assert!(metrics.host_calls >= 2 + boxes as u64, "node styles, edge styles, marks and a label per box");
}

#[test]
fn every_plugin_is_the_kind_its_manifest_says() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let plugins = support::repo_root().join("plugins");
    let mut checked = 0;
    for dir in std::fs::read_dir(&plugins).expect("plugins/") {
        let dir = dir.expect("entry").path();
        if !dir.join("plugin.toml").exists() {
            continue;
        }
        let name = dir.file_name().and_then(|n| n.to_str()).expect("a name").to_owned();
        let plugin = load(&host, &name);
        assert_eq!(plugin.entry_point(), plugin.manifest().plugin.kind.entry_point(), "{name}");
        // Its README (packed into its package, shown on its marketplace page) names every parameter.
        if let Ok(readme) = std::fs::read_to_string(dir.join("README.md")) {
            for param in plugin.manifest().parameters.keys() {
                assert!(readme.contains(&format!("(`{param}`")), "{name}'s README does not describe `{param}`");
            }
        }
        checked += 1;
    }
    assert!(checked >= 12, "{checked} plugins");
}

#[test]
fn a_hostile_exporters_files_stay_inert() {
    let host = PluginHost::new(HostPolicy::default()).expect("host");
    let mut plugin = load(&host, "hostile-exporter");
    let graph = graph(20, 40);
    let mut exported = Vec::new();
    for format in ["html", "svg", "dot"] {
        let (out, _) = plugin
            .run_to_end(Arc::clone(&graph), &serde_json::json!({"format": format}), None, no_fetch)
            .expect("runs");
        let f = &out.files[0];
        exported.push((f.name.clone(), f.mime.clone()));
    }
    assert_eq!(
        exported,
        [
            ("report_lmth.txt.html".to_owned(), "application/octet-stream".to_owned()),
            ("picture.svg".to_owned(), "application/octet-stream".to_owned()),
            ("graph.dot".to_owned(), "text/vnd.graphviz".to_owned()),
        ]
    );
}
