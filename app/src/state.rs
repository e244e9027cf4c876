//! The page's reactive state ([`Ui`], shared through context) and the redraw scheduling that
//! goes with it: whoever changes what is on screen asks for a redraw, and the requests made
//! before the next animation frame coalesce into one draw.

use leptos::prelude::*;

use studio_core::details::Summary;

use crate::loading::now_ms;
use crate::web_gpu::PageStudio;

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
        self.selected.set(id);
        self.boxed.set(usize::from(id.is_some()));
        self.request_redraw();
    }

    /// Selects every node in a box (the details panel shows the first).
    pub fn select_many(self, ids: &[u32]) {
        self.studio.update_value(|s| s.select(ids));
        self.selected.set(ids.first().copied());
        self.boxed.set(ids.len());
        self.request_redraw();
    }

    /// Schedules one redraw on the next animation frame; repeated calls before it runs coalesce.
    pub fn request_redraw(self) {
        let ui = self;
        let already = ui.studio.try_update_value(|s| std::mem::replace(&mut s.frame_pending, true)).unwrap_or(true);
        if already {
            return;
        }
        request_animation_frame(move || {
            let now = now_ms();
            let drawn = ui.studio.try_update_value(|s| {
                s.frame_pending = false;
                s.pixel_ratio = device_pixel_ratio() as f32;
                let more = s.draw(now);
                let stats = s.last.as_ref().map_or((0, 0.0), |l| (l.labels.len(), l.frame.options.detail.aggregates));
                (s.frames, more, stats)
            });
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
