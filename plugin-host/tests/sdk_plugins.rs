//! Real plugins, written in Rust with the SDK and built from source by the test, run in the host.

mod support;

use std::sync::Arc;

use isg::synth::{SynthSpec, generate};
use plugin_host::{Capabilities, Capability, GraphInput, HostPolicy, LoadedPlugin, Manifest, PluginError, PluginHost};
use serde_json::json;

fn graph(nodes: usize, edges: usize) -> Arc<GraphInput> {
    Arc::new(GraphInput::new(Arc::new(generate(SynthSpec { nodes, edges, seed: 11 }))))
}

fn load(host: &PluginHost, name: &str) -> LoadedPlugin {
    let (wasm, manifest) = support::plugin(name);
    let manifest = Arc::new(Manifest::parse(&manifest).expect("first-party manifest parses"));
    let grants = Capability::ALL.into_iter().collect::<Capabilities>();
    host.load(manifest, &wasm, grants).expect("first-party plugin loads")
}

fn no_fetch(_: &plugin_host::FetchRequest) -> Result<Vec<u8>, String> {
    Err("no network in tests".into())
}

#[test]
fn circle_layout_places_every_node_on_the_circle() {
    let host = PluginHost::new(HostPolicy::default()).unwrap();
    let mut plugin = load(&host, "circle-layout");
    assert_eq!(plugin.grants().requested(), [Capability::ReadIsg, Capability::WriteVisualization]);
    let g = graph(1000, 3000);
    let (out, metrics) = plugin.run_to_end(Arc::clone(&g), &json!({"spacing": 2.0}), None, no_fetch).unwrap();
    let positions = out.positions.unwrap();
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
            plugin_host::Step::Finished(output) => break output,
        }
    };
    assert!(intermediate >= 3, "saw {intermediate} intermediate pictures");
    let positions = output.positions.unwrap();
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
        plugin.run_to_end(Arc::clone(&g), &json!({ "mode": mode }), None, no_fetch).map(|(o, _)| o).map_err(|(e, _)| e)
    };
    let edges = g.edge_count();
    let e = run("panic").unwrap_err();
    let expected = format!("deliberate panic: edge {} of {edges}", edges + 1);
    assert!(matches!(&e, PluginError::Trap { message, .. } if message.contains(&expected)), "{e}");
    let e = run("alloc-bomb").unwrap_err();
    assert!(matches!(e, PluginError::MemoryLimit { .. }), "{e}");
    let e = run("recursion").unwrap_err();
    assert!(matches!(e, PluginError::StackOverflow { .. }), "{e}");
    let e = run("spin").unwrap_err();
    assert!(matches!(e, PluginError::OutOfFuel { fuel: 200_000_000, .. }), "{e}");
    // The same plugin, asked to behave, still works after all of that.
    let out = run("behave").unwrap();
    assert_eq!(out.findings[0].message, format!("100 nodes, {edges} edges"));
    let e = run("explode").unwrap_err();
    assert!(matches!(e, PluginError::Params { .. }), "{e}");
}
