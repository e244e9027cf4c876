//! The `.ptplugin` package: `plugin.toml`, `plugin.wasm`, `README.md`, an optional icon and the
//! publisher's signature, as a tar archive inside gzip. Reading checks everything before anything
//! is trusted: the size of the package and of what it unpacks to (a gzip bomb stops at the limit,
//! not at the end of memory), that every entry is a plain file with one of the names above (no
//! folders, links, `../` or absolute paths), none twice and none missing, and that the manifest
//! parses and names the module's kind.

use std::collections::BTreeMap;

use plugin_host::Manifest;
use sha2::{Digest, Sha256};

use crate::archive::{self, ArchiveError, Limits};
use crate::signing::Statement;

/// Largest package accepted, compressed.
pub const MAX_PACKAGE_BYTES: usize = 16 << 20;
/// Most a package may unpack to, all entries together.
pub const MAX_UNPACKED_BYTES: usize = 48 << 20;

/// The manifest's entry name.
pub const MANIFEST: &str = "plugin.toml";
/// The module's entry name.
pub const MODULE: &str = "plugin.wasm";
/// The readme's entry name.
pub const README: &str = "README.md";
/// The signature's entry name: the publisher's minisign signature of the package's [`Statement`].
pub const SIGNATURE: &str = "plugin.minisig";
/// Icon entry names; at most one.
pub const ICONS: [&str; 2] = ["icon.png", "icon.svg"];

/// Entries every package holds.
const REQUIRED: [&str; 3] = [MANIFEST, MODULE, README];

