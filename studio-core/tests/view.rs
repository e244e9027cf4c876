//! The view without a browser: a real sample on a null GPU, and what selection, hubs, search,
//! positions, the keyboard and the GPU's refusals do to it.
// Native only: they read the samples and build plugins from disk.
#![cfg(not(target_arch = "wasm32"))]

use isg::{NodeFlags, NodeId, SourceFile};
use renderer::NodeFlagsGpu;
use renderer::layout::{Fitted, PositionsError};
use studio_core::keys::{ViewAction, action_for_key};
use studio_core::{HubMode, LoadedGraph, NullGpu, PositionsRefused, Studio};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples");

fn sample(name: &str) -> LoadedGraph {
    let path = format!("{SAMPLES}/{name}");
    let bytes = std::fs::read(&path).expect("sample");
    let loaded = isg::load(&[SourceFile { name: &path, bytes: &bytes }]).expect("loads");
    LoadedGraph::from_loaded(name.to_owned(), loaded)
}

fn studio(name: &str) -> Studio<NullGpu> {
    let mut s = Studio::default();
    s.camera.viewport = [1280.0, 800.0];
    s.attach_renderer(NullGpu::new().expect("atlas")).expect("nothing to upload yet");
    s.install(sample(name)).expect("the null GPU takes it");
    s
}

fn degree(s: &Studio<NullGpu>, n: u32) -> usize {
    let g = &s.current.as_ref().expect("graph").graph;
    g.in_degree(NodeId(n)) + g.out_degree(NodeId(n))
}

#[test]
fn a_new_graph_is_uploaded_and_drawn_in_two_steps_and_a_refused_scene_keeps_the_graph() {
    let mut s = studio("v0.1.0-snapshot/axum-0.8.3.json");
    let gpu = |s: &Studio<NullGpu>| {
        let r = s.renderer.as_ref().expect("gpu");
        (r.uploads, r.node_uploads, r.edge_uploads)
    };
    assert_eq!(gpu(&s), (0, 1, 0), "installing uploads the nodes and aggregates only");
    assert_eq!(s.summary().map(|x| x.nodes), Some(611));
    assert!(s.draw(0.0), "the first step asks for the next frame");
    let (detail, labels) = s.renderer.as_ref().and_then(|r| r.last_shown).expect("a frame");
    assert!(detail.edges == 0.0 && !detail.arrows && labels == 0, "first step: no edges, no labels: {detail:?}");
    assert!(detail.nodes > 0.0 || detail.aggregates > 0.0, "nodes or aggregates are drawn: {detail:?}");
    assert_eq!(gpu(&s), (0, 1, 0), "the edges wait for the next frame");
    assert!(s.first_picture_pending());
    assert!(!s.draw(16.0), "then nothing animates");
    assert_eq!(gpu(&s), (0, 1, 1), "the second step uploads the edges once");
    assert!(!s.first_picture_pending());
    let (detail, labels) = s.renderer.as_ref().and_then(|r| r.last_shown).expect("a frame");
    assert!(detail.edges > 0.0 && labels > 0, "the full picture: {detail:?}, {labels} labels");
    s.draw(32.0);
    assert_eq!(gpu(&s), (0, 1, 1), "and never again");
    s.renderer.as_mut().expect("gpu").max_nodes = Some(1000);
    let e = s.install(sample("v0.1.0-snapshot/tokio-1.47.1.json")).unwrap_err();
    assert!(e.to_string().contains("too large"), "{e}");
    assert_eq!(s.summary().map(|x| x.nodes), Some(611), "the graph on screen stays");
    assert!(!s.draw(48.0), "nothing animates");
    assert_eq!(gpu(&s), (0, 1, 1), "and its edges are not uploaded again");
    assert_eq!(s.renderer.as_ref().map(|r| r.frames), Some(4));
}

