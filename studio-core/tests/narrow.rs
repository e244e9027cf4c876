//! Filters, focus and undo on a real sample (tokio), checked against counts taken straight from
//! the graph.
// Native only: they read the samples from disk.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use isg::query::Direction;
use isg::{CodeRole, Graph, NodeId, SourceFile};
use studio_core::filters::{FocusError, ShownCounts};
use studio_core::{HubMode, LoadedGraph, NullGpu, Studio};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples");

fn tokio() -> Studio<NullGpu> {
    let path = format!("{SAMPLES}/v0.1.0-snapshot/tokio-1.47.1.json");
    let bytes = std::fs::read(&path).expect("sample");
    let loaded = isg::load(&[SourceFile { name: &path, bytes: &bytes }]).expect("loads");
    let mut s = Studio::default();
    s.camera.viewport = [1280.0, 800.0];
    s.attach_renderer(NullGpu::new().expect("atlas")).expect("nothing to upload yet");
    s.install(LoadedGraph::from_loaded("tokio".into(), loaded)).expect("installs");
    s
}

fn graph(s: &Studio<NullGpu>) -> &Graph {
    &s.current.as_ref().expect("graph").graph
}

fn shown(s: &Studio<NullGpu>) -> Vec<u32> {
    let c = s.current.as_ref().expect("graph");
    (0..c.graph.node_count() as u32).filter(|&i| !c.scene.is_hidden(i as usize)).collect()
}

/// Test code by the plain rule, written out here independently of `CodeRole`.
fn looks_like_a_test(path: &str) -> bool {
    path.starts_with("tests/") || path.contains("/tests/") || path.ends_with("/tests.rs") || path.ends_with("/test.rs")
}

#[test]
fn filters_by_role_kind_edge_kind_and_module_change_what_is_drawn_and_counted() {
    let mut s = tokio();
    let g = graph(&s).clone();
    let all = s.shown;
    assert_eq!(
        all,
        ShownCounts {
            nodes: g.node_count(),
            nodes_total: g.node_count(),
            edges: all.edges,
            edges_total: g.edge_count()
        }
    );

    let mut f = s.filters.clone();
    f.hidden_roles.insert(CodeRole::Test);
    let counts = s.set_filters(f);
    let tests = g.nodes().filter(|&n| !g.is_external(n) && looks_like_a_test(g.file_path(n))).count();
    assert!(tests > 500, "tokio's tests are a large share: {tests}");
    assert_eq!(counts.nodes, g.node_count() - tests);
    assert!(shown(&s).iter().all(|&i| !looks_like_a_test(g.file_path(NodeId(i)))));

    let mut f = s.filters.clone();
    f.hidden_edge_kinds.insert("Calls".into());
    let counts = s.set_filters(f);
    let kept: BTreeSet<u32> = shown(&s).into_iter().collect();
    let expected = g
        .edges()
        .filter(|&(a, b, k)| {
            a != b && g.edge_kinds()[k.0 as usize] != "Calls" && kept.contains(&a.0) && kept.contains(&b.0)
        })
        .count();
    assert_eq!(counts.edges, expected);

    let mut f = s.filters.clone();
    f.hidden_node_kinds.insert("Function".into());
    f.module = Some("src/sync".into());
    let counts = s.set_filters(f);
    assert!(counts.nodes > 0);
    for i in shown(&s) {
        let n = NodeId(i);
        assert_ne!(g.kind_name(n), "Function");
        assert!(g.file_path(n).starts_with("src/sync/"), "{}", g.file_path(n));
    }
    // Search only offers what is drawn.
    let rows = s.search("mutex", 20);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.file.starts_with("src/sync/") && r.kind != "Function"), "{rows:?}");
}

#[test]
fn expanding_callers_adds_exactly_the_callers_level_by_level() {
    let mut s = tokio();
    let g = graph(&s).clone();
    let calls = g.edge_kind_named("Calls").expect("tokio has calls");
    let callers_of = |set: &BTreeSet<u32>| -> BTreeSet<u32> {
        set.iter()
            .flat_map(|&n| g.in_edges(NodeId(n)).filter(|e| e.kind == calls).map(|e| e.node.0).collect::<Vec<_>>())
            .collect()
    };
    // A function with a few callers whose callers have callers too.
    let target = g
        .nodes()
        .filter(|&n| g.kind_name(n) == "Function")
        .find(|&n| {
            let one = callers_of(&BTreeSet::from([n.0]));
            (2..8).contains(&one.len()) && !callers_of(&one).is_subset(&one)
        })
        .expect("a function called from a few places")
        .0;
    assert!(matches!(s.expand(Direction::In), Err(FocusError::NoSelection)));
    s.select(&[target]);
    let first: BTreeSet<u32> = s.expand(Direction::In).expect("expands").into_iter().collect();
    let mut want = callers_of(&BTreeSet::from([target]));
    want.remove(&target);
    assert_eq!(first, want);
    let mut seen: BTreeSet<u32> = first.iter().copied().chain([target]).collect();
    assert_eq!(shown(&s).into_iter().collect::<BTreeSet<_>>(), seen);
    let second: BTreeSet<u32> = s.expand(Direction::In).expect("expands").into_iter().collect();
    let want: BTreeSet<u32> = callers_of(&first).difference(&seen).copied().collect();
    assert_eq!(second, want);
    seen.extend(&second);
    assert_eq!(s.shown.nodes, seen.len());
    // Callees grow from the selection, not from the callers.
    let callees = s.expand(Direction::Out).expect("expands");
    for c in &callees {
        assert!(g.in_edges(NodeId(*c)).any(|e| e.node.0 == target && e.kind == calls));
    }
    s.set_focus(None);
    assert_eq!(s.shown.nodes, g.node_count());
}

