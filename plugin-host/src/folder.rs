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
}
