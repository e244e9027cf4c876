//! Messages between the page and the plugin workers.
//!
//! Each message is a JS object `{json, ...attachments}`: `json` is the metadata as a JSON string
//! (small, typed with serde), attachments are typed arrays (wasm bytes, ISG files, positions),
//! which structured cloning copies without any per-element JS conversion.

use js_sys::{Array, Float32Array, Object, Reflect, Uint8Array};
use plugin_host::{AuditEvent, CallMetrics, Capability, Finding, HostCallCount, LogLine};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// What the page asks a worker to do.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWorker {
    /// Load a graph (attachment `files`: one `Uint8Array` per file, named by `names`).
    Graph {
        /// The page's graph version; runs name the graph they want.
        graph: u32,
        /// File names, in the order of the attachment.
        names: Vec<String>,
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
}

/// What a run cost and what the host recorded, sent with its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunStats {
    /// Fuel, memory, host calls and slices.
    pub metrics: CallMetrics,
    /// Wall time in the worker, from load to end, in milliseconds.
    pub wall_ms: f64,
    /// Time to validate and instantiate the module (0 when it was already loaded).
    pub load_ms: f64,
    /// Notable events of this run.
    pub audit: Vec<AuditEvent>,
    /// Calls per host function during this run.
    pub host_calls: Vec<HostCallCount>,
    /// The plugin's log lines.
    pub logs: Vec<LogLine>,
}

/// The small parts of a renderer's output.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct StyleExtras {
    /// Label text by node id, as pairs: a map with number keys would not survive the internally
    /// tagged [`FromWorker`] (serde buffers it with string keys, which then fail to read as `u32`).
    pub labels: Vec<(u32, String)>,
    /// Hulls and annotations.
    pub overlays: Vec<plugin_host::abi::Overlay>,
}

/// What a worker reports.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker is up.
    Ready,
    /// A slice ended (attachment `positions` when a layout published some).
    Progress {
        /// Run id.
        run: u32,
        /// The plugin's progress, if it reports any.
        done: Option<(u32, u32)>,
        /// Fuel used so far.
        fuel_used: u64,
    },
    /// The run finished (attachments `positions`, `node_styles`, `edge_styles` (ABI records), `edge_marks`,
    /// `file<i>` and `folder` as produced).
    Finished {
        /// Run id.
        run: u32,
        /// One line on what it produced.
        summary: String,
        /// Analysis findings.
        findings: Vec<Finding>,
        /// `(name, mime)` of each exported file, attached as `file0`, `file1`, …
        files: Vec<(String, String)>,
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

/// Builds `{json, ...attachments}`.
pub fn encode(message: &impl Serialize, attachments: &[(&str, JsValue)]) -> Result<Object, String> {
    let json = serde_json::to_string(message).map_err(|e| e.to_string())?;
    let object = Object::new();
    set(&object, "json", &JsValue::from_str(&json))?;
    for (key, value) in attachments {
        set(&object, key, value)?;
    }
    Ok(object)
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(object, &JsValue::from_str(key), value).map(|_| ()).map_err(|e| format!("{e:?}"))
}

/// Reads the metadata of a message built by [`encode`].
pub fn decode<T: for<'de> Deserialize<'de>>(data: &JsValue) -> Result<T, String> {
    let json = Reflect::get(data, &JsValue::from_str("json"))
        .ok()
        .and_then(|j| j.as_string())
        .ok_or("message without metadata")?;
    serde_json::from_str(&json).map_err(|e| format!("malformed message: {e}"))
}

/// An attachment's bytes.
pub fn bytes(data: &JsValue, key: &str) -> Option<Vec<u8>> {
    Reflect::get(data, &JsValue::from_str(key)).ok()?.dyn_into::<Uint8Array>().ok().map(|a| a.to_vec())
}

/// An attachment's positions (`Float32Array` of x, y pairs).
pub fn positions(data: &JsValue) -> Option<Vec<[f32; 2]>> {
    let flat = Reflect::get(data, &JsValue::from_str("positions")).ok()?.dyn_into::<Float32Array>().ok()?.to_vec();
    Some(flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect())
}

/// Positions as an attachment.
pub fn positions_value(positions: &[[f32; 2]]) -> JsValue {
    let flat: Vec<f32> = positions.iter().flatten().copied().collect();
    Float32Array::from(flat.as_slice()).into()
}

/// Several byte buffers as one attachment.
pub fn byte_list(buffers: impl IntoIterator<Item = impl AsRef<[u8]>>) -> JsValue {
    buffers.into_iter().map(|b| JsValue::from(Uint8Array::from(b.as_ref()))).collect::<Array>().into()
}

/// The buffers of a [`byte_list`] attachment.
pub fn byte_list_of(data: &JsValue, key: &str) -> Vec<Vec<u8>> {
    Reflect::get(data, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|a| a.iter().filter_map(|b| b.dyn_into::<Uint8Array>().ok()).map(|b| b.to_vec()).collect())
        .unwrap_or_default()
}
