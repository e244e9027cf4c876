//! Graph exports with no dependencies, so the same code runs as the `graph-export` plugin in the
//! sandbox and natively in tests that hand the files to the real tools (Graphviz `dot`, networkx):
//! - [`dot`]: Graphviz DOT, one node per item with its kind as shape and file as tooltip;
//! - [`graphml`]: GraphML, with name, kind, file and module as node data and kind as edge data;
//! - [`gexf`]: GEXF 1.3 for Gephi, with the app's colours and sizes (and positions when given);
//! - [`cytoscape`]: Cytoscape.js elements JSON;
//! - [`mermaid`]: a Mermaid flowchart, collapsed to modules when the items would pass Mermaid's
//!   default limits (500 edges, 50,000 characters), and a class diagram keeping the most related
//!   classes within them, each saying what was done in the file;
//! - [`plantuml`]: a PlantUML class diagram, split into parts PlantUML's image limit holds;
//! - [`classes`]: the class model those two draw (classes, operations, relations);
//! - [`csv`]: tables as RFC 4180 CSV with formula-like text defused.
//!
//! Every text an export writes is escaped for its format: names come from the code and may hold
//! quotes, angle brackets or anything else.

pub mod classes;
pub mod csv;
pub mod cytoscape;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod mermaid;
pub mod plantuml;

/// The graph an export writes.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// Each item's position on screen, or empty when the exporter was not given them.
    pub positions: Vec<[f32; 2]>,
}

impl ExportGraph {
    /// Item `i`'s colour in the app's default look (by kind, `pt_abi`'s palette).
    #[must_use]
    pub fn color(&self, i: usize) -> [u8; 4] {
        pt_abi::node_kind_rgba(self.kinds.get(i).map_or("", String::as_str))
    }

    /// Item `i`'s position, when positions were given.
    #[must_use]
    pub fn position(&self, i: usize) -> Option<[f32; 2]> {
        self.positions.get(i).copied()
    }

    /// Every item's edge count, in and out (edges to nowhere left out).
    #[must_use]
    pub fn degrees(&self) -> Vec<u32> {
        let mut degree = vec![0u32; self.names.len()];
        for ([a, b], _) in self.valid_edges() {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        degree
    }

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

impl ExportGraph {
    /// The module level: one item per module (named by its file, of kind `Module`), one `Depends`
    /// edge per ordered pair of modules with at least one edge between their items.
    #[must_use]
    pub fn modules_level(&self) -> Self {
        let count = self.modules.iter().map(|&m| m as usize + 1).max().unwrap_or(0);
        let mut file: Vec<Option<&str>> = vec![None; count];
        for (i, &m) in self.modules.iter().enumerate() {
            file[m as usize].get_or_insert_with(|| self.files.get(i).map_or("", String::as_str));
        }
        // Dense ids over the modules that have items.
        let mut dense = vec![u32::MAX; count];
        let mut out = Self::default();
        for (m, f) in file.iter().enumerate() {
            if let Some(f) = f {
                dense[m] = out.names.len() as u32;
                out.names.push((*f).to_owned());
                out.kinds.push("Module".to_owned());
                out.files.push((*f).to_owned());
                out.modules.push(dense[m]);
            }
        }
        let mut pairs: Vec<[u32; 2]> = self
            .valid_edges()
            .filter_map(|([a, b], _)| {
                let (ma, mb) = (*self.modules.get(a as usize)?, *self.modules.get(b as usize)?);
                (ma != mb).then(|| [dense[ma as usize], dense[mb as usize]])
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        out.edge_kinds = vec!["Depends".to_owned(); pairs.len()];
        out.edges = pairs;
        out
    }

    /// The item `center` with everything it calls or uses and everything that calls or uses it,
    /// and the edges among them; empty when `center` is not an item.
    #[must_use]
    pub fn around(&self, center: u32) -> Self {
        let n = self.names.len();
        if center as usize >= n {
            return Self::default();
        }
        let mut keep = vec![false; n];
        keep[center as usize] = true;
        for ([a, b], _) in self.valid_edges() {
            if a == center {
                keep[b as usize] = true;
            }
            if b == center {
                keep[a as usize] = true;
            }
        }
        self.induced(&keep)
    }

    /// The items marked in `keep` and the edges between them, renumbered in order.
    #[must_use]
    pub fn induced(&self, keep: &[bool]) -> Self {
        let mut new_id = vec![u32::MAX; self.names.len()];
        let mut out = Self::default();
        for (i, name) in self.names.iter().enumerate() {
            if !keep.get(i).copied().unwrap_or(false) {
                continue;
            }
            new_id[i] = out.names.len() as u32;
            out.names.push(name.clone());
            out.kinds.push(self.kinds.get(i).cloned().unwrap_or_default());
            out.files.push(self.files.get(i).cloned().unwrap_or_default());
            out.modules.push(self.modules.get(i).copied().unwrap_or(0));
            if let Some(p) = self.position(i) {
                out.positions.push(p);
            }
        }
        for ([a, b], kind) in self.valid_edges() {
            let (a, b) = (new_id[a as usize], new_id[b as usize]);
            if a != u32::MAX && b != u32::MAX {
                out.edges.push([a, b]);
                out.edge_kinds.push(kind.to_owned());
            }
        }
        out
    }
}
