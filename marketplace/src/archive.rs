//! The marketplace's files — packages and registry mirrors — are tar inside gzip. Reading checks
//! everything before anything is kept: the file's size, what it unpacks to (the decompressed
//! stream is capped, so a bomb stops at the limit, not at the end of memory), that every entry is
//! a plain file with an allowed name, nothing twice, no absolute or `..` paths, and the gzip
//! checksum (the stream is read to its end). Writing is deterministic.

use std::io::Read;

/// What one kind of archive may hold.
pub(crate) struct Limits {
    /// Largest file, compressed.
    pub packed: usize,
    /// Most it may unpack to.
    pub unpacked: usize,
    /// Whether entry names may contain `/` (one folder level, as `packages/x.ptplugin`).
    pub folders: bool,
}

/// Why an archive was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArchiveError {
    TooBig { bytes: usize },
    UnpacksTooBig,
    Unreadable(String),
    UnsafePath(String),
    NotAFile(String),
    UnknownEntry(String),
    Duplicate(String),
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

/// The entries of a tar.gz, in archive order, each checked against `limits` and `allowed`.
pub(crate) fn read(
    bytes: &[u8],
    limits: &Limits,
    allowed: impl Fn(&str) -> bool,
) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    if bytes.len() > limits.packed {
        return Err(ArchiveError::TooBig { bytes: bytes.len() });
    }
    let over = std::rc::Rc::new(std::cell::Cell::new(false));
    let unpacked =
        Capped { inner: flate2::read::GzDecoder::new(bytes), left: limits.unpacked as u64 + 4096, over: over.clone() };
    let mut archive = tar::Archive::new(unpacked);
    let unreadable = |e: std::io::Error| {
        if over.get() { ArchiveError::UnpacksTooBig } else { ArchiveError::Unreadable(e.to_string()) }
    };
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total = 0usize;
    for entry in archive.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let escapes =
            name.starts_with('/') || name.contains('\\') || name.split('/').any(|p| p == ".." || p.is_empty());
        if escapes || (!limits.folders && name.contains('/')) {
            return Err(ArchiveError::UnsafePath(name));
        }
        if !entry.header().entry_type().is_file() {
            return Err(ArchiveError::NotAFile(name));
        }
        if !allowed(&name) {
            return Err(ArchiveError::UnknownEntry(name));
        }
        if out.iter().any(|(n, _)| *n == name) {
            return Err(ArchiveError::Duplicate(name));
        }
        let size = entry.size() as usize;
        total = total.saturating_add(size);
        if total > limits.unpacked {
            return Err(ArchiveError::UnpacksTooBig);
        }
        let mut data = Vec::with_capacity(size);
        entry.read_to_end(&mut data).map_err(unreadable)?;
        out.push((name, data));
    }
    // Read to the end of the gzip stream, so its checksum is checked: a changed byte that still
    // inflates is caught here even when nobody's key can vouch for the contents.
    let mut rest = archive.into_inner();
    std::io::copy(&mut rest, &mut std::io::sink()).map_err(unreadable)?;
    Ok(out)
}

/// A tar.gz of `entries` in the order given, with fixed headers (no times, owners or modes).
pub(crate) fn write(entries: impl Iterator<Item = (String, Vec<u8>)>) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best()));
    for (name, data) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        // Names were checked by the caller; writing to memory cannot fail.
        builder.append_data(&mut header, &name, data.as_slice()).ok();
    }
    builder.into_inner().and_then(flate2::write::GzEncoder::finish).unwrap_or_default()
}
