//! Plugins on the page: the catalog, consent, the worker pool that runs them, and what comes back.
//!
//! Plugins never run on the page's thread. A pool of Web Workers, each with its own
//! [`plugin_host::PluginHost`], runs them; the page sends a worker the graph's compact model once
//! per graph, then runs, and applies what comes back (positions animate into the view as a
//! progressive layout publishes them). What decides and remembers (consent, kept layouts, run
//! bookkeeping) is the core's ([`studio_core`]); this module is the browser side of it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use plugin_host::lane::Trust;
use plugin_host::{AuditEvent, AuditKind, Capability, HostPolicy, MetricColumn, ParamSpec};
use serde_json::{Map, Value};
use share::view::PluginChoice;
use studio_core::catalog::{CatalogEntry, PluginSource};
use studio_core::consent::{self, ConsentDecision};
use studio_core::plugin_style::{StyleExtras, StyleRecords};
use studio_core::runs::{ExportedFile, KeptLayout, KeptLayouts, RunBook, RunRecord, RunStats, RunStatus, RunView};
use studio_core::storage::{Area, MemoryStorage, StorageBackend, StorageError};
use studio_workers::protocol::{self as proto, FromWorker, RunSpec, ToWorker};
use wasm_bindgen::JsValue;

use crate::browser_storage::IdbStorage;
use crate::loading::now_ms;
use crate::plugin_catalog::fetch_catalog;
use crate::plugin_pool::WorkerPool;
use crate::state::Ui;

/// Most workers in the pool.
pub(crate) const MAX_WORKERS: usize = 4;

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
    /// Plugins the user marked trusted (by identity key), which run in the fast lane.
    pub trusted: RwSignal<HashSet<String>>,
    /// Runs, newest first.
    pub runs: RwSignal<Vec<RunView>>,
    /// The consent dialog's request.
    pub consent: RwSignal<Option<ConsentRequest>>,
    /// Bundled plugins that only read the graph and draw run without asking.
    pub bundled_allowed: RwSignal<bool>,
    /// The audit trail of this page: notable events of every plugin, oldest first.
    pub audit: RwSignal<Vec<AuditEvent>>,
    /// Host calls per function over all runs.
    pub host_calls: RwSignal<BTreeMap<String, u64>>,
    pool: StoredValue<WorkerPool, LocalStorage>,
    kept: StoredValue<KeptLayouts, LocalStorage>,
    book: StoredValue<RunBook, LocalStorage>,
    /// The last layout run whose positions were drawn: the first positions of a new run mark an
    /// undo step.
    layout_run: StoredValue<Option<u32>, LocalStorage>,
    /// Each run's plugin and parameters, as a deep link names them.
    choices: StoredValue<HashMap<u32, PluginChoice>, LocalStorage>,
    /// Grants and folders of tried plugins: this page only.
    page_store: StoredValue<Rc<MemoryStorage>, LocalStorage>,
}

/// Where a plugin's grants and private files are kept: IndexedDB, or, for a plugin only tried
/// from a registry, this page's memory (gone when the tab closes).
#[derive(Clone)]
enum GrantStore {
    Browser,
    Page(Rc<MemoryStorage>),
}

impl StorageBackend for GrantStore {
    async fn get(&self, area: Area, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        match self {
            Self::Browser => IdbStorage.get(area, key).await,
            Self::Page(m) => m.get(area, key).await,
        }
    }

    async fn put(&self, area: Area, key: &str, value: &[u8]) -> Result<(), StorageError> {
        match self {
            Self::Browser => IdbStorage.put(area, key, value).await,
            Self::Page(m) => m.put(area, key, value).await,
        }
    }

    async fn delete(&self, area: Area, key: &str) -> Result<(), StorageError> {
        match self {
            Self::Browser => IdbStorage.delete(area, key).await,
            Self::Page(m) => m.delete(area, key).await,
        }
    }
}

