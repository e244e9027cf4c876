//! The marketplace's state on the page and what its buttons do: registries fetched and opened,
//! the plugin page's package fetched and checked, try, install, update, roll back, pin, uninstall,
//! install from disk, and the update check on start. Decisions are the core's
//! ([`studio_core::market`], [`studio_core::installed`]); this file fetches bytes, keeps them in
//! IndexedDB and sets signals. Shared through context with the plugin panel, which lists the
//! installed plugins.

use leptos::prelude::*;
use leptos::task::spawn_local;
use marketplace::index::MAX_INDEX_BYTES;
use marketplace::mirror::Mirror;
use marketplace::package::MAX_PACKAGE_BYTES;
use marketplace::signing::MAX_SIGNATURE_BYTES;
use marketplace::{Package, PublicKey, Query, Release, SignatureStatus};
use studio_core::installed::{FROM_DISK, Installed, InstalledSet, Update as Offered};
use studio_core::market::{
    APP_REGISTRY_KEY_FILE, CheckedPackage, ListRow, MIRROR_SCHEME, Market, MarketSettings, RegistrySource,
};

use crate::browser_storage::IdbStorage;
use crate::loading::{FetchError, fetch_at_most};
use crate::plugins::PluginsUi;

/// The page of one plugin, as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Its row in the list.
    pub row: ListRow,
    /// Other versions: `(version, why it cannot run here)`.
    pub versions: Vec<(String, Option<String>)>,
    /// The publisher as the registry names it, with the key's fingerprint.
    pub publisher: String,
    /// What fetching and checking the package found: its README and signature, or why it was refused.
    pub checked: Option<Result<Checked, String>>,
}

/// A checked package as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// Its README.
    pub readme: String,
    /// Its signature status.
    pub status: SignatureStatus,
}

/// A registry in the list of registries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryLine {
    /// Its name, from its index.
    pub name: String,
    /// Where it is.
    pub url: String,
    /// Its index's serial.
    pub serial: u64,
    /// How many plugins it lists.
    pub plugins: usize,
    /// The default registry, beside the app (it cannot be removed).
    pub beside_app: bool,
}

/// "1 plugin", "9 plugins".
#[must_use]
pub fn plugin_count(n: usize) -> String {
    if n == 1 { "1 plugin".to_owned() } else { format!("{n} plugins") }
}

/// What a confirmation is for.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    /// Make the page's package the chosen plugin.
    Try,
    /// Install the page's package.
    Install,
    /// Install a package from disk.
    InstallFromDisk,
    /// Uninstall a plugin.
    Uninstall(String),
}

/// The marketplace on the page.
#[derive(Clone, Copy)]
pub struct MarketUi {
    market: StoredValue<Market, LocalStorage>,
    /// The package of the page shown (or from disk), once checked, with its bytes.
    package: StoredValue<Option<(CheckedPackage, Vec<u8>)>, LocalStorage>,
    /// Rows of the list.
    pub rows: RwSignal<Vec<ListRow>>,
    /// The registries listed.
    pub registries: RwSignal<Vec<RegistryLine>>,
    /// The categories offered, for the filter.
    pub categories: RwSignal<Vec<String>>,
    /// What the list is narrowed to.
    pub query: RwSignal<Query>,
    /// The plugin page shown.
    pub page: RwSignal<Option<Page>>,
    /// The last thing that happened, in words.
    pub status: RwSignal<Option<String>>,
    /// A question before an action: its text and the action.
    pub confirm: RwSignal<Option<(String, Pending)>>,
    /// Installed plugins.
    pub installed: RwSignal<InstalledSet>,
    /// Updates on offer.
    pub updates: RwSignal<Vec<Offered>>,
    /// Look for updates on start.
    pub check_updates: RwSignal<bool>,
    /// Registries the settings name that could not be reached this session (kept in the settings).
    unreached: StoredValue<Vec<(String, PublicKey)>, LocalStorage>,
    /// Registries imported from mirror files, by their `mirror:` URL.
    mirrors: StoredValue<std::collections::BTreeMap<String, Mirror>, LocalStorage>,
}

