//! Deep links: the view lives in the address's fragment (`#v1.…`, the `share` crate's format),
//! which never reaches a server. Every committed change (selection, search, filters, hubs, the
//! plugins that made the picture) is a new history entry, so back and forward walk the view's
//! history; camera moves only replace the current entry. Opening a link reads the sources from
//! it, then applies the rest once the graph is on screen; a malformed fragment is ignored with a
//! notice, and what the graph or this app lacks is left out with a notice.

use std::cell::RefCell;

use leptos::prelude::*;
use share::fragment;
use share::view::{CameraView, PluginChoice, ViewState};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::state::Ui;

/// How long the view must rest before the address follows it, in ms.
const SETTLE_MS: u64 = 250;

/// Who runs a plugin a link names: the app runs it, a report says it cannot.
pub type PluginRunner = std::rc::Rc<dyn Fn(Ui, PluginChoice)>;

#[derive(Default)]
struct LinkState {
    /// A view to apply once its graph is on screen.
    pending: Option<ViewState>,
    /// The view the address holds now.
    written: Option<ViewState>,
    /// A linked camera to restore once the linked layout's positions arrive (its fit would
    /// otherwise win).
    camera_after_layout: Option<CameraView>,
    /// A linked renderer to run once the linked layout is done: one consent at a time.
    renderer_after_layout: Option<PluginChoice>,
    /// Bumped by every change; a write waits until it stops changing.
    generation: u32,
    /// Whether the address follows the view (off until the first graph is shown).
    writing: bool,
    runner: Option<PluginRunner>,
}

thread_local! {
    static LINK: RefCell<LinkState> = RefCell::new(LinkState::default());
}

fn with_link<T>(f: impl FnOnce(&mut LinkState) -> T) -> T {
    LINK.with(|l| f(&mut l.borrow_mut()))
}

/// The view on screen, as a link carries it.
#[must_use]
pub fn view_now(ui: Ui) -> ViewState {
    let mut view = ui.studio.with_value(|s| s.view_state());
    view.sources = ui.sources.get_untracked();
    view.search = ui.search.get_untracked();
    let plugins = ui.view_plugins.get_untracked();
    view.layout = plugins.layout;
    view.renderer = plugins.renderer;
    view
}

/// The fragment of the page's address, without `#`.
fn location_fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default().trim_start_matches('#').to_owned()
}

/// The view the page's address carries, if any; a malformed one is ignored with a notice.
#[must_use]
pub fn view_from_address(ui: Ui) -> Option<ViewState> {
    let text = location_fragment();
    if !fragment::is_view_fragment(&text) {
        return None;
    }
    match fragment::decode(&text) {
        Ok(view) => Some(view),
        Err(e) => {
            ui.notice.set(Some(format!("The link's view was ignored: {e}.")));
            None
        }
    }
}

/// The address of the page with `view` in its fragment.
#[must_use]
pub fn address_of(view: &ViewState) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    let href = location.href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{}", fragment::encode(view))
}

/// Starts following the view in the address: `runner` applies the plugins a link names.
pub fn start(ui: Ui, runner: PluginRunner) {
    with_link(|l| l.runner = Some(runner));
    // Every change that shows in the view restarts the wait; the address follows once it rests.
    Effect::new(move |_| {
        ui.frames.track();
        ui.narrow.track();
        ui.search.track();
        ui.view_plugins.track();
        ui.sources.track();
        let generation = with_link(|l| {
            l.generation = l.generation.wrapping_add(1);
            l.generation
        });
        set_timeout(
            move || {
                if with_link(|l| l.generation == generation) {
                    write(ui);
                }
            },
            std::time::Duration::from_millis(SETTLE_MS),
        );
    });
    let on_pop = Closure::<dyn FnMut(web_sys::PopStateEvent)>::new(move |_| popped(ui));
    if let Some(window) = web_sys::window() {
        window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref()).ok();
    }
    // The listener lives as long as the page.
    on_pop.forget();
}

/// Writes the view into the address: a new history entry when more than the camera changed.
fn write(ui: Ui) {
    if !with_link(|l| l.writing && l.pending.is_none()) || ui.studio.with_value(|s| s.current.is_none()) {
        return;
    }
    let view = view_now(ui);
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else { return };
    let previous = with_link(|l| l.written.clone());
    if previous.as_ref() == Some(&view) {
        return;
    }
    let only_camera = previous.as_ref().is_some_and(|p| ViewState { camera: view.camera, ..p.clone() } == view);
    let address = format!("#{}", fragment::encode(&view));
    let done = if only_camera || previous.is_none() {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address))
    };
    if done.is_ok() {
        with_link(|l| l.written = Some(view));
    }
}

/// Back or forward: the view in the address now is shown.
fn popped(ui: Ui) {
    let Some(view) = view_from_address(ui) else { return };
    with_link(|l| l.written = Some(view.clone()));
    let same_sources = view.sources.is_empty() || view.sources == ui.sources.get_untracked();
    if same_sources {
        apply(ui, &view);
    } else {
        with_link(|l| l.pending = Some(view.clone()));
        crate::open_graph::open_urls(ui, view.sources);
    }
}

/// Keeps `view` to apply once the graph it is about is on screen.
pub fn set_pending(view: ViewState) {
    with_link(|l| l.pending = Some(view));
}

/// A graph is on screen: applies the view waiting for it, if any, and lets the address follow.
pub fn graph_shown(ui: Ui) {
    let pending = with_link(|l| {
        l.writing = true;
        l.pending.take()
    });
    if let Some(view) = pending {
        with_link(|l| l.written = Some(view.clone()));
        apply(ui, &view);
    }
}

/// Applies a view to the graph on screen, with a notice for what was left out.
pub fn apply(ui: Ui, view: &ViewState) {
    let notes = ui.studio.try_update_value(|s| s.apply_view(view)).unwrap_or_default();
    ui.search.set(view.search.clone());
    ui.sync_view();
    let said: Vec<String> = notes.describe().into_iter().collect();
    let current = ui.view_plugins.get_untracked();
    let layout = view.layout.clone().filter(|l| current.layout.as_ref() != Some(l));
    let renderer = view.renderer.clone().filter(|r| current.renderer.as_ref() != Some(r));
    let runner = with_link(|l| l.runner.clone());
    if let Some(run) = runner {
        match (layout, renderer) {
            (Some(layout), renderer) => {
                with_link(|l| {
                    l.camera_after_layout = view.camera;
                    l.renderer_after_layout = renderer;
                });
                run(ui, layout);
            }
            (None, Some(renderer)) => run(ui, renderer),
            (None, None) => {}
        }
    }
    if !said.is_empty() {
        ui.notice.set(Some(format!("This link opened with something left out: {}.", said.join("; "))));
    }
}

/// A layout's final positions arrived: a linked camera waiting for them is restored.
pub fn layout_done(ui: Ui) {
    let (camera, renderer, runner) =
        with_link(|l| (l.camera_after_layout.take(), l.renderer_after_layout.take(), l.runner.clone()));
    if let Some(camera) = camera {
        ui.studio.update_value(|s| s.set_camera_view(camera));
        ui.request_redraw();
    }
    if let (Some(renderer), Some(run)) = (renderer, runner) {
        run(ui, renderer);
    }
}
