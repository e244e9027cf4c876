//! The marketplace panel: add a registry by URL with its key, browse and search its plugins
//! (versions this app cannot run greyed out with the reason), open a plugin's page — its README,
//! publisher and signature status, what it may do in plain words — and *Try* it on the graph on
//! screen without installing: the checked package becomes the plugin panel's chosen plugin, and
//! nothing is kept after the tab closes. The decisions are the core's ([`studio_core::market`]);
//! this file fetches bytes and draws.

use leptos::prelude::*;
use leptos::task::spawn_local;
use marketplace::{SignatureStatus, Sort};
use plugin_host::PluginKind;
use plugin_host::display::visible;
use studio_core::installed::Installed;
use studio_core::market::{ListRow, capabilities_in_words};
use wasm_bindgen::JsCast;

use crate::market_state::{MarketUi, Pending, RegistryLine, plugin_count};
use crate::plugins::PluginsUi;

/// Publisher text as shown: invisible and direction-changing characters escaped.
fn text(s: &str) -> String {
    visible(s).into_owned()
}

/// A README as views: headings, list items and paragraphs as text. Markdown's raw HTML is shown
/// as the text it is, never parsed: nothing a publisher writes becomes markup.
fn readme_view(readme: &str) -> impl IntoView {
    let mut blocks: Vec<AnyView> = Vec::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, blocks: &mut Vec<AnyView>| {
        if !paragraph.trim().is_empty() {
            blocks.push(view! { <p>{text(paragraph.trim())}</p> }.into_any());
        }
        paragraph.clear();
    };
    for line in readme.lines() {
        let trimmed = line.trim_start();
        if let Some(h) = trimmed.strip_prefix('#') {
            flush(&mut paragraph, &mut blocks);
            blocks.push(view! { <h4>{text(h.trim_start_matches('#').trim())}</h4> }.into_any());
        } else if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(view! { <li>{text(item.replace("**", "").trim())}</li> }.into_any());
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else {
            paragraph.push_str(trimmed);
            paragraph.push(' ');
        }
    }
    flush(&mut paragraph, &mut blocks);
    view! { <div class="readme" data-testid="market-readme">{blocks}</div> }
}

/// One installed plugin: its version, where from, and what can be done with it.
fn installed_view(m: MarketUi, pui: PluginsUi, p: &Installed) -> impl IntoView + use<> {
    let update = m.updates.with(|u| u.iter().find(|u| u.name == p.name).cloned());
    let (name, name2, name3, name4) = (p.name.clone(), p.name.clone(), p.name.clone(), p.name.clone());
    let pinned = p.pinned;
    view! {
        <li class="market-installed-row" data-testid="market-installed-row" data-name=p.name.clone() data-version=p.version.to_string()>
            <strong>{text(&p.name)}</strong> " " {p.version.to_string()} " · " {text(&p.registry)}
            {pinned.then_some(" · pinned")}
            {p.revoked.clone().map(|r| view! { <p class="refused" data-testid="market-revoked" role="alert">{format!("disabled: revoked by its registry: {r}")}</p> })}
            <span class="actions">
                <button data-testid="market-use" title="Choose it in the plugin panel" disabled=p.revoked.is_some()
                    on:click=move |_| { let n = name.clone(); spawn_local(async move { m.use_installed(pui, &n).await }) }>"Use"</button>
                {update.map(|u| {
                    let label = format!("Update to {}{}", u.to, if u.asks_more { " (asks for more)" } else { "" });
                    view! { <button data-testid="market-update" title="Fetch, check and install the newer version; the installed one is kept for roll back"
                        on:click=move |_| { let u = u.clone(); spawn_local(async move { m.update(u).await }) }>{label}</button> }
                })}
                {p.previous.clone().map(|v| view! {
                    <button data-testid="market-rollback" title="Go back to the version kept"
                        on:click=move |_| { let n = name2.clone(); spawn_local(async move { m.roll_back(&n).await }) }>{format!("Roll back to {v}")}</button>
                })}
                <button data-testid="market-pin" title=if pinned { "Let it be updated again" } else { "Keep it at this version: no updates offered" }
                    on:click=move |_| { let n = name3.clone(); spawn_local(async move { m.pin(&n, !pinned).await }) }>{if pinned { "Unpin" } else { "Pin" }}</button>
                <button data-testid="market-uninstall" title="Remove it, its permissions and its private files"
                    on:click=move |_| m.act(pui, Pending::Uninstall(name4.clone()), false)>"Uninstall"</button>
            </span>
        </li>
    }
}

