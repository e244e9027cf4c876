//! What must outlive the page (capability grants, plugins' private folders), behind a backend
//! trait: IndexedDB in the web shell, [`MemoryStorage`] in native tests and wherever nothing may
//! persist. As ruffle keeps its `StorageBackend` apart from the player.

use std::cell::RefCell;
use std::collections::BTreeMap;

/// The separate stores kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// Capability grants, by plugin identity key.
    Grants,
    /// Plugins' private folders, by folder key.
    Folders,
    /// Installed plugins' packages, by `name@version`, and the list of what is installed.
    Packages,
    /// The marketplace's settings: registries added, publishers trusted, index serials seen.
    Market,
}

impl Area {
    /// The store's name (IndexedDB object store).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Grants => "grants",
            Self::Folders => "folders",
            Self::Packages => "packages",
            Self::Market => "market",
        }
    }
}

/// Why storage failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser's quota for this site is used up.
    #[error(
        "browser storage is full, so {doing} failed (QuotaExceededError); free some space or clear this site's data"
    )]
    QuotaExceeded {
        /// What was being done, in words.
        doing: String,
    },
    /// There is no storage to use (private mode, blocked, no IndexedDB).
    #[error("{doing} failed: browser storage is not available ({reason})")]
    Unavailable {
        /// What was being done.
        doing: String,
        /// Why.
        reason: String,
    },
    /// Anything else the backend reported.
    #[error("{doing} failed: {reason}")]
    Failed {
        /// What was being done.
        doing: String,
        /// What the backend said.
        reason: String,
    },
}

/// A key-value store of byte values in a few [`Area`]s. Asynchronous, as IndexedDB is.
#[allow(async_fn_in_trait, reason = "single-threaded in the browser; futures need not be Send")]
pub trait StorageBackend {
    /// The value under `key`, `None` when absent.
    ///
    /// # Errors
    /// What failed.
    async fn get(&self, area: Area, key: &str) -> Result<Option<Vec<u8>>, StorageError>;
    /// Stores `value` under `key`, resolving once it is kept.
    ///
    /// # Errors
    /// What failed; a full quota says so.
    async fn put(&self, area: Area, key: &str, value: &[u8]) -> Result<(), StorageError>;
    /// Forgets `key`.
    ///
    /// # Errors
    /// What failed.
    async fn delete(&self, area: Area, key: &str) -> Result<(), StorageError>;
}

/// Storage in memory, gone with the page: for tests, and with a byte quota to show what a full
/// quota does.
#[derive(Default)]
pub struct MemoryStorage {
    values: RefCell<BTreeMap<(Area, String), Vec<u8>>>,
    quota: Option<usize>,
}

impl MemoryStorage {
    /// Empty storage holding at most `quota` bytes of values (`None`: no limit).
    #[must_use]
    pub fn with_quota(quota: Option<usize>) -> Self {
        Self { values: RefCell::default(), quota }
    }

    /// How many values are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.borrow().len()
    }

    /// Whether none is.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.borrow().is_empty()
    }
}

impl StorageBackend for MemoryStorage {
    async fn get(&self, area: Area, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.values.borrow().get(&(area, key.to_owned())).cloned())
    }

    async fn put(&self, area: Area, key: &str, value: &[u8]) -> Result<(), StorageError> {
        let mut values = self.values.borrow_mut();
        let slot = (area, key.to_owned());
        let used: usize = values.iter().filter(|(k, _)| **k != slot).map(|(_, v)| v.len()).sum();
        if self.quota.is_some_and(|q| used + value.len() > q) {
            return Err(StorageError::QuotaExceeded { doing: format!("saving {key}") });
        }
        values.insert(slot, value.to_vec());
        Ok(())
    }

    async fn delete(&self, area: Area, key: &str) -> Result<(), StorageError> {
        self.values.borrow_mut().remove(&(area, key.to_owned()));
        Ok(())
    }
}
