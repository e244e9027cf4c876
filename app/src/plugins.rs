//! Plugins on the page: the catalog, consent, the worker pool that runs them, and what comes back.
//!
//! Plugins never run on the page's thread. A pool of Web Workers, each with its own
//! [`plugin_host::PluginHost`], runs them; the page sends a worker the graph's source files once
//! per graph, then runs, and applies what comes back (positions animate into the view as a
//! progressive layout publishes them). Grants are asked for once per plugin version and kept in
//! IndexedDB; so are plugins' private folders.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use plugin_host::{
    AuditEvent, AuditKind, Capability, Finding, HostPolicy, Manifest, ParamSpec, PluginIdentity, PluginOrigin,
};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use crate::browser_storage::{self as storage, FOLDERS, GRANTS};
use crate::graph_view::request_redraw;
use crate::loading::{self, FetchedFile};
use crate::plugin_protocol::{self as proto, FromWorker, RunSpec, RunStats, ToWorker};
use crate::ui::Ui;

/// The worker script Trunk emits for the `plugin_worker` binary.
const WORKER_SCRIPT: &str = "./plugin_worker_loader.js";
/// The first-party catalog staged by `public/bundle-plugins.sh`.
const CATALOG: &str = "plugins/catalog.json";
/// Most workers in the pool.
const MAX_WORKERS: usize = 4;

/// A plugin ready to run: its manifest, its module, and who it is.
#[derive(Clone, Debug)]
pub struct PluginSource {
    /// The parsed manifest.
    pub manifest: Arc<Manifest>,
    /// The manifest's text, sent to the worker (which parses it again: it trusts nothing).
    pub manifest_text: String,
    /// The module.
    pub wasm: Arc<Vec<u8>>,
    /// Its digest and origin: what grants, kept layouts and folders are keyed by.
    pub identity: PluginIdentity,
}

/// One plugin of the first-party catalog the build staged (`public/bundle-plugins.sh`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct CatalogEntry {
    /// The plugin's name, which is also its folder under `plugins/`.
    pub name: String,
    /// Whether users are offered it (test and bench plugins are staged but not listed).
    pub listed: bool,
    /// SHA-256 of its `plugin.toml`.
    pub manifest_sha256: String,
    /// SHA-256 of its module.
    pub wasm_sha256: String,
}

/// A file a plugin exported, kept as bytes and offered only as a download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedFile {
    /// The name the host made safe.
    pub name: String,
    /// The type the host chose from the name's extension (shown; the download is always opaque).
    pub mime: String,
    /// Contents.
    pub bytes: Arc<Vec<u8>>,
}

/// Where a run stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RunStatus {
    /// Working.
    Running,
    /// Done.
    Finished,
    /// Refused, failed, hit a limit or was cancelled.
    Failed {
        /// The typed error's code.
        code: String,
        /// Its text.
        message: String,
    },
}

/// A run as the plugin panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    /// Run id.
    pub id: u32,
    /// `name@version`.
    pub plugin: String,
    /// Where the plugin came from, in words.
    pub origin: String,
    /// Where it stands.
    pub status: RunStatus,
    /// The plugin's own progress report.
    pub progress: Option<(u32, u32)>,
    /// Fuel used so far (or in all).
    pub fuel_used: u64,
    /// What it produced, in one line.
    pub summary: String,
    /// Analysis findings.
    pub findings: Vec<Finding>,
    /// Exported files, offered as downloads.
    pub files: Vec<ExportedFile>,
    /// Costs, once it ended.
    pub stats: Option<RunStats>,
}

/// A run waiting for the user's consent.
#[derive(Clone, Debug)]
pub struct ConsentRequest {
    /// The plugin.
    pub source: PluginSource,
    /// What it will be run with.
    pub params: Value,
    /// Fuel override.
    pub fuel: Option<u64>,
}

