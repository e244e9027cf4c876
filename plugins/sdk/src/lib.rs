//! # pt-plugin-sdk — Parseltongue Studio plugins in plain Rust
//!
//! A plugin is a `cdylib` built for `wasm32-unknown-unknown`. Write one function and export it
//! with the macro for its kind:
//!
//! ```ignore
//! use pt_plugin_sdk::{Graph, Params, Positions};
//!
//! fn layout(graph: &Graph, params: &Params) -> Positions {
//!     let r = params.f64("radius") as f32;
//!     (0..graph.node_count()).map(|i| [r * i as f32, 0.0]).collect()
//! }
//! pt_plugin_sdk::layout!(layout);
//! ```
//!
//! Each macro goes with the manifest kind of the same name (`kind = "layout"` with [`layout!`],
//! `"renderer"` with [`renderer!`], `"analysis"` with [`analysis!`], `"exporter"` with
//! [`exporter!`]). It exports `pt_abi_version` and the kind's entry point (`pt_run_layout`, …;
//! plugin ABI 1, host API 1.2; see `plugin_host::abi` for the wire format), so the host can refuse a
//! module whose kind differs from its manifest's. It installs a panic hook that reports the panic message to the host, read the
//! parameters and hand the result back through the host functions. Everything else here wraps a
//! host function. Host functions a plugin never calls are not imported, so it needs only the
//! capabilities it really uses.

use std::cell::OnceCell;

pub use pt_abi as abi;
pub use pt_abi::{
    EXTERNAL_RGBA, EdgeMarks, EdgeRoute, EdgeStyle, NodeStyle, Severity, Shape, edge_kind_rgba, node_kind_rgba,
    node_kind_shape, node_radius,
};
use serde_json::Map;
/// A JSON value (overlays are JSON objects).
pub use serde_json::Value;

/// The plugin ABI this SDK speaks, as `pt_abi_version` returns it.
pub const ABI_VERSION: i32 = pt_abi::ABI_VERSION as i32;

/// Raw imports. Prefer the safe wrappers. The names and signatures are those of
/// `pt_abi::HOST_FUNCTIONS` (a host test checks that they agree; `#[link]` needs literal names).
#[allow(missing_docs)]
pub mod raw {
    #[link(wasm_import_module = "pt_core")]
    unsafe extern "C" {
        pub fn log(level: i32, ptr: *const u8, len: usize);
        pub fn progress(done: i32, total: i32);
        pub fn fail(ptr: *const u8, len: usize);
        pub fn params_len() -> i32;
        pub fn params_read(dst: *mut u8, cap: usize) -> i32;
        pub fn emit_finding(severity: i32, nodes: *const u32, count: usize, msg: *const u8, msg_len: usize);
        pub fn mark_finding_edges(edges: *const u32, count: usize);
        pub fn emit_metric(name: *const u8, name_len: usize, values: *const f32, count: usize);
        pub fn emit_file(
            name: *const u8,
            name_len: usize,
            mime: *const u8,
            mime_len: usize,
            data: *const u8,
            data_len: usize,
        );
    }
    #[link(wasm_import_module = "pt_isg")]
    unsafe extern "C" {
        pub fn node_count() -> i32;
        pub fn edge_count() -> i32;
        pub fn read_edges(dst: *mut u32, first: u32, count: u32) -> i32;
        pub fn read_edge_kinds(dst: *mut u8, first: u32, count: u32) -> i32;
        pub fn read_node_kinds(dst: *mut u16, first: u32, count: u32) -> i32;
        pub fn read_node_flags(dst: *mut u8, first: u32, count: u32) -> i32;
        pub fn read_node_modules(dst: *mut u32, first: u32, count: u32) -> i32;
        pub fn node_kind_name(kind: i32, dst: *mut u8, cap: usize) -> i32;
        pub fn edge_kind_name(kind: i32, dst: *mut u8, cap: usize) -> i32;
        pub fn node_name(node: i32, dst: *mut u8, cap: usize) -> i32;
        pub fn node_file(node: i32, dst: *mut u8, cap: usize) -> i32;
        pub fn node_signature(node: i32, dst: *mut u8, cap: usize) -> i32;
        pub fn selected_node() -> i32;
        pub fn read_positions(dst: *mut [f32; 2], first: u32, count: u32) -> i32;
        pub fn read_view_flags(dst: *mut u8, first: u32, count: u32) -> i32;
    }
    #[link(wasm_import_module = "pt_viz")]
    unsafe extern "C" {
        pub fn set_positions(ptr: *const [f32; 2], count: usize);
        pub fn set_node_styles(ptr: *const u8, count: usize);
        pub fn set_edge_styles(ptr: *const u8, count: usize);
        pub fn set_edge_marks(ptr: *const u8, count: usize);
        pub fn set_label(node: u32, ptr: *const u8, len: usize);
        pub fn add_overlay(ptr: *const u8, len: usize);
        pub fn set_edge_routes(ptr: *const u8, len: usize);
    }
    #[link(wasm_import_module = "pt_net")]
    unsafe extern "C" {
        pub fn fetch(url: *const u8, url_len: usize, dst: *mut u8, cap: usize) -> i32;
    }
    #[link(wasm_import_module = "pt_fs")]
    unsafe extern "C" {
        pub fn write(name: *const u8, name_len: usize, data: *const u8, data_len: usize) -> i32;
        pub fn read(name: *const u8, name_len: usize, dst: *mut u8, cap: usize) -> i32;
    }
}

