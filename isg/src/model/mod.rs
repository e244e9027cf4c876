//! The compact model: a loaded graph, its search index and its load report as one little-endian
//! byte buffer.
//!
//! The app parses an export once, in a worker, and hands the page and every plugin worker this
//! buffer (a transferable `ArrayBuffer` in the browser) instead of the files: reading it back is
//! a handful of memory copies, never a second parse. The format is private to one build of the
//! app: a magic number and version, then each column as a length-prefixed array.
//!
//! [`encode_portable`] writes the smaller form a report carries (no derived index; see
//! `portable.rs`).
//!
//! [`decode`] checks what it reads (lengths, offsets, ids and UTF-8), so a damaged buffer is an
//! error, never a panic or an out-of-range id later.

pub(crate) mod codec;
mod portable;

pub use codec::ModelError;
use codec::{ModelReader, ModelWriter};
pub use portable::{decode_portable, encode_portable};

use crate::graph::Graph;
use crate::load::LoadReport;
use crate::query::SearchIndex;

/// A model read back.
#[derive(Debug)]
pub struct Model {
    /// The graph.
    pub graph: Graph,
    /// Its search index.
    pub index: SearchIndex,
    /// What the loader found.
    pub report: LoadReport,
}

/// Writes `graph`, `index` and `report` as one buffer.
#[must_use]
pub fn encode(graph: &Graph, index: &SearchIndex, report: &LoadReport) -> Vec<u8> {
    let memory = graph.memory();
    let mut w = ModelWriter::new(memory.string_bytes + memory.node_bytes + memory.edge_bytes + 64);
    graph.write_model(&mut w);
    index.write_model(&mut w);
    report.write_model(&mut w);
    w.finish()
}

