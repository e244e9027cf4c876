//! Benchmarks of the ISG model, grouped by phase: load, index, search, neighbourhood, scc, diff.
//!
//! Before criterion's groups, a figures table prints the issue's targets next to measured
//! p50/p95 values (criterion reports means, the targets are percentiles), and the model's memory.
//!
//! Run: `cargo bench -p isg --bench isg` (or `cargo xtask bench`).
#![allow(clippy::print_stdout, reason = "a bench's job is to print its figures")]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;
use isg::diff::diff;
use isg::query::{Direction, SearchIndex, neighbourhood, strongly_connected_components};
use isg::synth::{SynthSpec, generate};
use isg::{Graph, NodeId, SourceFile, load};

fn sample(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/isg-samples").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_bytes(name: &str, bytes: &[u8]) -> Graph {
    load(&[SourceFile { name, bytes }]).unwrap_or_else(|e| panic!("{e}")).graph
}

mod timing;
use timing::time_n;

/// Queries as a user types them, keystroke by keystroke.
const KEYSTROKES: &[&str] = &[
    "s", "sp", "spa", "spaw", "spawn", "r", "re", "rea", "read", "read_", "read_b", "f", "fr", "fra", "fram", "frame",
];

/// The same 100k nodes; the newer graph has 20k more edge records.
fn diff_pair() -> (Graph, Graph) {
    (
        generate(SynthSpec { nodes: 100_000, edges: 500_000, seed: 11 }),
        generate(SynthSpec { nodes: 100_000, edges: 520_000, seed: 11 }),
    )
}

fn figures(big_json: &[u8], big: &Graph, registry_gz: &[u8]) {
    println!("\n== figures (targets from the ISG data issue) ==");
    let (p50, _) = time_n(3, |_| {
        black_box(load_bytes("synthetic-100k.json", big_json));
    });
    println!("load+index 100k nodes / 1M edges        p50 {p50:8.1} ms   target ≤ 1000 ms");
    let (p50, _) = time_n(3, |_| {
        black_box(load_bytes("registry-full.json.gz", registry_gz));
    });
    println!("load+index registry (179k / 406k, .gz)  p50 {p50:8.1} ms   (browser target ≤ 1500 ms)");

    let mem = big.memory();
    let per_node = mem.node_bytes as f64 / big.node_count() as f64;
    let per_edge = mem.edge_bytes as f64 / big.edge_count() as f64;
    println!(
        "model memory                            {per_node:5.1} B/node + {per_edge:4.1} B/edge (+ {:.1} MB strings)   target ≤ 64 + 12",
        mem.string_bytes as f64 / 1e6
    );

    let index = SearchIndex::build(big);
    let (p50, p95) = time_n(KEYSTROKES.len() * 20, |i| {
        black_box(index.search(big, KEYSTROKES[i % KEYSTROKES.len()], 30));
    });
    println!("search per keystroke, 100k nodes        p50 {p50:8.3} ms  p95 {p95:8.3} ms   target p95 ≤ 5 ms");

    let n = big.node_count() as u32;
    let (p50, p95) = time_n(500, |i| {
        let seed = NodeId((i as u32).wrapping_mul(2_654_435_761) % n);
        black_box(neighbourhood(big, &[seed], 3, Direction::Both, None));
    });
    println!("3-hop neighbourhood (both ways), 1M e   p50 {p50:8.3} ms  p95 {p95:8.3} ms   target ≤ 2 ms");

    let (p50, _) = time_n(5, |_| {
        black_box(strongly_connected_components(big));
    });
    println!("strongly connected components, 1M edges p50 {p50:8.1} ms                 target ≤ 200 ms");

    let (old, new) = diff_pair();
    let (p50, _) = time_n(5, |_| {
        black_box(diff(&old, &new));
    });
    println!("diff of two 100k-node graphs            p50 {p50:8.1} ms                 target ≤ 500 ms\n");
}

fn main() {
    let big = generate(SynthSpec { nodes: 100_000, edges: 1_000_000, seed: 42 });
    let big_json = isg::snapshot::to_snapshot_json(&big).into_bytes();
    let registry_gz = sample("v0.1.0-snapshot/registry-full.json.gz");
    figures(&big_json, &big, &registry_gz);

    let mut c = Criterion::default().configure_from_args();

    let mut group = c.benchmark_group("load");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for rel in ["v0.1.0-snapshot/axum-0.8.3.json", "v0.1.0-snapshot/tokio-1.47.1.json", "v1-isg_data/tokio-1.47.1.json"]
    {
        let bytes = sample(rel);
        group.bench_function(rel, |b| b.iter(|| black_box(load_bytes(rel, &bytes))));
    }
    let entities = sample("v0.9.7-pt02/tokio-1.47.1.level01.entities.json");
    let edges = sample("v0.9.7-pt02/tokio-1.47.1.level00.edges.json");
    group.bench_function("v0.9.7-pt02/tokio pair", |b| {
        b.iter(|| {
            black_box(
                load(&[SourceFile { name: "e", bytes: &entities }, SourceFile { name: "d", bytes: &edges }])
                    .map(|l| l.graph),
            )
        })
    });
    group.bench_function("registry-full.json.gz (179k/406k)", |b| b.iter(|| black_box(load_bytes("r", &registry_gz))));
    group.bench_function("synthetic 100k/1M", |b| b.iter(|| black_box(load_bytes("s", &big_json))));
    group.finish();

    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.bench_function("search index, 100k nodes", |b| b.iter(|| black_box(SearchIndex::build(&big))));
    group.finish();

    let index = SearchIndex::build(&big);
    let mut group = c.benchmark_group("search");
    for q in ["s", "spawn", "read_b", "frame"] {
        group.bench_function(format!("100k nodes, {q:?}"), |b| b.iter(|| black_box(index.search(&big, q, 30))));
    }
    group.finish();

    let mut group = c.benchmark_group("neighbourhood");
    let mut i = 0u32;
    group.bench_function("3 hops both ways, 100k/1M", |b| {
        b.iter(|| {
            i = i.wrapping_add(7919);
            black_box(neighbourhood(&big, &[NodeId(i % big.node_count() as u32)], 3, Direction::Both, None))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("scc");
    group.sample_size(10);
    group.bench_function("100k/1M", |b| b.iter(|| black_box(strongly_connected_components(&big))));
    group.finish();

    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    let (old, new) = diff_pair();
    group.bench_function("100k nodes, 500k vs 520k edges", |b| b.iter(|| black_box(diff(&old, &new))));
    group.finish();

    c.final_summary();
}
