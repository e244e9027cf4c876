//! The graph on screen and everything derived from it: the camera, selection, search hits, hubs,
//! highlight, positions moving towards a layout, a renderer plugin's style. No web, no clock: the
//! shell passes time in and owns the GPU behind [`GpuView`].

use isg::query::{Direction, neighbourhood};
use isg::{NodeFlags, NodeId};
use renderer::animation::Transition;
use renderer::layout::Fitted;
use renderer::legend::{Legend, LegendEntry, Swatch};
use renderer::view::{Composed, ViewSettings, compose};
use renderer::{Camera, DrawOptions, NodeFlagsGpu};

use crate::details::{NeighbourRow, NodeDetails, SearchRow, Summary};
use crate::filters::{Filters, Focus, ShownCounts};
use crate::gpu::GpuView;
use crate::history::{History, Placement};
use crate::keys::ViewAction;
use crate::loaded::LoadedGraph;

mod findings;
mod narrow;
mod placement;
mod sharing;

pub use sharing::{ReportRefused, ViewNotes};

/// What the hub control does to nodes above its degree threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HubMode {
    /// Hide them and their edges.
    Hide,
    /// Keep them, and draw their edges as short stubs at the other ends, pointing their way, so
    /// they no longer pull lines across the whole picture.
    Split,
}

/// Rows shown per neighbour list; hubs have tens of thousands.
const NEIGHBOUR_ROWS: usize = 50;

/// The graph on screen, the renderer and the camera.
pub struct Studio<G> {
    /// The graph shown, if any.
    pub current: Option<LoadedGraph>,
    /// The GPU renderer, once started.
    pub renderer: Option<G>,
    /// The view.
    pub camera: Camera,
    /// Draw parameters.
    pub options: DrawOptions,
    /// A redraw is already scheduled.
    pub frame_pending: bool,
    /// Frames drawn so far.
    pub frames: u32,
    /// Frame latency and interaction: cheap frames while moving on a slow renderer.
    pub pacer: crate::pacing::FramePacer,
    /// What the last frame drew.
    last_drawn: LastFrame,
    /// Labels and minimap.
    pub settings: ViewSettings,
    /// Positions moving towards a layout's result.
    pub transition: Option<Transition>,
    /// The last frame drawn, with its labels (for exports, the minimap and tests).
    pub last: Option<Composed>,
    /// The node under the pointer.
    pub hovered: Option<u32>,
    /// Device pixels per CSS pixel.
    pub pixel_ratio: f32,
    /// Selected node ids.
    pub selection: Vec<u32>,
    /// Search hits.
    pub hits: Vec<u32>,
    /// Filters in force.
    pub filters: Filters,
    /// What the view is narrowed to around the selection, if anything.
    pub focus: Option<Focus>,
    /// How much of the graph is drawn.
    pub shown: ShownCounts,
    /// Nodes with more edges than this are hubs, hidden or split.
    pub hub_threshold: Option<usize>,
    /// What happens to hubs above the threshold.
    pub hub_mode: HubMode,
    /// A hub threshold that catches the busiest nodes of the graph shown.
    pub suggested_hub_threshold: usize,
    /// The renderer plugin whose style is in force, if any.
    pub style_name: Option<String>,
    /// Undo and redo.
    pub history: History,
    /// The renderer plugin's output in force, as applied (for reports).
    style_output: Option<share::CapturedStyle>,
    /// Where the last layout (or the initial one) put the nodes, shared with the history.
    layout: std::sync::Arc<Placement>,
    /// The initial layout's placement: a report leaves out positions the viewer makes itself.
    initial_layout: std::sync::Arc<Placement>,
    /// How the last layout's positions were made drawable: its routes' bends go the same way.
    fitted: Fitted,
    /// Where a new graph's two-step first picture is.
    first_picture: FirstPicture,
}

/// What a frame drew, for the pacer: only full frames drawn anew tell what the renderer costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LastFrame {
    /// The full picture, drawn.
    Full,
    /// The lighter picture, while the view moves on a slow renderer.
    Cheap,
    /// The full picture of a pan, copied by the renderer from an earlier frame's picture.
    Reused,
}

/// A new graph's first picture comes in two steps: its nodes and module aggregates are uploaded
/// and drawn, then, on the next frame, its edges are uploaded and everything is drawn. On a big
/// graph the edges are most of the bytes and of a frame's work, so the user sees the graph
/// sooner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FirstPicture {
    /// Nodes uploaded, nothing drawn yet: the next frame is the first step.
    NodesUploaded,
    /// The first step is on screen: the next frame uploads the edges.
    NodesDrawn,
    /// Everything is uploaded.
    Complete,
}