/// Reads a buffer [`encode`] wrote.
///
/// # Errors
/// [`ModelError`] when it is not a model of this build or is damaged.
pub fn decode(bytes: &[u8]) -> Result<Model, ModelError> {
    let mut r = ModelReader::new(bytes)?;
    let graph = Graph::read_model(&mut r)?;
    let index = SearchIndex::read_model(&mut r, graph.node_count())?;
    let report = LoadReport::read_model(&mut r)?;
    r.finish()?;
    Ok(Model { graph, index, report })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{SynthSpec, generate};
    use crate::{SourceFile, load};

    #[test]
    fn a_real_sample_round_trips_exactly() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples/v0.9.7-pt02/");
        let entities = std::fs::read(format!("{path}axum-0.8.3.level01.entities.json")).unwrap();
        let edges = std::fs::read(format!("{path}axum-0.8.3.level00.edges.json")).unwrap();
        let loaded = load(&[
            SourceFile { name: "axum-0.8.3.level01.entities.json", bytes: &entities },
            SourceFile { name: "axum-0.8.3.level00.edges.json", bytes: &edges },
        ])
        .unwrap();
        let index = SearchIndex::build(&loaded.graph);
        let bytes = encode(&loaded.graph, &index, &loaded.report);
        let model = decode(&bytes).unwrap();
        let (a, b) = (&loaded.graph, &model.graph);
        assert_eq!((a.node_count(), a.edge_count()), (b.node_count(), b.edge_count()));
        for n in a.nodes() {
            assert_eq!(
                (
                    a.hash(n),
                    a.name(n),
                    a.signature(n),
                    a.file_path(n),
                    a.line(n),
                    a.kind_name(n),
                    a.flags(n),
                    a.module(n)
                ),
                (
                    b.hash(n),
                    b.name(n),
                    b.signature(n),
                    b.file_path(n),
                    b.line(n),
                    b.kind_name(n),
                    b.flags(n),
                    b.module(n)
                )
            );
            assert!(a.out_edges(n).eq(b.out_edges(n)) && a.in_edges(n).eq(b.in_edges(n)));
            assert_eq!(a.node_by_hash(a.hash(n)), b.node_by_hash(a.hash(n)));
        }
        assert_eq!(a.modules().len(), b.modules().len());
        assert_eq!(model.report, loaded.report);
        assert_eq!(index.search(a, "router", 20), model.index.search(b, "router", 20));
        assert_eq!(a.node_counts_by_kind(), b.node_counts_by_kind());
    }

    #[test]
    fn damage_is_an_error_never_a_panic() {
        let g = generate(SynthSpec { nodes: 300, edges: 900, seed: 4 });
        let report = LoadReport {
            format: crate::Format::SnapshotV0_1,
            raw_nodes: 300,
            raw_edges: 900,
            warnings: Vec::new(),
            resolution: None,
        };
        let bytes = encode(&g, &SearchIndex::build(&g), &report);
        assert!(decode(&bytes).is_ok());
        assert_eq!(decode(b"not a model").unwrap_err(), ModelError::Magic);
        for cut in [9, 100, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        // Flip bytes all over: every outcome is a result, and a decoded model is consistent.
        for at in (8..bytes.len()).step_by(97) {
            let mut bad = bytes.clone();
            bad[at] ^= 0xa5;
            if let Ok(model) = decode(&bad) {
                for n in model.graph.nodes() {
                    let _ = (model.graph.name(n), model.graph.out_edges(n).count(), model.graph.module(n));
                }
            }
        }
    }

    fn empty_report() -> LoadReport {
        LoadReport {
            format: crate::Format::SnapshotV0_1,
            raw_nodes: 0,
            raw_edges: 0,
            warnings: Vec::new(),
            resolution: None,
        }
    }

    /// Every node field and every edge, in order, of two graphs.
    fn assert_same(a: &Graph, b: &Graph) {
        assert_eq!((a.node_count(), a.edge_count()), (b.node_count(), b.edge_count()));
        assert_eq!(a.node_kinds(), b.node_kinds());
        assert_eq!(a.edge_kinds(), b.edge_kinds());
        for n in a.nodes() {
            assert_eq!(
                (a.hash(n), a.kind_name(n), a.name(n), a.signature(n), a.file_path(n), a.line(n), a.flags(n).0),
                (b.hash(n), b.kind_name(n), b.name(n), b.signature(n), b.file_path(n), b.line(n), b.flags(n).0)
            );
        }
        assert!(a.edges().eq(b.edges()), "the same edges in the same order");
    }

    #[test]
    fn the_portable_form_rebuilds_every_sample_exactly_and_is_smaller() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples/");
        for files in [
            &["v0.1.0-snapshot/axum-0.8.3.json"][..],
            &["v0.1.0-snapshot/tokio-1.47.1.json"],
            &["v0.9.7-pt02/axum-0.8.3.level01.entities.json", "v0.9.7-pt02/axum-0.8.3.level00.edges.json"],
        ] {
            let contents: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(format!("{root}{f}")).unwrap()).collect();
            let sources: Vec<SourceFile<'_>> =
                files.iter().zip(&contents).map(|(name, bytes)| SourceFile { name, bytes }).collect();
            let loaded = load(&sources).unwrap();
            let portable = encode_portable(&loaded.graph, &loaded.report);
            let (graph, report) = decode_portable(&portable).unwrap();
            assert_same(&loaded.graph, &graph);
            assert_eq!(report, loaded.report);
            let full = encode(&loaded.graph, &SearchIndex::build(&loaded.graph), &loaded.report);
            assert!(portable.len() * 10 < full.len() * 6, "{files:?}: {} of {} bytes", portable.len(), full.len());
        }
        // Hashes that clash, self-loops and many kinds survive too.
        let g = generate(SynthSpec { nodes: 3000, edges: 20_000, seed: 9 });
        let (back, _) = decode_portable(&encode_portable(&g, &empty_report())).unwrap();
        assert_same(&g, &back);
    }

    #[test]
    fn a_damaged_portable_graph_is_an_error_never_a_panic() {
        let g = generate(SynthSpec { nodes: 200, edges: 900, seed: 3 });
        let bytes = encode_portable(&g, &empty_report());
        for cut in (0..bytes.len()).step_by(37) {
            assert!(decode_portable(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for i in (8..bytes.len()).step_by(11) {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0xa5;
            // Either refused, or a graph that is still whole (a changed line number, say).
            if let Ok((graph, _)) = decode_portable(&damaged) {
                assert_eq!(graph.node_count(), g.node_count());
            }
        }
        assert_eq!(
            decode_portable(&encode(&g, &SearchIndex::build(&g), &empty_report())).err(),
            Some(ModelError::Magic)
        );
    }
}
