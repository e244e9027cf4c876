//! The scene's tests: memory budget and picking, visible edges, aggregates, the edge-kind filter,
//! styles applied whole or not at all.

use super::build::{MAX_AGGREGATE_EDGES, MAX_GROUPS};
use super::*;
use crate::style::{Shape, kind_color};
use isg::synth::{SynthSpec, generate};

fn line_scene(n: usize) -> (Graph, Scene) {
    let g = generate(SynthSpec { nodes: n, edges: n * 5, seed: 1 });
    let positions: Vec<[f32; 2]> = (0..g.node_count()).map(|i| [i as f32 * 10.0, 0.0]).collect();
    let scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
    (g, scene)
}

#[test]
fn scene_fits_the_gpu_memory_budget_and_picks_the_nearest_node() {
    let (g, mut scene) = line_scene(10_000);
    let per_node = (scene.node_data.len() * 16 + scene.nodes.len() * 16) as f64 / g.node_count() as f64;
    assert!(per_node <= 64.0, "{per_node} bytes per node");
    assert_eq!(size_of::<EdgeInstance>(), 16);
    assert_eq!(scene.edges.len(), g.edge_count(), "one instance per graph edge, in order");

    let mut cam = Camera::new([1000.0, 1000.0]);
    cam.center = [50.0, 0.0];
    let at = cam.world_to_screen([50.0, 0.0]);
    assert_eq!(scene.pick(&cam, at, 6.0, 2.0), Some(NodeId(5)));
    assert_eq!(scene.pick(&cam, [at[0], at[1] + 200.0], 6.0, 2.0), None);
    scene.set_hidden(NodeId(5), true);
    assert_ne!(scene.pick(&cam, at, 6.0, 2.0), Some(NodeId(5)));
    let boxed = scene.pick_box(&cam, [at[0] - 25.0, at[1] - 5.0], [at[0] + 25.0, at[1] + 5.0]);
    assert_eq!(boxed, vec![NodeId(3), NodeId(4), NodeId(6), NodeId(7)], "hidden nodes are not boxed");

    scene.set_highlight(&[(NodeId(3), NodeFlagsGpu::SELECTED)]);
    assert_eq!(scene.flags(3), NodeFlagsGpu::SELECTED);
    assert_eq!(scene.flags(5), NodeFlagsGpu::HIDDEN);
    assert_eq!(scene.highlighted, vec![3]);
}

#[test]
fn visible_edges_are_exactly_those_touching_the_view() {
    let g = generate(SynthSpec { nodes: 20_000, edges: 80_000, seed: 9 });
    let mut scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
    let mut cam = Camera::new([800.0, 600.0]);
    cam.fit(scene.bounds(), 0.0);
    assert!(scene.visible_edges(&cam).is_none(), "the whole graph on screen draws every edge");
    cam.zoom_at([400.0, 300.0], 8.0);
    let far_node = scene.by_degree[0];
    scene.set_highlight(&[(NodeId(far_node), NodeFlagsGpu::SELECTED)]);
    let got = scene.visible_edges(&cam).expect("zoomed in, edges are picked");
    let view = cam.visible();
    let margin = scene.grid.max_size() * 0.5 + 4.0 / cam.scale;
    let on = |i: u32| {
        let p = scene.position(i as usize);
        p[0] >= view.min[0] - margin
            && p[0] <= view.max[0] + margin
            && p[1] >= view.min[1] - margin
            && p[1] <= view.max[1] + margin
    };
    let mut want: Vec<EdgeInstance> = scene
        .edges
        .iter()
        .copied()
        .filter(|e| on(e.from) || on(e.to) || e.from == far_node || e.to == far_node)
        .collect();
    let key = |e: &EdgeInstance| (e.from, e.to, e.color, e.style);
    let mut got_sorted = got.clone();
    got_sorted.sort_by_key(key);
    want.sort_by_key(key);
    assert_eq!(got_sorted.len(), want.len(), "each edge once");
    assert_eq!(got_sorted, want);
    assert!(got.len() < scene.edges.len() / 4, "{} of {}", got.len(), scene.edges.len());
}

#[test]
fn grid_picking_agrees_with_a_linear_scan() {
    let g = generate(SynthSpec { nodes: 3_000, edges: 9_000, seed: 4 });
    let positions = crate::module_map::modules_first(&g);
    let scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
    let mut cam = Camera::new([800.0, 600.0]);
    cam.fit(scene.bounds(), 10.0);
    cam.zoom_at([400.0, 300.0], 6.0);
    // On the biggest file, so the sweep crosses its items rather than the space between files.
    cam.center = scene.position(scene.by_degree[0] as usize);
    let linear = |px: [f32; 2]| {
        let mut best: Option<(f32, u32)> = None;
        for i in 0..scene.node_count() {
            let s = cam.world_to_screen(scene.position(i));
            let d = ((s[0] - px[0]).powi(2) + (s[1] - px[1]).powi(2)).sqrt();
            if d <= scene.drawn_px(i, &cam, 4.0) * 0.5 + 3.0 && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, i as u32));
            }
        }
        best.map(|(_, i)| NodeId(i))
    };
    let mut hits = 0;
    for y in (0..600).step_by(7) {
        for x in (0..800).step_by(7) {
            let px = [x as f32, y as f32];
            let got = scene.pick(&cam, px, 4.0, 3.0);
            assert_eq!(got, linear(px), "at {px:?}");
            hits += usize::from(got.is_some());
        }
    }
    assert!(hits > 100, "the sweep must cross nodes ({hits})");
}