/// The marketplace panel.
#[component]
pub fn MarketplacePanel() -> impl IntoView {
    let pui = expect_context::<PluginsUi>();
    let m = expect_context::<MarketUi>();
    let url = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let row_view = move |row: ListRow| {
        let greyed = row.incompatible.is_some() || row.revoked.is_some();
        let reason = row.incompatible.clone().or_else(|| row.revoked.clone().map(|r| format!("revoked: {r}")));
        let open = row.clone();
        view! {
            <li class="market-row" class:greyed=greyed data-testid="market-row" data-name=row.name.clone()>
                <button
                    title="Open this plugin's page: its README, publisher, signature and what it may do"
                    on:click=move |_| {
                        let row = open.clone();
                        spawn_local(async move { m.open(row).await });
                    }
                >
                    <strong>{text(&row.name)}</strong>
                    " "
                    {row.release.version.to_string()}
                    " · "
                    {row.release.kind.to_string()}
                </button>
                <span class="desc">{text(&row.release.description)}</span>
                {reason.map(|r| view! { <span class="reason" data-testid="market-reason">{r}</span> })}
            </li>
        }
    };
    let page_view = move || {
        m.page.get().map(|p| {
            let caps = capabilities_in_words(&p.row.release);
            let checked = p.checked.clone();
            let runnable = matches!(checked, Some(Ok(_))) && p.row.incompatible.is_none() && p.row.revoked.is_none();
            let installed = m.installed.with(|s| s.get(&p.row.name).map(|i| i.version.clone()));
            let install_label = match &installed {
                Some(v) if *v == p.row.release.version => "Installed".to_owned(),
                Some(v) => format!("Install {} (replaces {v})", p.row.release.version),
                None => "Install".to_owned(),
            };
            let already = installed.as_ref() == Some(&p.row.release.version);
            view! {
                <div class="market-page" data-testid="market-page">
                    <h3>{text(&p.row.name)} " " {p.row.release.version.to_string()}</h3>
                    <p>{text(&p.row.release.description)}</p>
                    <p class="meta">
                        "by " {text(&p.row.release.author)} " · " {p.row.release.license.clone()} " · "
                        {format!("{} KB", p.row.release.size.div_ceil(1024))} " · registry " {text(&p.row.registry)}
                    </p>
                    <p class="meta" data-testid="market-publisher">"publisher: " {text(&p.publisher)}</p>
                    <h4>"It may"</h4>
                    <ul data-testid="market-capabilities">
                        {caps.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                    </ul>
                    {(!p.row.release.dependencies.is_empty()).then(|| view! {
                        <p class="meta" data-testid="market-dependencies">
                            "needs: "
                            {p.row.release.dependencies.iter().map(|(n, r)| format!("{} {r}", text(n))).collect::<Vec<_>>().join(", ")}
                            " (installed with it)"
                        </p>
                    })}
                    <p class="meta" data-testid="market-versions">
                        "versions: "
                        {p.versions.iter().map(|(v, why)| view! {
                            <span class="version" class:greyed=why.is_some() title=why.clone().unwrap_or_default()>{v.clone()} " "</span>
                        }).collect_view()}
                    </p>
                    {match checked {
                        None => view! { <p data-testid="market-signature">"fetching and checking the package…"</p> }.into_any(),
                        Some(Err(e)) => view! { <p class="refused" data-testid="market-refused" role="alert">{e}</p> }.into_any(),
                        Some(Ok(c)) => view! {
                            <p class="signature" class:verified=matches!(c.status, SignatureStatus::Verified { .. }) data-testid="market-signature">
                                {c.status.describe()}
                            </p>
                            {readme_view(&c.readme)}
                        }.into_any(),
                    }}
                    <button
                        data-testid="market-try"
                        disabled=!runnable
                        title="Run it on the graph on screen without installing: it becomes the plugin panel's choice; nothing is kept after this tab closes"
                        on:click=move |_| m.act(pui, Pending::Try, false)
                    >
                        "Try"
                    </button>
                    <button
                        data-testid="market-install"
                        disabled=!runnable || already
                        title="Keep it in this browser: it appears in the plugin panel after a reload too"
                        on:click=move |_| m.act(pui, Pending::Install, false)
                    >
                        {install_label}
                    </button>
                    <button title="Back to the list" on:click=move |_| m.page.set(None)>"Back"</button>
                </div>
            }
        })
    };
    let on_disk = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        spawn_local(async move {
            match crate::loading::read_file_list(&list).await {
                Ok(mut files) if files.len() == 1 => m.from_disk(pui, files.remove(0).bytes),
                Ok(_) => m.status.set(Some("pick one .ptplugin file".into())),
                Err(e) => m.status.set(Some(e.to_string())),
            }
            input.set_value("");
        });
    };
    let on_mirror = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        spawn_local(async move {
            match crate::loading::read_file_list(&list).await {
                Ok(mut files) if files.len() == 1 => {
                    let file = files.remove(0);
                    m.import_mirror(&file.name, &file.bytes, &key.get_untracked());
                }
                Ok(_) => m.status.set(Some("pick one mirror file".into())),
                Err(e) => m.status.set(Some(e.to_string())),
            }
            input.set_value("");
        });
    };
    view! {
        <section class="panel marketplace" data-testid="marketplace">
            <h2>"Marketplace"</h2>
            <form
                class="market-add"
                on:submit=move |ev| {
                    ev.prevent_default();
                    let (u, k) = (url.get_untracked(), key.get_untracked());
                    spawn_local(async move { m.add(u, k).await });
                }
            >
                <input
                    type="text"
                    data-testid="market-url"
                    placeholder="registry URL"
                    title="The registry's address: the folder that holds its index.json"
                    prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev))
                />
                <input
                    type="text"
                    data-testid="market-key"
                    placeholder="registry public key"
                    title="The registry's minisign public key (the line of its .pub file): its index must be signed with it"
                    prop:value=move || key.get()
                    on:input=move |ev| key.set(event_target_value(&ev))
                />
                <button type="submit" data-testid="market-add" title="Fetch the registry's signed index and list its plugins">"Add registry"</button>
            </form>
            <label class="button small" title="Import a whole registry from a mirror file (ptstudio registry mirror), for a machine without a network; type the registry's key above first">
                "Import mirror…"
                <input type="file" data-testid="market-mirror" accept=".ptmirror" on:change=on_mirror />
            </label>
            <label class="button small" title="Install a .ptplugin file: checked like one from a registry">
                "Install from disk…"
                <input type="file" data-testid="market-disk" accept=".ptplugin" on:change=on_disk />
            </label>
            <RegistriesList />
            <label title="When the app starts, fetch the registries you added to look for updates and revocations">
                <input type="checkbox" data-testid="market-check-updates" prop:checked=move || m.check_updates.get()
                    on:change=move |ev| m.set_check_updates(event_target_checked(&ev)) />
                " check for updates on start"
            </label>
            {move || m.status.get().map(|s| view! { <p class="market-status" data-testid="market-status" role="status">{s}</p> })}
            {move || m.confirm.get().map(|(q, action)| {
                let yes = if matches!(action, Pending::Uninstall(_)) { "Uninstall" } else { "Go ahead" };
                view! {
                    <div class="market-confirm" data-testid="market-confirm" role="dialog">
                        <p>{q}</p>
                        <button data-testid="market-confirm-yes" title="Go ahead" on:click=move |_| m.act(pui, action.clone(), true)>{yes}</button>
                        <button data-testid="market-confirm-no" title="Do not do it" on:click=move |_| m.confirm.set(None)>"Cancel"</button>
                    </div>
                }
            })}
            <h3>"Installed"</h3>
            <ul class="market-installed" data-testid="market-installed">
                {move || m.installed.get().plugins.into_iter().map(|p| installed_view(m, pui, &p)).collect_view()}
            </ul>
            <div class="market-filter">
                <input
                    type="search"
                    data-testid="market-search"
                    placeholder="search plugins"
                    title="Search names, tags and descriptions"
                    on:input=move |ev| {
                        m.query.update(|q| q.text = event_target_value(&ev));
                        m.refresh();
                    }
                />
                <select
                    data-testid="market-kind"
                    title="Only plugins of this kind"
                    on:change=move |ev| {
                        let kind = event_target_value(&ev);
                        m.query.update(|q| q.kind = PluginKind::ALL.into_iter().find(|k| k.to_string() == kind));
                        m.refresh();
                    }
                >
                    <option value="">"every kind"</option>
                    {PluginKind::ALL.into_iter().map(|k| view! { <option value=k.to_string()>{k.to_string()}</option> }).collect_view()}
                </select>
                <select
                    data-testid="market-category"
                    title="Only plugins of this category"
                    on:change=move |ev| {
                        let category = event_target_value(&ev);
                        m.query.update(|q| q.category = (!category.is_empty()).then_some(category));
                        m.refresh();
                    }
                >
                    <option value="">"every category"</option>
                    {move || m.categories.get().into_iter().map(|c| view! { <option value=c.clone()>{text(&c)}</option> }).collect_view()}
                </select>
                <select
                    data-testid="market-sort"
                    title="Order of the list"
                    on:change=move |ev| {
                        let sort = event_target_value(&ev);
                        m.query.update(|q| q.sort = Sort::ALL.into_iter().find(|s| s.label() == sort).unwrap_or_default());
                        m.refresh();
                    }
                >
                    {Sort::ALL.into_iter().map(|s| view! { <option value=s.label()>{format!("sort: {}", s.label())}</option> }).collect_view()}
                </select>
            </div>
            {page_view}
            <ul class="market-list" data-testid="market-list">
                {move || m.rows.get().into_iter().map(row_view).collect_view()}
            </ul>
        </section>
    }
}

