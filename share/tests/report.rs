//! The report payload and its HTML page: round trips on a real sample, every damaged file refused
//! by name, the policy allowing exactly the page's inline scripts and style.

use base64::Engine as _;
use findings::{AnalysisRun, PluginInfo};
use plugin_host::{Finding, MetricColumn};
use share::html::{self, ViewerBundle, ViewerError};
use share::payload::{CapturedStyle, Report, ReportError, ReportMeta};
use share::view::{CameraView, NodeKey, ViewState};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples");

fn axum_report() -> Report {
    let path = format!("{SAMPLES}/v0.1.0-snapshot/axum-0.8.3.json");
    let bytes = std::fs::read(&path).expect("sample");
    let loaded = isg::load(&[isg::SourceFile { name: &path, bytes: &bytes }]).expect("loads");
    let graph = isg::model::encode_portable(&loaded.graph, &loaded.report);
    let n = loaded.graph.node_count();
    Report {
        meta: ReportMeta {
            title: "axum <script>alert(1)</script> & co".into(),
            notes: "Notes with \"quotes\" and </script> inside".into(),
            created: "2026-11-30T12:00:00Z".into(),
            sources: vec!["axum-0.8.3.json".into()],
            generator: "test".into(),
            compared: None,
        },
        view: ViewState {
            camera: Some(CameraView { x: 1.0, y: 2.0, css_scale: 0.5 }),
            selection: vec![NodeKey(loaded.graph.hash(isg::NodeId(3)))],
            ..ViewState::default()
        },
        graph,
        positions: Some((0..n).map(|i| [i as f32, -(i as f32) * 0.5]).collect()),
        style: Some(CapturedStyle {
            name: "module-colors".into(),
            nodes: Some(vec![1, 2, 3, 4]),
            edges: None,
            marks: Some(vec![9]),
            extras: serde_json::json!({"labels": [], "overlays": []}),
        }),
        analyses: vec![AnalysisRun {
            plugin: PluginInfo { name: "tangles".into(), version: "1.0.0".into(), description: "cycles".into() },
            findings: vec![Finding {
                severity: plugin_host::abi::Severity::Warning,
                nodes: vec![1, 2],
                edges: vec![0],
                message: "a <b>tangle</b>".into(),
            }],
            metrics: vec![MetricColumn {
                name: "I".into(),
                values: (0..n).map(|i| if i == 0 { f32::NAN } else { i as f32 }).collect(),
            }],
        }],
    }
}

fn viewer() -> ViewerBundle {
    ViewerBundle::new(
        "Parseltongue Studio 0.1.0 (test)".into(),
        "let wasm_bindgen = async () => {};".into(),
        &[0, 97, 115, 109, 1, 0, 0, 0],
        "body { margin: 0 }".into(),
    )
    .expect("inlinable")
}

fn same(a: &Report, b: &Report) {
    // NaN is not equal to itself: compare metric bits.
    assert_eq!(a.meta, b.meta);
    assert_eq!(a.view, b.view);
    assert_eq!(a.graph, b.graph);
    assert_eq!(a.positions, b.positions);
    assert_eq!(a.style, b.style);
    assert_eq!(a.analyses.len(), b.analyses.len());
    for (x, y) in a.analyses.iter().zip(&b.analyses) {
        assert_eq!(x.plugin, y.plugin);
        assert_eq!(x.findings, y.findings);
        let bits = |r: &AnalysisRun| {
            r.metrics
                .iter()
                .map(|m| (m.name.clone(), m.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(x), bits(y));
    }
}

#[test]
fn a_report_round_trips() {
    let report = axum_report();
    same(&Report::decode(&report.encode()).expect("reads"), &report);
    let page = html::report_html(&viewer(), &report);
    same(&html::read_report_html(&page).expect("reads from the page"), &report);
}

#[test]
fn the_page_escapes_the_title_and_carries_text_only_as_data() {
    let page = html::report_html(&viewer(), &axum_report());
    assert!(page.contains("<title>axum &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>"));
    assert!(!page.contains("alert(1)</script>"));
    // Notes travel inside the compressed payload, never as markup.
    assert!(!page.contains("Notes with"));
    assert_eq!(page.matches("<script").count(), 4, "payload, viewer wasm, glue, boot");
}

/// The bodies of a page's executable inline scripts and its style element.
fn inline(page: &str) -> (Vec<String>, String) {
    let mut scripts = Vec::new();
    for part in page.split("<script").skip(1) {
        let (tag, rest) = part.split_once('>').expect("tag");
        if !tag.contains("type=") {
            scripts.push(rest.split_once("</script>").expect("closed").0.to_owned());
        }
    }
    let style = page.split_once("<style>").expect("style").1.split_once("</style>").expect("closed").0.to_owned();
    (scripts, style)
}

#[test]
fn the_policy_allows_exactly_the_inline_scripts_and_fetches_nothing() {
    let page = html::report_html(&viewer(), &axum_report());
    let (scripts, style) = inline(&page);
    assert_eq!(scripts.len(), 2);
    let policy =
        page.split_once("Content-Security-Policy\" content=\"").expect("policy").1.split_once('"').expect("end").0;
    let policy = policy.replace("&apos;", "'");
    use sha2::Digest as _;
    let hash = |s: &str| {
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(s.as_bytes())))
    };
    for s in &scripts {
        assert!(policy.contains(&hash(s)), "{policy}");
    }
    assert!(policy.contains(&format!("style-src {}", hash(&style))));
    for needed in ["default-src 'none'", "connect-src 'none'", "'wasm-unsafe-eval'", "object-src 'none'"] {
        assert!(policy.contains(needed), "{needed} in {policy}");
    }
    for banned in ["'unsafe-inline'", "'unsafe-eval'", "http:", "https:", "'self'"] {
        assert!(!policy.contains(banned), "{banned} in {policy}");
    }
}

#[test]
fn damaged_reports_are_refused_by_name() {
    let bytes = axum_report().encode();
    for cut in [0, 1, 10, 100, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
        let err = Report::decode(&bytes[..cut]).expect_err("cut");
        assert!(matches!(err, ReportError::Container(_)), "cut at {cut}: {err}");
        assert!(err.to_string().starts_with("the report's data"), "{err}");
    }
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    assert!(Report::decode(&flipped).is_err());
    assert!(matches!(html::read_payload_text("!!!not base64"), Err(ReportError::Base64)));
    assert!(matches!(html::read_report_html("<html>no report</html>"), Err(ReportError::Container(_))));
    let viewer_bytes = viewer().encode();
    assert!(matches!(Report::decode(&viewer_bytes), Err(ReportError::Container(_))), "a viewer bundle is not a report");
    assert!(Report::decode(b"plain text, not gzip").is_err());
}

#[test]
fn the_viewer_bundle_round_trips_and_refuses_what_cannot_be_inlined() {
    let v = viewer();
    assert_eq!(ViewerBundle::decode(&v.encode()).expect("reads"), v);
    assert_eq!(
        ViewerBundle::new("b".into(), "x = '</SCRIPT>'".into(), &[], String::new()),
        Err(ViewerError::ClosingTag("script"))
    );
    assert_eq!(
        ViewerBundle::new("b".into(), String::new(), &[], "a{}</style>".into()),
        Err(ViewerError::ClosingTag("style sheet"))
    );
    assert!(ViewerBundle::decode(&axum_report().encode()).is_err(), "a report is not a viewer bundle");
}