/// Writes a log line the app shows in the plugin panel (0 debug, 1 info, 2 warn, 3 error).
pub fn log(level: i32, message: &str) {
    // SAFETY: the pointer and length describe a live &str.
    unsafe { raw::log(level, message.as_ptr(), message.len()) }
}

/// Reports progress; the app draws a progress bar.
pub fn progress(done: u32, total: u32) {
    // SAFETY: plain integers.
    unsafe { raw::progress(done as i32, total as i32) }
}

/// Sets the failure message reported when the plugin returns an error or panics.
pub fn set_failure(message: &str) {
    // SAFETY: the pointer and length describe a live &str.
    unsafe { raw::fail(message.as_ptr(), message.len()) }
}

/// Chunk size for bulk reads: big enough to amortise the host call, small enough to bound each copy.
const CHUNK: u32 = 1 << 16;

/// Reads a whole per-node or per-edge array in chunks.
/// `read(dst, first, count)` copies records `first..first + count` to `dst` and returns how many it copied.
fn read_all<T: Copy + Default>(len: usize, read: impl Fn(*mut T, u32, u32) -> i32) -> Vec<T> {
    let mut out = vec![T::default(); len];
    let mut first = 0u32;
    while (first as usize) < len {
        let count = CHUNK.min((len - first as usize) as u32);
        // SAFETY: `first < len`, so the offset pointer stays inside `out`, which has room for `count` records.
        let got = read(unsafe { out.as_mut_ptr().add(first as usize) }, first, count);
        if got <= 0 {
            break;
        }
        first += got as u32;
    }
    out
}

/// Reads a buffer the host fills with the length-then-copy convention: `read(dst, cap)` copies at
/// most `cap` bytes and returns the full length, or a negative status, which is passed on.
fn read_growing(initial: usize, read: impl Fn(*mut u8, usize) -> i32) -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; initial];
    loop {
        let len = read(buf.as_mut_ptr(), buf.len());
        if len < 0 {
            return Err(len);
        }
        let len = len as usize;
        if len <= buf.len() {
            buf.truncate(len);
            return Ok(buf);
        }
        buf.resize(len, 0);
    }
}

/// Reads a node's (or kind's) string. Texts are read one call each, so the buffer they land in
/// is kept between calls: a fresh zeroed buffer per name cost more than the copy itself.
fn read_string(id: i32, read: unsafe extern "C" fn(i32, *mut u8, usize) -> i32) -> Option<String> {
    thread_local! {
        static SCRATCH: core::cell::RefCell<Vec<u8>> = core::cell::RefCell::new(vec![0u8; 1024]);
    }
    SCRATCH.with_borrow_mut(|buf| {
        loop {
            // SAFETY: the host writes at most `cap` bytes into `buf`.
            let len = unsafe { read(id, buf.as_mut_ptr(), buf.len()) };
            let len = usize::try_from(len).ok()?;
            if len <= buf.len() {
                let bytes = &buf[..len];
                return Some(match core::str::from_utf8(bytes) {
                    Ok(text) => text.to_owned(),
                    Err(_) => String::from_utf8_lossy(bytes).into_owned(),
                });
            }
            buf.resize(len, 0);
        }
    })
}

