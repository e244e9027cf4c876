//! The portable graph: what a report carries, and nothing that can be derived. The compact model
//! ([`super::encode`]) is built for speed between threads of one page and holds every index
//! (both edge directions, the kind index, nodes by hash, the search index), which is 31 MB for the
//! 179k-node registry; this form keeps the nodes (each string once, by id) and the edges in the
//! order the graph holds them, 13 MB, and [`decode_portable`] rebuilds the rest with the
//! [`GraphBuilder`](crate::graph::GraphBuilder), so node ids, edge ids and kind numbers come out
//! as they were. Every id is checked on the way in.

use rustc_hash::FxHashMap;

use super::codec::{ModelError, ModelReader, ModelWriter, check_ids};
use crate::graph::{Graph, GraphBuilder, NodeFlags, NodeId, NodeSpec};
use crate::load::LoadReport;

/// Starts every portable graph; the last byte is the format version.
const MAGIC: &[u8; 8] = b"PTGRAPH\x01";

/// Interns strings in first-use order: each one written once, nodes naming them by id.
#[derive(Default)]
struct Pool<'g> {
    ids: FxHashMap<&'g str, u32>,
    lengths: Vec<u32>,
    bytes: String,
}

impl<'g> Pool<'g> {
    fn id(&mut self, s: &'g str) -> u32 {
        let next = self.lengths.len() as u32;
        *self.ids.entry(s).or_insert_with(|| {
            self.lengths.push(s.len() as u32);
            self.bytes.push_str(s);
            next
        })
    }
}

/// Writes `graph` and its load report in the portable form.
#[must_use]
pub fn encode_portable(graph: &Graph, report: &LoadReport) -> Vec<u8> {
    let n = graph.node_count();
    let mut pool = Pool::default();
    let (mut names, mut signatures, mut files) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for v in graph.nodes() {
        names.push(pool.id(graph.name(v)));
        signatures.push(pool.id(graph.signature(v)));
        files.push(pool.id(graph.file_path(v)));
    }
    let mut w = ModelWriter::with_magic(MAGIC, pool.bytes.len() + n * 40 + graph.edge_count() * 6 + 64);
    w.texts(graph.node_kinds());
    w.texts(graph.edge_kinds());
    w.text(&pool.bytes);
    // Lengths rather than offsets: small numbers compress.
    w.u32s(&pool.lengths);
    w.u64s(&graph.nodes().map(|v| graph.hash(v)).collect::<Vec<_>>());
    w.u16s(&graph.nodes().map(|v| graph.kind(v).0).collect::<Vec<_>>());
    w.u32s(&names);
    w.u32s(&signatures);
    w.u32s(&files);
    w.u32s(&graph.nodes().map(|v| graph.line(v)).collect::<Vec<_>>());
    w.u8s(&graph.nodes().map(|v| graph.flags(v).0).collect::<Vec<_>>());
    // Edges in the graph's order: out-degree per node, then each edge's target and kind.
    w.u32s(&graph.nodes().map(|v| graph.out_degree(v) as u32).collect::<Vec<_>>());
    let (mut targets, mut kinds) = (Vec::with_capacity(graph.edge_count()), Vec::with_capacity(graph.edge_count()));
    for (_, to, kind) in graph.edges() {
        targets.push(to.0);
        kinds.push(kind.0);
    }
    w.u32s(&targets);
    w.u8s(&kinds);
    report.write_model(&mut w);
    w.finish()
}

/// Reads a portable graph back, rebuilding every index.
///
/// # Errors
/// [`ModelError`] when it is not a portable graph of this build or is damaged: any length, id or
/// kind out of range, text not UTF-8, a hash twice.
pub fn decode_portable(bytes: &[u8]) -> Result<(Graph, LoadReport), ModelError> {
    let mut r = ModelReader::with_magic(bytes, MAGIC)?;
    let node_kinds = r.texts()?;
    let edge_kinds = r.texts()?;
    let pool = r.text()?;
    let lengths = r.u32s()?;
    let mut starts = Vec::with_capacity(lengths.len() + 1);
    let mut at = 0usize;
    starts.push(0);
    for &len in &lengths {
        at = at.checked_add(len as usize).ok_or(ModelError::Inconsistent("string lengths"))?;
        if at > pool.len() || !pool.is_char_boundary(at) {
            return Err(ModelError::Inconsistent("string lengths"));
        }
        starts.push(at);
    }
    if at != pool.len() {
        return Err(ModelError::Inconsistent("string lengths"));
    }
    let text = |id: u32| &pool[starts[id as usize]..starts[id as usize + 1]];
    let hashes = r.u64s()?;
    let n = hashes.len();
    let kinds = r.u16s()?;
    let (names, signatures, files) = (r.u32s()?, r.u32s()?, r.u32s()?);
    let lines = r.u32s()?;
    let flags = r.u8s()?;
    if [kinds.len(), names.len(), signatures.len(), files.len(), lines.len(), flags.len()].iter().any(|&l| l != n) {
        return Err(ModelError::Inconsistent("node column lengths"));
    }
    for ids in [&names, &signatures, &files] {
        check_ids(ids, lengths.len(), "string ids")?;
    }
    if kinds.iter().any(|&k| usize::from(k) >= node_kinds.len()) {
        return Err(ModelError::Inconsistent("node kinds"));
    }
    let degrees = r.u32s()?;
    let targets = r.u32s()?;
    let edge_kind_ids = r.u8s()?;
    let report = LoadReport::read_model(&mut r)?;
    r.finish()?;
    if degrees.len() != n || edge_kind_ids.len() != targets.len() {
        return Err(ModelError::Inconsistent("edge column lengths"));
    }
    if degrees.iter().map(|&d| d as usize).sum::<usize>() != targets.len() {
        return Err(ModelError::Inconsistent("out-degrees"));
    }
    check_ids(&targets, n, "edge ends")?;
    if edge_kind_ids.iter().any(|&k| usize::from(k) >= edge_kinds.len()) {
        return Err(ModelError::Inconsistent("edge kinds"));
    }
    let mut b = GraphBuilder::new();
    b.reserve(n, targets.len());
    b.declare_kinds(&node_kinds, &edge_kinds).map_err(|_| ModelError::Inconsistent("edge kinds"))?;
    for i in 0..n {
        b.add_node(NodeSpec {
            hash: hashes[i],
            kind: &node_kinds[usize::from(kinds[i])],
            name: text(names[i]),
            signature: text(signatures[i]),
            file_path: text(files[i]),
            line: lines[i],
            flags: NodeFlags(flags[i]),
        })
        .map_err(|_| ModelError::Inconsistent("a hash twice"))?;
    }
    let mut e = 0usize;
    for (from, &degree) in degrees.iter().enumerate() {
        for _ in 0..degree {
            // Kinds were declared above, in order: no new one can appear.
            b.add_edge(NodeId(from as u32), NodeId(targets[e]), &edge_kinds[usize::from(edge_kind_ids[e])])
                .map_err(|_| ModelError::Inconsistent("edge kinds"))?;
            e += 1;
        }
    }
    let (graph, _) = b.finish();
    Ok((graph, report))
}
