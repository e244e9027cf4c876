//! The *Filter and focus* panel: what is drawn (counts), filters by node kind, edge kind, role
//! and module, hubs, and the focus tools around the selection. Every control reads the studio's
//! state through [`crate::state::NarrowView`], so undo moves the controls with the picture.

use isg::CodeRole;
use isg::query::Direction;
use leptos::prelude::*;
use studio_core::filters::Filters;
use studio_core::studio::HubMode;

use crate::state::Ui;

/// Applies `change` to a copy of the filters in force and shows the result.
fn change_filters(ui: Ui, change: impl FnOnce(&mut Filters)) {
    let mut filters = ui.narrow.get_untracked().filters;
    change(&mut filters);
    ui.studio.update_value(|s| {
        s.set_filters(filters);
    });
    ui.sync_view();
}

/// A set of names toggled by checkboxes: `shown` means not in `hidden`.
fn toggle(hidden: &mut std::collections::BTreeSet<String>, name: &str, shown: bool) {
    if shown {
        hidden.remove(name);
    } else {
        hidden.insert(name.to_owned());
    }
}

/// Counts, filters, hubs and focus.
#[component]
pub fn FilterPanel() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let narrow = ui.narrow;
    view! {
        <section class="panel filters" data-testid="filter-panel">
            <h2>"Filter and focus"</h2>
            {move || {
                ui.summary
                    .get()
                    .map(|s| {
                        view! {
                            <p class="shown" data-testid="shown-counts" title="Nodes and edges drawn, of all in the graph">
                                {move || {
                                    let c = narrow.get().shown;
                                    format!("Showing {} of {} nodes · {} of {} edges", c.nodes, c.nodes_total, c.edges, c.edges_total)
                                }}
                            </p>
                            <KindFilters node_kinds=s.node_kinds.clone() edge_kinds=s.edge_kinds.clone() />
                            <RoleFilters external=s.external_nodes />
                            <ModuleFilter />
                            <HubControl />
                            <FocusTools />
                            <button
                                class="small secondary"
                                data-testid="filters-reset"
                                title="Show everything again: no filter, no focus, no hubs hidden"
                                disabled=move || {
                                    let n = narrow.get();
                                    !n.filters.is_active() && n.focus.is_none() && n.hub_threshold.is_none()
                                }
                                on:click=move |_| {
                                    ui.studio.update_value(|s| {
                                        s.set_filters(Filters::default());
                                        s.set_focus(None);
                                        s.set_hub_threshold(None, s.hub_mode);
                                    });
                                    ui.sync_view();
                                }
                            >
                                "Show everything"
                            </button>
                        }
                    })
            }}
        </section>
    }
}

