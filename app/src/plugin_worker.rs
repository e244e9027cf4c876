//! The plugin worker: runs inside a dedicated Web Worker, one [`PluginHost`] per worker.
//!
//! The page sends it the graph's source files once per graph and then runs. A run executes in
//! fuel slices; after a slice that took long enough the worker yields to its event loop (through a
//! `MessageChannel`, which unlike `setTimeout` is not clamped), so a Cancel message is seen at the
//! next slice and progress reaches the page while the plugin works.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Promise, Reflect};
use plugin_host::{
    Capabilities, Capability, GraphInput, HostPolicy, LoadedPlugin, Manifest, PluginDigest, PluginError, PluginFolder,
    PluginHost, Step,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

use crate::plugin_protocol::{self as proto, FromWorker, RunSpec, RunStats, ToWorker};

/// Milliseconds of plugin work between yields to the worker's event loop.
const WORK_MS: f64 = 12.0;
/// Milliseconds between intermediate positions sent to the page.
const POSITIONS_EVERY_MS: f64 = 100.0;

struct Worker {
    scope: DedicatedWorkerGlobalScope,
    host: PluginHost,
    graph: Option<(u32, Arc<GraphInput>)>,
    /// Why the worker could not load a graph version, told to the runs that wanted it.
    graph_error: Option<(u32, String)>,
    /// Loaded plugins by the digest of their manifest and module, and grants: re-runs skip
    /// instantiation, and a changed byte is another plugin.
    plugins: HashMap<(PluginDigest, Vec<Capability>), LoadedPlugin>,
    cancelled: HashSet<u32>,
}

type Shared = Rc<RefCell<Worker>>;

fn now_ms(scope: &DedicatedWorkerGlobalScope) -> f64 {
    Reflect::get(scope, &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or(0.0, |p| p.now())
}

fn post(scope: &DedicatedWorkerGlobalScope, message: &FromWorker, attachments: &[(&str, JsValue)]) {
    match proto::encode(message, attachments) {
        Ok(object) => {
            if let Err(e) = scope.post_message(&object) {
                web_sys::console::error_1(&e);
            }
        }
        Err(e) => web_sys::console::error_1(&JsValue::from_str(&e)),
    }
}

/// Starts the worker: installs the message handler and says it is ready.
pub fn start() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        web_sys::console::error_1(&JsValue::from_str("plugin_worker must run in a dedicated worker"));
        return;
    };
    let host = match PluginHost::new(HostPolicy::default()) {
        Ok(host) => host,
        Err(e) => {
            web_sys::console::error_1(&JsValue::from_str(&e.to_string()));
            return;
        }
    };
    let worker: Shared = Rc::new(RefCell::new(Worker {
        scope: scope.clone(),
        host,
        graph: None,
        graph_error: None,
        plugins: HashMap::new(),
        cancelled: HashSet::new(),
    }));
    let handler =
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| on_message(&worker, &event.data()));
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
    post(&scope, &FromWorker::Ready, &[]);
}

fn on_message(worker: &Shared, data: &JsValue) {
    let message: ToWorker = match proto::decode(data) {
        Ok(m) => m,
        Err(e) => {
            web_sys::console::error_1(&JsValue::from_str(&e));
            return;
        }
    };
    match message {
        ToWorker::Graph { graph, names } => {
            let files = proto::byte_list_of(data, "files");
            let sources: Vec<isg::SourceFile<'_>> =
                names.iter().zip(&files).map(|(name, bytes)| isg::SourceFile { name, bytes }).collect();
            let mut state = worker.borrow_mut();
            match isg::load(&sources) {
                Ok(loaded) => state.graph = Some((graph, Arc::new(GraphInput::new(Arc::new(loaded.graph))))),
                Err(e) => state.graph_error = Some((graph, e.to_string())),
            }
        }
        ToWorker::Cancel { run } => {
            worker.borrow_mut().cancelled.insert(run);
        }
        ToWorker::Run(spec) => {
            let request = RunRequest {
                spec,
                wasm: proto::bytes(data, "wasm").unwrap_or_default(),
                folder: proto::bytes(data, "folder"),
            };
            let worker = Rc::clone(worker);
            spawn_local(async move { execute(&worker, request).await });
        }
    }
}