/// The loaded graph, read from the host on demand (needs `read_isg`).
#[derive(Default)]
pub struct Graph {
    edges: OnceCell<Vec<[u32; 2]>>,
    positions: OnceCell<Option<Vec<[f32; 2]>>>,
    view_flags: OnceCell<Option<Vec<u8>>>,
    edge_kinds: OnceCell<Vec<u8>>,
    node_kinds: OnceCell<Vec<u16>>,
    node_modules: OnceCell<Vec<u32>>,
    node_flags: OnceCell<Vec<u8>>,
}

impl Graph {
    /// Number of nodes; node ids are `0..node_count()`.
    pub fn node_count(&self) -> usize {
        // SAFETY: no arguments.
        unsafe { raw::node_count() as usize }
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        // SAFETY: no arguments.
        unsafe { raw::edge_count() as usize }
    }

    /// Every edge as `[from, to]`, in the host's edge order (the order edge styles use).
    pub fn edges(&self) -> &[[u32; 2]] {
        self.edges.get_or_init(|| {
            let flat = read_all::<u32>(self.edge_count() * 2, |dst, first, count| {
                // SAFETY: `dst` has room for `count` u32s, i.e. `count / 2` edges (both are even).
                unsafe { raw::read_edges(dst, first / 2, count / 2) * 2 }
            });
            flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect()
        })
    }

    /// The kind index of every edge; names via [`Graph::edge_kind_name`].
    pub fn edge_kinds(&self) -> &[u8] {
        self.edge_kinds.get_or_init(|| {
            // SAFETY (all bulk reads): `dst` has room for `count` records.
            read_all(self.edge_count(), |dst, first, count| unsafe { raw::read_edge_kinds(dst, first, count) })
        })
    }

    /// The kind index of every node; names via [`Graph::node_kind_name`].
    pub fn node_kinds(&self) -> &[u16] {
        self.node_kinds.get_or_init(|| {
            read_all(self.node_count(), |dst, first, count| unsafe { raw::read_node_kinds(dst, first, count) })
        })
    }

    /// The module (folder) id of every node.
    pub fn node_modules(&self) -> &[u32] {
        self.node_modules.get_or_init(|| {
            read_all(self.node_count(), |dst, first, count| unsafe { raw::read_node_modules(dst, first, count) })
        })
    }

    /// Whether each node is an external placeholder (a callee outside the export).
    pub fn node_is_external(&self) -> &[u8] {
        self.node_flags.get_or_init(|| {
            read_all(self.node_count(), |dst, first, count| unsafe { raw::read_node_flags(dst, first, count) })
        })
    }

    /// A node's name.
    pub fn node_name(&self, node: u32) -> String {
        read_string(node as i32, raw::node_name).unwrap_or_default()
    }

    /// The name of every node kind the graph uses, by kind id (up to the largest id in
    /// [`Graph::node_kinds`]): one host call per kind, not per node.
    pub fn node_kind_names(&self) -> Vec<String> {
        (0..=self.node_kinds().iter().copied().max().unwrap_or(0)).map(|k| self.node_kind_name(k)).collect()
    }

    /// The name of every edge kind the graph uses, by kind id (up to the largest id in
    /// [`Graph::edge_kinds`]).
    pub fn edge_kind_names(&self) -> Vec<String> {
        (0..=self.edge_kinds().iter().copied().max().unwrap_or(0)).map(|k| self.edge_kind_name(k)).collect()
    }

    /// The positions on screen when the plugin runs, one per node (host API 1.5), for exporters
    /// that keep the picture; `None` where there are none (the command line).
    pub fn positions(&self) -> Option<&[[f32; 2]]> {
        self.positions
            .get_or_init(|| {
                let n = self.node_count();
                let mut out = vec![[0.0f32; 2]; n];
                // SAFETY: `out` holds `n` positions, as many as asked for.
                let got = unsafe { raw::read_positions(out.as_mut_ptr(), 0, n as u32) };
                (got >= 0 && got as usize == n).then_some(out)
            })
            .as_deref()
    }

