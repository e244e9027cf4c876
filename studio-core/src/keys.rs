//! The keyboard: which key does what to the view. The shell passes key names (as the DOM's
//! `KeyboardEvent.key` spells them) and carries out the [`ViewAction`] on the studio.

/// Something the user can do to the view from the keyboard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewAction {
    /// Move the view by device pixels.
    Pan([f32; 2]),
    /// Zoom at the view's centre by a factor.
    Zoom(f32),
    /// Fit the whole graph.
    Fit,
    /// Frame the selection and its neighbours.
    ZoomToSelection,
    /// Show or hide the minimap.
    ToggleMinimap,
    /// Clear the selection.
    ClearSelection,
}

/// Zoom factor of one `+` press (`-` zooms by its inverse).
const ZOOM_STEP: f32 = 1.25;

/// The keys, in the order the shortcuts sheet lists them: `(keys, what they do)`.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("← → ↑ ↓", "pan"),
    ("+ / −", "zoom in / out"),
    ("f or 0", "fit the whole graph"),
    ("z", "zoom to the selection"),
    ("m", "show or hide the minimap"),
    ("Esc", "clear the selection"),
];

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
        assert_eq!(action_for_key("q", 60.0), None);
    }
}
