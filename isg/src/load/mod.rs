//! Reading parseltongue exports of every version into a [`Graph`].
//!
//! [`load`] takes one file, or several that belong together (a pt02 entities file and its edges
//! file, or saved HTTP pages), detects the format from the content, and returns the graph with a
//! [`LoadReport`]. Every failure is a [`LoadError`] naming the file and the problem.

mod error;
mod keyed;
mod raw;
mod report;
mod toon;

use std::borrow::Cow;
use std::io::Read;

pub use error::{FileProblem, LoadError};
pub use report::{Format, LoadReport, Resolution, Warning, WarningKind};

use crate::graph::{Graph, GraphBuilder, NodeFlags, NodeSpec};
use raw::{RawDocument, RawEdge, RawEntity, RawNode};
use report::WarningTally;

/// One input file: its name (for messages) and its bytes, gzip-compressed or not.
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    /// The file name as the user knows it.
    pub name: &'a str,
    /// The raw bytes.
    pub bytes: &'a [u8],
}

/// Limits that keep hostile input from exhausting memory.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Largest accepted input, after gzip decompression, in bytes.
    pub max_input_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self { max_input_bytes: 1 << 30 }
    }
}

/// A loaded graph and what the loader found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The graph.
    pub graph: Graph,
    /// Format, warnings and resolution figures.
    pub report: LoadReport,
}

/// Loads files with the default [`LoadOptions`].
pub fn load(files: &[SourceFile<'_>]) -> Result<Loaded, LoadError> {
    load_with(files, &LoadOptions::default())
}

/// Loads one or more files that together make one graph.
pub fn load_with(files: &[SourceFile<'_>], options: &LoadOptions) -> Result<Loaded, LoadError> {
    if files.is_empty() {
        return Err(LoadError::NoFiles);
    }
    let decoded: Vec<Cow<'_, [u8]>> = files
        .iter()
        .map(|f| decode(f.bytes, options).map_err(|problem| file_error(f.name, problem)))
        .collect::<Result<_, _>>()?;
    let mut docs = Vec::with_capacity(files.len());
    for (file, bytes) in files.iter().zip(&decoded) {
        docs.push((file.name, parse_document(bytes).map_err(|problem| file_error(file.name, problem))?));
    }
    combine(docs)
}

fn file_error(name: &str, problem: FileProblem) -> LoadError {
    LoadError::File { file: name.to_owned(), problem }
}

/// Decompresses gzip, strips a BOM, and rejects empty, oversized and binary input.
fn decode<'a>(bytes: &'a [u8], options: &LoadOptions) -> Result<Cow<'a, [u8]>, FileProblem> {
    let limit = options.max_input_bytes;
    if bytes.len() as u64 > limit {
        return Err(FileProblem::TooLarge { bytes: bytes.len() as u64, limit });
    }
    let mut data: Cow<'a, [u8]> = Cow::Borrowed(bytes);
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(bytes.len().saturating_mul(8).min(limit as usize));
        // Reading one byte past the limit tells "exactly at the limit" from "over it" for gzip bombs.
        flate2::read::MultiGzDecoder::new(bytes)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| FileProblem::Gzip { message: e.to_string() })?;
        if out.len() as u64 > limit {
            return Err(FileProblem::TooLarge { bytes: out.len() as u64, limit });
        }
        data = Cow::Owned(out);
    }
    let start = if data.starts_with(&[0xef, 0xbb, 0xbf]) { 3 } else { 0 };
    let body = &data[start..];
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(FileProblem::Empty);
    }
    if let Some(offset) = body.iter().take(4096).position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) {
        return Err(FileProblem::Binary { offset: offset + start });
    }
    Ok(match data {
        Cow::Borrowed(b) => Cow::Borrowed(&b[start..]),
        Cow::Owned(mut v) => {
            v.drain(..start);
            Cow::Owned(v)
        }
    })
}

/// One file's content, classified.
pub(crate) enum Document<'a> {
    /// v0.1.0 snapshot or v1 isg_data: nodes with hashes, edges by hash.
    Hashed { format: Format, nodes: Vec<RawNode<'a>>, edges: Vec<RawEdge<'a>>, declared: Declared },
    /// pt02 or HTTP entities.
    Entities { format: Format, entities: Vec<RawEntity<'a>>, declared: Option<u64> },
    /// pt02 or HTTP keyed edges.
    KeyedEdges { format: Format, edges: Vec<RawEdge<'a>>, declared: Option<u64> },
}

impl Document<'_> {
    fn format(&self) -> Format {
        match self {
            Self::Hashed { format, .. } | Self::Entities { format, .. } | Self::KeyedEdges { format, .. } => *format,
        }
    }
}