    /// What is drawn and selected on screen when the plugin runs, one byte per node
    /// ([`abi::VIEW_SHOWN`], [`abi::VIEW_SELECTED`]; host API 1.5); `None` where there is no
    /// screen (the command line).
    pub fn view_flags(&self) -> Option<&[u8]> {
        self.view_flags
            .get_or_init(|| {
                let n = self.node_count();
                let mut out = vec![0u8; n];
                // SAFETY: `out` holds `n` bytes, as many as asked for.
                let got = unsafe { raw::read_view_flags(out.as_mut_ptr(), 0, n as u32) };
                (got >= 0 && got as usize == n).then_some(out)
            })
            .as_deref()
    }

    /// A node's file path.
    pub fn node_file(&self, node: u32) -> String {
        read_string(node as i32, raw::node_file).unwrap_or_default()
    }

    /// A node's signature.
    pub fn node_signature(&self, node: u32) -> String {
        read_string(node as i32, raw::node_signature).unwrap_or_default()
    }

    /// The name of a node kind index, e.g. `Function`.
    pub fn node_kind_name(&self, kind: u16) -> String {
        read_string(i32::from(kind), raw::node_kind_name).unwrap_or_default()
    }

    /// The name of an edge kind index, e.g. `Calls`.
    pub fn edge_kind_name(&self, kind: u8) -> String {
        read_string(i32::from(kind), raw::edge_kind_name).unwrap_or_default()
    }

    /// The node selected in the app, if any.
    pub fn selected(&self) -> Option<u32> {
        // SAFETY: no arguments.
        u32::try_from(unsafe { raw::selected_node() }).ok()
    }
}

/// The parameters, already checked against the manifest's schema with defaults filled in. They are
/// read from the host on first use, so a plugin that takes none pays nothing.
#[derive(Default)]
pub struct Params(OnceCell<Map<String, Value>>);

impl Params {
    fn map(&self) -> &Map<String, Value> {
        self.0.get_or_init(|| {
            // SAFETY: no arguments.
            let len = unsafe { raw::params_len() }.max(0) as usize;
            let mut buf = vec![0u8; len];
            // SAFETY: the host writes at most `len` bytes into `buf`.
            unsafe { raw::params_read(buf.as_mut_ptr(), len) };
            serde_json::from_slice(&buf).unwrap_or_default()
        })
    }

    /// A number parameter (0 when absent, which the schema prevents).
    pub fn f64(&self, name: &str) -> f64 {
        self.map().get(name).and_then(Value::as_f64).unwrap_or(0.0)
    }

    /// An integer parameter.
    pub fn i64(&self, name: &str) -> i64 {
        self.map().get(name).and_then(Value::as_i64).unwrap_or(0)
    }

    /// A boolean parameter.
    pub fn bool(&self, name: &str) -> bool {
        self.map().get(name).and_then(Value::as_bool).unwrap_or(false)
    }

    /// A choice parameter.
    pub fn str(&self, name: &str) -> &str {
        self.map().get(name).and_then(Value::as_str).unwrap_or("")
    }
}

/// One position per node, `[x, y]`.
pub type Positions = Vec<[f32; 2]>;

/// Publishes intermediate positions of a progressive layout; the app animates to them.
pub fn publish_positions(positions: &[[f32; 2]]) {
    // SAFETY: the pointer and count describe a live slice.
    unsafe { raw::set_positions(positions.as_ptr(), positions.len()) }
}

/// Sends bends for some edges with the layout's positions: the app draws those edges as
/// polylines through them once the layout is in place. Needs host API 1.4.
pub fn publish_edge_routes(routes: &[EdgeRoute]) {
    let bytes = pt_abi::encode_edge_routes(routes);
    // SAFETY: the pointer and length describe a live buffer.
    unsafe { raw::set_edge_routes(bytes.as_ptr(), bytes.len()) }
}

