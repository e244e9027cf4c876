//! A plugin's private folder: named files under a quota, never the real disk.
//!
//! Host calls are synchronous, so during a call the folder lives in memory; the app loads it from
//! IndexedDB before a call and saves it after, keyed by the plugin's identity.
//!
//! The quota counts what the folder really costs: every file's bytes, its name, and a fixed
//! overhead per file, so a flood of empty files with long names fills it as surely as data does.
//! The used size is kept as files change, never recomputed, so a write costs the same however full
//! the folder is. Names are ASCII letters, digits, `-`, `_` and `.`, so two different names can
//! never look alike or collide on a disk they are exported to.

use std::collections::BTreeMap;

use crate::abi::FsStatus;

/// Longest file name, in bytes.
pub const MAX_NAME_BYTES: usize = 128;
/// Most files one folder holds.
pub const MAX_FILES: usize = 1024;
/// What each file costs the quota beyond its name and bytes.
pub const FILE_OVERHEAD: usize = 64;

/// Names Windows reserves for devices, refused so an exported folder never breaks on a disk.
const RESERVED: &[&str] = &["con", "prn", "aux", "nul", "conin$", "conout$"];

/// The files one plugin keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginFolder {
    files: BTreeMap<String, Vec<u8>>,
    quota: usize,
    used: usize,
}

/// Why a stored folder could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FolderError {
    /// The blob ends early.
    #[error("stored folder is truncated ({missing} bytes missing)")]
    Truncated {
        /// Bytes the next field needed beyond the end.
        missing: usize,
    },
    /// Bytes follow the last file.
    #[error("stored folder has {0} stray bytes")]
    Trailing(usize),
    /// A stored file breaks the folder's rules (its name, the quota, the file count).
    #[error("stored file {name:?}: {status:?}")]
    Refused {
        /// The file's name as stored (lossy).
        name: String,
        /// Which rule it broke.
        status: FsStatus,
    },
}

/// What `name` costs the quota together with `data_len` bytes.
fn cost(name: &str, data_len: usize) -> usize {
    FILE_OVERHEAD + name.len() + data_len
}

impl PluginFolder {
    /// An empty folder holding at most `quota` bytes (files, names and per-file overhead).
    pub fn new(quota: usize) -> Self {
        Self { files: BTreeMap::new(), quota, used: 0 }
    }

    /// Bytes the quota counts as used.
    pub fn used(&self) -> usize {
        self.used
    }

    /// The file's contents.
    ///
    /// # Errors
    /// [`FsStatus::BadName`] or [`FsStatus::NotFound`].
    pub fn read(&self, name: &[u8]) -> Result<&[u8], FsStatus> {
        let name = check_name(name)?;
        self.files.get(name).map(Vec::as_slice).ok_or(FsStatus::NotFound)
    }

    /// Creates or replaces a file.
    ///
    /// # Errors
    /// [`FsStatus::BadName`], or [`FsStatus::QuotaExceeded`] when the bytes or the file count would
    /// go over the limits; the folder is unchanged then.
    pub fn write(&mut self, name: &[u8], data: &[u8]) -> Result<(), FsStatus> {
        let name = check_name(name)?;
        let old = self.files.get(name).map(|d| cost(name, d.len()));
        if old.is_none() && self.files.len() >= MAX_FILES {
            return Err(FsStatus::QuotaExceeded);
        }
        let used = self.used - old.unwrap_or(0) + cost(name, data.len());
        if used > self.quota {
            return Err(FsStatus::QuotaExceeded);
        }
        self.files.insert(name.to_owned(), data.to_vec());
        self.used = used;
        Ok(())
    }

    /// All files, for saving to browser storage.
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// The folder as one blob for browser storage: `u32` count, then per file `u32` name length,
    /// name, `u32` data length, data (all little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.used);
        out.extend_from_slice(&(self.files.len() as u32).to_le_bytes());
        for (name, data) in &self.files {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
        }
        out
    }

    /// Reads a blob written by [`PluginFolder::to_bytes`] into a folder with `quota`, applying the
    /// same rules as [`PluginFolder::write`].
    ///
    /// # Errors
    /// What is damaged when the blob is truncated, malformed or over the limits; the caller starts
    /// from an empty folder then, and says so.
    pub fn from_bytes(bytes: &[u8], quota: usize) -> Result<Self, FolderError> {
        fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Result<&'a [u8], FolderError> {
            if bytes.len() < n {
                return Err(FolderError::Truncated { missing: n - bytes.len() });
            }
            let (head, rest) = bytes.split_at(n);
            *bytes = rest;
            Ok(head)
        }
        fn take_u32(bytes: &mut &[u8]) -> Result<usize, FolderError> {
            let b = take(bytes, 4)?;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        }
        let mut rest = bytes;
        let mut folder = Self::new(quota);
        for _ in 0..take_u32(&mut rest)? {
            let len = take_u32(&mut rest)?;
            let name = take(&mut rest, len)?;
            let len = take_u32(&mut rest)?;
            let data = take(&mut rest, len)?;
            folder
                .write(name, data)
                .map_err(|status| FolderError::Refused { name: String::from_utf8_lossy(name).into_owned(), status })?;
        }
        if !rest.is_empty() {
            return Err(FolderError::Trailing(rest.len()));
        }
        Ok(folder)
    }
}

