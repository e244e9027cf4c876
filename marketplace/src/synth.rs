//! Synthetic packages and registries for benchmarks (native and in the browser), so both measure
//! the same thing.

use std::collections::BTreeMap;

use crate::index::{Index, Publisher, Release};
use crate::package::Package;
use crate::signing::{KeyPair, SigningError};

const WORDS: [&str; 12] =
    ["force", "layered", "graph", "module", "heat", "cycle", "export", "dot", "uml", "radial", "tree", "metric"];

/// A package of plugin `name` whose module is `module_bytes` of incompressible bytes, signed by `key`.
///
/// # Errors
/// Signing failed.
pub fn signed_package(name: &str, module_bytes: usize, key: &KeyPair) -> Result<Package, SigningError> {
    let mut module = b"\0asm\x01\0\0\0".to_vec();
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    module.extend((0..module_bytes).map(|_| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s as u8
    }));
    let manifest = format!(
        "[plugin]\nname = \"{name}\"\nversion = \"1.0.0\"\nauthor = \"Bench\"\ndescription = \"A bench plugin.\"\n\
         kind = \"layout\"\nhost_api = \"^1.0\"\n[capabilities]\nread_isg = true\n"
    );
    let files = BTreeMap::from([
        ("plugin.toml".to_owned(), manifest.into_bytes()),
        ("plugin.wasm".to_owned(), module),
        ("README.md".to_owned(), b"# bench\n".to_vec()),
    ]);
    // The files above always make a package.
    let mut p = Package::from_files(files, None).map_err(|e| SigningError::new(e.to_string()))?;
    key.sign_package(&mut p)?;
    Ok(p)
}

/// A registry index of `plugins` plugins with three versions each, published by `publisher`,
/// and its signature by `registry`.
///
/// # Errors
/// Signing failed.
pub fn signed_index(
    plugins: usize,
    registry: &KeyPair,
    publisher: &KeyPair,
) -> Result<(Vec<u8>, String), SigningError> {
    let mut index = Index::new("bench", 1, u64::MAX);
    index.publishers.push(Publisher { name: "Bench".into(), key: publisher.public().clone() });
    let key = publisher.public().id().to_string();
    for i in 0..plugins {
        let name = format!("{}-{}-{i}", WORDS[i % 12], WORDS[(i / 7) % 12]);
        let releases = (0..3)
            .map(|v| Release {
                version: semver::Version::new(1, v, 0),
                host_api: semver::VersionReq::parse("^1.0").unwrap_or_default(),
                kind: plugin_host::PluginKind::Layout,
                description: format!("Lays out graphs by {} with {}.", WORDS[(i * 3) % 12], WORDS[(i * 5) % 12]),
                author: "Bench".into(),
                category: "layout".into(),
                tags: vec![WORDS[(i * 11) % 12].into(), "graph".into()],
                license: "MIT".into(),
                capabilities: vec!["read_isg".into()],
                network: Vec::new(),
                dependencies: BTreeMap::new(),
                file: format!("packages/{name}-1.{v}.0.ptplugin"),
                size: 200_000,
                sha256: "a".repeat(64),
                publisher: key.clone(),
                yanked: false,
                published: 0,
            })
            .collect();
        index.plugins.insert(name, releases);
    }
    let json = serde_json::to_vec(&index).unwrap_or_default();
    let sig = registry.sign(&json, &index.trusted_comment())?;
    Ok((json, sig))
}