impl MarketUi {
    /// The marketplace, with the installed plugins and settings read from IndexedDB and, when the
    /// user has not turned it off, the saved registries fetched to look for updates.
    pub fn load() -> Self {
        let m = Self {
            market: StoredValue::new_local(Market::default()),
            package: StoredValue::new_local(None),
            rows: RwSignal::new(Vec::new()),
            registries: RwSignal::new(Vec::new()),
            categories: RwSignal::new(Vec::new()),
            query: RwSignal::new(Query::default()),
            page: RwSignal::new(None),
            status: RwSignal::new(None),
            confirm: RwSignal::new(None),
            installed: RwSignal::new(InstalledSet::default()),
            updates: RwSignal::new(Vec::new()),
            check_updates: RwSignal::new(true),
            unreached: StoredValue::new_local(Vec::new()),
            mirrors: StoredValue::new_local(std::collections::BTreeMap::new()),
        };
        spawn_local(async move { m.start().await });
        m
    }

    async fn start(self) {
        match InstalledSet::load(&IdbStorage).await {
            Ok(set) => self.installed.set(set),
            Err(e) => self.say(format!("installed plugins: {e}")),
        }
        let settings = MarketSettings::load(&IdbStorage).await.unwrap_or_default();
        self.market.set_value(Market::from_settings(&settings));
        self.check_updates.set(settings.check_updates);
        self.unreached.set_value(settings.registries.clone());
        // The default registry comes from the app's own server, so it is listed at once; the
        // user's own registries are asked only when the update check is on.
        self.fetch_default_registry().await;
        if settings.check_updates {
            self.fetch_saved_registries().await;
        }
    }

    /// Fetches the default registry and the registries the user added, again: for the *Fetch*
    /// button, and on start when the update check is on.
    pub async fn fetch_all(self) {
        self.fetch_default_registry().await;
        self.fetch_saved_registries().await;
    }

    async fn fetch_saved_registries(self) {
        let added = self.market.with_value(|m| {
            m.registries
                .iter()
                .filter(|(s, _)| !s.is_mirror() && !s.beside_app)
                .map(|(s, _)| s.clone())
                .collect::<Vec<_>>()
        });
        let unreached = self.unreached.get_value().into_iter().map(|(url, key)| RegistrySource::new(&url, key));
        for source in unreached.chain(added) {
            self.fetch_registry(source).await;
        }
    }

    /// Lists the registry beside the app, checked with the key beside it; a server that has none
    /// (a bare `trunk serve`) leaves the list to the registries the user adds.
    async fn fetch_default_registry(self) {
        let Some(window) = web_sys::window() else { return };
        let Ok(page) = window.location().href() else { return };
        let key = match fetch_at_most(APP_REGISTRY_KEY_FILE, MAX_SIGNATURE_BYTES, &|_| {}).await {
            Ok(file) => PublicKey::parse(&String::from_utf8_lossy(&file.bytes)),
            // The registry list says there is none yet.
            Err(FetchError::Status { status: 404, .. }) => return,
            Err(e) => return self.say(format!("the default registry: {e}")),
        };
        match key {
            Ok(key) => {
                self.fetch_registry(RegistrySource::beside_app(&page, key)).await;
            }
            Err(e) => self.say(format!("the default registry's key {APP_REGISTRY_KEY_FILE}: {e}")),
        }
    }

    /// Removes the registry at `url` from the list and the settings; installed plugins stay.
    pub fn remove_registry(self, url: &str) {
        let removed = self.market.try_update_value(|m| m.remove(url)).unwrap_or(false);
        self.unreached.update_value(|u| u.retain(|(u, _)| u != url));
        if removed {
            self.refresh();
            let url = url.to_owned();
            // Said once it is kept: a reload before then would bring the registry back.
            spawn_local(async move {
                if self.save_settings().await {
                    self.say(format!("removed the registry {url}; plugins installed from it stay installed"));
                }
            });
        }
    }

