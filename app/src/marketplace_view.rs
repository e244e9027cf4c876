//! The marketplace panel: add a registry by URL with its key, browse and search its plugins
//! (versions this app cannot run greyed out with the reason), open a plugin's page — its README,
//! publisher and signature status, what it may do in plain words — and *Try* it on the graph on
//! screen without installing: the checked package becomes the plugin panel's chosen plugin, and
//! nothing is kept after the tab closes. The decisions are the core's ([`studio_core::market`]);
//! this file fetches bytes and draws.

use leptos::prelude::*;
use leptos::task::spawn_local;
use marketplace::{PublicKey, Query, SignatureStatus};
use plugin_host::PluginKind;
use plugin_host::display::visible;
use studio_core::market::{CheckedPackage, ListRow, Market, RegistrySource, capabilities_in_words};

use crate::loading::fetch_with_progress;
use crate::plugins::PluginsUi;

/// The page of one plugin, as shown.
#[derive(Clone, Debug, PartialEq)]
struct Page {
    row: ListRow,
    /// Other versions: `(version, why it cannot run here)`.
    versions: Vec<(String, Option<String>)>,
    /// The publisher as the registry names it, with the key's fingerprint.
    publisher: String,
    /// What fetching and checking the package found: its README and signature status, or why it was refused.
    checked: Option<Result<Checked, String>>,
}

#[derive(Clone, Debug, PartialEq)]
struct Checked {
    readme: String,
    status: SignatureStatus,
    status_text: String,
}

/// The marketplace's state.
#[derive(Clone, Copy)]
struct MarketUi {
    market: StoredValue<Market, LocalStorage>,
    /// The package of the page shown, once checked.
    package: StoredValue<Option<CheckedPackage>, LocalStorage>,
    rows: RwSignal<Vec<ListRow>>,
    query: RwSignal<Query>,
    page: RwSignal<Option<Page>>,
    status: RwSignal<Option<String>>,
    /// Asking before trying: an unknown publisher, or a package that cannot be checked.
    confirm: RwSignal<Option<String>>,
}

impl MarketUi {
    fn refresh(self) {
        let query = self.query.get_untracked();
        self.rows.set(self.market.with_value(|m| m.list(&query)));
    }

    async fn add(self, url: String, key: String) {
        let key = match PublicKey::parse(&key) {
            Ok(k) => k,
            Err(e) => return self.status.set(Some(format!("the registry key: {e}"))),
        };
        let source = RegistrySource::new(url.trim(), key);
        self.status.set(Some(format!("fetching {}", source.index_url())));
        let index = fetch_with_progress(&source.index_url(), &|_| {}).await;
        let signature = fetch_with_progress(&source.signature_url(), &|_| {}).await;
        let index = match index {
            Ok(f) => f.bytes,
            Err(e) => return self.status.set(Some(format!("{e}; the plugins you had stay"))),
        };
        let signature = signature.ok().map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let added = self.market.try_update_value(|m| {
            m.add(source, &index, signature.as_deref(), now)
                .map(|i| format!("registry {} (serial {}): {} plugins", i.registry, i.serial, i.plugins.len()))
        });
        match added {
            Some(Ok(said)) => {
                self.status.set(Some(said));
                self.refresh();
            }
            Some(Err(e)) => self.status.set(Some(e.to_string())),
            None => {}
        }
    }

    async fn open(self, row: ListRow) {
        let (versions, publisher) = self.market.with_value(|m| {
            let catalog = m.catalog();
            let versions = catalog
                .releases(&row.name)
                .into_iter()
                .map(|(_, r)| (r.version.to_string(), r.incompatible(&plugin_host::HOST_API_VERSION)))
                .collect();
            let publisher = m
                .registries
                .iter()
                .find_map(|(_, i)| i.publishers.iter().find(|p| p.key.id().to_string() == row.release.publisher))
                .map_or_else(
                    || format!("unknown (key {})", row.release.publisher),
                    |p| format!("{} (key {})", p.name, p.key.id()),
                );
            (versions, publisher)
        });
        self.package.set_value(None);
        self.page.set(Some(Page { row: row.clone(), versions, publisher, checked: None }));
        let located = self.market.with_value(|m| m.locate(&row.name, &row.release.version));
        let checked = match located {
            Err(e) => Err(e.to_string()),
            Ok((registry, url, release)) => match fetch_with_progress(&url, &|_| {}).await {
                Err(e) => Err(e.to_string()),
                Ok(file) => {
                    self.market.with_value(|m| m.check(registry, &release, &file.bytes)).map_err(|e| e.to_string())
                }
            },
        };
        let shown = checked.as_ref().map(|c| Checked {
            readme: c.package.readme().to_owned(),
            status: c.status.clone(),
            status_text: c.status.describe(),
        });
        let shown = shown.map_err(Clone::clone);
        self.package.set_value(checked.ok());
        self.page.update(|p| {
            if let Some(p) = p.as_mut().filter(|p| p.row == row) {
                p.checked = Some(shown);
            }
        });
    }

