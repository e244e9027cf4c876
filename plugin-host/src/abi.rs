//! Plugin ABI version 1: how host and plugin talk over linear memory.
//!
//! # Exports a plugin must provide
//! | export | signature | meaning |
//! |---|---|---|
//! | `memory` | memory | the plugin's linear memory (one, 32-bit) |
//! | `pt_abi_version` | `() -> i32` | returns [`ABI_VERSION`]; checked before anything else runs |
//! | `pt_run_layout`, `pt_run_renderer`, `pt_run_analysis` or `pt_run_exporter` | `() -> i32` | runs the plugin once; `0` is success, anything else failure (message via `pt_core.fail`). The name says the plugin's kind, which must be the kind its `plugin.toml` declares (host API 1.2) |
//! | `pt_run` | `() -> i32` | the entry point of plugins built before host API 1.2, whose kind the module does not state; accepted, and recorded in the audit trail as unchecked |
//!
//! A module exports exactly one entry point.
//!
//! # Imports the host provides
//! Pointers are `i32` offsets into the plugin's memory; lengths are byte counts unless a name says
//! `count`. Every range is bounds-checked; a bad range stops the call with [`PluginError::BadPointer`].
//!
//! `pt_core` (always linked):
//! - `log(level: i32, ptr, len)`: 0 debug, 1 info, 2 warn, 3 error. Lines past the policy cap are counted, not kept.
//! - `progress(done: i32, total: i32)`: shown as a progress bar.
//! - `fail(ptr, len)`: the message reported when `pt_run` returns non-zero.
//! - `params_len() -> i32`, `params_read(dst, cap) -> i32`: the checked parameters as a JSON object.
//! - `emit_finding(severity: i32, nodes_ptr, nodes_count, msg_ptr, msg_len)`: analysis output; severity 0 info, 1 warning, 2 error.
//! - `emit_metric(name_ptr, name_len, values_ptr, count)`: one `f32` per node, a column of the metric table.
//! - `emit_file(name_ptr, name_len, mime_ptr, mime_len, data_ptr, data_len)`: export output. The
//!   host makes the name safe and chooses the MIME type from the name's extension
//!   ([`crate::export_format`]); the plugin's MIME type is ignored.
//!
//! Every host function pays for its work in fuel (a fixed part per call plus a part per byte it
//! copies, decodes or stores), and everything a call produces counts against the output cap by its
//! footprint in host memory, empty records included.
//!
//! `pt_isg` ([`Capability::ReadIsg`]): compact little-endian arrays, copied in ranges so a plugin
//! never needs the whole graph at once:
//! - `node_count() -> i32`, `edge_count() -> i32`;
//! - `read_edges(dst, first, count) -> i32`: `count` × (`u32` from, `u32` to); returns edges written;
//! - `read_edge_kinds(dst, first, count) -> i32`: one `u8` per edge;
//! - `read_node_kinds(dst, first, count) -> i32`: one `u16` per node;
//! - `read_node_flags(dst, first, count) -> i32`: one `u8` per node, bit 0 = external placeholder;
//! - `read_node_modules(dst, first, count) -> i32`: one `u32` module id per node;
//! - `node_kind_name(kind, dst, cap) -> i32`, `edge_kind_name(kind, dst, cap) -> i32`,
//!   `node_name(node, dst, cap) -> i32`, `node_file(node, dst, cap) -> i32`,
//!   `node_signature(node, dst, cap) -> i32`: UTF-8; return the full length (copying at most `cap`),
//!   or −1 for an unknown id;
//! - `selected_node() -> i32`: the node selected in the app, or −1.
//!
//! `pt_viz` ([`Capability::WriteVisualization`]); each may be called again to replace what it set,
//! which is how a progressive layout shows intermediate positions:
//! - `set_positions(ptr, count)`: `count` = node count × (`f32` x, `f32` y), all finite;
//! - `set_node_styles(ptr, count)`: `count` = node count × [`NodeStyle`] ([`NODE_STYLE_BYTES`] bytes);
//! - `set_edge_styles(ptr, count)`: `count` = edge count × [`EdgeStyle`] ([`EDGE_STYLE_BYTES`] bytes);
//! - `set_edge_marks(ptr, count)`: `count` = edge count bytes of [`EdgeMarks`] bits (dashed lines,
//!   hollow or no arrowheads); added in host API 1.1;
//! - `set_label(node, ptr, len)`: replaces a node's label (`\n` starts a new line);
//! - `add_overlay(ptr, len)`: one [`Overlay`] as JSON (small metadata, so JSON is fine here).
//!
//! `pt_net` ([`Capability::NetworkAccess`]):
//! - `fetch(url_ptr, url_len, dst, cap) -> i32`: GET through the host, only to hosts on the
//!   manifest's allow-list. Returns the body length (copying at most `cap`), or a negative
//!   [`NetStatus`]. The host suspends the call while it fetches, so the page never blocks.
//!
//! `pt_fs` ([`Capability::FileSystemAccess`]): a private folder, never the real disk:
//! - `write(name_ptr, name_len, data_ptr, data_len) -> i32`: 0, or a negative [`FsStatus`];
//! - `read(name_ptr, name_len, dst, cap) -> i32`: the file's length (copying at most `cap`), or a negative [`FsStatus`].
//!
//! [`PluginError::BadPointer`]: crate::PluginError::BadPointer
//! [`Capability::ReadIsg`]: crate::Capability::ReadIsg
//! [`Capability::WriteVisualization`]: crate::Capability::WriteVisualization
//! [`Capability::NetworkAccess`]: crate::Capability::NetworkAccess
//! [`Capability::FileSystemAccess`]: crate::Capability::FileSystemAccess

