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
use plugin_host::{AuditEvent, AuditKind, Capability, Finding, Manifest, ParamSpec};
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

/// A plugin ready to run: its manifest and module.
#[derive(Clone, Debug)]
pub struct PluginSource {
    /// The parsed manifest.
    pub manifest: Arc<Manifest>,
    /// The manifest's text, sent to the worker (which parses it again: it trusts nothing).
    pub manifest_text: String,
    /// The module.
    pub wasm: Arc<Vec<u8>>,
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
    /// Exported files: name and object URL for download.
    pub files: Vec<(String, String)>,
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
    /// First-party plugin names.
    pub catalog: RwSignal<Vec<String>>,
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
    /// Oldest first; a handful per page.
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
    /// Runs in progress: run id → (slot, graph version, plugin id, whether it may use a folder).
    runs: HashMap<u32, (usize, u32, String, bool)>,
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
            match fetch_text(CATALOG)
                .await
                .and_then(|t| serde_json::from_str::<Vec<String>>(&t).map_err(|e| format!("{CATALOG}: {e}")))
            {
                Ok(names) => pui.catalog.set(names),
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
            text => match text.replace('_', "").parse::<u64>() {
                Ok(f) if f > 0 => Some(f),
                _ => {
                    ui.error.set(Some(format!("fuel {text:?} is not a positive whole number")));
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
        let id = request.source.manifest.id();
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

    /// The key a layout result is kept under: graph shown, plugin version, parameters, selection.
    fn kept_key(ui: Ui, request: &ConsentRequest) -> Option<String> {
        (request.source.manifest.plugin.kind == plugin_host::PluginKind::Layout).then(|| {
            format!(
                "{}|{}|{}|{:?}",
                ui.version.get_untracked(),
                request.source.manifest.id(),
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
        if !ui.studio.try_update_value(|s| s.set_positions(&positions, true, now, 600.0)).unwrap_or(false) {
            return false;
        }
        request_redraw(ui);
        let id = self.pool.try_update_value(|pool| {
            pool.next_run += 1;
            pool.next_run - 1
        });
        let plugin = request.source.manifest.id();
        self.runs.update(|runs| {
            runs.insert(
                0,
                RunView {
                    id: id.unwrap_or_default(),
                    plugin,
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
        let requested = request.source.manifest.capabilities.requested();
        let keys: Vec<&str> = requested.iter().map(|c| c.key()).collect();
        if !allow {
            self.record(&id, AuditKind::Denied, format!("the user did not allow [{}]", keys.join(", ")));
            return;
        }
        self.record(&id, AuditKind::CapabilityUse, format!("the user allowed [{}]", keys.join(", ")));
        spawn_local(async move {
            let json = serde_json::to_string(&requested).unwrap_or_default();
            if let Err(e) = storage::put(GRANTS, &id, &JsValue::from_str(&json)).await {
                ui.error.set(Some(format!("{e}; the grant holds for this page only")));
            }
            self.dispatch(ui, request, requested);
        });
    }

    /// Forgets the chosen plugin's grants, so the next run asks again.
    pub fn revoke_chosen(self, ui: Ui) {
        let Some(source) = self.chosen.get_untracked() else { return };
        let id = source.manifest.id();
        spawn_local(async move {
            match storage::delete(GRANTS, &id).await {
                Ok(()) => self.record(&id, AuditKind::Denied, "the user revoked its grants".into()),
                Err(e) => ui.error.set(Some(e)),
            }
        });
    }

    /// Asks the worker running `run` to stop it at its next slice.
    pub fn cancel(self, run: u32) {
        self.pool.update_value(|pool| {
            if let Some(slot) =
                pool.runs.get(&run).and_then(|(slot, ..)| pool.slots.get_mut(*slot)).and_then(Option::as_mut)
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
        let name = request.source.manifest.plugin.name.clone();
        let uses_folder = grants.contains(&Capability::FileSystemAccess);
        let selected = ui.selected.get_untracked();
        let kept_key = Self::kept_key(ui, &request);
        spawn_local(async move {
            let folder = if uses_folder {
                match storage::get_bytes(FOLDERS, &name).await {
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
                pool.runs.insert(run, (slot, graph, plugin.clone(), uses_folder));
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
                let urls: Vec<(String, String)> = files
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (name, mime))| {
                        let bytes = proto::bytes(data, &format!("file{i}"))?;
                        Some((name.clone(), object_url(&bytes, mime)?))
                    })
                    .collect();
                self.save_folder(ui, run, proto::bytes(data, "folder"));
                self.end_run(run, stats.clone());
                self.update_run(run, |view| {
                    view.status = RunStatus::Finished;
                    view.summary = summary;
                    view.findings = findings;
                    view.files = urls;
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
        let graph = self.pool.with_value(|pool| pool.runs.get(&run).map(|r| r.1));
        // A result for a graph no longer shown is dropped, never drawn on the wrong graph.
        if graph != Some(ui.version.get_untracked()) {
            return;
        }
        // Intermediate positions arrive about every 100 ms: gliding between them reads as motion.
        let animate_ms = if fit { 600.0 } else { 120.0 };
        let now = loading::now_ms();
        if ui.studio.try_update_value(|s| s.set_positions(positions, fit, now, animate_ms)).unwrap_or(false) {
            request_redraw(ui);
        }
    }

    /// Restyles the view with a renderer's output; a style that does not fit is reported and the
    /// view stays as it was.
    fn apply_style(self, ui: Ui, run: u32, extras: proto::StyleExtras, data: &JsValue) {
        let graph = self.pool.with_value(|pool| pool.runs.get(&run).map(|r| r.1));
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
        let Some(plugin) = self.pool.with_value(|pool| pool.runs.get(&run).filter(|r| r.3).map(|r| r.2.clone())) else {
            return;
        };
        let name = plugin.split('@').next().unwrap_or(&plugin).to_owned();
        spawn_local(async move {
            if let Err(e) = storage::put(FOLDERS, &name, &js_sys::Uint8Array::from(folder.as_slice()).into()).await {
                ui.error.set(Some(format!("{e}: {plugin}'s files from this run were not kept")));
            }
        });
    }

    fn end_run(self, run: u32, stats: RunStats) {
        self.pool.update_value(|pool| {
            // The run is over: forget it, so the map holds only runs a worker is still working on.
            if let Some((slot, ..)) = pool.runs.remove(&run)
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
                pool.runs.iter().filter(|(_, r)| r.0 == slot).map(|(id, _)| *id).collect()
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

/// Fetches a first-party plugin's manifest and module.
///
/// # Errors
/// A sentence naming the file that could not be read or the manifest problem.
pub async fn fetch_catalog_plugin(name: &str) -> Result<PluginSource, String> {
    let manifest_text = fetch_text(&format!("plugins/{name}/plugin.toml")).await?;
    let wasm = loading::fetch_with_progress(&format!("plugins/{name}/plugin.wasm"), &|_| {}).await?.bytes;
    source_from(manifest_text, wasm)
}

/// A plugin from files the user picked: one `plugin.toml` and one `.wasm`.
///
/// # Errors
/// Which file is missing, or the manifest problem.
pub fn plugin_from_files(files: Vec<FetchedFile>) -> Result<PluginSource, String> {
    let mut manifest = None;
    let mut wasm = None;
    for f in files {
        if f.name.ends_with(".toml") {
            manifest = Some(String::from_utf8(f.bytes).map_err(|_| format!("{} is not UTF-8", f.name))?);
        } else if f.name.ends_with(".wasm") {
            wasm = Some(f.bytes);
        }
    }
    match (manifest, wasm) {
        (Some(m), Some(w)) => source_from(m, w),
        (None, _) => Err("pick the plugin's plugin.toml together with its .wasm".into()),
        (_, None) => Err("pick the plugin's .wasm together with its plugin.toml".into()),
    }
}

fn source_from(manifest_text: String, wasm: Vec<u8>) -> Result<PluginSource, String> {
    let manifest = Manifest::parse(&manifest_text).map_err(|e| e.to_string())?;
    Ok(PluginSource { manifest: Arc::new(manifest), manifest_text, wasm: Arc::new(wasm) })
}

/// Offers `bytes` to the user as a file download named `file_name`.
pub fn download(bytes: &[u8], mime: &str, file_name: &str) {
    let Some(url) = object_url(bytes, mime) else { return };
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
}

/// An object URL for downloading `bytes`.
pub fn object_url(bytes: &[u8], mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