/// Why a layout's positions were not drawn.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum PositionsRefused {
    /// No graph is shown.
    #[error("no graph is shown")]
    NoGraph,
    /// One position per node was not given.
    #[error("{got} positions for {nodes} nodes")]
    Count {
        /// Positions given.
        got: usize,
        /// Nodes shown.
        nodes: usize,
    },
    /// The positions cannot be drawn at all.
    #[error(transparent)]
    Undrawable(#[from] renderer::layout::PositionsError),
}

/// Why a layout's edge routes were not drawn.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum RoutesRefused {
    /// No graph is shown.
    #[error("no graph is shown")]
    NoGraph,
    /// The routes do not fit the graph.
    #[error("{0}")]
    Bad(#[from] renderer::scene::RouteError),
}

/// What the legend says about the module map's rings.
pub const MODULE_MAP_NOTE: &str = "Rings are crates, folders and files (o hides them); names appear as you zoom in.";

/// What the legend says while a finding is shown on the graph.
pub const FINDING_NOTE: &str =
    "Orange: the finding shown, its items in a hull and the edges it names (such as those to cut) drawn over.";

/// Minimap size in CSS pixels.
pub const MINIMAP_CSS: [f32; 2] = [180.0, 130.0];

impl<G> Default for Studio<G> {
    fn default() -> Self {
        Self {
            current: None,
            renderer: None,
            camera: Camera::new([1.0, 1.0]),
            options: DrawOptions::default(),
            frame_pending: false,
            frames: 0,
            pacer: crate::pacing::FramePacer::default(),
            last_drawn: LastFrame::Full,
            settings: ViewSettings { minimap: Some(MINIMAP_CSS), ..ViewSettings::default() },
            transition: None,
            last: None,
            hovered: None,
            pixel_ratio: 1.0,
            selection: Vec::new(),
            hits: Vec::new(),
            filters: Filters::default(),
            focus: None,
            shown: ShownCounts::default(),
            hub_threshold: None,
            hub_mode: HubMode::Hide,
            suggested_hub_threshold: 10,
            style_name: None,
            history: History::default(),
            style_output: None,
            layout: std::sync::Arc::default(),
            initial_layout: std::sync::Arc::default(),
            fitted: Fitted::AsGiven,
            first_picture: FirstPicture::Complete,
        }
    }
}

impl<G: GpuView> Studio<G> {
    /// Shows `loaded`, replacing the current graph only if the GPU accepted it.
    ///
    /// # Errors
    /// The GPU refused the scene; the graph on screen stays.
    pub fn install(&mut self, loaded: LoadedGraph) -> Result<(), renderer::RenderError> {
        if let Some(r) = &mut self.renderer {
            r.upload_nodes(&loaded.scene)?;
            self.first_picture = FirstPicture::NodesUploaded;
        }
        self.camera.fit(loaded.scene.bounds(), 24.0);
        self.options.highlight = false;
        self.transition = None;
        self.hovered = None;
        self.last = None;
        self.selection.clear();
        self.hits.clear();
        self.filters = Filters::default();
        self.focus = None;
        self.hub_threshold = None;
        self.history.clear();
        self.suggested_hub_threshold = narrow::suggested_hub_threshold(&loaded.graph);
        self.style_name = None;
        self.style_output = None;
        self.layout = std::sync::Arc::new(Placement { positions: loaded.scene.positions(), routes: Vec::new() });
        self.initial_layout = std::sync::Arc::clone(&self.layout);
        self.current = Some(loaded);
        self.refresh_hidden();
        Ok(())
    }

    /// Uploads the current graph to a renderer that just started. The renderer is kept even when
    /// the graph does not fit it, so the next (smaller) graph can be shown.
    ///
    /// # Errors
    /// The GPU refused the current scene.
    pub fn attach_renderer(&mut self, mut renderer: G) -> Result<(), renderer::RenderError> {
        let uploaded = self.current.as_ref().map_or(Ok(()), |c| renderer.upload(&c.scene));
        self.renderer = Some(renderer);
        self.first_picture = FirstPicture::Complete;
        uploaded
    }

