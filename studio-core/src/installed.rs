//! Installed plugins: packages kept in storage (IndexedDB in the browser), each with the version
//! before it kept for a one-step roll back, a pin that holds it at its version, and a revocation
//! that disables it. A package's bytes are written before the list that names them, so a failed
//! install or update (a full quota) leaves the installed version as it was. Whatever is read
//! back is checked again before it runs.

use marketplace::{Package, PackageError, PublicKey, SignatureStatus};
use semver::Version;
use serde::{Deserialize, Serialize};

use crate::market::{CheckedPackage, Market, registry_identity};
use crate::storage::{Area, StorageBackend, StorageError};

/// The key of the list of installed plugins in [`Area::Packages`].
const LIST_KEY: &str = "installed";

/// The registry name a package installed from disk is recorded under.
pub const FROM_DISK: &str = "disk";

/// One installed plugin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installed {
    /// Its name.
    pub name: String,
    /// The version in use.
    pub version: Version,
    /// The registry it came from ([`FROM_DISK`] for a file).
    pub registry: String,
    /// The version before, kept for a roll back.
    pub previous: Option<Version>,
    /// Held at its version: never offered an update.
    pub pinned: bool,
    /// Why a registry revoked this version: it does not run.
    pub revoked: Option<String>,
    /// The capabilities the version in use asks for (an update asking for more asks consent again).
    pub capabilities: Vec<String>,
}

/// Why an install, update, roll back or uninstall failed; what was installed stays.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstallError {
    /// Storage failed (a full quota says so).
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A stored package no longer reads.
    #[error("the stored package of {name} is damaged: {problem}")]
    Damaged {
        /// The plugin.
        name: String,
        /// What is wrong.
        problem: PackageError,
    },
    /// A stored package's signature no longer holds.
    #[error("the stored package of {name} was changed since it was installed: {status}")]
    Tampered {
        /// The plugin.
        name: String,
        /// Its signature status.
        status: String,
    },
    /// Not installed.
    #[error("{0} is not installed")]
    NotInstalled(String),
    /// No version to roll back to.
    #[error("{0} has no earlier version kept to roll back to")]
    NoPrevious(String),
    /// Revoked by its registry.
    #[error("{name} {version} was revoked by its registry and is disabled: {reason}")]
    Revoked {
        /// The plugin.
        name: String,
        /// Its version.
        version: Version,
        /// Why.
        reason: String,
    },
    /// The stored list does not parse.
    #[error("the list of installed plugins is damaged: {0}")]
    BadList(String),
}

/// An update on offer.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    /// The plugin.
    pub name: String,
    /// The version installed.
    pub from: Version,
    /// The newest compatible version offered.
    pub to: Version,
    /// The new version asks for capabilities the installed one did not: consent is asked again.
    pub asks_more: bool,
}

fn package_key(name: &str, version: &Version) -> String {
    format!("{name}@{version}")
}

/// Every installed plugin, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledSet {
    /// In install order.
    pub plugins: Vec<Installed>,
}

