//! A registry's index: static files any HTTP server, object store or folder can serve.
//! `index.json` lists every plugin's versions (immutable once published), the publishers' keys
//! and the revoked versions; `index.json.minisig` is the registry key's signature of it. The index
//! carries a serial number and an expiry inside what is signed, so a client refuses an index older
//! than one it has seen (a rollback or freeze attack) or past its expiry.

use std::collections::{BTreeMap, BTreeSet};

use plugin_host::PluginKind;
use semver::{Version, VersionReq};
use serde::{Deserialize, Serialize};

use crate::signing::{KeyId, PublicKey, SignatureProblem};

/// The index format this crate reads and writes.
pub const INDEX_FORMAT: u32 = 1;
/// Largest index accepted.
pub const MAX_INDEX_BYTES: usize = 32 << 20;
/// The index's file name in a registry.
pub const INDEX_FILE: &str = "index.json";
/// Its signature's file name.
pub const INDEX_SIGNATURE_FILE: &str = "index.json.minisig";

/// A registry's index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// [`INDEX_FORMAT`].
    pub format: u32,
    /// The registry's name.
    pub registry: String,
    /// Grows by one with every change; a client never goes back to a lower one.
    pub serial: u64,
    /// Unix seconds after which the index is refused (the registry must re-sign it before).
    pub expires: u64,
    /// Publishers allowed to publish here, with their keys.
    #[serde(default)]
    pub publishers: Vec<Publisher>,
    /// Plugins and their versions, by name.
    #[serde(default)]
    pub plugins: BTreeMap<String, Vec<Release>>,
    /// Versions known to be malicious: disabled wherever they are installed.
    #[serde(default)]
    pub revoked: Vec<Revoked>,
}

/// A publisher and its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// Who (matches manifests' `author`).
    pub name: String,
    /// Their signing key.
    pub key: PublicKey,
}

/// One published version of a plugin, as the index lists it: what the marketplace shows before
/// anything is fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The version.
    pub version: Version,
    /// Host API versions it works with.
    pub host_api: VersionReq,
    /// Its kind.
    pub kind: PluginKind,
    /// One or two sentences.
    pub description: String,
    /// Who wrote it.
    pub author: String,
    /// Catalogue category.
    #[serde(default)]
    pub category: String,
    /// Search tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Licence (SPDX).
    #[serde(default)]
    pub license: String,
    /// Capabilities it asks for, by manifest name.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Hosts it may fetch from.
    #[serde(default)]
    pub network: Vec<String>,
    /// Other plugins it needs: name → requirement.
    #[serde(default)]
    pub dependencies: BTreeMap<String, VersionReq>,
    /// The package, relative to the registry's root.
    pub file: String,
    /// Package size in bytes.
    pub size: u64,
    /// Package SHA-256, lower-case hex.
    pub sha256: String,
    /// The key that signed the package.
    pub publisher: String,
    /// Withdrawn: still installable when pinned, never offered.
    #[serde(default)]
    pub yanked: bool,
    /// When it was published (Unix seconds; 0 in indexes written before it was recorded), for
    /// sorting by what is new.
    #[serde(default)]
    pub published: u64,
}

/// A version known to be malicious.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revoked {
    /// Plugin name.
    pub name: String,
    /// The version.
    pub version: Version,
    /// Why, shown on the banner of a disabled plugin.
    pub reason: String,
}

