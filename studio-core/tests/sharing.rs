//! Views and reports that travel: a view read from the studio, carried in a fragment and applied
//! to a fresh studio on the same graph; a report written and shown as its author saw it.

use isg::SourceFile;
use pt_abi::{NodeStyle, Shape, encode_node_styles};
use share::view::{NodeKey, ViewState};
use studio_core::plugin_style::{StyleExtras, StyleRecords};
use studio_core::{HubMode, LoadedGraph, NullGpu, Studio};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples");

fn tokio() -> LoadedGraph {
    let path = format!("{SAMPLES}/v0.1.0-snapshot/tokio-1.47.1.json");
    let bytes = std::fs::read(&path).expect("sample");
    LoadedGraph::from_loaded("tokio".into(), isg::load(&[SourceFile { name: &path, bytes: &bytes }]).expect("loads"))
}

fn studio(loaded: LoadedGraph) -> Studio<NullGpu> {
    let mut s = Studio::default();
    s.pixel_ratio = 2.0;
    s.install(loaded).expect("installs");
    s
}

/// A studio with a view worth sharing: filters, hubs split, a selection, a camera somewhere.
fn narrowed() -> Studio<NullGpu> {
    let mut s = studio(tokio());
    let mut filters = s.filters.clone();
    filters.hidden_roles.insert(isg::CodeRole::Test);
    filters.hidden_edge_kinds.insert("Uses".into());
    s.set_filters(filters);
    s.set_hub_threshold(Some(30), HubMode::Split);
    s.select(&[5, 17, 40]);
    s.camera.center = [123.5, -77.25];
    s.camera.scale = 0.75;
    s
}

#[test]
fn a_view_carried_in_a_fragment_opens_the_same_on_a_fresh_studio() {
    let s = narrowed();
    let state = s.view_state();
    assert_eq!(state.selection.len(), 3);
    let text = share::fragment::encode(&state);
    let read = share::fragment::decode(&text).expect("reads");
    let mut fresh = studio(tokio());
    // Another window: another device-pixel ratio shows the same place at the same CSS zoom.
    fresh.pixel_ratio = 1.0;
    let notes = fresh.apply_view(&read);
    assert_eq!(notes.describe(), None);
    assert_eq!(fresh.selection, s.selection);
    assert_eq!(fresh.filters, s.filters);
    assert_eq!((fresh.hub_threshold, fresh.hub_mode), (Some(30), HubMode::Split));
    assert_eq!(fresh.shown, s.shown, "the same nodes and edges are drawn");
    assert_eq!(fresh.camera.center, s.camera.center);
    assert!((fresh.camera.scale - s.camera.scale / 2.0).abs() < 1e-6);
}

#[test]
fn what_the_graph_lacks_is_left_out_and_said() {
    let mut s = studio(tokio());
    let mut view = ViewState {
        selection: vec![NodeKey(u64::MAX), NodeKey(s.current.as_ref().expect("graph").graph.hash(isg::NodeId(2)))],
        ..ViewState::default()
    };
    view.filters.hidden_node_kinds.push("no-such-kind".into());
    view.filters.hidden_roles.push("poetry".into());
    let notes = s.apply_view(&view);
    assert_eq!(s.selection, vec![2]);
    assert_eq!(notes.missing_nodes, 1);
    let text = notes.describe().expect("a notice");
    assert!(
        text.contains("1 selected node(s) are not in this graph")
            && text.contains("no-such-kind")
            && text.contains("poetry"),
        "{text}"
    );
}

