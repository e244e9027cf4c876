//! Side panels: counts and warnings, search, node details; plus the error banner and progress bar.

use leptos::prelude::*;

use crate::state::Ui;
use crate::web_gpu::PageStudio;

/// Results shown for a query.
const SEARCH_ROWS: usize = 30;

/// A dismissable line of text above the view, shown while `text` holds some; its test ids are
/// `{name}-banner`, `{name}-text` and `{name}-dismiss`.
#[component]
fn Banner(
    /// What it says.
    text: RwSignal<Option<String>>,
    /// `error` or `notice`: its class and test ids.
    name: &'static str,
    /// Its ARIA role.
    role: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || text.with(Option::is_some)>
            <div class=format!("{name}-banner") role=role data-testid=format!("{name}-banner")>
                <span data-testid=format!("{name}-text")>{move || text.get().unwrap_or_default()}</span>
                <button data-testid=format!("{name}-dismiss") aria-label="dismiss" on:click=move |_| text.set(None)>
                    "×"
                </button>
            </div>
        </Show>
    }
}

/// The error banner: visible until dismissed or until a graph loads successfully.
#[component]
pub fn ErrorBanner() -> impl IntoView {
    let text = expect_context::<Ui>().error;
    view! { <Banner text name="error" role="alert" /> }
}

/// A notice: a link or report opened with something left out; the rest is shown.
#[component]
pub fn NoticeBanner() -> impl IntoView {
    let text = expect_context::<Ui>().notice;
    view! { <Banner text name="notice" role="status" /> }
}

/// The progress bar for downloads and parsing.
#[component]
pub fn ProgressBar() -> impl IntoView {
    let ui = expect_context::<Ui>();
    view! {
        <Show when=move || ui.progress.with(Option::is_some)>
            <div class="progress" data-testid="progress" role="progressbar">
                <span>{move || ui.progress.get().map(|p| p.label).unwrap_or_default()}</span>
                <button
                    class="small secondary"
                    data-testid="load-cancel"
                    title="Stop parsing this graph; the graph on screen stays"
                    on:click=move |_| {
                        crate::graph_load::cancel();
                        ui.progress.set(None);
                    }
                >
                    "Cancel"
                </button>
                {move || {
                    let f = ui.progress.get().map_or(f64::NAN, |p| p.fraction);
                    if f.is_nan() {
                        view! { <progress></progress> }.into_any()
                    } else {
                        view! { <progress max="1" value=f.to_string()></progress> }.into_any()
                    }
                }}
            </div>
        </Show>
    }
}