/// Counts a file declares about itself.
#[derive(Default)]
pub(crate) struct Declared {
    nodes: Option<u64>,
    edges: Option<u64>,
}

fn parse_document(bytes: &[u8]) -> Result<Document<'_>, FileProblem> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'{') && first != Some(b'[') && toon::looks_like_toon(bytes) {
        let text = std::str::from_utf8(bytes).map_err(|e| FileProblem::NotUtf8 { offset: e.valid_up_to() })?;
        return toon::parse(text);
    }
    if first != Some(b'{') {
        // Serde would read a top-level array as a struct in field order; say what it really is.
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|e| json_problem(bytes, &e))?;
        let found = match first {
            Some(b'[') => "a JSON array at the top level",
            Some(b'"') => "a JSON string at the top level",
            _ => "a JSON value that is not an object at the top level",
        };
        return Err(FileProblem::NotAnExport { found: found.into() });
    }
    let raw: RawDocument<'_> = serde_json::from_slice(bytes).map_err(|e| json_problem(bytes, &e))?;
    classify(raw)
}

fn classify(raw: RawDocument<'_>) -> Result<Document<'_>, FileProblem> {
    if raw.success == Some(false) {
        let message = raw.error.map_or_else(|| "success is false".to_owned(), |e| e.0.into_owned());
        return Err(FileProblem::ServerError { message });
    }
    if let Some(nodes) = raw.nodes {
        let edges = raw.edges.unwrap_or_default();
        if let Some(RawEdge::ByKey { .. }) = edges.first() {
            return Err(FileProblem::NotAnExport { found: "`nodes` with edges named by key instead of hash".into() });
        }
        let tuples = matches!(edges.first(), Some(RawEdge::ByHash { tuple: true, .. }));
        let format = if raw.metadata.is_some() || (!tuples && !edges.is_empty()) {
            Format::SnapshotV0_1
        } else {
            Format::IsgDataV1
        };
        let declared = raw.metadata.map(|m| Declared { nodes: m.node_count, edges: m.edge_count }).unwrap_or_default();
        return Ok(Document::Hashed { format, nodes, edges, declared });
    }
    if let Some(data) = raw.data {
        if let Some(entities) = data.entities {
            return Ok(Document::Entities { format: Format::HttpV1_7, entities, declared: data.total_count });
        }
        if let Some(edges) = data.edges {
            return Ok(Document::KeyedEdges { format: Format::HttpV1_7, edges, declared: None });
        }
        let endpoint = raw.endpoint.map_or_else(String::new, |e| format!(" from {}", e.as_str()));
        return Err(FileProblem::NotAnExport {
            found: format!("a server response{endpoint} with neither entities nor edges"),
        });
    }
    let meta = raw.export_metadata;
    if let Some(entities) = raw.entities {
        return Ok(Document::Entities {
            format: Format::Pt02V0_9,
            entities,
            declared: meta.and_then(|m| m.total_entities),
        });
    }
    if let Some(edges) = raw.edges {
        if let Some(RawEdge::ByHash { .. }) = edges.first() {
            return Err(FileProblem::NotAnExport { found: "`edges` by hash without any `nodes`".into() });
        }
        return Ok(Document::KeyedEdges {
            format: Format::Pt02V0_9,
            edges,
            declared: meta.and_then(|m| m.total_edges),
        });
    }
    Err(FileProblem::NotAnExport { found: "a JSON object without `nodes`, `entities`, `edges` or `data`".into() })
}

/// Turns a serde_json error into a problem with line, column and, for type errors, the field path.
fn json_problem(bytes: &[u8], err: &serde_json::Error) -> FileProblem {
    let (line, column) = (err.line(), err.column());
    let text = err.to_string();
    let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m).to_owned();
    match err.classify() {
        serde_json::error::Category::Eof => FileProblem::Truncated { line, column },
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            FileProblem::Syntax { line, column, message }
        }
        serde_json::error::Category::Data => {
            // The fast parse does not track paths; a second, tracking parse names the field.
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let path = match serde_path_to_error::deserialize::<_, RawDocument<'_>>(&mut de) {
                Err(e) => e.path().to_string(),
                Ok(_) => String::from("."),
            };
            FileProblem::WrongType { path, message, line, column }
        }
    }
}

