//! First-party plugins as the build staged them (the catalog, each file checked against its
//! SHA-256), and plugins the user picks from disk.

use studio_core::catalog::{CatalogEntry, PluginSource, SourceError, parse_catalog};

use crate::loading::{self, FetchError, FetchedFile};

/// The first-party catalog staged by `public/bundle-plugins.sh`.
const CATALOG: &str = "plugins/catalog.json";

/// Why a first-party plugin or the catalog could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FirstPartyError {
    /// A file could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// A text file is not UTF-8.
    #[error("{url} is not UTF-8")]
    NotUtf8 {
        /// The file.
        url: String,
    },
    /// The catalog is not a catalog.
    #[error("{CATALOG}: {0}")]
    Catalog(#[from] serde_json::Error),
    /// The plugin does not match the catalog, is not in it, or its manifest was refused.
    #[error(transparent)]
    Source(#[from] SourceError),
}

async fn fetch_text(url: &str) -> Result<String, FirstPartyError> {
    let file = loading::fetch_with_progress(url, &|_| {}).await?;
    String::from_utf8(file.bytes).map_err(|_| FirstPartyError::NotUtf8 { url: url.to_owned() })
}

/// The first-party catalog the build staged.
///
/// # Errors
/// The catalog could not be fetched or read.
pub async fn fetch_catalog() -> Result<Vec<CatalogEntry>, FirstPartyError> {
    Ok(parse_catalog(&fetch_text(CATALOG).await?)?)
}

/// Fetches a first-party plugin's manifest and module, checked against the catalog's SHA-256.
///
/// # Errors
/// A file could not be fetched or does not match the catalog, or the manifest was refused.
pub async fn fetch_first_party(entry: &CatalogEntry) -> Result<PluginSource, FirstPartyError> {
    let name = &entry.name;
    let manifest_text = fetch_text(&format!("plugins/{name}/plugin.toml")).await?;
    let wasm = loading::fetch_with_progress(&format!("plugins/{name}/plugin.wasm"), &|_| {}).await?.bytes;
    Ok(entry.source(manifest_text, wasm)?)
}

/// Fetches the first-party plugin `name` (listed or not), checked against the catalog.
///
/// # Errors
/// As [`fetch_first_party`], or the name is not in the catalog.
pub async fn fetch_catalog_plugin(name: &str) -> Result<PluginSource, FirstPartyError> {
    let catalog = fetch_catalog().await?;
    let entry = catalog.iter().find(|e| e.name == name).ok_or_else(|| SourceError::NotInCatalog(name.to_owned()))?;
    fetch_first_party(entry).await
}

/// A plugin from files the user picked: one `plugin.toml` and one `.wasm`.
///
/// # Errors
/// Which file is missing, the manifest problem, or a first-party name.
pub fn plugin_from_files(files: Vec<FetchedFile>, catalog: &[CatalogEntry]) -> Result<PluginSource, SourceError> {
    studio_core::catalog::from_files(files.into_iter().map(|f| (f.name, f.bytes)).collect(), catalog)
}
