//! The binary records plugins hand the host, with their encoding and checked decoding.
//!
//! Positions, node styles, edge styles and edge marks cross from a plugin's memory as arrays of
//! fixed-size little-endian records. [`Records`] holds such an array checked once, where it enters
//! (the host), as the plugin wrote it: the worker passes the same bytes on, and the page decodes
//! them once.

use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

/// Node glyphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Shape {
    /// Functions and methods.
    Circle = 0,
    /// Structs and enums.
    Square = 1,
    /// Traits and impls.
    Diamond = 2,
    /// Other kinds.
    Triangle = 3,
    /// A UML-style class box as wide as the node's label, which is drawn inside it (labels may
    /// hold several lines split by `\n`). Host API 1.1.
    Box = 4,
}

impl Shape {
    /// Every shape, in code order.
    pub const ALL: [Self; 5] = [Self::Circle, Self::Square, Self::Diamond, Self::Triangle, Self::Box];

    /// The shape with this code.
    #[must_use]
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code)).copied()
    }
}

/// Bytes per [`NodeStyle`] record.
pub const NODE_STYLE_BYTES: usize = 12;
/// Bytes per [`EdgeStyle`] record.
pub const EDGE_STYLE_BYTES: usize = 8;
/// Bytes per position: `f32` x, `f32` y.
pub const POSITION_BYTES: usize = 8;

/// One node's style: `[r, g, b, a]`, `f32` radius in world units, `u8` shape, `u8` flags
/// (bit 0 hidden, bit 1 halo), two zero bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeStyle {
    /// Colour, sRGB with straight alpha.
    pub rgba: [u8; 4],
    /// Radius in world units; finite and ≥ 0.
    pub size: f32,
    /// Glyph.
    pub shape: Shape,
    /// Not drawn.
    pub hidden: bool,
    /// Drawn with a halo.
    pub halo: bool,
}

impl NodeStyle {
    const HIDDEN: u8 = 1;
    const HALO: u8 = 2;
}

/// One edge's style: `[r, g, b, a]` and `f32` width in pixels; width 0 hides the edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeStyle {
    /// Colour, as in [`NodeStyle::rgba`].
    pub rgba: [u8; 4],
    /// Width in pixels; finite and ≥ 0.
    pub width: f32,
}

/// How an edge's line and head are drawn: one byte of bits per edge (host API 1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EdgeMarks(pub u8);

impl EdgeMarks {
    /// A dashed line.
    pub const DASHED: u8 = 1;
    /// An outlined arrowhead, as UML draws realisation and inheritance.
    pub const HOLLOW_ARROW: u8 = 2;
    /// No arrowhead.
    pub const NO_ARROW: u8 = 4;
    /// Every defined bit.
    pub const ALL: u8 = Self::DASHED | Self::HOLLOW_ARROW | Self::NO_ARROW;
}

/// What is wrong with one record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecordProblem {
    /// A coordinate is NaN or infinite.
    NotFinite(f32),
    /// A size or width is negative, NaN or infinite.
    BadSize(f32),
    /// A shape code this ABI does not define.
    UnknownShape(u8),
    /// Flag bits this ABI does not define.
    UnknownFlags(u8),
    /// The padding bytes are not zero.
    Padding,
}

