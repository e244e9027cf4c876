//! The plugin panel: choose a plugin, fill its parameter form, run it, watch it, cancel it; the
//! consent dialog; per-run metrics; the audit trail with JSON export.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plugin_host::display::visible;
use plugin_host::{Capability, ParamSpec};
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::browser_file::download;
use crate::loading;
use studio_core::runs::{ExportedFile, RunStatus, RunView};

use crate::market_state::MarketUi;
use crate::plugin_catalog::{fetch_first_party, plugin_from_files};
use crate::plugins::PluginsUi;
use crate::state::Ui;

/// Option values of installed plugins in the plugin select start with this.
const INSTALLED_PREFIX: &str = "installed:";

/// Audit events shown; the export holds them all.
const AUDIT_ROWS: usize = 50;

/// The plugin panel.
#[component]
pub fn PluginPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let pui = expect_context::<PluginsUi>();
    let market = expect_context::<MarketUi>();
    let on_pick = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if name.is_empty() {
            return;
        }
        if let Some(installed) = name.strip_prefix(INSTALLED_PREFIX) {
            let installed = installed.to_owned();
            spawn_local(async move { market.use_installed(pui, &installed).await });
            return;
        }
        let Some(entry) = pui.catalog.with_untracked(|c| c.iter().find(|e| e.name == name).cloned()) else { return };
        spawn_local(async move {
            match fetch_first_party(&entry).await {
                Ok(source) => pui.choose(source),
                Err(e) => ui.error.set(Some(format!("plugin {name}: {e}"))),
            }
        });
    };
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        spawn_local(async move {
            let catalog = pui.catalog.get_untracked();
            let picked = loading::read_file_list(&list).await;
            match picked.map(|files| plugin_from_files(files, &catalog)) {
                Ok(Ok(source)) => pui.choose(source),
                Ok(Err(e)) => ui.error.set(Some(e.to_string())),
                Err(e) => ui.error.set(Some(e.to_string())),
            }
            input.set_value("");
        });
    };
    view! {
        <section class="panel plugins" data-testid="plugin-panel">
            <h2>"Plugins"</h2>
            <div class="plugin-pick">
                <select data-testid="plugin-select" title="A first-party plugin from this build" on:change=on_pick>
                    <option value="">"Choose a plugin…"</option>
                    {move || pui.catalog.get().into_iter().filter(|e| e.listed).map(|e| view! { <option value=e.name.clone()>{e.name.clone()}</option> }).collect_view()}
                    <optgroup label="Installed from the marketplace">
                        {move || market.installed_list().into_iter().map(|p| {
                            let label = match &p.revoked {
                                Some(_) => format!("{} {} (revoked, disabled)", p.name, p.version),
                                None => format!("{} {}", p.name, p.version),
                            };
                            view! { <option value=format!("{INSTALLED_PREFIX}{}", p.name) disabled=p.revoked.is_some()>{label}</option> }
                        }).collect_view()}
                    </optgroup>
                </select>
                <label class="button small" title="Load your own plugin: pick its plugin.toml and its .wasm together">
                    "From disk…"
                    <input type="file" multiple data-testid="plugin-file-input" accept=".wasm,.toml" on:change=on_files />
                </label>
            </div>
            {move || pui.chosen.get().map(|source| {
                let m = source.manifest.clone();
                let caps: Vec<&'static str> = m.capabilities.requested().iter().map(|c| c.key()).collect();
                let params: Vec<(String, ParamSpec)> = m.parameters.clone().into_iter().collect();
                let origin = source.identity.origin.describe();
                let digest = format!("sha256 {}", source.identity.digest.short());
                view! {
                    <div class="plugin-chosen" data-testid="plugin-chosen">
                        <p><strong data-testid="plugin-id">{m.id()}</strong>" · "{m.plugin.kind.to_string()}</p>
                        <p class="muted">
                            <span data-testid="plugin-origin">{origin}</span>" · "<code title=source.identity.digest.hex()>{digest}</code>
                        </p>
                        <p class="muted" data-testid="plugin-description">
                            {format!("by {} · {}", visible(&m.plugin.author), visible(&m.plugin.description))}
                        </p>
                        <p class="muted">"asks for: "{if caps.is_empty() { "nothing".to_owned() } else { caps.join(", ") }}</p>
                        <div class="param-form">
                            {params.into_iter().map(|(name, spec)| view! { <ParamField name spec /> }).collect_view()}
                            <label>
                                "fuel "
                                <input
                                    type="text"
                                    data-testid="plugin-fuel"
                                    title="Fuel budget for this run (empty: the policy's ceiling); a run that uses it all stops with out of fuel"
                                    placeholder="policy ceiling"
                                    prop:value=move || pui.fuel.get()
                                    on:input=move |ev| pui.fuel.set(event_target_value(&ev))
                                />
                            </label>
                        </div>
                        <TrustField source=source.clone() />
                        <button data-testid="plugin-run" title="Run the plugin on the graph shown (asks for consent on its first run)" on:click=move |_| pui.run_chosen(ui)>"Run"</button>
                        <button class="secondary" data-testid="plugin-revoke" title="Forget what this plugin was granted; its next run asks again" on:click=move |_| pui.revoke_chosen(ui)>
                            "Forget grants"
                        </button>
                    </div>
                }
            })}
            <label class="toggle" title="First-party plugins of this build that only read the graph and draw run without a consent dialog; network and file access are always asked per plugin">
                <input
                    type="checkbox"
                    data-testid="bundled-consent"
                    prop:checked=move || pui.bundled_allowed.get()
                    on:change=move |ev| pui.set_bundled_allowed(ui, event_target_checked(&ev))
                />
                " Bundled plugins that only read and draw run without asking"
            </label>
            <ul class="runs" data-testid="plugin-runs">
                <For each=move || pui.runs.with(|runs| runs.iter().map(|r| r.id).collect::<Vec<_>>()) key=|id| *id let:id>
                    <RunRow id />
                </For>
            </ul>
            <AuditTrail />
            <ConsentDialog />
        </section>
    }
}

