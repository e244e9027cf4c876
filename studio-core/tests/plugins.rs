//! The plugin side of the core without a browser: renderer output applied to the scene (and the
//! default look as a plugin equal to the built-in one), consent over in-memory storage, kept
//! layouts keyed by identity, and where plugins may come from.
// Native only: they read the samples and build plugins from disk.
#![cfg(not(target_arch = "wasm32"))]

mod axum_plugins;

use axum_plugins::{axum, axum_studio, run_on_axum as render, support};
use std::sync::Arc;

use plugin_host::lane::Trust;

use plugin_host::{Manifest, PluginOrigin, sha256_hex};
use renderer::style::NodeStyles;
use serde_json::json;
use studio_core::catalog::{CatalogEntry, SourceError, from_files};
use studio_core::consent::{self, ConsentDecision, allow_bundled, covered_by_bundled_choice, decide, forget, remember};
use studio_core::plugin_style::{PluginStyleError, StyleExtras, StyleRecords, style_sheet};
use studio_core::runs::{KeptLayout, KeptLayouts};
use studio_core::storage::{MemoryStorage, StorageError};

#[test]
fn style_by_kind_draws_exactly_the_built_in_default_look() {
    let out = render("style-by-kind", &json!({}));
    let graph = axum().graph;
    let records = StyleRecords {
        nodes: out.node_styles.as_ref().map(|r| r.as_bytes()),
        edges: out.edge_styles.as_ref().map(|r| r.as_bytes()),
        marks: None,
    };
    let extras = StyleExtras { labels: Vec::new(), overlays: out.overlays.clone() };
    let sheet = style_sheet(&graph, records, extras).expect("fits");
    // Its legend is the default look's: the same kinds in the same colours and glyphs.
    let default = renderer::legend::Legend::default_look(&graph, "axum");
    let expected: Vec<_> = default.sections.iter().flat_map(|s| &s.entries).map(|e| (e.swatch, e.color)).collect();
    let got: Vec<_> = sheet.legend.iter().map(|e| (e.swatch, e.color)).collect();
    assert_eq!(got, expected);
    for (plugin, default) in sheet.legend.iter().zip(default.sections.iter().flat_map(|s| &s.entries)) {
        assert!(default.label.starts_with(&format!("{} (", plugin.label)), "{} vs {}", plugin.label, default.label);
    }
    let defaults = NodeStyles::by_kind(&graph);
    let nodes = sheet.nodes.expect("node looks");
    assert_eq!(nodes.len(), graph.node_count());
    for (i, look) in nodes.iter().enumerate() {
        assert_eq!(*look, defaults.look(i), "node {i} ({})", graph.kind_name(isg::NodeId(i as u32)));
    }
    let default_edges = renderer::scene::default_edge_looks(&graph);
    let edges = sheet.edges.expect("edge looks");
    for (i, (plugin, default)) in edges.iter().zip(&default_edges).enumerate() {
        assert_eq!(
            (plugin.color, plugin.visible, plugin.arrow, plugin.dashed),
            (default.color, default.visible, default.arrow, default.dashed),
            "edge {i}"
        );
        // The default look's 0 means "the default width", which is 1 px: the plugin says 1 px.
        assert_eq!((default.width_px, plugin.width_px), (0.0, renderer::DrawOptions::default().edge_px));
    }
}