/// Why an array of records was refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RecordError {
    /// The array holds the wrong number of records (or a partial one).
    Count {
        /// What the records are ("position", "node style", …).
        what: &'static str,
        /// What there is one record per ("node" or "edge").
        per: &'static str,
        /// Bytes given.
        bytes: usize,
        /// Bytes per record.
        record: usize,
        /// Records the graph needs.
        expected: usize,
    },
    /// Record `index` is malformed.
    Bad {
        /// What the records are.
        what: &'static str,
        /// What there is one record per.
        per: &'static str,
        /// Which record.
        index: usize,
        /// What is wrong.
        problem: RecordProblem,
    },
    /// A node id is not a node of the graph.
    NodeOutOfRange {
        /// The id.
        id: u32,
        /// Nodes in the graph.
        nodes: usize,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Count { what, per, bytes, record, expected } => {
                write!(f, "{} {what}s for {expected} {per}s", bytes / record)?;
                if bytes % record != 0 { write!(f, " (and {} stray bytes)", bytes % record) } else { Ok(()) }
            }
            Self::Bad { what, per, index, problem } => match problem {
                RecordProblem::NotFinite(v) => write!(f, "position of {per} {index} is not finite: {v}"),
                RecordProblem::BadSize(v) => {
                    write!(f, "{per} {index}: {what} size {v} is not a finite non-negative number")
                }
                RecordProblem::UnknownShape(code) => write!(f, "{per} {index}: unknown shape {code}"),
                RecordProblem::UnknownFlags(bits) => write!(f, "{per} {index}: unknown {what} bits {bits:#04x}"),
                RecordProblem::Padding => write!(f, "{per} {index}: the {what}'s padding bytes are not zero"),
            },
            Self::NodeOutOfRange { id, nodes } => {
                write!(f, "node id {id} is out of range (the graph has {nodes} nodes)")
            }
        }
    }
}

impl core::error::Error for RecordError {}

/// A fixed-size record of the ABI.
pub trait Record: Copy {
    /// Its size in bytes.
    const BYTES: usize;
    /// What it is, in words.
    const WHAT: &'static str;
    /// What there is one of it per: `"node"` or `"edge"`.
    const PER: &'static str;
    /// Reads one record from exactly [`Record::BYTES`] bytes.
    ///
    /// # Errors
    /// What is wrong with it.
    fn decode(bytes: &[u8]) -> Result<Self, RecordProblem>;
    /// Appends its encoding to `out`.
    fn encode(&self, out: &mut Vec<u8>);
}

fn f32_at(b: &[u8], at: usize) -> f32 {
    f32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn rgba_at(b: &[u8]) -> [u8; 4] {
    [b[0], b[1], b[2], b[3]]
}

fn size(v: f32) -> Result<f32, RecordProblem> {
    if v.is_finite() && v >= 0.0 { Ok(v) } else { Err(RecordProblem::BadSize(v)) }
}

impl Record for [f32; 2] {
    const BYTES: usize = POSITION_BYTES;
    const WHAT: &'static str = "position";
    const PER: &'static str = "node";

    fn decode(b: &[u8]) -> Result<Self, RecordProblem> {
        let p = [f32_at(b, 0), f32_at(b, 4)];
        match p.iter().find(|v| !v.is_finite()) {
            Some(v) => Err(RecordProblem::NotFinite(*v)),
            None => Ok(p),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self[0].to_le_bytes());
        out.extend_from_slice(&self[1].to_le_bytes());
    }
}

impl Record for NodeStyle {
    const BYTES: usize = NODE_STYLE_BYTES;
    const WHAT: &'static str = "node style";
    const PER: &'static str = "node";

    fn decode(b: &[u8]) -> Result<Self, RecordProblem> {
        let size = size(f32_at(b, 4))?;
        let shape = Shape::from_code(b[8]).ok_or(RecordProblem::UnknownShape(b[8]))?;
        if b[9] & !(Self::HIDDEN | Self::HALO) != 0 {
            return Err(RecordProblem::UnknownFlags(b[9]));
        }
        if b[10] != 0 || b[11] != 0 {
            return Err(RecordProblem::Padding);
        }
        Ok(Self { rgba: rgba_at(b), size, shape, hidden: b[9] & Self::HIDDEN != 0, halo: b[9] & Self::HALO != 0 })
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.rgba);
        out.extend_from_slice(&self.size.to_le_bytes());
        let flags = if self.hidden { Self::HIDDEN } else { 0 } | if self.halo { Self::HALO } else { 0 };
        out.extend_from_slice(&[self.shape as u8, flags, 0, 0]);
    }
}

impl Record for EdgeStyle {
    const BYTES: usize = EDGE_STYLE_BYTES;
    const WHAT: &'static str = "edge style";
    const PER: &'static str = "edge";