/// The name as text if it is a safe file name: 1–128 bytes of ASCII letters, digits, `-`, `_`
/// and `.`, not starting or ending with `.`, and not a device name Windows reserves.
fn check_name(name: &[u8]) -> Result<&str, FsStatus> {
    let safe = !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && name.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name.first() != Some(&b'.')
        && name.last() != Some(&b'.');
    // Only ASCII passed, so this cannot fail.
    let text = std::str::from_utf8(name).ok().filter(|_| safe).ok_or(FsStatus::BadName)?;
    let stem = text.split('.').next().unwrap_or_default().to_ascii_lowercase();
    let device = RESERVED.contains(&stem.as_str())
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if device { Err(FsStatus::BadName) } else { Ok(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_counts_names_and_overhead() {
        let quota = 2 * FILE_OVERHEAD + 12;
        let mut f = PluginFolder::new(quota);
        f.write(b"a", b"12345").unwrap();
        assert_eq!(f.used(), FILE_OVERHEAD + 1 + 5);
        f.write(b"a", b"1234567890").unwrap();
        assert_eq!(f.used(), FILE_OVERHEAD + 11, "replacing a file gives back its old size");
        assert_eq!(f.write(b"bb", b"1"), Err(FsStatus::QuotaExceeded), "the name counts too");
        f.write(b"b", b"").unwrap();
        assert_eq!(f.used(), quota);
        assert_eq!(f.read(b"a").unwrap().len(), 10);
        assert_eq!(f.read(b"c"), Err(FsStatus::NotFound));
    }

    #[test]
    fn empty_files_cannot_flood_the_folder() {
        let mut f = PluginFolder::new(usize::MAX);
        for i in 0..MAX_FILES {
            f.write(format!("f{i}").as_bytes(), b"").unwrap();
        }
        assert_eq!(f.write(b"one-more", b""), Err(FsStatus::QuotaExceeded));
        f.write(b"f7", b"replacing is fine").unwrap();
        let mut small = PluginFolder::new(8 << 10);
        let name = "x".repeat(MAX_NAME_BYTES);
        let written = (0..1000)
            .take_while(|i| small.write(&format!("{i}{name}").as_bytes()[..MAX_NAME_BYTES], b"").is_ok())
            .count();
        assert!(written < 50, "{written} empty files with long names fit in 8 KiB");
    }

    #[test]
    fn names_are_safe() {
        let mut f = PluginFolder::new(1 << 20);
        for good in [&b"notes.json"[..], b"layout-cache_v2.bin", b"A1"] {
            assert_eq!(f.write(good, b"x"), Ok(()), "{}", String::from_utf8_lossy(good));
        }
        let long = vec![b'a'; MAX_NAME_BYTES + 1];
        let bad: [&[u8]; 14] = [
            b"",
            b"../etc/passwd",
            b"a/b",
            b"a\\b",
            b".",
            b"..",
            b".hidden",
            b"trailing.",
            b"CON",
            b"com1.txt",
            b"lpt9",
            "helper\u{202e}gnp.exe".as_bytes(),
            b"caf\xc3\xa9",
            &long,
        ];
        for name in bad {
            assert_eq!(f.write(name, b""), Err(FsStatus::BadName), "{}", String::from_utf8_lossy(name));
        }
        // Bytes that are not UTF-8 never become a lossy name that collides with another.
        assert_eq!(f.write(b"a\xff", b""), Err(FsStatus::BadName));
        assert_eq!(f.write(b"a\xfe", b""), Err(FsStatus::BadName));
        assert_eq!(f.read(b".."), Err(FsStatus::BadName));
        assert!(f.write(b"com10", b"").is_ok() && f.write(b"console", b"").is_ok());
    }

    #[test]
    fn blob_round_trips_and_damage_is_reported() {
        let mut f = PluginFolder::new(1000);
        f.write(b"a", b"xyz").unwrap();
        f.write(b"notes.json", b"{}").unwrap();
        let bytes = f.to_bytes();
        assert_eq!(PluginFolder::from_bytes(&bytes, 1000).unwrap(), f);
        assert_eq!(
            PluginFolder::from_bytes(&bytes[..bytes.len() - 1], 1000).unwrap_err(),
            FolderError::Truncated { missing: 1 }
        );
        assert!(matches!(
            PluginFolder::from_bytes(&bytes, 70).unwrap_err(),
            FolderError::Refused { status: FsStatus::QuotaExceeded, .. }
        ));
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(PluginFolder::from_bytes(&extra, 1000).unwrap_err(), FolderError::Trailing(1));
        assert_eq!(PluginFolder::from_bytes(&0u32.to_le_bytes(), 1).unwrap().used(), 0);
    }
}