impl PluginsUi {
    /// Creates the state and fetches the catalog.
    pub fn new(ui: Ui) -> Self {
        let pui = Self {
            catalog: RwSignal::new(Vec::new()),
            chosen: RwSignal::new(None),
            params: RwSignal::new(Map::new()),
            fuel: RwSignal::new(String::new()),
            trusted: RwSignal::new(HashSet::new()),
            runs: RwSignal::new(Vec::new()),
            consent: RwSignal::new(None),
            bundled_allowed: RwSignal::new(false),
            audit: RwSignal::new(Vec::new()),
            host_calls: RwSignal::new(BTreeMap::new()),
            pool: StoredValue::new_local(WorkerPool::default()),
            kept: StoredValue::new_local(KeptLayouts::default()),
            book: StoredValue::new_local(RunBook::default()),
            layout_run: StoredValue::new_local(None),
            choices: StoredValue::new_local(HashMap::new()),
            page_store: StoredValue::new_local(Rc::new(MemoryStorage::default())),
        };
        spawn_local(async move {
            if let Ok(allowed) = consent::bundled_allowed(&IdbStorage).await {
                pui.bundled_allowed.set(allowed);
            }
            match fetch_catalog().await {
                Ok(entries) => pui.catalog.set(entries),
                Err(e) => ui.error.set(Some(format!("the plugin catalog could not be read: {e}"))),
            }
        });
        pui
    }

    /// Runs the first-party plugin a link names with the link's parameters, as if chosen in the
    /// panel (consent included); one this app does not have is said in a notice.
    pub fn run_linked(self, ui: Ui, choice: PluginChoice) {
        spawn_local(async move {
            match crate::plugin_catalog::fetch_catalog_plugin(&choice.name).await {
                Ok(source) => {
                    self.choose(source);
                    if let Value::Object(given) = choice.params {
                        self.params.update(|p| p.extend(given));
                    }
                    self.run_chosen(ui);
                }
                Err(e) => ui.notice.set(Some(format!(
                    "The link names the plugin {:?}, which is not available here ({e}); the rest of the view is shown.",
                    choice.name
                ))),
            }
        });
    }

    /// Makes `source` the chosen plugin and resets the form to its defaults.
    pub fn choose(self, source: PluginSource) {
        self.params.set(defaults(&source.manifest.parameters));
        let store = self.store(source.session_only);
        let identity = source.identity.clone();
        self.chosen.set(Some(source.clone()));
        // The checkbox shows what storage keeps; a failed read shows it untrusted.
        spawn_local(async move {
            let trusted = consent::trust(&store, &source).await.is_ok_and(|t| t == Trust::Hand);
            self.trusted.update(|t| {
                if trusted {
                    t.insert(identity.key());
                } else {
                    t.remove(&identity.key());
                }
            });
        });
    }

    /// Whether and why the user trusts `source` to run in the fast lane, as the page knows it.
    fn trust_of(self, source: &PluginSource) -> Trust {
        match &source.trusted_publisher {
            Some(key) => Trust::Publisher { key: key.clone() },
            None if self.trusted.with_untracked(|t| t.contains(&source.identity.key())) => Trust::Hand,
            None => Trust::None,
        }
    }

    /// Where `source`'s grants and files are kept.
    fn store(self, session_only: bool) -> GrantStore {
        if session_only { GrantStore::Page(self.page_store.get_value()) } else { GrantStore::Browser }
    }

