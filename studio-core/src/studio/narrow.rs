//! Narrowing the view (filters, focus, hubs) and undoing what the user did to it.

use std::sync::Arc;

use isg::CodeRole;
use isg::query::Direction;
use renderer::animation::Transition;

use super::{HubMode, Studio};
use crate::filters::{Filters, Focus, FocusError, ShownCounts};
use crate::gpu::GpuView;
use crate::history::ViewSnapshot;

/// A hub threshold that catches the busiest nodes of `graph`: the degree above which about one
/// node in two hundred lies, and at least 10.
pub(super) fn suggested_hub_threshold(graph: &isg::Graph) -> usize {
    let mut degrees: Vec<usize> = graph.nodes().map(|n| graph.in_degree(n) + graph.out_degree(n)).collect();
    degrees.sort_unstable();
    let at = degrees.len().saturating_sub(1 + degrees.len() / 200);
    degrees.get(at).copied().unwrap_or(0).max(10)
}

/// How long an undone or redone layout takes to glide back, in ms.
const UNDO_GLIDE_MS: f64 = 400.0;

impl<G: GpuView> Studio<G> {
    /// Hides or shows the external placeholder nodes (and so their edges).
    pub fn set_externals_hidden(&mut self, hidden: bool) {
        let mut filters = self.filters.clone();
        if hidden {
            filters.hidden_roles.insert(CodeRole::External);
        } else {
            filters.hidden_roles.remove(&CodeRole::External);
        }
        self.set_filters(filters);
    }

    /// Whether external placeholders are hidden.
    #[must_use]
    pub fn externals_hidden(&self) -> bool {
        self.filters.hidden_roles.contains(&CodeRole::External)
    }

    /// Replaces the filters; returns how much is drawn now. Can be undone.
    pub fn set_filters(&mut self, filters: Filters) -> ShownCounts {
        if filters != self.filters {
            self.record();
            self.filters = filters;
            self.refresh_hidden();
        }
        self.shown
    }

    /// Hides or splits nodes with more than `threshold` edges, as `mode` says, or shows them
    /// whole again (`None`). Returns how many nodes are hubs at that threshold. Can be undone.
    pub fn set_hub_threshold(&mut self, threshold: Option<usize>, mode: HubMode) -> usize {
        if (threshold, mode) != (self.hub_threshold, self.hub_mode) {
            self.record();
        }
        self.hub_threshold = threshold;
        self.hub_mode = mode;
        self.refresh_hidden();
        self.hub_count()
    }

    /// Nodes above the hub threshold (0 when none is set).
    #[must_use]
    pub fn hub_count(&self) -> usize {
        let (Some(c), Some(t)) = (&self.current, self.hub_threshold) else { return 0 };
        c.graph.nodes().filter(|&n| c.graph.in_degree(n) + c.graph.out_degree(n) > t).count()
    }

    /// Shows only the selection and its neighbours to `depth`, both ways. Can be undone.
    ///
    /// # Errors
    /// Nothing is selected.
    pub fn focus_neighbourhood(&mut self, depth: usize) -> Result<ShownCounts, FocusError> {
        let c = self.current.as_ref().ok_or(FocusError::NoSelection)?;
        let focus = Focus::neighbourhood(&c.graph, &self.selection, depth)?;
        Ok(self.set_focus(Some(focus)))
    }

    /// Adds one level of callers (`Direction::In`) or callees (`Direction::Out`) of the selection
    /// to the focus, starting a focus on the selection if there is none; returns the nodes added.
    /// Can be undone.
    ///
    /// # Errors
    /// Nothing is selected and no focus stands.
    pub fn expand(&mut self, direction: Direction) -> Result<Vec<u32>, FocusError> {
        let c = self.current.as_ref().ok_or(FocusError::NoSelection)?;
        let mut focus = match &self.focus {
            Some(f @ Focus { kind: crate::filters::FocusKind::Expanded { .. }, .. }) => f.clone(),
            _ => Focus::seeds(&c.graph, &self.selection)?,
        };
        let added = focus.grow(&c.graph, direction);
        self.set_focus(Some(focus));
        Ok(added)
    }