/// Reactive plugin state, shared through context.
#[derive(Clone, Copy)]
pub struct PluginsUi {
    /// The first-party catalog (listed and unlisted plugins).
    pub catalog: RwSignal<Vec<CatalogEntry>>,
    /// The plugin chosen in the panel.
    pub chosen: RwSignal<Option<PluginSource>>,
    /// The parameter form's values.
    pub params: RwSignal<Map<String, Value>>,
    /// The fuel field (empty: the policy's ceiling).
    pub fuel: RwSignal<String>,
    /// Runs, newest first.
    pub runs: RwSignal<Vec<RunView>>,
    /// The consent dialog's request.
    pub consent: RwSignal<Option<ConsentRequest>>,
    /// The audit trail of this page: notable events of every plugin, oldest first.
    pub audit: RwSignal<Vec<AuditEvent>>,
    /// Host calls per function over all runs.
    pub host_calls: RwSignal<BTreeMap<String, u64>>,
    pool: StoredValue<WorkerPool, LocalStorage>,
    kept: StoredValue<KeptLayouts, LocalStorage>,
}

/// Layout results kept per graph, plugin version, parameters and selection, so running the same
/// layout again (switching back after trying another) is instant.
#[derive(Default)]
struct KeptLayouts {
    /// Oldest first; a handful per page. Keys start with the plugin's identity key.
    results: VecDeque<(String, Arc<Vec<[f32; 2]>>)>,
    /// The key each layout run in flight will be kept under.
    pending: HashMap<u32, String>,
}

/// Layout results kept at most.
const KEPT_LAYOUTS: usize = 12;

impl KeptLayouts {
    fn get(&self, key: &str) -> Option<Arc<Vec<[f32; 2]>>> {
        self.results.iter().find(|(k, _)| k == key).map(|(_, p)| Arc::clone(p))
    }

    fn keep(&mut self, key: String, positions: Vec<[f32; 2]>) {
        self.results.retain(|(k, _)| *k != key);
        if self.results.len() >= KEPT_LAYOUTS {
            self.results.pop_front();
        }
        self.results.push_back((key, Arc::new(positions)));
    }
}

/// A run in progress, as the pool knows it.
struct PoolRun {
    /// The worker running it.
    slot: usize,
    /// The graph version it runs on.
    graph: u32,
    /// Where the plugin's private folder is stored, when it may use one.
    folder_key: Option<String>,
}

/// A worker's message and error handlers, kept alive as long as the worker.
type WorkerHandlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::ErrorEvent)>);

struct Slot {
    worker: Worker,
    ready: bool,
    queue: VecDeque<js_sys::Object>,
    graph: Option<u32>,
    runs: usize,
    _handlers: WorkerHandlers,
}

#[derive(Default)]
struct WorkerPool {
    slots: Vec<Option<Slot>>,
    next_run: u32,
    /// Runs in progress by run id.
    runs: HashMap<u32, PoolRun>,
}

impl PluginsUi {
    /// Creates the state and fetches the catalog.
    pub fn new(ui: Ui) -> Self {
        let pui = Self {
            catalog: RwSignal::new(Vec::new()),
            chosen: RwSignal::new(None),
            params: RwSignal::new(Map::new()),
            fuel: RwSignal::new(String::new()),
            runs: RwSignal::new(Vec::new()),
            consent: RwSignal::new(None),
            audit: RwSignal::new(Vec::new()),
            host_calls: RwSignal::new(BTreeMap::new()),
            pool: StoredValue::new_local(WorkerPool::default()),
            kept: StoredValue::new_local(KeptLayouts::default()),
        };
        spawn_local(async move {
            match fetch_catalog().await {
                Ok(entries) => pui.catalog.set(entries),
                Err(e) => ui.error.set(Some(format!("the plugin catalog could not be read: {e}"))),
            }
        });
        pui
    }

    /// Makes `source` the chosen plugin and resets the form to its defaults.
    pub fn choose(self, source: PluginSource) {
        self.params.set(defaults(&source.manifest.parameters));
        self.chosen.set(Some(source));
    }