/// Why an index was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    /// Too big to be an index.
    #[error("the index is {bytes} bytes; at most {} MiB", MAX_INDEX_BYTES >> 20)]
    TooBig {
        /// Its size.
        bytes: usize,
    },
    /// Not an index.
    #[error("the index is not valid index JSON: {0}")]
    Garbage(String),
    /// A format this client does not read.
    #[error("index format {0} is not supported (this app reads format {INDEX_FORMAT})")]
    Format(u32),
    /// No signature.
    #[error("the index of registry {registry} is not signed")]
    Unsigned {
        /// The registry.
        registry: String,
    },
    /// The signature is not the registry key's, or does not match.
    #[error("the index of registry {registry} is not signed by its key: {problem}")]
    BadSignature {
        /// The registry.
        registry: String,
        /// What did not match.
        problem: SignatureProblem,
    },
    /// Older than one already seen.
    #[error("the index of registry {registry} has serial {got}, older than serial {seen} seen before (a rollback?)")]
    SerialWentBack {
        /// The registry.
        registry: String,
        /// Its serial.
        got: u64,
        /// The highest seen.
        seen: u64,
    },
    /// Past its expiry.
    #[error("the index of registry {registry} expired (at {expires}, now {now}); the registry must sign a fresh one")]
    Expired {
        /// The registry.
        registry: String,
        /// Its expiry.
        expires: u64,
        /// Now.
        now: u64,
    },
    /// Listed twice, a path out of the registry, a bad hash or an unknown publisher key.
    #[error("the index is malformed: {0}")]
    Malformed(String),
}

impl Index {
    /// An empty index for `registry`.
    #[must_use]
    pub fn new(registry: &str, serial: u64, expires: u64) -> Self {
        Self {
            format: INDEX_FORMAT,
            registry: registry.to_owned(),
            serial,
            expires,
            publishers: Vec::new(),
            plugins: BTreeMap::new(),
            revoked: Vec::new(),
        }
    }

    /// The trusted comment of the index's signature: names the registry and serial.
    #[must_use]
    pub fn trusted_comment(&self) -> String {
        format!("ptregistry {} serial {}", self.registry, self.serial)
    }

    /// Reads, checks and verifies an index: its signature by one of `registry_keys`, its serial
    /// not below `seen_serial`, its expiry after `now` (Unix seconds).
    ///
    /// # Errors
    /// [`IndexError`] naming what is wrong.
    pub fn open(
        json: &[u8],
        signature: Option<&str>,
        registry_keys: &[PublicKey],
        now: u64,
        seen_serial: Option<u64>,
    ) -> Result<Self, IndexError> {
        if json.len() > MAX_INDEX_BYTES {
            return Err(IndexError::TooBig { bytes: json.len() });
        }
        let index: Self = serde_json::from_slice(json).map_err(|e| IndexError::Garbage(e.to_string()))?;
        if index.format != INDEX_FORMAT {
            return Err(IndexError::Format(index.format));
        }
        let registry = index.registry.clone();
        let signature = signature.ok_or_else(|| IndexError::Unsigned { registry: registry.clone() })?;
        let comment = index.trusted_comment();
        let mut problem = SignatureProblem::OtherKey;
        let signed = registry_keys.iter().any(|k| match k.verify(json, signature, &comment) {
            Ok(()) => true,
            Err(p) => {
                if p != SignatureProblem::OtherKey {
                    problem = p;
                }
                false
            }
        });
        if !signed {
            return Err(IndexError::BadSignature { registry, problem });
        }
        index.refuse_older_than(seen_serial)?;
        if now >= index.expires {
            return Err(IndexError::Expired { registry, expires: index.expires, now });
        }
        index.check()?;
        Ok(index)
    }

    /// Refuses this index when a client has already seen serial `seen` of its registry (a rollback
    /// or freeze attack).
    ///
    /// # Errors
    /// [`IndexError::SerialWentBack`].
    pub fn refuse_older_than(&self, seen: Option<u64>) -> Result<(), IndexError> {
        match seen.filter(|&s| self.serial < s) {
            Some(seen) => Err(IndexError::SerialWentBack { registry: self.registry.clone(), got: self.serial, seen }),
            None => Ok(()),
        }
    }

