//! Consent: which capabilities a plugin may use, asked once per plugin identity and kept in
//! storage, so a changed byte or another origin asks again.

use plugin_host::{Capability, PluginIdentity};

use crate::catalog::PluginSource;
use crate::storage::{Area, StorageBackend, StorageError};

/// What to do before running a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentDecision {
    /// Run it with these grants (nothing asked for, or granted before).
    Run(Vec<Capability>),
    /// Ask the user.
    Ask,
}

/// Decides whether `source` may run without asking: it asks for nothing, or its identity was
/// granted before. Grants are what was stored and requested now (a plugin never gains by a
/// stored grant it no longer asks for).
///
/// # Errors
/// Storage failed; the caller asks the user then.
pub async fn decide(storage: &impl StorageBackend, source: &PluginSource) -> Result<ConsentDecision, StorageError> {
    let requested = source.manifest.capabilities.requested();
    if requested.is_empty() {
        return Ok(ConsentDecision::Run(Vec::new()));
    }
    match storage.get(Area::Grants, &source.identity.key()).await? {
        Some(stored) => {
            let stored: Vec<Capability> = serde_json::from_slice(&stored).unwrap_or_default();
            if requested.iter().all(|c| stored.contains(c)) {
                Ok(ConsentDecision::Run(requested))
            } else {
                Ok(ConsentDecision::Ask)
            }
        }
        None => Ok(ConsentDecision::Ask),
    }
}

/// Keeps the user's grant of `grants` to `identity`.
///
/// # Errors
/// Storage failed (a full quota says so); the grant then holds for this page only.
pub async fn remember(
    storage: &impl StorageBackend,
    identity: &PluginIdentity,
    grants: &[Capability],
) -> Result<(), StorageError> {
    let json = serde_json::to_vec(grants).unwrap_or_default();
    storage.put(Area::Grants, &identity.key(), &json).await
}

/// Forgets what `identity` was granted, so its next run asks again.
///
/// # Errors
/// Storage failed.
pub async fn forget(storage: &impl StorageBackend, identity: &PluginIdentity) -> Result<(), StorageError> {
    storage.delete(Area::Grants, &identity.key()).await
}
