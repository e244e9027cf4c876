//! Building a graph from formats that name edge endpoints by entity key (v0.9.7 pt02, v1.7.2 HTTP).
//!
//! Keys look like `rust:fn:connect:./src/net/x.rs:10-20`. Entity lists spell the path mangled
//! (`__src_net_x_rs`), edges spell it plainly, edges say `fn` where the entity is a `method`, and
//! many callees are known by name only (`rust:fn:unwrap:unknown:0-0`). Each endpoint is matched in
//! this order: exact key; kind class + name + normalised path; file node; name only (when unique).

use rustc_hash::FxHashMap;

use super::raw::{InterfaceSignature, RawEdge, RawEntity};
use super::report::WarningTally;
use super::{Document, Format, LoadError, LoadReport, Loaded, Resolution, Warning, WarningKind, canonical_node_kind};
use crate::graph::{GraphBuilder, NodeFlags, NodeId, NodeSpec};

/// The parts of an entity key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Key<'k> {
    pub kind: &'k str,
    pub name: &'k str,
    pub path: &'k str,
    pub range: &'k str,
}

/// Splits `lang:kind:name:path:range` (or `lang:kind:name:range` for path-less stubs).
pub(crate) fn parse_key(key: &str) -> Option<Key<'_>> {
    let (_lang, rest) = key.split_once(':')?;
    let (kind, rest) = rest.split_once(':')?;
    let (rest, range) = rest.rsplit_once(':')?;
    let (name, path) = match rest.rsplit_once(':') {
        Some((name, path)) if !name.is_empty() => (name, path),
        _ => (rest, ""),
    };
    (!name.is_empty()).then_some(Key { kind, name, path, range })
}

/// True when a key's path says the entity's location is unknown.
pub(crate) fn is_placeholder_path(path: &str) -> bool {
    path.is_empty() || path == "unknown" || path == "unresolved-reference" || path.starts_with("external-dependency")
}

/// Groups kinds that refer to the same entities: edges say `fn` for methods, entities say `function`.
pub(crate) fn kind_class(kind: &str) -> &str {
    match kind {
        "fn" | "function" | "method" | "Function" | "Method" => "callable",
        "mod" | "module" | "Module" => "module",
        other => other,
    }
}

/// Entity lists mangle `./src/x.rs` as `__src_x_rs`; edges do not. Both normalise to the mangled form.
pub(crate) fn normalise_path(path: &str) -> String {
    path.chars().map(|c| if c == '.' || c == '/' { '_' } else { c }).collect()
}

/// 64-bit FNV-1a: a stable hash for nodes whose export gives a key rather than a hash.
pub(crate) fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn signature_keyword(kind: &str) -> &str {
    match kind {
        "Function" | "Method" => "fn",
        "Struct" => "struct",
        "Enum" => "enum",
        "Trait" => "trait",
        "Impl" => "impl",
        "Module" => "mod",
        other => other,
    }
}

/// How one endpoint was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Match {
    Exact,
    ByPath,
    ByName,
    File,
    Unlisted,
    Ambiguous,
    External,
}

/// Entities by (kind class, name, normalised path), each with its key's line range.
type PathIndex<'k> = FxHashMap<(&'k str, &'k str, String), Vec<(NodeId, &'k str)>>;

struct Resolver<'k> {
    builder: GraphBuilder,
    exact: FxHashMap<&'k str, NodeId>,
    by_path: PathIndex<'k>,
    by_name: FxHashMap<&'k str, Vec<(NodeId, &'k str)>>,
    file_by_norm: FxHashMap<String, &'k str>,
    made: FxHashMap<String, NodeId>,
}

impl<'k> Resolver<'k> {
    fn add_made(&mut self, identity: String, spec: NodeSpec<'_>) -> NodeId {
        if let Some(&id) = self.made.get(&identity) {
            return id;
        }
        let id = match self.builder.add_node(NodeSpec { hash: key_hash(&identity), ..spec }) {
            Ok(id) | Err(crate::graph::DuplicateHash(id)) => id,
        };
        self.made.insert(identity, id);
        id
    }