    /// Runs the chosen plugin, asking for consent first if its version was never granted.
    pub fn run_chosen(self, ui: Ui) {
        let Some(source) = self.chosen.get_untracked() else { return };
        let fuel = self.fuel.get_untracked();
        let fuel = match fuel.trim() {
            "" => None,
            text => match text.replace('_', "").parse::<u64>().map(|f| HostPolicy::default().check_fuel(f)) {
                Ok(Ok(f)) => Some(f),
                Ok(Err(e)) => {
                    ui.error.set(Some(format!("fuel: {e}")));
                    return;
                }
                Err(_) => {
                    ui.error.set(Some(format!("fuel {text:?} is not a whole number")));
                    return;
                }
            },
        };
        let request = ConsentRequest { source, params: Value::Object(self.params.get_untracked()), fuel };
        if self.replay_kept(ui, &request) {
            return;
        }
        if request.source.manifest.capabilities.requested().is_empty() {
            self.dispatch(ui, request, Vec::new());
            return;
        }
        let id = request.source.identity.key();
        spawn_local(async move {
            match storage::get(GRANTS, &id).await {
                Ok(Some(stored)) => {
                    let grants: Vec<Capability> =
                        stored.as_string().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
                    self.dispatch(ui, request, grants);
                }
                Ok(None) => self.consent.set(Some(request)),
                Err(e) => {
                    ui.error.set(Some(format!("{e}; asking again")));
                    self.consent.set(Some(request));
                }
            }
        });
    }

    /// The key a layout result is kept under: graph shown, plugin identity, parameters, selection.
    fn kept_key(ui: Ui, request: &ConsentRequest) -> Option<String> {
        (request.source.manifest.plugin.kind == plugin_host::PluginKind::Layout).then(|| {
            format!(
                "{}|{}|{}|{:?}",
                request.source.identity.key(),
                ui.version.get_untracked(),
                request.params,
                ui.selected.get_untracked()
            )
        })
    }

    /// Shows a kept result of the same layout run instead of running it again.
    fn replay_kept(self, ui: Ui, request: &ConsentRequest) -> bool {
        let Some(key) = Self::kept_key(ui, request) else { return false };
        let Some(positions) = self.kept.with_value(|k| k.get(&key)) else { return false };
        let now = loading::now_ms();
        if !matches!(ui.studio.try_update_value(|s| s.set_positions(&positions, true, now, 600.0)), Some(Ok(_))) {
            return false;
        }
        request_redraw(ui);
        let id = self.pool.try_update_value(|pool| {
            pool.next_run += 1;
            pool.next_run - 1
        });
        let plugin = request.source.manifest.id();
        let origin = request.source.identity.origin.describe();
        self.runs.update(|runs| {
            runs.insert(
                0,
                RunView {
                    id: id.unwrap_or_default(),
                    plugin,
                    origin,
                    status: RunStatus::Finished,
                    progress: None,
                    fuel_used: 0,
                    summary: format!("kept from an earlier run: {} positions", positions.len()),
                    findings: Vec::new(),
                    files: Vec::new(),
                    stats: None,
                },
            );
        });
        true
    }

    /// The user answered the consent dialog.
    pub fn answer_consent(self, ui: Ui, allow: bool) {
        let Some(request) = self.consent.get_untracked() else { return };
        self.consent.set(None);
        let id = request.source.manifest.id();
        let key = request.source.identity.key();
        let requested = request.source.manifest.capabilities.requested();
        let keys: Vec<&str> = requested.iter().map(|c| c.key()).collect();
        if !allow {
            self.record(&id, AuditKind::Denied, format!("the user did not allow [{}]", keys.join(", ")));
            return;
        }
        self.record(&id, AuditKind::CapabilityUse, format!("the user allowed [{}]", keys.join(", ")));
        spawn_local(async move {
            let json = serde_json::to_string(&requested).unwrap_or_default();
            if let Err(e) = storage::put(GRANTS, &key, &JsValue::from_str(&json)).await {
                ui.error.set(Some(format!("{e}; the grant holds for this page only")));
            }
            self.dispatch(ui, request, requested);
        });
    }

    /// Forgets the chosen plugin's grants, so the next run asks again.
    pub fn revoke_chosen(self, ui: Ui) {
        let Some(source) = self.chosen.get_untracked() else { return };
        let id = source.manifest.id();
        let key = source.identity.key();
        spawn_local(async move {
            match storage::delete(GRANTS, &key).await {
                Ok(()) => self.record(&id, AuditKind::Denied, "the user revoked its grants".into()),
                Err(e) => ui.error.set(Some(e)),
            }
        });
    }

    /// Asks the worker running `run` to stop it at its next slice.
    pub fn cancel(self, run: u32) {
        self.pool.update_value(|pool| {
            if let Some(slot) = pool.runs.get(&run).and_then(|r| pool.slots.get_mut(r.slot)).and_then(Option::as_mut)
                && let Ok(message) = proto::encode(&ToWorker::Cancel { run }, &[])
            {
                slot.send(message);
            }
        });
    }

