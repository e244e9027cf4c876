//! Messages between the page and its workers.
//!
//! Each message is a JS object `{json, ...attachments}`: `json` is the metadata as a JSON string
//! (small, typed with serde), attachments are typed arrays or array buffers (source files, the
//! compact model, wasm bytes, ABI records, positions), which cross without any per-element JS
//! conversion; a buffer listed as transferable moves without a copy.

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use plugin_host::{Capability, Finding};
use serde::{Deserialize, Serialize};
use studio_core::plugin_style::StyleExtras;
use studio_core::runs::RunStats;
use wasm_bindgen::{JsCast, JsValue};

/// What the page asks the graph worker to do.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToGraphWorker {
    /// Parse these files as one graph (attachment `files`: one `Uint8Array` per file, named by
    /// `names`).
    Load {
        /// File names, in the order of the attachment.
        names: Vec<String>,
    },
}

/// What the graph worker reports.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromGraphWorker {
    /// The worker is up.
    Ready,
    /// A stage of the load started.
    Stage {
        /// What it is doing, in words.
        label: String,
        /// Fraction done, when known.
        fraction: Option<f64>,
    },
    /// The model is ready (attachment `model`: an `ArrayBuffer`, transferred).
    Loaded {
        /// Milliseconds spent parsing and indexing.
        load_ms: f64,
        /// Bytes of the model.
        model_bytes: usize,
    },
    /// The files are not a graph.
    Failed {
        /// The loader's message.
        message: String,
    },
}

/// What the page asks a plugin worker to do.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWorker {
    /// Use this graph (attachment `model`: the compact model the graph worker wrote, never the
    /// source files: the plugin worker does not parse).
    Graph {
        /// The page's graph version; runs name the graph they want.
        graph: u32,
    },
    /// Run a plugin (attachments `wasm`, and `folder` when it may use one).
    Run(RunSpec),
    /// Stop a run at its next slice.
    Cancel {
        /// Run id.
        run: u32,
    },
}

/// One run, as the page asks for it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunSpec {
    /// Run id, unique per page.
    pub run: u32,
    /// Graph version to run on.
    pub graph: u32,
    /// `plugin.toml` text.
    pub manifest: String,
    /// Capabilities the user granted.
    pub grants: Vec<Capability>,
    /// Parameters (checked by the host against the manifest's schema).
    pub params: serde_json::Value,
    /// The selected node, if any.
    pub selected: Option<u32>,
    /// Fuel for the call; `None` takes the policy's ceiling.
    pub fuel: Option<u64>,
    /// Whether and why the user trusts this plugin, which lets it take the fast lane
    /// ([`plugin_host::lane::choose_lane`]).
    #[serde(default)]
    pub trust: plugin_host::lane::Trust,
}

/// What a plugin worker reports.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker is up.
    Ready,
    /// A slice ended (attachment `positions`: position records, when a layout published some).
    Progress {
        /// Run id.
        run: u32,
        /// The plugin's progress, if it reports any.
        done: Option<(u32, u32)>,
        /// Fuel used so far.
        fuel_used: u64,
    },
    /// The run finished (attachments `positions`, `edge_routes`, `node_styles`, `edge_styles`, `edge_marks` as
    /// the plugin wrote them and the host checked them, `file<i>`, `metric<i>` (little-endian
    /// `f32`s, one per node) and `folder`, as produced).
    Finished {
        /// Run id.
        run: u32,
        /// One line on what it produced.
        summary: String,
        /// Analysis findings.
        findings: Vec<Finding>,
        /// `(name, mime)` of each exported file, attached as `file0`, `file1`, …
        files: Vec<(String, String)>,
        /// The name of each metric column, attached as `metric0`, `metric1`, …
        metrics: Vec<String>,
        /// A renderer's labels and overlays (its node and edge looks travel as attachments).
        style: Option<StyleExtras>,
        /// Costs and audit.
        stats: RunStats,
    },
    /// The run failed, was refused or was cancelled.
    Failed {
        /// Run id.
        run: u32,
        /// The typed error's code, e.g. `OutOfFuel`.
        code: String,
        /// The typed error's text.
        message: String,
        /// Costs and audit.
        stats: RunStats,
    },
}

