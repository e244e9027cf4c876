//! The keyboard: which key does what. The shell passes key names (as the DOM's
//! `KeyboardEvent.key` spells them) with the modifiers held, and carries out the
//! [`KeyCommand`]: a [`ViewAction`] on the studio, undo or redo, or the shortcuts sheet.

/// Something the user can do to the view from the keyboard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewAction {
    /// Move the view by device pixels.
    Pan([f32; 2]),
    /// Zoom at the view's centre by a factor.
    Zoom(f32),
    /// Fit the whole graph.
    Fit,
    /// Frame the selection.
    ZoomToSelection,
    /// Show or hide the minimap.
    ToggleMinimap,
    /// Show or hide the module containers (the modules-first map's rings and names).
    ToggleModules,
    /// Clear the selection.
    ClearSelection,
}

/// What a key press asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyCommand {
    /// Something done to the view.
    View(ViewAction),
    /// Undo the last change to the view.
    Undo,
    /// Redo what was undone.
    Redo,
    /// Show (or hide) the shortcuts sheet.
    Shortcuts,
}

/// Modifier keys held with a key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    /// Ctrl (or ⌘ on a Mac).
    pub ctrl: bool,
    /// Shift.
    pub shift: bool,
}

/// Zoom factor of one `+` press (`-` zooms by its inverse).
const ZOOM_STEP: f32 = 1.25;

/// The keys and gestures, in the order the shortcuts sheet lists them: `(keys, what they do)`.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("drag · wheel", "pan · zoom at the pointer"),
    ("← → ↑ ↓", "pan"),
    ("+ / −", "zoom in / out"),
    ("f or 0", "fit the whole graph"),
    ("click · Ctrl-click", "select a node · add it to the selection"),
    ("Shift-drag", "select every node in a box"),
    ("z", "zoom to the selection"),
    ("m", "show or hide the minimap"),
    ("o", "show or hide the module outlines (crates, folders, files)"),
    ("Ctrl+Z · Ctrl+Shift+Z or Ctrl+Y", "undo · redo (layouts, filters, focus, hubs, selection)"),
    ("?", "show or hide this sheet"),
    ("Esc", "close this sheet or a dialog, else clear the selection"),
];

/// The command of `key` with `modifiers`, panning by `step_px` device pixels; `None` for keys
/// the app ignores.
#[must_use]
pub fn command_for_key(key: &str, modifiers: Modifiers, step_px: f32) -> Option<KeyCommand> {
    if modifiers.ctrl {
        return match key {
            "z" | "Z" if modifiers.shift => Some(KeyCommand::Redo),
            "z" => Some(KeyCommand::Undo),
            "y" | "Y" => Some(KeyCommand::Redo),
            _ => None,
        };
    }
    if key == "?" {
        return Some(KeyCommand::Shortcuts);
    }
    action_for_key(key, step_px).map(KeyCommand::View)
}

/// The action of `key`, panning by `step_px` device pixels; `None` for keys the view ignores.
#[must_use]
pub fn action_for_key(key: &str, step_px: f32) -> Option<ViewAction> {
    Some(match key {
        "ArrowLeft" => ViewAction::Pan([step_px, 0.0]),
        "ArrowRight" => ViewAction::Pan([-step_px, 0.0]),
        "ArrowUp" => ViewAction::Pan([0.0, step_px]),
        "ArrowDown" => ViewAction::Pan([0.0, -step_px]),
        "+" | "=" => ViewAction::Zoom(ZOOM_STEP),
        "-" | "_" => ViewAction::Zoom(1.0 / ZOOM_STEP),
        "f" | "0" => ViewAction::Fit,
        "z" => ViewAction::ZoomToSelection,
        "m" => ViewAction::ToggleMinimap,
        "o" => ViewAction::ToggleModules,
        "Escape" => ViewAction::ClearSelection,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(action_for_key("ArrowLeft", 60.0), Some(ViewAction::Pan([60.0, 0.0])));
        assert_eq!(action_for_key("=", 60.0), Some(ViewAction::Zoom(1.25)));
        assert_eq!(action_for_key("-", 60.0), Some(ViewAction::Zoom(0.8)));
        assert_eq!(action_for_key("Escape", 60.0), Some(ViewAction::ClearSelection));
        assert_eq!(action_for_key("o", 60.0), Some(ViewAction::ToggleModules));
        assert_eq!(action_for_key("q", 60.0), None);
    }

    #[test]
    fn modifiers_make_undo_and_redo() {
        let ctrl = Modifiers { ctrl: true, shift: false };
        let ctrl_shift = Modifiers { ctrl: true, shift: true };
        assert_eq!(command_for_key("z", ctrl, 60.0), Some(KeyCommand::Undo));
        assert_eq!(command_for_key("Z", ctrl_shift, 60.0), Some(KeyCommand::Redo));
        assert_eq!(command_for_key("y", ctrl, 60.0), Some(KeyCommand::Redo));
        assert_eq!(command_for_key("f", ctrl, 60.0), None, "Ctrl+F stays the browser's");
        assert_eq!(command_for_key("?", Modifiers::default(), 60.0), Some(KeyCommand::Shortcuts));
        assert_eq!(
            command_for_key("z", Modifiers::default(), 60.0),
            Some(KeyCommand::View(ViewAction::ZoomToSelection))
        );
    }
}
