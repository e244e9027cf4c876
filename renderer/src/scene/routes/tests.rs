//! Routed edges (a layout's bends) and bundled module edges.

use isg::synth::{SynthSpec, generate};
use isg::{Graph, NodeId};

use super::*;
use crate::camera::Camera;
use crate::style::{EdgeLook, NodeStyles, StyleSheet};

fn scene(n: usize) -> (Graph, Scene) {
    let g = generate(SynthSpec { nodes: n, edges: n * 3, seed: 4 });
    let positions: Vec<[f32; 2]> =
        (0..g.node_count()).map(|i| [(i % 40) as f32 * 5.0, (i / 40) as f32 * 5.0]).collect();
    let scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
    (g, scene)
}

fn pos(scene: &Scene, slot: u32) -> [f32; 2] {
    let d = scene.node_data[slot as usize];
    [d[0], d[1]]
}

#[test]
fn a_routed_edge_is_drawn_as_a_chain_through_its_bends_with_the_head_at_the_end() {
    let (g, mut scene) = scene(200);
    let straight = scene.edges.clone();
    let (e, other) = (3u32, 7u32);
    let bends = vec![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
    let routes = [EdgeRoute { edge: e, bends: bends.clone() }, EdgeRoute { edge: other, bends: vec![[9.0, 9.0]] }];
    assert_eq!(scene.set_edge_routes(&routes), Ok(true));
    assert_eq!(scene.set_edge_routes(&routes), Ok(false), "the same routes change nothing");
    assert_eq!(scene.routed_edge_count(), 2);
    let edge = scene.edges[e as usize];
    assert_ne!(edge.style & EdgeStyleBits::ROUTED, 0, "the straight line is left out");
    let chain = scene.segments_of(e).expect("routed").to_vec();
    assert_eq!(chain.len(), 4, "three bends, four segments");
    assert_eq!(chain[0].from, edge.from);
    assert_eq!(chain[3].to, edge.to);
    for (k, pair) in chain.windows(2).enumerate() {
        assert_eq!(pair[0].to, pair[1].from, "segment {k} ends where the next starts");
        assert_eq!(pos(&scene, pair[0].to), bends[k]);
    }
    assert!(chain[..3].iter().all(|s| s.style & EdgeStyleBits::ARROW == 0), "no head mid-way");
    assert_ne!(chain[3].style & EdgeStyleBits::ARROW, 0, "the head at the target");
    assert!(chain.iter().all(|s| s.style & EdgeStyleBits::SEGMENT != 0 && s.color == edge.color));
    assert_eq!(scene.route_segments().len(), 6);
    assert!(scene.node_data.len() >= scene.node_count() + 4, "the bends have texture slots");
    assert_eq!(
        scene.shown_edge_count(),
        straight.iter().filter(|s| s.style & EdgeStyleBits::ANY_HIDDEN == 0).count(),
        "a routed edge is still shown"
    );

    // A style replaces looks; the route follows the new colour.
    let mut looks = crate::scene::default_edge_looks(&g);
    looks[e as usize] = EdgeLook { color: crate::Rgba(0x1234_56ff), ..looks[e as usize] };
    scene.apply_style(&g, &StyleSheet { edges: Some(looks), ..StyleSheet::default() }).unwrap();
    assert!(scene.segments_of(e).unwrap().iter().all(|s| s.color == 0x1234_56ff));
    assert_ne!(scene.edges[e as usize].style & EdgeStyleBits::ROUTED, 0);

    // The bends carry their ends' hidden and selected bits.
    scene.set_hidden(NodeId(edge.from), true);
    scene.refresh();
    let bend = chain[0].to as usize;
    assert_ne!(scene.node_data[bend][2] as u32 & NodeFlagsGpu::HIDDEN, 0);
    scene.set_hidden(NodeId(edge.from), false);
    scene.refresh();
    scene.set_highlight(&[(NodeId(edge.to), NodeFlagsGpu::SELECTED)]);
    assert_ne!(scene.node_data[bend][2] as u32 & NodeFlagsGpu::SELECTED, 0);

    // No routes: every edge straight again.
    assert_eq!(scene.set_edge_routes(&[]), Ok(true));
    assert!(scene.route_segments().is_empty() && scene.segments_of(e).is_none());
    assert!(scene.edges.iter().all(|s| s.style & EdgeStyleBits::ROUTED == 0));
}

#[test]
fn bad_routes_are_refused_and_change_nothing() {
    let (_, mut scene) = scene(100);
    let edges = scene.edges.len();
    let ok = EdgeRoute { edge: 1, bends: vec![[0.0, 0.0]] };
    scene.set_edge_routes(std::slice::from_ref(&ok)).unwrap();
    let before = (scene.edges.clone(), scene.route_segments().to_vec());
    let cases = [
        (
            vec![EdgeRoute { edge: edges as u32, bends: vec![[0.0, 0.0]] }],
            RouteError::UnknownEdge { edge: edges as u32, edges },
        ),
        (vec![ok.clone(), ok.clone()], RouteError::Twice { edge: 1 }),
        (vec![EdgeRoute { edge: 2, bends: vec![[f32::NAN, 0.0]] }], RouteError::NotFinite { edge: 2 }),
        (
            vec![EdgeRoute { edge: 2, bends: vec![[0.0, 0.0]; MAX_BENDS + 1] }],
            RouteError::TooMany { bends: MAX_BENDS + 1 },
        ),
    ];
    for (routes, want) in cases {
        assert_eq!(scene.set_edge_routes(&routes), Err(want), "{want}");
        assert_eq!((scene.edges.clone(), scene.route_segments().to_vec()), before, "{want}: nothing changed");
    }
}

#[test]
fn zoomed_in_a_routed_edge_is_listed_by_its_segments() {
    let g = generate(SynthSpec { nodes: 20_000, edges: 60_000, seed: 9 });
    let mut scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
    let mut cam = Camera::new([800.0, 600.0]);
    cam.fit(scene.bounds(), 0.0);
    cam.zoom_at([400.0, 300.0], 8.0);
    let plain = scene.visible_edges(&cam).expect("zoomed in");
    let shown = plain[0];
    let id = scene.edges.iter().position(|e| *e == shown).unwrap() as u32;
    let mid = [(scene.position(shown.from as usize)[0] + 1.0), scene.position(shown.from as usize)[1]];
    scene.set_edge_routes(&[EdgeRoute { edge: id, bends: vec![mid] }]).unwrap();
    let routed = scene.visible_edges(&cam).unwrap();
    assert_eq!(routed.len(), plain.len() + 1, "one edge became two segments");
    assert!(routed.iter().any(|s| s.to == shown.to && s.style & EdgeStyleBits::SEGMENT != 0));
    assert!(!routed.iter().any(|s| s.style & EdgeStyleBits::ROUTED != 0), "the straight line is not listed");
}

#[test]
fn a_bundle_curve_leans_towards_the_tree_but_less_than_the_tree() {
    let straight = bundle_curve(&[[0.0, 0.0], [10.0, 0.0]], BUNDLE_BETA, 5);
    assert_eq!(straight.len(), 5);
    assert!(straight.iter().all(|p| p[1].abs() < 1e-5 && p[0] > 0.0 && p[0] < 10.0), "{straight:?}");
    assert!(straight.windows(2).all(|w| w[0][0] < w[1][0]), "in order from source to target");
    let bent = bundle_curve(&[[0.0, 0.0], [5.0, 10.0], [10.0, 0.0]], BUNDLE_BETA, 5);
    let peak = bent.iter().map(|p| p[1]).fold(0.0f32, f32::max);
    assert!(peak > 2.0 && peak < 10.0 * BUNDLE_BETA, "pulled towards the control point, not onto it: {bent:?}");
    assert!(bundle_curve(&[], BUNDLE_BETA, 3).is_empty());
}

#[test]
fn module_edges_are_bundled_through_the_containers_between_them() {
    let g = generate(SynthSpec { nodes: 6000, edges: 18_000, seed: 3 });
    let positions = crate::module_map::modules_first(&g);
    let mut scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
    let k = scene.aggregates.edges.len();
    assert!(k > 10, "{k} module edges");
    let bundled = scene.bundles.bend_start.windows(2).filter(|w| w[1] > w[0]).count();
    let budget = scene.node_count() / 2 / BUNDLE_BENDS;
    assert!(bundled >= budget.min(k / 4), "{bundled} of {k} module edges bundled, room for {budget}");
    assert_eq!(scene.aggregate_edges_drawn().len(), k + bundled * BUNDLE_BENDS, "each a chain of segments");
    assert!(scene.bundles.bends() <= scene.node_count() / 2, "bends within their budget");
    // Over the edges whose path passes a container, the curve's middle lies nearer that path's
    // containers than the straight line's middle does.
    let (mut curved, mut direct, mut paths) = (0.0f32, 0.0f32, 0);
    for e in 0..k {
        let path = &scene.bundles.path[scene.bundles.path_start[e] as usize..scene.bundles.path_start[e + 1] as usize];
        let first = scene.bundles.bend_start[e] as usize;
        if first == scene.bundles.bend_start[e + 1] as usize {
            continue;
        }
        let centres: Vec<[f32; 2]> = path
            .iter()
            .map(|&c| scene.outlines.containers()[c as usize])
            .filter(|c| c.clean)
            .map(|c| c.centre)
            .collect();
        if centres.is_empty() {
            continue;
        }
        let at = |p: [f32; 2]| {
            centres.iter().map(|c| ((c[0] - p[0]).powi(2) + (c[1] - p[1]).powi(2)).sqrt()).fold(f32::INFINITY, f32::min)
        };
        let edge = scene.aggregates.edges[e];
        let (a, b) = (pos(&scene, edge.from), pos(&scene, edge.to));
        curved += at(pos(&scene, (first + BUNDLE_BENDS / 2) as u32));
        direct += at([(a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5]);
        paths += 1;
    }
    assert!(paths > 0, "some module edges cross the tree");
    assert!(curved < direct * 0.9, "bundled curves pass nearer the tree: {curved} vs {direct} over {paths}");

    // While nodes glide the rings are left out and bundles run straight; at rest they come back.
    scene.set_positions_moving(&positions);
    assert!(scene.outlines.containers().iter().all(|c| !c.clean), "no rings while moving");
    scene.set_positions(&positions);
    assert!(scene.outlines.containers().iter().any(|c| c.clean), "rings at rest");
}
