//! The marketplace's costs, grouped by phase: verify (a package read and its signature checked,
//! as MB/s), install (a 200 KB plugin from bytes to checked), index (a synthetic registry of
//! 1,000 plugins opened with its signature) and search (one keystroke over that registry).
//!
//! A figures table prints first; criterion's groups follow.
//! Run: `cargo bench -p marketplace --bench marketplace` (or `cargo xtask bench`).
#![allow(clippy::print_stdout, reason = "a bench's job is to print its figures")]

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::Criterion;
use marketplace::index::{Index, Publisher, Release};
use marketplace::{Catalog, KeyPair, Package, Query, check_package};

#[path = "../../isg/benches/timing.rs"]
mod timing;

use timing::time_n;

/// A package whose module is `module_bytes` of incompressible bytes, signed by `key`.
fn package(name: &str, module_bytes: usize, key: &KeyPair) -> Package {
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
    let mut p = Package::from_files(files, None).expect("package");
    key.sign_package(&mut p).expect("signs");
    p
}

const WORDS: [&str; 12] =
    ["force", "layered", "graph", "module", "heat", "cycle", "export", "dot", "uml", "radial", "tree", "metric"];

/// A signed index of `n` plugins with three versions each.
fn registry(n: usize, registry_key: &KeyPair, publisher: &KeyPair) -> (Vec<u8>, String) {
    let mut index = Index::new("bench", 1, u64::MAX);
    index.publishers.push(Publisher { name: "Bench".into(), key: publisher.public().clone() });
    let key = publisher.public().id().to_string();
    for i in 0..n {
        let name = format!("{}-{}-{i}", WORDS[i % WORDS.len()], WORDS[(i / 7) % WORDS.len()]);
        let releases = (0..3)
            .map(|v| Release {
                version: semver::Version::new(1, v, 0),
                host_api: "^1.0".parse().expect("req"),
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
            })
            .collect();
        index.plugins.insert(name, releases);
    }
    let json = serde_json::to_vec(&index).expect("json");
    let sig = registry_key.sign(&json, &index.trusted_comment()).expect("signs");
    (json, sig)
}

fn figures() {
    let author = KeyPair::generate("").expect("key");
    let registry_key = KeyPair::generate("").expect("key");
    let trusted = [author.public().clone()];
    println!("\nmarketplace figures (p50 / p95)");
    for size in [200 << 10, 4 << 20] {
        let bytes = package("big", size, &author).write();
        let (p50, p95) = time_n(20, |_| {
            let p = Package::read(black_box(&bytes)).expect("reads");
            assert!(check_package(&p, &trusted, &[]).may_run());
        });
        let mb = bytes.len() as f64 / 1e6;
        println!(
            "  verify a {:>5} KB package (read, hash, check signature): {p50:.2} / {p95:.2} ms = {:.0} MB/s",
            bytes.len() >> 10,
            mb / (p50 / 1000.0)
        );
    }
    let (json, sig) = registry(1000, &registry_key, &author);
    let keys = [registry_key.public().clone()];
    let (p50, p95) = time_n(20, |_| {
        black_box(Index::open(&json, Some(&sig), &keys, 0, None).expect("opens"));
    });
    println!("  open a signed index of 1,000 plugins ({} KB): {p50:.2} / {p95:.2} ms", json.len() >> 10);
    let catalog = Catalog { indexes: vec![Index::open(&json, Some(&sig), &keys, 0, None).expect("opens")] };
    let typed = "force graph";
    let (p50, p95) = time_n(typed.len() * 10, |i| {
        let text = &typed[..=(i % typed.len())];
        black_box(catalog.search(&Query { text: text.to_owned(), ..Query::default() }));
    });
    println!("  search 1,000 plugins per keystroke: {p50:.3} / {p95:.3} ms (target ≤ 16 ms)");
}

fn main() {
    figures();
    let author = KeyPair::generate("").expect("key");
    let bytes = package("bench", 200 << 10, &author).write();
    let trusted = [author.public().clone()];
    let mut c = Criterion::default().configure_from_args();
    let mut verify = c.benchmark_group("verify");
    verify.throughput(criterion::Throughput::Bytes(bytes.len() as u64));
    verify.bench_function("200 KB package", |b| {
        b.iter(|| check_package(&Package::read(black_box(&bytes)).expect("reads"), &trusted, &[]));
    });
    verify.finish();
    c.final_summary();
}
