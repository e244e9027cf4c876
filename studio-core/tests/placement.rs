//! Where the nodes go: a layered layout's routed edges drawn once its nodes arrive (straight while
//! they glide, and through undo and redo), and a boxed style's boxes kept apart.
// Native only: they read the samples and build plugins from disk.
#![cfg(not(target_arch = "wasm32"))]

mod axum_plugins;

use axum_plugins::{axum_studio as studio, run_on_axum};
use renderer::gpu_bits::EdgeStyleBits;
use serde_json::json;
use studio_core::plugin_style::{StyleExtras, StyleRecords};
use studio_core::{NullGpu, RoutesRefused, Studio};

fn run(name: &str) -> plugin_host::RunOutput {
    run_on_axum(name, &json!({}))
}

fn routed(s: &Studio<NullGpu>) -> usize {
    s.current.as_ref().expect("graph").scene.routed_edge_count()
}

#[test]
fn layered_edges_bend_around_the_layers_once_the_nodes_arrive() {
    let out = run("layered-layout");
    let positions = out.positions.as_ref().expect("positions").to_vec();
    let routes = out.edge_routes.as_ref().expect("layered routes its long edges");
    assert!(routes.routes() > 20, "{} routes on axum", routes.routes());
    let mut s = studio();
    let uploads = s.renderer.as_ref().unwrap().uploads;
    s.begin_layout();
    s.set_positions(&positions, true, 0.0, 600.0).expect("drawable");
    s.route_edges_encoded(routes.as_bytes()).expect("routes fit");
    s.draw(100.0);
    assert_eq!(routed(&s), 0, "edges run straight while the nodes glide");
    s.draw(700.0);
    assert_eq!(routed(&s), routes.routes(), "the routes once the nodes are in place");
    assert_eq!(s.renderer.as_ref().unwrap().uploads, uploads + 1, "the bends' texture slots uploaded once");
    let scene = &s.current.as_ref().unwrap().scene;
    let drawn = scene.edges.iter().filter(|e| e.style & EdgeStyleBits::ROUTED != 0).count();
    assert_eq!(drawn, routes.routes());
    // Every bend of a route lies between its edge's ends, top to bottom (layered draws down).
    let first = routes.decode()[0].clone();
    let edge = scene.edges[first.edge as usize];
    let (top, bottom) = (scene.position(edge.from as usize)[1], scene.position(edge.to as usize)[1]);
    let (lo, hi) = (top.min(bottom), top.max(bottom));
    assert!(scene.route_segments().iter().take(first.bends.len()).all(|seg| {
        let y = scene.node_data[seg.to as usize][1];
        y > lo && y < hi
    }));

    // Undo glides back with straight edges; redo brings the routes back at the end of its glide.
    assert!(s.undo(1000.0));
    s.draw(1001.0);
    assert_eq!(routed(&s), 0);
    s.draw(5000.0);
    assert_eq!(routed(&s), 0, "the module map had no routes");
    assert!(s.redo(6000.0));
    s.draw(20_000.0);
    assert_eq!(routed(&s), routes.routes(), "redo restores the routes");

    // Routes that do not fit the graph are refused and change nothing.
    let bad = pt_abi::encode_edge_routes(&[pt_abi::EdgeRoute { edge: u32::MAX, bends: vec![[0.0, 0.0]] }]);
    assert!(matches!(s.route_edges_encoded(&bad), Err(RoutesRefused::Bad(pt_abi::RouteError::UnknownEdge { .. }))));
    assert_eq!(routed(&s), routes.routes());
}

#[test]
fn uml_boxes_never_overlap() {
    let mut s = studio();
    let out = run("uml-view");
    let records = StyleRecords {
        nodes: out.node_styles.as_ref().map(|r| r.as_bytes()),
        edges: out.edge_styles.as_ref().map(|r| r.as_bytes()),
        marks: out.edge_marks.as_ref().map(|r| r.as_bytes()),
    };
    let extras = StyleExtras { labels: out.labels.clone().into_iter().collect(), overlays: out.overlays.clone() };
    let boxes = |s: &Studio<NullGpu>| {
        let scene = &s.current.as_ref().unwrap().scene;
        scene
            .boxes
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| !scene.is_hidden(i))
            .map(|i| {
                let (p, h) = (scene.position(i), scene.size(i) * 0.5);
                let w = h * scene.box_aspect(i).unwrap();
                [p[0] - w, p[1] - h, p[0] + w, p[1] + h]
            })
            .collect::<Vec<_>>()
    };
    let overlapping = |b: &[[f32; 4]]| {
        let mut n = 0;
        for i in 0..b.len() {
            for j in i + 1..b.len() {
                n += usize::from(b[i][0] < b[j][2] && b[j][0] < b[i][2] && b[i][1] < b[j][3] && b[j][1] < b[i][3]);
            }
        }
        n
    };
    // The UML style on the module map: its wide boxes over the map's dots would overlap.
    s.apply_plugin_style("uml-view", records, extras).expect("applies");
    let after = boxes(&s);
    assert!(after.len() > 50, "{} boxes", after.len());
    assert_eq!(overlapping(&after), 0, "no two boxes overlap");
    // And under a layout run after the style, too.
    let force = run("force-layout");
    s.set_positions(&force.positions.expect("positions").to_vec(), true, 0.0, 10.0).expect("drawable");
    s.draw(100.0);
    assert_eq!(overlapping(&boxes(&s)), 0, "a layout applied under the style keeps the boxes apart");
}
