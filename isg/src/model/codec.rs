//! The model's byte layout: little-endian columns, each prefixed by its length, read back with
//! every length, offset and id checked. The pieces of a model (graph, index, report) write and
//! read themselves with these.

/// Starts every model; the last byte is the format version.
const MAGIC: &[u8; 8] = b"PTMODEL\x01";

/// Why a buffer is not a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// It does not start with the model's magic number and version.
    #[error("not a model of this build (bad magic number or version)")]
    Magic,
    /// It ends before a field does.
    #[error("the model is truncated")]
    Truncated,
    /// A field is not what the rest of the model needs.
    #[error("the model is inconsistent: {0}")]
    Inconsistent(&'static str),
    /// Text that is not UTF-8.
    #[error("the model holds text that is not UTF-8")]
    Utf8,
}

/// Writes a model: columns as length-prefixed little-endian arrays.
pub(crate) struct ModelWriter {
    out: Vec<u8>,
}

impl ModelWriter {
    /// A model of about `capacity` bytes, its magic number written.
    pub(crate) fn new(capacity: usize) -> Self {
        Self::with_magic(MAGIC, capacity)
    }

    /// A writer for another format of the same layout, told apart by its magic.
    pub(crate) fn with_magic(magic: &[u8; 8], capacity: usize) -> Self {
        let mut out = Vec::with_capacity(capacity);
        out.extend_from_slice(magic);
        Self { out }
    }

    /// The bytes written.
    pub(crate) fn finish(self) -> Vec<u8> {
        self.out
    }

    fn len(&mut self, n: usize) {
        self.out.extend_from_slice(&(n as u64).to_le_bytes());
    }

    pub(crate) fn u8s(&mut self, v: &[u8]) {
        self.len(v.len());
        self.out.extend_from_slice(v);
    }

    pub(crate) fn u16s(&mut self, v: &[u16]) {
        self.len(v.len());
        for x in v {
            self.out.extend_from_slice(&x.to_le_bytes());
        }
    }

    pub(crate) fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        for x in v {
            self.out.extend_from_slice(&x.to_le_bytes());
        }
    }

    pub(crate) fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        for x in v {
            self.out.extend_from_slice(&x.to_le_bytes());
        }
    }

    pub(crate) fn text(&mut self, s: &str) {
        self.u8s(s.as_bytes());
    }

    pub(crate) fn texts(&mut self, v: &[String]) {
        self.len(v.len());
        for s in v {
            self.text(s);
        }
    }
}

/// Reads what [`ModelWriter`] wrote, checking every length against what is left.
pub(crate) struct ModelReader<'a> {
    rest: &'a [u8],
}

impl<'a> ModelReader<'a> {
    /// A reader over `bytes`, past their magic number.
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Self, ModelError> {
        Self::with_magic(bytes, MAGIC)
    }

    /// A reader for another format of the same layout, told apart by its magic.
    pub(crate) fn with_magic(bytes: &'a [u8], magic: &[u8; 8]) -> Result<Self, ModelError> {
        Ok(Self { rest: bytes.strip_prefix(magic).ok_or(ModelError::Magic)? })
    }

    /// Checks that every byte was read.
    pub(crate) fn finish(self) -> Result<(), ModelError> {
        if self.rest.is_empty() { Ok(()) } else { Err(ModelError::Inconsistent("bytes after the end")) }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.rest.len() < n {
            return Err(ModelError::Truncated);
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }

    fn len(&mut self, item: usize) -> Result<usize, ModelError> {
        let b = self.take(8)?;
        let n = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        let n = usize::try_from(n).map_err(|_| ModelError::Truncated)?;
        // A length the rest of the buffer cannot hold is damage, not a reason to allocate.
        if n.checked_mul(item).is_none_or(|bytes| bytes > self.rest.len()) {
            return Err(ModelError::Truncated);
        }
        Ok(n)
    }

    pub(crate) fn u8s(&mut self) -> Result<Vec<u8>, ModelError> {
        let n = self.len(1)?;
        Ok(self.take(n)?.to_vec())
    }

    pub(crate) fn u16s(&mut self) -> Result<Vec<u16>, ModelError> {
        let n = self.len(2)?;
        Ok(self.take(n * 2)?.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }

    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>, ModelError> {
        let n = self.len(4)?;
        Ok(self.take(n * 4)?.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    pub(crate) fn u64s(&mut self) -> Result<Vec<u64>, ModelError> {
        let n = self.len(8)?;
        Ok(self
            .take(n * 8)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect())
    }

    pub(crate) fn text(&mut self) -> Result<String, ModelError> {
        String::from_utf8(self.u8s()?).map_err(|_| ModelError::Utf8)
    }

    pub(crate) fn texts(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.len(8)?;
        (0..n).map(|_| self.text()).collect()
    }
}

/// Checks that `offsets` start at 0, never fall, and end at `end` (CSR rows, string ends).
pub(crate) fn check_offsets(offsets: &[u32], end: usize, what: &'static str) -> Result<(), ModelError> {
    let rising = offsets.windows(2).all(|w| w[0] <= w[1]);
    if offsets.first() != Some(&0) || !rising || offsets.last().map(|&e| e as usize) != Some(end) {
        return Err(ModelError::Inconsistent(what));
    }
    Ok(())
}

/// Checks that every id is below `bound`.
pub(crate) fn check_ids(ids: &[u32], bound: usize, what: &'static str) -> Result<(), ModelError> {
    if ids.iter().any(|&i| i as usize >= bound) { Err(ModelError::Inconsistent(what)) } else { Ok(()) }
}
