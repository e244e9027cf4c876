//! What the side panels show about the graph on screen: counts and warnings, search results, and
//! one node's details. Plain data, built by [`crate::Studio`] and shown by the web shell.

/// Counts and warnings shown in the side panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// File names or URL.
    pub source: String,
    /// Detected format.
    pub format: String,
    /// Node total.
    pub nodes: usize,
    /// Edge total.
    pub edges: usize,
    /// Nodes per kind.
    pub node_kinds: Vec<(String, usize)>,
    /// Edges per kind.
    pub edge_kinds: Vec<(String, usize)>,
    /// Warnings in words.
    pub warnings: Vec<String>,
    /// Key resolution in words, for keyed formats.
    pub resolution: Option<String>,
    /// Placeholder nodes for callees outside the codebase.
    pub external_nodes: usize,
    /// Parse and model time.
    pub load_ms: f64,
    /// Index, layout and scene time.
    pub prepare_ms: f64,
}

/// One neighbour row in the details panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeighbourRow {
    /// Node id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Node kind.
    pub kind: String,
    /// Edge kind.
    pub edge: String,
}

/// Everything the details panel shows about one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeDetails {
    /// Node id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Signature.
    pub signature: String,
    /// `file:line`, or a note for placeholders.
    pub location: String,
    /// The u64 hash in decimal (formatted in Rust, never through a JS number).
    pub hash: String,
    /// Placeholder flags in words.
    pub flags: Vec<&'static str>,
    /// Incoming edges (first 50).
    pub incoming: Vec<NeighbourRow>,
    /// Outgoing edges (first 50).
    pub outgoing: Vec<NeighbourRow>,
    /// Fan-in.
    pub in_degree: usize,
    /// Fan-out.
    pub out_degree: usize,
}

/// One search result row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRow {
    /// Node id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// File path.
    pub file: String,
}
