//! The marketplace's costs, grouped by phase: verify (a package read and its signature checked,
//! as MB/s), install (a 200 KB plugin from bytes to checked), index (a synthetic registry of
//! 1,000 plugins opened with its signature) and search (one keystroke over that registry).
//!
//! A figures table prints first; criterion's groups follow.
//! Run: `cargo bench -p marketplace --bench marketplace` (or `cargo xtask bench`).
#![allow(clippy::print_stdout, reason = "a bench's job is to print its figures")]

use std::hint::black_box;

use criterion::Criterion;
use marketplace::index::Index;
use marketplace::{Catalog, KeyPair, Package, Query, check_package};

#[path = "../../isg/benches/timing.rs"]
mod timing;

use timing::time_n;

fn package(name: &str, module_bytes: usize, key: &KeyPair) -> Package {
    marketplace::synth::signed_package(name, module_bytes, key).expect("signs")
}

fn registry(n: usize, registry_key: &KeyPair, publisher: &KeyPair) -> (Vec<u8>, String) {
    marketplace::synth::signed_index(n, registry_key, publisher).expect("signs")
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