impl InstalledSet {
    /// The list as stored (empty when nothing was installed).
    ///
    /// # Errors
    /// Storage failed or the list is damaged.
    pub async fn load(storage: &impl StorageBackend) -> Result<Self, InstallError> {
        match storage.get(Area::Packages, LIST_KEY).await? {
            None => Ok(Self::default()),
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| InstallError::BadList(e.to_string())),
        }
    }

    async fn save(&self, storage: &impl StorageBackend) -> Result<(), InstallError> {
        let json = serde_json::to_vec(self).map_err(|e| InstallError::BadList(e.to_string()))?;
        Ok(storage.put(Area::Packages, LIST_KEY, &json).await?)
    }

    /// The installed plugin named `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Installed> {
        self.plugins.iter().find(|p| p.name == name)
    }

    /// Installs a checked package (its bytes as fetched), or updates to it: the version in use
    /// becomes the one kept for roll back, and the one kept before is dropped. The package is
    /// stored before the list names it, so a failure leaves everything as it was.
    ///
    /// # Errors
    /// Storage failed (a full quota says so); nothing changed.
    pub async fn install(
        &mut self,
        storage: &impl StorageBackend,
        checked: &CheckedPackage,
        bytes: &[u8],
    ) -> Result<Installed, InstallError> {
        let manifest = &checked.package.manifest;
        let (name, version) = (manifest.plugin.name.clone(), manifest.plugin.version.clone());
        storage.put(Area::Packages, &package_key(&name, &version), bytes).await?;
        let mut next = self.clone();
        let old = next.plugins.iter().position(|p| p.name == name).map(|i| next.plugins.remove(i));
        let previous = old.as_ref().map(|o| o.version.clone()).filter(|v| *v != version);
        let entry = Installed {
            name: name.clone(),
            version: version.clone(),
            registry: checked.registry.clone(),
            previous: previous.clone(),
            pinned: old.as_ref().is_some_and(|o| o.pinned),
            revoked: None,
            capabilities: manifest.capabilities.requested().iter().map(|c| c.key().to_owned()).collect(),
        };
        next.plugins.push(entry.clone());
        next.save(storage).await?;
        // The version kept before the previous one is no longer needed.
        if let Some(dropped) = old.and_then(|o| o.previous).filter(|v| Some(v) != previous.as_ref() && *v != version) {
            storage.delete(Area::Packages, &package_key(&name, &dropped)).await.ok();
        }
        *self = next;
        Ok(entry)
    }

    /// Goes back to the version kept; the version in use becomes the kept one (so roll back twice
    /// is where it started).
    ///
    /// # Errors
    /// Not installed, nothing kept, or storage failed.
    pub async fn roll_back(&mut self, storage: &impl StorageBackend, name: &str) -> Result<Installed, InstallError> {
        let mut next = self.clone();
        let entry = next
            .plugins
            .iter_mut()
            .find(|p| p.name == name)
            .ok_or_else(|| InstallError::NotInstalled(name.to_owned()))?;
        let previous = entry.previous.clone().ok_or_else(|| InstallError::NoPrevious(name.to_owned()))?;
        let bytes = storage
            .get(Area::Packages, &package_key(name, &previous))
            .await?
            .ok_or_else(|| InstallError::NoPrevious(name.to_owned()))?;
        let package =
            Package::read(&bytes).map_err(|problem| InstallError::Damaged { name: name.to_owned(), problem })?;
        entry.previous = Some(std::mem::replace(&mut entry.version, previous));
        entry.revoked = None;
        entry.capabilities = package.manifest.capabilities.requested().iter().map(|c| c.key().to_owned()).collect();
        let entry = entry.clone();
        next.save(storage).await?;
        *self = next;
        Ok(entry)
    }

    /// Pins `name` at its version (no updates offered) or unpins it.
    ///
    /// # Errors
    /// Not installed, or storage failed.
    pub async fn set_pinned(
        &mut self,
        storage: &impl StorageBackend,
        name: &str,
        pinned: bool,
    ) -> Result<(), InstallError> {
        let mut next = self.clone();
        next.plugins
            .iter_mut()
            .find(|p| p.name == name)
            .ok_or_else(|| InstallError::NotInstalled(name.to_owned()))?
            .pinned = pinned;
        next.save(storage).await?;
        *self = next;
        Ok(())
    }

    /// Removes `name`: its packages (both versions), its grants and its private folder.
    ///
    /// # Errors
    /// Not installed, or storage failed (then it stays installed).
    pub async fn uninstall(&mut self, storage: &impl StorageBackend, name: &str) -> Result<(), InstallError> {
        let entry = self.get(name).cloned().ok_or_else(|| InstallError::NotInstalled(name.to_owned()))?;
        let mut next = self.clone();
        next.plugins.retain(|p| p.name != name);
        next.save(storage).await?;
        *self = next;
        for version in std::iter::once(&entry.version).chain(entry.previous.as_ref()) {
            let key = package_key(name, version);
            if let Some(bytes) = storage.get(Area::Packages, &key).await.ok().flatten()
                && let Ok(package) = Package::read(&bytes)
            {
                let identity = registry_identity(&package, &entry.registry);
                storage.delete(Area::Grants, &identity.key()).await.ok();
                storage.delete(Area::Folders, &identity.folder_key()).await.ok();
            }
            storage.delete(Area::Packages, &key).await.ok();
        }
        Ok(())
    }

    /// Marks installed versions the registries revoked (and clears marks they lifted); returns
    /// the names newly disabled.
    ///
    /// # Errors
    /// Storage failed.
    pub async fn apply_revocations(
        &mut self,
        storage: &impl StorageBackend,
        market: &Market,
    ) -> Result<Vec<String>, InstallError> {
        let catalog = market.catalog();
        let mut next = self.clone();
        let mut newly = Vec::new();
        for p in &mut next.plugins {
            let reason = catalog.revoked(&p.name, &p.version).map(str::to_owned);
            if reason.is_some() && p.revoked.is_none() {
                newly.push(p.name.clone());
            }
            if reason.is_some() {
                p.revoked = reason;
            }
        }
        if next != *self {
            next.save(storage).await?;
            *self = next;
        }
        Ok(newly)
    }

    /// The updates on offer: for each installed plugin not pinned, the newest release of its
    /// registry that runs here, is newer, not yanked and not revoked.
    #[must_use]
    pub fn updates(&self, market: &Market) -> Vec<Update> {
        let catalog = market.catalog();
        self.plugins
            .iter()
            .filter(|p| !p.pinned)
            .filter_map(|p| {
                let newest = catalog
                    .releases(&p.name)
                    .into_iter()
                    .filter(|(i, _)| catalog.indexes[*i].registry == p.registry)
                    .map(|(_, r)| r)
                    .find(|r| {
                        r.version > p.version
                            && !r.yanked
                            && r.incompatible(&plugin_host::HOST_API_VERSION).is_none()
                            && catalog.revoked(&p.name, &r.version).is_none()
                    })?;
                let asks_more = newest.capabilities.iter().any(|c| !p.capabilities.contains(c));
                Some(Update { name: p.name.clone(), from: p.version.clone(), to: newest.version.clone(), asks_more })
            })
            .collect()
    }

    /// The package of installed `name` read back and checked again (by `trusted` keys and those
    /// `known` to registries), ready to run; refused when revoked or changed since.
    ///
    /// # Errors
    /// Not installed, revoked, damaged, tampered, or storage failed.
    pub async fn open(
        &self,
        storage: &impl StorageBackend,
        name: &str,
        trusted: &[PublicKey],
        known: &[PublicKey],
    ) -> Result<CheckedPackage, InstallError> {
        let entry = self.get(name).ok_or_else(|| InstallError::NotInstalled(name.to_owned()))?;
        if let Some(reason) = &entry.revoked {
            return Err(InstallError::Revoked {
                name: name.to_owned(),
                version: entry.version.clone(),
                reason: reason.clone(),
            });
        }
        let bytes = storage
            .get(Area::Packages, &package_key(name, &entry.version))
            .await?
            .ok_or_else(|| InstallError::NotInstalled(name.to_owned()))?;
        let package =
            Package::read(&bytes).map_err(|problem| InstallError::Damaged { name: name.to_owned(), problem })?;
        let status = marketplace::check_package(&package, trusted, known);
        if let SignatureStatus::Invalid(_) = status {
            return Err(InstallError::Tampered { name: name.to_owned(), status: status.describe() });
        }
        Ok(CheckedPackage { package, status, registry: entry.registry.clone() })
    }
}