/// Format, counts by kind, resolution figures and the collapsible warnings.
#[component]
pub fn StatsPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let kind_rows = |rows: Vec<(String, usize)>, prefix: &'static str| {
        rows.into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| {
                let testid = format!("{prefix}-{kind}");
                view! {
                    <tr data-testid=testid>
                        <td>{kind}</td>
                        <td class="num">{n}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel stats" data-testid="stats">
            <h2>"Graph"</h2>
            {move || match ui.summary.get() {
                None => view! { <p class="muted">"No graph loaded yet."</p> }.into_any(),
                Some(s) => {
                    let warning_count = s.warnings.len();
                    view! {
                        <p class="source" data-testid="source" title=s.source.clone()>{s.source.clone()}</p>
                        <p class="muted" data-testid="format">
                            {s.format.clone()} {format!(" · parsed in {:.0} ms, indexed and laid out in {:.0} ms", s.load_ms, s.prepare_ms)}
                        </p>
                        <table class="counts">
                            <tr class="total">
                                <td>"Nodes"</td>
                                <td class="num" data-testid="node-count">{s.nodes}</td>
                            </tr>
                            {kind_rows(s.node_kinds.clone(), "node-kind")}
                            <tr class="total">
                                <td>"Edges"</td>
                                <td class="num" data-testid="edge-count">{s.edges}</td>
                            </tr>
                            {kind_rows(s.edge_kinds.clone(), "edge-kind")}
                        </table>
                        {s.resolution.clone().map(|r| view! { <p class="resolution" data-testid="resolution">{r}</p> })}
                        <details class="warnings" data-testid="warnings">
                            <summary>{format!("{warning_count} warning(s)")}</summary>
                            <ul>
                                {s.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                            </ul>
                        </details>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// A search box with ranked results as you type.
#[component]
pub fn SearchPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let query = ui.search;
    let results = Memo::new(move |_| {
        ui.version.track();
        let q = query.get();
        ui.studio.with_value(|s: &PageStudio| s.search(&q, SEARCH_ROWS))
    });
    // Hits glow on the canvas while the query stands.
    Effect::new(move |_| {
        let ids: Vec<u32> = results.get().iter().map(|r| r.id).collect();
        ui.studio.update_value(|s| s.set_hits(&ids));
        ui.request_redraw();
    });
    view! {
        <section class="panel search">
            <input
                type="search"
                data-testid="search-input"
                title="Search names and signatures; Enter selects the best match"
                placeholder="Search names and signatures"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter"
                        && let Some(first) = results.get_untracked().first()
                    {
                        ui.select(Some(first.id), true);
                    }
                }
            />
            <ul class="results" data-testid="search-results">
                {move || {
                    results
                        .get()
                        .into_iter()
                        .map(|r| {
                            let id = r.id;
                            view! {
                                <li>
                                    <button
                                        class="result"
                                        data-testid="search-result"
                                        title="Select this node and centre it (Ctrl-click adds it to the selection)"
                                        on:click=move |ev| {
                                            if ev.ctrl_key() || ev.meta_key() {
                                                ui.toggle_selected(id);
                                            } else {
                                                ui.select(Some(id), true);
                                            }
                                        }
                                    >
                                        <span class=format!("kind kind-{}", r.kind.to_lowercase())>{r.kind.clone()}</span>
                                        <span class="name">{r.name.clone()}</span>
                                        <span class="file muted">{r.file.clone()}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// Signature, location and neighbours of the selected node.
#[component]
pub fn DetailsPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let details = Memo::new(move |_| {
        ui.version.track();
        ui.selected.get().and_then(|id| ui.studio.with_value(|s| s.details(id)))
    });
    let neighbour_list = move |rows: Vec<studio_core::details::NeighbourRow>, total: usize, testid: &'static str| {
        let more = total.saturating_sub(rows.len());
        view! {
            <ul class="neighbours" data-testid=testid>
                {rows
                    .into_iter()
                    .map(|r| {
                        let id = r.id;
                        view! {
                            <li>
                                <button class="result" title="Select this neighbour and centre it" on:click=move |_| ui.select(Some(id), true)>
                                    <span class="edge">{r.edge.clone()}</span>
                                    <span class="name">{r.name.clone()}</span>
                                    <span class="muted">{r.kind.clone()}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
                {(more > 0).then(|| view! { <li class="muted">{format!("… and {more} more")}</li> })}
            </ul>
        }
    };
    view! {
        <section class="panel details" data-testid="details">
            <h2>"Details"</h2>
            {move || match details.get() {
                None => view! { <p class="muted">"Click a node or pick a search result."</p> }.into_any(),
                Some(d) => {
                    view! {
                        <h3 data-testid="details-name">{d.name.clone()}</h3>
                        <p>
                            <span class=format!("kind kind-{}", d.kind.to_lowercase()) data-testid="details-kind">
                                {d.kind.clone()}
                            </span>
                            {d.flags.iter().map(|f| view! { <span class="flag">{*f}</span> }).collect_view()}
                        </p>
                        <pre class="signature" data-testid="details-signature">{d.signature.clone()}</pre>
                        <p class="muted" data-testid="details-location">{d.location.clone()}</p>
                        <p class="muted">"hash " <code data-testid="details-hash">{d.hash.clone()}</code></p>
                        <h4>{format!("Incoming ({})", d.in_degree)}</h4>
                        {neighbour_list(d.incoming.clone(), d.in_degree, "details-incoming")}
                        <h4>{format!("Outgoing ({})", d.out_degree)}</h4>
                        {neighbour_list(d.outgoing.clone(), d.out_degree, "details-outgoing")}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
