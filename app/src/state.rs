//! The page's reactive state ([`Ui`], shared through context) and the redraw scheduling that
//! goes with it: whoever changes what is on screen asks for a redraw, and the requests made
//! before the next animation frame coalesce into one draw.

use leptos::prelude::*;

use studio_core::details::Summary;
use studio_core::filters::{Filters, ShownCounts};
use studio_core::studio::HubMode;

use crate::loading::now_ms;
use crate::web_gpu::PageStudio;

/// What narrows the view, and whether undo and redo have something to do: the panels' view of
/// the studio's filters, focus, hubs and history, refreshed after every change
/// ([`Ui::sync_view`]), so undo moves the controls too.
#[derive(Clone, Debug, PartialEq)]
pub struct NarrowView {
    /// Filters in force.
    pub filters: Filters,
    /// The focus, in words.
    pub focus: Option<String>,
    /// How much is drawn.
    pub shown: ShownCounts,
    /// The hub threshold.
    pub hub_threshold: Option<usize>,
    /// What happens to hubs.
    pub hub_mode: HubMode,
    /// Nodes above the hub threshold.
    pub hubs: usize,
    /// The hub threshold the control offers for this graph.
    pub suggested_hub_threshold: usize,
    /// Selected nodes.
    pub selection: Vec<u32>,
    /// Undo has something to do.
    pub can_undo: bool,
    /// Redo has something to do.
    pub can_redo: bool,
}

impl Default for NarrowView {
    fn default() -> Self {
        Self {
            filters: Filters::default(),
            focus: None,
            shown: ShownCounts::default(),
            hub_threshold: None,
            hub_mode: HubMode::Hide,
            hubs: 0,
            suggested_hub_threshold: 10,
            selection: Vec::new(),
            can_undo: false,
            can_redo: false,
        }
    }
}

/// A long step in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// What is happening.
    pub label: String,
    /// Fraction done, NaN when unknown.
    pub fraction: f64,
}

/// The renderer's state, as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendState {
    /// Still starting.
    Starting,
    /// Running on this backend.
    Ready(&'static str),
    /// Could not start.
    Failed(String),
}

/// The card shown next to the node under the pointer.
#[derive(Clone, Debug, PartialEq)]
pub struct HoverCard {
    /// Node id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Pointer position in CSS pixels.
    pub at: [f64; 2],
}

/// All reactive state, shared through context. Large data stays in [`Studio`], outside signals.
#[derive(Clone, Copy)]
pub struct Ui {
    /// Graph, scene, camera, renderer.
    pub studio: StoredValue<PageStudio, LocalStorage>,
    /// Counts and warnings of the graph shown.
    pub summary: RwSignal<Option<Summary>>,
    /// The error banner's text.
    pub error: RwSignal<Option<String>>,
    /// The progress bar.
    pub progress: RwSignal<Option<Progress>>,
    /// The selected node.
    pub selected: RwSignal<Option<u32>>,
    /// Bumped whenever a new graph is shown.
    pub version: RwSignal<u32>,
    /// Renderer state.
    pub backend: RwSignal<BackendState>,
    /// Frames drawn (for tests and the bench page).
    pub frames: RwSignal<u32>,
    /// Nodes in the current selection.
    pub boxed: RwSignal<usize>,
    /// The node under the pointer.
    pub hovered: RwSignal<Option<HoverCard>>,
    /// Labels drawn in the last frame, and the aggregate share (level of detail), for tests.
    pub view_stats: RwSignal<(usize, f32)>,
    /// The box being dragged out, in CSS pixels: x, y, width, height.
    pub selection_box: RwSignal<Option<[f64; 4]>>,
    /// A PNG export is running.
    pub exporting: RwSignal<bool>,
    /// A renderer plugin's style is in force.
    pub styled: RwSignal<bool>,
    /// The module map's rings are drawn (`o` toggles them).
    pub map_shown: RwSignal<bool>,
    /// A frame has been pending long enough to say so.
    pub frame_slow: RwSignal<bool>,
    /// The last frame was the lighter picture drawn while the view moves on a slow renderer.
    pub frame_lighter: RwSignal<bool>,
    /// Filters, focus, hubs and history as the panels show them.
    pub narrow: RwSignal<NarrowView>,
    /// The shortcuts sheet is open.
    pub shortcuts_open: RwSignal<bool>,
    /// The search text (the search box's, and a deep link's).
    pub search: RwSignal<String>,
    /// The URLs the graph on screen was read from; empty for files from disk.
    pub sources: RwSignal<Vec<String>>,
    /// The layout and renderer plugins that made the picture, as a deep link names them.
    pub view_plugins: RwSignal<ViewPlugins>,
    /// A notice about a link or report that opened with something left out (not an error: the
    /// rest is shown).
    pub notice: RwSignal<Option<String>>,
}

