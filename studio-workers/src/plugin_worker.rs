//! The plugin worker: runs inside a dedicated Web Worker, one [`PluginHost`] per worker.
//!
//! The page sends it the graph's compact model once per graph (never the source files: this
//! worker does not parse) and then runs. A run executes in
//! fuel slices; after a slice that took long enough the worker yields to its event loop (through a
//! `MessageChannel`, which unlike `setTimeout` is not clamped), so a Cancel message is seen at the
//! next slice and progress reaches the page while the plugin works.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Promise, Reflect};
use plugin_host::lane::{FastPlugin, Lane, LaneChoice, Metering, choose_lane};
use plugin_host::{
    AuditEvent, AuditKind, Capabilities, Capability, ErrorKind, FetchFailed, GraphInput, HostPolicy, LoadedPlugin,
    Manifest, PluginDigest, PluginError, PluginFolder, PluginHost, RunOutput, Step,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

use studio_core::plugin_style::StyleExtras;
use studio_core::runs::RunStats;

use crate::protocol::{self as proto, FromWorker, RunSpec, ToWorker};

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
    plugins: HashMap<PluginKey, LoadedPlugin>,
    cancelled: HashSet<u32>,
}

type Shared = Rc<RefCell<Worker>>;

/// A loaded plugin is reused for the same module under the same grants.
type PluginKey = (PluginDigest, Vec<Capability>);

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
        Err(e) => web_sys::console::error_1(&JsValue::from_str(&e.to_string())),
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
            web_sys::console::error_1(&JsValue::from_str(&e.to_string()));
            return;
        }
    };
    match message {
        ToWorker::Graph { graph } => {
            let mut state = worker.borrow_mut();
            match proto::read_graph_message(data) {
                Ok((_, model)) => state.graph = Some((graph, Arc::new(GraphInput::new(Arc::new(model.graph))))),
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
                view_positions: proto::bytes(data, "view_positions")
                    .and_then(|b| plugin_host::abi::decode_positions(&b, b.len() / 8).ok())
                    .map(Arc::new),
                view_flags: proto::bytes(data, "view_flags").map(Arc::new),
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
    /// The positions on screen, sent with exporter runs.
    view_positions: Option<Arc<Vec<[f32; 2]>>>,
    /// What is drawn and selected, sent with exporter runs.
    view_flags: Option<Arc<Vec<u8>>>,
}

/// Hands control to the worker's event loop and comes back as soon as it is idle.
async fn yield_to_event_loop(channel: &MessageChannel) {
    let promise = Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        // Posting cannot fail on a port we own; if it did, the promise would never resolve, so resolve now.
        if channel.port2().post_message(&JsValue::NULL).is_err() {
            resolve.call0(&JsValue::NULL).ok();
        }
    });
    JsFuture::from(promise).await.ok();
}

/// A loaded plugin ready to run, and where to keep it afterwards.
struct Prepared {
    key: PluginKey,
    plugin: LoadedPlugin,
    graph: Arc<GraphInput>,
    /// The first audit event that belongs to this run.
    audit_before: u64,
}

