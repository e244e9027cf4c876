//! The app's non-reactive state: the graph on screen and everything derived from it.

use isg::query::{Direction, SearchIndex, neighbourhood};
use isg::{Graph, LoadReport, NodeFlags, NodeId};
use renderer::scene::Scene;
use renderer::style::NodeStyles;
use renderer::web::{DrawOptions, GpuRenderer};
use renderer::{Camera, NodeFlagsGpu};

/// A graph ready to show: the model, its report, search index and GPU scene.
pub struct LoadedGraph {
    /// Where it came from (file names or URL).
    pub source: String,
    /// The model.
    pub graph: Graph,
    /// What the loader found.
    pub report: LoadReport,
    /// Name and signature search.
    pub index: SearchIndex,
    /// Positions, styles and instances.
    pub scene: Scene,
    /// Milliseconds spent parsing and building the model.
    pub load_ms: f64,
    /// Milliseconds spent on the search index, layout and scene.
    pub prepare_ms: f64,
    /// The source files as read, kept so plugin workers can load the same graph.
    pub files: Vec<crate::loading::FetchedFile>,
}

impl LoadedGraph {
    /// Indexes a freshly loaded graph and lays it out.
    #[must_use]
    pub fn prepare(source: String, loaded: isg::Loaded, load_ms: f64, files: Vec<crate::loading::FetchedFile>) -> Self {
        let started = crate::loading::now_ms();
        let index = SearchIndex::build(&loaded.graph);
        let positions = renderer::layout::grouped_by_file(&loaded.graph);
        let scene = Scene::build(&loaded.graph, &positions, &NodeStyles::by_kind(&loaded.graph));
        let prepare_ms = crate::loading::now_ms() - started;
        Self { source, graph: loaded.graph, report: loaded.report, index, scene, load_ms, prepare_ms, files }
    }
}

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

/// Rows shown per neighbour list; hubs have tens of thousands.
const NEIGHBOUR_ROWS: usize = 50;

/// The graph on screen, the renderer and the camera.
pub struct Studio {
    /// The graph shown, if any.
    pub current: Option<LoadedGraph>,
    /// The GPU renderer, once started.
    pub renderer: Option<GpuRenderer>,
    /// The view.
    pub camera: Camera,
    /// Draw parameters.
    pub options: DrawOptions,
    /// A redraw is already scheduled.
    pub frame_pending: bool,
    /// Frames drawn so far.
    pub frames: u32,
}

impl Default for Studio {
    fn default() -> Self {
        Self {
            current: None,
            renderer: None,
            camera: Camera::new([1.0, 1.0]),
            options: DrawOptions::default(),
            frame_pending: false,
            frames: 0,
        }
    }
}

impl Studio {
    /// Shows `loaded`, replacing the current graph only if the GPU accepted it.
    pub fn install(&mut self, loaded: LoadedGraph) -> Result<(), String> {
        if let Some(r) = &mut self.renderer {
            r.upload(&loaded.scene).map_err(|e| e.to_string())?;
        }
        self.camera.fit(loaded.scene.bounds(), 24.0);
        self.options.highlight = false;
        self.current = Some(loaded);
        Ok(())
    }

    /// Uploads the current graph to a renderer that just started.
    pub fn attach_renderer(&mut self, mut renderer: GpuRenderer) -> Result<(), String> {
        if let Some(c) = &self.current {
            renderer.upload(&c.scene).map_err(|e| e.to_string())?;
        }
        self.renderer = Some(renderer);
        Ok(())
    }

    /// Draws one frame if there is something to draw on.
    pub fn draw(&mut self) {
        if let Some(r) = &mut self.renderer {
            // Far out, the edge mesh is a grey fog that hides the structure; fade it with zoom.
            self.options.edge_alpha =
                edge_alpha_for(&self.camera, self.current.as_ref().map_or(0, |c| c.scene.edges.len()));
            r.render(&self.camera, &self.options);
            self.frames += 1;
        }
    }

    /// The side-panel summary of the current graph.
    #[must_use]
    pub fn summary(&self) -> Option<Summary> {
        let c = self.current.as_ref()?;
        let r = &c.report;
        Some(Summary {
            source: c.source.clone(),
            format: r.format.to_string(),
            nodes: c.graph.node_count(),
            edges: c.graph.edge_count(),
            node_kinds: c.graph.node_counts_by_kind(),
            edge_kinds: c.graph.edge_counts_by_kind(),
            warnings: r.warnings.iter().map(ToString::to_string).collect(),
            resolution: r.resolution.map(|x| {
                format!(
                    "{} edges resolved, {} ambiguous, {} external (endpoints: {} exact, {} by path, {} by name, {} files, {} unlisted)",
                    x.edges_resolved, x.edges_ambiguous, x.edges_external, x.exact, x.by_path, x.by_name, x.files, x.unlisted
                )
            }),
            external_nodes: c.graph.nodes().filter(|&n| c.graph.is_external(n)).count(),
            load_ms: c.load_ms,
            prepare_ms: c.prepare_ms,
        })
    }