#[component]
fn ParamField(name: String, spec: ParamSpec) -> impl IntoView {
    let pui = expect_context::<PluginsUi>();
    let testid = format!("param-{name}");
    let key = name.clone();
    let value = move || pui.params.with(|p| p.get(&key).cloned().unwrap_or(Value::Null));
    let set = {
        let name = name.clone();
        move |v: Value| {
            pui.params.update(|p| {
                p.insert(name.clone(), v);
            })
        }
    };
    let label = spec.label_for(&name);
    let help = visible(spec.description()).into_owned();
    let control = match spec {
        ParamSpec::Boolean { description, .. } => {
            let set = set.clone();
            view! {
                <input type="checkbox" data-testid=testid title=visible(&description).into_owned()
                    prop:checked=move || value().as_bool().unwrap_or(false)
                    on:change=move |ev| set(Value::from(event_target_checked(&ev))) />
            }
            .into_any()
        }
        ParamSpec::Choice { choices, description, .. } => {
            let set = set.clone();
            view! {
                <select data-testid=testid title=visible(&description).into_owned() on:change=move |ev| set(Value::from(event_target_value(&ev)))>
                    {choices.into_iter().map(|c| {
                        let selected = value().as_str() == Some(c.as_str());
                        view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        ParamSpec::Integer { description, .. } => {
            number_input(testid, &description, value, set, |t| t.parse::<i64>().ok().map(Value::from))
        }
        ParamSpec::Number { description, .. } => {
            number_input(testid, &description, value, set, |t| t.parse::<f64>().ok().map(Value::from))
        }
    };
    view! {
        <label class="param" title=help.clone() data-testid=format!("param-label-{name}")>
            {label}
            " "
            {control}
            {(!help.is_empty()).then(|| view! { <span class="param-help">{help.clone()}</span> })}
        </label>
    }
}

fn number_input(
    testid: String,
    description: &str,
    value: impl Fn() -> Value + Send + Sync + 'static,
    set: impl Fn(Value) + Send + Sync + 'static,
    parse: fn(&str) -> Option<Value>,
) -> AnyView {
    view! {
        <input type="number" data-testid=testid title=visible(description).into_owned()
            prop:value=move || value().to_string()
            on:change=move |ev| {
                let text = event_target_value(&ev);
                // A malformed value goes to the host as text, which names the problem.
                set(parse(&text).unwrap_or(Value::from(text)));
            } />
    }
    .into_any()
}

/// Whether the chosen plugin is trusted to run in the fast lane: by hand (the checkbox, kept with
/// its grants), or because a publisher the user trusts signed it (shown checked, fixed).
#[component]
fn TrustField(source: studio_core::catalog::PluginSource) -> impl IntoView {
    let pui = expect_context::<PluginsUi>();
    let ui = expect_context::<Ui>();
    let key = source.identity.key();
    let by_publisher = source.trusted_publisher.clone();
    let title = match &by_publisher {
        Some(key) => format!("Signed by {key}, a publisher you trust: it runs in the fast lane (compiled by the browser's own WebAssembly engine in a worker, with fuel metering injected, the same limits and host functions)."),
        None => "A trusted plugin runs compiled by the browser's own WebAssembly engine in a worker, with fuel metering injected and the same limits and host functions: many times faster than the interpreter. Trust only plugins whose authors you trust.".to_owned(),
    };
    let fixed = by_publisher.is_some();
    view! {
        <label title=title>
            <input
                type="checkbox"
                data-testid="plugin-trusted"
                disabled=fixed
                prop:checked=move || fixed || pui.trusted.with(|t| t.contains(&key))
                on:change=move |ev| pui.set_trusted(ui, event_target_checked(&ev))
            />
            {if fixed { " trusted publisher: fast lane" } else { " trusted: run in the fast lane" }}
        </label>
    }
}

/// One run. The row stays put while the run reports progress (so Cancel stays clickable); only its
/// body re-renders.
#[component]
fn RunRow(id: u32) -> impl IntoView {
    let pui = expect_context::<PluginsUi>();
    let ui = expect_context::<Ui>();
    let run = move || pui.runs.with(|runs| runs.iter().find(|r| r.id == id).cloned());
    let state = move || match run().map(|r| r.status) {
        Some(RunStatus::Finished) => "finished",
        Some(RunStatus::Failed { .. }) => "failed",
        _ => "running",
    };
    let (plugin, origin) = run().map(|r| (r.plugin, r.origin)).unwrap_or_default();
    view! {
        <li class=move || format!("run {}", state()) data-testid="plugin-run-row" data-state=state>
            <div class="run-head">
                <strong>{plugin}</strong>
                <span class="muted" data-testid="run-origin">{origin}</span>
                <Show when=move || state() == "running">
                    <button class="small" data-testid="plugin-cancel" title="Stop this run now; the view stays as it was" on:click=move |_| pui.cancel(ui, id)>"Cancel"</button>
                </Show>
            </div>
            {move || run().map(run_body)}
        </li>
    }
}

fn run_body(run: RunView) -> impl IntoView {
    let RunView { status, progress, fuel_used, summary, findings, files, stats, graph, .. } = run;
    let running = matches!(status, RunStatus::Running);
    let status = match status {
        RunStatus::Running => match progress {
            Some((done, total)) => format!("running: {done} / {total}"),
            None => format!("running: {} M fuel", fuel_used / 1_000_000),
        },
        RunStatus::Finished => format!("done: {summary}"),
        RunStatus::Failed { code, message } => format!("{code}: {}", visible(&message)),
    };
    let lane = stats.as_ref().and_then(|s| s.lane.clone()).map(|choice| {
        view! { <p class="muted" data-testid="run-lane" title=choice.reason.clone()>{format!("{}: {}", choice.lane.label(), choice.reason)}</p> }
    });
    let metrics = stats.as_ref().map(|s| {
        let m = &s.metrics;
        view! {
            <table class="metrics" data-testid="run-metrics">
                <tr><td>"fuel"</td><td class="num" data-testid="metric-fuel">{format!("{} of {}", m.fuel_used, m.fuel_budget)}</td></tr>
                <tr><td>"peak memory"</td><td class="num" data-testid="metric-memory">{format!("{:.1} MiB", m.peak_memory as f64 / 1048576.0)}</td></tr>
                <tr><td>"wall time"</td><td class="num" data-testid="metric-wall">{format!("{:.1} ms (load {:.1} ms)", s.wall_ms, s.load_ms)}</td></tr>
                <tr><td>"host calls"</td><td class="num" data-testid="metric-host-calls">{m.host_calls}</td></tr>
                <tr><td>"slices"</td><td class="num">{m.slices}</td></tr>
            </table>
        }
    });
    let progress = running.then(|| match progress {
        Some((d, t)) => {
            let value = f64::from(d) / f64::from(t.max(1));
            view! { <progress data-testid="run-progress" max="1" value=value.to_string()></progress> }.into_any()
        }
        None => view! { <progress data-testid="run-progress"></progress> }.into_any(),
    });
    let logs = stats.filter(|s| !s.logs.is_empty()).map(|s| {
        let text: String = s.logs.iter().map(|l| format!("[{}] {}\n", l.level, visible(&l.message))).collect();
        view! {
            <details>
                <summary>{format!("{} log lines", s.logs.len())}</summary>
                <pre>{text}</pre>
            </details>
        }
    });
    view! {
        <p class="run-status" data-testid="run-status">{status}</p>
        {lane}
        {progress}
        {metrics}
        <ul class="findings">
            {findings.into_iter().map(|f| finding_view(graph, f)).collect_view()}
        </ul>
        {files.into_iter().map(file_button).collect_view()}
        {logs}
    }
}

/// A finding, as text; one about nodes is a button that selects and frames them.
fn finding_view(graph: u32, finding: plugin_host::Finding) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let text = format!("{:?}: {}", finding.severity, visible(&finding.message));
    let (nodes, edges) = (finding.nodes, finding.edges);
    if nodes.is_empty() {
        return view! { <li data-testid="finding">{text}</li> }.into_any();
    }
    let count = nodes.len();
    view! {
        <li data-testid="finding" data-nodes=count>
            <button class="finding" title=format!("Select the {count} nodes it is about and frame them")
                on:click=move |_| ui.show_finding(graph, &nodes, &edges)>{text}</button>
        </li>
    }
    .into_any()
}

/// An exported file: a button that saves it (never a link that could open it in the app's origin).
fn file_button(file: ExportedFile) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let label = format!("download {} ({}, {} bytes)", file.name, file.mime, file.bytes.len());
    view! {
        <button class="small file" data-testid="run-file" data-name=file.name.clone() data-mime=file.mime.clone()
            title="Saves the file; it is never opened in this page"
            on:click=move |_| {
                if let Err(e) = download(&file.bytes, &file.name) {
                    ui.error.set(Some(e.to_string()));
                }
            }>
            {label}
        </button>
    }
}

#[component]
fn AuditTrail() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let pui = expect_context::<PluginsUi>();
    let export = move |_| {
        if let Err(e) = download(pui.audit_json().as_bytes(), "parseltongue-plugin-audit.json") {
            ui.error.set(Some(e.to_string()));
        }
    };
    view! {
        <details class="audit" data-testid="audit">
            <summary>
                {move || format!("Audit trail: {} events, {} host calls", pui.audit.with(Vec::len), pui.host_calls.with(|c| c.values().sum::<u64>()))}
            </summary>
            <button class="small" data-testid="audit-export" title="Download the audit trail as JSON" on:click=export>"Export JSON"</button>
            <ul data-testid="audit-events">
                {move || pui.audit.with(|events| events.iter().rev().take(AUDIT_ROWS).map(|e| {
                    let kind = format!("{:?}", e.kind);
                    view! { <li data-testid="audit-event" data-kind=kind.clone()>{format!("{kind} · {}: {}", e.plugin, visible(&e.detail))}</li> }
                }).collect_view())}
            </ul>
        </details>
    }
}

#[component]
fn ConsentDialog() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let pui = expect_context::<PluginsUi>();
    view! {
        {move || pui.consent.get().map(|request| {
            let m = request.source.manifest.clone();
            let allow_list = m.network.allow.clone();
            let origin = request.source.identity.describe();
            let bundled = studio_core::consent::covered_by_bundled_choice(&request.source);
            view! {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" data-testid="consent-dialog">
                        <h3>{format!("Allow {}?", m.id())}</h3>
                        <p class="muted" data-testid="consent-origin">{origin}</p>
                        <p class="muted" data-testid="consent-about">
                            {format!("by {} · {}", visible(&m.plugin.author), visible(&m.plugin.description))}
                        </p>
                        <p>"It asks to:"</p>
                        <ul>
                            {m.capabilities.requested().into_iter().map(|c| {
                                let extra = (c == Capability::NetworkAccess).then(|| {
                                    if allow_list.is_empty() { " (no hosts listed, so none)".to_owned() } else { format!(" ({})", allow_list.join(", ")) }
                                });
                                view! { <li data-testid="consent-capability" data-capability=c.key()><strong>{c.key()}</strong>": "{c.explanation()}{extra}</li> }
                            }).collect_view()}
                        </ul>
                        <p class="muted">"It can never touch this page, your other plugins or your disk. You are asked again whenever its bytes or origin change."</p>
                        <div class="actions">
                            <button data-testid="consent-allow" title="Grant what is listed and run; the answer is remembered for this exact plugin" on:click=move |_| pui.answer_consent(ui, true)>"Allow and run"</button>
                            {bundled.then(|| view! {
                                <button
                                    data-testid="consent-allow-bundled"
                                    title="Run this and every other plugin of this build that only reads the graph and draws, without asking again; network and file access are still asked per plugin"
                                    on:click=move |_| pui.allow_bundled_and_run(ui)
                                >
                                    "Allow all bundled plugins that only read and draw"
                                </button>
                            })}
                            <button class="secondary" data-testid="consent-deny" title="Do not run the plugin" on:click=move |_| pui.answer_consent(ui, false)>"Don't allow"</button>
                        </div>
                    </div>
                </div>
            }
        })}
    }
}
