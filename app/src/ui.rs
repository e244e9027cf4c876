//! The app shell: reactive state, the load pipeline, and the page layout.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::graph_view::{GraphView, request_redraw};
use crate::loading::{self, BUNDLED_SAMPLES, DEFAULT_SAMPLE, FetchedFile};
use crate::panels::{DetailsPanel, ErrorBanner, ProgressBar, SearchPanel, StatsPanel};
use crate::studio::{LoadedGraph, Studio, Summary};

/// A long step in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// What is happening.
    pub label: String,
    /// Fraction done, NaN when unknown.
    pub fraction: f64,
}

/// The renderer's state, as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendState {
    /// Still starting.
    Starting,
    /// Running on this backend.
    Ready(&'static str),
    /// Could not start.
    Failed(String),
}

/// The card shown next to the node under the pointer.
#[derive(Clone, Debug, PartialEq)]
pub struct HoverCard {
    /// Node id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Pointer position in CSS pixels.
    pub at: [f64; 2],
}

/// All reactive state, shared through context. Large data stays in [`Studio`], outside signals.
#[derive(Clone, Copy)]
pub struct Ui {
    /// Graph, scene, camera, renderer.
    pub studio: StoredValue<Studio, LocalStorage>,
    /// Counts and warnings of the graph shown.
    pub summary: RwSignal<Option<Summary>>,
    /// The error banner's text.
    pub error: RwSignal<Option<String>>,
    /// The progress bar.
    pub progress: RwSignal<Option<Progress>>,
    /// The selected node.
    pub selected: RwSignal<Option<u32>>,
    /// Bumped whenever a new graph is shown.
    pub version: RwSignal<u32>,
    /// Renderer state.
    pub backend: RwSignal<BackendState>,
    /// Frames drawn (for tests and the bench page).
    pub frames: RwSignal<u32>,
    /// Nodes in the current selection.
    pub boxed: RwSignal<usize>,
    /// The node under the pointer.
    pub hovered: RwSignal<Option<HoverCard>>,
    /// Labels drawn in the last frame, and the aggregate share (level of detail), for tests.
    pub view_stats: RwSignal<(usize, f32)>,
    /// The box being dragged out, in CSS pixels: x, y, width, height.
    pub selection_box: RwSignal<Option<[f64; 4]>>,
    /// A PNG export is running.
    pub exporting: RwSignal<bool>,
    /// A renderer plugin's style is in force.
    pub styled: RwSignal<bool>,
}

impl Ui {
    fn new() -> Self {
        Self {
            studio: StoredValue::new_local(Studio::default()),
            summary: RwSignal::new(None),
            error: RwSignal::new(None),
            progress: RwSignal::new(None),
            selected: RwSignal::new(None),
            version: RwSignal::new(0),
            backend: RwSignal::new(BackendState::Starting),
            frames: RwSignal::new(0),
            boxed: RwSignal::new(0),
            hovered: RwSignal::new(None),
            view_stats: RwSignal::new((0, 0.0)),
            selection_box: RwSignal::new(None),
            exporting: RwSignal::new(false),
            styled: RwSignal::new(false),
        }
    }

    /// Selects a node (or none), optionally centring the view on it.
    pub fn select(self, id: Option<u32>, centre: bool) {
        self.studio.update_value(|s| {
            s.select(id.as_slice());
            if let (true, Some(i)) = (centre, id) {
                s.centre_on(i);
            }
        });
        self.selected.set(id);
        self.boxed.set(usize::from(id.is_some()));
        request_redraw(self);
    }

    /// Selects every node in a box (the details panel shows the first).
    pub fn select_many(self, ids: &[u32]) {
        self.studio.update_value(|s| s.select(ids));
        self.selected.set(ids.first().copied());
        self.boxed.set(ids.len());
        request_redraw(self);
    }
}

/// Where a graph comes from.
pub enum Source {
    /// One or more URLs that together make one graph.
    Urls(Vec<String>),
    /// The base URL of a running parseltongue v1.7.2 server.
    Server(String),
    /// Files already read.
    Files(Vec<FetchedFile>),
}

