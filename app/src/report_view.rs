//! The report viewer: the page a single-file HTML report opens (`bin/report_viewer.rs` mounts
//! it). It reads the payload the page carries — never anything from the network —, shows the
//! graph exactly as its author saw it (positions, style, hubs, filters, selection, camera), and
//! gives the reader a read-only studio: pan, zoom, search, select, inspect, filters, the
//! findings with their plots, the minimap, PNG and SVG export, and links into the report.

use findings::AnalysisRun;
use leptos::prelude::*;
use leptos::task::spawn_local;
use share::ReportMeta;
use studio_core::Preparing;

use crate::filter_panel::FilterPanel;
use crate::findings_panel::FindingsView;
use crate::graph_view::GraphView;
use crate::loading::now_ms;
use crate::panels::{DetailsPanel, ErrorBanner, NoticeBanner, ProgressBar, SearchPanel, StatsPanel};
use crate::share_panel::LinkField;
use crate::shortcuts::{HistoryButtons, ShortcutsSheet};
use crate::state::{Progress, Ui, ViewPlugins};
use crate::web_gpu::PageStudio;

/// The payload's text, as the page carries it.
fn payload_text() -> Option<String> {
    web_sys::window()?.document()?.get_element_by_id(share::html::PAYLOAD_ID)?.text_content()
}

/// The boot message the page shows until the viewer runs.
fn remove_boot_message() {
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("pt-boot")) {
        boot.remove();
    }
}

/// Reads the report and shows it; a damaged report says what is wrong.
async fn open_report(ui: Ui, meta: RwSignal<Option<ReportMeta>>, runs: RwSignal<Vec<AnalysisRun>>) {
    let report = match payload_text().ok_or(share::ReportError::Base64).and_then(|t| share::html::read_payload_text(&t))
    {
        Ok(report) => report,
        Err(e) => {
            ui.error.set(Some(format!("This report cannot be opened: {e}. Ask its author to write it again.")));
            return;
        }
    };
    ui.progress.set(Some(Progress { label: "Drawing the graph".into(), fraction: f64::NAN }));
    let source = if report.meta.title.is_empty() { report.meta.sources.join(" + ") } else { report.meta.title.clone() };
    let started = now_ms();
    let model = match isg::model::decode_portable(&report.graph) {
        Ok((graph, load_report)) => {
            let index = isg::query::SearchIndex::build(&graph);
            isg::model::Model { graph, index, report: load_report }
        }
        Err(e) => {
            ui.progress.set(None);
            ui.error.set(Some(format!("This report cannot be shown: its graph is damaged: {e}.")));
            return;
        }
    };
    let preparing = Preparing::from_decoded(source, model, now_ms() - started);
    // A report is read once: nothing replaces it while it is prepared.
    let Some(prepared) = crate::open_graph::prepare_in_steps(preparing, || true).await else { return };
    let shown = prepared.map_err(|e| format!("its graph is damaged: {e}")).and_then(|loaded| {
        ui.studio
            .try_update_value(|s| {
                s.install(loaded).map_err(|e| e.to_string())?;
                s.show_report(&report).map_err(|e| e.to_string())
            })
            .unwrap_or_else(|| Err("the page was closed".into()))
    });
    ui.progress.set(None);
    match shown {
        Ok(notes) => {
            ui.summary.set(ui.studio.with_value(PageStudio::summary));
            // The first picture comes in two steps; tests and the status line wait for the second.
            ui.frame_lighter.set(ui.studio.with_value(PageStudio::first_picture_pending));
            ui.version.update(|v| *v += 1);
            ui.styled.set(report.style.is_some());
            ui.map_shown.set(!report.view.rings_hidden);
            ui.search.set(report.view.search.clone());
            ui.view_plugins
                .set(ViewPlugins { layout: report.view.layout.clone(), renderer: report.view.renderer.clone() });
            runs.set(report.analyses);
            meta.set(Some(report.meta));
            if let Some(text) = notes.describe() {
                ui.notice.set(Some(format!("This report opened with something left out: {text}.")));
            }
            ui.sync_view();
            // A link into the report (its own fragment) wins over the view saved in it.
            crate::deep_link::graph_shown(ui);
        }
        Err(e) => ui.error.set(Some(format!("This report cannot be shown: {e}."))),
    }
}