    /// Draws one frame if there is something to draw on; `true` while an animation wants more frames.
    pub fn draw(&mut self, now_ms: f64) -> bool {
        let mut animating = false;
        if let (Some(t), Some(c)) = (&self.transition, &mut self.current) {
            let (positions, done) = t.at(now_ms);
            if done {
                c.scene.set_positions(&positions);
            } else {
                c.scene.set_positions_moving(&positions);
            }
            if let Some(r) = &mut self.renderer {
                r.update_node_data(&c.scene);
            }
            animating = !done;
            if done {
                self.transition = None;
                self.sync_routes(false);
            }
        }
        let options = self.device_options();
        let (Some(r), Some(c)) = (&mut self.renderer, &self.current) else {
            if let Some(r) = &mut self.renderer {
                r.clear(&renderer::Frame {
                    camera: self.camera,
                    options: self.options,
                    label_scale: 1.0,
                    minimap: None,
                    cull: None,
                });
            }
            return animating;
        };
        let dpr = self.pixel_ratio;
        let mut settings = self.settings;
        settings.cheap = self.pacer.cheap(now_ms);
        match self.first_picture {
            FirstPicture::NodesUploaded => {
                settings.first_step = true;
                self.first_picture = FirstPicture::NodesDrawn;
                animating = true;
            }
            FirstPicture::NodesDrawn => {
                r.upload_edges(&c.scene);
                self.first_picture = FirstPicture::Complete;
            }
            FirstPicture::Complete => {}
        }
        settings.minimap = settings.minimap.map(|m| [m[0] * dpr, m[1] * dpr]);
        settings.rings_px = settings.rings_px.map(|r| r * dpr);
        if let Some(l) = &mut settings.labels {
            l.font_px *= dpr;
        }
        let mut composed;
        if settings.cheap {
            // A pan the renderer can show by copying its picture of the graph gets the full
            // picture: a copy costs less than even the lighter drawing.
            let full = ViewSettings { cheap: false, ..settings };
            composed = compose(&c.scene, &c.graph, r.atlas(), self.camera, options, &full);
            if r.would_reuse_picture(&composed.frame) {
                self.last_drawn = LastFrame::Reused;
            } else {
                composed = compose(&c.scene, &c.graph, r.atlas(), self.camera, options, &settings);
                self.last_drawn = LastFrame::Cheap;
            }
        } else {
            composed = compose(&c.scene, &c.graph, r.atlas(), self.camera, options, &settings);
            self.last_drawn = LastFrame::Full;
        }
        r.show(&composed);
        self.last = Some(composed);
        self.frames += 1;
        animating
    }

    /// The frame [`Studio::draw`] drew is done at `end_ms` (after the call returned: on WebGL the
    /// GPU's work can block inside it): the pacer learns what the renderer costs.
    pub fn frame_done(&mut self, end_ms: f64) {
        match self.last_drawn {
            LastFrame::Full => self.pacer.drawn(end_ms, false),
            LastFrame::Cheap => self.pacer.drawn(end_ms, true),
            LastFrame::Reused => self.pacer.reused(),
        }
    }

    /// The first animation frame after the last one drawn came at `now_ms`: it was on screen.
    pub fn frame_presented(&mut self, now_ms: f64) {
        self.pacer.presented(now_ms);
    }

    /// Draws the full picture now, however recently the view moved: exports take what was drawn
    /// last, and a cheap frame has no labels.
    pub fn draw_full(&mut self, now_ms: f64) {
        self.pacer.settle();
        if self.first_picture == FirstPicture::NodesUploaded {
            self.first_picture = FirstPicture::NodesDrawn;
        }
        self.draw(now_ms);
    }

