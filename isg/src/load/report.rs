//! What a load found: the format, warnings with counts and examples, and key-resolution figures.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The export families the loader reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// parseltongue v0.1.0 `parseltongue_snapshot.json`: node objects, edge objects, metadata.
    SnapshotV0_1,
    /// parseltongue v1 `wasm_output/isg_data.json`: node objects, edge tuples, no metadata.
    IsgDataV1,
    /// parseltongue v0.9.7 `pt02` level exports (JSON or TOON): entities plus keyed edges.
    Pt02V0_9,
    /// parseltongue v1.7.2 HTTP server responses: entities plus keyed edges.
    HttpV1_7,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SnapshotV0_1 => "parseltongue v0.1.0 snapshot",
            Self::IsgDataV1 => "parseltongue v1 isg_data",
            Self::Pt02V0_9 => "parseltongue v0.9.7 pt02 export",
            Self::HttpV1_7 => "parseltongue v1.7.2 HTTP responses",
        })
    }
}

/// Something the loader repaired or noticed, with how often and a few examples.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// What it is.
    pub kind: WarningKind,
    /// How many times it happened.
    pub count: usize,
    /// Up to five examples, in words.
    pub examples: Vec<String>,
}

/// The kinds of [`Warning`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WarningKind {
    /// Edges whose endpoint hash matches no node; they were dropped.
    DanglingEdges,
    /// Nodes whose hash was already taken; the first one was kept.
    DuplicateHashes,
    /// Entities whose key was already taken; the last one was kept.
    DuplicateKeys,
    /// Edges repeated with the same endpoints and kind; they were merged.
    DuplicateEdges,
    /// Edges from a node to itself; they were kept.
    SelfLoops,
    /// The file's declared count differs from what it holds.
    CountMismatch {
        /// Which count (`node_count`, `edge_count`, `total_count`, TOON row count).
        field: String,
        /// What the file declared.
        declared: u64,
        /// What it held.
        found: u64,
    },
    /// Entities were opened without an edges file, so the graph has no edges.
    NoEdges,
    /// A pt02 `interface_signature` that is not valid JSON; the node got a plain signature.
    UnreadableSignature,
    /// Edge keys the loader could not parse as `lang:kind:name:path:range`.
    MalformedKeys,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.count;
        match &self.kind {
            WarningKind::DanglingEdges => {
                write!(f, "{n} edges point to a node hash that is not in the file; they were dropped")
            }
            WarningKind::DuplicateHashes => {
                write!(f, "{n} nodes repeat a hash already used; the first of each was kept")
            }
            WarningKind::DuplicateKeys => {
                write!(f, "{n} entities repeat a key already used; the last of each was kept")
            }
            WarningKind::DuplicateEdges => write!(f, "{n} duplicate edges (same endpoints and kind) were merged"),
            WarningKind::SelfLoops => write!(f, "{n} edges go from a node to itself"),
            WarningKind::CountMismatch { field, declared, found } => {
                write!(f, "the file declares {field} = {declared} but holds {found}")
            }
            WarningKind::NoEdges => f.write_str("no edges file was opened, so the graph has nodes only"),
            WarningKind::UnreadableSignature => {
                write!(f, "{n} interface signatures are not valid JSON; plain signatures were used")
            }
            WarningKind::MalformedKeys => write!(f, "{n} entity keys do not have the form lang:kind:name:path:range"),
        }?;
        if !self.examples.is_empty() {
            write!(f, " (e.g. {})", self.examples.join("; "))?;
        }
        Ok(())
    }
}

/// How keyed edge endpoints (pt02, HTTP) were matched to entities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// Endpoints whose key is an entity's key.
    pub exact: usize,
    /// Endpoints matched after normalising kind (`fn` ↔ `method`) and path spelling.
    pub by_path: usize,
    /// Name-only endpoints (`unknown:0-0`) whose name matches exactly one entity.
    pub by_name: usize,
    /// Endpoints that name a source file; one file node stands for each.
    pub files: usize,
    /// Endpoints with a real path that no listed entity matches; a node was made for each.
    pub unlisted: usize,
    /// Name-only endpoints whose name matches several entities; they point to a flagged placeholder.
    pub ambiguous: usize,
    /// Name-only endpoints whose name matches no entity; they point to an external placeholder.
    pub external: usize,
    /// Edges whose both endpoints resolved to code.
    pub edges_resolved: usize,
    /// Edges with an ambiguous endpoint.
    pub edges_ambiguous: usize,
    /// Edges with an external endpoint (and none ambiguous).
    pub edges_external: usize,
}

/// Everything a load tells besides the graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadReport {
    /// The detected format.
    pub format: Format,
    /// Records as they were in the files (nodes or entities), before merging.
    pub raw_nodes: usize,
    /// Edge records as they were in the files, before merging.
    pub raw_edges: usize,
    /// Warnings, in the order they were found.
    pub warnings: Vec<Warning>,
    /// Key resolution, for keyed formats.
    pub resolution: Option<Resolution>,
}

impl LoadReport {
    pub(crate) fn write_model(&self, w: &mut crate::model::codec::ModelWriter) {
        // Small and rarely read: JSON keeps its shape free to change.
        w.text(&serde_json::to_string(self).unwrap_or_default());
    }

    pub(crate) fn read_model(
        r: &mut crate::model::codec::ModelReader<'_>,
    ) -> Result<Self, crate::model::codec::ModelError> {
        serde_json::from_str(&r.text()?).map_err(|_| crate::model::codec::ModelError::Inconsistent("load report"))
    }
}

/// Collects one warning kind's count and first examples.
pub(crate) struct WarningTally {
    kind: WarningKind,
    count: usize,
    examples: Vec<String>,
}

impl WarningTally {
    pub(crate) fn new(kind: WarningKind) -> Self {
        Self { kind, count: 0, examples: Vec::new() }
    }

    pub(crate) fn add(&mut self, example: impl FnOnce() -> String) {
        self.count += 1;
        if self.examples.len() < 5 {
            self.examples.push(example());
        }
    }

    pub(crate) fn finish_into(self, warnings: &mut Vec<Warning>) {
        if self.count > 0 {
            warnings.push(Warning { kind: self.kind, count: self.count, examples: self.examples });
        }
    }
}