#[test]
fn a_renderers_style_restyles_the_scene_and_a_bad_one_changes_nothing() {
    let mut s = axum_studio();
    let plain = s.current.as_ref().expect("graph").scene.nodes.clone();
    let out = render("hotspots", &json!({"metric": "fan_in"}));
    let records = StyleRecords {
        nodes: out.node_styles.as_ref().map(|r| r.as_bytes()),
        edges: out.edge_styles.as_ref().map(|r| r.as_bytes()),
        marks: out.edge_marks.as_ref().map(|r| r.as_bytes()),
    };
    let extras = StyleExtras { labels: out.labels.clone().into_iter().collect(), overlays: out.overlays.clone() };
    s.apply_plugin_style("hotspots", records, extras.clone()).expect("applies");
    let styled = s.current.as_ref().expect("graph").scene.nodes.clone();
    assert_ne!(styled, plain);
    let scene = &s.current.as_ref().expect("graph").scene;
    assert_eq!(scene.legend.len(), 4, "hotspots says what its heat means");
    assert_eq!(scene.overlays.len() + scene.legend.len(), out.overlays.len());
    let legend = s.legend().expect("a legend");
    assert!(legend.sections[0].heading.contains("hotspots") && legend.sections[0].entries.len() == 4, "{legend:?}");
    assert_eq!(s.renderer.as_ref().expect("gpu").style_updates, 1);
    // Records for another graph, and a malformed record: refused, the style in force stays.
    let short = &records.nodes.expect("nodes")[..120];
    let e = s.apply_plugin_style(
        "hotspots",
        StyleRecords { nodes: Some(short), ..StyleRecords::default() },
        StyleExtras::default(),
    );
    assert!(matches!(e, Err(PluginStyleError::Records(_))), "{e:?}");
    let mut bad = records.nodes.expect("nodes").to_vec();
    bad[8] = 77;
    let e = s.apply_plugin_style(
        "hotspots",
        StyleRecords { nodes: Some(&bad), ..StyleRecords::default() },
        StyleExtras::default(),
    );
    assert!(e.expect_err("refused").to_string().contains("unknown shape 77"));
    assert_eq!(s.current.as_ref().expect("graph").scene.nodes, styled);
    s.reset_style();
    assert_eq!(s.current.as_ref().expect("graph").scene.nodes, plain, "Default look restores the picture");
}

fn source(origin: PluginOrigin, wasm: &[u8]) -> studio_core::catalog::PluginSource {
    let (_, text) = support::plugin("circle-layout");
    let manifest = Manifest::parse(&text).expect("manifest");
    let identity = plugin_host::PluginIdentity::new(origin, &manifest, &text, wasm);
    studio_core::catalog::PluginSource {
        manifest: Arc::new(manifest),
        manifest_text: text,
        wasm: Arc::new(wasm.to_vec()),
        identity,
        session_only: false,
        trusted_publisher: None,
    }
}

#[test]
fn fast_lane_trust_is_kept_per_identity_and_forgotten_with_the_grants() {
    pollster::block_on(async {
        let storage = MemoryStorage::default();
        let first = source(PluginOrigin::FirstParty, b"\0asm one");
        let other = source(PluginOrigin::FirstParty, b"\0asm two");
        assert_eq!(consent::trust(&storage, &first).await.expect("reads"), Trust::None);
        consent::set_trusted(&storage, &first.identity, true).await.expect("keeps");
        assert_eq!(consent::trust(&storage, &first).await.expect("reads"), Trust::Hand);
        assert_eq!(consent::trust(&storage, &other).await.expect("reads"), Trust::None, "another byte, another plugin");
        forget(&storage, &first.identity).await.expect("forgets");
        assert_eq!(consent::trust(&storage, &first).await.expect("reads"), Trust::None);
        let signed = studio_core::catalog::PluginSource { trusted_publisher: Some("RWQ1".into()), ..other };
        assert_eq!(consent::trust(&storage, &signed).await.expect("reads"), Trust::Publisher { key: "RWQ1".into() });
    });
}

#[test]
fn consent_is_kept_per_identity() {
    pollster::block_on(async {
        let storage = MemoryStorage::default();
        let (wasm, _) = support::plugin("circle-layout");
        let first = source(PluginOrigin::FirstParty, &wasm);
        assert_eq!(decide(&storage, &first).await, Ok(ConsentDecision::Ask));
        let grants = first.manifest.capabilities.requested();
        remember(&storage, &first.identity, &grants).await.expect("kept");
        assert_eq!(decide(&storage, &first).await, Ok(ConsentDecision::Run(grants.clone())));
        // The same bytes from disk, or one changed byte: another plugin, which is asked.
        let disk = source(PluginOrigin::Disk { file: "circle_layout.wasm".into() }, &wasm);
        assert_eq!(decide(&storage, &disk).await, Ok(ConsentDecision::Ask));
        let mut changed = wasm.clone();
        changed.push(0);
        assert_eq!(decide(&storage, &source(PluginOrigin::FirstParty, &changed)).await, Ok(ConsentDecision::Ask));
        forget(&storage, &first.identity).await.expect("forgotten");
        assert_eq!(decide(&storage, &first).await, Ok(ConsentDecision::Ask));
        // A full quota is an error naming it; nothing is kept.
        let full = MemoryStorage::with_quota(Some(4));
        let e = remember(&full, &first.identity, &grants).await.unwrap_err();
        assert!(matches!(e, StorageError::QuotaExceeded { .. }) && e.to_string().contains("QuotaExceededError"));
        assert!(full.is_empty());
    });
}