    fn decode(b: &[u8]) -> Result<Self, RecordProblem> {
        Ok(Self { rgba: rgba_at(b), width: size(f32_at(b, 4))? })
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.rgba);
        out.extend_from_slice(&self.width.to_le_bytes());
    }
}

impl Record for EdgeMarks {
    const BYTES: usize = 1;
    const WHAT: &'static str = "edge mark";
    const PER: &'static str = "edge";

    fn decode(b: &[u8]) -> Result<Self, RecordProblem> {
        if b[0] & !Self::ALL == 0 { Ok(Self(b[0])) } else { Err(RecordProblem::UnknownFlags(b[0])) }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.0);
    }
}

/// An array of records checked once, kept as the bytes the plugin wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Records<T> {
    bytes: Vec<u8>,
    record: PhantomData<T>,
}

impl<T: Record> Records<T> {
    /// Checks `bytes` as exactly `count` well-formed records and keeps a copy.
    ///
    /// # Errors
    /// The wrong number of bytes, or the first malformed record.
    pub fn check(bytes: &[u8], count: usize) -> Result<Self, RecordError> {
        if bytes.len() != count.saturating_mul(T::BYTES) {
            return Err(RecordError::Count {
                what: T::WHAT,
                per: T::PER,
                bytes: bytes.len(),
                record: T::BYTES,
                expected: count,
            });
        }
        for (index, chunk) in bytes.chunks_exact(T::BYTES).enumerate() {
            T::decode(chunk).map_err(|problem| RecordError::Bad { what: T::WHAT, per: T::PER, index, problem })?;
        }
        Ok(Self { bytes: bytes.to_vec(), record: PhantomData })
    }

    /// Encodes `items`.
    #[must_use]
    pub fn encode(items: &[T]) -> Self {
        let mut bytes = Vec::with_capacity(items.len() * T::BYTES);
        for item in items {
            item.encode(&mut bytes);
        }
        Self { bytes, record: PhantomData }
    }

    /// Number of records.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len() / T::BYTES
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The records, decoded.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = T> + '_ {
        // Checked (or encoded from typed values) when made, so decoding cannot fail here.
        self.bytes.chunks_exact(T::BYTES).map(|c| T::decode(c).unwrap_or_else(|_| unreachable!("records were checked")))
    }

    /// The records, decoded into a vector.
    #[must_use]
    pub fn to_vec(&self) -> Vec<T> {
        self.iter().collect()
    }

    /// The bytes as the plugin wrote them, to pass on.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Host memory the records take.
    #[must_use]
    pub fn footprint(&self) -> usize {
        self.bytes.capacity()
    }
}

/// Checks `count` node positions, all finite.
///
/// # Errors
/// As [`Records::check`].
pub fn decode_positions(bytes: &[u8], count: usize) -> Result<Vec<[f32; 2]>, RecordError> {
    Records::<[f32; 2]>::check(bytes, count).map(|r| r.to_vec())
}

/// Encodes positions.
#[must_use]
pub fn encode_positions(positions: &[[f32; 2]]) -> Vec<u8> {
    Records::encode(positions).bytes
}

/// Checks and decodes `count` node style records.
///
/// # Errors
/// As [`Records::check`].
pub fn decode_node_styles(bytes: &[u8], count: usize) -> Result<Vec<NodeStyle>, RecordError> {
    Records::<NodeStyle>::check(bytes, count).map(|r| r.to_vec())
}

/// Encodes node styles.
#[must_use]
pub fn encode_node_styles(styles: &[NodeStyle]) -> Vec<u8> {
    Records::encode(styles).bytes
}

/// Checks and decodes `count` edge style records.
///
/// # Errors
/// As [`Records::check`].
pub fn decode_edge_styles(bytes: &[u8], count: usize) -> Result<Vec<EdgeStyle>, RecordError> {
    Records::<EdgeStyle>::check(bytes, count).map(|r| r.to_vec())
}

/// Encodes edge styles.
#[must_use]
pub fn encode_edge_styles(styles: &[EdgeStyle]) -> Vec<u8> {
    Records::encode(styles).bytes
}

