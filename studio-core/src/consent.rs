//! Consent: which capabilities a plugin may use, asked once per plugin identity and kept in
//! storage, so a changed byte or another origin asks again. One choice covers the low-risk
//! case: first-party plugins of this build that only read the graph and draw may all be allowed
//! at once; network and file access always ask per plugin.

use plugin_host::lane::Trust;
use plugin_host::{Capability, PluginIdentity, PluginOrigin};

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

/// What the one choice for bundled plugins covers: reading the graph and drawing.
pub const LOW_RISK: [Capability; 2] = [Capability::ReadIsg, Capability::WriteVisualization];

/// The storage key of that choice.
const BUNDLED_CHOICE: &str = "bundled:read-and-draw";

/// Whether `source` is covered by the choice for bundled plugins: first-party, checked against
/// the build's catalog, and asking for nothing beyond [`LOW_RISK`].
#[must_use]
pub fn covered_by_bundled_choice(source: &PluginSource) -> bool {
    source.identity.origin == PluginOrigin::FirstParty
        && source.manifest.capabilities.requested().iter().all(|c| LOW_RISK.contains(c))
}

/// Whether the user allowed every bundled plugin that only reads and draws.
///
/// # Errors
/// Storage failed.
pub async fn bundled_allowed(storage: &impl StorageBackend) -> Result<bool, StorageError> {
    Ok(storage.get(Area::Grants, BUNDLED_CHOICE).await?.is_some_and(|v| v == b"yes"))
}

/// Keeps (or withdraws) the choice for bundled plugins.
///
/// # Errors
/// Storage failed (a full quota says so).
pub async fn allow_bundled(storage: &impl StorageBackend, allow: bool) -> Result<(), StorageError> {
    if allow {
        storage.put(Area::Grants, BUNDLED_CHOICE, b"yes").await
    } else {
        storage.delete(Area::Grants, BUNDLED_CHOICE).await
    }
}

/// Decides whether `source` may run without asking: it asks for nothing, it is covered by the
/// choice for bundled plugins, or its identity was granted before. Grants are what was stored and requested now (a plugin never gains by a
/// stored grant it no longer asks for).
///
/// # Errors
/// Storage failed; the caller asks the user then.
pub async fn decide(storage: &impl StorageBackend, source: &PluginSource) -> Result<ConsentDecision, StorageError> {
    let requested = source.manifest.capabilities.requested();
    if requested.is_empty() {
        return Ok(ConsentDecision::Run(Vec::new()));
    }
    if covered_by_bundled_choice(source) && bundled_allowed(storage).await? {
        return Ok(ConsentDecision::Run(requested));
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

/// Forgets what `identity` was granted, so its next run asks again, and whether it was trusted.
///
/// # Errors
/// Storage failed.
pub async fn forget(storage: &impl StorageBackend, identity: &PluginIdentity) -> Result<(), StorageError> {
    storage.delete(Area::Grants, &identity.key()).await?;
    storage.delete(Area::Grants, &trust_key(identity)).await
}

/// The key of the fast-lane trust of `identity`, beside its grants.
fn trust_key(identity: &PluginIdentity) -> String {
    format!("fast-lane:{}", identity.key())
}

/// Whether and why the user trusts `source` to run in the fast lane: signed by a publisher they
/// trust, or marked trusted by hand for this identity (a changed byte is another plugin).
///
/// # Errors
/// Storage failed; the caller runs it untrusted then.
pub async fn trust(storage: &impl StorageBackend, source: &PluginSource) -> Result<Trust, StorageError> {
    if let Some(key) = &source.trusted_publisher {
        return Ok(Trust::Publisher { key: key.clone() });
    }
    let marked = storage.get(Area::Grants, &trust_key(&source.identity)).await?.is_some_and(|v| v == b"yes");
    Ok(if marked { Trust::Hand } else { Trust::None })
}

/// Marks `identity` trusted by hand, or not.
///
/// # Errors
/// Storage failed (a full quota says so); the mark then holds for this page only.
pub async fn set_trusted(
    storage: &impl StorageBackend,
    identity: &PluginIdentity,
    trusted: bool,
) -> Result<(), StorageError> {
    if trusted {
        storage.put(Area::Grants, &trust_key(identity), b"yes").await
    } else {
        storage.delete(Area::Grants, &trust_key(identity)).await
    }
}