/// One checkbox per node kind and per edge kind, with its count.
#[component]
fn KindFilters(node_kinds: Vec<(String, usize)>, edge_kinds: Vec<(String, usize)>) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let rows = move |kinds: Vec<(String, usize)>, edges: bool| {
        kinds
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| {
                let testid = format!("filter-{}-{kind}", if edges { "edge" } else { "node" });
                let name = kind.clone();
                let checked = {
                    let name = kind.clone();
                    move || {
                        let f = ui.narrow.get().filters;
                        !(if edges { f.hidden_edge_kinds.contains(&name) } else { f.hidden_node_kinds.contains(&name) })
                    }
                };
                let title = format!("Show or hide {} {kind} {}", n, if edges { "edges" } else { "nodes" });
                view! {
                    <label class="check" title=title>
                        <input
                            type="checkbox"
                            data-testid=testid
                            prop:checked=checked
                            on:change=move |ev| {
                                let shown = event_target_checked(&ev);
                                change_filters(ui, |f| {
                                    toggle(if edges { &mut f.hidden_edge_kinds } else { &mut f.hidden_node_kinds }, &name, shown);
                                });
                            }
                        />
                        {format!(" {kind} ({n})")}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <div class="filter-group" data-testid="filter-node-kinds">
            <h4>"Node kinds"</h4>
            {rows(node_kinds, false)}
        </div>
        <div class="filter-group" data-testid="filter-edge-kinds">
            <h4>"Edge kinds"</h4>
            {rows(edge_kinds, true)}
        </div>
    }
}

/// Source, tests, benches and examples, and external placeholders.
#[component]
fn RoleFilters(external: usize) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let counts = move || {
        ui.studio.with_value(|s| {
            let mut counts = [0usize; CodeRole::ALL.len()];
            if let Some(c) = &s.current {
                for n in c.graph.nodes() {
                    let role = c.graph.role(n);
                    if let Some(i) = CodeRole::ALL.iter().position(|&r| r == role) {
                        counts[i] += 1;
                    }
                }
            }
            counts
        })
    };
    let counts = counts();
    let roles = CodeRole::ALL
        .iter()
        .zip(counts)
        .filter(|&(&role, n)| role != CodeRole::External && n > 0)
        .map(|(&role, n)| {
            let testid = format!("filter-role-{}", role.label());
            let title = format!("Show or hide the {n} nodes of {}", role.label());
            view! {
                <label class="check" title=title>
                    <input
                        type="checkbox"
                        data-testid=testid
                        prop:checked=move || !ui.narrow.get().filters.hidden_roles.contains(&role)
                        on:change=move |ev| {
                            let shown = event_target_checked(&ev);
                            change_filters(ui, |f| {
                                if shown {
                                    f.hidden_roles.remove(&role);
                                } else {
                                    f.hidden_roles.insert(role);
                                }
                            });
                        }
                    />
                    {format!(" {} ({n})", role.label())}
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="filter-group" data-testid="filter-roles">
            <h4>"Code"</h4>
            {roles}
            {(external > 0)
                .then(|| {
                    view! {
                        <label class="check" title="Placeholders for callees outside this codebase, named but not defined in it">
                            <input
                                type="checkbox"
                                data-testid="hide-external"
                                prop:checked=move || ui.narrow.get().filters.hidden_roles.contains(&CodeRole::External)
                                on:change=move |ev| {
                                    let hidden = event_target_checked(&ev);
                                    ui.studio.update_value(|st| st.set_externals_hidden(hidden));
                                    ui.sync_view();
                                }
                            />
                            {format!(" Hide {external} external placeholders")}
                        </label>
                    }
                })}
        </div>
    }
}

/// Only one module subtree: a folder picked from the graph's own folders.
#[component]
fn ModuleFilter() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let folders = ui
        .studio
        .with_value(|s| s.current.as_ref().map(|c| studio_core::filters::module_folders(&c.graph)).unwrap_or_default());
    let text = RwSignal::new(ui.narrow.get_untracked().filters.module.unwrap_or_default());
    Effect::new(move |_| text.set(ui.narrow.get().filters.module.unwrap_or_default()));
    let apply = move |value: String| {
        let value = value.trim().trim_end_matches('/').to_owned();
        change_filters(ui, |f| f.module = (!value.is_empty()).then_some(value));
    };
    view! {
        <div class="filter-group">
            <h4>"Module"</h4>
            <input
                type="text"
                list="module-folders"
                data-testid="filter-module"
                placeholder="all modules (type or pick a folder)"
                title="Show only one folder of the codebase, e.g. src/runtime; empty shows all"
                prop:value=move || text.get()
                on:change=move |ev| apply(event_target_value(&ev))
            />
            <datalist id="module-folders">
                {folders
                    .into_iter()
                    .map(|(path, n)| view! { <option value=path.clone()>{format!("{path} ({n})")}</option> })
                    .collect_view()}
            </datalist>
        </div>
    }
}

/// Hides or splits hubs: nodes with more edges than a threshold, which otherwise pull every
/// picture towards themselves with lines across the whole view.
#[component]
fn HubControl() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let narrow = ui.narrow;
    let threshold = RwSignal::new(narrow.get_untracked().suggested_hub_threshold.to_string());
    Effect::new(move |_| {
        if let Some(t) = narrow.get().hub_threshold {
            threshold.set(t.to_string());
        }
    });
    let mode = RwSignal::new(narrow.get_untracked().hub_mode);
    let apply = move |on: bool| {
        let t = threshold.get_untracked().trim().parse::<usize>().ok().filter(|_| on);
        let m = mode.get_untracked();
        ui.studio.update_value(|st| {
            st.set_hub_threshold(t, m);
        });
        ui.sync_view();
    };
    view! {
        <label class="toggle" title="Nodes with this many edges or more pull every picture to themselves">
            <input
                type="checkbox"
                data-testid="hide-hubs"
                prop:checked=move || narrow.get().hub_threshold.is_some()
                on:change=move |ev| apply(event_target_checked(&ev))
            />
            " Hubs with more than "
            <input
                type="number"
                min="1"
                class="hub-threshold"
                data-testid="hub-threshold"
                title="The degree above which a node counts as a hub"
                prop:value=move || threshold.get()
                on:change=move |ev| {
                    threshold.set(event_target_value(&ev));
                    apply(narrow.get_untracked().hub_threshold.is_some());
                }
            />
            " edges: "
            <select
                data-testid="hub-mode"
                title="Hide hubs with their edges, or keep them and draw their edges as short stubs"
                on:change=move |ev| {
                    mode.set(if event_target_value(&ev) == "split" { HubMode::Split } else { HubMode::Hide });
                    apply(narrow.get_untracked().hub_threshold.is_some());
                }
            >
                <option value="hide" selected=move || narrow.get().hub_mode == HubMode::Hide>
                    "hidden"
                </option>
                <option value="split" selected=move || narrow.get().hub_mode == HubMode::Split>
                    "split into stubs"
                </option>
            </select>
            {move || {
                let n = narrow.get();
                n.hub_threshold
                    .map(|_| {
                        let what = if n.hub_mode == HubMode::Split { "split" } else { "hidden" };
                        view! { <span class="muted" data-testid="hubs-hidden">{format!(" ({} {what})", n.hubs)}</span> }
                    })
            }}
        </label>
    }
}