#[test]
fn one_choice_allows_bundled_plugins_that_only_read_and_draw_and_nothing_else() {
    pollster::block_on(async {
        let storage = MemoryStorage::default();
        let (wasm, text) = support::plugin("circle-layout");
        let first = source(PluginOrigin::FirstParty, &wasm);
        let disk = source(PluginOrigin::Disk { file: "circle_layout.wasm".into() }, &wasm);
        // The same plugin asking for its private folder too.
        let text = text.replace("write_visualization = true", "write_visualization = true\nfile_system_access = true");
        let manifest = Manifest::parse(&text).expect("manifest");
        let identity = plugin_host::PluginIdentity::new(PluginOrigin::FirstParty, &manifest, &text, &wasm);
        let with_files = studio_core::catalog::PluginSource {
            manifest: Arc::new(manifest),
            manifest_text: text,
            wasm: Arc::new(wasm.clone()),
            identity,
            session_only: false,
            trusted_publisher: None,
        };
        assert!(covered_by_bundled_choice(&first));
        assert!(!covered_by_bundled_choice(&disk) && !covered_by_bundled_choice(&with_files));
        allow_bundled(&storage, true).await.expect("kept");
        assert!(matches!(decide(&storage, &first).await, Ok(ConsentDecision::Run(_))));
        assert_eq!(decide(&storage, &disk).await, Ok(ConsentDecision::Ask), "a plugin from disk is always asked");
        assert_eq!(decide(&storage, &with_files).await, Ok(ConsentDecision::Ask), "file access is always asked");
        allow_bundled(&storage, false).await.expect("withdrawn");
        assert_eq!(decide(&storage, &first).await, Ok(ConsentDecision::Ask));
    });
}

#[test]
fn kept_layouts_belong_to_one_identity_and_are_bounded() {
    let mut kept = KeptLayouts::default();
    let params = json!({"spacing": 3});
    let first = KeptLayouts::key("first-party/circle-layout@0.1.0#ab", 1, &params, None);
    let disk = KeptLayouts::key("disk/circle-layout-copy@0.1.0#ab", 1, &params, None);
    let layout = KeptLayout { positions: vec![[1.0, 2.0]], routes: Some(vec![0; 8]) };
    kept.keep(first.clone(), layout.clone());
    assert_eq!(kept.get(&first).as_deref(), Some(&layout), "kept with its routes");
    assert!(kept.get(&disk).is_none(), "another plugin never replays it");
    assert!(kept.get(&KeptLayouts::key("first-party/circle-layout@0.1.0#ab", 2, &params, None)).is_none());
    for i in 0..20 {
        kept.keep(format!("k{i}"), KeptLayout { positions: Vec::new(), routes: None });
    }
    assert_eq!(kept.len(), 12);
    assert!(kept.get(&first).is_none(), "the oldest went first");
}

#[test]
fn first_party_files_are_checked_and_their_names_cannot_be_taken_from_disk() {
    let (wasm, text) = support::plugin("circle-layout");
    let entry = CatalogEntry {
        name: "circle-layout".into(),
        listed: true,
        manifest_sha256: sha256_hex(text.as_bytes()),
        wasm_sha256: sha256_hex(&wasm),
    };
    let s = entry.source(text.clone(), wasm.clone()).expect("as staged");
    assert_eq!(s.identity.origin, PluginOrigin::FirstParty);
    let mut stale = wasm.clone();
    stale[100] ^= 1;
    assert_eq!(
        entry.source(text.clone(), stale).unwrap_err(),
        SourceError::NotAsStaged { plugin: "circle-layout".into(), file: "plugin.wasm" }
    );
    let files = vec![("plugin.toml".to_owned(), text.clone().into_bytes()), ("c.wasm".to_owned(), wasm.clone())];
    assert_eq!(
        from_files(files.clone(), std::slice::from_ref(&entry)).unwrap_err(),
        SourceError::FirstPartyName("circle-layout".into())
    );
    let unlisted = CatalogEntry { listed: false, ..entry };
    let from_disk = from_files(files, &[unlisted]).expect("a test plugin's name is free");
    assert_eq!(from_disk.identity.origin, PluginOrigin::Disk { file: "c.wasm".into() });
    let e = from_files(vec![("c.wasm".to_owned(), wasm)], &[]).unwrap_err();
    assert_eq!(e.to_string(), "pick the plugin's plugin.toml together with its .wasm");
}