/// The plugins whose output is on screen, with the parameters they ran with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewPlugins {
    /// The layout whose positions are drawn.
    pub layout: Option<share::view::PluginChoice>,
    /// The renderer whose style is in force.
    pub renderer: Option<share::view::PluginChoice>,
}

impl Ui {
    /// Fresh state: no graph, the renderer starting.
    pub fn new() -> Self {
        Self {
            studio: StoredValue::new_local(PageStudio::default()),
            summary: RwSignal::new(None),
            error: RwSignal::new(None),
            progress: RwSignal::new(None),
            selected: RwSignal::new(None),
            version: RwSignal::new(0),
            backend: RwSignal::new(BackendState::Starting),
            frames: RwSignal::new(0),
            boxed: RwSignal::new(0),
            hovered: RwSignal::new(None),
            view_stats: RwSignal::new((0, 0.0)),
            selection_box: RwSignal::new(None),
            exporting: RwSignal::new(false),
            styled: RwSignal::new(false),
            map_shown: RwSignal::new(true),
            frame_slow: RwSignal::new(false),
            frame_lighter: RwSignal::new(false),
            narrow: RwSignal::new(NarrowView::default()),
            shortcuts_open: RwSignal::new(false),
            search: RwSignal::new(String::new()),
            sources: RwSignal::new(Vec::new()),
            view_plugins: RwSignal::new(ViewPlugins::default()),
            notice: RwSignal::new(None),
        }
    }

    /// Selects a node (or none), optionally centring the view on it.
    pub fn select(self, id: Option<u32>, centre: bool) {
        self.studio.update_value(|s| {
            s.select(id.as_slice());
            if let (true, Some(i)) = (centre, id) {
                s.centre_on(i);
            }
        });
        self.sync_view();
    }

    /// Selects every node in a box (the details panel shows the first).
    pub fn select_many(self, ids: &[u32]) {
        self.studio.update_value(|s| s.select(ids));
        self.sync_view();
    }

    /// Selects and frames the nodes a finding of a run on graph version `graph` is about; says so
    /// when that graph is no longer the one on screen.
    pub fn show_finding(self, graph: u32, nodes: &[u32], edges: &[u32]) {
        if graph != self.version.get_untracked() {
            self.error.set(Some("this finding is about a graph that is no longer open: run the analysis again".into()));
            return;
        }
        if self.studio.try_update_value(|s| s.show_finding(nodes, edges)).unwrap_or(false) {
            self.sync_view();
        }
    }

    /// Adds a node to the selection, or takes it out if it is in (Ctrl-click).
    pub fn toggle_selected(self, id: u32) {
        self.studio.update_value(|s| {
            let mut ids = s.selection.clone();
            match ids.iter().position(|&i| i == id) {
                Some(at) => {
                    ids.remove(at);
                }
                None => ids.push(id),
            }
            s.select(&ids);
        });
        self.sync_view();
    }

    /// Reads the studio's selection, filters, focus, hubs and history into the signals the
    /// panels show, and redraws: after anything that may have changed them (undo included).
    pub fn sync_view(self) {
        let Some(view) = self.studio.try_with_value(|s| NarrowView {
            filters: s.filters.clone(),
            focus: s.focus.as_ref().map(studio_core::filters::Focus::describe),
            shown: s.shown,
            hub_threshold: s.hub_threshold,
            hub_mode: s.hub_mode,
            hubs: s.hub_count(),
            suggested_hub_threshold: s.suggested_hub_threshold,
            selection: s.selection.clone(),
            can_undo: s.history.can_undo(),
            can_redo: s.history.can_redo(),
        }) else {
            return;
        };
        let first = view.selection.first().copied();
        if self.selected.get_untracked() != first {
            self.selected.set(first);
        }
        if self.boxed.get_untracked() != view.selection.len() {
            self.boxed.set(view.selection.len());
        }
        if self.narrow.get_untracked() != view {
            self.narrow.set(view);
        }
        self.request_redraw();
    }