/// Narrowing the view around the selection: callers and callees level by level, the
/// neighbourhood to a depth, a shortest path between two nodes.
#[component]
fn FocusTools() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let narrow = ui.narrow;
    let depth = RwSignal::new(String::from("1"));
    let message = RwSignal::new(None::<String>);
    let run = move |f: &dyn Fn(&mut crate::web_gpu::PageStudio) -> Result<String, studio_core::filters::FocusError>| {
        let outcome = ui.studio.try_update_value(|s| f(s)).unwrap_or_else(|| Ok(String::new()));
        message.set(outcome.err().map(|e| e.to_string()));
        ui.sync_view();
    };
    let none_selected = move || narrow.get().selection.is_empty();
    view! {
        <div class="filter-group focus" data-testid="focus-tools">
            <h4>"Focus on the selection"</h4>
            <div class="buttons">
                <button
                    class="small"
                    data-testid="focus-callers"
                    title="Show the selection with one more level of its callers (click again for the next level)"
                    disabled=none_selected
                    on:click=move |_| run(&|s| s.expand(Direction::In).map(|a| format!("{} callers", a.len())))
                >
                    "+ callers"
                </button>
                <button
                    class="small"
                    data-testid="focus-callees"
                    title="Show the selection with one more level of what it calls"
                    disabled=none_selected
                    on:click=move |_| run(&|s| s.expand(Direction::Out).map(|a| format!("{} callees", a.len())))
                >
                    "+ callees"
                </button>
                <button
                    class="small"
                    data-testid="focus-path"
                    title="Show a shortest path between the two selected nodes (Ctrl-click selects a second one)"
                    disabled=move || narrow.get().selection.len() != 2
                    on:click=move |_| run(&|s| s.focus_path().map(|p| format!("{} nodes", p.len())))
                >
                    "Path between the two"
                </button>
            </div>
            <label class="toggle" title="Show only the selection and what lies within this many edges of it">
                <button
                    class="small"
                    data-testid="focus-neighbourhood"
                    title="Show only the selection and the nodes within the number of steps on the right"
                    disabled=none_selected
                    on:click=move |_| {
                        let d = depth.get_untracked().trim().parse::<usize>().unwrap_or(1).clamp(1, 10);
                        run(&move |s| s.focus_neighbourhood(d).map(|c| format!("{} nodes", c.nodes)));
                    }
                >
                    "Only neighbours within"
                </button>
                <input
                    type="number"
                    min="1"
                    max="10"
                    class="hub-threshold"
                    data-testid="focus-depth"
                    title="How many edges away from the selection"
                    prop:value=move || depth.get()
                    on:change=move |ev| depth.set(event_target_value(&ev))
                />
                " steps"
            </label>
            {move || {
                narrow
                    .get()
                    .focus
                    .map(|d| {
                        view! {
                            <p class="muted" data-testid="focus-description">
                                {d}
                                " "
                                <button
                                    class="small secondary"
                                    data-testid="focus-clear"
                                    title="Leave the focus and show everything the filters let through"
                                    on:click=move |_| {
                                        ui.studio.update_value(|s| {
                                            s.set_focus(None);
                                        });
                                        ui.sync_view();
                                    }
                                >
                                    "Leave focus"
                                </button>
                            </p>
                        }
                    })
            }}
            {move || message.get().map(|m| view! { <p class="focus-error" data-testid="focus-error" role="status">{m}</p> })}
        </div>
    }
}