#[test]
fn aggregates_cover_every_node_and_follow_positions() {
    let g = generate(SynthSpec { nodes: 5_000, edges: 20_000, seed: 2 });
    let positions = crate::module_map::modules_first(&g);
    let mut scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
    let agg = &scene.aggregates;
    assert!(agg.len() >= 2 && agg.len() <= MAX_GROUPS);
    assert_eq!(agg.sizes.iter().map(|&s| s as usize).sum::<usize>(), g.node_count());
    assert!(agg.edges.iter().all(|e| e.style & EdgeStyleBits::AGGREGATE != 0 && e.from != e.to));
    assert!(agg.edges.len() <= MAX_AGGREGATE_EDGES);
    let n = g.node_count();
    let shifted: Vec<[f32; 2]> = positions.iter().map(|p| [p[0] + 1000.0, p[1]]).collect();
    let before = scene.node_data[n];
    scene.set_positions(&shifted);
    assert!((scene.node_data[n][0] - before[0] - 1000.0).abs() < 0.01, "aggregate centres move with nodes");
    assert!(scene.gpu_bytes() <= n * 64 + g.edge_count() * 48);

    let small = generate(SynthSpec { nodes: 200, edges: 400, seed: 2 });
    let s = Scene::build(&small, &crate::module_map::modules_first(&small), &NodeStyles::by_kind(&small));
    assert!(s.aggregates.is_empty(), "small graphs draw in full");
}

#[test]
fn an_edge_kind_filter_hides_exactly_that_kind_and_outlives_styles() {
    let (g, mut scene) = line_scene(2000);
    let kinds = g.edge_kinds().len();
    assert!(kinds >= 2, "the synthetic graph has several edge kinds");
    let of_kind = |k: usize| g.edges().filter(|&(a, b, kind)| usize::from(kind.0) == k && a != b).count();
    let all = scene.shown_edge_count();
    let mut hidden = vec![false; kinds];
    hidden[0] = true;
    scene.set_hidden_edge_kinds(&hidden);
    assert_eq!(scene.shown_edge_count(), all - of_kind(0));
    for (e, (_, _, kind)) in scene.edges.iter().zip(g.edges()) {
        assert_eq!(e.style & EdgeStyleBits::FILTERED != 0, kind.0 == 0);
    }
    // A style hiding one edge of another kind, then the default look: the filter stays.
    let mut edges = vec![default_edge_look("Calls"); scene.edges.len()];
    let other = g.edges().position(|(a, b, kind)| kind.0 != 0 && a != b).unwrap();
    edges[other].visible = false;
    scene.apply_style(&g, &StyleSheet { edges: Some(edges), ..Default::default() }).unwrap();
    assert_eq!(scene.shown_edge_count(), all - of_kind(0) - 1);
    scene.reset_style(&g);
    assert_eq!(scene.shown_edge_count(), all - of_kind(0));
    scene.set_hidden_edge_kinds(&[]);
    assert_eq!(scene.shown_edge_count(), all);
    // Hiding a node takes its edges out of the count too.
    scene.set_hidden(NodeId(0), true);
    let touching = g.edges().filter(|&(a, b, _)| a != b && (a.0 == 0 || b.0 == 0)).count();
    assert_eq!(scene.shown_edge_count(), all - touching);
    assert_eq!(scene.shown_node_count(), g.node_count() - 1);
}

#[test]
fn styles_apply_whole_or_not_at_all_and_reset() {
    let (g, mut scene) = line_scene(100);
    let n = g.node_count();
    let look = NodeLook {
        color: Rgba::new(1, 2, 3, 255),
        size: 4.0,
        shape: Shape::Triangle,
        visible: false,
        halo: Some(Rgba::new(255, 255, 0, 255)),
    };
    let bad = StyleSheet { nodes: Some(vec![look; n - 1]), ..Default::default() };
    assert!(matches!(scene.apply_style(&g, &bad), Err(StyleError::Count { what: "node", .. })));
    let mut sheet = StyleSheet { nodes: Some(vec![look; n]), ..Default::default() };
    sheet.labels.insert(n as u32, "x".into());
    assert!(matches!(scene.apply_style(&g, &sheet), Err(StyleError::UnknownNode { what: "label", .. })));
    assert_eq!(scene.nodes[0].color, kind_color(g.kind_name(NodeId(0))).0, "a refused style changes nothing");

    sheet.labels.clear();
    sheet.labels.insert(1, "renamed".into());
    sheet.overlays.push(Overlay::Hull { nodes: vec![0, 1, 2], color: Rgba(0xff00_0040), label: None });
    let mut edges = vec![default_edge_look("Calls"); scene.edges.len()];
    edges[0].visible = false;
    edges[1].width_px = 3.0;
    sheet.edges = Some(edges);
    let mut visible = vec![look; n];
    for l in visible.iter_mut().skip(1) {
        l.visible = true;
    }
    sheet.nodes = Some(visible);
    scene.apply_style(&g, &sheet).unwrap();
    assert_eq!(scene.nodes[0].color, 0x0102_03ff);
    assert_eq!(scene.nodes[0].halo, 0xffff_00ff);
    assert_eq!(scene.nodes[0].shape, Shape::Triangle as u32);
    assert!(scene.is_hidden(0) && !scene.is_hidden(1));
    assert_eq!(scene.size(1), 4.0);
    assert!(scene.edges[0].style & EdgeStyleBits::HIDDEN != 0);
    assert_eq!(scene.edges[1].style & EdgeStyleBits::WIDTH_MASK, 12);
    assert_eq!(scene.labels.get(&1).map(String::as_str), Some("renamed"));
    assert!(!scene.overlay_vertices().is_empty());

    scene.reset_style(&g);
    assert!(!scene.is_hidden(0) && scene.labels.is_empty() && scene.overlays.is_empty());
    assert_eq!(scene.nodes[0].halo, 0);
}
