//! Every real export in `../shared/isg-samples` loads, and its counts, kinds, warnings and
//! resolution figures match `expected/samples.json`, which `expected/compute_expected.py`
//! computes independently in Python.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use isg::{Loaded, SourceFile, WarningKind, load};
use serde_json::Value;

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/isg-samples")
}

fn load_case(case: &str) -> Result<Loaded> {
    let files: Vec<(String, Vec<u8>)> = case
        .split('+')
        .map(|rel| Ok((rel.to_owned(), std::fs::read(samples_dir().join(rel)).with_context(|| rel.to_owned())?)))
        .collect::<Result<_>>()?;
    let sources: Vec<SourceFile<'_>> = files.iter().map(|(n, b)| SourceFile { name: n, bytes: b }).collect();
    Ok(load(&sources)?)
}

fn counts(v: &Value) -> BTreeMap<String, u64> {
    v.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect()
}

fn warning_counts(loaded: &Loaded) -> BTreeMap<String, u64> {
    loaded
        .report
        .warnings
        .iter()
        .filter_map(|w| {
            let name = match w.kind {
                WarningKind::DanglingEdges => "DanglingEdges",
                WarningKind::DuplicateHashes => "DuplicateHashes",
                WarningKind::DuplicateEdges => "DuplicateEdges",
                WarningKind::SelfLoops => "SelfLoops",
                _ => return None,
            };
            Some((name.to_owned(), w.count as u64))
        })
        .collect()
}

#[test]
fn every_sample_matches_independently_computed_figures() -> Result<()> {
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(include_str!("expected/samples.json")).context("expected/samples.json")?;
    assert!(expected.len() >= 13, "every sample family is covered");
    for (case, want) in &expected {
        let loaded = load_case(case).with_context(|| format!("loading {case}"))?;
        let g = &loaded.graph;
        assert_eq!(g.node_count() as u64, want["nodes"].as_u64().unwrap_or(0), "{case}: nodes");
        assert_eq!(g.edge_count() as u64, want["edges"].as_u64().unwrap_or(0), "{case}: edges");
        assert_eq!(loaded.report.raw_nodes as u64, want["raw_nodes"].as_u64().unwrap_or(0), "{case}: raw nodes");
        assert_eq!(loaded.report.raw_edges as u64, want["raw_edges"].as_u64().unwrap_or(0), "{case}: raw edges");
        let node_kinds: BTreeMap<String, u64> =
            g.node_counts_by_kind().into_iter().map(|(k, n)| (k, n as u64)).collect();
        assert_eq!(node_kinds, counts(&want["node_kinds"]), "{case}: node kinds");
        let edge_kinds: BTreeMap<String, u64> =
            g.edge_counts_by_kind().into_iter().map(|(k, n)| (k, n as u64)).filter(|(_, n)| *n > 0).collect();
        assert_eq!(edge_kinds, counts(&want["edge_kinds"]), "{case}: edge kinds");
        let want_warnings: BTreeMap<String, u64> =
            counts(&want["warnings"]).into_iter().filter(|(_, n)| *n > 0).collect();
        assert_eq!(warning_counts(&loaded), want_warnings, "{case}: warnings");
        if let Some(max) = want.get("max_hash").and_then(Value::as_str) {
            let max: u64 = max.parse()?;
            assert_eq!(g.nodes().map(|n| g.hash(n)).max(), Some(max), "{case}: u64 hashes survive exactly");
            assert!(g.node_by_hash(max).is_some());
        }
        match (&loaded.report.resolution, want.get("resolution")) {
            (Some(r), Some(w)) => {
                let got: BTreeMap<String, u64> = [
                    ("exact", r.exact),
                    ("by_path", r.by_path),
                    ("by_name", r.by_name),
                    ("files", r.files),
                    ("unlisted", r.unlisted),
                    ("ambiguous", r.ambiguous),
                    ("external", r.external),
                    ("edges_resolved", r.edges_resolved),
                    ("edges_ambiguous", r.edges_ambiguous),
                    ("edges_external", r.edges_external),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v as u64))
                .collect();
                assert_eq!(got, counts(w), "{case}: resolution");
                assert_eq!(r.edges_resolved + r.edges_ambiguous + r.edges_external, loaded.report.raw_edges);
            }
            (None, None) => {}
            (got, _) => panic!("{case}: resolution presence differs: {got:?}"),
        }
    }
    Ok(())
}

#[test]
fn formats_are_detected() -> Result<()> {
    use isg::Format;
    for (case, format) in [
        ("v0.1.0-snapshot/axum-0.8.3.json", Format::SnapshotV0_1),
        ("v1-isg_data/axum-0.8.3.json", Format::IsgDataV1),
        ("v0.9.7-pt02/axum-0.8.3.level01.entities.json+v0.9.7-pt02/axum-0.8.3.level00.edges.json", Format::Pt02V0_9),
        (
            "v1.7.2-http/tokio-1.47.1.code-entities-list-all.json+v1.7.2-http/tokio-1.47.1.dependency-edges-list-all.json",
            Format::HttpV1_7,
        ),
    ] {
        assert_eq!(load_case(case)?.report.format, format, "{case}");
    }
    Ok(())
}

#[test]
fn pt02_levels_opened_together_merge_by_key() -> Result<()> {
    let both = load_case(
        "v0.9.7-pt02/axum-0.8.3.level01.entities.json+v0.9.7-pt02/axum-0.8.3.level02.entities.json+v0.9.7-pt02/axum-0.8.3.level00.edges.json",
    )?;
    let one = load_case("v0.9.7-pt02/axum-0.8.3.level01.entities.json+v0.9.7-pt02/axum-0.8.3.level00.edges.json")?;
    assert_eq!(both.graph.node_count(), one.graph.node_count());
    assert_eq!(both.graph.edge_count(), one.graph.edge_count());
    Ok(())
}

#[test]
fn pt02_lines_come_from_the_signature_line_range() -> Result<()> {
    let loaded = load_case("v0.9.7-pt02/axum-0.8.3.level01.entities.json+v0.9.7-pt02/axum-0.8.3.level00.edges.json")?;
    let g = &loaded.graph;
    let n = g.nodes().find(|&n| g.name(n) == "UrlParams").context("UrlParams")?;
    assert_eq!((g.line(n), g.kind_name(n), g.file_path(n)), (7, "Enum", "./src/routing/url_params.rs"));
    Ok(())
}