/// Loads a graph and shows it; on any failure the banner explains and the current graph stays.
pub fn open(ui: Ui, source: Source) {
    spawn_local(async move {
        let files = match source {
            Source::Files(files) => files,
            Source::Server(base) => {
                let label = format!("Reading from the parseltongue server at {base}");
                ui.progress.set(Some(Progress { label: label.clone(), fraction: f64::NAN }));
                let progress = ui.progress;
                let report = move |f: f64| progress.set(Some(Progress { label: label.clone(), fraction: f }));
                match loading::fetch_from_server(&base, &report).await {
                    Ok(files) => files,
                    Err(e) => {
                        ui.error.set(Some(e));
                        ui.progress.set(None);
                        return;
                    }
                }
            }
            Source::Urls(urls) => {
                let mut files = Vec::new();
                for (i, url) in urls.iter().enumerate() {
                    let label = format!("Downloading {url}");
                    ui.progress.set(Some(Progress { label: label.clone(), fraction: 0.0 }));
                    let progress = ui.progress;
                    let count = urls.len() as f64;
                    let report = move |f: f64| {
                        progress.set(Some(Progress { label: label.clone(), fraction: (i as f64 + f) / count }))
                    };
                    match loading::fetch_with_progress(url, &report).await {
                        Ok(f) => files.push(f),
                        Err(e) => {
                            ui.error.set(Some(e));
                            ui.progress.set(None);
                            return;
                        }
                    }
                }
                files
            }
        };
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let source_name = names.join(" + ");
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        ui.progress.set(Some(Progress {
            label: format!("Parsing {source_name} ({:.1} MB)", bytes as f64 / 1e6),
            fraction: f64::NAN,
        }));
        loading::next_paint().await;
        let result = loading::parse(&files).and_then(|(loaded, ms)| {
            let prepared = LoadedGraph::prepare(source_name, loaded, ms, files);
            ui.studio.try_update_value(|s| s.install(prepared)).unwrap_or_else(|| Err("the app was closed".into()))
        });
        match result {
            Ok(()) => {
                ui.error.set(None);
                ui.selected.set(None);
                ui.summary.set(ui.studio.with_value(Studio::summary));
                ui.version.update(|v| *v += 1);
                ui.styled.set(false);
                request_redraw(ui);
            }
            Err(e) => ui.error.set(Some(e)),
        }
        ui.progress.set(None);
    });
}

/// Opens file URLs together, or a single parseltongue server base URL.
pub fn open_urls(ui: Ui, urls: Vec<String>) {
    match urls.as_slice() {
        [] => {}
        [one] if loading::is_server_url(one) => open(ui, Source::Server(one.clone())),
        _ => open(ui, Source::Urls(urls)),
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    if loading::query_param("bench").is_some() {
        return view! { <crate::bench::BenchPage /> }.into_any();
    }
    let ui = Ui::new();
    provide_context(ui);
    provide_context(crate::plugins::PluginsUi::new(ui));

    let urls = loading::isg_urls_from_location();
    open_urls(ui, if urls.is_empty() { vec![DEFAULT_SAMPLE.to_owned()] } else { urls });

    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(list) = input.files() else { return };
        spawn_local(async move {
            match loading::read_file_list(&list).await {
                Ok(files) if !files.is_empty() => open(ui, Source::Files(files)),
                Ok(_) => {}
                Err(e) => ui.error.set(Some(e)),
            }
            input.set_value("");
        });
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let Some(list) = ev.data_transfer().and_then(|d| d.files()) else {
            return;
        };
        spawn_local(async move {
            match loading::read_file_list(&list).await {
                Ok(files) if !files.is_empty() => open(ui, Source::Files(files)),
                Ok(_) => ui.error.set(Some("nothing was dropped: drop one or more ISG files".into())),
                Err(e) => ui.error.set(Some(e)),
            }
        });
    };
    let url_text = RwSignal::new(String::new());
    let open_url = move || {
        let text = url_text.get_untracked();
        open_urls(ui, text.split_whitespace().map(str::to_owned).collect());
    };

    view! {
        <div
            class="studio"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <header class="toolbar">
                <h1>"Parseltongue Studio"</h1>
                <label class="button">
                    "Open files…"
                    <input type="file" multiple data-testid="file-input" accept=".json,.gz,.toon" on:change=on_files />
                </label>
                <select
                    data-testid="sample-select"
                    on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(usize::MAX);
                        if let Some((_, urls)) = BUNDLED_SAMPLES.get(i) {
                            open(ui, Source::Urls(urls.iter().map(|u| (*u).to_owned()).collect()));
                        }
                    }
                >
                    <option value="">"Bundled samples…"</option>
                    {BUNDLED_SAMPLES
                        .iter()
                        .enumerate()
                        .map(|(i, (label, _))| view! { <option value=i.to_string()>{*label}</option> })
                        .collect_view()}
                </select>
                <form
                    class="url-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        open_url();
                    }
                >
                    <input
                        type="text"
                        data-testid="url-input"
                        placeholder="ISG file URL(s), or a parseltongue server URL"
                        prop:value=move || url_text.get()
                        on:input=move |ev| url_text.set(event_target_value(&ev))
                    />
                    <button type="submit">"Open URL"</button>
                </form>
                <span class="hint">"or drop files anywhere"</span>
            </header>
            <ErrorBanner />
            <ProgressBar />
            <main class="workspace">
                <aside class="sidebar">
                    <SearchPanel />
                    <StatsPanel />
                    <crate::plugin_panel::PluginPanel />
                </aside>
                <section class="viewport">
                    <GraphView />
                </section>
                <aside class="sidebar right">
                    <DetailsPanel />
                </aside>
            </main>
        </div>
    }
    .into_any()
}