    /// Makes the checked package the chosen plugin, after asking when it is not verified.
    fn try_it(self, pui: PluginsUi, confirmed: bool) {
        let Some(checked) = self.package.get_value() else { return };
        let ask = match &checked.status {
            SignatureStatus::Verified { .. } => None,
            SignatureStatus::UnknownPublisher { key } => {
                let name = self.market.with_value(|m| m.publisher_name(*key)).map_or_else(String::new, |(n, _)| n);
                Some(format!(
                    "Trust this publisher? {name}, key fingerprint {key}. Its plugins will be verified against this key from now on."
                ))
            }
            SignatureStatus::UnknownKey { key } => Some(format!(
                "This package is signed with key {key}, which no registry you added lists: it cannot be checked. Try it anyway?"
            )),
            SignatureStatus::Unsigned => {
                Some("This package is not signed: nobody vouches for it. Try it anyway?".to_owned())
            }
            // Refused when checked; never offered.
            SignatureStatus::Invalid(_) => return,
        };
        match ask {
            Some(question) if !confirmed => self.confirm.set(Some(question)),
            _ => {
                if let SignatureStatus::UnknownPublisher { key } = checked.status
                    && let Some((_, public)) = self.market.with_value(|m| m.publisher_name(key))
                {
                    self.market.update_value(|m| m.trust(public));
                }
                self.confirm.set(None);
                pui.choose(checked.source());
                self.status.set(Some(format!(
                    "{} is ready in the plugin panel: press Run to try it on this graph",
                    checked.package.id()
                )));
            }
        }
    }
}

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

/// The marketplace panel.
#[component]
pub fn MarketplacePanel() -> impl IntoView {
    let pui = expect_context::<PluginsUi>();
    let m = MarketUi {
        market: StoredValue::new_local(Market::default()),
        package: StoredValue::new_local(None),
        rows: RwSignal::new(Vec::new()),
        query: RwSignal::new(Query::default()),
        page: RwSignal::new(None),
        status: RwSignal::new(None),
        confirm: RwSignal::new(None),
    };
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
            let can_try = matches!(checked, Some(Ok(_))) && p.row.incompatible.is_none() && p.row.revoked.is_none();
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
                                {c.status_text.clone()}
                            </p>
                            {readme_view(&c.readme)}
                        }.into_any(),
                    }}
                    <button
                        data-testid="market-try"
                        disabled=!can_try
                        title="Run it on the graph on screen without installing: it becomes the plugin panel's choice; nothing is kept after this tab closes"
                        on:click=move |_| m.try_it(pui, false)
                    >
                        "Try"
                    </button>
                    <button title="Back to the list" on:click=move |_| m.page.set(None)>"Back"</button>
                </div>
            }
        })
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
            {move || m.status.get().map(|s| view! { <p class="market-status" data-testid="market-status" role="status">{s}</p> })}
            {move || m.confirm.get().map(|q| view! {
                <div class="market-confirm" data-testid="market-confirm" role="dialog">
                    <p>{q}</p>
                    <button data-testid="market-confirm-yes" title="Go ahead" on:click=move |_| m.try_it(pui, true)>"Trust and try"</button>
                    <button data-testid="market-confirm-no" title="Do not try it" on:click=move |_| m.confirm.set(None)>"Cancel"</button>
                </div>
            })}
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
            </div>
            {page_view}
            <ul class="market-list" data-testid="market-list">
                {move || m.rows.get().into_iter().map(row_view).collect_view()}
            </ul>
        </section>
    }
}
