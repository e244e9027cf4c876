//! Deep-link fragments: round trips, the size of a typical view, and every malformed or hostile
//! fragment refused by name.

use std::io::Write as _;

use base64::Engine as _;
use share::fragment::{self, FragmentError, MAX_FRAGMENT_CHARS};
use share::view::{CameraView, FilterView, HubView, NodeKey, PluginChoice, ViewProblem, ViewState};

fn typical() -> ViewState {
    ViewState {
        sources: vec!["https://example.org/exports/tokio-1.47.1.json".into()],
        camera: Some(CameraView { x: -1234.5, y: 987.25, css_scale: 0.0625 }),
        selection: (0..20).map(|i| NodeKey(0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i + 1))).collect(),
        search: "spawn_blocking".into(),
        layout: Some(PluginChoice {
            name: "force-layout".into(),
            params: serde_json::json!({"iterations": 300, "seed": 7}),
        }),
        renderer: Some(PluginChoice { name: "module-colors".into(), params: serde_json::Value::Null }),
        hubs: Some(HubView { threshold: 40, split: true }),
        filters: FilterView {
            hidden_node_kinds: vec!["module".into()],
            hidden_edge_kinds: vec!["Uses".into()],
            hidden_roles: vec!["tests".into(), "external".into()],
            module: Some("tokio/src/runtime".into()),
        },
        rings_hidden: true,
    }
}

#[test]
fn a_view_round_trips_through_its_fragment() {
    let state = typical();
    let text = fragment::encode(&state);
    assert!(text.starts_with("v1."));
    assert!(text.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)), "URL-safe: {text}");
    assert_eq!(fragment::decode(&text).expect("reads"), state);
    assert_eq!(fragment::decode(&format!("#{text}")).expect("reads with its #"), state);
    assert_eq!(fragment::decode(&fragment::encode(&ViewState::default())).expect("empty"), ViewState::default());
}

#[test]
fn a_typical_view_fits_in_two_kilobytes() {
    let text = fragment::encode(&typical());
    eprintln!("typical fragment: {} characters", text.len());
    assert!(text.len() <= 2048, "{} characters", text.len());
}

#[test]
fn node_hashes_keep_all_64_bits() {
    let state =
        ViewState { selection: vec![NodeKey(u64::MAX), NodeKey(0), NodeKey(1 << 63 | 1)], ..ViewState::default() };
    assert_eq!(fragment::decode(&fragment::encode(&state)).expect("reads").selection, state.selection);
}

fn packed(json: &[u8]) -> String {
    let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    d.write_all(json).expect("vec");
    format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d.finish().expect("vec")))
}

#[test]
fn malformed_fragments_are_refused_by_name() {
    assert_eq!(fragment::decode("section-2"), Err(FragmentError::Prefix));
    assert_eq!(fragment::decode("v2.abc"), Err(FragmentError::Prefix));
    assert_eq!(fragment::decode("v1.*&^"), Err(FragmentError::Base64));
    assert_eq!(fragment::decode("v1.AAAA"), Err(FragmentError::Deflate));
    let long = format!("v1.{}", "A".repeat(MAX_FRAGMENT_CHARS));
    assert!(matches!(fragment::decode(&long), Err(FragmentError::TooLong(_))));
    assert!(matches!(fragment::decode(&packed(b"[1,2")), Err(FragmentError::Json(_))));
    assert!(
        matches!(fragment::decode(&packed(br#"{"sel":["xyz"]}"#)), Err(FragmentError::Json(e)) if e.contains("node hash"))
    );
    assert!(matches!(fragment::decode(&packed(br#"{"sel":["12345678901234567"]}"#)), Err(FragmentError::Json(_))));
    // A cut fragment.
    let text = fragment::encode(&typical());
    assert!(fragment::decode(&text[..text.len() / 2]).is_err());
    assert!(!fragment::is_view_fragment("#section-2"));
    assert!(fragment::is_view_fragment("#v1.abc"));
}

#[test]
fn hostile_fragments_stop_at_their_bounds() {
    // A deflate bomb: 16 MB of spaces in about 20 KB of fragment.
    let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..256 {
        d.write_all(&[b' '; 65536]).expect("vec");
    }
    let bomb = format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d.finish().expect("vec")));
    assert!(bomb.len() < MAX_FRAGMENT_CHARS);
    assert_eq!(fragment::decode(&bomb), Err(FragmentError::TooLarge));
    let many = format!(r#"{{"sel":[{}]}}"#, vec![r#""1""#; 10_001].join(","));
    assert!(matches!(
        fragment::decode(&packed(many.as_bytes())),
        Err(FragmentError::View(ViewProblem::TooMany { what: "selected nodes", .. }))
    ));
    assert_eq!(
        fragment::decode(&packed(br#"{"cam":{"x":0,"y":0,"z":0}}"#)),
        Err(FragmentError::View(ViewProblem::Camera))
    );
    assert!(fragment::decode(&packed(br#"{"cam":{"x":1e39,"y":0,"z":1}}"#)).is_err());
    let params = format!(r#"{{"lay":{{"n":"force-layout","p":"{}"}}}}"#, "x".repeat(20_000));
    assert!(matches!(
        fragment::decode(&packed(params.as_bytes())),
        Err(FragmentError::View(ViewProblem::TooMany { .. }))
    ));
    // Unknown fields from a newer version are ignored.
    assert_eq!(fragment::decode(&packed(br#"{"q":"a","future":1}"#)).expect("reads").search, "a");
}
