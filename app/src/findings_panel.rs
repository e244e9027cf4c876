//! The *Findings* panel: every analysis run's findings for the graph on screen in one list
//! (filtered by plugin, severity, module and text; sorted), a run's metrics as a sortable table,
//! and the plots (main sequence, degree distribution, community sizes), all from the `findings`
//! crate. A click on a finding, a table row, a dot or a bar selects its items and frames them.
//! The findings download as JSON (with the plots) and as SARIF, each plot as SVG.

use findings::AnalysisRun;
use findings::book::{self, Filter, SortBy};
use findings::plots::{self, Mark, Plot};
use findings::table::{self, Level};
use leptos::prelude::*;
use plugin_host::abi::Severity;

use crate::browser_file::download;
use crate::plugins::PluginsUi;
use crate::state::Ui;

/// Findings listed at most; the rest are counted.
const ROWS_SHOWN: usize = 300;
/// Metric table rows shown at most.
const TABLE_ROWS: usize = 40;
/// Files offered in the module filter.
const MODULES_OFFERED: usize = 60;

/// One finding as the list shows it.
#[derive(Clone, PartialEq)]
struct ListedFinding {
    severity: Severity,
    plugin: String,
    message: String,
    nodes: std::sync::Arc<Vec<u32>>,
    edges: std::sync::Arc<Vec<u32>>,
}

/// Runs `f` on the graph on screen.
fn with_graph<T>(ui: Ui, f: impl FnOnce(&isg::Graph) -> T) -> Option<T> {
    ui.studio.with_value(|s| s.current.as_ref().map(|c| f(&c.graph)))
}

/// Saves `bytes` as `name`, or says why not.
fn save(ui: Ui, bytes: &[u8], name: &str) {
    if let Err(e) = download(bytes, name) {
        ui.error.set(Some(e.to_string()));
    }
}

/// The plots the runs give, newest run first: `(test id, plot)`.
fn plots_of(graph: &isg::Graph, runs: &[AnalysisRun]) -> Vec<(&'static str, Plot)> {
    let mut out = Vec::new();
    if let Some(p) = runs.iter().rev().find_map(|r| plots::main_sequence(graph, r)) {
        out.push(("plot-main-sequence", p));
    }
    out.push(("plot-degrees", plots::degree_distribution(graph)));
    if let Some(p) = runs.iter().rev().find_map(|r| plots::community_sizes(graph, r)) {
        out.push(("plot-communities", p));
    }
    out
}

/// The finished analysis runs on the graph on screen, oldest first.
#[must_use]
pub fn finished_runs(ui: Ui, pui: PluginsUi) -> Vec<AnalysisRun> {
    let version = ui.version.get_untracked();
    pui.runs.with_untracked(|all| {
        all.iter().rev().filter(|r| r.graph == version).filter_map(studio_core::runs::RunView::analysis).collect()
    })
}

/// The app's findings panel: the runs of its plugin panel, and *Compare with an earlier
/// snapshot*.
#[component]
pub fn FindingsPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let pui = expect_context::<PluginsUi>();
    // The finished analysis runs on the graph on screen, oldest first, by id: cheap to recompute
    // on every progress report of any run; a finished run never changes, so their findings and
    // metric columns are copied only when this list does.
    let finished = Memo::new(move |_| {
        let version = ui.version.get();
        pui.runs.with(|all| {
            all.iter().rev().filter(|r| r.graph == version && r.has_analysis()).map(|r| r.id).collect::<Vec<u32>>()
        })
    });
    let runs = Memo::new(move |_| {
        let ids = finished.get();
        pui.runs.with_untracked(|all| {
            ids.iter().filter_map(|id| all.iter().find(|r| r.id == *id)?.analysis()).collect::<Vec<_>>()
        })
    });
    view! { <FindingsView runs compare=true /> }
}