/// What a renderer returns.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Styles {
    /// One per node.
    pub nodes: Vec<NodeStyle>,
    /// One per edge in [`Graph::edges`] order, or none to keep the default edge look.
    pub edges: Option<Vec<EdgeStyle>>,
    /// [`EdgeMarks`] bits per edge in [`Graph::edges`] order, or none for solid lines with filled
    /// arrowheads. Needs host API 1.1.
    pub edge_marks: Option<Vec<u8>>,
    /// `(node, label)` replacements.
    pub labels: Vec<(u32, String)>,
    /// Overlays as JSON objects, e.g. `{"type":"hull","nodes":[1,2],"color":"#ff000040"}`.
    pub overlays: Vec<Value>,
}

/// One line of the renderer's legend: what `rgba` means, shown with `swatch` (one of
/// `"circle"`, `"square"`, `"diamond"`, `"triangle"`, `"box"`, `"line"`, `"dashed"`, `"area"`).
/// Push it onto [`Styles::overlays`]; needs host API 1.3.
#[must_use]
pub fn legend_entry(rgba: [u8; 4], label: &str, swatch: &str) -> Value {
    let [r, g, b, a] = rgba;
    serde_json::json!({
        "type": "legend",
        "color": format!("#{r:02x}{g:02x}{b:02x}{a:02x}"),
        "label": label,
        "swatch": swatch,
    })
}

/// Sends styles to the host.
pub fn publish_styles(styles: &Styles) {
    let bytes = pt_abi::encode_node_styles(&styles.nodes);
    // SAFETY: one node style record per node, as the count says.
    unsafe { raw::set_node_styles(bytes.as_ptr(), styles.nodes.len()) };
    if let Some(edges) = &styles.edges {
        let bytes = pt_abi::encode_edge_styles(edges);
        // SAFETY: one edge style record per edge, as the count says.
        unsafe { raw::set_edge_styles(bytes.as_ptr(), edges.len()) };
    }
    if let Some(marks) = &styles.edge_marks {
        // SAFETY: one byte per edge, as the count says.
        unsafe { raw::set_edge_marks(marks.as_ptr(), marks.len()) };
    }
    for (node, label) in &styles.labels {
        // SAFETY: the pointer and length describe a live String.
        unsafe { raw::set_label(*node, label.as_ptr(), label.len()) };
    }
    for overlay in &styles.overlays {
        let json = overlay.to_string();
        // SAFETY: as above.
        unsafe { raw::add_overlay(json.as_ptr(), json.len()) };
    }
}

/// What an analysis returns.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Analysis {
    /// `(severity, nodes, message)`.
    pub findings: Vec<(Severity, Vec<u32>, String)>,
    /// `(column name, one value per node)`.
    pub metrics: Vec<(String, Vec<f32>)>,
    /// The edges a finding is about, by the finding's index in `findings` (edge ids in
    /// [`Graph::edges`]' order), such as the dependencies to cut to break a tangle. Needs host
    /// API 1.5: say `host_api = "^1.5"` in `plugin.toml` when you use it.
    pub finding_edges: std::collections::BTreeMap<usize, Vec<u32>>,
}

/// Sends an analysis to the host.
pub fn publish_analysis(analysis: &Analysis) {
    for (i, (severity, nodes, message)) in analysis.findings.iter().enumerate() {
        // SAFETY: pointers and lengths describe live values.
        unsafe { raw::emit_finding(*severity as i32, nodes.as_ptr(), nodes.len(), message.as_ptr(), message.len()) };
        if let Some(edges) = analysis.finding_edges.get(&i).filter(|e| !e.is_empty()) {
            // SAFETY: as above.
            unsafe { raw::mark_finding_edges(edges.as_ptr(), edges.len()) };
        }
    }
    for (name, values) in &analysis.metrics {
        // SAFETY: as above.
        unsafe { raw::emit_metric(name.as_ptr(), name.len(), values.as_ptr(), values.len()) };
    }
}

/// What an exporter returns.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// File name with the extension of its format (`graph.dot`, `findings.sarif`). The host keeps
    /// letters, digits, `-`, `_` and `.`, and chooses the MIME type from the extension; the app
    /// offers the file only as a download.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Sends a file to the host.