/// Canonical spelling of a node kind; kinds this loader does not know are kept verbatim.
pub(crate) fn canonical_node_kind(kind: &str) -> &str {
    match kind {
        "function" | "fn" | "Function" => "Function",
        "method" | "Method" => "Method",
        "struct" | "Struct" => "Struct",
        "enum" | "Enum" => "Enum",
        "trait" | "Trait" => "Trait",
        "impl" | "Impl" => "Impl",
        "module" | "mod" | "Module" => "Module",
        "file" | "File" => "File",
        other => other,
    }
}

fn combine(docs: Vec<(&str, Document<'_>)>) -> Result<Loaded, LoadError> {
    let first_format = docs[0].1.format();
    for (name, doc) in &docs[1..] {
        let hashed = matches!(doc, Document::Hashed { .. }) || matches!(docs[0].1, Document::Hashed { .. });
        if hashed || doc.format() != first_format {
            return Err(LoadError::Incompatible {
                first: docs[0].0.to_owned(),
                first_format: first_format.to_string(),
                second: (*name).to_owned(),
                second_format: doc.format().to_string(),
            });
        }
    }
    let mut docs = docs;
    if docs.len() == 1 && matches!(docs[0].1, Document::Hashed { .. }) {
        let Some((_, Document::Hashed { format, nodes, edges, declared })) = docs.pop() else {
            unreachable!("checked above")
        };
        return build_hashed(format, &nodes, &edges, &declared);
    }
    keyed::build(first_format, docs)
}

fn build_hashed(
    format: Format,
    nodes: &[RawNode<'_>],
    edges: &[RawEdge<'_>],
    declared: &Declared,
) -> Result<Loaded, LoadError> {
    let mut warnings = Vec::new();
    for (field, declared, found) in
        [("node_count", declared.nodes, nodes.len()), ("edge_count", declared.edges, edges.len())]
    {
        if let Some(d) = declared.filter(|&d| d != found as u64) {
            warnings.push(Warning {
                kind: WarningKind::CountMismatch { field: field.into(), declared: d, found: found as u64 },
                count: 1,
                examples: Vec::new(),
            });
        }
    }
    let mut builder = GraphBuilder::new();
    builder.reserve(nodes.len(), edges.len());
    let mut duplicates = WarningTally::new(WarningKind::DuplicateHashes);
    for n in nodes {
        let spec = NodeSpec {
            hash: n.hash.0,
            kind: canonical_node_kind(n.kind.as_str()),
            name: n.name.as_str(),
            signature: n.signature.as_str(),
            file_path: n.file_path.as_str(),
            line: n.line,
            flags: NodeFlags::default(),
        };
        if let Err(dup) = builder.add_node(spec) {
            duplicates.add(|| format!("hash {} ({} and {})", n.hash.0, builder.name(dup.0), n.name.as_str()));
        }
    }
    duplicates.finish_into(&mut warnings);
    let mut dangling = WarningTally::new(WarningKind::DanglingEdges);
    for e in edges {
        let RawEdge::ByHash { from, to, kind, .. } = e else {
            continue;
        };
        match (builder.node_by_hash(*from), builder.node_by_hash(*to)) {
            (Some(f), Some(t)) => builder.add_edge(f, t, kind.as_str()).map_err(|_| LoadError::TooManyEdgeKinds)?,
            (f, _) => {
                let missing = if f.is_none() { from } else { to };
                dangling.add(|| format!("{from} → {to} ({}): no node has hash {missing}", kind.as_str()));
            }
        }
    }
    dangling.finish_into(&mut warnings);
    let (graph, stats) = builder.finish();
    push_build_warnings(&graph, &stats, &mut warnings);
    Ok(Loaded {
        graph,
        report: LoadReport { format, raw_nodes: nodes.len(), raw_edges: edges.len(), warnings, resolution: None },
    })
}

pub(crate) fn push_build_warnings(graph: &Graph, stats: &crate::graph::BuildStats, warnings: &mut Vec<Warning>) {
    if stats.duplicate_edges > 0 {
        warnings.push(Warning {
            kind: WarningKind::DuplicateEdges,
            count: stats.duplicate_edges,
            examples: Vec::new(),
        });
    }
    if stats.self_loops > 0 {
        warnings.push(Warning {
            kind: WarningKind::SelfLoops,
            count: stats.self_loops,
            examples: stats.self_loop_examples.iter().map(|&n| graph.name(n).to_owned()).collect(),
        });
    }
}

#[cfg(test)]
mod tests;