/// Why a message could not be built or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// The metadata does not serialize (a bug).
    #[error("a message could not be written: {0}")]
    Encode(String),
    /// The object has no metadata.
    #[error("a message without metadata")]
    NoMetadata,
    /// The metadata is not a message of this build.
    #[error("a malformed message: {0}")]
    Malformed(String),
    /// A property could not be set on the message object.
    #[error("a message property could not be set: {0}")]
    Property(String),
}

/// Builds `{json, ...attachments}`.
///
/// # Errors
/// [`ProtocolError`] when the metadata or a property cannot be written.
pub fn encode(message: &impl Serialize, attachments: &[(&str, JsValue)]) -> Result<Object, ProtocolError> {
    let json = serde_json::to_string(message).map_err(|e| ProtocolError::Encode(e.to_string()))?;
    let object = Object::new();
    set(&object, "json", &JsValue::from_str(&json))?;
    for (key, value) in attachments {
        set(&object, key, value)?;
    }
    Ok(object)
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), ProtocolError> {
    Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|e| ProtocolError::Property(format!("{e:?}")))
}

/// Reads the metadata of a message built by [`encode`].
///
/// # Errors
/// [`ProtocolError`] when it has no metadata or is not a message of this build.
pub fn decode<T: for<'de> Deserialize<'de>>(data: &JsValue) -> Result<T, ProtocolError> {
    let json = Reflect::get(data, &JsValue::from_str("json"))
        .ok()
        .and_then(|j| j.as_string())
        .ok_or(ProtocolError::NoMetadata)?;
    serde_json::from_str(&json).map_err(|e| ProtocolError::Malformed(e.to_string()))
}

/// An attachment's bytes (a `Uint8Array` or an `ArrayBuffer`).
#[must_use]
pub fn bytes(data: &JsValue, key: &str) -> Option<Vec<u8>> {
    let value = Reflect::get(data, &JsValue::from_str(key)).ok()?;
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Some(Uint8Array::new(buffer).to_vec());
    }
    value.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec())
}

/// Bytes as an attachment (a copy into JS memory).
#[must_use]
pub fn bytes_value(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

/// Bytes as a fresh `ArrayBuffer`, to post as transferable: it then moves to the receiver
/// without a second copy.
#[must_use]
pub fn buffer_value(bytes: &[u8]) -> ArrayBuffer {
    Uint8Array::from(bytes).buffer()
}

/// An attachment's positions, sent as ABI position records and decoded once here.
#[must_use]
pub fn positions(data: &JsValue) -> Option<Vec<[f32; 2]>> {
    let bytes = bytes(data, "positions")?;
    let count = bytes.len() / plugin_host::abi::POSITION_BYTES;
    plugin_host::abi::decode_positions(&bytes, count).ok()
}

/// Several byte buffers as one attachment.
#[must_use]
pub fn byte_list(buffers: impl IntoIterator<Item = impl AsRef<[u8]>>) -> JsValue {
    buffers.into_iter().map(|b| JsValue::from(Uint8Array::from(b.as_ref()))).collect::<Array>().into()
}

/// The buffers of a [`byte_list`] attachment.
#[must_use]
pub fn byte_list_of(data: &JsValue, key: &str) -> Vec<Vec<u8>> {
    Reflect::get(data, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|a| a.iter().filter_map(|b| b.dyn_into::<Uint8Array>().ok()).map(|b| b.to_vec()).collect())
        .unwrap_or_default()
}

/// The message that gives a plugin worker graph version `graph`: the compact model as an
/// attachment, and no source file (plugin workers do not parse).
///
/// # Errors
/// As [`encode`].
pub fn graph_message(graph: u32, model: &[u8]) -> Result<Object, ProtocolError> {
    encode(&ToWorker::Graph { graph }, &[("model", bytes_value(model))])
}

/// The graph version and model of a [`graph_message`], read back.
///
/// # Errors
/// The message is not a graph message, or its model is damaged.
pub fn read_graph_message(data: &JsValue) -> Result<(u32, isg::model::Model), ProtocolError> {
    let ToWorker::Graph { graph } = decode::<ToWorker>(data)? else {
        return Err(ProtocolError::Malformed("not a graph message".into()));
    };
    let model = bytes(data, "model").ok_or(ProtocolError::Malformed("no model attached".into()))?;
    let model = isg::model::decode(&model).map_err(|e| ProtocolError::Malformed(e.to_string()))?;
    Ok((graph, model))
}