    fn record(self, plugin: &str, kind: AuditKind, detail: String) {
        self.audit.update(|trail| {
            let seq = trail.last().map_or(0, |e| e.seq + 1);
            trail.push(AuditEvent { seq, plugin: plugin.to_owned(), kind, detail });
        });
    }

    fn dispatch(self, ui: Ui, request: ConsentRequest, grants: Vec<Capability>) {
        if ui.studio.with_value(|s| s.current.is_none()) {
            ui.error.set(Some("open a graph before running a plugin".into()));
            return;
        }
        let plugin = request.source.manifest.id();
        let origin = request.source.identity.origin.describe();
        let folder_key = grants.contains(&Capability::FileSystemAccess).then(|| request.source.identity.folder_key());
        let selected = ui.selected.get_untracked();
        let kept_key = Self::kept_key(ui, &request);
        spawn_local(async move {
            let folder = if let Some(key) = &folder_key {
                match storage::get_bytes(FOLDERS, key).await {
                    Ok(folder) => folder,
                    Err(e) => {
                        ui.error.set(Some(format!("{e}; the plugin starts with an empty folder")));
                        None
                    }
                }
            } else {
                None
            };
            let run = self.pool.try_update_value(|pool| {
                // Read now, after the awaits above: the run is for the graph on screen when it starts.
                let graph = ui.version.get_untracked();
                let run = pool.next_run;
                pool.next_run += 1;
                let slot = pool.pick_slot(ui, self)?;
                let worker = pool.slots[slot].as_mut()?;
                if worker.graph != Some(graph) {
                    // The worker loads the graph from the same files; they are copied only for a
                    // worker that does not have this graph yet.
                    let message = ui.studio.with_value(|s| {
                        let files = &s.current.as_ref()?.files;
                        let names = files.iter().map(|f| f.name.clone()).collect();
                        let bytes = proto::byte_list(files.iter().map(|f| &f.bytes));
                        proto::encode(&ToWorker::Graph { graph, names }, &[("files", bytes)]).ok()
                    })?;
                    worker.send(message);
                    worker.graph = Some(graph);
                }
                let mut attachments = vec![("wasm", js_sys::Uint8Array::from(request.source.wasm.as_slice()).into())];
                if let Some(folder) = &folder {
                    attachments.push(("folder", js_sys::Uint8Array::from(folder.as_slice()).into()));
                }
                let message = ToWorker::Run(RunSpec {
                    run,
                    graph,
                    manifest: request.source.manifest_text.clone(),
                    grants: grants.clone(),
                    params: request.params.clone(),
                    selected,
                    fuel: request.fuel,
                });
                worker.send(proto::encode(&message, &attachments).ok()?);
                worker.runs += 1;
                pool.runs.insert(run, PoolRun { slot, graph, folder_key: folder_key.clone() });
                Some(run)
            });
            if let (Some(id), Some(key)) = (run.flatten(), kept_key) {
                self.kept.update_value(|k| {
                    k.pending.insert(id, key);
                });
            }
            match run.flatten() {
                Some(id) => self.runs.update(|runs| {
                    runs.insert(
                        0,
                        RunView {
                            id,
                            plugin: plugin.clone(),
                            origin: origin.clone(),
                            status: RunStatus::Running,
                            progress: None,
                            fuel_used: 0,
                            summary: String::new(),
                            findings: Vec::new(),
                            files: Vec::new(),
                            stats: None,
                        },
                    );
                }),
                None => ui.error.set(Some("no plugin worker could be started in this browser".into())),
            }
        });
    }

