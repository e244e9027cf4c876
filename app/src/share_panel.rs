//! *Share*: the view as a link (its fragment holds the view; *Copy link*), and the view as one
//! self-contained HTML report (title and notes by the author; the graph, positions, style,
//! findings and view inside; the viewer the build made, fetched from beside the app).

use leptos::prelude::*;
use leptos::task::spawn_local;
use share::html::{VIEWER_FILE, ViewerBundle};

use crate::browser_file::download;
use crate::loading::{self, now_ms};
use crate::plugins::PluginsUi;
use crate::state::Ui;

/// Why a report could not be written; the view stays as it is.
#[derive(Debug, thiserror::Error)]
enum ReportFailure {
    #[error("the report viewer could not be fetched: {0}")]
    Fetch(#[from] loading::FetchError),
    #[error("{0}")]
    Viewer(#[from] share::html::ViewerError),
    #[error("{0}")]
    Refused(#[from] studio_core::ReportRefused),
    #[error("{0}")]
    Download(#[from] crate::browser_file::DownloadError),
}

/// A report's file name from its title.
fn file_name(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(60)
        .collect();
    let stem = stem.trim_matches('-');
    format!("{}.html", if stem.is_empty() { "parseltongue-report" } else { stem })
}

/// Writes the report of the view on screen and offers it as a download; returns its size.
async fn write_report(ui: Ui, pui: PluginsUi, title: String, notes: String) -> Result<usize, ReportFailure> {
    let viewer = loading::fetch_with_progress(VIEWER_FILE, &|_| {}).await?;
    let viewer = ViewerBundle::decode(&viewer.bytes)?;
    let meta = share::ReportMeta {
        title: if title.trim().is_empty() {
            ui.summary.get_untracked().map(|s| s.source).unwrap_or_default()
        } else {
            title
        },
        notes,
        created: String::from(js_sys::Date::new_0().to_iso_string()),
        sources: ui.sources.get_untracked(),
        generator: share::generator("app"),
        compared: None,
    };
    let mut view = crate::deep_link::view_now(ui);
    // A report carries its graph: the sources stay only as its description says them.
    view.sources.clear();
    let mut report = ui.studio.with_value(|s| s.report(meta, view))?;
    report.analyses = crate::findings_panel::finished_runs(ui, pui);
    let html = share::report_html(&viewer, &report);
    download(html.as_bytes(), &file_name(&report.meta.title))?;
    Ok(html.len())
}

/// The share panel.
#[component]
pub fn SharePanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let pui = expect_context::<PluginsUi>();
    let title = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let on_report = move |_| {
        busy.set(true);
        status.set("Writing the report…".into());
        spawn_local(async move {
            let started = now_ms();
            match write_report(ui, pui, title.get_untracked(), notes.get_untracked()).await {
                Ok(bytes) => status.set(format!(
                    "Report written in {:.0} ms ({:.2} MB): open it from disk in any current browser.",
                    now_ms() - started,
                    bytes as f64 / 1e6
                )),
                Err(e) => {
                    status.set(String::new());
                    ui.error.set(Some(format!("the report was not written: {e}")));
                }
            }
            busy.set(false);
        });
    };
    let on_link = move |_| {
        let view = crate::deep_link::view_now(ui);
        let address = crate::deep_link::address_of(&view);
        link.set(address.clone());
        if view.sources.is_empty() {
            ui.notice.set(Some(
                "This graph was opened from files on disk: the link holds the view, and whoever opens it opens the same files first."
                    .into(),
            ));
        }
        if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
            // Refused in some contexts (no focus, no permission): the link stays shown to copy.
            drop(clipboard.write_text(&address));
        }
    };
    view! {
        <section class="panel share-panel" data-testid="share-panel">
            <h2>"Share"</h2>
            <label class="small">
                "Title "
                <input
                    type="text"
                    data-testid="report-title"
                    title="The report's title, shown at its top and as its file name"
                    placeholder="the graph's name"
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
            </label>
            <label class="small">
                "Notes "
                <textarea
                    data-testid="report-notes"
                    title="Notes for the reader, shown beside the graph as plain text"
                    rows="3"
                    placeholder="What the reader should look at"
                    prop:value=move || notes.get()
                    on:input=move |ev| notes.set(event_target_value(&ev))
                ></textarea>
            </label>
            <div class="row">
                <button
                    data-testid="share-report"
                    title="One HTML file that opens from disk with no network: this view, its findings, search and exports, read-only"
                    prop:disabled=move || busy.get() || ui.summary.with(Option::is_none)
                    on:click=on_report
                >
                    "HTML report"
                </button>
                <button
                    class="secondary"
                    data-testid="copy-link"
                    title="Copy the address of this view: sources, camera, selection, search, filters, hubs and plugins"
                    on:click=on_link
                >
                    "Copy link"
                </button>
            </div>
            <p class="muted small" data-testid="report-status">{move || status.get()}</p>
            <LinkField link title="The link to this view (copied to the clipboard where the browser allows)" />
        </section>
    }
}

/// The link made by *Copy link* or *Link to this view*, shown to copy by hand, once there is one.
#[component]
pub fn LinkField(
    /// The link; nothing is shown while it is empty.
    link: RwSignal<String>,
    /// Its tooltip.
    title: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || !link.with(String::is_empty)>
            <input class="link" type="text" readonly data-testid="share-link" title=title prop:value=move || link.get() />
        </Show>
    }
}