/// The findings of `runs`: the list, the metric table and the plots; with `compare`, the API
/// diff against an earlier snapshot too (the app; a report has no second snapshot to read).
#[component]
pub fn FindingsView(
    /// The analysis runs shown.
    runs: Memo<Vec<AnalysisRun>>,
    /// Offer *Compare with an earlier snapshot*.
    #[prop(optional)]
    compare: bool,
) -> impl IntoView {
    view! {
        <section class="panel findings-panel" data-testid="findings-panel">
            <h2>"Findings"</h2>
            {compare.then(|| view! { <CompareWithBase /> })}
            {move || {
                if runs.with(Vec::is_empty) {
                    view! { <p class="muted" data-testid="findings-empty">"Run an analysis plugin (tangles, module-metrics, smells, communities…) to see what it finds here."</p> }.into_any()
                } else {
                    view! {
                        <FindingsList runs />
                        <MetricTable runs />
                        <Plots runs />
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// *Compare with an earlier snapshot*: its files are parsed by the graph worker, off the page's
/// thread, and the API differences to the graph on screen join the findings as an `api-diff` run.
#[component]
fn CompareWithBase() -> impl IntoView {
    use wasm_bindgen::JsCast;
    let ui = expect_context::<Ui>();
    let pui = expect_context::<PluginsUi>();
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        leptos::task::spawn_local(async move {
            let compared = async {
                let files = crate::loading::read_file_list(&list).await.map_err(|e| e.to_string())?;
                let progress = ui.progress;
                let stage =
                    move |label: String| progress.set(Some(crate::state::Progress { label, fraction: f64::NAN }));
                let loaded = crate::graph_load::load(&files, stage).await.map_err(|e| e.to_string())?;
                let base = isg::model::decode(&loaded.model)
                    .map_err(|e| format!("the earlier snapshot could not be read: {e}"))?;
                with_graph(ui, |graph| findings::api_diff::api_diff(&base.graph, graph))
                    .ok_or_else(|| "open a graph to compare with first".to_owned())
            };
            match compared.await {
                Ok(run) => pui.add_native_run(ui, run),
                Err(e) => ui.error.set(Some(format!("compare: {e}"))),
            }
            ui.progress.set(None);
            input.set_value("");
        });
    };
    view! {
        <label class="small compare" title="Pick the ISG file(s) of an earlier snapshot: the API differences to the graph on screen (added, removed and re-signed items by module, breaking or additive) join the findings">
            "Compare with an earlier snapshot… "
            <input type="file" multiple data-testid="api-diff-input" on:change=on_files />
        </label>
    }
}

/// The filter controls and the list.
#[component]
fn FindingsList(runs: Memo<Vec<AnalysisRun>>) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let filter = RwSignal::new(Filter::default());
    let sort = RwSignal::new(SortBy::Listed);
    let listed = Memo::new(move |_| {
        let (filter, sort) = (filter.get(), sort.get());
        runs.with(|runs| {
            with_graph(ui, |graph| {
                let entries = book::entries(runs, graph, &filter, sort);
                let total = entries.len();
                let rows: Vec<ListedFinding> = entries
                    .into_iter()
                    .take(ROWS_SHOWN)
                    .map(|e| ListedFinding {
                        severity: e.finding.severity,
                        plugin: e.plugin.name.clone(),
                        message: e.finding.message.clone(),
                        nodes: std::sync::Arc::new(e.finding.nodes.clone()),
                        edges: std::sync::Arc::new(e.finding.edges.clone()),
                    })
                    .collect();
                (rows, total)
            })
            .unwrap_or_default()
        })
    });
    let plugin_names = Memo::new(move |_| runs.with(|r| book::plugins(r)));
    let modules =
        Memo::new(move |_| runs.with(|r| with_graph(ui, |g| book::modules(r, g, MODULES_OFFERED)).unwrap_or_default()));
    let export_json = move |_| {
        let bytes = runs.with(|runs| {
            with_graph(ui, |graph| {
                let mut report = findings::report::json(runs, graph);
                report["plots"] = plots_of(graph, runs)
                    .into_iter()
                    .map(|(id, p)| (id.to_owned(), serde_json::Value::String(p.svg())))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
                serde_json::to_vec_pretty(&report).unwrap_or_default()
            })
        });
        if let Some(bytes) = bytes {
            save(ui, &bytes, "findings.json");
        }
    };
    let export_sarif = move |_| {
        let bytes = runs.with(|runs| {
            with_graph(ui, |graph| serde_json::to_vec_pretty(&findings::sarif::log(runs, graph)).unwrap_or_default())
        });
        if let Some(bytes) = bytes {
            save(ui, &bytes, "findings.sarif");
        }
    };
    view! {
        <div class="findings-controls">
            <select data-testid="findings-plugin" title="Only this plugin's findings"
                on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.plugin = (!v.is_empty()).then_some(v)); }>
                <option value="">"all plugins"</option>
                {move || plugin_names.get().into_iter().map(|p| view! { <option value=p.clone()>{p.clone()}</option> }).collect_view()}
            </select>
            <select data-testid="findings-severity" title="Only findings at least this serious"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.min_severity = match v.as_str() { "warning" => Some(Severity::Warning), "error" => Some(Severity::Error), _ => None });
                }>
                <option value="">"any severity"</option>
                <option value="warning">"warnings and errors"</option>
                <option value="error">"errors"</option>
            </select>
            <select data-testid="findings-module" title="Only findings about an item in this file (the files findings touch most are offered)"
                on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.module = (!v.is_empty()).then_some(v)); }>
                <option value="">"any file"</option>
                {move || modules.get().into_iter().map(|(m, n)| view! { <option value=m.clone()>{format!("{m} ({n})")}</option> }).collect_view()}
            </select>
            <input type="search" data-testid="findings-text" placeholder="text in the finding" title="Only findings whose text holds this"
                on:input=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.text = v); } />
            <select data-testid="findings-sort" title="Order of the list"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    sort.set(SortBy::ALL.iter().find(|(_, w)| *w == v).map_or(SortBy::Listed, |(s, _)| *s));
                }>
                {SortBy::ALL.iter().map(|(_, word)| view! { <option value=*word>{format!("sort: {word}")}</option> }).collect_view()}
            </select>
        </div>
        <p class="muted" data-testid="findings-count">
            {move || {
                let (rows, total) = listed.get();
                if total > rows.len() { format!("{total} findings, the first {} listed", rows.len()) } else { format!("{total} findings") }
            }}
        </p>
        <ul class="findings" data-testid="findings-list">
            {move || {
                let version = ui.version.get_untracked();
                listed.get().0.into_iter().map(|f| {
                    let text = format!("{:?} · {}: {}", f.severity, f.plugin, plugin_host::display::visible(&f.message));
                    let severity = format!("{:?}", f.severity).to_lowercase();
                    if f.nodes.is_empty() {
                        view! { <li data-testid="findings-row" data-severity=severity>{text}</li> }.into_any()
                    } else {
                        let (nodes, edges, count) = (f.nodes.clone(), f.edges.clone(), f.nodes.len());
                        view! {
                            <li data-testid="findings-row" data-severity=severity data-nodes=count>
                                <button class="finding" title="Select the items it is about and frame them"
                                    on:click=move |_| ui.show_finding(version, &nodes, &edges)>{text}</button>
                            </li>
                        }
                        .into_any()
                    }
                }).collect_view()
            }}
        </ul>
        <div class="findings-exports">
            <button class="small" data-testid="findings-export-json" title="Download every finding, with its items, and the plots as JSON" on:click=export_json>"Findings JSON"</button>
            <button class="small" data-testid="findings-export-sarif" title="Download the findings as SARIF 2.1.0, for code scanning" on:click=export_sarif>"SARIF"</button>
        </div>
    }
}