    fn on_worker_message(self, ui: Ui, slot: usize, data: &JsValue) {
        let message: FromWorker = match proto::decode(data) {
            Ok(m) => m,
            Err(e) => {
                ui.error.set(Some(format!("a plugin worker sent {e}")));
                return;
            }
        };
        match message {
            FromWorker::Ready => self.pool.update_value(|pool| {
                if let Some(worker) = pool.slots.get_mut(slot).and_then(Option::as_mut) {
                    worker.ready = true;
                    while let Some(m) = worker.queue.pop_front() {
                        worker.post(&m);
                    }
                }
            }),
            FromWorker::Progress { run, done, fuel_used } => {
                if let Some(positions) = proto::positions(data) {
                    self.apply_positions(ui, run, &positions, false);
                }
                self.update_run(run, |view| {
                    view.progress = done.or(view.progress);
                    view.fuel_used = fuel_used;
                });
            }
            FromWorker::Finished { run, summary, findings, files, style, stats } => {
                if let Some(positions) = proto::positions(data) {
                    self.apply_positions(ui, run, &positions, true);
                    if let Some(key) = self.kept.try_update_value(|k| k.pending.remove(&run)).flatten() {
                        self.kept.update_value(|k| k.keep(key, positions));
                    }
                }
                if let Some(extras) = style {
                    self.apply_style(ui, run, extras, data);
                }
                let files: Vec<ExportedFile> = files
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, (name, mime))| {
                        let bytes = proto::bytes(data, &format!("file{i}"))?;
                        Some(ExportedFile { name, mime, bytes: Arc::new(bytes) })
                    })
                    .collect();
                self.save_folder(ui, run, proto::bytes(data, "folder"));
                self.end_run(run, stats.clone());
                self.update_run(run, |view| {
                    view.status = RunStatus::Finished;
                    view.summary = summary;
                    view.findings = findings;
                    view.files = files;
                    view.fuel_used = stats.metrics.fuel_used;
                    view.stats = Some(stats);
                });
            }
            FromWorker::Failed { run, code, message, stats } => {
                self.kept.update_value(|k| {
                    k.pending.remove(&run);
                });
                self.end_run(run, stats.clone());
                self.update_run(run, |view| {
                    view.status = RunStatus::Failed { code, message };
                    view.fuel_used = stats.metrics.fuel_used;
                    view.stats = Some(stats);
                });
            }
        }
    }

    fn apply_positions(self, ui: Ui, run: u32, positions: &[[f32; 2]], fit: bool) {
        let graph = self.pool.with_value(|pool| pool.runs.get(&run).map(|r| r.graph));
        // A result for a graph no longer shown is dropped, never drawn on the wrong graph.
        if graph != Some(ui.version.get_untracked()) {
            return;
        }
        // Intermediate positions arrive about every 100 ms: gliding between them reads as motion.
        let animate_ms = if fit { 600.0 } else { 120.0 };
        let now = loading::now_ms();
        match ui.studio.try_update_value(|s| s.set_positions(positions, fit, now, animate_ms)) {
            Some(Ok(fitted)) => {
                if fit && let renderer::layout::Fitted::Rescaled { scale } = fitted {
                    self.update_run(run, |view| {
                        view.summary = format!("positions rescaled ×{scale:.3e} to fit the view");
                    });
                }
                request_redraw(ui);
            }
            Some(Err(e)) if fit => ui.error.set(Some(format!("the layout's positions were not drawn: {e}"))),
            _ => {}
        }
    }

    /// Restyles the view with a renderer's output; a style that does not fit is reported and the
    /// view stays as it was.
    fn apply_style(self, ui: Ui, run: u32, extras: proto::StyleExtras, data: &JsValue) {
        let graph = self.pool.with_value(|pool| pool.runs.get(&run).map(|r| r.graph));
        if graph != Some(ui.version.get_untracked()) {
            return;
        }
        let node_bytes = proto::bytes(data, "node_styles");
        let edge_bytes = proto::bytes(data, "edge_styles");
        let mark_bytes = proto::bytes(data, "edge_marks");
        let records = crate::plugin_style::StyleRecords {
            nodes: node_bytes.as_deref(),
            edges: edge_bytes.as_deref(),
            marks: mark_bytes.as_deref(),
        };
        let result = ui.studio.try_update_value(|s| s.apply_plugin_style(records, extras));
        match result {
            Some(Ok(())) => {
                ui.styled.set(true);
                request_redraw(ui);
            }
            Some(Err(e)) => ui.error.set(Some(format!("the renderer's style was not applied: {e}"))),
            None => {}
        }
    }

    fn save_folder(self, ui: Ui, run: u32, folder: Option<Vec<u8>>) {
        let Some(folder) = folder else { return };
        let Some(key) = self.pool.with_value(|pool| pool.runs.get(&run).and_then(|r| r.folder_key.clone())) else {
            return;
        };
        spawn_local(async move {
            if let Err(e) = storage::put(FOLDERS, &key, &js_sys::Uint8Array::from(folder.as_slice()).into()).await {
                ui.error.set(Some(format!("{e}: the plugin's files from this run were not kept")));
            }
        });
    }

    fn end_run(self, run: u32, stats: RunStats) {
        self.pool.update_value(|pool| {
            // The run is over: forget it, so the map holds only runs a worker is still working on.
            if let Some(PoolRun { slot, .. }) = pool.runs.remove(&run)
                && let Some(worker) = pool.slots.get_mut(slot).and_then(Option::as_mut)
            {
                worker.runs = worker.runs.saturating_sub(1);
            }
        });
        self.audit.update(|trail| {
            for event in stats.audit {
                let seq = trail.last().map_or(0, |e| e.seq + 1);
                trail.push(AuditEvent { seq, ..event });
            }
        });
        self.host_calls.update(|totals| {
            for c in stats.host_calls {
                *totals.entry(c.function).or_default() += c.calls;
            }
        });
    }

    fn update_run(self, run: u32, change: impl FnOnce(&mut RunView)) {
        self.runs.update(|runs| {
            if let Some(view) = runs.iter_mut().find(|v| v.id == run) {
                change(view);
            }
        });
    }

    fn worker_died(self, ui: Ui, slot: usize, reason: &str) {
        let lost: Vec<u32> = self
            .pool
            .try_update_value(|pool| {
                pool.slots[slot] = None;
                pool.runs.iter().filter(|(_, r)| r.slot == slot).map(|(id, _)| *id).collect()
            })
            .unwrap_or_default();
        for run in lost {
            self.update_run(run, |view| {
                if view.status == RunStatus::Running {
                    view.status = RunStatus::Failed {
                        code: "WorkerLost".into(),
                        message: format!("the plugin worker stopped: {reason}"),
                    };
                }
            });
        }
        ui.error.set(Some(format!("a plugin worker stopped: {reason}")));
    }

    /// The JSON of the page's audit trail, for the export button.
    pub fn audit_json(self) -> String {
        let export = serde_json::json!({
            "host_calls": self.host_calls.get_untracked(),
            "events": self.audit.get_untracked(),
        });
        serde_json::to_string_pretty(&export).unwrap_or_default()
    }
}

