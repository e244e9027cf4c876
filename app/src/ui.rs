//! The whole page: the toolbar that opens graphs, the panels and the canvas.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::filter_panel::FilterPanel;
use crate::findings_panel::FindingsPanel;
use crate::graph_view::GraphView;
use crate::loading::{self, BUNDLED_SAMPLES, DEFAULT_SAMPLE};
use crate::marketplace_view::MarketplacePanel;
use crate::open_graph::{Source, open, open_urls};
use crate::panels::{DetailsPanel, ErrorBanner, NoticeBanner, ProgressBar, SearchPanel, StatsPanel};
use crate::plugin_panel::PluginPanel;
use crate::plugins::PluginsUi;
use crate::share_panel::SharePanel;
use crate::shortcuts::{HistoryButtons, ShortcutsSheet};
use crate::state::Ui;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    #[cfg(feature = "bench")]
    if loading::query_param("bench").is_some() {
        return view! { <crate::bench::BenchPage /> }.into_any();
    }
    let ui = Ui::new();
    provide_context(ui);
    let pui = PluginsUi::new(ui);
    provide_context(pui);
    let market = crate::market_state::MarketUi::load();
    provide_context(market);
    crate::shortcuts::listen(ui);

    // A deep link names its sources; the rest of its view waits for the graph.
    let mut urls = loading::isg_urls_from_location();
    if let Some(view) = crate::deep_link::view_from_address(ui) {
        if !view.sources.is_empty() {
            urls.clone_from(&view.sources);
        }
        crate::deep_link::set_pending(view);
    }
    crate::deep_link::start(ui, std::rc::Rc::new(move |ui, choice| pui.run_linked(ui, choice)));
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
                Err(e) => ui.error.set(Some(e.to_string())),
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
                // A plugin package goes to the marketplace, checked as if picked there.
                Ok(mut files) if files.len() == 1 && files[0].name.ends_with(".ptplugin") => {
                    market.from_disk(pui, files.remove(0).bytes);
                }
                Ok(files) if !files.is_empty() => open(ui, Source::Files(files)),
                Ok(_) => ui.error.set(Some("nothing was dropped: drop one or more ISG files".into())),
                Err(e) => ui.error.set(Some(e.to_string())),
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
                <label class="button" title="Open ISG exports from disk (.json, .json.gz, .toon; pick a pt02 or HTTP pair together)">
                    "Open files…"
                    <input type="file" multiple data-testid="file-input" accept=".json,.gz,.toon" on:change=on_files />
                </label>
                <select
                    data-testid="sample-select"
                    title="Open one of the bundled parseltongue exports"
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
                        title="One or more ISG file URLs separated by spaces, or the base URL of a running parseltongue server"
                        placeholder="ISG file URL(s), or a parseltongue server URL"
                        prop:value=move || url_text.get()
                        on:input=move |ev| url_text.set(event_target_value(&ev))
                    />
                    <button type="submit" title="Open the URL(s) typed on the left">"Open URL"</button>
                </form>
                <span class="hint">"or drop files anywhere"</span>
                <span class="history">
                    <HistoryButtons />
                </span>
            </header>
            <ErrorBanner />
            <NoticeBanner />
            <ShortcutsSheet />
            <main class="workspace">
                <aside class="sidebar">
                    <SearchPanel />
                    <StatsPanel />
                    <FilterPanel />
                    <PluginPanel />
                </aside>
                <section class="viewport">
                    <ProgressBar />
                    <GraphView />
                </section>
                <aside class="sidebar right">
                    <DetailsPanel />
                    <SharePanel />
                    <FindingsPanel />
                    <MarketplacePanel />
                </aside>
            </main>
        </div>
    }
    .into_any()
}
