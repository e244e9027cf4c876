//! Interned strings stored back to back in one byte buffer.

use rustc_hash::FxHashMap;

/// Index of a string in a [`StringPool`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StrId(pub u32);

/// Every distinct string of a graph, stored once.
///
/// Strings live back to back in `bytes`; `ends[i]` is where string `i` stops,
/// so a lookup is two loads and no pointer chasing.
#[derive(Clone, Debug, Default)]
pub struct StringPool {
    bytes: String,
    ends: Vec<u32>,
}

impl StringPool {
    /// The string behind `id`.
    #[must_use]
    pub fn get(&self, id: StrId) -> &str {
        let i = id.0 as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Number of distinct strings.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the pool holds no strings.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes of string data (the part the memory budget excludes).
    #[must_use]
    pub fn string_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Bytes of bookkeeping beyond the string data.
    #[must_use]
    pub fn index_bytes(&self) -> usize {
        self.ends.capacity() * 4
    }
}

/// Builds a [`StringPool`], handing out one id per distinct string.
#[derive(Default)]
pub struct Interner {
    pool: StringPool,
    lookup: FxHashMap<Box<str>, StrId>,
}

impl Interner {
    /// An interner whose id 0 is the empty string.
    #[must_use]
    pub fn new() -> Self {
        let mut interner = Self::default();
        interner.intern("");
        interner
    }

    /// The id of `s`, adding it on first sight.
    pub fn intern(&mut self, s: &str) -> StrId {
        if let Some(&id) = self.lookup.get(s) {
            return id;
        }
        let id = StrId(self.pool.ends.len() as u32);
        self.pool.bytes.push_str(s);
        self.pool.ends.push(self.pool.bytes.len() as u32);
        self.lookup.insert(s.into(), id);
        id
    }

    /// The string behind an id handed out earlier.
    #[must_use]
    pub fn get(&self, id: StrId) -> &str {
        self.pool.get(id)
    }

    /// Finishes interning; the lookup table is dropped.
    #[must_use]
    pub fn finish(mut self) -> StringPool {
        self.pool.bytes.shrink_to_fit();
        self.pool.ends.shrink_to_fit();
        self.pool
    }
}

impl StringPool {
    pub(crate) fn write_model(&self, w: &mut crate::model::codec::ModelWriter) {
        w.text(&self.bytes);
        w.u32s(&self.ends);
    }

    pub(crate) fn read_model(
        r: &mut crate::model::codec::ModelReader<'_>,
    ) -> Result<Self, crate::model::codec::ModelError> {
        use crate::model::codec::ModelError;
        let bytes = r.text()?;
        let ends = r.u32s()?;
        let rising = ends.windows(2).all(|w| w[0] <= w[1]);
        let bounded = ends.last().is_none_or(|&e| e as usize == bytes.len());
        let on_chars = ends.iter().all(|&e| bytes.is_char_boundary(e as usize));
        if ends.is_empty() || !rising || !bounded || !on_chars {
            return Err(ModelError::Inconsistent("string ends"));
        }
        Ok(Self { bytes, ends })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_returns_one_id_per_distinct_string() {
        let mut i = Interner::new();
        let a = i.intern("alpha");
        let b = i.intern("beta");
        assert_eq!(i.intern("alpha"), a);
        assert_ne!(a, b);
        let pool = i.finish();
        assert_eq!(pool.get(a), "alpha");
        assert_eq!(pool.get(b), "beta");
        assert_eq!(pool.get(StrId(0)), "");
        assert_eq!(pool.len(), 3);
    }
}