    /// Hides or shows the external placeholder nodes (and so their edges).
    pub fn set_externals_hidden(&mut self, hidden: bool) {
        let Some(c) = &mut self.current else { return };
        for n in c.graph.nodes() {
            if c.graph.is_external(n) {
                c.scene.set_hidden(n, hidden);
            }
        }
        if let Some(r) = &mut self.renderer {
            r.update_node_data(&c.scene);
        }
    }

    /// Ranked search results.
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchRow> {
        let Some(c) = &self.current else {
            return Vec::new();
        };
        c.index
            .search(&c.graph, query, limit)
            .into_iter()
            .map(|h| SearchRow {
                id: h.node.0,
                name: c.graph.name(h.node).to_owned(),
                kind: c.graph.kind_name(h.node).to_owned(),
                file: c.graph.file_path(h.node).to_owned(),
            })
            .collect()
    }

    /// Selects a node (or clears the selection): highlights it and its neighbours.
    pub fn select(&mut self, id: Option<u32>) {
        let Some(c) = &mut self.current else { return };
        let marked: Vec<(NodeId, u32)> = match id.filter(|&i| (i as usize) < c.graph.node_count()) {
            Some(i) => neighbourhood(&c.graph, &[NodeId(i)], 1, Direction::Both, None)
                .into_iter()
                .map(|(n, d)| (n, if d == 0 { NodeFlagsGpu::SELECTED } else { NodeFlagsGpu::NEIGHBOUR }))
                .collect(),
            None => Vec::new(),
        };
        self.options.highlight = !marked.is_empty();
        c.scene.set_highlight(&marked);
        if let Some(r) = &mut self.renderer {
            r.update_node_data(&c.scene);
        }
    }

    /// Centres the view on a node, keeping the zoom.
    pub fn centre_on(&mut self, id: u32) {
        if let Some(c) = &self.current
            && (id as usize) < c.scene.node_count()
        {
            self.camera.center = c.scene.position(id as usize);
        }
    }

    /// The node under a device-pixel position.
    #[must_use]
    pub fn pick(&self, px: [f32; 2]) -> Option<u32> {
        let c = self.current.as_ref()?;
        c.scene.pick(&self.camera, px, self.options.node_px, 3.0).map(|n| n.0)
    }

    /// Moves the nodes to `positions` (one per node, e.g. from a layout plugin); `false` if the
    /// count does not match the graph shown.
    pub fn set_positions(&mut self, positions: &[[f32; 2]], fit: bool) -> bool {
        let Some(c) = &mut self.current else { return false };
        if positions.len() != c.scene.node_count() {
            return false;
        }
        c.scene.set_positions(positions);
        if let Some(r) = &mut self.renderer {
            r.update_node_data(&c.scene);
        }
        if fit {
            self.fit();
        }
        true
    }

    /// Fits the whole graph in view.
    pub fn fit(&mut self) {
        if let Some(c) = &self.current {
            self.camera.fit(c.scene.bounds(), 24.0);
        }
    }

    /// The details panel's content for one node.
    #[must_use]
    pub fn details(&self, id: u32) -> Option<NodeDetails> {
        let c = self.current.as_ref()?;
        let g = &c.graph;
        if id as usize >= g.node_count() {
            return None;
        }
        let n = NodeId(id);
        let row = |e: isg::Neighbour| NeighbourRow {
            id: e.node.0,
            name: g.name(e.node).to_owned(),
            kind: g.kind_name(e.node).to_owned(),
            edge: g.edge_kinds()[e.kind.0 as usize].clone(),
        };
        let flags = g.flags(n);
        let mut flag_words = Vec::new();
        if flags.contains(NodeFlags::EXTERNAL) {
            flag_words.push("external placeholder");
        }
        if flags.contains(NodeFlags::AMBIGUOUS) {
            flag_words.push("ambiguous name");
        }
        if flags.contains(NodeFlags::SYNTHETIC) {
            flag_words.push("made by the loader");
        }
        let file = g.file_path(n);
        let location = match (file.is_empty(), g.line(n)) {
            (true, _) => "not defined in this codebase".to_owned(),
            (false, 0) => file.to_owned(),
            (false, line) => format!("{file}:{line}"),
        };
        Some(NodeDetails {
            id,
            name: g.name(n).to_owned(),
            kind: g.kind_name(n).to_owned(),
            signature: g.signature(n).to_owned(),
            location,
            hash: g.hash(n).to_string(),
            flags: flag_words,
            incoming: g.in_edges(n).take(NEIGHBOUR_ROWS).map(row).collect(),
            outgoing: g.out_edges(n).take(NEIGHBOUR_ROWS).map(row).collect(),
            in_degree: g.in_degree(n),
            out_degree: g.out_degree(n),
        })
    }
}

/// Edge opacity for a zoom level: full when edges are long on screen, fading as the graph shrinks.
#[must_use]
pub fn edge_alpha_for(camera: &Camera, edges: usize) -> f32 {
    if edges == 0 {
        return 1.0;
    }
    // Node spacing is about 2 world units; at fewer than ~1.5 px per unit edges become fog.
    let px_per_unit = camera.scale;
    let density = (edges as f32 / 50_000.0).max(1.0).sqrt();
    (px_per_unit * 1.2 / density).clamp(0.25, 1.0)
}
