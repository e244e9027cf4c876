//! Where plugins come from: the first-party catalog the build staged (checked by SHA-256), and
//! files the user picked (which may not take a first-party name). Either way the result is a
//! [`PluginSource`] carrying the plugin's identity.

use std::sync::Arc;

use plugin_host::{Manifest, ManifestError, PluginIdentity, PluginOrigin, sha256_hex};

/// A plugin ready to run: its manifest, its module, and who it is.
#[derive(Clone, Debug)]
pub struct PluginSource {
    /// The parsed manifest.
    pub manifest: Arc<Manifest>,
    /// The manifest's text, sent to the worker (which parses it again: it trusts nothing).
    pub manifest_text: String,
    /// The module.
    pub wasm: Arc<Vec<u8>>,
    /// Its digest and origin: what grants, kept layouts and folders are keyed by.
    pub identity: PluginIdentity,
    /// Tried from a registry, not installed: its grants and private files last for this page only.
    pub session_only: bool,
    /// The key of the publisher the user trusts who signed its package, if one did: such a
    /// plugin takes the fast lane without being marked trusted by hand.
    pub trusted_publisher: Option<String>,
}

/// One plugin of the first-party catalog the build staged (`public/bundle-plugins.sh`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct CatalogEntry {
    /// The plugin's name, which is also its folder under `plugins/`.
    pub name: String,
    /// Whether users are offered it (test and bench plugins are staged but not listed).
    pub listed: bool,
    /// SHA-256 of its `plugin.toml`.
    pub manifest_sha256: String,
    /// SHA-256 of its module.
    pub wasm_sha256: String,
}

/// Why a plugin could not be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// A first-party file is not the one the build staged.
    #[error("plugins/{plugin}/{file} does not match the catalog's SHA-256; the build is stale or the file was changed")]
    NotAsStaged {
        /// The plugin.
        plugin: String,
        /// `plugin.toml` or `plugin.wasm`.
        file: &'static str,
    },
    /// The catalog names no such plugin.
    #[error("no first-party plugin is named {0}")]
    NotInCatalog(String),
    /// The manifest is not UTF-8.
    #[error("{0} is not UTF-8")]
    NotUtf8(String),
    /// Only a module, or only a manifest, was picked.
    #[error("pick the plugin's {missing} together with its {given}")]
    Missing {
        /// The file that was not picked.
        missing: &'static str,
        /// The file that was.
        given: &'static str,
    },
    /// A plugin from disk names itself like a first-party plugin.
    #[error(
        "the name {0} belongs to a first-party plugin; a plugin from disk cannot take it (rename yours in its plugin.toml)"
    )]
    FirstPartyName(String),
    /// The manifest was refused.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

/// The catalog's JSON.
///
/// # Errors
/// The text is not a catalog.
pub fn parse_catalog(text: &str) -> Result<Vec<CatalogEntry>, serde_json::Error> {
    serde_json::from_str(text)
}

impl CatalogEntry {
    /// A first-party plugin from the files the build staged, each checked against this entry.
    ///
    /// # Errors
    /// A file that is not the one staged, or a manifest problem.
    pub fn source(&self, manifest_text: String, wasm: Vec<u8>) -> Result<PluginSource, SourceError> {
        for (file, bytes, want) in [
            ("plugin.toml", manifest_text.as_bytes(), &self.manifest_sha256),
            ("plugin.wasm", wasm.as_slice(), &self.wasm_sha256),
        ] {
            if sha256_hex(bytes) != *want {
                return Err(SourceError::NotAsStaged { plugin: self.name.clone(), file });
            }
        }
        source_from(PluginOrigin::FirstParty, manifest_text, wasm)
    }
}

/// A plugin from files the user picked, as `(name, bytes)`: one `*.toml` and one `*.wasm`. A name
/// the first-party catalog lists cannot be taken from disk.
///
/// # Errors
/// Which file is missing, the manifest problem, or a first-party name.
pub fn from_files(files: Vec<(String, Vec<u8>)>, catalog: &[CatalogEntry]) -> Result<PluginSource, SourceError> {
    let mut manifest = None;
    let mut wasm = None;
    for (name, bytes) in files {
        if name.ends_with(".toml") {
            manifest = Some(String::from_utf8(bytes).map_err(|_| SourceError::NotUtf8(name))?);
        } else if name.ends_with(".wasm") {
            wasm = Some((name, bytes));
        }
    }
    let (manifest, (file, wasm)) = match (manifest, wasm) {
        (Some(m), Some(w)) => (m, w),
        (None, _) => return Err(SourceError::Missing { missing: "plugin.toml", given: ".wasm" }),
        (_, None) => return Err(SourceError::Missing { missing: ".wasm", given: "plugin.toml" }),
    };
    let source = source_from(PluginOrigin::Disk { file }, manifest, wasm)?;
    let name = &source.manifest.plugin.name;
    if catalog.iter().any(|e| e.listed && e.name == *name) {
        return Err(SourceError::FirstPartyName(name.clone()));
    }
    Ok(source)
}

fn source_from(origin: PluginOrigin, manifest_text: String, wasm: Vec<u8>) -> Result<PluginSource, SourceError> {
    let manifest = Manifest::parse(&manifest_text)?;
    let identity = PluginIdentity::new(origin, &manifest, &manifest_text, &wasm);
    Ok(PluginSource {
        manifest: Arc::new(manifest),
        manifest_text,
        wasm: Arc::new(wasm),
        identity,
        session_only: false,
        trusted_publisher: None,
    })
}