    /// Undoes (`true`) or redoes (`false`) the last change to the view.
    pub fn undo_redo(self, undo: bool) {
        let now = now_ms();
        let done = self.studio.try_update_value(|s| if undo { s.undo(now) } else { s.redo(now) }).unwrap_or(false);
        if done {
            self.sync_view();
        }
    }

    /// Shows or hides the module map's rings and names (the `o` key and the Modules button).
    pub fn toggle_modules(self) {
        if self.studio.try_update_value(|s| s.apply(studio_core::keys::ViewAction::ToggleModules)).unwrap_or(false) {
            self.map_shown.update(|shown| *shown = !*shown);
            self.request_redraw();
        }
    }

    /// The user moved the view (pan, zoom, pinch, minimap): on a slow renderer the frames stay
    /// cheap until the hand rests, then one full frame follows.
    /// `event_time` is the input event's time stamp (how long it waited tells a blocked page).
    pub fn view_moved(self, event_time: f64) {
        let now = now_ms();
        self.studio.update_value(|s| s.pacer.input_at(event_time, now));
        self.request_redraw();
    }

    /// Schedules one redraw on the next animation frame; repeated calls before it runs coalesce.
    pub fn request_redraw(self) {
        let ui = self;
        let asked = now_ms();
        let already = ui
            .studio
            .try_update_value(|s| {
                s.pacer.requested(asked);
                std::mem::replace(&mut s.frame_pending, true)
            })
            .unwrap_or(true);
        if already {
            return;
        }
        // Say so when the frame is slow to come.
        let shown_after = std::time::Duration::from_millis(studio_core::pacing::PENDING_SHOWN_MS as u64);
        set_timeout(
            move || {
                if ui.studio.try_with_value(|s| s.pacer.pending_shown(now_ms())).unwrap_or(false) {
                    ui.frame_slow.set(true);
                }
            },
            shown_after,
        );
        request_animation_frame(move || {
            let now = now_ms();
            let drawn = ui.studio.try_update_value(|s| {
                s.frame_pending = false;
                s.pixel_ratio = device_pixel_ratio() as f32;
                let more = s.draw(now);
                s.frame_done(now_ms());
                let stats = s.last.as_ref().map_or((0, 0.0), |l| (l.labels.len(), l.frame.options.detail.aggregates));
                (s.frames, more, stats)
            });
            if ui.frame_slow.get_untracked() {
                ui.frame_slow.set(false);
            }
            // The browser holds the next animation frame until this one is on screen: that wait
            // is the frame's real cost where drawing only queued the work.
            request_animation_frame(move || {
                ui.studio.try_update_value(|s| s.frame_presented(now_ms()));
            });
            // A cheap frame while moving is followed by a full one once the view is still.
            let refine_at = ui.studio.try_with_value(|s| s.pacer.refine_at()).flatten();
            // A new graph's first step (nodes, no edges yet) is a lighter picture too.
            let first_step = ui.studio.try_with_value(|s| s.first_picture_pending()).unwrap_or(false);
            let lighter = refine_at.is_some() || first_step;
            if ui.frame_lighter.get_untracked() != lighter {
                ui.frame_lighter.set(lighter);
            }
            if let Some(at) = refine_at {
                let wait = std::time::Duration::from_millis((at - now).max(0.0) as u64 + 5);
                set_timeout(move || ui.request_redraw(), wait);
            }
            if let Some((frames, more, stats)) = drawn {
                ui.frames.set(frames);
                if ui.view_stats.get_untracked() != stats {
                    ui.view_stats.set(stats);
                }
                if more {
                    ui.request_redraw();
                }
            }
        });
    }
}

impl Default for Ui {
    fn default() -> Self {
        Self::new()
    }
}

/// Device pixels per CSS pixel (at least 0.5).
pub fn device_pixel_ratio() -> f64 {
    web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(0.5)
}
