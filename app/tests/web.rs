//! The app's Rust side in a real browser (wasm-bindgen-test in headless Chromium): loading a real
//! sample in wasm32, u64 hashes surviving exactly, search and details, and the WebGL2 renderer
//! drawing real pixels on a canvas.
#![cfg(target_arch = "wasm32")]

use renderer::scene::Scene;
use renderer::style::NodeStyles;
use renderer::web::{BackendPreference, DrawOptions, GpuRenderer};
use studio_core::{LoadedGraph, NullGpu, Studio};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const AXUM: &[u8] = include_bytes!("../../../shared/isg-samples/v0.1.0-snapshot/axum-0.8.3.json");

fn axum_studio() -> Studio<NullGpu> {
    let loaded = isg::load(&[isg::SourceFile { name: "axum-0.8.3.json", bytes: AXUM }]).expect("the axum sample loads");
    let mut studio = Studio::default();
    studio
        .install(LoadedGraph::from_loaded("axum-0.8.3.json".into(), loaded))
        .expect("no renderer yet, so nothing can fail");
    studio
}

#[wasm_bindgen_test]
fn a_real_sample_loads_in_wasm_with_exact_u64_hashes() {
    let studio = axum_studio();
    let summary = studio.summary().expect("a graph is installed");
    assert_eq!((summary.nodes, summary.edges), (611, 842));
    assert_eq!(summary.node_kinds, vec![("Function".into(), 496), ("Struct".into(), 104), ("Trait".into(), 11)]);
    let hit = studio.search("kind", 5).into_iter().find(|r| r.name == "kind").expect("search finds `kind`");
    let details = studio.details(hit.id).expect("details of a real node");
    // Above 2^53: an f64 on the way would have rounded it to 18433683515289762000.
    assert_eq!(details.hash, "18433683515289761530");
    assert_eq!(details.location, "src/extract/path/mod.rs");
}

#[wasm_bindgen_test]
fn bad_bytes_give_the_loader_message_in_wasm() {
    let error = isg::load(&[isg::SourceFile { name: "cut.json", bytes: &AXUM[..4000] }])
        .expect_err("a truncated file is an error");
    let message = error.to_string();
    assert!(message.starts_with("cut.json: the file is truncated"), "{message}");
}

#[wasm_bindgen_test]
async fn the_webgl2_renderer_draws_real_pixels() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").expect("canvas").unchecked_into();
    canvas.set_width(320);
    canvas.set_height(240);
    document.body().expect("body").append_child(&canvas).expect("attached");

    let mut renderer = GpuRenderer::new(canvas.clone(), BackendPreference::WebGl2Only).await.expect("WebGL2 starts");
    assert_eq!(renderer.backend().label(), "WebGL2");
    let studio = axum_studio();
    let graph = &studio.current.as_ref().expect("installed").graph;
    let positions = renderer::module_map::modules_first(graph);
    let scene = Scene::build(graph, &positions, &NodeStyles::by_kind(graph));
    renderer.upload(&scene).expect("611 nodes fit");
    assert_eq!(renderer.gpu_bytes(), 2048 * 16 + 611 * 16 + scene.edges.len() as u64 * 16);
    let mut camera = renderer::Camera::new([320.0, 240.0]);
    camera.fit(scene.bounds(), 8.0);
    let frame =
        renderer::Frame { camera, options: DrawOptions::default(), label_scale: 1.0, minimap: None, cull: None };
    renderer.render(&frame);

    // Copy the WebGL drawing buffer to a 2D canvas in the same task, before the browser clears it.
    let copy: web_sys::HtmlCanvasElement = document.create_element("canvas").expect("canvas").unchecked_into();
    copy.set_width(320);
    copy.set_height(240);
    let ctx: web_sys::CanvasRenderingContext2d =
        copy.get_context("2d").ok().flatten().expect("2d context").unchecked_into();
    ctx.draw_image_with_html_canvas_element(&canvas, 0.0, 0.0).expect("drawImage");
    let pixels = ctx.get_image_data(0.0, 0.0, 320.0, 240.0).expect("pixels").data();
    let background = [18i32, 20, 26];
    let drawn = pixels.chunks_exact(4).filter(|p| (0..3).any(|c| (i32::from(p[c]) - background[c]).abs() > 24)).count();
    assert!(drawn > 320 * 240 / 100, "only {drawn} pixels differ from the background");

    // A PNG export larger than the canvas renders off-screen, reads back through WebGL2's fences,
    // and decodes to the asked size with the same picture in it.
    let png = renderer.export_png(&frame, 960, 720, None).await.expect("export");
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!((width, height), (960, 720));
    assert!(png.len() > 10_000, "{} bytes is too small for a drawn graph", png.len());
    assert!(renderer.export_png(&frame, 9000, 100, None).await.is_err(), "over 8192 a side is refused");
}