    fn say(self, text: impl Into<String>) {
        self.status.set(Some(text.into()));
    }

    /// Keeps the settings in IndexedDB; `false` (and said) when they could not be kept.
    async fn save_settings(self) -> bool {
        let settings =
            self.market.with_value(|m| m.settings(self.check_updates.get_untracked(), &self.unreached.get_value()));
        match settings.save(&IdbStorage).await {
            Ok(()) => true,
            Err(e) => {
                self.say(format!("{e}: the marketplace's settings were not kept"));
                false
            }
        }
    }

    /// Turns the update check on start on or off.
    pub fn set_check_updates(self, on: bool) {
        self.check_updates.set(on);
        spawn_local(async move {
            self.save_settings().await;
        });
    }

    /// Lists the plugins again after a change of query or registries, and what can be updated.
    pub fn refresh(self) {
        let query = self.query.get_untracked();
        self.rows.set(self.market.with_value(|m| m.list(&query)));
        self.registries.set(self.market.with_value(|m| {
            m.registries
                .iter()
                .map(|(s, i)| RegistryLine {
                    name: i.registry.clone(),
                    url: s.url.clone(),
                    serial: i.serial,
                    plugins: i.plugins.len(),
                    beside_app: s.beside_app,
                })
                .collect()
        }));
        self.categories.set(self.market.with_value(|m| m.catalog().categories()));
        self.updates.set(self.market.with_value(|m| self.installed.with_untracked(|i| i.updates(m))));
    }

    /// Adds the registry at `url` signed by `key` (the line of its `.pub` file).
    pub async fn add(self, url: String, key: String) {
        match PublicKey::parse(&key) {
            Ok(k) => {
                if self.fetch_registry(RegistrySource::new(url.trim(), k)).await {
                    self.save_settings().await;
                }
            }
            Err(e) => self.say(format!("the registry key: {e}")),
        }
    }

    /// Fetches and opens a registry's index; `true` when it was added.
    async fn fetch_registry(self, source: RegistrySource) -> bool {
        self.say(format!("fetching {}", source.index_url()));
        let index = fetch_at_most(&source.index_url(), MAX_INDEX_BYTES, &|_| {}).await;
        let signature = fetch_at_most(&source.signature_url(), MAX_SIGNATURE_BYTES, &|_| {}).await;
        let index = match index {
            Ok(f) => f.bytes,
            Err(e) => {
                self.say(format!("{e}; the plugins you had stay"));
                return false;
            }
        };
        let signature = signature.ok().map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let url = source.url.clone();
        let added = self.market.try_update_value(|m| {
            m.add(source, &index, signature.as_deref(), now)
                .map(|i| format!("registry {} (serial {}): {}", i.registry, i.serial, plugin_count(i.plugins.len())))
        });
        match added {
            Some(Ok(said)) => {
                self.unreached.update_value(|u| u.retain(|(u, _)| *u != url));
                self.say(said);
                self.apply_revocations().await;
                self.refresh();
                true
            }
            Some(Err(e)) => {
                self.say(e.to_string());
                false
            }
            None => false,
        }
    }

    async fn apply_revocations(self) {
        let mut set = self.installed.get_untracked();
        let revoked = self.market.with_value(|m| m.clone());
        match set.apply_revocations(&IdbStorage, &revoked).await {
            Ok(names) if !names.is_empty() => {
                self.installed.set(set);
                self.say(format!("revoked by its registry and disabled: {}", names.join(", ")));
            }
            Ok(_) => {}
            Err(e) => self.say(e.to_string()),
        }
    }