impl Slot {
    fn post(&self, message: &js_sys::Object) {
        if let Err(e) = self.worker.post_message(message) {
            web_sys::console::error_1(&e);
        }
    }

    /// Sends now if the worker is up; messages sent before its handler exists would be lost.
    fn send(&mut self, message: js_sys::Object) {
        if self.ready {
            self.post(&message);
        } else {
            self.queue.push_back(message);
        }
    }
}

impl WorkerPool {
    /// An idle worker, a new one if all are busy and the pool may grow, else the least busy.
    fn pick_slot(&mut self, ui: Ui, pui: PluginsUi) -> Option<usize> {
        let live: Vec<(usize, usize)> =
            self.slots.iter().enumerate().filter_map(|(i, s)| s.as_ref().map(|s| (i, s.runs))).collect();
        if let Some((i, _)) = live.iter().find(|(_, runs)| *runs == 0) {
            return Some(*i);
        }
        let cap = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency() as usize)
            .unwrap_or(2)
            .saturating_sub(1)
            .clamp(1, MAX_WORKERS);
        if live.len() < cap {
            let index = self.slots.iter().position(Option::is_none).unwrap_or(self.slots.len());
            let slot = spawn_worker(ui, pui, index)?;
            if index == self.slots.len() {
                self.slots.push(Some(slot));
            } else {
                self.slots[index] = Some(slot);
            }
            return Some(index);
        }
        live.iter().min_by_key(|(_, runs)| *runs).map(|(i, _)| *i)
    }
}

fn spawn_worker(ui: Ui, pui: PluginsUi, index: usize) -> Option<Slot> {
    let worker = match Worker::new(WORKER_SCRIPT) {
        Ok(w) => w,
        Err(e) => {
            ui.error.set(Some(format!("the plugin worker could not start: {e:?}")));
            return None;
        }
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        pui.on_worker_message(ui, index, &event.data())
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
        event.prevent_default();
        pui.worker_died(ui, index, &event.message());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Slot { worker, ready: false, queue: VecDeque::new(), graph: None, runs: 0, _handlers: (on_message, on_error) })
}