/// The whole report page.
#[component]
pub fn ReportViewer() -> impl IntoView {
    remove_boot_message();
    let ui = Ui::new();
    provide_context(ui);
    crate::shortcuts::listen(ui);
    let meta = RwSignal::new(None::<ReportMeta>);
    let runs = RwSignal::new(Vec::<AnalysisRun>::new());
    let runs_shown = Memo::new(move |_| runs.get());
    // The time from the page's start to the first frame with the graph in it.
    let first_picture = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        ui.frames.track();
        if first_picture.get_untracked().is_none() && ui.version.get_untracked() > 0 {
            first_picture.set(Some(now_ms()));
        }
    });
    if let Some(view) = crate::deep_link::view_from_address(ui) {
        crate::deep_link::set_pending(view);
    }
    crate::deep_link::start(
        ui,
        std::rc::Rc::new(|ui: Ui, choice: share::view::PluginChoice| {
            ui.notice.set(Some(format!(
                "A report does not run plugins: the link's {} was left out, and the report's own picture is shown.",
                choice.name
            )));
        }),
    );
    spawn_local(open_report(ui, meta, runs));
    let title = move || {
        meta.with(|m| m.as_ref().map(|m| m.title.clone()).unwrap_or_else(|| "Parseltongue Studio report".into()))
    };
    let made = move || {
        meta.with(|m| {
            m.as_ref().map(|m| {
                let from =
                    if m.sources.is_empty() { String::new() } else { format!(" from {}", m.sources.join(" + ")) };
                let compared = m.compared.as_ref().map(|c| format!(" · {c}")).unwrap_or_default();
                format!("Made {}{from} by {}{compared}", m.created, m.generator)
            })
        })
    };
    view! {
        <div class="studio report" data-testid="report" data-first-picture-ms=move || first_picture.get().map(|t| format!("{t:.0}"))>
            <header class="toolbar">
                <h1 data-testid="report-heading">{title}</h1>
                <span class="badge" data-testid="report-badge" title="A saved view: explore it freely; nothing here changes the report">
                    "Read-only report"
                </span>
                <span class="hint" data-testid="report-made">{made}</span>
                <span class="history">
                    <HistoryButtons />
                </span>
            </header>
            <ErrorBanner />
            <NoticeBanner />
            <ShortcutsSheet />
            <main class="workspace">
                <aside class="sidebar">
                    <Show when=move || meta.with(|m| m.as_ref().is_some_and(|m| !m.notes.is_empty()))>
                        <section class="panel notes" data-testid="report-notes">
                            <h2>"Notes"</h2>
                            <p class="notes-text">{move || meta.with(|m| m.as_ref().map(|m| m.notes.clone()).unwrap_or_default())}</p>
                        </section>
                    </Show>
                    <SearchPanel />
                    <StatsPanel />
                    <FilterPanel />
                </aside>
                <section class="viewport">
                    <ProgressBar />
                    <GraphView />
                </section>
                <aside class="sidebar right">
                    <DetailsPanel />
                    <ReportLink />
                    <FindingsView runs=runs_shown />
                </aside>
            </main>
        </div>
    }
}

/// *Link to this view*: the report's address with the view in its fragment.
#[component]
fn ReportLink() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let link = RwSignal::new(String::new());
    view! {
        <section class="panel share-panel">
            <button
                class="secondary"
                data-testid="copy-link"
                title="The address of this report with the view on screen in it: whoever opens the same report file with it sees this view"
                on:click=move |_| link.set(crate::deep_link::address_of(&crate::deep_link::view_now(ui)))
            >
                "Link to this view"
            </button>
            <LinkField link title="The address of this report with this view in it" />
        </section>
    }
}