/// Why a package was refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PackageError {
    /// Bigger than [`MAX_PACKAGE_BYTES`].
    #[error("the package is {bytes} bytes; packages are at most {} MiB", MAX_PACKAGE_BYTES >> 20)]
    TooBig {
        /// Its size.
        bytes: usize,
    },
    /// Unpacks to more than [`MAX_UNPACKED_BYTES`].
    #[error("the package unpacks to more than {} MiB (a compression bomb?)", MAX_UNPACKED_BYTES >> 20)]
    UnpacksTooBig,
    /// Not gzip, or a damaged tar stream.
    #[error("the package is not a readable .ptplugin archive: {0}")]
    Unreadable(String),
    /// An entry path that leaves the package or names a folder.
    #[error("entry `{0}` has a path outside the package (absolute, `..` or a folder)")]
    UnsafePath(String),
    /// A link, device or folder entry.
    #[error("entry `{0}` is not a plain file")]
    NotAFile(String),
    /// A file the format does not have.
    #[error(
        "entry `{0}` does not belong in a package (allowed: plugin.toml, plugin.wasm, README.md, icon.png or icon.svg, plugin.minisig)"
    )]
    UnknownEntry(String),
    /// The same entry twice.
    #[error("entry `{0}` appears twice")]
    Duplicate(String),
    /// A required entry is absent.
    #[error("the package has no {0}")]
    Missing(&'static str),
    /// Two icons.
    #[error("the package has both icon.png and icon.svg")]
    TwoIcons,
    /// A text entry that is not UTF-8.
    #[error("{0} is not UTF-8 text")]
    NotText(&'static str),
    /// The manifest does not parse or check.
    #[error("plugin.toml: {0}")]
    Manifest(String),
    /// The module does not start like WebAssembly.
    #[error("plugin.wasm is not a WebAssembly module")]
    NotWasm,
}

/// A package whose structure was checked. Its signature is checked separately
/// ([`crate::signing::check_package`]) against the keys the user trusts.
#[derive(Debug, Clone)]
pub struct Package {
    /// The parsed manifest.
    pub manifest: Manifest,
    /// Every entry but the signature, by name.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The signature text, if the package carries one.
    pub signature: Option<String>,
}

impl Package {
    /// Builds a package from its files (at least the manifest, module and readme), checking them
    /// as [`Package::read`] would.
    ///
    /// # Errors
    /// As [`Package::read`].
    pub fn from_files(files: BTreeMap<String, Vec<u8>>, signature: Option<String>) -> Result<Self, PackageError> {
        for name in files.keys() {
            if !allowed(name) || name == SIGNATURE {
                return Err(PackageError::UnknownEntry(name.clone()));
            }
        }
        if ICONS.iter().all(|i| files.contains_key(*i)) {
            return Err(PackageError::TwoIcons);
        }
        if let Some(missing) = REQUIRED.iter().find(|r| !files.contains_key(**r)) {
            return Err(PackageError::Missing(missing));
        }
        let text = |name: &'static str| std::str::from_utf8(&files[name]).map_err(|_| PackageError::NotText(name));
        let manifest = Manifest::parse(text(MANIFEST)?).map_err(|e| PackageError::Manifest(e.to_string()))?;
        text(README)?;
        if !files[MODULE].starts_with(b"\0asm") {
            return Err(PackageError::NotWasm);
        }
        Ok(Self { manifest, files, signature })
    }

    /// Reads and checks a package.
    ///
    /// # Errors
    /// [`PackageError`] naming what is wrong: size, archive, an entry, or the manifest.
    pub fn read(bytes: &[u8]) -> Result<Self, PackageError> {
        let limits = Limits { packed: MAX_PACKAGE_BYTES, unpacked: MAX_UNPACKED_BYTES, folders: false };
        let mut files = BTreeMap::new();
        let mut signature = None;
        for (name, data) in archive::read(bytes, &limits, allowed)? {
            if name == SIGNATURE {
                signature = Some(String::from_utf8(data).map_err(|_| PackageError::NotText(SIGNATURE))?);
            } else {
                files.insert(name, data);
            }
        }
        Self::from_files(files, signature)
    }

    /// The package as bytes: the entries in name order with fixed headers (no times, owners or
    /// modes from the author's machine), so the same files always make the same package.
    #[must_use]
    pub fn write(&self) -> Vec<u8> {
        let signature = self.signature.as_ref().map(|s| (SIGNATURE.to_owned(), s.as_bytes().to_vec()));
        archive::write(self.files.iter().map(|(n, d)| (n.clone(), d.clone())).chain(signature))
    }

    /// `name@version` from the manifest.
    #[must_use]
    pub fn id(&self) -> String {
        self.manifest.id()
    }

    /// What the publisher signs: every file's SHA-256 with the plugin's name and version.
    #[must_use]
    pub fn statement(&self) -> Statement {
        Statement::of(&self.manifest.plugin.name, &self.manifest.plugin.version, &self.files)
    }

    /// The module's bytes.
    #[must_use]
    pub fn module(&self) -> &[u8] {
        &self.files[MODULE]
    }

    /// The manifest's text.
    #[must_use]
    pub fn manifest_text(&self) -> &str {
        std::str::from_utf8(&self.files[MANIFEST]).unwrap_or_default()
    }

    /// The readme's text.
    #[must_use]
    pub fn readme(&self) -> &str {
        std::str::from_utf8(&self.files[README]).unwrap_or_default()
    }
}

impl From<ArchiveError> for PackageError {
    fn from(e: ArchiveError) -> Self {
        match e {
            ArchiveError::TooBig { bytes } => Self::TooBig { bytes },
            ArchiveError::UnpacksTooBig => Self::UnpacksTooBig,
            ArchiveError::Unreadable(why) => Self::Unreadable(why),
            ArchiveError::UnsafePath(name) => Self::UnsafePath(name),
            ArchiveError::NotAFile(name) => Self::NotAFile(name),
            ArchiveError::UnknownEntry(name) => Self::UnknownEntry(name),
            ArchiveError::Duplicate(name) => Self::Duplicate(name),
        }
    }
}

fn allowed(name: &str) -> bool {
    REQUIRED.contains(&name) || ICONS.contains(&name) || name == SIGNATURE
}

/// Lower-case hex SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