    /// Shows only a shortest path between the two selected nodes. Can be undone.
    ///
    /// # Errors
    /// Not exactly two nodes are selected, or nothing joins them.
    pub fn focus_path(&mut self) -> Result<Vec<u32>, FocusError> {
        let c = self.current.as_ref().ok_or(FocusError::NoSelection)?;
        let focus = Focus::path(&c.graph, &self.selection)?;
        let members = focus.members().to_vec();
        self.set_focus(Some(focus));
        Ok(members)
    }

    /// Replaces the focus (`None` shows everything the filters let through). Can be undone.
    pub fn set_focus(&mut self, focus: Option<Focus>) -> ShownCounts {
        if focus != self.focus {
            self.record();
            self.focus = focus;
            self.refresh_hidden();
        }
        self.shown
    }

    /// Applies filters, focus and hubs to the scene and the GPU, and counts what is drawn.
    pub(super) fn refresh_hidden(&mut self) {
        let Some(c) = &mut self.current else {
            self.shown = ShownCounts::default();
            return;
        };
        let g = &c.graph;
        for n in g.nodes() {
            let hub = self.hub_threshold.is_some_and(|t| g.in_degree(n) + g.out_degree(n) > t);
            let kept = self.filters.passes(g, n) && self.focus.as_ref().is_none_or(|f| f.contains(n.0));
            c.scene.set_hidden(n, !kept || (hub && self.hub_mode == HubMode::Hide));
            c.scene.set_split(n, hub && self.hub_mode == HubMode::Split);
        }
        let edges_changed = c.scene.set_hidden_edge_kinds(&self.filters.edge_kind_mask(g));
        c.scene.refresh();
        self.shown = ShownCounts {
            nodes: c.scene.shown_node_count(),
            nodes_total: g.node_count(),
            edges: c.scene.shown_edge_count(),
            edges_total: g.edge_count(),
        };
        if let Some(r) = &mut self.renderer {
            r.update_node_data(&c.scene);
            if edges_changed {
                r.update_styles(&c.scene);
            }
        }
    }

    /// The state an undo would return to now.
    fn snapshot(&self) -> ViewSnapshot {
        ViewSnapshot {
            filters: self.filters.clone(),
            focus: self.focus.clone(),
            hub_threshold: self.hub_threshold,
            hub_mode: self.hub_mode,
            selection: self.selection.clone(),
            placement: Arc::clone(&self.layout),
        }
    }

    /// Remembers the view as it is, before an action changes it.
    pub(super) fn record(&mut self) {
        if self.current.is_some() {
            let before = self.snapshot();
            self.history.record(before);
        }
    }

    /// Marks the start of a layout run, so undo returns to the positions before it.
    pub fn begin_layout(&mut self) {
        self.record();
    }

    /// Goes back one step; `false` when there is nothing to undo.
    pub fn undo(&mut self, now_ms: f64) -> bool {
        let now = self.snapshot();
        match self.history.undo(now) {
            Some(back) => {
                self.restore(back, now_ms);
                true
            }
            None => false,
        }
    }

    /// Goes forward one undone step; `false` when there is nothing to redo.
    pub fn redo(&mut self, now_ms: f64) -> bool {
        let now = self.snapshot();
        match self.history.redo(now) {
            Some(forward) => {
                self.restore(forward, now_ms);
                true
            }
            None => false,
        }
    }

    fn restore(&mut self, to: ViewSnapshot, now_ms: f64) {
        self.filters = to.filters;
        self.focus = to.focus;
        self.hub_threshold = to.hub_threshold;
        self.hub_mode = to.hub_mode;
        if self.selection != to.selection {
            self.set_emphasis(None);
        }
        self.selection = to.selection;
        if !Arc::ptr_eq(&to.placement, &self.layout)
            && let Some(c) = &self.current
            && to.placement.positions.len() == c.scene.node_count()
        {
            let from = match &self.transition {
                Some(t) => t.at(now_ms).0,
                None => c.scene.positions(),
            };
            // A layout comes with a view fitted to it; going back to one goes back to that view.
            self.camera.fit(c.scene.bounds_at(&to.placement.positions), 24.0);
            self.transition = Some(Transition::new(from, to.placement.positions.clone(), now_ms, UNDO_GLIDE_MS));
            // Edges run straight while the nodes glide; the routes come back when they arrive.
            self.layout = to.placement;
            self.sync_routes(true);
        } else {
            self.layout = to.placement;
        }
        self.refresh_hidden();
        self.refresh_highlight();
    }
}