fn defaults(schema: &BTreeMap<String, ParamSpec>) -> Map<String, Value> {
    schema.iter().map(|(name, spec)| (name.clone(), spec.default_value())).collect()
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let file = loading::fetch_with_progress(url, &|_| {}).await?;
    String::from_utf8(file.bytes).map_err(|_| format!("{url} is not UTF-8"))
}

/// The first-party catalog the build staged.
///
/// # Errors
/// A sentence naming what could not be fetched or read.
pub async fn fetch_catalog() -> Result<Vec<CatalogEntry>, String> {
    let text = fetch_text(CATALOG).await?;
    serde_json::from_str(&text).map_err(|e| format!("{CATALOG}: {e}"))
}

/// Fetches a first-party plugin's manifest and module and checks both against the catalog's
/// SHA-256, so only the bytes the build staged are treated as first-party.
///
/// # Errors
/// A sentence naming the file that could not be read or does not match, or the manifest problem.
pub async fn fetch_first_party(entry: &CatalogEntry) -> Result<PluginSource, String> {
    let name = &entry.name;
    let manifest_text = fetch_text(&format!("plugins/{name}/plugin.toml")).await?;
    let wasm = loading::fetch_with_progress(&format!("plugins/{name}/plugin.wasm"), &|_| {}).await?.bytes;
    for (file, bytes, want) in [
        ("plugin.toml", manifest_text.as_bytes(), &entry.manifest_sha256),
        ("plugin.wasm", wasm.as_slice(), &entry.wasm_sha256),
    ] {
        if plugin_host::sha256_hex(bytes) != *want {
            return Err(format!(
                "plugins/{name}/{file} does not match the catalog's SHA-256; the build is stale or the file was changed"
            ));
        }
    }
    source_from(PluginOrigin::FirstParty, manifest_text, wasm)
}

/// Fetches the first-party plugin `name` (listed or not), checked against the catalog.
///
/// # Errors
/// As [`fetch_first_party`], or the name is not in the catalog.
pub async fn fetch_catalog_plugin(name: &str) -> Result<PluginSource, String> {
    let catalog = fetch_catalog().await?;
    let entry =
        catalog.iter().find(|e| e.name == name).ok_or_else(|| format!("no first-party plugin is named {name}"))?;
    fetch_first_party(entry).await
}

/// A plugin from files the user picked: one `plugin.toml` and one `.wasm`. A name the first-party
/// catalog lists cannot be taken from disk.
///
/// # Errors
/// Which file is missing, the manifest problem, or a first-party name.
pub fn plugin_from_files(files: Vec<FetchedFile>, catalog: &[CatalogEntry]) -> Result<PluginSource, String> {
    let mut manifest = None;
    let mut wasm = None;
    for f in files {
        if f.name.ends_with(".toml") {
            manifest = Some(String::from_utf8(f.bytes).map_err(|_| format!("{} is not UTF-8", f.name))?);
        } else if f.name.ends_with(".wasm") {
            wasm = Some((f.name, f.bytes));
        }
    }
    let (manifest, (file, wasm)) = match (manifest, wasm) {
        (Some(m), Some(w)) => (m, w),
        (None, _) => return Err("pick the plugin's plugin.toml together with its .wasm".into()),
        (_, None) => return Err("pick the plugin's .wasm together with its plugin.toml".into()),
    };
    let source = source_from(PluginOrigin::Disk { file }, manifest, wasm)?;
    let name = &source.manifest.plugin.name;
    if catalog.iter().any(|e| e.listed && e.name == *name) {
        return Err(format!(
            "the name {name} belongs to a first-party plugin; a plugin from disk cannot take it (rename yours in its plugin.toml)"
        ));
    }
    Ok(source)
}

fn source_from(origin: PluginOrigin, manifest_text: String, wasm: Vec<u8>) -> Result<PluginSource, String> {
    let manifest = Manifest::parse(&manifest_text).map_err(|e| e.to_string())?;
    let identity = PluginIdentity::new(origin, &manifest, &manifest_text, &wasm);
    Ok(PluginSource { manifest: Arc::new(manifest), manifest_text, wasm: Arc::new(wasm), identity })
}
