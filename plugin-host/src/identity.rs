//! Who a plugin is: the hash of its module and manifest together, and where it came from.
//!
//! A manifest's `name@version` is only a claim: anyone can write `name = "circle-layout"`. What the
//! app keys grants, kept layouts, settings and private folders by is a [`PluginIdentity`]: the
//! SHA-256 of the exact bytes ([`PluginDigest`]) plus the [`PluginOrigin`] the page got them from.
//! A plugin loaded from disk therefore never inherits what a first-party (or, later, a registry)
//! plugin of the same name was given.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::manifest::Manifest;

/// SHA-256 over a plugin's manifest and module: `"pt-plugin\0"`, the manifest's length as a
/// little-endian `u64`, the manifest, then the module.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PluginDigest(pub [u8; 32]);

impl PluginDigest {
    /// The digest of `manifest_text` and `wasm` together.
    #[must_use]
    pub fn of(manifest_text: &str, wasm: &[u8]) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"pt-plugin\0");
        hash.update((manifest_text.len() as u64).to_le_bytes());
        hash.update(manifest_text.as_bytes());
        hash.update(wasm);
        Self(hash.finalize().into())
    }

    /// Lower-case hex, 64 digits.
    #[must_use]
    pub fn hex(&self) -> String {
        hex(&self.0)
    }

    /// The first 12 hex digits, for display.
    #[must_use]
    pub fn short(&self) -> String {
        self.hex()[..12].to_owned()
    }
}

impl fmt::Debug for PluginDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PluginDigest({})", self.short())
    }
}

/// Lower-case hex of `bytes`.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes` in lower-case hex (what `sha256sum` prints), for checking files against a
/// catalog or a package's file list.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Where the page got a plugin from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PluginOrigin {
    /// Built from `plugins/` by this app's own build and served beside it, checked against the
    /// build's catalog.
    FirstParty,
    /// Files the user picked or dropped.
    Disk {
        /// The module's file name, as the user picked it.
        file: String,
    },
    /// A package fetched from a registry and checked against its signed index.
    Registry {
        /// The registry's name, as its index gives it.
        registry: String,
    },
}

impl PluginOrigin {
    /// The namespace this origin's keys start with.
    #[must_use]
    pub fn namespace(&self) -> &'static str {
        match self {
            Self::FirstParty => "first-party",
            Self::Disk { .. } => "disk",
            Self::Registry { .. } => "registry",
        }
    }

    /// In words, for the panel and the consent dialog.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::FirstParty => "first-party build".to_owned(),
            Self::Disk { file } => format!("from disk ({file})"),
            Self::Registry { registry } => format!("from registry {registry}"),
        }
    }
}

/// A plugin's identity: its origin, its manifest's name and version, and the digest of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PluginIdentity {
    /// Where it came from.
    pub origin: PluginOrigin,
    /// The manifest's name.
    pub name: String,
    /// The manifest's version.
    pub version: semver::Version,
    /// SHA-256 of manifest and module.
    pub digest: PluginDigest,
}

impl PluginIdentity {
    /// The identity of a parsed manifest, its text and its module, from `origin`.
    #[must_use]
    pub fn new(origin: PluginOrigin, manifest: &Manifest, manifest_text: &str, wasm: &[u8]) -> Self {
        Self {
            origin,
            name: manifest.plugin.name.clone(),
            version: manifest.plugin.version.clone(),
            digest: PluginDigest::of(manifest_text, wasm),
        }
    }

    /// The key grants and kept layouts are stored under: origin, name, version and digest, so a
    /// changed byte or another origin is another plugin.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{}/{}@{}#{}", self.origin.namespace(), self.name, self.version, self.digest.hex())
    }

    /// The key of the plugin's private folder. First-party plugins keep theirs across versions
    /// (the origin vouches for the name); a plugin from disk has a folder for its exact bytes only.
    #[must_use]
    pub fn folder_key(&self) -> String {
        match &self.origin {
            PluginOrigin::FirstParty => format!("first-party/{}", self.name),
            PluginOrigin::Disk { .. } => self.key(),
            // The registry's index and the publisher's signature vouch for the name across versions.
            PluginOrigin::Registry { registry } => format!("registry/{registry}/{}", self.name),
        }
    }

    /// `name@version · origin · sha256 prefix`, for display.
    #[must_use]
    pub fn describe(&self) -> String {
        format!("{}@{} · {} · sha256 {}", self.name, self.version, self.origin.describe(), self.digest.short())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[plugin]\nname = \"circle-layout\"\nversion = \"0.1.0\"\nauthor = \"a\"\n\
                            description = \"d\"\nkind = \"layout\"\nhost_api = \"^1\"\n";

    #[test]
    fn identity_is_content_and_origin() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let first = PluginIdentity::new(PluginOrigin::FirstParty, &m, MANIFEST, b"\0asm");
        let disk = PluginIdentity::new(PluginOrigin::Disk { file: "c.wasm".into() }, &m, MANIFEST, b"\0asm");
        assert_eq!(first.digest, disk.digest);
        assert_ne!(first.key(), disk.key(), "the same bytes from disk are another plugin");
        assert!(first.key().starts_with("first-party/circle-layout@0.1.0#"));
        assert_eq!(first.folder_key(), "first-party/circle-layout");
        assert_eq!(disk.folder_key(), disk.key());
        let changed = PluginIdentity::new(PluginOrigin::FirstParty, &m, MANIFEST, b"\0asn");
        assert_ne!(changed.key(), first.key(), "one changed byte is another plugin");
        // Moving bytes between manifest and module changes the digest too.
        assert_ne!(PluginDigest::of("ab", b"c"), PluginDigest::of("a", b"bc"));
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert!(disk.describe().contains("from disk (c.wasm)"));
    }
}