#[test]
fn a_report_shows_its_positions_style_and_view() {
    let mut s = narrowed();
    let n = s.current.as_ref().expect("graph").graph.node_count();
    let circle: Vec<[f32; 2]> = (0..n)
        .map(|i| {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            [a.cos() * 500.0, a.sin() * 500.0]
        })
        .collect();
    s.set_positions(&circle, false, 0.0, 0.0).expect("placed");
    s.draw(1.0);
    let styles: Vec<NodeStyle> = (0..n)
        .map(|i| NodeStyle {
            rgba: [(i % 256) as u8, 10, 200, 255],
            size: 3.0,
            shape: Shape::Circle,
            hidden: false,
            halo: i == 0,
        })
        .collect();
    let bytes = encode_node_styles(&styles);
    s.apply_plugin_style(
        "test-style",
        StyleRecords { nodes: Some(&bytes), edges: None, marks: None },
        StyleExtras::default(),
    )
    .expect("styled");
    let view = s.view_state();
    let meta = share::ReportMeta { title: "t".into(), ..share::ReportMeta::default() };
    let report = s.report(meta, view).expect("a graph is shown");
    let read = share::Report::decode(&report.encode()).expect("round trip");

    let mut viewer: Studio<NullGpu> = Studio::default();
    viewer.pixel_ratio = 2.0;
    let (graph, load_report) = isg::model::decode_portable(&read.graph).expect("graph");
    let index = isg::query::SearchIndex::build(&graph);
    let model = isg::model::Model { graph, index, report: load_report };
    let loaded = studio_core::Preparing::from_decoded("report".into(), model, 0.0).finish(&|| 0.0).expect("prepared");
    viewer.install(loaded).expect("installs");
    let notes = viewer.show_report(&read).expect("shown");
    assert_eq!(notes.describe(), None);
    let (a, b) = (s.current.as_ref().expect("a"), viewer.current.as_ref().expect("b"));
    assert!(b.scene.positions() == a.scene.positions(), "positions exactly as the author's");
    assert!(b.scene.nodes == a.scene.nodes, "the same style on every node");
    assert_eq!(viewer.style_name.as_deref(), Some("test-style"));
    assert_eq!(viewer.selection, s.selection);
    assert_eq!(viewer.filters, s.filters);
    assert_eq!(viewer.camera.center, s.camera.center);
    assert!(!viewer.history.can_undo(), "opening a report is not an edit");
}

#[test]
fn a_report_leaves_out_the_positions_of_the_initial_layout_only() {
    let mut s = narrowed();
    let report = s.report(share::ReportMeta::default(), s.view_state()).expect("report");
    assert_eq!(report.positions, None, "the viewer lays the graph out as the app did");
    let mut viewer = studio(tokio());
    viewer.show_report(&report).expect("shown");
    assert!(viewer.current.as_ref().expect("b").scene.positions() == s.current.as_ref().expect("a").scene.positions());
    let moved: Vec<[f32; 2]> =
        s.current.as_ref().expect("a").scene.positions().iter().map(|p| [p[0] + 1.0, p[1]]).collect();
    s.set_positions(&moved, false, 0.0, 0.0).expect("moved");
    assert!(s.report(share::ReportMeta::default(), s.view_state()).expect("report").positions.is_some());
    // Undone back to the initial layout: left out again.
    assert!(s.undo(1.0));
    assert_eq!(s.report(share::ReportMeta::default(), s.view_state()).expect("report").positions, None);
}

#[test]
fn a_report_whose_parts_do_not_fit_its_graph_is_refused() {
    let s = narrowed();
    let mut report = s.report(share::ReportMeta::default(), s.view_state()).expect("report");
    report.positions = Some(vec![[0.0, 0.0]; 3]);
    let mut viewer = studio(tokio());
    let err = viewer.show_report(&report).expect_err("three positions for thousands of nodes");
    assert!(err.to_string().starts_with("its positions"), "{err}");
    report.positions = None;
    report.style =
        Some(share::CapturedStyle { name: "x".into(), nodes: Some(vec![1, 2, 3]), ..share::CapturedStyle::default() });
    let err = viewer.show_report(&report).expect_err("damaged records");
    assert!(err.to_string().starts_with("its style"), "{err}");
}