    /// A package's bytes: fetched (no more than its listed size, within the package limit), or
    /// taken from an imported mirror.
    async fn fetch(self, url: &str, release: &Release) -> Result<Vec<u8>, String> {
        if url.starts_with(MIRROR_SCHEME) {
            return self
                .mirrors
                .with_value(|ms| {
                    ms.iter().find_map(|(root, m)| {
                        url.strip_prefix(root.as_str()).and_then(|path| m.files.get(path).cloned())
                    })
                })
                .ok_or_else(|| format!("{url} is not in the mirror"));
        }
        let limit = usize::try_from(release.size).unwrap_or(usize::MAX).min(MAX_PACKAGE_BYTES);
        fetch_at_most(url, limit, &|_| {}).await.map(|f| f.bytes).map_err(|e| e.to_string())
    }

    /// Imports a registry mirror file (`ptstudio registry mirror`), checked against the registry
    /// key typed beside it: for machines without a network.
    pub fn import_mirror(self, file_name: &str, bytes: &[u8], key: &str) {
        let key = match PublicKey::parse(key) {
            Ok(k) => k,
            Err(e) => return self.say(format!("the registry key (type it before importing a mirror): {e}")),
        };
        let mirror = match Mirror::read(bytes) {
            Ok(m) => m,
            Err(e) => return self.say(e.to_string()),
        };
        let source = RegistrySource::new(&format!("{MIRROR_SCHEME}{file_name}"), key);
        let root = source.url.clone();
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let added = self.market.try_update_value(|m| {
            m.add(source, &mirror.index, mirror.signature.as_deref(), now).map(|i| {
                format!(
                    "registry {} (serial {}) from the mirror {file_name}: {}",
                    i.registry,
                    i.serial,
                    plugin_count(i.plugins.len())
                )
            })
        });
        match added {
            Some(Ok(said)) => {
                self.mirrors.update_value(|ms| {
                    ms.insert(root, mirror);
                });
                self.say(said);
                self.refresh();
                spawn_local(async move {
                    self.apply_revocations().await;
                    self.save_settings().await;
                });
            }
            Some(Err(e)) => self.say(e.to_string()),
            None => {}
        }
    }

