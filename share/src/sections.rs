//! The container both the report payload and the viewer bundle use: a magic, a version, then
//! tagged sections, each length-prefixed; every length is checked against what is left.

use std::io::Read as _;

/// Why a container could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContainerError {
    /// Not this kind of container at all.
    #[error("it does not start with {expected:?}")]
    Magic {
        /// The magic expected.
        expected: &'static str,
    },
    /// A newer format.
    #[error("it is format version {found}; this build reads version {supported}")]
    Version {
        /// Version found.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// It ends before a length says it should.
    #[error("it is truncated ({0})")]
    Truncated(&'static str),
    /// The compression is damaged.
    #[error("its compressed data is damaged or truncated ({0})")]
    Compression(String),
    /// It unpacks to more than allowed.
    #[error("it unpacks to more than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// A section the reader needs is missing.
    #[error("its {0:?} section is missing")]
    Missing(&'static str),
}

/// Sections by tag, in order.
pub(crate) struct Sections {
    pub(crate) items: Vec<([u8; 4], Vec<u8>)>,
}

impl Sections {
    pub(crate) fn new() -> Self {
        Self { items: Vec::new() }
    }

    pub(crate) fn push(&mut self, tag: &[u8; 4], bytes: Vec<u8>) {
        self.items.push((*tag, bytes));
    }

    pub(crate) fn take(&mut self, tag: &'static [u8; 4]) -> Option<Vec<u8>> {
        let at = self.items.iter().position(|(t, _)| t == tag)?;
        Some(self.items.remove(at).1)
    }

    pub(crate) fn require(&mut self, tag: &'static [u8; 4], name: &'static str) -> Result<Vec<u8>, ContainerError> {
        self.take(tag).ok_or(ContainerError::Missing(name))
    }

    /// Magic, version, count, then each section; the whole gzip-compressed.
    pub(crate) fn encode(&self, magic: &[u8; 8], version: u32) -> Vec<u8> {
        let mut raw = Vec::with_capacity(self.items.iter().map(|(_, b)| b.len() + 12).sum::<usize>() + 16);
        raw.extend_from_slice(magic);
        raw.extend_from_slice(&version.to_le_bytes());
        raw.extend_from_slice(&(self.items.len() as u32).to_le_bytes());
        for (tag, bytes) in &self.items {
            raw.extend_from_slice(tag);
            raw.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            raw.extend_from_slice(bytes);
        }
        gzip(&raw)
    }

    /// Reads what [`Sections::encode`] wrote, unpacking at most `limit` bytes.
    pub(crate) fn decode(
        bytes: &[u8],
        magic: &'static [u8; 8],
        name: &'static str,
        version: u32,
        limit: u64,
    ) -> Result<Self, ContainerError> {
        let raw = gunzip(bytes, limit)?;
        let mut rest = raw.as_slice();
        let head = take(&mut rest, 8, "header")?;
        if head != magic {
            return Err(ContainerError::Magic { expected: name });
        }
        let found = u32::from_le_bytes(take_array(&mut rest, "version")?);
        if found != version {
            return Err(ContainerError::Version { found, supported: version });
        }
        let count = u32::from_le_bytes(take_array(&mut rest, "section count")?);
        let mut items = Vec::new();
        for _ in 0..count {
            let tag: [u8; 4] = take_array(&mut rest, "section tag")?;
            let len = u64::from_le_bytes(take_array(&mut rest, "section length")?);
            let len = usize::try_from(len).map_err(|_| ContainerError::Truncated("section length"))?;
            items.push((tag, take(&mut rest, len, "section")?.to_vec()));
        }
        Ok(Self { items })
    }
}

fn take<'a>(rest: &mut &'a [u8], n: usize, what: &'static str) -> Result<&'a [u8], ContainerError> {
    if rest.len() < n {
        return Err(ContainerError::Truncated(what));
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn take_array<const N: usize>(rest: &mut &[u8], what: &'static str) -> Result<[u8; N], ContainerError> {
    let mut out = [0; N];
    out.copy_from_slice(take(rest, N, what)?);
    Ok(out)
}

/// Gzip at the default level: the best level costs twice the time for 2% on a model.
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, flate2::Compression::default())
}

/// Gzip at the best level, for what is packed once at build time (the viewer's wasm).
pub(crate) fn gzip_best(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, flate2::Compression::best())
}

fn gzip_at(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    // Writing into a Vec cannot fail.
    encoder.write_all(bytes).ok();
    encoder.finish().unwrap_or_default()
}

/// Unpacks gzip, refusing more than `limit` bytes; a damaged or cut stream is an error (the
/// gzip trailer's CRC and length are checked).
pub(crate) fn gunzip(bytes: &[u8], limit: u64) -> Result<Vec<u8>, ContainerError> {
    let mut out = Vec::new();
    let mut decoder = flate2::read::GzDecoder::new(bytes).take(limit + 1);
    decoder.read_to_end(&mut out).map_err(|e| ContainerError::Compression(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(ContainerError::TooLarge { limit });
    }
    Ok(out)
}