#[test]
fn selecting_highlights_the_node_and_its_neighbours() {
    let mut s = studio("v0.1.0-snapshot/axum-0.8.3.json");
    let busiest = (0..611).max_by_key(|&n| degree(&s, n)).expect("nodes");
    s.select(&[busiest]);
    let c = s.current.as_ref().expect("graph");
    assert!(s.options.highlight);
    assert_ne!(c.scene.flags(busiest as usize) & NodeFlagsGpu::SELECTED, 0);
    let neighbours: Vec<u32> =
        c.graph.out_edges(NodeId(busiest)).chain(c.graph.in_edges(NodeId(busiest))).map(|e| e.node.0).collect();
    assert!(!neighbours.is_empty());
    for n in &neighbours {
        assert_ne!(c.scene.flags(*n as usize) & (NodeFlagsGpu::NEIGHBOUR | NodeFlagsGpu::SELECTED), 0, "{n}");
    }
    let far = (0..611).find(|n| *n != busiest && !neighbours.contains(n)).expect("a far node");
    assert_eq!(c.scene.flags(far as usize) & NodeFlagsGpu::HIGHLIGHTS, 0);
    // Zoom to selection frames it; the keyboard's Esc clears it.
    assert!(s.zoom_to_selection());
    assert!(s.apply(ViewAction::ClearSelection));
    assert!(!s.options.highlight && s.selection.is_empty());
    let details = s.details(busiest).expect("details");
    assert_eq!(details.in_degree + details.out_degree, degree(&s, busiest));
    assert_eq!(details.hash, s.current.as_ref().expect("graph").graph.hash(NodeId(busiest)).to_string());
}

#[test]
fn a_finding_selects_and_frames_its_nodes_and_ignores_ids_that_are_not_nodes_here() {
    let mut s = studio("v0.1.0-snapshot/axum-0.8.3.json");
    let (scale, centre) = (s.camera.scale, s.camera.center);
    assert!(!s.show_nodes(&[611, 9_999]), "no node of this graph: nothing changes");
    assert!(s.selection.is_empty() && s.camera.scale == scale && s.camera.center == centre);
    let nodes = [3, 40, 41, 200, 9_999];
    assert!(s.show_nodes(&nodes));
    assert_eq!(s.selection, [3, 40, 41, 200], "the ids that are nodes here");
    assert_ne!((s.camera.scale, s.camera.center), (scale, centre), "framed");
    let c = s.current.as_ref().expect("graph");
    for &n in &s.selection {
        let p = s.camera.world_to_screen(c.scene.position(n as usize));
        assert!((0.0..=1280.0).contains(&p[0]) && (0.0..=800.0).contains(&p[1]), "node {n} on screen at {p:?}");
    }
    assert!(s.undo(0.0), "a finding's selection is undone like any other");
    assert!(s.selection.is_empty());
}

#[test]
fn a_finding_with_edges_is_drawn_over_the_graph_until_the_selection_changes() {
    let mut s = studio("v0.1.0-snapshot/axum-0.8.3.json");
    let uploads = s.renderer.as_ref().expect("renderer").style_updates;
    let graph = &s.current.as_ref().expect("graph").graph;
    let (a, b, _) = graph.edges().find(|(a, b, _)| a != b).expect("an edge");
    let edge = graph.edges().position(|(x, y, _)| (x, y) == (a, b)).expect("its index") as u32;
    assert!(s.show_finding(&[a.0, b.0], &[edge, 99_999]));
    let c = s.current.as_ref().expect("graph");
    let emphasis = c.scene.emphasis().expect("shown");
    assert_eq!(
        (emphasis.nodes.as_slice(), emphasis.edges.as_slice()),
        ([a.0, b.0].as_slice(), [edge].as_slice()),
        "edges that are not here left out"
    );
    assert!(!c.scene.overlay_vertices().is_empty(), "a hull");
    assert_eq!(s.renderer.as_ref().expect("renderer").style_updates, uploads + 1, "edges uploaded once");
    let legend = s.legend().expect("legend");
    assert!(legend.notes.iter().any(|n| n == studio_core::studio::FINDING_NOTE), "{:?}", legend.notes);
    // The SVG export draws the hull and the edge in the warning colour.
    let [red, green, blue, _] = pt_abi::WARNING_RGBA;
    s.draw(1.0);
    let svg = s.export_svg().expect("svg");
    assert!(
        svg.contains(&format!("rgb({red},{green},{blue})"))
            || svg.contains(&format!("#{red:02x}{green:02x}{blue:02x}")),
        "the warning colour in the SVG"
    );
    // Undo takes the selection back, and the finding with it; so does selecting something else.
    assert!(s.undo(0.0));
    assert!(s.current.as_ref().expect("graph").scene.emphasis().is_none());
    assert!(s.redo(0.0));
    assert!(s.show_finding(&[a.0, b.0], &[edge]));
    s.select(&[b.0]);
    assert!(s.current.as_ref().expect("graph").scene.emphasis().is_none());
    assert!(s.legend().expect("legend").notes.iter().all(|n| n != studio_core::studio::FINDING_NOTE));
}

