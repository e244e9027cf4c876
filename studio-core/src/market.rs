//! The marketplace as the studio uses it, without the web: the registries the user added (each
//! with its own key), their indexes opened and checked, the list the view shows, and a fetched
//! package checked against its listing and its publisher's signature before it becomes a
//! [`PluginSource`] the plugin panel can run. The shell only fetches bytes.

use std::sync::Arc;

use marketplace::index::{INDEX_FILE, INDEX_SIGNATURE_FILE};
use marketplace::{
    Catalog, Index, IndexError, Listed, Package, PackageError, PublicKey, Query, Release, SignatureStatus,
};
use plugin_host::{HOST_API_VERSION, PluginIdentity, PluginOrigin};

use crate::catalog::PluginSource;

/// A registry: where it is and the key its index must be signed with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrySource {
    /// Its root URL (the folder holding `index.json`), ending in `/`.
    pub url: String,
    /// Its key.
    pub key: PublicKey,
    /// The default registry, shipped beside the app: found again at every start, so never kept
    /// in the settings nor removed.
    pub beside_app: bool,
}

/// The default registry's folder, beside the app's page (`cargo xtask registry` builds it from
/// `plugins/`; the app's build stages it there).
pub const APP_REGISTRY_DIR: &str = "registry/";

/// The default registry's public key file, beside the app's page. Its key comes from the same
/// origin as the app's own code, so trusting it trusts no one the app does not already.
pub const APP_REGISTRY_KEY_FILE: &str = "registry/registry.pub";

impl RegistrySource {
    /// A registry at `url` (a trailing `/` is added) signed by `key`.
    #[must_use]
    pub fn new(url: &str, key: PublicKey) -> Self {
        let url = if url.ends_with('/') { url.to_owned() } else { format!("{url}/") };
        Self { url, key, beside_app: false }
    }

    /// The default registry of the app whose page is at `page` (its address; query and fragment
    /// are ignored), signed by `key` (read from [`APP_REGISTRY_KEY_FILE`]).
    #[must_use]
    pub fn beside_app(page: &str, key: PublicKey) -> Self {
        let page = page.split(['?', '#']).next().unwrap_or(page);
        let folder = page.rfind('/').map_or(page, |slash| &page[..=slash]);
        Self { beside_app: true, ..Self::new(&format!("{folder}{APP_REGISTRY_DIR}"), key) }
    }

    /// A registry imported from a mirror file (its URL is `mirror:FILE/`), not fetched.
    #[must_use]
    pub fn is_mirror(&self) -> bool {
        self.url.starts_with(MIRROR_SCHEME)
    }

    /// The index's URL.
    #[must_use]
    pub fn index_url(&self) -> String {
        format!("{}{INDEX_FILE}", self.url)
    }

    /// The index signature's URL.
    #[must_use]
    pub fn signature_url(&self) -> String {
        format!("{}{INDEX_SIGNATURE_FILE}", self.url)
    }

    /// A package's URL.
    #[must_use]
    pub fn package_url(&self, release: &Release) -> String {
        format!("{}{}", self.url, release.file)
    }
}

/// The URL scheme of registries imported from a mirror file.
pub const MIRROR_SCHEME: &str = "mirror:";

/// Why a registry or a package was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarketError {
    /// The index does not open.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The fetched package is not the one the index lists.
    #[error("the package does not match the registry's index: {0}")]
    NotAsListed(#[from] marketplace::FileMismatch),
    /// The package does not read.
    #[error(transparent)]
    Package(#[from] PackageError),
    /// The package's manifest names another plugin or version than its listing.
    #[error("the package holds {got}, but the index lists {listed}")]
    OtherPlugin {
        /// What the manifest says.
        got: String,
        /// What the index says.
        listed: String,
    },
    /// Its signature does not hold: it never installs or runs.
    #[error("{plugin} was refused: {status}")]
    Signature {
        /// The plugin.
        plugin: String,
        /// What did not match.
        status: String,
    },
    /// No such registry or release.
    #[error("{0} is not in the registries added")]
    Unknown(String),
    /// Revoked by its registry: known to be malicious.
    #[error("{plugin} was revoked by its registry: {reason}")]
    Revoked {
        /// The plugin.
        plugin: String,
        /// Why.
        reason: String,
    },
}

/// A package fetched and checked, with where its signature stands.
#[derive(Clone, Debug)]
pub struct CheckedPackage {
    /// The package.
    pub package: Package,
    /// Its signature against the user's trusted publishers and the registry's known ones.
    pub status: SignatureStatus,
    /// The registry it came from (its name).
    pub registry: String,
}

impl CheckedPackage {
    /// The plugin, ready for the panel: its identity names the registry.
    #[must_use]
    pub fn source(&self) -> PluginSource {
        PluginSource {
            manifest: Arc::new(self.package.manifest.clone()),
            manifest_text: self.package.manifest_text().to_owned(),
            wasm: Arc::new(self.package.module().to_vec()),
            identity: registry_identity(&self.package, &self.registry),
            session_only: false,
            trusted_publisher: match &self.status {
                SignatureStatus::Verified { key } => Some(key.to_string()),
                _ => None,
            },
        }
    }

    /// The plugin to *try*: as [`CheckedPackage::source`], with grants and files kept for this page only.
    #[must_use]
    pub fn tried(&self) -> PluginSource {
        PluginSource { session_only: true, ..self.source() }
    }
}

/// The identity a package from `registry` runs under: grants, kept layouts and its folder are
/// keyed by it.
#[must_use]
pub fn registry_identity(package: &Package, registry: &str) -> PluginIdentity {
    let origin = PluginOrigin::Registry { registry: registry.to_owned() };
    PluginIdentity::new(origin, &package.manifest, package.manifest_text(), package.module())
}

/// What the marketplace keeps between sessions: the registries added (not their indexes, which
/// are fetched again), the publishers trusted, the highest index serial seen per registry (so an
/// older index is refused even after a reload), and whether to look for updates on start.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MarketSettings {
    /// Registries: `(url, key)`.
    pub registries: Vec<(String, PublicKey)>,
    /// Publishers trusted.
    pub trusted: Vec<PublicKey>,
    /// Highest serial seen, by registry name.
    pub seen: std::collections::BTreeMap<String, u64>,
    /// Look for updates when the app starts.
    pub check_updates: bool,
}

