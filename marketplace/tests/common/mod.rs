//! Packages, keys and raw archives for the marketplace's tests.
#![allow(dead_code, reason = "each test binary that includes this uses part of it")]

use std::collections::BTreeMap;

use marketplace::{KeyPair, Package};

/// A manifest for `name` at `version`.
pub fn manifest(name: &str, version: &str, extra: &str) -> String {
    format!(
        "[plugin]\nname = \"{name}\"\nversion = \"{version}\"\nauthor = \"Tester\"\n\
         description = \"A test plugin.\"\nkind = \"layout\"\nhost_api = \"^1.0\"\n\
         [capabilities]\nread_isg = true\nwrite_visualization = true\n\
         [metadata]\ncategory = \"layout\"\ntags = [\"test\", \"circle\"]\n{extra}"
    )
}

/// The files of a package.
pub fn files(name: &str, version: &str, extra: &str) -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        ("plugin.toml".to_owned(), manifest(name, version, extra).into_bytes()),
        ("plugin.wasm".to_owned(), b"\0asm\x01\0\0\0 a module".to_vec()),
        ("README.md".to_owned(), format!("# {name}\n\nDoes things.\n").into_bytes()),
    ])
}

/// A package, signed by `key` when given.
pub fn package(name: &str, version: &str, key: Option<&KeyPair>) -> Package {
    let mut p = Package::from_files(files(name, version, ""), None).expect("a good package");
    if let Some(key) = key {
        key.sign_package(&mut p).expect("signs");
    }
    p
}

/// A key pair.
pub fn key() -> KeyPair {
    KeyPair::generate("").expect("randomness")
}

/// One raw tar entry: a name written as given (no checks), bytes, and its type.
pub struct Raw<'a> {
    pub name: &'a [u8],
    pub data: &'a [u8],
    pub kind: tar::EntryType,
}

/// A tar.gz written byte by byte, so hostile names and types get in.
pub fn raw_package(entries: &[Raw<'_>]) -> Vec<u8> {
    let mut tar = Vec::new();
    for e in entries {
        let mut header = tar::Header::new_old();
        header.as_old_mut().name[..e.name.len()].copy_from_slice(e.name);
        header.set_size(e.data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(e.kind);
        header.set_cksum();
        tar.extend_from_slice(header.as_bytes());
        tar.extend_from_slice(e.data);
        tar.resize(tar.len().div_ceil(512) * 512, 0);
    }
    tar.extend_from_slice(&[0; 1024]);
    gzip(&tar)
}

/// Gzip of `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("memory");
    gz.finish().expect("memory")
}
