//! Serde shapes of every parseltongue export, parsed in one pass without an intermediate tree.
//!
//! Unknown fields are ignored on purpose: parseltongue adds fields between levels and versions
//! (`level02` adds `is_async`, …) and a newer export should still open.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A string that borrows from the input when it has no escapes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Text<'a>(pub Cow<'a, str>);

impl<'a> Text<'a> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// A node hash: a JSON integer up to 2^64−1, or the same digits in a string.
///
/// Never goes through `f64`: serde_json hands integers to `visit_u64` exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hash(pub u64);

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Hash;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a node hash (an integer from 0 to 18446744073709551615)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Hash, E> {
                Ok(Hash(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Hash, E> {
                u64::try_from(v).map(Hash).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Hash, E> {
                v.parse().map(Hash).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// A v0.1.0 / v1 node.
#[derive(Deserialize)]
#[serde(expecting = "a node object {hash, kind, name, signature, file_path, line}")]
pub(crate) struct RawNode<'a> {
    pub hash: Hash,
    #[serde(borrow)]
    pub kind: Text<'a>,
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(borrow, default)]
    pub signature: Text<'a>,
    #[serde(borrow, default)]
    pub file_path: Text<'a>,
    #[serde(default)]
    pub line: u32,
}

/// How an edge named its endpoints.
#[derive(Debug)]
pub(crate) enum RawEdge<'a> {
    /// By node hash: an object `{from, to, kind}` (`tuple == false`) or a tuple `[from, to, kind]`.
    ByHash { from: u64, to: u64, kind: Text<'a>, tuple: bool },
    /// By entity key: `{from_key, to_key, edge_type}` (pt02 and the HTTP server).
    ByKey { from: Text<'a>, to: Text<'a>, kind: Text<'a> },
}

impl<'de: 'a, 'a> Deserialize<'de> for RawEdge<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawEdge<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an edge: {from, to, kind}, [from, to, kind] or {from_key, to_key, edge_type}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let from: Hash = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let to: Hash = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let kind: Text<'a> = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(2, &self))?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawEdge::ByHash { from: from.0, to: to.0, kind, tuple: true })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut from, mut to, mut kind) = (None, None, None);
                let (mut from_key, mut to_key) = (None, None);
                while let Some(key) = map.next_key::<Text<'de>>()? {
                    match key.as_str() {
                        "from" => from = Some(map.next_value::<Hash>()?),
                        "to" => to = Some(map.next_value::<Hash>()?),
                        "kind" | "edge_type" => kind = Some(map.next_value::<Text<'a>>()?),
                        "from_key" => from_key = Some(map.next_value::<Text<'a>>()?),
                        "to_key" => to_key = Some(map.next_value::<Text<'a>>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| de::Error::missing_field("kind"))?;
                match (from, to, from_key, to_key) {
                    (Some(f), Some(t), _, _) => Ok(RawEdge::ByHash { from: f.0, to: t.0, kind, tuple: false }),
                    (_, _, Some(f), Some(t)) => Ok(RawEdge::ByKey { from: f, to: t, kind }),
                    (None, _, None, _) => Err(de::Error::missing_field("from")),
                    _ => Err(de::Error::missing_field("to")),
                }
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// v0.1.0 snapshot metadata.
#[derive(Deserialize)]
#[serde(expecting = "a metadata object {version, timestamp, node_count, edge_count}")]
pub(crate) struct RawMetadata {
    pub node_count: Option<u64>,
    pub edge_count: Option<u64>,
}

/// pt02 `export_metadata`.
#[derive(Deserialize)]
pub(crate) struct RawExportMetadata {
    #[serde(default)]
    pub total_entities: Option<u64>,
    #[serde(default)]
    pub total_edges: Option<u64>,
}

/// A pt02 entity or an HTTP `code-entities-list-all` entity.
#[derive(Deserialize, Default)]
#[serde(expecting = "an entity object {isgl1_key or key, entity_name, entity_type, file_path, …}")]
pub(crate) struct RawEntity<'a> {
    #[serde(borrow, alias = "key")]
    pub isgl1_key: Text<'a>,
    #[serde(borrow, default)]
    pub entity_name: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub entity_type: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub file_path: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub interface_signature: Option<Text<'a>>,
    #[serde(default)]
    pub line_number: Option<u32>,
}

/// The `data` object of a saved HTTP response.
#[derive(Deserialize)]
pub(crate) struct RawHttpData<'a> {
    #[serde(borrow, default)]
    pub entities: Option<Vec<RawEntity<'a>>>,
    #[serde(borrow, default)]
    pub edges: Option<Vec<RawEdge<'a>>>,
    #[serde(default)]
    pub total_count: Option<u64>,
}

/// Any parseltongue export's top level; which fields are present tells the format.
#[derive(Deserialize)]
#[serde(expecting = "a parseltongue export object")]
pub(crate) struct RawDocument<'a> {
    #[serde(borrow, default)]
    pub nodes: Option<Vec<RawNode<'a>>>,
    #[serde(borrow, default)]
    pub edges: Option<Vec<RawEdge<'a>>>,
    #[serde(default)]
    pub metadata: Option<RawMetadata>,
    #[serde(default)]
    pub export_metadata: Option<RawExportMetadata>,
    #[serde(borrow, default)]
    pub entities: Option<Vec<RawEntity<'a>>>,
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(borrow, default)]
    pub endpoint: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub data: Option<RawHttpData<'a>>,
    #[serde(borrow, default)]
    pub error: Option<Text<'a>>,
}

/// The part of a pt02 `interface_signature` (a JSON document inside a JSON string) the model keeps.
#[derive(Deserialize)]
pub(crate) struct InterfaceSignature {
    #[serde(default)]
    pub line_range: Option<LineRange>,
}

/// `interface_signature.line_range`.
#[derive(Deserialize)]
pub(crate) struct LineRange {
    pub start: u32,
}
