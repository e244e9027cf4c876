//! The `.ptplugin` package: `plugin.toml`, `plugin.wasm`, `README.md`, an optional icon and the
//! publisher's signature, as a tar archive inside gzip. Reading checks everything before anything
//! is trusted: the size of the package and of what it unpacks to (a gzip bomb stops at the limit,
//! not at the end of memory), that every entry is a plain file with one of the names above (no
//! folders, links, `../` or absolute paths), none twice and none missing, and that the manifest
//! parses and names the module's kind.

use std::collections::BTreeMap;
use std::io::Read;

use plugin_host::Manifest;
use sha2::{Digest, Sha256};

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
        if bytes.len() > MAX_PACKAGE_BYTES {
            return Err(PackageError::TooBig { bytes: bytes.len() });
        }
        // The budget caps what is decompressed, whatever the headers claim.
        let over = std::rc::Rc::new(std::cell::Cell::new(false));
        let unpacked = Capped {
            inner: flate2::read::GzDecoder::new(bytes),
            left: MAX_UNPACKED_BYTES as u64 + 4096,
            over: over.clone(),
        };
        let mut archive = tar::Archive::new(unpacked);
        let unreadable = |e: std::io::Error| {
            if over.get() { PackageError::UnpacksTooBig } else { PackageError::Unreadable(e.to_string()) }
        };
        let mut files = BTreeMap::new();
        let mut signature = None;
        let mut total = 0usize;
        for entry in archive.entries().map_err(unreadable)? {
            let mut entry = entry.map_err(unreadable)?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            if name.starts_with('/') || name.split(['/', '\\']).any(|p| p == "..") || name.contains(['/', '\\']) {
                return Err(PackageError::UnsafePath(name));
            }
            if !entry.header().entry_type().is_file() {
                return Err(PackageError::NotAFile(name));
            }
            if !allowed(&name) {
                return Err(PackageError::UnknownEntry(name));
            }
            let size = entry.size() as usize;
            total = total.saturating_add(size);
            if total > MAX_UNPACKED_BYTES {
                return Err(PackageError::UnpacksTooBig);
            }
            let mut data = Vec::with_capacity(size);
            entry.read_to_end(&mut data).map_err(unreadable)?;
            if name == SIGNATURE {
                if signature.is_some() {
                    return Err(PackageError::Duplicate(name));
                }
                signature = Some(String::from_utf8(data).map_err(|_| PackageError::NotText(SIGNATURE))?);
            } else if files.insert(name.clone(), data).is_some() {
                return Err(PackageError::Duplicate(name));
            }
        }
        // Read to the end of the gzip stream, so its checksum is checked: a changed byte that still
        // inflates is caught here even when nobody's key can vouch for the contents.
        let mut rest = archive.into_inner();
        std::io::copy(&mut rest, &mut std::io::sink()).map_err(unreadable)?;
        Self::from_files(files, signature)
    }

    /// The package as bytes: the entries in name order with fixed headers (no times, owners or
    /// modes from the author's machine), so the same files always make the same package.
    #[must_use]
    pub fn write(&self) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best()));
        let signature = self.signature.as_ref().map(|s| (SIGNATURE.to_owned(), s.as_bytes().to_vec()));
        for (name, data) in self.files.iter().map(|(n, d)| (n.clone(), d.clone())).chain(signature) {
            let mut header = tar::Header::new_ustar();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_entry_type(tar::EntryType::Regular);
            // Names were checked when the package was made; writing to memory cannot fail.
            builder.append_data(&mut header, &name, data.as_slice()).ok();
        }
        builder.into_inner().and_then(flate2::write::GzEncoder::finish).unwrap_or_default()
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

fn allowed(name: &str) -> bool {
    REQUIRED.contains(&name) || ICONS.contains(&name) || name == SIGNATURE
}

/// A reader that fails once more than `left` bytes came through, and says so in `over`: a read
/// that ran into the budget is a bomb, not a damaged file.
struct Capped<R> {
    inner: R,
    left: u64,
    over: std::rc::Rc<std::cell::Cell<bool>>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.over.set(true);
            return Err(std::io::Error::other("the unpacking budget ran out"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Lower-case hex SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