    /// A new graph's first picture is still in its first step: its edges follow on the next frame.
    #[must_use]
    pub fn first_picture_pending(&self) -> bool {
        self.first_picture != FirstPicture::Complete
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

    /// Ranked search results.
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchRow> {
        let Some(c) = &self.current else {
            return Vec::new();
        };
        // Filters and focus narrow search too: hidden nodes are not offered.
        c.index
            .search(&c.graph, query, limit.saturating_mul(4))
            .into_iter()
            .filter(|h| !c.scene.is_hidden(h.node.index()))
            .take(limit)
            .map(|h| SearchRow {
                id: h.node.0,
                name: c.graph.name(h.node).to_owned(),
                kind: c.graph.kind_name(h.node).to_owned(),
                file: c.graph.file_path(h.node).to_owned(),
            })
            .collect()
    }

    /// Selects nodes (or clears the selection): highlights them and their neighbours. A change
    /// can be undone.
    pub fn select(&mut self, ids: &[u32]) {
        if self.selection != ids {
            self.record();
            // A finding shown on the graph is about the selection it made: a new one ends it.
            self.set_emphasis(None);
        }
        self.selection = ids.to_vec();
        self.refresh_highlight();
    }

    /// Marks search hits (drawn prominently, labelled after the selection).
    pub fn set_hits(&mut self, ids: &[u32]) {
        self.hits = ids.to_vec();
        self.refresh_highlight();
    }

    fn refresh_highlight(&mut self) {
        let Some(c) = &mut self.current else { return };
        let count = c.graph.node_count();
        let ids: Vec<NodeId> = self.selection.iter().filter(|&&i| (i as usize) < count).map(|&i| NodeId(i)).collect();
        let mut marked: Vec<(NodeId, u32)> = if ids.is_empty() {
            Vec::new()
        } else {
            neighbourhood(&c.graph, &ids, 1, Direction::Both, None)
                .into_iter()
                .map(|(n, d)| (n, if d == 0 { NodeFlagsGpu::SELECTED } else { NodeFlagsGpu::NEIGHBOUR }))
                .collect()
        };
        for &h in self.hits.iter().filter(|&&h| (h as usize) < count) {
            match marked.iter_mut().find(|(n, _)| n.0 == h) {
                Some(m) => m.1 |= NodeFlagsGpu::HIT,
                None => marked.push((NodeId(h), NodeFlagsGpu::HIT)),
            }
        }
        // Label priority: the selection, then search hits, then neighbours.
        marked.sort_by_key(|&(_, f)| {
            if f & NodeFlagsGpu::SELECTED != 0 {
                0
            } else if f & NodeFlagsGpu::HIT != 0 {
                1
            } else {
                2
            }
        });
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

    /// The draw options in device pixels: what the renderer draws and picking measures against.
    fn device_options(&self) -> DrawOptions {
        let dpr = self.pixel_ratio;
        DrawOptions {
            node_px: self.options.node_px * dpr,
            edge_px: (self.options.edge_px * dpr).max(1.0),
            ..self.options
        }
    }

    /// The node under a device-pixel position.
    #[must_use]
    pub fn pick(&self, px: [f32; 2]) -> Option<u32> {
        let c = self.current.as_ref()?;
        c.scene.pick(&self.camera, px, self.device_options().node_px, 3.0 * self.pixel_ratio).map(|n| n.0)
    }

    /// Visible nodes inside a device-pixel rectangle.
    #[must_use]
    pub fn pick_box(&self, a: [f32; 2], b: [f32; 2]) -> Vec<u32> {
        self.current
            .as_ref()
            .map_or_else(Vec::new, |c| c.scene.pick_box(&self.camera, a, b).into_iter().map(|n| n.0).collect())
    }

    /// Marks the node under the pointer; `true` if that changed.
    pub fn hover(&mut self, px: Option<[f32; 2]>) -> bool {
        let hovered = px.and_then(|p| self.pick(p));
        if hovered == self.hovered {
            return false;
        }
        self.hovered = hovered;
        if let Some(c) = &mut self.current {
            c.scene.set_hover(hovered.map(NodeId));
            if let Some(r) = &mut self.renderer {
                r.update_node_data(&c.scene);
            }
        }
        true
    }

    /// Zooms to the selection (not the search hits or the neighbours); `false` if none.
    pub fn zoom_to_selection(&mut self) -> bool {
        let Some(c) = &self.current else { return false };
        let count = c.scene.node_count();
        let selected: Vec<u32> = self.selection.iter().copied().filter(|&i| (i as usize) < count).collect();
        if selected.is_empty() {
            return false;
        }
        let b = c.scene.bounds_of(&selected);
        self.camera.fit(b, 80.0 * self.pixel_ratio);
        // A lone node would fill the screen; stop where neighbours would sit a comfortable distance apart.
        let most = 60.0 * self.pixel_ratio / c.scene.spacing();
        self.camera.scale = self.camera.scale.min(most.max(1e-5));
        true
    }

    /// The minimap of the last frame, if it was drawn and `px` falls on it.
    #[must_use]
    pub fn minimap_at(&self, px: [f32; 2]) -> Option<[f32; 2]> {
        let m = self.last.as_ref()?.frame.minimap?;
        m.contains(px).then(|| m.world_at(px))
    }

    /// Restyles the view with the output (style records and extras) of the renderer plugin
    /// `style` names.
    ///
    /// # Errors
    /// Why the style does not fit the graph shown; nothing changes then.
    pub fn apply_plugin_style(
        &mut self,
        style: &str,
        records: crate::plugin_style::StyleRecords<'_>,
        extras: crate::plugin_style::StyleExtras,
    ) -> Result<(), crate::plugin_style::PluginStyleError> {
        use crate::plugin_style::PluginStyleError;
        let c = self.current.as_mut().ok_or(PluginStyleError::NoGraph)?;
        let kept = (records, extras.clone());
        let sheet = crate::plugin_style::style_sheet(&c.graph, records, extras)?;
        c.scene.apply_style(&c.graph, &sheet)?;
        if let Some(r) = &mut self.renderer {
            r.update_styles(&c.scene);
        }
        self.style_name = Some(style.to_owned());
        self.keep_style(style, &kept.0, &kept.1);
        self.move_boxes_apart();
        Ok(())
    }

    /// The legend of the picture: the default look's, or the renderer plugin's key (its legend
    /// lines, else its captioned hulls), under a title naming the graph and what is drawn.
    #[must_use]
    pub fn legend(&self) -> Option<Legend> {
        let c = self.current.as_ref()?;
        let (n, e) = (c.graph.node_count(), c.graph.edge_count());
        let mut title = format!("{} — {n} nodes, {e} edges", c.source);
        if self.shown.nodes != n {
            title = format!("{title} ({} nodes shown)", self.shown.nodes);
        }
        Some(match &self.style_name {
            None => Legend::default_look(&c.graph, title),
            Some(style) => {
                let mut entries = c.scene.legend.clone();
                if entries.is_empty() {
                    entries = c
                        .scene
                        .overlays
                        .iter()
                        .filter_map(|o| match o {
                            renderer::style::Overlay::Hull { color, label: Some(label), .. } => {
                                Some(LegendEntry { swatch: Swatch::Area, color: *color, label: label.clone() })
                            }
                            _ => None,
                        })
                        .collect();
                }
                Legend::for_style(title, style, entries)
            }
        })
        .map(|mut legend| {
            // Say what the rings are whenever the module map is drawn.
            if self.settings.rings_px.is_some() && !c.scene.outlines.is_empty() {
                legend.notes.push(MODULE_MAP_NOTE.into());
            }
            if c.scene.emphasis().is_some() {
                legend.notes.push(FINDING_NOTE.into());
            }
            legend
        })
    }

    /// Back to the default look.
    pub fn reset_style(&mut self) {
        self.style_name = None;
        self.style_output = None;
        if let Some(c) = &mut self.current {
            c.scene.reset_style(&c.graph);
            if let Some(r) = &mut self.renderer {
                r.update_styles(&c.scene);
            }
        }
    }

    /// The view as an SVG document.
    #[must_use]
    pub fn export_svg(&self) -> Option<String> {
        let (c, last) = (self.current.as_ref()?, self.last.as_ref()?);
        let legend = self.legend();
        let mut overlays = last.rings.clone();
        overlays.extend_from_slice(c.scene.overlay_vertices());
        Some(renderer::svg::export_svg(
            &c.scene,
            &c.graph,
            &last.frame,
            &overlays,
            &last.labels,
            legend.as_ref().map(|l| (l, self.pixel_ratio)),
        ))
    }

    /// Carries out a view action (from the keyboard); `true` when the view changed.
    pub fn apply(&mut self, action: ViewAction) -> bool {
        let centre = [self.camera.viewport[0] * 0.5, self.camera.viewport[1] * 0.5];
        match action {
            ViewAction::Pan(delta) => self.camera.pan_pixels(delta),
            ViewAction::Zoom(factor) => self.camera.zoom_at(centre, factor),
            ViewAction::Fit => self.fit(),
            ViewAction::ZoomToSelection => return self.zoom_to_selection(),
            ViewAction::ToggleMinimap => {
                self.settings.minimap = if self.settings.minimap.is_some() { None } else { Some(MINIMAP_CSS) };
            }
            ViewAction::ToggleModules => {
                let default = ViewSettings::default().rings_px;
                self.settings.rings_px = if self.settings.rings_px.is_some() { None } else { default };
            }
            ViewAction::ClearSelection => {
                let had = !self.selection.is_empty();
                self.select(&[]);
                return had;
            }
        }
        true
    }

    /// Fits the whole graph in view: its nodes, and the module map's outer rings when it is shown.
    pub fn fit(&mut self) {
        if let Some(c) = &self.current {
            self.camera.fit(c.scene.picture_bounds(None, self.settings.rings_px.is_some()), 24.0);
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