#[test]
fn hubs_are_hidden_or_split_and_shown_whole_again() {
    let mut s = studio("v0.1.0-snapshot/tokio-1.47.1.json");
    let n = s.current.as_ref().expect("graph").graph.node_count() as u32;
    let threshold = 40;
    let hubs: Vec<u32> = (0..n).filter(|&i| degree(&s, i) > threshold).collect();
    assert!(!hubs.is_empty());
    assert_eq!(s.set_hub_threshold(Some(threshold), HubMode::Hide), hubs.len());
    let scene = &s.current.as_ref().expect("graph").scene;
    assert!(hubs.iter().all(|&h| scene.is_hidden(h as usize)));
    assert!((0..n).filter(|i| !hubs.contains(i)).all(|i| !scene.is_hidden(i as usize) || degree(&s, i) > threshold));
    assert_eq!(s.set_hub_threshold(Some(threshold), HubMode::Split), hubs.len());
    let scene = &s.current.as_ref().expect("graph").scene;
    assert!(hubs.iter().all(|&h| !scene.is_hidden(h as usize) && scene.flags(h as usize) & NodeFlagsGpu::SPLIT != 0));
    assert_eq!(s.set_hub_threshold(None, HubMode::Split), 0);
    let scene = &s.current.as_ref().expect("graph").scene;
    assert!(hubs.iter().all(|&h| !scene.is_hidden(h as usize) && scene.flags(h as usize) & NodeFlagsGpu::SPLIT == 0));
    assert!(s.renderer.as_ref().expect("gpu").node_updates >= 3, "every change reached the GPU");
}

#[test]
fn external_placeholders_can_be_hidden() {
    let mut s = studio("v0.1.0-snapshot/axum-0.8.3.json");
    assert_eq!(s.summary().map(|x| x.external_nodes), Some(0), "a snapshot has no placeholders; a pt02 pair does");
    let dir = format!("{SAMPLES}/v0.9.7-pt02");
    let files = [format!("{dir}/axum-0.8.3.level01.entities.json"), format!("{dir}/axum-0.8.3.level00.edges.json")];
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).expect("sample")).collect();
    let sources: Vec<SourceFile<'_>> =
        files.iter().zip(&bytes).map(|(n, b)| SourceFile { name: n, bytes: b }).collect();
    s.install(LoadedGraph::from_loaded("pair".into(), isg::load(&sources).expect("loads"))).expect("installs");
    let g = &s.current.as_ref().expect("graph").graph;
    let externals: Vec<u32> = g.nodes().filter(|&n| g.flags(n).contains(NodeFlags::EXTERNAL)).map(|n| n.0).collect();
    assert!(!externals.is_empty());
    s.set_externals_hidden(true);
    let scene = &s.current.as_ref().expect("graph").scene;
    assert!(externals.iter().all(|&e| scene.is_hidden(e as usize)));
}

#[test]
fn positions_glide_in_and_undrawable_ones_are_refused() {
    let mut s = studio("v0.1.0-snapshot/axum-0.8.3.json");
    let before = s.current.as_ref().expect("graph").scene.positions();
    let n = before.len();
    assert_eq!(s.set_positions(&before[..3], true, 0.0, 100.0), Err(PositionsRefused::Count { got: 3, nodes: n }));
    let same = vec![[1.0, 1.0]; n];
    assert_eq!(
        s.set_positions(&same, true, 0.0, 100.0),
        Err(PositionsRefused::Undrawable(PositionsError::AllOnOnePoint { nodes: n }))
    );
    let circle: Vec<[f32; 2]> = (0..n).map(|i| [(i as f32).cos() * 100.0, (i as f32).sin() * 100.0]).collect();
    assert_eq!(s.set_positions(&circle, true, 0.0, 100.0), Ok(Fitted::AsGiven));
    assert!(s.draw(50.0), "half way it is still moving");
    assert!(!s.draw(150.0), "then it arrives");
    let arrived = s.current.as_ref().expect("graph").scene.positions();
    let off =
        arrived.iter().zip(&circle).map(|(a, b)| (a[0] - b[0]).abs().max((a[1] - b[1]).abs())).fold(0.0, f32::max);
    assert!(off < 1e-3, "every node is where the layout put it (off by {off})");
    // Enormous but finite: rescaled, and the camera frames a finite picture.
    let huge: Vec<[f32; 2]> =
        (0..n).map(|i| if i % 2 == 0 { [-3e38, 3e38] } else { [3e38, -3e38 + i as f32] }).collect();
    assert!(matches!(s.set_positions(&huge, true, 200.0, 10.0), Ok(Fitted::Rescaled { .. })));
    assert!(!s.draw(1000.0));
    assert!(s.camera.scale.is_finite() && s.camera.scale > 1e-4, "{:?}", s.camera);
    let positions = s.current.as_ref().expect("graph").scene.positions();
    assert!(positions.iter().all(|p| p[0].is_finite() && p[1].abs() < 1e6));
}