/// A run's metric columns as a table, sortable by a click on a column's name.
#[component]
fn MetricTable(runs: Memo<Vec<AnalysisRun>>) -> impl IntoView {
    let ui = expect_context::<Ui>();
    // Runs with metrics, by index into `runs`; the newest is shown first.
    let measured = Memo::new(move |_| {
        runs.with(|r| {
            r.iter()
                .enumerate()
                .filter(|(_, r)| !r.metrics.is_empty())
                .map(|(i, r)| (i, r.plugin.id()))
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(None::<usize>);
    let order = RwSignal::new((0usize, true));
    let shown = Memo::new(move |_| {
        let at = chosen.get().or_else(|| measured.with(|m| m.last().map(|(i, _)| *i)))?;
        let (column, descending) = order.get();
        runs.with(|r| {
            let metrics = &r.get(at)?.metrics;
            with_graph(ui, |g| table::table(g, metrics, column, descending, TABLE_ROWS))
        })
    });
    view! {
        {move || (!measured.with(Vec::is_empty)).then(|| view! {
            <h4>"Metrics"</h4>
            <select data-testid="metrics-run" title="Which run's metrics the table shows"
                on:change=move |ev| { chosen.set(event_target_value(&ev).parse().ok()); order.set((0, true)); }>
                {measured.get().into_iter().rev().map(|(i, id)| view! { <option value=i.to_string()>{id}</option> }).collect_view()}
            </select>
            {move || shown.get().map(|t| {
                let version = ui.version.get_untracked();
                let (sorted, descending) = order.get_untracked();
                let level = if t.level == Level::Modules { "module" } else { "item" };
                view! {
                    <p class="muted" data-testid="metrics-caption">{format!("{} {level}s; the {} shown", t.total, t.rows.len())}</p>
                    <table class="metric-table" data-testid="metrics-table" data-level=level>
                        <tr>
                            <th>{level}</th>
                            {t.columns.iter().enumerate().map(|(c, name)| {
                                let mark = if c == sorted { if descending { " ▼" } else { " ▲" } } else { "" };
                                view! {
                                    <th><button class="link" data-testid="metrics-sort" title="Sort by this column; again to reverse"
                                        on:click=move |_| order.update(|o| *o = if o.0 == c { (c, !o.1) } else { (c, true) })>
                                        {format!("{name}{mark}")}
                                    </button></th>
                                }
                            }).collect_view()}
                        </tr>
                        {t.rows.into_iter().map(|row| {
                            let nodes = row.nodes.clone();
                            view! {
                                <tr data-testid="metrics-row">
                                    <td><button class="link" title=row.file.clone() on:click=move |_| ui.show_finding(version, &nodes, &[])>{row.label.clone()}</button></td>
                                    {row.values.iter().map(|v| view! { <td class="num">{format_value(*v)}</td> }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </table>
                }
            })}
        })}
    }
}

/// A metric value: whole numbers as such, others to three places.
fn format_value(v: f32) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// The plots the runs and the graph give.
#[component]
fn Plots(runs: Memo<Vec<AnalysisRun>>) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let plots = Memo::new(move |_| runs.with(|r| with_graph(ui, |g| plots_of(g, r)).unwrap_or_default()));
    view! {
        <h4>"Plots"</h4>
        {move || plots.get().into_iter().map(|(id, plot)| view! { <PlotView id plot /> }).collect_view()}
    }
}

/// One plot, drawn from its marks; dots and bars that stand for items select them on a click.
#[component]
fn PlotView(id: &'static str, plot: Plot) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let version = ui.version.get_untracked();
    let svg = plot.svg();
    let file = format!("{id}.svg");
    let marks = plot.marks.into_iter().map(|mark| match mark {
        Mark::Line { from, to, color, dashed } => view! {
            <line x1=from[0] y1=from[1] x2=to[0] y2=to[1] stroke=color stroke-dasharray=if dashed { "4 3" } else { "none" } />
        }.into_any(),
        Mark::Area { points, color, opacity } => {
            let points = points.iter().map(|p| format!("{},{}", p[0], p[1])).collect::<Vec<_>>().join(" ");
            view! { <polygon points=points fill=color fill-opacity=opacity /> }.into_any()
        }
        Mark::Dot { at, r, color, title, nodes } => { let count = nodes.len(); view! {
            <circle class="plot-mark" data-testid="plot-dot" data-nodes=count cx=at[0] cy=at[1] r=r fill=color fill-opacity="0.8"
                on:click=move |_| ui.show_finding(version, &nodes, &[])>
                <title>{title}</title>
            </circle>
        }.into_any() }
        Mark::Bar { at, size, color, title, nodes } => { let count = nodes.len(); view! {
            <rect class="plot-mark" data-testid="plot-bar" data-nodes=count x=at[0] y=at[1] width=size[0] height=size[1] fill=color
                on:click=move |_| if !nodes.is_empty() { ui.show_finding(version, &nodes, &[]) }>
                <title>{title}</title>
            </rect>
        }.into_any() }
        Mark::Text { at, text, anchor } => view! {
            <text x=at[0] y=at[1] text-anchor=anchor fill=plots::colors::TEXT>{text}</text>
        }.into_any(),
    }).collect_view();
    view! {
        <figure class="plot" data-testid=id>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {} {}", plots::WIDTH, plots::HEIGHT) font-size="10" font-family="sans-serif">
                <rect width=plots::WIDTH height=plots::HEIGHT fill=plots::colors::BACKGROUND />
                {marks}
            </svg>
            <button class="small" data-testid="plot-export" title="Download this plot as SVG" on:click=move |_| save(ui, svg.as_bytes(), &file)>"SVG"</button>
        </figure>
    }
}