use serde::{Deserialize, Serialize};

/// The ABI this host speaks.
pub const ABI_VERSION: u32 = 1;
/// Export returning the ABI version.
pub const EXPORT_ABI_VERSION: &str = "pt_abi_version";
/// Export running a plugin built before host API 1.2, whatever its kind.
pub const EXPORT_RUN: &str = "pt_run";
/// Export running a layout (host API 1.2).
pub const EXPORT_RUN_LAYOUT: &str = "pt_run_layout";
/// Export running a renderer (host API 1.2).
pub const EXPORT_RUN_RENDERER: &str = "pt_run_renderer";
/// Export running an analysis (host API 1.2).
pub const EXPORT_RUN_ANALYSIS: &str = "pt_run_analysis";
/// Export running an exporter (host API 1.2).
pub const EXPORT_RUN_EXPORTER: &str = "pt_run_exporter";
/// Bytes per [`NodeStyle`] record.
pub const NODE_STYLE_BYTES: usize = 12;
/// Bytes per [`EdgeStyle`] record.
pub const EDGE_STYLE_BYTES: usize = 8;

/// Node shapes a renderer may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u8)]
pub enum Shape {
    /// The default for functions.
    Circle = 0,
    /// Structs.
    Square = 1,
    /// Traits.
    Diamond = 2,
    /// Other kinds.
    Triangle = 3,
    /// A UML-style class box holding the node's label.
    Box = 4,
}

impl Shape {
    fn from_byte(b: u8) -> Option<Self> {
        Some(match b {
            0 => Self::Circle,
            1 => Self::Square,
            2 => Self::Diamond,
            3 => Self::Triangle,
            4 => Self::Box,
            _ => return None,
        })
    }
}

/// Per-node style: `u32` RGBA (R in the low byte), `f32` size in world units, `u8` shape, `u8` flags, 2 bytes zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NodeStyle {
    /// Colour, `0xAABBGGRR` read as little-endian `u32`.
    pub rgba: u32,
    /// Radius in world units; finite and ≥ 0.
    pub size: f32,
    /// Shape.
    pub shape: Shape,
    /// [`NodeStyle::HIDDEN`] and [`NodeStyle::HALO`] bits.
    pub flags: u8,
}