/// The registries listed, each with its name, address, serial and plugin count; one the user
/// added can be removed (its installed plugins stay), and all can be fetched again.
#[component]
fn RegistriesList() -> impl IntoView {
    let m = expect_context::<MarketUi>();
    let line = move |r: RegistryLine| {
        let url = r.url.clone();
        view! {
            <li data-testid="market-registry" data-name=r.name.clone() data-default=r.beside_app.to_string()>
                <span class="name">{text(&r.name)}</span>
                <span class="meta" title=r.url.clone()>
                    {format!(" serial {}, {}{}", r.serial, plugin_count(r.plugins), if r.beside_app { ", bundled with the app" } else { "" })}
                </span>
                {(!r.beside_app).then(|| view! {
                    <button class="small" data-testid="market-registry-remove"
                        title="Stop listing this registry; plugins installed from it stay installed"
                        on:click=move |_| m.remove_registry(&url)>"Remove"</button>
                })}
            </li>
        }
    };
    view! {
        <div class="market-registries">
            <ul data-testid="market-registries">
                {move || m.registries.get().into_iter().map(line).collect_view()}
            </ul>
            <Show when=move || m.registries.with(Vec::is_empty)>
                <p class="meta" data-testid="market-no-registry">
                    "No registry yet: add one by its address and key, or import a mirror file."
                </p>
            </Show>
            <button class="small" data-testid="market-fetch"
                title="Fetch every registry's index again: new plugins, updates and revocations"
                on:click=move |_| spawn_local(async move { m.fetch_all().await })>"Fetch registries"</button>
        </div>
    }
}