/// Runs one request and posts its end (`Finished` or `Failed`); progress is posted on the way.
async fn execute(worker: &Shared, request: RunRequest) {
    let scope = worker.borrow().scope.clone();
    let started = now_ms(&scope);
    let grants = request.spec.grants.iter().copied().collect::<Capabilities>();
    let choice = choose_lane(&request.spec.trust, grants);
    let mut stats = RunStats {
        metrics: plugin_host::CallMetrics::default(),
        wall_ms: 0.0,
        load_ms: 0.0,
        audit: Vec::new(),
        host_calls: Vec::new(),
        logs: Vec::new(),
        lane: Some(choice.clone()),
    };
    let run = request.spec.run;
    let fail = |mut stats: RunStats, error: &PluginError| {
        stats.wall_ms = now_ms(&scope) - started;
        let message = FromWorker::Failed { run, code: error.code().into(), message: error.to_string(), stats };
        post(&scope, &message, &[]);
    };
    if choice.lane == Lane::Fast {
        return match execute_fast(worker, request, choice, &mut stats) {
            Ok((output, folder)) => {
                stats.logs = output.logs.clone();
                stats.wall_ms = now_ms(&scope) - started;
                post_finished(&scope, run, &output, folder, stats);
            }
            Err(e) => fail(stats, &e),
        };
    }
    let RunRequest { spec: req, wasm, folder, view_positions, view_flags } = request;
    let Prepared { key, mut plugin, graph, audit_before } =
        match prepare(worker, &req, &wasm, folder.as_deref(), &mut stats) {
            Ok(prepared) => prepared,
            Err(e) => return fail(stats, &e),
        };
    let calls_before = plugin.audit().host_call_counts();
    plugin.set_view_positions(view_positions);
    plugin.set_view_flags(view_flags);
    let outcome = drive(worker, &req, &mut plugin, graph, &mut stats).await;
    stats.audit = plugin.audit().events().iter().filter(|e| e.seq >= audit_before).cloned().collect();
    // The fast lane's host records its lane; the interpreter's is said here, so every run's trail
    // names where it ran.
    if let Some(choice) = &stats.lane {
        let detail = format!("lane: {}: {}", choice.lane.label(), choice.reason);
        let seq = stats.audit.last().map_or(0, |e| e.seq + 1);
        stats.audit.push(AuditEvent { seq, plugin: plugin.manifest().id(), kind: AuditKind::Loaded, detail });
    }
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
            post_finished(&scope, req.run, &output, folder, stats);
        }
        Err(e) => fail(stats, &e),
    }
}

/// Reads the manifest, finds the graph, and takes the plugin from the cache or loads it, with
/// its folder and fuel budget set.
fn prepare(
    worker: &Shared,
    req: &RunSpec,
    wasm: &[u8],
    folder: Option<&[u8]>,
    stats: &mut RunStats,
) -> Result<Prepared, PluginError> {
    let manifest = parse_manifest(&req.manifest)?;
    let graph = graph_for(worker, req, &manifest)?;
    let key = (PluginDigest::of(&req.manifest, wasm), req.grants.clone());
    let cached = worker.borrow_mut().plugins.remove(&key);
    // A fresh load's own "loaded" event belongs to this run's trail; a cached plugin's does not.
    let audit_before = cached.as_ref().and_then(|p| p.audit().events().back()).map_or(0, |e| e.seq + 1);
    let mut plugin = match cached {
        Some(p) => p,
        None => {
            let grants = req.grants.iter().copied().collect::<Capabilities>();
            let scope = worker.borrow().scope.clone();
            let t = now_ms(&scope);
            let loaded = worker.borrow().host.load(Arc::clone(&manifest), wasm, grants);
            stats.load_ms = now_ms(&scope) - t;
            loaded?
        }
    };
    let quota = worker.borrow().host.policy().folder_quota;
    if let Some(bytes) = folder {
        plugin.set_folder(stored_folder(bytes, quota, &manifest));
    }
    if let Err(e) = plugin.set_fuel_budget(req.fuel) {
        worker.borrow_mut().plugins.insert(key, plugin);
        return Err(PluginError::new(manifest.id(), ErrorKind::FuelBudget { source: e }));
    }
    Ok(Prepared { key, plugin, graph, audit_before })
}

/// The plugin's folder as stored; a damaged one must not block the run: it starts from an empty
/// folder and the console says why.
fn stored_folder(bytes: &[u8], quota: usize, manifest: &Manifest) -> PluginFolder {
    PluginFolder::from_bytes(bytes, quota).unwrap_or_else(|e| {
        let warning = format!("{}: {e}; starting with an empty folder", manifest.id());
        web_sys::console::warn_1(&JsValue::from_str(&warning));
        PluginFolder::new(quota)
    })
}

