//! The view as it travels ([`share::ViewState`]): read from the studio for a deep link or a
//! report, and applied back when one is opened; and a whole report shown as its author saw it.

use std::collections::BTreeSet;

use isg::CodeRole;
use share::view::{CameraView, FilterView, HubView, NodeKey, ViewState};
use share::{CapturedStyle, Report};

use super::{HubMode, Studio};
use crate::filters::Filters;
use crate::gpu::GpuView;
use crate::plugin_style::{StyleExtras, StyleRecords};

/// What of an opened view could not be applied, for the notice the shell shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewNotes {
    /// Selected nodes the graph does not have.
    pub missing_nodes: usize,
    /// Filter names (kinds, roles) the graph does not have.
    pub unknown_filters: Vec<String>,
}

impl ViewNotes {
    /// The notice in words, if there is anything to say.
    #[must_use]
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.missing_nodes > 0 {
            parts.push(format!("{} selected node(s) are not in this graph", self.missing_nodes));
        }
        if !self.unknown_filters.is_empty() {
            parts
                .push(format!("filters this graph has nothing for were left out: {}", self.unknown_filters.join(", ")));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Why a report could not be shown; the graph on screen stays.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportRefused {
    /// No graph to report on.
    #[error("no graph is shown")]
    NoGraph,
    /// The report's positions do not fit its graph.
    #[error("its positions: {0}")]
    Positions(#[from] super::PositionsRefused),
    /// The report's style does not fit its graph.
    #[error("its style: {0}")]
    Style(#[from] crate::plugin_style::PluginStyleError),
    /// The report's style extras are malformed.
    #[error("its style's labels and overlays: {0}")]
    Extras(String),
}

impl<G: GpuView> Studio<G> {
    /// The view now: camera, selection, filters, hubs, rings. The shell adds what it keeps
    /// itself (sources, search text, the plugins that made the picture).
    #[must_use]
    pub fn view_state(&self) -> ViewState {
        let Some(c) = &self.current else { return ViewState::default() };
        let count = c.graph.node_count();
        ViewState {
            camera: Some(CameraView {
                x: self.camera.center[0],
                y: self.camera.center[1],
                css_scale: self.camera.scale / self.pixel_ratio.max(0.5),
            }),
            selection: self
                .selection
                .iter()
                .filter(|&&i| (i as usize) < count)
                .map(|&i| NodeKey(c.graph.hash(isg::NodeId(i))))
                .collect(),
            hubs: self.hub_threshold.map(|threshold| HubView { threshold, split: self.hub_mode == HubMode::Split }),
            filters: FilterView {
                hidden_node_kinds: self.filters.hidden_node_kinds.iter().cloned().collect(),
                hidden_edge_kinds: self.filters.hidden_edge_kinds.iter().cloned().collect(),
                hidden_roles: self.filters.hidden_roles.iter().map(|r| r.label().to_owned()).collect(),
                module: self.filters.module.clone(),
            },
            rings_hidden: self.settings.rings_px.is_none(),
            ..ViewState::default()
        }
    }

    /// Applies a view: filters, hubs, rings, selection, then the camera (last, so it wins over
    /// any framing). What the graph does not have is left out and said in the notes.
    pub fn apply_view(&mut self, view: &ViewState) -> ViewNotes {
        let mut notes = ViewNotes::default();
        let Some(c) = &self.current else { return notes };
        let mut filters = Filters::default();
        let node_kinds: BTreeSet<&str> = c.graph.node_kinds().iter().map(String::as_str).collect();
        let edge_kinds: BTreeSet<&str> = c.graph.edge_kinds().iter().map(String::as_str).collect();
        for kind in &view.filters.hidden_node_kinds {
            if node_kinds.contains(kind.as_str()) {
                filters.hidden_node_kinds.insert(kind.clone());
            } else {
                notes.unknown_filters.push(kind.clone());
            }
        }
        for kind in &view.filters.hidden_edge_kinds {
            if edge_kinds.contains(kind.as_str()) {
                filters.hidden_edge_kinds.insert(kind.clone());
            } else {
                notes.unknown_filters.push(kind.clone());
            }
        }
        for role in &view.filters.hidden_roles {
            match CodeRole::ALL.iter().find(|r| r.label() == role) {
                Some(r) => {
                    filters.hidden_roles.insert(*r);
                }
                None => notes.unknown_filters.push(role.clone()),
            }
        }
        filters.module.clone_from(&view.filters.module);
        let selection: Vec<u32> =
            view.selection.iter().filter_map(|k| c.graph.node_by_hash(k.0)).map(|n| n.0).collect();
        notes.missing_nodes = view.selection.len() - selection.len();
        self.set_filters(filters);
        match view.hubs {
            Some(h) => self.set_hub_threshold(Some(h.threshold), if h.split { HubMode::Split } else { HubMode::Hide }),
            None => self.set_hub_threshold(None, HubMode::Hide),
        };
        self.settings.rings_px =
            if view.rings_hidden { None } else { renderer::view::ViewSettings::default().rings_px };
        self.select(&selection);
        if let Some(cam) = view.camera {
            self.set_camera_view(cam);
        }
        notes
    }

    /// Looks where `camera` says, at its zoom in CSS pixels.
    pub fn set_camera_view(&mut self, camera: CameraView) {
        self.camera.center = [camera.x, camera.y];
        self.camera.scale = (camera.css_scale * self.pixel_ratio.max(0.5)).clamp(1e-5, 1e4);
    }

    /// Keeps a renderer plugin's output as applied, for reports.
    pub(super) fn keep_style(&mut self, style: &str, records: &StyleRecords<'_>, extras: &StyleExtras) {
        self.style_output = Some(CapturedStyle {
            name: style.to_owned(),
            nodes: records.nodes.map(<[u8]>::to_vec),
            edges: records.edges.map(<[u8]>::to_vec),
            marks: records.marks.map(<[u8]>::to_vec),
            extras: serde_json::to_value(extras).unwrap_or_default(),
        });
    }

    /// The report of what is on screen: the model, where the nodes are, the style in force and
    /// the view; the shell adds its title, notes, findings and the view's plugins.
    ///
    /// # Errors
    /// No graph is shown.
    pub fn report(&self, meta: share::ReportMeta, view: ViewState) -> Result<Report, ReportRefused> {
        let c = self.current.as_ref().ok_or(ReportRefused::NoGraph)?;
        Ok(Report {
            meta,
            view,
            graph: isg::model::encode_portable(&c.graph, &c.report),
            // The initial layout is the viewer's own: 1.4 MB of positions left out on the registry.
            positions: (!std::sync::Arc::ptr_eq(&self.layout, &self.initial_layout))
                .then(|| self.layout.positions.clone()),
            style: self.style_output.clone(),
            analyses: Vec::new(),
        })
    }

    /// Shows a report's picture on the graph just installed from its model: its positions (no
    /// glide), its style (checked as a plugin's output is), then its view.
    ///
    /// # Errors
    /// Its positions or style do not fit its graph; what was applied before stays.
    pub fn show_report(&mut self, report: &Report) -> Result<ViewNotes, ReportRefused> {
        if self.current.is_none() {
            return Err(ReportRefused::NoGraph);
        }
        if let Some(p) = &report.positions {
            self.set_positions(p, false, 0.0, 0.0)?;
            self.draw_settled();
        }
        if let Some(style) = &report.style {
            let extras: StyleExtras =
                serde_json::from_value(style.extras.clone()).map_err(|e| ReportRefused::Extras(e.to_string()))?;
            let records = StyleRecords {
                nodes: style.nodes.as_deref(),
                edges: style.edges.as_deref(),
                marks: style.marks.as_deref(),
            };
            self.apply_plugin_style(&style.name, records, extras)?;
        }
        if report.view.camera.is_none() {
            self.fit();
        }
        let notes = self.apply_view(&report.view);
        // Opening a report is not an edit to undo.
        self.history.clear();
        Ok(notes)
    }

    /// Ends a transition at once (a report's positions do not glide in).
    fn draw_settled(&mut self) {
        if let (Some(t), Some(c)) = (self.transition.take(), &mut self.current) {
            let (positions, _) = t.at(f64::INFINITY);
            c.scene.set_positions(&positions);
            if let Some(r) = &mut self.renderer {
                r.update_node_data(&c.scene);
            }
            self.sync_routes(false);
        }
    }
}
