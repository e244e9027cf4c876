//! Graph exports with no dependencies, so the same code runs as the `graph-export` plugin in the
//! sandbox and natively in tests that hand the files to the real tools (Graphviz `dot`, networkx):
//! - [`dot`]: Graphviz DOT, one node per item with its kind as shape and file as tooltip;
//! - [`graphml`]: GraphML, with name, kind, file and module as node data and kind as edge data;
//! - [`mermaid`]: a Mermaid flowchart, collapsed to modules when the items would pass Mermaid's
//!   default limits (500 edges, 50,000 characters), saying so in the file.
//!
//! Every text an export writes is escaped for its format: names come from the code and may hold
//! quotes, angle brackets or anything else.

pub mod dot;
pub mod graphml;
pub mod mermaid;

/// The graph an export writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportGraph {
    /// Each item's name.
    pub names: Vec<String>,
    /// Each item's kind (`Function`, `Struct`…).
    pub kinds: Vec<String>,
    /// Each item's file.
    pub files: Vec<String>,
    /// Each item's module id.
    pub modules: Vec<u32>,
    /// Edges `[from, to]`; those naming a missing item are left out.
    pub edges: Vec<[u32; 2]>,
    /// Each edge's kind (`Calls`, `Uses`, `Implements`).
    pub edge_kinds: Vec<String>,
}

impl ExportGraph {
    /// The edges whose both ends are items, with their kinds.
    pub fn valid_edges(&self) -> impl Iterator<Item = ([u32; 2], &str)> {
        let n = self.names.len();
        self.edges
            .iter()
            .zip(self.edge_kinds.iter().map(String::as_str).chain(std::iter::repeat("")))
            .filter(move |(e, _)| (e[0] as usize) < n && (e[1] as usize) < n)
            .map(|(e, k)| (*e, k))
    }
}