impl NodeStyle {
    /// Do not draw the node.
    pub const HIDDEN: u8 = 1;
    /// Draw a halo around the node.
    pub const HALO: u8 = 2;

    fn decode(b: &[u8]) -> Result<Self, String> {
        let size = f32::from_le_bytes([b[4], b[5], b[6], b[7]]);
        if !size.is_finite() || size < 0.0 {
            return Err(format!("node size {size} is not a finite non-negative number"));
        }
        let shape = Shape::from_byte(b[8]).ok_or_else(|| format!("unknown shape {}", b[8]))?;
        if b[9] & !(Self::HIDDEN | Self::HALO) != 0 {
            return Err(format!("unknown node style flags {:#04x}", b[9]));
        }
        Ok(Self { rgba: u32::from_le_bytes([b[0], b[1], b[2], b[3]]), size, shape, flags: b[9] })
    }
}

/// Per-edge style: `u32` RGBA and `f32` width in pixels; width 0 hides the edge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EdgeStyle {
    /// Colour, as in [`NodeStyle::rgba`].
    pub rgba: u32,
    /// Width in pixels; finite and ≥ 0.
    pub width: f32,
}

impl EdgeStyle {
    fn decode(b: &[u8]) -> Result<Self, String> {
        let width = f32::from_le_bytes([b[4], b[5], b[6], b[7]]);
        if !width.is_finite() || width < 0.0 {
            return Err(format!("edge width {width} is not a finite non-negative number"));
        }
        Ok(Self { rgba: u32::from_le_bytes([b[0], b[1], b[2], b[3]]), width })
    }
}

/// How an edge's line and head are drawn: one byte per edge, given by `set_edge_marks`.
pub struct EdgeMarks;

impl EdgeMarks {
    /// A dashed line.
    pub const DASHED: u8 = 1;
    /// An outlined arrowhead, as UML draws realisation.
    pub const HOLLOW_ARROW: u8 = 2;
    /// No arrowhead.
    pub const NO_ARROW: u8 = 4;
    /// Every defined bit.
    pub const ALL: u8 = Self::DASHED | Self::HOLLOW_ARROW | Self::NO_ARROW;
}

/// Checks `edge_count` edge mark bytes.
///
/// # Errors
/// The wrong number of bytes, or the first byte with an undefined bit, in words.
pub fn check_edge_marks(bytes: &[u8], edge_count: usize) -> Result<(), String> {
    if bytes.len() != edge_count {
        return Err(format!("{} edge marks for {edge_count} edges", bytes.len()));
    }
    match bytes.iter().position(|b| b & !EdgeMarks::ALL != 0) {
        Some(i) => Err(format!("edge {i}: unknown edge mark bits {:#04x}", bytes[i])),
        None => Ok(()),
    }
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
}

impl Overlay {
    /// Host memory the overlay's variable parts take (its node list and strings).
    pub(crate) fn footprint(&self) -> usize {
        match self {
            Self::Hull { nodes, color, label } => {
                nodes.capacity() * 4 + color.capacity() + label.as_ref().map_or(0, String::capacity)
            }
            Self::Annotation { text, .. } => text.capacity(),
        }
    }

