//! A plugin's private folder: named files under a quota, never the real disk.
//!
//! Host calls are synchronous, so during a call the folder lives in memory; the app loads it from
//! IndexedDB before a call and saves it after, keyed by plugin name.

use std::collections::BTreeMap;

use crate::abi::FsStatus;

/// The files one plugin keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginFolder {
    files: BTreeMap<String, Vec<u8>>,
    quota: usize,
}

impl PluginFolder {
    /// An empty folder holding at most `quota` bytes.
    pub fn new(quota: usize) -> Self {
        Self { files: BTreeMap::new(), quota }
    }

    /// Bytes in use.
    pub fn used(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// The file's contents.
    ///
    /// # Errors
    /// [`FsStatus::BadName`] or [`FsStatus::NotFound`].
    pub fn read(&self, name: &str) -> Result<&[u8], FsStatus> {
        check_name(name)?;
        self.files.get(name).map(Vec::as_slice).ok_or(FsStatus::NotFound)
    }

    /// Creates or replaces a file.
    ///
    /// # Errors
    /// [`FsStatus::BadName`] or [`FsStatus::QuotaExceeded`]; the folder is unchanged then.
    pub fn write(&mut self, name: &str, data: &[u8]) -> Result<(), FsStatus> {
        check_name(name)?;
        let old = self.files.get(name).map_or(0, Vec::len);
        if self.used() - old + data.len() > self.quota {
            return Err(FsStatus::QuotaExceeded);
        }
        self.files.insert(name.to_owned(), data.to_vec());
        Ok(())
    }

    /// All files, for saving to browser storage.
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// The folder as one blob for browser storage: `u32` count, then per file `u32` name length,
    /// name, `u32` data length, data (all little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.used() + self.files.len() * 16);
        out.extend_from_slice(&(self.files.len() as u32).to_le_bytes());
        for (name, data) in &self.files {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
        }
        out
    }

    /// Reads a blob written by [`PluginFolder::to_bytes`] into a folder with `quota`.
    ///
    /// # Errors
    /// A description of the damage when the blob is truncated, malformed or over the quota; the
    /// caller starts from an empty folder then, and says so.
    pub fn from_bytes(bytes: &[u8], quota: usize) -> Result<Self, String> {
        fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
            if bytes.len() < n {
                return Err(format!("stored folder is truncated ({} bytes missing)", n - bytes.len()));
            }
            let (head, rest) = bytes.split_at(n);
            *bytes = rest;
            Ok(head)
        }
        fn take_u32(bytes: &mut &[u8]) -> Result<usize, String> {
            let b = take(bytes, 4)?;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        }
        let mut rest = bytes;
        let mut folder = Self::new(quota);
        for _ in 0..take_u32(&mut rest)? {
            let len = take_u32(&mut rest)?;
            let name =
                std::str::from_utf8(take(&mut rest, len)?).map_err(|_| "stored file name is not UTF-8".to_owned())?;
            let len = take_u32(&mut rest)?;
            let data = take(&mut rest, len)?;
            folder.write(name, data).map_err(|e| format!("stored file {name:?}: {e:?}"))?;
        }
        if !rest.is_empty() {
            return Err(format!("stored folder has {} stray bytes", rest.len()));
        }
        Ok(folder)
    }
}

fn check_name(name: &str) -> Result<(), FsStatus> {
    let ok = !name.is_empty()
        && name.len() <= 255
        && !name.chars().any(|c| c == '/' || c == '\\' || c.is_control())
        && name != "."
        && name != "..";
    if ok { Ok(()) } else { Err(FsStatus::BadName) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_and_names_are_enforced() {
        let mut f = PluginFolder::new(10);
        f.write("a", b"12345").unwrap();
        f.write("a", b"1234567890").unwrap();
        assert_eq!(f.write("b", b"1"), Err(FsStatus::QuotaExceeded));
        assert_eq!(f.read("a").unwrap().len(), 10);
        assert_eq!(f.read("b"), Err(FsStatus::NotFound));
        assert_eq!(f.write("../etc/passwd", b""), Err(FsStatus::BadName));
        assert_eq!(f.read(".."), Err(FsStatus::BadName));
    }

    #[test]
    fn blob_round_trips_and_damage_is_reported() {
        let mut f = PluginFolder::new(100);
        f.write("a", b"xyz").unwrap();
        f.write("notes.json", b"{}").unwrap();
        let bytes = f.to_bytes();
        assert_eq!(PluginFolder::from_bytes(&bytes, 100).unwrap(), f);
        assert!(PluginFolder::from_bytes(&bytes[..bytes.len() - 1], 100).unwrap_err().contains("truncated"));
        assert!(PluginFolder::from_bytes(&bytes, 3).unwrap_err().contains("QuotaExceeded"));
        assert_eq!(PluginFolder::from_bytes(&0u32.to_le_bytes(), 1).unwrap().used(), 0);
    }
}