/// Checks `count` edge mark bytes.
///
/// # Errors
/// As [`Records::check`].
pub fn check_edge_marks(bytes: &[u8], count: usize) -> Result<(), RecordError> {
    Records::<EdgeMarks>::check(bytes, count).map(|_| ())
}

/// Little-endian `u32`s (node ids of a finding).
#[must_use]
pub fn decode_u32s(bytes: &[u8]) -> Vec<u32> {
    bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

/// Little-endian `f32`s (a metric column).
#[must_use]
pub fn decode_f32s(bytes: &[u8]) -> Vec<f32> {
    bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

/// Checks that every id names one of `nodes` nodes.
///
/// # Errors
/// [`RecordError::NodeOutOfRange`] for the first that does not.
pub fn check_node_ids(ids: &[u32], nodes: usize) -> Result<(), RecordError> {
    match ids.iter().find(|&&id| id as usize >= nodes) {
        Some(&id) => Err(RecordError::NodeOutOfRange { id, nodes }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use super::*;

    #[test]
    fn positions_must_match_count_and_be_finite() {
        let bytes = encode_positions(&[[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(decode_positions(&bytes, 2).unwrap(), vec![[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(decode_positions(&bytes, 3).unwrap_err().to_string(), "2 positions for 3 nodes");
        let bad = encode_positions(&[[1.0, 2.0], [3.0, f32::NAN]]);
        assert!(decode_positions(&bad, 2).unwrap_err().to_string().contains("node 1 is not finite"));
        assert_eq!(
            decode_positions(&bytes[..15], 2).unwrap_err().to_string(),
            "1 positions for 2 nodes (and 7 stray bytes)"
        );
    }

    #[test]
    fn styles_round_trip_and_are_checked() {
        let style = NodeStyle { rgba: [0xff, 0, 0, 0xff], size: 3.0, shape: Shape::Diamond, hidden: false, halo: true };
        let mut rec = encode_node_styles(&[style]);
        assert_eq!(rec.len(), NODE_STYLE_BYTES);
        assert_eq!(rec[..4], [0xff, 0, 0, 0xff], "red in the first byte");
        assert_eq!(decode_node_styles(&rec, 1).unwrap(), [style]);
        rec[8] = 9;
        assert!(decode_node_styles(&rec, 1).unwrap_err().to_string().contains("unknown shape 9"));
        rec[8] = 0;
        rec[9] = 4;
        assert!(decode_node_styles(&rec, 1).is_err());
        rec[9] = 0;
        rec[11] = 1;
        assert!(decode_node_styles(&rec, 1).is_err(), "padding is checked");
        let edge = EdgeStyle { rgba: [1, 2, 3, 4], width: 2.5 };
        assert_eq!(decode_edge_styles(&encode_edge_styles(&[edge]), 1).unwrap(), [edge]);
        let mut e = encode_edge_styles(&[edge]);
        e[4..8].copy_from_slice(&f32::INFINITY.to_le_bytes());
        assert!(decode_edge_styles(&e, 1).is_err());
        assert!(decode_edge_styles(&[0; 8], 2).is_err());
        assert_eq!(check_edge_marks(&[0, EdgeMarks::DASHED | EdgeMarks::HOLLOW_ARROW], 2), Ok(()));
        assert_eq!(check_edge_marks(&[0, 8], 2).unwrap_err().to_string(), "edge 1: unknown edge mark bits 0x08");
        assert_eq!(check_edge_marks(&[0], 2).unwrap_err().to_string(), "1 edge marks for 2 edges");
    }

    #[test]
    fn records_keep_the_bytes_as_written() {
        let bytes = encode_positions(&[[0.5, -1.0]]);
        let records = Records::<[f32; 2]>::check(&bytes, 1).unwrap();
        assert_eq!(records.as_bytes(), &bytes[..]);
        assert_eq!(records.len(), 1);
        assert_eq!(records.iter().next(), Some([0.5, -1.0]));
        assert_eq!(
            check_node_ids(&[0, 4], 4).unwrap_err().to_string(),
            "node id 4 is out of range (the graph has 4 nodes)"
        );
    }
}