    /// Parses one overlay and checks its node ids against `node_count`.
    pub(crate) fn decode(json: &[u8], node_count: usize) -> Result<Self, String> {
        let overlay: Self = serde_json::from_slice(json).map_err(|e| format!("overlay: {e}"))?;
        let ids: &[u32] = match &overlay {
            Self::Hull { nodes, color, .. } => {
                let hex = color
                    .strip_prefix('#')
                    .filter(|h| (h.len() == 6 || h.len() == 8) && h.bytes().all(|b| b.is_ascii_hexdigit()));
                if hex.is_none() {
                    return Err(format!("overlay colour {color:?} is not #rrggbb or #rrggbbaa"));
                }
                nodes
            }
            Self::Annotation { node, .. } => std::slice::from_ref(node),
        };
        check_node_ids(ids, node_count).map(|()| overlay)
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth a look.
    Warning,
    /// Worth fixing.
    Error,
}

impl Severity {
    pub(crate) fn from_i32(v: i32) -> Result<Self, String> {
        Ok(match v {
            0 => Self::Info,
            1 => Self::Warning,
            2 => Self::Error,
            _ => return Err(format!("unknown finding severity {v}")),
        })
    }
}

/// Result status of `pt_net.fetch`, returned negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum NetStatus {
    /// The URL's host is not on the allow-list.
    Denied = -1,
    /// The URL is not an `http(s)://host/...` URL.
    BadUrl = -2,
    /// The request failed (unreachable, CORS, HTTP error).
    Failed = -3,
}

/// Result status of `pt_fs` calls, returned negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum FsStatus {
    /// No file of that name.
    NotFound = -1,
    /// The write would exceed the plugin's storage quota (bytes, names and a per-file overhead)
    /// or its file count.
    QuotaExceeded = -2,
    /// The name is not 1–128 bytes of ASCII letters, digits, `-`, `_` and `.`, starts or ends
    /// with `.`, or is a device name Windows reserves (`CON`, `COM1`, …).
    BadName = -3,
}

pub(crate) fn check_node_ids(ids: &[u32], node_count: usize) -> Result<(), String> {
    match ids.iter().find(|&&id| id as usize >= node_count) {
        Some(id) => Err(format!("node id {id} is out of range (the graph has {node_count} nodes)")),
        None => Ok(()),
    }
}

pub(crate) fn decode_positions(bytes: &[u8], node_count: usize) -> Result<Vec<[f32; 2]>, String> {
    let positions: Vec<[f32; 2]> = bytes
        .chunks_exact(8)
        .map(|c| [f32::from_le_bytes([c[0], c[1], c[2], c[3]]), f32::from_le_bytes([c[4], c[5], c[6], c[7]])])
        .collect();
    if positions.len() != node_count {
        return Err(format!("{} positions for {node_count} nodes", positions.len()));
    }
    if let Some(i) = positions.iter().position(|p| !p[0].is_finite() || !p[1].is_finite()) {
        return Err(format!("position of node {i} is not finite: {:?}", positions[i]));
    }
    Ok(positions)
}

/// Decodes and checks `node_count` node style records.
///
/// # Errors
/// The wrong number of records, or the first bad record, in words.
pub fn decode_node_styles(bytes: &[u8], node_count: usize) -> Result<Vec<NodeStyle>, String> {
    decode_records(bytes, node_count, NODE_STYLE_BYTES, "node", NodeStyle::decode)
}

/// Decodes and checks `edge_count` edge style records.
///
/// # Errors
/// The wrong number of records, or the first bad record, in words.
pub fn decode_edge_styles(bytes: &[u8], edge_count: usize) -> Result<Vec<EdgeStyle>, String> {
    decode_records(bytes, edge_count, EDGE_STYLE_BYTES, "edge", EdgeStyle::decode)
}

/// Encodes node styles as the ABI's records, to pass them on compactly (a worker to the page).
#[must_use]
pub fn encode_node_styles(styles: &[NodeStyle]) -> Vec<u8> {
    let mut out = Vec::with_capacity(styles.len() * NODE_STYLE_BYTES);
    for s in styles {
        out.extend_from_slice(&s.rgba.to_le_bytes());
        out.extend_from_slice(&s.size.to_le_bytes());
        out.extend_from_slice(&[s.shape as u8, s.flags, 0, 0]);
    }
    out
}

/// Encodes edge styles as the ABI's records.
#[must_use]
pub fn encode_edge_styles(styles: &[EdgeStyle]) -> Vec<u8> {
    let mut out = Vec::with_capacity(styles.len() * EDGE_STYLE_BYTES);
    for s in styles {
        out.extend_from_slice(&s.rgba.to_le_bytes());
        out.extend_from_slice(&s.width.to_le_bytes());
    }
    out
}