    fn resolve(&mut self, raw: &'k str) -> (NodeId, Match) {
        if let Some(&id) = self.exact.get(raw) {
            return (id, Match::Exact);
        }
        let Some(key) = parse_key(raw) else {
            let spec = NodeSpec {
                hash: 0,
                kind: "Unknown",
                name: raw,
                signature: raw,
                file_path: "",
                line: 0,
                flags: NodeFlags::EXTERNAL,
            };
            return (self.add_made(format!("external:?:{raw}"), spec), Match::External);
        };
        let class = kind_class(key.kind);
        if key.kind == "file" {
            // `rust:file:./src/a.rs:1-1` has no name part: what parses as the name is the path.
            let path = if key.path.is_empty() { key.name } else { key.path };
            let norm = normalise_path(path);
            let file_path = self.file_by_norm.get(norm.as_str()).copied().unwrap_or(path);
            let name = file_path.rsplit('/').next().unwrap_or(file_path);
            let spec = NodeSpec {
                hash: 0,
                kind: "File",
                name,
                signature: file_path,
                file_path,
                line: 0,
                flags: NodeFlags::SYNTHETIC,
            };
            return (self.add_made(format!("file:{norm}"), spec), Match::File);
        }
        let name_only = is_placeholder_path(key.path) || (class == "module" && key.range == "0-0");
        if !name_only {
            let norm = normalise_path(key.path);
            if let Some(candidates) = self.by_path.get(&(class, key.name, norm)) {
                let hit = match candidates.as_slice() {
                    [(only, _)] => Some(*only),
                    many => many.iter().find(|(_, range)| *range == key.range).map(|(id, _)| *id),
                };
                if let Some(id) = hit {
                    return (id, Match::ByPath);
                }
            }
            let file_path = self.file_by_norm.get(normalise_path(key.path).as_str()).copied().unwrap_or(key.path);
            let line = key.range.split('-').next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let kind = canonical_node_kind(key.kind);
            let signature = format!("{} {}", signature_keyword(kind), key.name);
            let spec = NodeSpec {
                hash: 0,
                kind,
                name: key.name,
                signature: &signature,
                file_path,
                line,
                flags: NodeFlags::SYNTHETIC,
            };
            return (self.add_made(format!("unlisted:{raw}"), spec), Match::Unlisted);
        }
        let candidates: Vec<NodeId> = self
            .by_name
            .get(key.name)
            .map(|c| c.iter().filter(|(_, k)| class == "module" || kind_class(k) == class).map(|(id, _)| *id).collect())
            .unwrap_or_default();
        if let [only] = candidates.as_slice() {
            return (*only, Match::ByName);
        }
        let ambiguous = candidates.len() > 1;
        let kind = canonical_node_kind(key.kind);
        let signature = if ambiguous {
            format!(
                "{} {} (ambiguous: {} entities share this name)",
                signature_keyword(kind),
                key.name,
                candidates.len()
            )
        } else {
            format!("{} {} (external)", signature_keyword(kind), key.name)
        };
        let flags = if ambiguous { NodeFlags::EXTERNAL.union(NodeFlags::AMBIGUOUS) } else { NodeFlags::EXTERNAL };
        let spec = NodeSpec { hash: 0, kind, name: key.name, signature: &signature, file_path: "", line: 0, flags };
        let id = self.add_made(format!("external:{class}:{}", key.name), spec);
        (id, if ambiguous { Match::Ambiguous } else { Match::External })
    }
}