    /// The checks an index passes beyond its signature.
    ///
    /// # Errors
    /// [`IndexError::Malformed`] naming the first problem.
    pub fn check(&self) -> Result<(), IndexError> {
        let bad = |m: String| Err(IndexError::Malformed(m));
        let keys: BTreeSet<String> = self.publishers.iter().map(|p| p.key.id().to_string()).collect();
        for (name, releases) in &self.plugins {
            let mut seen = BTreeSet::new();
            for r in releases {
                if !seen.insert(&r.version) {
                    return bad(format!("{name} {} is listed twice", r.version));
                }
                if r.file.starts_with('/') || r.file.split(['/', '\\']).any(|p| p == ".." || p.is_empty()) {
                    return bad(format!("{name} {}: file path {:?} leaves the registry", r.version, r.file));
                }
                if r.sha256.len() != 64 || !r.sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
                    return bad(format!("{name} {}: {:?} is not a SHA-256", r.version, r.sha256));
                }
                if !keys.contains(&r.publisher) {
                    return bad(format!(
                        "{name} {}: publisher key {} is not one of the registry's publishers",
                        r.version, r.publisher
                    ));
                }
            }
        }
        Ok(())
    }

    /// The release of `name` at `version`.
    #[must_use]
    pub fn release(&self, name: &str, version: &Version) -> Option<&Release> {
        self.plugins.get(name)?.iter().find(|r| r.version == *version)
    }

    /// Why `name` `version` is revoked, if it is.
    #[must_use]
    pub fn revoked(&self, name: &str, version: &Version) -> Option<&Revoked> {
        self.revoked.iter().find(|r| r.name == name && r.version == *version)
    }

    /// The publishers' keys.
    #[must_use]
    pub fn publisher_keys(&self) -> Vec<PublicKey> {
        self.publishers.iter().map(|p| p.key.clone()).collect()
    }

    /// The publisher whose key has id `key`.
    #[must_use]
    pub fn publisher(&self, key: KeyId) -> Option<&Publisher> {
        self.publishers.iter().find(|p| p.key.id() == key)
    }
}

/// Why a fetched package is not the one the index lists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileMismatch {
    /// Another size.
    #[error("{file} is {got} bytes, the index says {listed}")]
    Size {
        /// The file.
        file: String,
        /// Its size.
        got: u64,
        /// The listed size.
        listed: u64,
    },
    /// Another hash.
    #[error("{file} has SHA-256 {got}, the index says {listed}")]
    Hash {
        /// The file.
        file: String,
        /// Its hash.
        got: String,
        /// The listed hash.
        listed: String,
    },
}

impl Release {
    /// The listing of `package`, whose file is `bytes`, signed by key `publisher`: what the index
    /// says of it, all taken from its manifest, at `packages/NAME-VERSION.ptplugin`.
    #[must_use]
    pub fn of_package(package: &crate::Package, bytes: &[u8], publisher: KeyId) -> Self {
        let m = &package.manifest;
        Self {
            version: m.plugin.version.clone(),
            host_api: m.plugin.host_api.clone(),
            kind: m.plugin.kind,
            description: m.plugin.description.clone(),
            author: m.plugin.author.clone(),
            category: m.metadata.category.clone().unwrap_or_default(),
            tags: m.metadata.tags.clone(),
            license: m.metadata.license.clone().unwrap_or_default(),
            capabilities: m.capabilities.requested().iter().map(|c| c.key().to_owned()).collect(),
            network: m.network.allow.clone(),
            dependencies: m.dependencies.clone(),
            file: format!("packages/{}-{}.ptplugin", m.plugin.name, m.plugin.version),
            size: bytes.len() as u64,
            sha256: crate::package::sha256_hex(bytes),
            publisher: publisher.to_string(),
            yanked: false,
            published: 0,
        }
    }

    /// Why this version cannot run on a host implementing `host` API, if it cannot.
    #[must_use]
    pub fn incompatible(&self, host: &Version) -> Option<String> {
        (!self.host_api.matches(host)).then(|| format!("needs host API {}; this app implements {host}", self.host_api))
    }

    /// Checks fetched package bytes against the listing.
    ///
    /// # Errors
    /// [`FileMismatch`] for another size or hash.
    pub fn check_file(&self, bytes: &[u8]) -> Result<(), FileMismatch> {
        if bytes.len() as u64 != self.size {
            return Err(FileMismatch::Size { file: self.file.clone(), got: bytes.len() as u64, listed: self.size });
        }
        let got = crate::package::sha256_hex(bytes);
        if got != self.sha256 {
            return Err(FileMismatch::Hash { file: self.file.clone(), got, listed: self.sha256.clone() });
        }
        Ok(())
    }
}
