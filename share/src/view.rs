//! [`ViewState`]: the view as it travels in a deep link's fragment and in a report. Short field
//! names keep a typical link under 2 KB; everything is optional, so an older link still opens.
//! Nodes are named by their ISG hash (all 64 bits, as hex), never by an id that depends on the
//! order of a file, nor through a JS number.

use serde::{Deserialize, Serialize};

/// Sources a view may name.
pub const MAX_SOURCES: usize = 16;
/// Characters a source URL may have.
pub const MAX_SOURCE_CHARS: usize = 2048;
/// Nodes a selection may hold.
pub const MAX_SELECTION: usize = 10_000;
/// Characters of the search text.
pub const MAX_SEARCH_CHARS: usize = 1000;
/// Bytes of a plugin's parameters as JSON.
pub const MAX_PARAMS_BYTES: usize = 16 * 1024;

/// What the viewer shows and how, independent of how it is carried.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewState {
    /// The files (URLs) the graph is made of, read together.
    #[serde(rename = "src", default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Where the camera looks.
    #[serde(rename = "cam", default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<CameraView>,
    /// Selected nodes, first the one the details panel shows.
    #[serde(rename = "sel", default, skip_serializing_if = "Vec::is_empty")]
    pub selection: Vec<NodeKey>,
    /// The search text.
    #[serde(rename = "q", default, skip_serializing_if = "String::is_empty")]
    pub search: String,
    /// The layout plugin whose positions are drawn.
    #[serde(rename = "lay", default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<PluginChoice>,
    /// The renderer plugin whose style is in force.
    #[serde(rename = "sty", default, skip_serializing_if = "Option::is_none")]
    pub renderer: Option<PluginChoice>,
    /// Hubs hidden or split.
    #[serde(rename = "hub", default, skip_serializing_if = "Option::is_none")]
    pub hubs: Option<HubView>,
    /// Filters in force.
    #[serde(rename = "f", default, skip_serializing_if = "FilterView::is_empty")]
    pub filters: FilterView,
    /// The module map's rings are hidden.
    #[serde(rename = "norings", default, skip_serializing_if = "std::ops::Not::not")]
    pub rings_hidden: bool,
}

/// The camera, independent of the window: the world point at the centre and CSS pixels per
/// world unit, so a view opened in another window size shows the same place at the same zoom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CameraView {
    /// World x at the centre.
    pub x: f32,
    /// World y at the centre.
    pub y: f32,
    /// CSS pixels per world unit.
    #[serde(rename = "z")]
    pub css_scale: f32,
}

/// A node by its ISG hash, written as 16 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeKey(pub u64);

impl Serialize for NodeKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:016x}", self.0))
    }
}

impl<'de> Deserialize<'de> for NodeKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if text.is_empty() || text.len() > 16 {
            return Err(serde::de::Error::custom(format!("{text:?} is not a node hash (1 to 16 hex digits)")));
        }
        u64::from_str_radix(&text, 16)
            .map(NodeKey)
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a node hash (hex digits only)")))
    }
}

/// A plugin by name, with the parameters it ran with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginChoice {
    /// The plugin's name.
    #[serde(rename = "n")]
    pub name: String,
    /// Its parameters as JSON; null for its defaults.
    #[serde(rename = "p", default, skip_serializing_if = "serde_json::Value::is_null")]
    pub params: serde_json::Value,
}

/// Hubs: nodes with more edges than the threshold, hidden or split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubView {
    /// The degree above which a node is a hub.
    #[serde(rename = "t")]
    pub threshold: usize,
    /// Split (edges drawn as stubs) rather than hidden.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub split: bool,
}

/// Filters by name, as the filter panel sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterView {
    /// Node kinds left out.
    #[serde(rename = "nk", default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_node_kinds: Vec<String>,
    /// Edge kinds left out.
    #[serde(rename = "ek", default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_edge_kinds: Vec<String>,
    /// Roles left out, by the filter's word for them (`tests`, `external`…).
    #[serde(rename = "r", default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_roles: Vec<String>,
    /// Only this module subtree.
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

impl FilterView {
    /// No filter set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// What in a view state is out of bounds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewProblem {
    /// More of something than a view may hold.
    #[error("it has {found} {what}; at most {limit} are read")]
    TooMany {
        /// What.
        what: &'static str,
        /// How many.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// A camera that cannot be drawn.
    #[error("its camera is not a finite point at a positive zoom")]
    Camera,
}

impl ViewState {
    /// Checks every bound, so a hostile link cannot make the viewer do unbounded work.
    ///
    /// # Errors
    /// The first thing out of bounds.
    pub fn check(&self) -> Result<(), ViewProblem> {
        let many =
            |what, found, limit| if found > limit { Err(ViewProblem::TooMany { what, found, limit }) } else { Ok(()) };
        many("sources", self.sources.len(), MAX_SOURCES)?;
        many("characters in a source", self.sources.iter().map(String::len).max().unwrap_or(0), MAX_SOURCE_CHARS)?;
        many("selected nodes", self.selection.len(), MAX_SELECTION)?;
        many("characters of search text", self.search.chars().count(), MAX_SEARCH_CHARS)?;
        for choice in self.layout.iter().chain(&self.renderer) {
            many("bytes of plugin parameters", choice.params.to_string().len(), MAX_PARAMS_BYTES)?;
        }
        if let Some(c) = self.camera
            && !(c.x.is_finite() && c.y.is_finite() && c.css_scale.is_finite() && c.css_scale > 0.0)
        {
            return Err(ViewProblem::Camera);
        }
        Ok(())
    }
}
