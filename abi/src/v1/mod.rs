//! Plugin ABI version 1: how host and plugin talk over linear memory.
//!
//! # Exports a plugin must provide
//! | export | signature | meaning |
//! |---|---|---|
//! | `memory` | memory | the plugin's linear memory (one, 32-bit) |
//! | [`EXPORT_ABI_VERSION`] | `() -> i32` | returns [`ABI_VERSION`]; checked before anything else runs |
//! | `pt_run_layout`, `pt_run_renderer`, `pt_run_analysis` or `pt_run_exporter` ([`entry_point`]) | `() -> i32` | runs the plugin once; `0` is success, anything else failure (message via `pt_core.fail`). The name says the plugin's kind, which must be the kind its `plugin.toml` declares (host API 1.2) |
//! | [`EXPORT_RUN`] | `() -> i32` | the entry point of plugins built before host API 1.2, whose kind the module does not state |
//!
//! A module exports exactly one entry point.
//!
//! # Imports the host provides
//! [`HOST_FUNCTIONS`] lists every one with its module and signature. Pointers are `i32` offsets
//! into the plugin's memory; lengths are byte counts unless a name says `count`. Every range is
//! bounds-checked by the host; a bad range stops the call.
//!
//! `pt_core` (always linked):
//! - `log(level, ptr, len)`: 0 debug, 1 info, 2 warn, 3 error. Lines past the policy cap are counted, not kept.
//! - `progress(done, total)`: shown as a progress bar.
//! - `fail(ptr, len)`: the message reported when the entry point returns non-zero.
//! - `params_len() -> i32`, `params_read(dst, cap) -> i32`: the checked parameters as a JSON object.
//! - `emit_finding(severity, nodes_ptr, nodes_count, msg_ptr, msg_len)`: analysis output ([`Severity`]).
//! - `mark_finding_edges(edges_ptr, count)`: `count` × `u32` edge ids (indices in `read_edges`'
//!   order) the finding emitted last is about, such as the dependencies to cut to break a tangle;
//!   the app draws them in a warning colour when the finding is shown (host API 1.5).
//! - `emit_metric(name_ptr, name_len, values_ptr, count)`: one `f32` per node, a column of the metric table.
//! - `emit_file(name_ptr, name_len, mime_ptr, mime_len, data_ptr, data_len)`: export output. The
//!   host makes the name safe and chooses the MIME type from the name's extension; the plugin's
//!   MIME type is ignored.
//!
//! `pt_isg` (capability `read_isg`): compact little-endian arrays, copied in ranges so a plugin
//! never needs the whole graph at once:
//! - `node_count() -> i32`, `edge_count() -> i32`;
//! - `read_edges(dst, first, count) -> i32`: `count` × (`u32` from, `u32` to); returns edges written;
//! - `read_edge_kinds(dst, first, count) -> i32`: one `u8` per edge;
//! - `read_node_kinds(dst, first, count) -> i32`: one `u16` per node;
//! - `read_node_flags(dst, first, count) -> i32`: one `u8` per node, bit 0 = external placeholder;
//! - `read_node_modules(dst, first, count) -> i32`: one `u32` module id per node;
//! - `node_kind_name`, `edge_kind_name`, `node_name`, `node_file`, `node_signature`
//!   `(id, dst, cap) -> i32`: UTF-8; return the full length (copying at most `cap`), or −1 for an
//!   unknown id;
//! - `selected_node() -> i32`: the node selected in the app, or −1.
//! - `read_positions(dst, first, count) -> i32`: the positions on screen when the plugin runs
//!   (`count` × two little-endian `f32`), for exporters that keep the picture (GEXF, Cytoscape.js);
//!   returns positions written, or −1 when there are none (the command line) (host API 1.5).
//! - `read_view_flags(dst, first, count) -> i32`: one `u8` per node, [`VIEW_SHOWN`] when it is
//!   drawn (not filtered out, hidden or outside the focus) and [`VIEW_SELECTED`] when it is
//!   selected, so an exporter can export what the user sees or selected; returns flags written, or
//!   −1 when there are none (host API 1.5).
//!
//! `pt_viz` (capability `write_visualization`); each may be called again to replace what it set,
//! which is how a progressive layout shows intermediate positions:
//! - `set_positions(ptr, count)`: `count` = node count × [`POSITION_BYTES`] (two finite `f32`);
//! - `set_node_styles(ptr, count)`: `count` = node count × [`NodeStyle`] ([`NODE_STYLE_BYTES`] bytes);
//! - `set_edge_styles(ptr, count)`: `count` = edge count × [`EdgeStyle`] ([`EDGE_STYLE_BYTES`] bytes);
//! - `set_edge_marks(ptr, count)`: `count` = edge count bytes of [`EdgeMarks`] (host API 1.1);
//! - `set_label(node, ptr, len)`: replaces a node's label (`\n` starts a new line);
//! - `add_overlay(ptr, len)`: one overlay as JSON (small metadata, so JSON is fine here);
//! - `set_edge_routes(ptr, len)`: bends for some edges, drawn as polylines (host API 1.4; the
//!   encoding is in [`encode_edge_routes`]); layouts only, replacing routes set before.
//!
//! `pt_net` (capability `network_access`):
//! - `fetch(url_ptr, url_len, dst, cap) -> i32`: GET through the host, only to hosts on the
//!   manifest's allow-list. Returns the body length (copying at most `cap`), or a negative
//!   [`NetStatus`]. The host suspends the call while it fetches.
//!
//! `pt_fs` (capability `file_system_access`): a private folder, never the real disk:
//! - `write(name_ptr, name_len, data_ptr, data_len) -> i32`: 0, or a negative [`FsStatus`];
//! - `read(name_ptr, name_len, dst, cap) -> i32`: the file's length (copying at most `cap`), or a
//!   negative [`FsStatus`].
//!
//! Every host function pays for its work in fuel, and everything a call produces counts against
//! the output cap by its footprint in host memory.