/// Decodes `count` records of `size` bytes, one per `what` (node or edge), naming the first bad one.
fn decode_records<T>(
    bytes: &[u8],
    count: usize,
    size: usize,
    what: &str,
    decode: fn(&[u8]) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    if bytes.len() != count * size {
        return Err(format!("{} {what} styles for {count} {what}s", bytes.len() / size));
    }
    bytes.chunks_exact(size).enumerate().map(|(i, c)| decode(c).map_err(|e| format!("{what} {i}: {e}"))).collect()
}

pub(crate) fn decode_u32s(bytes: &[u8]) -> Vec<u32> {
    bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

pub(crate) fn decode_f32s(bytes: &[u8]) -> Vec<f32> {
    bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_must_match_count_and_be_finite() {
        let mut bytes = Vec::new();
        for v in [1.0f32, 2.0, 3.0, 4.0] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(decode_positions(&bytes, 2).unwrap(), vec![[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(decode_positions(&bytes, 3).unwrap_err(), "2 positions for 3 nodes");
        bytes[12..16].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(decode_positions(&bytes, 2).unwrap_err().contains("node 1 is not finite"));
    }

    #[test]
    fn styles_are_checked() {
        let mut rec = [0u8; NODE_STYLE_BYTES];
        rec[0..4].copy_from_slice(&0xff00_00ffu32.to_le_bytes());
        rec[4..8].copy_from_slice(&3.0f32.to_le_bytes());
        rec[8] = Shape::Diamond as u8;
        rec[9] = NodeStyle::HALO;
        let s = decode_node_styles(&rec, 1).unwrap();
        assert_eq!(s[0], NodeStyle { rgba: 0xff00_00ff, size: 3.0, shape: Shape::Diamond, flags: NodeStyle::HALO });
        rec[8] = 9;
        assert!(decode_node_styles(&rec, 1).unwrap_err().contains("unknown shape 9"));
        assert_eq!(check_edge_marks(&[0, EdgeMarks::DASHED | EdgeMarks::HOLLOW_ARROW], 2), Ok(()));
        assert_eq!(check_edge_marks(&[0, 8], 2).unwrap_err(), "edge 1: unknown edge mark bits 0x08");
        assert_eq!(check_edge_marks(&[0], 2).unwrap_err(), "1 edge marks for 2 edges");
        assert!(decode_edge_styles(&[0; 8], 2).is_err());
        assert_eq!(
            decode_node_styles(&encode_node_styles(&s), 1).unwrap(),
            s,
            "styles pass through the page unchanged"
        );
        let e = decode_edge_styles(&encode_edge_styles(&[EdgeStyle { rgba: 7, width: 2.5 }]), 1).unwrap();
        assert_eq!(e, vec![EdgeStyle { rgba: 7, width: 2.5 }]);
        let mut e = [0u8; 8];
        e[4..8].copy_from_slice(&f32::INFINITY.to_le_bytes());
        assert!(decode_edge_styles(&e, 1).is_err());
    }

    #[test]
    fn overlays_are_strict() {
        assert!(Overlay::decode(br##"{"type":"hull","nodes":[0,1],"color":"#ff0000"}"##, 2).is_ok());
        assert!(
            Overlay::decode(br##"{"type":"hull","nodes":[0,5],"color":"#ff0000"}"##, 2)
                .unwrap_err()
                .contains("node id 5")
        );
        assert!(Overlay::decode(br##"{"type":"hull","nodes":[],"color":"red"}"##, 2).is_err());
        assert!(
            Overlay::decode(br#"{"type":"annotation","node":0,"text":"x","extra":1}"#, 2)
                .unwrap_err()
                .contains("extra")
        );
        assert!(Overlay::decode(b"{", 2).is_err());
    }
}
