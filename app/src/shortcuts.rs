//! The keyboard everywhere on the page (not only on the canvas), undo and redo, and the
//! shortcuts sheet that `?` opens.

use leptos::prelude::*;
use studio_core::keys::{KeyCommand, Modifiers, SHORTCUTS, ViewAction, command_for_key};
use wasm_bindgen::JsCast;

use crate::state::{Ui, device_pixel_ratio};

/// Whether the key went to something the user types into, which keeps its keys.
fn typing_into(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
}

/// Listens to the keyboard on the whole page for as long as the app lives.
pub fn listen(ui: Ui) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        let typing = typing_into(&ev);
        if ev.key() == "Escape" {
            // Esc works wherever the focus is: first it closes the sheet, then clears the selection.
            if ui.shortcuts_open.get_untracked() {
                ui.shortcuts_open.set(false);
            } else {
                ui.select(None, false);
            }
            if typing && let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                el.blur().ok();
            }
            return;
        }
        if typing {
            return;
        }
        let modifiers = Modifiers { ctrl: ev.ctrl_key() || ev.meta_key(), shift: ev.shift_key() };
        let step = 60.0 * device_pixel_ratio() as f32;
        let Some(command) = command_for_key(&ev.key(), modifiers, step) else { return };
        ev.prevent_default();
        match command {
            KeyCommand::Undo => ui.undo_redo(true),
            KeyCommand::Redo => ui.undo_redo(false),
            KeyCommand::Shortcuts => ui.shortcuts_open.update(|open| *open = !*open),
            KeyCommand::View(ViewAction::ClearSelection) => ui.select(None, false),
            KeyCommand::View(ViewAction::ToggleModules) => ui.toggle_modules(),
            KeyCommand::View(action) => {
                if ui.studio.try_update_value(|s| s.apply(action)).unwrap_or(false) {
                    ui.request_redraw();
                }
            }
        }
    });
    // The app lives as long as the page: the listener is never removed.
    std::mem::forget(handle);
}

/// Undo, redo and the shortcuts button, for the toolbar.
#[component]
pub fn HistoryButtons() -> impl IntoView {
    let ui = expect_context::<Ui>();
    view! {
        <button
            class="small secondary"
            data-testid="undo"
            title="Undo the last change to the view: layout, filter, focus, hubs or selection (Ctrl+Z)"
            disabled=move || !ui.narrow.get().can_undo
            on:click=move |_| ui.undo_redo(true)
        >
            "↶ Undo"
        </button>
        <button
            class="small secondary"
            data-testid="redo"
            title="Redo what was undone (Ctrl+Shift+Z or Ctrl+Y)"
            disabled=move || !ui.narrow.get().can_redo
            on:click=move |_| ui.undo_redo(false)
        >
            "↷ Redo"
        </button>
        <button
            class="small secondary"
            data-testid="shortcuts-button"
            title="Keyboard shortcuts and gestures (?)"
            on:click=move |_| ui.shortcuts_open.update(|open| *open = !*open)
        >
            "?"
        </button>
    }
}

/// The shortcuts sheet.
#[component]
pub fn ShortcutsSheet() -> impl IntoView {
    let ui = expect_context::<Ui>();
    view! {
        <Show when=move || ui.shortcuts_open.get()>
            <div class="modal-backdrop" on:click=move |_| ui.shortcuts_open.set(false)>
                <div
                    class="modal"
                    role="dialog"
                    aria-label="Keyboard shortcuts"
                    data-testid="shortcuts-sheet"
                    on:click=|ev| ev.stop_propagation()
                >
                    <h3>"Keyboard and mouse"</h3>
                    <table class="shortcuts">
                        {SHORTCUTS
                            .iter()
                            .map(|(keys, what)| {
                                view! {
                                    <tr>
                                        <td class="keys">{*keys}</td>
                                        <td>{*what}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </table>
                    <button class="small" data-testid="shortcuts-close" title="Close (Esc)" on:click=move |_| ui.shortcuts_open.set(false)>
                        "Close"
                    </button>
                </div>
            </div>
        </Show>
    }
}