#[test]
fn a_neighbourhood_and_a_path_show_exactly_their_nodes() {
    let mut s = tokio();
    let g = graph(&s).clone();
    let hub = g.nodes().max_by_key(|&n| g.out_degree(n)).expect("nodes").0;
    s.select(&[hub]);
    let counts = s.focus_neighbourhood(1).expect("focus");
    let mut want: BTreeSet<u32> = g.out_edges(NodeId(hub)).chain(g.in_edges(NodeId(hub))).map(|e| e.node.0).collect();
    want.insert(hub);
    assert_eq!(counts.nodes, want.len());
    assert_eq!(shown(&s).into_iter().collect::<BTreeSet<_>>(), want);

    // A path from the hub to something two calls away.
    let one = g.out_edges(NodeId(hub)).map(|e| e.node).find(|&n| g.out_degree(n) > 0).expect("a callee with callees");
    let two = g.out_edges(one).map(|e| e.node).find(|&n| n.0 != hub && !g.out_edges(NodeId(hub)).any(|e| e.node == n));
    let two = two.expect("something two steps away").0;
    assert!(matches!(s.focus_path(), Err(FocusError::NotTwo(1))));
    s.select(&[hub, two]);
    let path = s.focus_path().expect("a path");
    assert_eq!(path.len(), 3, "{path:?}");
    assert_eq!(s.shown.nodes, 3);
    let members = s.focus.as_ref().expect("focus").members().to_vec();
    assert!(members.contains(&hub) && members.contains(&two));
}

#[test]
fn undo_and_redo_walk_back_through_layout_filter_hubs_and_selection() {
    let mut s = tokio();
    let g = graph(&s).clone();
    let n = g.node_count();
    let start = s.current.as_ref().expect("graph").scene.positions();
    assert!(!s.undo(0.0), "nothing to undo after a load");

    s.begin_layout();
    let laid: Vec<[f32; 2]> = (0..n).map(|i| [(i % 50) as f32 * 10.0, (i / 50) as f32 * 10.0]).collect();
    s.set_positions(&laid, true, 0.0, 0.0).expect("moves");
    s.draw(1.0);
    let mut f = s.filters.clone();
    f.hidden_roles.insert(CodeRole::Test);
    s.set_filters(f);
    let filtered = s.shown.nodes;
    s.set_hub_threshold(Some(20), HubMode::Split);
    s.select(&[3]);

    assert!(s.undo(10.0));
    assert!(s.selection.is_empty());
    assert!(s.undo(10.0));
    assert_eq!(s.hub_threshold, None);
    assert!(s.undo(10.0));
    assert_eq!(s.shown.nodes, n);
    assert!(s.undo(10.0), "the layout");
    s.draw(10_000.0);
    let back = s.current.as_ref().expect("graph").scene.positions();
    let off = back.iter().zip(&start).filter(|(a, b)| a != b).count();
    assert_eq!(
        off,
        0,
        "undoing the layout glides back to where the nodes were: {off} differ, e.g. {:?} vs {:?}",
        back.iter().zip(&start).find(|(a, b)| a != b),
        start.len()
    );
    assert!(!s.undo(10_001.0));

    assert!(s.redo(20_000.0));
    s.draw(30_000.0);
    let fitted = s.current.as_ref().expect("graph").scene.positions();
    assert!(fitted != start, "redo puts the layout back");
    assert!(s.redo(30_000.0));
    assert_eq!(s.shown.nodes, filtered);
    // A new action drops what could be redone.
    s.select(&[5]);
    assert!(!s.redo(30_000.0));
}

#[test]
fn exporters_are_told_what_is_drawn_and_what_is_selected() {
    let mut s = tokio();
    let mut f = s.filters.clone();
    f.hidden_node_kinds.insert("Function".into());
    let counts = s.set_filters(f);
    let flags = s.view_flags();
    let graph = &s.current.as_ref().expect("graph").graph;
    assert_eq!(flags.len(), graph.node_count());
    let shown = flags.iter().filter(|&&b| b & pt_abi::VIEW_SHOWN != 0).count();
    assert_eq!(shown, counts.nodes, "shown flags are the nodes drawn");
    for v in graph.nodes() {
        let drawn = flags[v.0 as usize] & pt_abi::VIEW_SHOWN != 0;
        assert_eq!(drawn, graph.kind_name(v) != "Function", "{}", graph.name(v));
    }
    s.select(&[3, 7]);
    let flags = s.view_flags();
    let selected: Vec<usize> = (0..flags.len()).filter(|&i| flags[i] & pt_abi::VIEW_SELECTED != 0).collect();
    assert_eq!(selected, [3, 7]);
}
