//! A registry as one file, for machines without a network: the registry folder — its index, the
//! index's signature and every package — as tar in gzip (`ptstudio registry mirror`). Importing
//! one checks the archive as a package is checked, then the index against the registry key the
//! user gives, and each package against its listing when it is installed, exactly as when
//! fetched.

use std::collections::BTreeMap;

use crate::archive::{self, ArchiveError, Limits};
use crate::index::{INDEX_FILE, INDEX_SIGNATURE_FILE};

/// Largest mirror accepted, compressed.
pub const MAX_MIRROR_BYTES: usize = 1 << 30;
/// Most a mirror may unpack to (packages are already compressed, so about as much).
pub const MAX_MIRROR_UNPACKED: usize = 1 << 30;

/// Why a mirror was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MirrorError {
    /// Too big.
    #[error("the mirror is {bytes} bytes; mirrors are at most {} MiB", MAX_MIRROR_BYTES >> 20)]
    TooBig {
        /// Its size.
        bytes: usize,
    },
    /// The archive is damaged or holds what a mirror does not.
    #[error("the mirror is not a readable registry mirror: {0}")]
    Archive(String),
    /// No index in it.
    #[error("the mirror holds no index.json")]
    NoIndex,
}

/// A registry mirror read from its file.
#[derive(Clone, Debug, Default)]
pub struct Mirror {
    /// `index.json`.
    pub index: Vec<u8>,
    /// `index.json.minisig`, if present.
    pub signature: Option<String>,
    /// Packages by path (`packages/NAME-VERSION.ptplugin`).
    pub files: BTreeMap<String, Vec<u8>>,
}

fn allowed(name: &str) -> bool {
    name == INDEX_FILE
        || name == INDEX_SIGNATURE_FILE
        || name.strip_prefix("packages/").and_then(|f| f.strip_suffix(".ptplugin")).is_some_and(|f| {
            !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._+".contains(&b))
        })
}

impl Mirror {
    /// Reads a mirror file.
    ///
    /// # Errors
    /// [`MirrorError`] naming what is wrong.
    pub fn read(bytes: &[u8]) -> Result<Self, MirrorError> {
        let limits = Limits { packed: MAX_MIRROR_BYTES, unpacked: MAX_MIRROR_UNPACKED, folders: true };
        let entries = archive::read(bytes, &limits, allowed).map_err(|e| match e {
            ArchiveError::TooBig { bytes } => MirrorError::TooBig { bytes },
            ArchiveError::UnpacksTooBig => MirrorError::Archive("it unpacks to more than the limit".into()),
            ArchiveError::Unreadable(why) => MirrorError::Archive(why),
            ArchiveError::UnsafePath(n) => MirrorError::Archive(format!("entry `{n}` has a path outside the mirror")),
            ArchiveError::NotAFile(n) => MirrorError::Archive(format!("entry `{n}` is not a plain file")),
            ArchiveError::UnknownEntry(n) => MirrorError::Archive(format!("entry `{n}` does not belong in a mirror")),
            ArchiveError::Duplicate(n) => MirrorError::Archive(format!("entry `{n}` appears twice")),
        })?;
        let mut mirror = Self::default();
        let mut has_index = false;
        for (name, data) in entries {
            match name.as_str() {
                INDEX_FILE => {
                    mirror.index = data;
                    has_index = true;
                }
                INDEX_SIGNATURE_FILE => mirror.signature = Some(String::from_utf8_lossy(&data).into_owned()),
                _ => {
                    mirror.files.insert(name, data);
                }
            }
        }
        if !has_index {
            return Err(MirrorError::NoIndex);
        }
        Ok(mirror)
    }

    /// The mirror as one file.
    #[must_use]
    pub fn write(&self) -> Vec<u8> {
        let head = [(INDEX_FILE.to_owned(), self.index.clone())]
            .into_iter()
            .chain(self.signature.as_ref().map(|s| (INDEX_SIGNATURE_FILE.to_owned(), s.as_bytes().to_vec())));
        archive::write(head.chain(self.files.iter().map(|(n, d)| (n.clone(), d.clone()))))
    }
}