    /// Opens the page of `row`: fetches its package and checks it.
    pub async fn open(self, row: ListRow) {
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
            Ok((registry, url, release)) => match self.fetch(&url, &release).await {
                Err(e) => Err(e),
                Ok(bytes) => self
                    .market
                    .with_value(|m| m.check(registry, &release, &bytes))
                    .map(|c| (c, bytes))
                    .map_err(|e| e.to_string()),
            },
        };
        let shown = checked
            .as_ref()
            .map(|(c, _)| Checked { readme: c.package.readme().to_owned(), status: c.status.clone() })
            .map_err(Clone::clone);
        self.package.set_value(checked.ok());
        self.page.update(|p| {
            if let Some(p) = p.as_mut().filter(|p| p.row == row) {
                p.checked = Some(shown);
            }
        });
    }

    /// The question to ask before `action` on the current package, if any.
    fn question(self, checked: &CheckedPackage) -> Option<String> {
        match &checked.status {
            SignatureStatus::Verified { .. } | SignatureStatus::Invalid(_) => None,
            SignatureStatus::UnknownPublisher { key } => {
                let name = self.market.with_value(|m| m.publisher_name(*key)).map_or_else(String::new, |(n, _)| n);
                Some(format!(
                    "Trust this publisher? {name}, key fingerprint {key}. Its plugins will be verified against this key from now on."
                ))
            }
            SignatureStatus::UnknownKey { key } => Some(format!(
                "This package is signed with key {key}, which no registry you added lists: it cannot be checked. Go ahead anyway?"
            )),
            SignatureStatus::Unsigned => {
                Some("This package is not signed: nobody vouches for it. Go ahead anyway?".to_owned())
            }
        }
    }

    /// Runs `action`, first asking the question it needs unless `confirmed`.
    pub fn act(self, pui: PluginsUi, action: Pending, confirmed: bool) {
        if let Pending::Uninstall(name) = &action {
            if confirmed {
                self.confirm.set(None);
                let name = name.clone();
                spawn_local(async move { self.uninstall(&name).await });
            } else {
                let question =
                    format!("Uninstall {name}? Its package, its permissions and its private files are removed.");
                self.confirm.set(Some((question, action)));
            }
            return;
        }
        let Some((mut checked, bytes)) = self.package.get_value() else { return };
        if checked.status.may_run()
            && !confirmed
            && let Some(question) = self.question(&checked)
        {
            self.confirm.set(Some((question, action)));
            return;
        }
        self.confirm.set(None);
        if let SignatureStatus::UnknownPublisher { key } = checked.status
            && let Some((_, public)) = self.market.with_value(|m| m.publisher_name(key))
        {
            self.market.update_value(|m| m.trust(public));
            spawn_local(async move {
                self.save_settings().await;
            });
            // The signature already held under this key; trusting its publisher makes it verified.
            checked.status = SignatureStatus::Verified { key };
        }
        match action {
            Pending::Try => {
                pui.choose(checked.tried());
                self.say(format!(
                    "{} is ready in the plugin panel: press Run to try it on this graph",
                    checked.package.id()
                ));
            }
            Pending::Install => spawn_local(async move { self.install_with_dependencies(&checked, &bytes).await }),
            Pending::InstallFromDisk => spawn_local(async move { self.install(&checked, &bytes).await }),
            Pending::Uninstall(_) => {}
        }
    }

    async fn install(self, checked: &CheckedPackage, bytes: &[u8]) {
        let mut set = self.installed.get_untracked();
        match set.install(&IdbStorage, checked, bytes).await {
            Ok(entry) => {
                self.installed.set(set);
                self.say(format!("installed {}@{}", entry.name, entry.version));
                self.refresh();
            }
            // Nothing changed: what was installed stays.
            Err(e) => self.say(format!("{e}; the installed version stays")),
        }
    }

    /// Installs the page's package together with the plugins it depends on, resolved across the
    /// registries (dependencies first). Nothing is installed when the set cannot be resolved or a
    /// dependency's package does not check.
    async fn install_with_dependencies(self, checked: &CheckedPackage, bytes: &[u8]) {
        let manifest = &checked.package.manifest;
        let exact = semver::VersionReq::parse(&format!("={}", manifest.plugin.version)).unwrap_or_default();
        let resolved = self
            .market
            .with_value(|m| m.catalog().resolve(&manifest.plugin.name, &exact, &plugin_host::HOST_API_VERSION));
        let plan = match resolved {
            Ok(plan) => plan,
            Err(e) => return self.say(format!("{} was not installed: {e}", checked.package.id())),
        };
        let installed = self.installed.get_untracked();
        let mut fetched = Vec::new();
        for dep in plan.iter().filter(|r| r.name != manifest.plugin.name) {
            if installed.get(&dep.name).is_some_and(|i| i.version == dep.version && i.revoked.is_none()) {
                continue;
            }
            let located = self.market.with_value(|m| m.locate(&dep.name, &dep.version));
            let (registry, url, release) = match located {
                Ok(found) => found,
                Err(e) => return self.say(format!("{} was not installed: {e}", checked.package.id())),
            };
            let got = match self.fetch(&url, &release).await {
                Ok(bytes) => bytes,
                Err(e) => return self.say(format!("{} was not installed: {e}", checked.package.id())),
            };
            match self.market.with_value(|m| m.check(registry, &release, &got)) {
                Ok(dep_checked) => fetched.push((dep_checked, got)),
                Err(e) => return self.say(format!("{} was not installed: its dependency {e}", checked.package.id())),
            }
        }
        for (dep, dep_bytes) in &fetched {
            self.install(dep, dep_bytes).await;
        }
        self.install(checked, bytes).await;
        if !fetched.is_empty() {
            let names: Vec<String> = fetched.iter().map(|(d, _)| d.package.id()).collect();
            self.say(format!("installed {} with {}", checked.package.id(), names.join(", ")));
        }
    }

    /// Fetches, checks and installs `update` (consent is asked at the next run when it asks for more).
    pub async fn update(self, update: Offered) {
        let fetched = self.market.with_value(|m| m.locate(&update.name, &update.to));
        let (registry, url, release) = match fetched {
            Ok(found) => found,
            Err(e) => return self.say(e.to_string()),
        };
        let bytes = match self.fetch(&url, &release).await {
            Ok(bytes) => bytes,
            Err(e) => return self.say(format!("{e}; {} {} stays installed", update.name, update.from)),
        };
        match self.market.with_value(|m| m.check(registry, &release, &bytes)) {
            Ok(checked) => self.install(&checked, &bytes).await,
            Err(e) => self.say(format!("{e}; {} {} stays installed", update.name, update.from)),
        }
    }

    /// Rolls `name` back to the version kept.
    pub async fn roll_back(self, name: &str) {
        let mut set = self.installed.get_untracked();
        match set.roll_back(&IdbStorage, name).await {
            Ok(entry) => {
                self.installed.set(set);
                self.say(format!("rolled {name} back to {}", entry.version));
                self.refresh();
            }
            Err(e) => self.say(e.to_string()),
        }
    }

    /// Pins or unpins `name`.
    pub async fn pin(self, name: &str, pinned: bool) {
        let mut set = self.installed.get_untracked();
        match set.set_pinned(&IdbStorage, name, pinned).await {
            Ok(()) => {
                self.installed.set(set);
                self.say(format!("{name} {}", if pinned { "pinned at its version" } else { "unpinned" }));
                self.refresh();
            }
            Err(e) => self.say(e.to_string()),
        }
    }

    async fn uninstall(self, name: &str) {
        let mut set = self.installed.get_untracked();
        match set.uninstall(&IdbStorage, name).await {
            Ok(()) => {
                self.installed.set(set);
                self.say(format!("uninstalled {name}"));
                self.refresh();
            }
            Err(e) => self.say(e.to_string()),
        }
    }

    /// Reads a `.ptplugin` picked from disk, checks it as one from a registry, and asks before
    /// installing it unless a trusted key signed it.
    pub fn from_disk(self, pui: PluginsUi, bytes: Vec<u8>) {
        let package = match Package::read(&bytes) {
            Ok(p) => p,
            Err(e) => return self.say(format!("the package was refused: {e}")),
        };
        let (trusted, known) = self.market.with_value(|m| {
            (m.trusted.clone(), m.registries.iter().flat_map(|(_, i)| i.publisher_keys()).collect::<Vec<_>>())
        });
        let status = marketplace::check_package(&package, &trusted, &known);
        if let SignatureStatus::Invalid(_) = status {
            return self.say(format!("{} was refused: {}", package.id(), status.describe()));
        }
        self.say(format!("{}: {}", package.id(), status.describe()));
        self.package.set_value(Some((CheckedPackage { package, status, registry: FROM_DISK.to_owned() }, bytes)));
        self.act(pui, Pending::InstallFromDisk, false);
    }

    /// Makes installed `name` the plugin panel's choice, read back from storage and checked again.
    pub async fn use_installed(self, pui: PluginsUi, name: &str) {
        let (trusted, known) = self.market.with_value(|m| {
            (m.trusted.clone(), m.registries.iter().flat_map(|(_, i)| i.publisher_keys()).collect::<Vec<_>>())
        });
        let set = self.installed.get_untracked();
        match set.open(&IdbStorage, name, &trusted, &known).await {
            Ok(checked) => pui.choose(checked.source()),
            Err(e) => self.say(e.to_string()),
        }
    }

    /// Installed plugins, for the plugin panel.
    pub fn installed_list(self) -> Vec<Installed> {
        self.installed.with(|s| s.plugins.clone())
    }
}