#[wasm_bindgen_test]
fn base_urls_are_servers_and_file_urls_are_files() {
    use app::loading::is_server_url;
    assert!(is_server_url("http://localhost:7777"));
    assert!(is_server_url("http://localhost:7777/"));
    assert!(is_server_url("https://pt.example.org/api"));
    assert!(!is_server_url("http://localhost:7777/export.json"));
    assert!(!is_server_url("https://host/registry-full.json.gz?x=1"));
    assert!(!is_server_url("samples/axum-0.8.3.json"));
}

/// The sandbox compiled to wasm32: a plugin runs, and an endless loop ends in `OutOfFuel` (not in
/// a JS stack overflow, which is what wasmi without a dispatch feature does in the browser).
#[wasm_bindgen_test]
fn the_plugin_host_contains_an_endless_loop_in_wasm32() {
    use std::sync::Arc;

    use plugin_host::{Capabilities, ErrorKind, GraphInput, HostPolicy, Manifest, PluginError, PluginHost};

    let manifest = Arc::new(
        Manifest::parse(
            "[plugin]\nname = \"spin\"\nversion = \"1.0.0\"\nauthor = \"t\"\ndescription = \"d\"\nkind = \"analysis\"\nhost_api = \"^1\"\n",
        )
        .expect("manifest"),
    );
    let module = |body: &str| {
        wat::parse_str(format!(
            r#"(module (memory (export "memory") 1) (func (export "pt_abi_version") (result i32) i32.const 1) {body})"#
        ))
        .expect("wat")
    };
    let host = PluginHost::new(HostPolicy { fuel_ceiling: 5_000_000, ..HostPolicy::default() }).expect("host");
    let loaded = isg::load(&[isg::SourceFile { name: "axum-0.8.3.json", bytes: AXUM }]).expect("the axum sample loads");
    let graph = Arc::new(GraphInput::new(Arc::new(loaded.graph)));
    let no_fetch = |_: &plugin_host::FetchRequest| Err(plugin_host::FetchFailed::new("no network in tests"));

    let mut spin = host
        .load(
            Arc::clone(&manifest),
            &module(r#"(func (export "pt_run") (result i32) (loop $l (br $l)) i32.const 0)"#),
            Capabilities::default(),
        )
        .expect("loads");
    let plugin_host::FailedCall { error, metrics } =
        *spin.run_to_end(Arc::clone(&graph), &serde_json::Value::Null, None, no_fetch).expect_err("spins");
    assert!(matches!(error, PluginError { kind: ErrorKind::OutOfFuel { fuel: 5_000_000, .. }, .. }), "{error}");
    assert!(metrics.slices >= 2, "{metrics:?}");

    let mut fine = host
        .load(manifest, &module(r#"(func (export "pt_run") (result i32) i32.const 0)"#), Capabilities::default())
        .expect("loads");
    assert!(fine.run_to_end(graph, &serde_json::Value::Null, None, no_fetch).is_ok());
}

#[wasm_bindgen_test]
fn a_renderers_labels_survive_the_worker_protocol() {
    use studio_core::plugin_style::StyleExtras;
    use studio_workers::protocol::{self as proto, FromWorker};
    let style = StyleExtras { labels: vec![(1, "<<struct>>\nRouter".into()), (40, "x".into())], overlays: Vec::new() };
    let text = serde_json::json!({
        "kind": "finished", "run": 7, "summary": "s", "findings": [], "files": [], "metrics": ["rank"],
        "style": style,
        "stats": { "metrics": plugin_host::CallMetrics::default(), "wall_ms": 1.0, "load_ms": 1.0,
                   "audit": [], "host_calls": [], "logs": [] }
    });
    let object = proto::encode(&text, &[]).expect("encodes");
    match proto::decode::<FromWorker>(&object.into()).expect("decodes") {
        FromWorker::Finished { style: Some(style), metrics, .. } => {
            assert_eq!(style.labels, vec![(1, "<<struct>>\nRouter".to_owned()), (40, "x".to_owned())]);
            assert_eq!(metrics, ["rank"], "metric columns are named in the message, their values attached");
        }
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
fn a_plugin_worker_is_given_the_model_never_the_files() {
    use studio_workers::protocol::{self as proto, ToWorker};
    let studio = axum_studio();
    let model = &studio.current.as_ref().expect("installed").model;
    let message: wasm_bindgen::JsValue = proto::graph_message(3, model).expect("encodes").into();
    assert!(proto::bytes(&message, "files").is_none(), "no source file travels");
    assert_eq!(proto::bytes(&message, "model").as_deref(), Some(model.as_slice()));
    assert!(matches!(proto::decode::<ToWorker>(&message), Ok(ToWorker::Graph { graph: 3 })));
    // What the plugin worker does with it: read the model back, no parse.
    let (graph, model) = proto::read_graph_message(&message).expect("a model");
    assert_eq!((graph, model.graph.node_count(), model.graph.edge_count()), (3, 611, 842));
}