/// The graph a run asked for, if this worker has it.
fn graph_for(worker: &Shared, req: &RunSpec, manifest: &Manifest) -> Result<Arc<GraphInput>, PluginError> {
    if let Some((_, graph)) = worker.borrow().graph.as_ref().filter(|(v, _)| *v == req.graph) {
        return Ok(Arc::clone(graph));
    }
    let message = match &worker.borrow().graph_error {
        Some((version, e)) if *version == req.graph => format!("the plugin worker could not load the graph: {e}"),
        _ => "the graph changed before the run started".to_owned(),
    };
    Err(PluginError::new(manifest.id(), ErrorKind::Trap { message }))
}

fn parse_manifest(text: &str) -> Result<Arc<Manifest>, PluginError> {
    Manifest::parse(text)
        .map(Arc::new)
        .map_err(|e| PluginError::new("plugin.toml", ErrorKind::InvalidModule { reason: e.to_string() }))
}

/// Runs a trusted plugin in the fast lane: metered, compiled by the browser, to its end.
fn execute_fast(
    worker: &Shared,
    request: RunRequest,
    choice: LaneChoice,
    stats: &mut RunStats,
) -> Result<(RunOutput, Option<Vec<u8>>), PluginError> {
    let RunRequest { spec: req, wasm, folder, view_positions, view_flags } = request;
    let scope = worker.borrow().scope.clone();
    let manifest = parse_manifest(&req.manifest)?;
    let graph = graph_for(worker, &req, &manifest)?;
    let grants = req.grants.iter().copied().collect::<Capabilities>();
    let t = now_ms(&scope);
    let mut plugin = worker.borrow().host.load_fast(Arc::clone(&manifest), &wasm, grants, Metering::Injected)?;
    stats.load_ms = now_ms(&scope) - t;
    let quota = worker.borrow().host.policy().folder_quota;
    if let Some(bytes) = folder {
        plugin.set_folder(stored_folder(&bytes, quota, &manifest));
    }
    plugin
        .set_fuel_budget(req.fuel)
        .map_err(|e| PluginError::new(manifest.id(), ErrorKind::FuelBudget { source: e }))?;
    plugin.set_view_positions(view_positions);
    plugin.set_view_flags(view_flags);
    let run = req.run;
    let mut last_post = f64::NEG_INFINITY;
    let mut positions_waiting = false;
    let progress_scope = scope.clone();
    let on_progress = Box::new(move |plugin: &mut FastPlugin, fuel_used: u64| {
        let (done, positions_changed) = plugin.take_progress();
        positions_waiting |= positions_changed;
        let t = now_ms(&progress_scope);
        if t - last_post < POSITIONS_EVERY_MS {
            return;
        }
        last_post = t;
        let attachments: Vec<(&str, JsValue)> = match plugin.positions().filter(|_| positions_waiting) {
            Some(p) => vec![("positions", proto::bytes_value(p.as_bytes()))],
            None => Vec::new(),
        };
        positions_waiting = false;
        post(&progress_scope, &FromWorker::Progress { run, done, fuel_used }, &attachments);
    });
    // A fast-lane plugin is loaded for each run: its whole trail is this run's.
    let (plugin, result) = crate::fast_lane::run(plugin, graph, &req.params, req.selected, on_progress);
    stats.audit = plugin.audit().events().iter().cloned().collect();
    stats.host_calls = plugin.audit().host_call_counts().into_iter().filter(|c| c.calls > 0).collect();
    stats.lane = Some(choice);
    let folder = plugin.grants().file_system_access.then(|| plugin.folder().to_bytes());
    match result {
        Ok((output, metrics)) => {
            stats.metrics = metrics;
            Ok((output, folder))
        }
        Err(failed) => {
            stats.metrics = failed.metrics;
            Err(failed.error)
        }
    }
}