pub fn publish_file(file: &ExportFile) {
    let (n, b) = (&file.name, &file.bytes);
    // SAFETY: pointers and lengths describe live values; the MIME type is left empty (the host
    // chooses it).
    unsafe { raw::emit_file(n.as_ptr(), n.len(), n.as_ptr(), 0, b.as_ptr(), b.len()) }
}

/// Why a fetch failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchError {
    /// The host is not on the manifest's allow-list.
    Denied,
    /// Not an http(s) URL.
    BadUrl,
    /// Unreachable, CORS, or an HTTP error.
    Failed,
}

/// GETs a URL through the host (needs `network_access` and the host on `[network] allow`).
///
/// # Errors
/// [`FetchError`] from the host's status.
pub fn fetch(url: &str) -> Result<Vec<u8>, FetchError> {
    // SAFETY: the host writes at most `cap` bytes into the buffer `read_growing` hands it.
    read_growing(64 << 10, |dst, cap| unsafe { raw::fetch(url.as_ptr(), url.len(), dst, cap) }).map_err(|status| {
        match pt_abi::NetStatus::from_code(status) {
            Some(pt_abi::NetStatus::Denied) => FetchError::Denied,
            Some(pt_abi::NetStatus::BadUrl) => FetchError::BadUrl,
            _ => FetchError::Failed,
        }
    })
}

/// The plugin's private folder (needs `file_system_access`).
pub mod folder {
    /// Reads a file; `None` when it does not exist.
    pub fn read(name: &str) -> Option<Vec<u8>> {
        // SAFETY: the host writes at most `cap` bytes into the buffer `read_growing` hands it.
        super::read_growing(4096, |dst, cap| unsafe { super::raw::read(name.as_ptr(), name.len(), dst, cap) }).ok()
    }

    /// Writes a file; `false` when the name is bad or the quota is full.
    pub fn write(name: &str, data: &[u8]) -> bool {
        // SAFETY: pointers and lengths describe live values.
        unsafe { super::raw::write(name.as_ptr(), name.len(), data.as_ptr(), data.len()) == 0 }
    }
}

/// Reports panics to the host before the abort turns them into a trap (installed once per instance).
#[doc(hidden)]
pub fn install_panic_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| std::panic::set_hook(Box::new(|info| set_failure(&info.to_string()))));
}

/// Exports a layout (`kind = "layout"`): `fn(&Graph, &Params) -> Positions`.
#[macro_export]
macro_rules! layout {
    ($f:path) => {
        $crate::__export!(pt_run_layout, |g, p| $crate::publish_positions(&$f(g, p)));
    };
}

/// Exports a renderer (`kind = "renderer"`): `fn(&Graph, &Params) -> Styles`.
#[macro_export]
macro_rules! renderer {
    ($f:path) => {
        $crate::__export!(pt_run_renderer, |g, p| $crate::publish_styles(&$f(g, p)));
    };
}

/// Exports an analysis (`kind = "analysis"`): `fn(&Graph, &Params) -> Analysis`.
#[macro_export]
macro_rules! analysis {
    ($f:path) => {
        $crate::__export!(pt_run_analysis, |g, p| $crate::publish_analysis(&$f(g, p)));
    };
}

/// Exports an exporter (`kind = "exporter"`): `fn(&Graph, &Params) -> ExportFile`.
#[macro_export]
macro_rules! exporter {
    ($f:path) => {
        $crate::__export!(pt_run_exporter, |g, p| $crate::publish_file(&$f(g, p)));
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __export {
    ($entry:ident, $body:expr) => {
        /// Plugin ABI version.
        #[unsafe(no_mangle)]
        pub extern "C" fn pt_abi_version() -> i32 {
            $crate::ABI_VERSION
        }

        /// Runs the plugin once; the name tells the host the plugin's kind.
        #[unsafe(no_mangle)]
        pub extern "C" fn $entry() -> i32 {
            $crate::install_panic_hook();
            let graph = $crate::Graph::default();
            let params = $crate::Params::default();
            let run: fn(&$crate::Graph, &$crate::Params) = $body;
            run(&graph, &params);
            0
        }
    };
}