impl Default for MarketSettings {
    fn default() -> Self {
        Self {
            registries: Vec::new(),
            trusted: Vec::new(),
            seen: std::collections::BTreeMap::new(),
            check_updates: true,
        }
    }
}

/// The key of the settings in [`crate::storage::Area::Market`].
const SETTINGS_KEY: &str = "settings";

impl MarketSettings {
    /// The settings as stored (defaults when none are).
    ///
    /// # Errors
    /// Storage failed. Damaged settings read as the defaults.
    pub async fn load(storage: &impl crate::storage::StorageBackend) -> Result<Self, crate::storage::StorageError> {
        let bytes = storage.get(crate::storage::Area::Market, SETTINGS_KEY).await?;
        Ok(bytes.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default())
    }

    /// Stores the settings.
    ///
    /// # Errors
    /// Storage failed (a full quota says so).
    pub async fn save(
        &self,
        storage: &impl crate::storage::StorageBackend,
    ) -> Result<(), crate::storage::StorageError> {
        let json = serde_json::to_vec(self).unwrap_or_default();
        storage.put(crate::storage::Area::Market, SETTINGS_KEY, &json).await
    }
}

/// The registries added and the publishers the user trusts.
#[derive(Clone, Debug, Default)]
pub struct Market {
    /// Each registry with its opened index, in the order added.
    pub registries: Vec<(RegistrySource, Index)>,
    /// Publishers' keys the user trusts.
    pub trusted: Vec<PublicKey>,
    /// The highest serial seen per registry name: an older index is refused.
    seen: std::collections::BTreeMap<String, u64>,
}

impl Market {
    /// Opens a fetched index of `source` at `now` (Unix seconds) and adds (or refreshes) the
    /// registry; returns its index.
    ///
    /// # Errors
    /// [`MarketError::Index`]: unsigned, not signed by the registry's key, older than seen, expired, malformed.
    pub fn add(
        &mut self,
        source: RegistrySource,
        json: &[u8],
        signature: Option<&str>,
        now: u64,
    ) -> Result<&Index, MarketError> {
        let index = Index::open(json, signature, std::slice::from_ref(&source.key), now, None)?;
        index.refuse_older_than(self.seen.get(&index.registry).copied())?;
        self.seen.insert(index.registry.clone(), index.serial);
        self.registries.retain(|(s, i)| s.url != source.url && i.registry != index.registry);
        self.registries.push((source, index));
        Ok(&self.registries.last().expect("just pushed").1)
    }

    /// Removes the registry at `url` (its plugins leave the list; installed ones stay installed);
    /// `false` when there is none, or it is the default registry, which stays.
    pub fn remove(&mut self, url: &str) -> bool {
        let before = self.registries.len();
        self.registries.retain(|(s, _)| s.url != url || s.beside_app);
        self.registries.len() != before
    }

    /// All registries as one catalog.
    #[must_use]
    pub fn catalog(&self) -> Catalog {
        Catalog { indexes: self.registries.iter().map(|(_, i)| i.clone()).collect() }
    }

    /// What the list shows for `query`, as owned rows.
    #[must_use]
    pub fn list(&self, query: &Query) -> Vec<ListRow> {
        let catalog = self.catalog();
        catalog.search(query).into_iter().map(|l| ListRow::of(&l, &self.registries[l.registry].1)).collect()
    }