    /// Runs the chosen plugin, asking for consent first if its identity was never granted.
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
        spawn_local(async move {
            match consent::decide(&self.store(request.source.session_only), &request.source).await {
                Ok(ConsentDecision::Run(grants)) => self.dispatch(ui, request, grants),
                Ok(ConsentDecision::Ask) => self.consent.set(Some(request)),
                Err(e) => {
                    ui.error.set(Some(format!("{e}; asking again")));
                    self.consent.set(Some(request));
                }
            }
        });
    }

    /// The key a layout result is kept under: plugin identity, graph shown, parameters, selection.
    fn kept_key(ui: Ui, request: &ConsentRequest) -> Option<String> {
        (request.source.manifest.plugin.kind == plugin_host::PluginKind::Layout).then(|| {
            KeptLayouts::key(
                &request.source.identity.key(),
                ui.version.get_untracked(),
                &request.params,
                ui.selected.get_untracked(),
            )
        })
    }

    /// Shows a kept result of the same layout run instead of running it again.
    fn replay_kept(self, ui: Ui, request: &ConsentRequest) -> bool {
        let Some(key) = Self::kept_key(ui, request) else { return false };
        let Some(kept) = self.kept.with_value(|k| k.get(&key)) else { return false };
        let now = now_ms();
        let moved = ui.studio.try_update_value(|s| {
            s.begin_layout();
            let moved = s.set_positions(&kept.positions, true, now, 600.0)?;
            if let Some(routes) = &kept.routes {
                // Kept from a run whose routes were checked against this graph.
                s.route_edges_encoded(routes).ok();
            }
            Ok::<_, studio_core::PositionsRefused>(moved)
        });
        if !matches!(moved, Some(Ok(_))) {
            return false;
        }
        self.layout_run.set_value(None);
        let choice = PluginChoice { name: request.source.manifest.plugin.name.clone(), params: request.params.clone() };
        ui.view_plugins.update(|v| v.layout = Some(choice));
        ui.sync_view();
        let id = self.book.try_update_value(RunBook::next_id).unwrap_or_default();
        let (info, origin) =
            (findings::PluginInfo::from(&*request.source.manifest), request.source.identity.origin.describe());
        self.runs.update(|runs| {
            runs.insert(0, RunView::replayed(id, info, origin, ui.version.get_untracked(), kept.positions.len()))
        });
        true
    }

    /// The user answered the consent dialog.
    pub fn answer_consent(self, ui: Ui, allow: bool) {
        let Some(request) = self.consent.get_untracked() else { return };
        self.consent.set(None);
        self.settle_consent(ui, request, allow);
    }

    /// The user allowed every bundled plugin that only reads and draws, this one included.
    pub fn allow_bundled_and_run(self, ui: Ui) {
        let Some(request) = self.consent.get_untracked() else { return };
        self.consent.set(None);
        self.set_bundled_allowed(ui, true);
        self.settle_consent(ui, request, true);
    }

    /// Keeps (or withdraws) the choice that bundled read-and-draw plugins run without asking.
    pub fn set_bundled_allowed(self, ui: Ui, allow: bool) {
        self.bundled_allowed.set(allow);
        let what = if allow { "allowed" } else { "withdrew the choice for" };
        let message = format!("the user {what} bundled plugins that only read the graph and draw");
        self.record("bundled plugins", AuditKind::CapabilityUse, message);
        spawn_local(async move {
            if let Err(e) = consent::allow_bundled(&IdbStorage, allow).await {
                ui.error.set(Some(format!("{e}; the choice holds for this page only")));
            }
        });
    }

    fn settle_consent(self, ui: Ui, request: ConsentRequest, allow: bool) {
        let id = request.source.manifest.id();
        let requested = request.source.manifest.capabilities.requested();
        let keys: Vec<&str> = requested.iter().map(|c| c.key()).collect();
        if !allow {
            self.record(&id, AuditKind::Denied, format!("the user did not allow [{}]", keys.join(", ")));
            return;
        }
        self.record(&id, AuditKind::CapabilityUse, format!("the user allowed [{}]", keys.join(", ")));
        spawn_local(async move {
            let store = self.store(request.source.session_only);
            if let Err(e) = consent::remember(&store, &request.source.identity, &requested).await {
                ui.error.set(Some(format!("{e}; the grant holds for this page only")));
            }
            self.dispatch(ui, request, requested);
        });
    }

    /// Forgets the chosen plugin's grants, so the next run asks again.
    pub fn revoke_chosen(self, ui: Ui) {
        let Some(source) = self.chosen.get_untracked() else { return };
        spawn_local(async move {
            self.trusted.update(|t| {
                t.remove(&source.identity.key());
            });
            match consent::forget(&self.store(source.session_only), &source.identity).await {
                Ok(()) => self.record(
                    &source.manifest.id(),
                    AuditKind::Denied,
                    "the user revoked its grants and trust".into(),
                ),
                Err(e) => ui.error.set(Some(e.to_string())),
            }
        });
    }

    /// Lists a run the app made itself (the API diff against a base snapshot) with the plugin runs,
    /// for the graph on screen, finished: its findings join the findings panel.
    pub fn add_native_run(self, ui: Ui, run: findings::AnalysisRun) {
        let id = self.book.try_update_value(RunBook::next_id).unwrap_or_default();
        let mut view = RunView::running(id, run.plugin, "built into the app".into(), ui.version.get_untracked());
        view.status = RunStatus::Finished;
        view.summary = format!("{} findings", run.findings.len());
        view.findings = run.findings;
        view.metrics = run.metrics;
        self.runs.update(|runs| runs.insert(0, view));
    }

    /// Marks the chosen plugin trusted by hand, or not, and keeps the mark with its grants; its
    /// next run takes the lane that follows.
    pub fn set_trusted(self, ui: Ui, trusted: bool) {
        let Some(source) = self.chosen.get_untracked() else { return };
        let key = source.identity.key();
        self.trusted.update(|t| {
            if trusted {
                t.insert(key);
            } else {
                t.remove(&key);
            }
        });
        let id = source.manifest.id();
        spawn_local(async move {
            match consent::set_trusted(&self.store(source.session_only), &source.identity, trusted).await {
                Ok(()) => {
                    let detail = if trusted {
                        "marked trusted: runs in the fast lane"
                    } else {
                        "no longer trusted: runs in the interpreter"
                    };
                    self.record(&id, AuditKind::CapabilityUse, detail.into());
                }
                Err(e) => ui.error.set(Some(format!("{e}; the mark holds for this page only"))),
            }
        });
    }

    /// Stops `run`: the interpreter lane stops at its next slice; a fast-lane run holds its worker
    /// until it ends, so that worker is ended and a fresh one takes its place.
    pub fn cancel(self, ui: Ui, run: u32) {
        let fast = self.pool.try_update_value(|pool| pool.end_fast_run(ui, self, run)).flatten();
        if let Some(plugin) = fast {
            self.update_run(run, |view| {
                view.status = RunStatus::Failed {
                    code: "Cancelled".into(),
                    message: format!(
                        "plugin {plugin} was cancelled (its worker was ended: the fast lane cannot pause)"
                    ),
                };
            });
            self.book.update_value(|b| {
                b.end(run);
            });
            return;
        }
        self.pool.update_value(|pool| {
            if let Some(slot) = pool.run_slot.get(&run).and_then(|&s| pool.slots.get_mut(s)).and_then(Option::as_mut)
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
        let info = findings::PluginInfo::from(&*request.source.manifest);
        let origin = request.source.identity.origin.describe();
        let folder_key = grants.contains(&Capability::FileSystemAccess).then(|| request.source.identity.folder_key());
        let session_only = request.source.session_only;
        let selected = ui.selected.get_untracked();
        let kept_key = Self::kept_key(ui, &request);
        spawn_local(async move {
            let folder = match &folder_key {
                Some(key) => self.store(session_only).get(Area::Folders, key).await.unwrap_or_else(|e| {
                    ui.error.set(Some(format!("{e}; the plugin starts with an empty folder")));
                    None
                }),
                None => None,
            };
            // Read now, after the awaits above: the run is for the graph on screen when it starts.
            let graph = ui.version.get_untracked();
            let run = self.book.try_update_value(RunBook::next_id).unwrap_or_default();
            let spec = RunSpec {
                run,
                graph,
                manifest: request.source.manifest_text.clone(),
                grants: grants.clone(),
                params: request.params.clone(),
                selected,
                fuel: request.fuel,
                trust: self.trust_of(&request.source),
            };
            let sent =
                self.pool.try_update_value(|pool| pool.send_run(ui, self, spec, &request.source, folder.as_deref()));
            if sent.flatten().is_none() {
                ui.error.set(Some("no plugin worker could be started in this browser".into()));
                return;
            }
            self.book.update_value(|b| b.start(run, RunRecord { graph, folder_key, kept_key, session_only }));
            let choice =
                PluginChoice { name: request.source.manifest.plugin.name.clone(), params: request.params.clone() };
            self.choices.update_value(|c| {
                c.insert(run, choice);
            });
            self.runs.update(|runs| runs.insert(0, RunView::running(run, info, origin, graph)));
        });
    }

    pub(crate) fn on_worker_message(self, ui: Ui, slot: usize, data: &JsValue) {
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
            FromWorker::Finished { run, summary, findings, files, metrics, style, stats } => {
                let metrics: Vec<MetricColumn> = metrics
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, name)| {
                        let bytes = proto::bytes(data, &format!("metric{i}"))?;
                        Some(MetricColumn { name, values: plugin_host::abi::decode_f32s(&bytes) })
                    })
                    .collect();
                self.update_run(run, |view| {
                    view.status = RunStatus::Finished;
                    view.summary = summary;
                    view.findings = findings;
                    view.metrics = metrics;
                });
                if let Some(positions) = proto::positions(data) {
                    let placed = self.apply_positions(ui, run, &positions, true);
                    let routes = proto::bytes(data, "edge_routes");
                    if placed && let Some(routes) = &routes {
                        self.apply_routes(ui, run, routes);
                    }
                    if let Some(key) = self.book.with_value(|b| b.get(run).and_then(|r| r.kept_key.clone())) {
                        self.kept.update_value(|k| k.keep(key, KeptLayout { positions, routes }));
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
                    view.files = files;
                    view.fuel_used = stats.metrics.fuel_used;
                    view.stats = Some(stats);
                });
            }
            FromWorker::Failed { run, code, message, stats } => {
                self.end_run(run, stats.clone());
                self.update_run(run, |view| {
                    view.status = RunStatus::Failed { code, message };
                    view.fuel_used = stats.metrics.fuel_used;
                    view.stats = Some(stats);
                });
            }
        }
    }

    /// Whether a result of `run` belongs to the graph on screen (a result for a graph no longer
    /// shown is dropped, never drawn on the wrong graph).
    fn for_graph_shown(self, ui: Ui, run: u32) -> bool {
        self.book.with_value(|b| b.get(run).map(|r| r.graph)) == Some(ui.version.get_untracked())
    }

    /// Glides the nodes to a layout's positions; `false` when they were not taken.
    fn apply_positions(self, ui: Ui, run: u32, positions: &[[f32; 2]], fit: bool) -> bool {
        if !self.for_graph_shown(ui, run) {
            return false;
        }
        // Intermediate positions arrive about every 100 ms: gliding between them reads as motion.
        let animate_ms = if fit { 600.0 } else { 120.0 };
        let now = now_ms();
        let first = self.layout_run.get_value() != Some(run);
        self.layout_run.set_value(Some(run));
        let moved = ui.studio.try_update_value(|s| {
            if first {
                s.begin_layout();
            }
            s.set_positions(positions, fit, now, animate_ms)
        });
        match moved {
            Some(Ok(fitted)) => {
                if fit {
                    let choice = self.choices.with_value(|c| c.get(&run).cloned());
                    ui.view_plugins.update(|v| v.layout = choice);
                    crate::deep_link::layout_done(ui);
                }
                if fit && let renderer::layout::Fitted::Rescaled { scale, .. } = fitted {
                    self.update_run(run, |view| {
                        view.summary = format!("{}; positions rescaled ×{scale:.3e} to fit the view", view.summary);
                    });
                }
                if first {
                    ui.sync_view();
                } else {
                    ui.request_redraw();
                }
                true
            }
            Some(Err(e)) if fit => {
                ui.error.set(Some(format!("the layout's positions were not drawn: {e}")));
                false
            }
            _ => false,
        }
    }

    /// Draws the edges a layout routed as polylines once its nodes are in place; routes that do
    /// not fit the graph are reported and the edges stay straight.
    fn apply_routes(self, ui: Ui, run: u32, bytes: &[u8]) {
        if !self.for_graph_shown(ui, run) {
            return;
        }
        let routed = ui.studio.try_update_value(|s| s.route_edges_encoded(bytes));
        match routed {
            Some(Ok(())) => ui.request_redraw(),
            Some(Err(e)) => ui.error.set(Some(format!("the layout's edge routes were not drawn: {e}"))),
            None => {}
        }
    }

    /// Restyles the view with a renderer's output; a style that does not fit is reported and the
    /// view stays as it was.
    fn apply_style(self, ui: Ui, run: u32, extras: StyleExtras, data: &JsValue) {
        if !self.for_graph_shown(ui, run) {
            return;
        }
        let node_bytes = proto::bytes(data, "node_styles");
        let edge_bytes = proto::bytes(data, "edge_styles");
        let mark_bytes = proto::bytes(data, "edge_marks");
        let records =
            StyleRecords { nodes: node_bytes.as_deref(), edges: edge_bytes.as_deref(), marks: mark_bytes.as_deref() };
        let style = self.runs.with_untracked(|runs| runs.iter().find(|r| r.id == run).map(|r| r.plugin.clone()));
        let style = style.unwrap_or_else(|| "a renderer plugin".to_owned());
        match ui.studio.try_update_value(|s| s.apply_plugin_style(&style, records, extras)) {
            Some(Ok(())) => {
                ui.styled.set(true);
                let choice = self.choices.with_value(|c| c.get(&run).cloned());
                ui.view_plugins.update(|v| v.renderer = choice);
                ui.sync_view();
            }
            Some(Err(e)) => ui.error.set(Some(format!("the renderer's style was not applied: {e}"))),
            None => {}
        }
    }

    fn save_folder(self, ui: Ui, run: u32, folder: Option<Vec<u8>>) {
        let Some(folder) = folder else { return };
        let Some((key, session_only)) =
            self.book.with_value(|b| b.get(run).and_then(|r| r.folder_key.clone().map(|k| (k, r.session_only))))
        else {
            return;
        };
        spawn_local(async move {
            if let Err(e) = self.store(session_only).put(Area::Folders, &key, &folder).await {
                ui.error.set(Some(format!("{e}: the plugin's files from this run were not kept")));
            }
        });
    }

    fn end_run(self, run: u32, stats: RunStats) {
        // The run is over: forget it, so the book holds only runs a worker is still working on.
        self.book.update_value(|b| {
            b.end(run);
        });
        self.pool.update_value(|pool| {
            pool.fast_runs.remove(&run);
            if let Some(slot) = pool.run_slot.remove(&run)
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

    pub(crate) fn worker_died(self, ui: Ui, slot: usize, reason: &str) {
        let lost: Vec<u32> = self
            .pool
            .try_update_value(|pool| {
                pool.slots[slot] = None;
                pool.run_slot.iter().filter(|(_, s)| **s == slot).map(|(id, _)| *id).collect()
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

fn defaults(schema: &BTreeMap<String, ParamSpec>) -> Map<String, Value> {
    schema.iter().map(|(name, spec)| (name.clone(), spec.default_value())).collect()
}
