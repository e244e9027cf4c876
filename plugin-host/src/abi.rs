//! The plugin ABI as the host sees it: everything of [`pt_abi`] (names, status codes, binary records,
//! the default look), plus the one record that travels as JSON, the [`Overlay`].
//!
//! The ABI is written once, in the `pt-abi` crate; see its documentation for the exports a plugin
//! provides, the host functions it may import and the record layouts.

use serde::{Deserialize, Serialize};

pub use pt_abi::*;

/// Why an overlay was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverlayError {
    /// Not valid JSON, not an overlay, or an unknown field.
    #[error("overlay: {0}")]
    Json(String),
    /// A colour that is not `#rrggbb` or `#rrggbbaa`.
    #[error("overlay colour {0:?} is not #rrggbb or #rrggbbaa")]
    Colour(String),
    /// A legend swatch the host does not draw.
    #[error("legend swatch {0:?} is not one of {SWATCHES:?}")]
    Swatch(String),
    /// A legend label longer than the host shows.
    #[error("legend label of {0} characters; at most {MAX_LEGEND_LABEL}")]
    LabelTooLong(usize),
    /// A node id outside the graph.
    #[error("overlay: {0}")]
    Node(#[from] RecordError),
}

/// Something drawn over the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Overlay {
    /// A convex hull around a group of nodes.
    Hull {
        /// Node ids inside the hull.
        nodes: Vec<u32>,
        /// `#rrggbb` or `#rrggbbaa`.
        color: String,
        /// Optional caption.
        #[serde(default)]
        label: Option<String>,
    },
    /// A note pinned to a node.
    Annotation {
        /// The node it points at.
        node: u32,
        /// The note.
        text: String,
    },
    /// One line of the renderer's legend: what a colour means (host API 1.3).
    Legend {
        /// `#rrggbb` or `#rrggbbaa`.
        color: String,
        /// What it means.
        label: String,
        /// One of [`SWATCHES`]; a circle when absent.
        #[serde(default)]
        swatch: Option<String>,
    },
}

/// The swatches a legend line may show: node glyphs, an edge line (solid or dashed), an area.
pub const SWATCHES: [&str; 8] = ["circle", "square", "diamond", "triangle", "box", "line", "dashed", "area"];

/// Longest legend label, in characters.
pub const MAX_LEGEND_LABEL: usize = 120;

fn check_colour(color: &str) -> Result<(), OverlayError> {
    let hex =
        color.strip_prefix('#').filter(|h| (h.len() == 6 || h.len() == 8) && h.bytes().all(|b| b.is_ascii_hexdigit()));
    hex.map(|_| ()).ok_or_else(|| OverlayError::Colour(color.to_owned()))
}

impl Overlay {
    /// Host memory the overlay's variable parts take (its node list and strings).
    pub(crate) fn footprint(&self) -> usize {
        match self {
            Self::Hull { nodes, color, label } => {
                nodes.capacity() * 4 + color.capacity() + label.as_ref().map_or(0, String::capacity)
            }
            Self::Annotation { text, .. } => text.capacity(),
            Self::Legend { color, label, swatch } => {
                color.capacity() + label.capacity() + swatch.as_ref().map_or(0, String::capacity)
            }
        }
    }

    /// Parses one overlay and checks its node ids against `node_count`.
    pub(crate) fn decode(json: &[u8], node_count: usize) -> Result<Self, OverlayError> {
        let overlay: Self = serde_json::from_slice(json).map_err(|e| OverlayError::Json(e.to_string()))?;
        let ids: &[u32] = match &overlay {
            Self::Hull { nodes, color, .. } => {
                check_colour(color)?;
                nodes
            }
            Self::Annotation { node, .. } => std::slice::from_ref(node),
            Self::Legend { color, label, swatch } => {
                check_colour(color)?;
                if let Some(s) = swatch.as_deref().filter(|s| !SWATCHES.contains(s)) {
                    return Err(OverlayError::Swatch(s.to_owned()));
                }
                let chars = label.chars().count();
                if chars > MAX_LEGEND_LABEL {
                    return Err(OverlayError::LabelTooLong(chars));
                }
                &[]
            }
        };
        Ok(check_node_ids(ids, node_count).map(|()| overlay)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlays_are_strict() {
        assert!(Overlay::decode(br##"{"type":"hull","nodes":[0,1],"color":"#ff0000"}"##, 2).is_ok());
        assert!(
            Overlay::decode(br##"{"type":"hull","nodes":[0,5],"color":"#ff0000"}"##, 2)
                .unwrap_err()
                .to_string()
                .contains("node id 5")
        );
        assert!(Overlay::decode(br##"{"type":"hull","nodes":[],"color":"red"}"##, 2).is_err());
        assert!(
            Overlay::decode(br#"{"type":"annotation","node":0,"text":"x","extra":1}"#, 2)
                .unwrap_err()
                .to_string()
                .contains("extra")
        );
        assert!(Overlay::decode(b"{", 2).is_err());
        assert!(
            Overlay::decode(br##"{"type":"legend","color":"#ff0000","label":"hot","swatch":"dashed"}"##, 0).is_ok()
        );
        assert!(Overlay::decode(br##"{"type":"legend","color":"#ff0000","label":"hot"}"##, 0).is_ok());
        assert!(matches!(
            Overlay::decode(br##"{"type":"legend","color":"#ff0000","label":"x","swatch":"star"}"##, 0),
            Err(OverlayError::Swatch(_))
        ));
        let long = format!(r##"{{"type":"legend","color":"#ff0000","label":"{}"}}"##, "x".repeat(121));
        assert!(matches!(Overlay::decode(long.as_bytes(), 0), Err(OverlayError::LabelTooLong(121))));
    }
}