#[test]
fn keys_drive_the_view_and_search_finds_names() {
    let mut s = studio("v0.1.0-snapshot/axum-0.8.3.json");
    let scale = s.camera.scale;
    assert!(s.apply(action_for_key("+", 60.0).expect("zoom key")));
    assert!(s.camera.scale > scale);
    let centre = s.camera.center;
    assert!(s.apply(action_for_key("ArrowLeft", 60.0).expect("pan key")));
    assert_ne!(s.camera.center, centre);
    assert!(s.apply(action_for_key("m", 60.0).expect("minimap key")));
    assert_eq!(s.settings.minimap, None);
    assert!(s.apply(action_for_key("f", 60.0).expect("fit key")));
    let hits = s.search("Router", 10);
    assert!(hits.iter().any(|h| h.name == "Router"), "{hits:?}");
    s.set_hits(&hits.iter().map(|h| h.id).collect::<Vec<_>>());
    let scene = &s.current.as_ref().expect("graph").scene;
    assert!(hits.iter().all(|h| scene.flags(h.id as usize) & NodeFlagsGpu::HIT != 0));
}

#[test]
fn on_a_slow_renderer_moving_draws_the_lighter_picture_and_stillness_or_an_export_the_full_one() {
    let mut s = studio("v0.1.0-snapshot/tokio-1.47.1.json");
    let full = |s: &Studio<NullGpu>| s.last.as_ref().is_some_and(|l| !l.labels.is_empty());
    // One frame: the view moved at `moved` (if at all), the frame was asked for at `asked`,
    // drawn at `start` and done at `done`.
    let frame = |s: &mut Studio<NullGpu>, moved: Option<f64>, asked: f64, start: f64, done: f64| {
        if let Some(t) = moved {
            s.pacer.interacted(t);
        }
        s.pacer.requested(asked);
        s.draw(start);
        s.frame_done(done);
    };
    // A fast renderer: moving changes nothing.
    frame(&mut s, None, 0.0, 5.0, 12.0);
    frame(&mut s, Some(20.0), 20.0, 25.0, 30.0);
    assert!(full(&s), "a fast renderer always draws in full");
    // A full frame that took 400 ms makes the renderer slow; then moving draws the lighter picture.
    frame(&mut s, None, 1000.0, 1300.0, 1400.0);
    frame(&mut s, Some(1500.0), 1500.0, 1510.0, 1520.0);
    let d = s.last.as_ref().expect("drawn").frame.options.detail;
    assert!(!full(&s) && d.edges == 0.0, "while moving: no labels, no edges ({d:?})");
    let still = s.pacer.refine_at().expect("a full frame is owed");
    frame(&mut s, None, still, still + 1.0, still + 300.0);
    assert!(full(&s), "once still, the full picture");
    s.pacer.interacted(still + 400.0);
    s.draw_full(still + 401.0);
    assert!(full(&s), "an export draws the full picture however recently the view moved");
    // A pan the renderer shows by copying its picture of the graph: the full picture, which
    // teaches the pacer nothing (the renderer stays slow) and owes no refinement.
    s.renderer.as_mut().expect("gpu").reuses_picture = true;
    let t = still + 1000.0;
    frame(&mut s, Some(t), t, t + 1.0, t + 3.0);
    assert!(full(&s), "a copied pan is the full picture");
    assert!(s.pacer.is_slow() && s.pacer.refine_at().is_none(), "{:?}", s.pacer.full_frame_ms());
    s.renderer.as_mut().expect("gpu").reuses_picture = false;
    frame(&mut s, Some(t + 50.0), t + 50.0, t + 51.0, t + 53.0);
    assert!(!full(&s), "a pan it cannot copy is the lighter picture again");
}