struct RunRequest {
    spec: RunSpec,
    wasm: Vec<u8>,
    folder: Option<Vec<u8>>,
}

/// Hands control to the worker's event loop and comes back as soon as it is idle.
async fn yield_to_event_loop(channel: &MessageChannel) {
    let promise = Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        // Posting cannot fail on a port we own; if it did, the promise would never resolve, so resolve now.
        if channel.port2().post_message(&JsValue::NULL).is_err() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

async fn execute(worker: &Shared, request: RunRequest) {
    let RunRequest { spec: req, wasm, folder } = request;
    let scope = worker.borrow().scope.clone();
    let started = now_ms(&scope);
    let mut stats = RunStats {
        metrics: plugin_host::CallMetrics::default(),
        wall_ms: 0.0,
        load_ms: 0.0,
        audit: Vec::new(),
        host_calls: Vec::new(),
        logs: Vec::new(),
    };
    let fail = |stats: &mut RunStats, error: &PluginError| {
        stats.wall_ms = now_ms(&scope) - started;
        let message = FromWorker::Failed {
            run: req.run,
            code: error.code().into(),
            message: error.to_string(),
            stats: stats.clone(),
        };
        post(&scope, &message, &[]);
    };
    let manifest = match Manifest::parse(&req.manifest) {
        Ok(m) => Arc::new(m),
        Err(e) => {
            let error = PluginError::InvalidModule { plugin: "plugin.toml".into(), reason: e.to_string() };
            return fail(&mut stats, &error);
        }
    };
    let Some(graph) = worker.borrow().graph.as_ref().filter(|(v, _)| *v == req.graph).map(|(_, g)| Arc::clone(g))
    else {
        let message = match &worker.borrow().graph_error {
            Some((version, e)) if *version == req.graph => format!("the plugin worker could not load the graph: {e}"),
            _ => "the graph changed before the run started".to_owned(),
        };
        let error = PluginError::Trap { plugin: manifest.id(), message };
        return fail(&mut stats, &error);
    };
    let key = (PluginDigest::of(&req.manifest, &wasm), req.grants.clone());
    let cached = worker.borrow_mut().plugins.remove(&key);
    // A fresh load's own "loaded" event belongs to this run's trail; a cached plugin's does not.
    let audit_before = cached.as_ref().and_then(|p| p.audit().events().back()).map_or(0, |e| e.seq + 1);
    let mut plugin = match cached {
        Some(p) => p,
        None => {
            let grants = req.grants.iter().copied().collect::<Capabilities>();
            let t = now_ms(&scope);
            let loaded = worker.borrow().host.load(Arc::clone(&manifest), &wasm, grants);
            stats.load_ms = now_ms(&scope) - t;
            match loaded {
                Ok(p) => p,
                Err(e) => return fail(&mut stats, &e),
            }
        }
    };
    let quota = worker.borrow().host.policy().folder_quota;
    if let Some(bytes) = &folder {
        // A damaged stored folder must not block the run: start from an empty one and say why.
        let folder = PluginFolder::from_bytes(bytes, quota).unwrap_or_else(|e| {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "{}: {e}; starting with an empty folder",
                manifest.id()
            )));
            PluginFolder::new(quota)
        });
        plugin.set_folder(folder);
    }
    if let Err(e) = plugin.set_fuel_budget(req.fuel) {
        worker.borrow_mut().plugins.insert(key, plugin);
        let error = PluginError::FuelBudget { plugin: manifest.id(), source: e };
        return fail(&mut stats, &error);
    }
    let calls_before = plugin.audit().host_call_counts();
    let channel = MessageChannel::new().ok();
    let outcome = 'run: {
        let mut call = match plugin.start(graph, &req.params, req.selected) {
            Ok(call) => call,
            Err(e) => break 'run Err(e),
        };
        let mut last_yield = now_ms(&scope);
        let mut last_positions = f64::NEG_INFINITY;
        loop {
            if worker.borrow_mut().cancelled.remove(&req.run) {
                stats.metrics = call.metrics();
                break Err(call.cancel());
            }
            match call.step() {
                Ok(Step::Running { progress, positions_changed }) => {
                    let t = now_ms(&scope);
                    let send_positions = positions_changed && t - last_positions >= POSITIONS_EVERY_MS;
                    if t - last_yield >= WORK_MS || send_positions {
                        let attachments: Vec<(&str, JsValue)> = match call.positions().filter(|_| send_positions) {
                            Some(p) => {
                                last_positions = t;
                                vec![("positions", proto::positions_value(p))]
                            }
                            None => Vec::new(),
                        };
                        let message =
                            FromWorker::Progress { run: req.run, done: progress, fuel_used: call.metrics().fuel_used };
                        post(&scope, &message, &attachments);
                        if let Some(channel) = &channel {
                            yield_to_event_loop(channel).await;
                        }
                        last_yield = now_ms(&scope);
                    }
                }
                Ok(Step::Fetch(request)) => {
                    let body = fetch_bytes(&scope, &request.url).await;
                    call.complete_fetch(body);
                }
                Ok(Step::Finished(output)) => {
                    stats.metrics = call.metrics();
                    break Ok(*output);
                }
                Err(e) => {
                    stats.metrics = call.metrics();
                    break Err(e);
                }
            }
        }
    };
    stats.audit = plugin.audit().events().iter().filter(|e| e.seq >= audit_before).cloned().collect();
    stats.host_calls = plugin
        .audit()
        .host_call_counts()
        .into_iter()
        .map(|mut c| {
            let before = calls_before.iter().find(|b| b.function == c.function).map_or(0, |b| b.calls);
            c.calls -= before;
            c
        })
        .filter(|c| c.calls > 0)
        .collect();
    let folder = plugin.grants().file_system_access.then(|| plugin.folder().to_bytes());
    worker.borrow_mut().plugins.insert(key, plugin);
    match outcome {
        Ok(output) => {
            stats.logs = output.logs.clone();
            stats.wall_ms = now_ms(&scope) - started;
            let mut attachments: Vec<(String, JsValue)> = Vec::new();
            if let Some(p) = &output.positions {
                attachments.push(("positions".into(), proto::positions_value(p)));
            }
            if let Some(styles) = &output.node_styles {
                let bytes = plugin_host::abi::encode_node_styles(styles);
                attachments.push(("node_styles".into(), js_sys::Uint8Array::from(bytes.as_slice()).into()));
            }
            if let Some(styles) = &output.edge_styles {
                let bytes = plugin_host::abi::encode_edge_styles(styles);
                attachments.push(("edge_styles".into(), js_sys::Uint8Array::from(bytes.as_slice()).into()));
            }
            if let Some(marks) = &output.edge_marks {
                attachments.push(("edge_marks".into(), js_sys::Uint8Array::from(marks.as_slice()).into()));
            }
            let styled = output.node_styles.is_some() || output.edge_styles.is_some() || output.edge_marks.is_some();
            let style =
                (styled || !output.labels.is_empty() || !output.overlays.is_empty()).then(|| proto::StyleExtras {
                    labels: output.labels.iter().map(|(&n, t)| (n, t.clone())).collect(),
                    overlays: output.overlays.clone(),
                });
            for (i, f) in output.files.iter().enumerate() {
                attachments.push((format!("file{i}"), js_sys::Uint8Array::from(f.bytes.as_slice()).into()));
            }
            if let Some(folder) = folder {
                attachments.push(("folder".into(), js_sys::Uint8Array::from(folder.as_slice()).into()));
            }
            let message = FromWorker::Finished {
                run: req.run,
                summary: output.summary(),
                findings: output.findings.clone(),
                files: output.files.iter().map(|f| (f.name.clone(), f.mime.clone())).collect(),
                style,
                stats,
            };
            let attachments: Vec<(&str, JsValue)> = attachments.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            post(&scope, &message, &attachments);
        }
        Err(e) => fail(&mut stats, &e),
    }
}

/// GETs `url` from the worker; the host already checked it against the plugin's allow-list.
async fn fetch_bytes(scope: &DedicatedWorkerGlobalScope, url: &str) -> Result<Vec<u8>, String> {
    let response = JsFuture::from(scope.fetch_with_str(url)).await.map_err(|e| format!("{e:?}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "fetch returned no response".to_owned())?;
    if !response.ok() {
        return Err(format!("HTTP {} {}", response.status(), response.status_text()));
    }
    let buffer =
        JsFuture::from(response.array_buffer().map_err(|e| format!("{e:?}"))?).await.map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