mod look;
pub mod metric_names;
mod records;
mod routes;
mod status;

pub use look::{EXTERNAL_RGBA, WARNING_RGBA, edge_kind_rgba, node_kind_rgba, node_kind_shape, node_radius};
pub use records::{
    EDGE_STYLE_BYTES, EdgeMarks, EdgeStyle, NODE_STYLE_BYTES, NodeStyle, POSITION_BYTES, Record, RecordError,
    RecordProblem, Records, Shape, check_edge_marks, check_node_ids, decode_edge_styles, decode_f32s,
    decode_node_styles, decode_positions, decode_u32s, encode_edge_styles, encode_node_styles, encode_positions,
};
pub use routes::{
    EdgeRoute, MAX_BENDS, RouteError, check_edge_route_bytes, check_edge_routes, decode_edge_routes, encode_edge_routes,
};
pub use status::{FsStatus, NetStatus, Severity};

/// `read_view_flags` bit: the node is drawn.
pub const VIEW_SHOWN: u8 = 1;
/// `read_view_flags` bit: the node is selected.
pub const VIEW_SELECTED: u8 = 2;

/// The ABI this crate describes.
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

/// The manifest kind names, each with its entry point: `(kind, export)`.
pub const KIND_ENTRY_POINTS: [(&str, &str); 4] = [
    ("layout", EXPORT_RUN_LAYOUT),
    ("renderer", EXPORT_RUN_RENDERER),
    ("analysis", EXPORT_RUN_ANALYSIS),
    ("exporter", EXPORT_RUN_EXPORTER),
];

/// The entry point of the manifest kind `kind` (`"layout"`, …).
#[must_use]
pub fn entry_point(kind: &str) -> Option<&'static str> {
    KIND_ENTRY_POINTS.iter().find(|(k, _)| *k == kind).map(|(_, e)| *e)
}