/// Runs the call in slices, yielding to the worker's event loop between them (where Cancel
/// lands) and posting progress and intermediate positions; answers the plugin's fetches.
async fn drive(
    worker: &Shared,
    req: &RunSpec,
    plugin: &mut LoadedPlugin,
    graph: Arc<GraphInput>,
    stats: &mut RunStats,
) -> Result<RunOutput, PluginError> {
    let scope = worker.borrow().scope.clone();
    let channel = MessageChannel::new().ok();
    let mut call = plugin.start(graph, &req.params, req.selected)?;
    let mut last_yield = now_ms(&scope);
    let mut last_positions = f64::NEG_INFINITY;
    loop {
        if worker.borrow_mut().cancelled.remove(&req.run) {
            stats.metrics = call.metrics();
            return Err(call.cancel());
        }
        match call.step() {
            Ok(Step::Running { progress, positions_changed }) => {
                let t = now_ms(&scope);
                let send_positions = positions_changed && t - last_positions >= POSITIONS_EVERY_MS;
                if t - last_yield >= WORK_MS || send_positions {
                    let attachments: Vec<(&str, JsValue)> = match call.positions().filter(|_| send_positions) {
                        Some(p) => {
                            last_positions = t;
                            vec![("positions", proto::bytes_value(p.as_bytes()))]
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
                return Ok(*output);
            }
            Err(e) => {
                stats.metrics = call.metrics();
                return Err(e);
            }
        }
    }
}

/// Posts a finished run: the records go on as the plugin wrote them and the host checked them
/// (no re-encoding), files and the folder as attachments.
fn post_finished(
    scope: &DedicatedWorkerGlobalScope,
    run: u32,
    output: &RunOutput,
    folder: Option<Vec<u8>>,
    stats: RunStats,
) {
    let mut attachments: Vec<(String, JsValue)> = Vec::new();
    let records = [
        ("positions", output.positions.as_ref().map(|r| r.as_bytes())),
        ("node_styles", output.node_styles.as_ref().map(|r| r.as_bytes())),
        ("edge_styles", output.edge_styles.as_ref().map(|r| r.as_bytes())),
        ("edge_marks", output.edge_marks.as_ref().map(|r| r.as_bytes())),
        ("edge_routes", output.edge_routes.as_ref().map(|r| r.as_bytes())),
    ];
    for (key, bytes) in records {
        if let Some(bytes) = bytes {
            attachments.push((key.into(), proto::bytes_value(bytes)));
        }
    }
    let styled = output.node_styles.is_some() || output.edge_styles.is_some() || output.edge_marks.is_some();
    let style = (styled || !output.labels.is_empty() || !output.overlays.is_empty()).then(|| StyleExtras {
        labels: output.labels.iter().map(|(&n, t)| (n, t.clone())).collect(),
        overlays: output.overlays.clone(),
    });
    for (i, f) in output.files.iter().enumerate() {
        attachments.push((format!("file{i}"), proto::bytes_value(&f.bytes)));
    }
    for (i, column) in output.metrics.iter().enumerate() {
        let bytes: Vec<u8> = column.values.iter().flat_map(|v| v.to_le_bytes()).collect();
        attachments.push((format!("metric{i}"), proto::bytes_value(&bytes)));
    }
    if let Some(folder) = folder {
        attachments.push(("folder".into(), proto::bytes_value(&folder)));
    }
    let message = FromWorker::Finished {
        run,
        summary: output.summary(),
        findings: output.findings.clone(),
        files: output.files.iter().map(|f| (f.name.clone(), f.mime.clone())).collect(),
        metrics: output.metrics.iter().map(|m| m.name.clone()).collect(),
        style,
        stats,
    };
    let attachments: Vec<(&str, JsValue)> = attachments.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    post(scope, &message, &attachments);
}

/// GETs `url` from the worker; the host already checked it against the plugin's allow-list.
async fn fetch_bytes(scope: &DedicatedWorkerGlobalScope, url: &str) -> Result<Vec<u8>, FetchFailed> {
    let js = |e: JsValue| FetchFailed::new(format!("{e:?}"));
    let response = JsFuture::from(scope.fetch_with_str(url)).await.map_err(js)?;
    let response: web_sys::Response =
        response.dyn_into().map_err(|_| FetchFailed::new("fetch returned no response"))?;
    if !response.ok() {
        return Err(FetchFailed::new(format!("HTTP {} {}", response.status(), response.status_text())));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(js)?).await.map_err(js)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
