//! Opening a graph: fetch or read the files, hand them to the graph worker, and show the model it
//! returns. On any failure the banner explains and the graph on screen stays.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use studio_core::Preparing;

use crate::graph_load::{self, LoadFailure};
use crate::loading::{self, FetchError, FetchedFile};
use crate::state::{Progress, Ui};
use crate::web_gpu::PageStudio;

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
    let urls = match &source {
        Source::Urls(urls) => urls.clone(),
        Source::Server(base) => vec![base.clone()],
        Source::Files(_) => Vec::new(),
    };
    spawn_local(async move {
        let files = match fetch_files(ui, source).await {
            Ok(files) => files,
            Err(e) => {
                ui.error.set(Some(e.to_string()));
                ui.progress.set(None);
                return;
            }
        };
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let source_name = names.join(" + ");
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        ui.progress.set(Some(Progress {
            label: format!("Sending {source_name} ({:.1} MB) to the graph worker", bytes as f64 / 1e6),
            fraction: f64::NAN,
        }));
        let progress = ui.progress;
        let stage = move |label: String| progress.set(Some(Progress { label, fraction: f64::NAN }));
        let loaded = match graph_load::load(&files, stage).await {
            Ok(loaded) => loaded,
            Err(LoadFailure::Cancelled) => {
                ui.progress.set(None);
                return;
            }
            Err(e) => {
                ui.error.set(Some(e.to_string()));
                ui.progress.set(None);
                return;
            }
        };
        drop(files);
        let generation = graph_load::generation();
        ui.progress.set(Some(Progress { label: "Drawing the graph".into(), fraction: f64::NAN }));
        let preparing = Preparing::new(source_name, Arc::new(loaded.model), loaded.load_ms);
        let Some(prepared) = prepare_in_steps(preparing, || graph_load::generation() == generation).await else {
            return;
        };
        let result =
            prepared.map_err(|e| format!("the graph worker's model could not be read: {e}")).and_then(|prepared| {
                ui.studio
                    .try_update_value(|s| s.install(prepared).map_err(|e| e.to_string()))
                    .unwrap_or_else(|| Err("the app was closed".into()))
            });
        match result {
            Ok(()) => {
                ui.error.set(None);
                ui.summary.set(ui.studio.with_value(PageStudio::summary));
                // The first picture comes in two steps; tests and the status line wait for the second.
                ui.frame_lighter.set(ui.studio.with_value(PageStudio::first_picture_pending));
                ui.version.update(|v| *v += 1);
                ui.styled.set(false);
                ui.sources.set(urls);
                ui.view_plugins.set(crate::state::ViewPlugins::default());
                ui.sync_view();
                crate::deep_link::graph_shown(ui);
            }
            Err(e) => ui.error.set(Some(e.to_string())),
        }
        ui.progress.set(None);
    });
}

/// Reads a model back, lays it out and builds its scene in steps, the browser getting a turn
/// between them, so none of them is a long task; `None` once `still_wanted` says the graph is no
/// longer wanted (another load started).
pub async fn prepare_in_steps(
    mut preparing: Preparing,
    still_wanted: impl Fn() -> bool,
) -> Option<Result<studio_core::LoadedGraph, isg::model::ModelError>> {
    loop {
        loading::next_task().await;
        if !still_wanted() {
            return None;
        }
        match preparing.step(&loading::now_ms) {
            Ok(false) => {}
            Ok(true) => return Some(preparing.finish(&loading::now_ms)),
            Err(e) => return Some(Err(e)),
        }
    }
}

/// The files of `source`, fetched with the progress bar showing how far along they are.
async fn fetch_files(ui: Ui, source: Source) -> Result<Vec<FetchedFile>, FetchError> {
    match source {
        Source::Files(files) => Ok(files),
        Source::Server(base) => {
            let label = format!("Reading from the parseltongue server at {base}");
            ui.progress.set(Some(Progress { label: label.clone(), fraction: f64::NAN }));
            let progress = ui.progress;
            let report = move |f: f64| progress.set(Some(Progress { label: label.clone(), fraction: f }));
            loading::fetch_from_server(&base, &report).await
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
                files.push(loading::fetch_with_progress(url, &report).await?);
            }
            Ok(files)
        }
    }
}

/// Opens file URLs together, or a single parseltongue server base URL.
pub fn open_urls(ui: Ui, urls: Vec<String>) {
    match urls.as_slice() {
        [] => {}
        [one] if loading::is_server_url(one) => open(ui, Source::Server(one.clone())),
        _ => open(ui, Source::Urls(urls)),
    }
}