/// The import module every plugin gets.
pub const MODULE_CORE: &str = "pt_core";
/// The import module of capability `read_isg`.
pub const MODULE_ISG: &str = "pt_isg";
/// The import module of capability `write_visualization`.
pub const MODULE_VIZ: &str = "pt_viz";
/// The import module of capability `network_access`.
pub const MODULE_NET: &str = "pt_net";
/// The import module of capability `file_system_access`.
pub const MODULE_FS: &str = "pt_fs";

/// One host function: where it is imported from and its signature. Every parameter is an `i32`,
/// and so is the result when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostFunction {
    /// Import module.
    pub module: &'static str,
    /// Function name.
    pub name: &'static str,
    /// Number of `i32` parameters.
    pub params: usize,
    /// Whether it returns an `i32`.
    pub returns: bool,
}

const fn f(module: &'static str, name: &'static str, params: usize, returns: bool) -> HostFunction {
    HostFunction { module, name, params, returns }
}

/// Every host function. The index is the host's audit counter slot.
pub const HOST_FUNCTIONS: &[HostFunction] = &[
    f(MODULE_CORE, "log", 3, false),
    f(MODULE_CORE, "progress", 2, false),
    f(MODULE_CORE, "fail", 2, false),
    f(MODULE_CORE, "params_len", 0, true),
    f(MODULE_CORE, "params_read", 2, true),
    f(MODULE_CORE, "emit_finding", 5, false),
    f(MODULE_CORE, "emit_metric", 4, false),
    f(MODULE_CORE, "emit_file", 6, false),
    f(MODULE_CORE, "mark_finding_edges", 2, false),
    f(MODULE_ISG, "node_count", 0, true),
    f(MODULE_ISG, "edge_count", 0, true),
    f(MODULE_ISG, "read_edges", 3, true),
    f(MODULE_ISG, "read_edge_kinds", 3, true),
    f(MODULE_ISG, "read_node_kinds", 3, true),
    f(MODULE_ISG, "read_node_flags", 3, true),
    f(MODULE_ISG, "read_node_modules", 3, true),
    f(MODULE_ISG, "node_kind_name", 3, true),
    f(MODULE_ISG, "edge_kind_name", 3, true),
    f(MODULE_ISG, "node_name", 3, true),
    f(MODULE_ISG, "node_file", 3, true),
    f(MODULE_ISG, "node_signature", 3, true),
    f(MODULE_ISG, "selected_node", 0, true),
    f(MODULE_ISG, "read_positions", 3, true),
    f(MODULE_ISG, "read_view_flags", 3, true),
    f(MODULE_VIZ, "set_positions", 2, false),
    f(MODULE_VIZ, "set_node_styles", 2, false),
    f(MODULE_VIZ, "set_edge_styles", 2, false),
    f(MODULE_VIZ, "set_edge_marks", 2, false),
    f(MODULE_VIZ, "set_label", 3, false),
    f(MODULE_VIZ, "add_overlay", 2, false),
    f(MODULE_VIZ, "set_edge_routes", 2, false),
    f(MODULE_NET, "fetch", 4, true),
    f(MODULE_FS, "write", 4, true),
    f(MODULE_FS, "read", 4, true),
];

/// The slot of `module.name` in [`HOST_FUNCTIONS`].
#[must_use]
pub fn host_function_index(module: &str, name: &str) -> Option<usize> {
    HOST_FUNCTIONS.iter().position(|h| h.module == module && h.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for (i, h) in HOST_FUNCTIONS.iter().enumerate() {
            assert_eq!(host_function_index(h.module, h.name), Some(i), "{}.{}", h.module, h.name);
        }
        for (kind, export) in KIND_ENTRY_POINTS {
            assert_eq!(entry_point(kind), Some(export));
            assert!(export.ends_with(kind));
        }
        assert_eq!(entry_point("export"), None);
    }
}