    /// Where to fetch `name` `version` from, with its listing.
    ///
    /// # Errors
    /// [`MarketError::Unknown`] when no registry lists it.
    pub fn locate(&self, name: &str, version: &semver::Version) -> Result<(usize, String, Release), MarketError> {
        self.registries
            .iter()
            .enumerate()
            .find_map(|(i, (s, index))| index.release(name, version).map(|r| (i, s.package_url(r), r.clone())))
            .ok_or_else(|| MarketError::Unknown(format!("{name}@{version}")))
    }

    /// Checks fetched package bytes for the release of registry `registry`: size and hash as
    /// listed, a readable package of the listed plugin and version, and a signature that holds
    /// (by a trusted publisher, or one the registry lists, whom the user may then trust).
    ///
    /// # Errors
    /// [`MarketError`] naming what did not match; such a package never runs.
    pub fn check(&self, registry: usize, release: &Release, bytes: &[u8]) -> Result<CheckedPackage, MarketError> {
        let (_, index) = self.registries.get(registry).ok_or_else(|| MarketError::Unknown(release.file.clone()))?;
        release.check_file(bytes)?;
        let package = Package::read(bytes)?;
        if let Some(r) = index.revoked(&package.manifest.plugin.name, &package.manifest.plugin.version) {
            return Err(MarketError::Revoked { plugin: package.id(), reason: r.reason.clone() });
        }
        let listed = index
            .plugins
            .iter()
            .find(|(_, rs)| rs.iter().any(|r| r.file == release.file))
            .map(|(n, _)| format!("{n}@{}", release.version))
            .unwrap_or_default();
        if package.id() != listed {
            return Err(MarketError::OtherPlugin { got: package.id(), listed });
        }
        let status = marketplace::check_package(&package, &self.trusted, &index.publisher_keys());
        if let SignatureStatus::Invalid(_) = status {
            return Err(MarketError::Signature { plugin: package.id(), status: status.describe() });
        }
        Ok(CheckedPackage { package, status, registry: index.registry.clone() })
    }

    /// A market that remembers `settings`' trusted publishers and serials (its registries are
    /// added again as their indexes are fetched).
    #[must_use]
    pub fn from_settings(settings: &MarketSettings) -> Self {
        Self { registries: Vec::new(), trusted: settings.trusted.clone(), seen: settings.seen.clone() }
    }

    /// What to keep of this market, with `check_updates`.
    #[must_use]
    pub fn settings(&self, check_updates: bool, also: &[(String, PublicKey)]) -> MarketSettings {
        // A mirror imported from a file cannot be fetched again, and the default registry is
        // found beside the app at every start: neither is kept.
        let mut registries: Vec<(String, PublicKey)> = self
            .registries
            .iter()
            .filter(|(s, _)| !s.is_mirror() && !s.beside_app)
            .map(|(s, _)| (s.url.clone(), s.key.clone()))
            .collect();
        for r in also {
            if !registries.iter().any(|(u, _)| *u == r.0) {
                registries.push(r.clone());
            }
        }
        MarketSettings { registries, trusted: self.trusted.clone(), seen: self.seen.clone(), check_updates }
    }

    /// Trusts a publisher's key from now on.
    pub fn trust(&mut self, key: PublicKey) {
        if !self.trusted.contains(&key) {
            self.trusted.push(key);
        }
    }

    /// The registry's name for a publisher key id, if a registry lists it.
    #[must_use]
    pub fn publisher_name(&self, key: marketplace::KeyId) -> Option<(String, PublicKey)> {
        self.registries.iter().find_map(|(_, i)| i.publisher(key).map(|p| (p.name.clone(), p.key.clone())))
    }
}

/// One row of the marketplace list.
#[derive(Clone, Debug, PartialEq)]
pub struct ListRow {
    /// Plugin name.
    pub name: String,
    /// Its newest offered version.
    pub release: Release,
    /// The registry's name.
    pub registry: String,
    /// Why it cannot run here, when it cannot (the row is greyed out).
    pub incompatible: Option<String>,
    /// Why it is revoked, when it is.
    pub revoked: Option<String>,
}

impl ListRow {
    fn of(listed: &Listed<'_>, index: &Index) -> Self {
        Self {
            name: listed.name.to_owned(),
            release: listed.release.clone(),
            registry: index.registry.clone(),
            incompatible: listed.release.incompatible(&HOST_API_VERSION),
            revoked: index.revoked(listed.name, &listed.release.version).map(|r| r.reason.clone()),
        }
    }
}

/// What each capability lets a plugin do, in words, for its page: the manifest names in `release`.
#[must_use]
pub fn capabilities_in_words(release: &Release) -> Vec<String> {
    let mut out: Vec<String> = plugin_host::Capability::ALL
        .into_iter()
        .filter(|c| release.capabilities.iter().any(|k| k == c.key()))
        .map(|c| c.explanation().to_owned())
        .collect();
    if !release.network.is_empty() {
        out.push(format!("fetch from: {}", release.network.join(", ")));
    }
    if out.is_empty() {
        out.push("nothing beyond running on its own".to_owned());
    }
    out
}