pub(crate) fn build(format: Format, docs: Vec<(&str, Document<'_>)>) -> Result<Loaded, LoadError> {
    let mut warnings = Vec::new();
    let mut entity_docs: Vec<Vec<RawEntity<'_>>> = Vec::new();
    let mut edge_docs: Vec<Vec<RawEdge<'_>>> = Vec::new();
    let mut first_edges_file = None;
    for (name, doc) in docs {
        let (declared, found, field) = match doc {
            Document::Entities { entities, declared, .. } => {
                let n = entities.len();
                entity_docs.push(entities);
                (declared, n, "total_entities")
            }
            Document::KeyedEdges { edges, declared, .. } => {
                let n = edges.len();
                edge_docs.push(edges);
                first_edges_file.get_or_insert(name);
                (declared, n, "total_edges")
            }
            Document::Hashed { .. } => unreachable!("hashed documents are combined elsewhere"),
        };
        if let Some(d) = declared.filter(|&d| d != found as u64) {
            let field = if format == Format::HttpV1_7 { "total_count" } else { field };
            warnings.push(Warning {
                kind: WarningKind::CountMismatch {
                    field: format!("{field} in {name}"),
                    declared: d,
                    found: found as u64,
                },
                count: 1,
                examples: Vec::new(),
            });
        }
    }
    if entity_docs.is_empty() {
        let hint = match format {
            Format::HttpV1_7 => "the saved /code-entities-list-all response",
            _ => "*.level01.entities.json, *.level02.entities.json or *.entities.toon",
        };
        return Err(LoadError::MissingEntities {
            file: first_edges_file.unwrap_or_default().to_owned(),
            format: format.to_string(),
            hint,
        });
    }
    if edge_docs.is_empty() {
        warnings.push(Warning { kind: WarningKind::NoEdges, count: 1, examples: Vec::new() });
    }

    let raw_nodes: usize = entity_docs.iter().map(Vec::len).sum();
    let raw_edges: usize = edge_docs.iter().map(Vec::len).sum();

    // Several levels of the same export may be opened together: the last entity with a key wins.
    let mut last_by_key: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
    let mut dup_keys = WarningTally::new(WarningKind::DuplicateKeys);
    for (d, doc) in entity_docs.iter().enumerate() {
        for (i, e) in doc.iter().enumerate() {
            if last_by_key.insert(e.isgl1_key.as_str(), (d, i)).is_some() {
                dup_keys.add(|| e.isgl1_key.as_str().to_owned());
            }
        }
    }
    // Opening level01 and level02 together repeats every key once; that is expected, not a warning.
    if entity_docs.len() == 1 {
        dup_keys.finish_into(&mut warnings);
    }

    let mut resolver = Resolver {
        builder: GraphBuilder::new(),
        exact: FxHashMap::default(),
        by_path: FxHashMap::default(),
        by_name: FxHashMap::default(),
        file_by_norm: FxHashMap::default(),
        made: FxHashMap::default(),
    };
    resolver.builder.reserve(last_by_key.len(), raw_edges);
    let mut malformed = WarningTally::new(WarningKind::MalformedKeys);
    let mut bad_signature = WarningTally::new(WarningKind::UnreadableSignature);
    for (d, doc) in entity_docs.iter().enumerate() {
        for (i, e) in doc.iter().enumerate() {
            let key_text = e.isgl1_key.as_str();
            if last_by_key.get(key_text) != Some(&(d, i)) {
                continue;
            }
            let key = parse_key(key_text);
            if key.is_none() {
                malformed.add(|| key_text.to_owned());
            }
            if key.is_some_and(|k| is_placeholder_path(k.path)) {
                continue;
            }
            let name = e.entity_name.as_ref().map(|t| t.as_str()).or(key.map(|k| k.name)).unwrap_or(key_text);
            let kind = canonical_node_kind(
                e.entity_type.as_ref().map(|t| t.as_str()).or(key.map(|k| k.kind)).unwrap_or("Unknown"),
            );
            let file_path = e.file_path.as_ref().map_or("", |t| t.as_str());
            let mut line = e.line_number.unwrap_or(0);
            if let Some(sig) = &e.interface_signature {
                match serde_json::from_str::<InterfaceSignature>(sig.as_str()) {
                    Ok(s) => line = s.line_range.map_or(line, |r| r.start),
                    Err(err) => bad_signature.add(|| format!("{key_text}: {err}")),
                }
            }
            if line == 0 {
                line = key.and_then(|k| k.range.split('-').next()?.parse().ok()).unwrap_or(0);
            }
            let signature = format!("{} {name}", signature_keyword(kind));
            let spec = NodeSpec {
                hash: key_hash(key_text),
                kind,
                name,
                signature: &signature,
                file_path,
                line,
                flags: NodeFlags::default(),
            };
            let Ok(id) = resolver.builder.add_node(spec) else {
                continue;
            };
            resolver.exact.insert(key_text, id);
            if let Some(k) = key {
                resolver
                    .by_path
                    .entry((kind_class(k.kind), k.name, normalise_path(k.path)))
                    .or_default()
                    .push((id, k.range));
                resolver.by_name.entry(k.name).or_default().push((id, k.kind));
            }
            if !file_path.is_empty() {
                resolver.file_by_norm.entry(normalise_path(file_path)).or_insert(file_path);
            }
        }
    }
    malformed.finish_into(&mut warnings);
    bad_signature.finish_into(&mut warnings);

    let mut resolution = Resolution::default();
    for e in edge_docs.iter().flatten() {
        let RawEdge::ByKey { from, to, kind } = e else {
            continue;
        };
        let (f, fm) = resolver.resolve(from.as_str());
        let (t, tm) = resolver.resolve(to.as_str());
        for m in [fm, tm] {
            *match m {
                Match::Exact => &mut resolution.exact,
                Match::ByPath => &mut resolution.by_path,
                Match::ByName => &mut resolution.by_name,
                Match::File => &mut resolution.files,
                Match::Unlisted => &mut resolution.unlisted,
                Match::Ambiguous => &mut resolution.ambiguous,
                Match::External => &mut resolution.external,
            } += 1;
        }
        if fm == Match::Ambiguous || tm == Match::Ambiguous {
            resolution.edges_ambiguous += 1;
        } else if fm == Match::External || tm == Match::External {
            resolution.edges_external += 1;
        } else {
            resolution.edges_resolved += 1;
        }
        resolver.builder.add_edge(f, t, kind.as_str()).map_err(|_| LoadError::TooManyEdgeKinds)?;
    }
    let (graph, stats) = resolver.builder.finish();
    super::push_build_warnings(&graph, &stats, &mut warnings);
    Ok(Loaded { graph, report: LoadReport { format, raw_nodes, raw_edges, warnings, resolution: Some(resolution) } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_into_their_parts() {
        assert_eq!(
            parse_key("rust:fn:connect:./src/net/x.rs:10-20"),
            Some(Key { kind: "fn", name: "connect", path: "./src/net/x.rs", range: "10-20" })
        );
        assert_eq!(
            parse_key("rust:module:crate__fs__asyncify:0-0"),
            Some(Key { kind: "module", name: "crate__fs__asyncify", path: "", range: "0-0" })
        );
        assert_eq!(parse_key("rust:fn:unwrap:unknown:0-0").map(|k| k.path), Some("unknown"));
        assert_eq!(parse_key("nonsense"), None);
        assert_eq!(parse_key("rust:fn:"), None);
    }

    #[test]
    fn plain_and_mangled_paths_normalise_alike() {
        assert_eq!(normalise_path("./src/routing/url_params.rs"), "__src_routing_url_params_rs");
        assert_eq!(normalise_path("__src_routing_url_params_rs"), "__src_routing_url_params_rs");
        assert_eq!(kind_class("method"), kind_class("fn"));
    }
}
