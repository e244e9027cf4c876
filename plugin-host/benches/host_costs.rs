//! What host functions cost per unit of fuel: every host function called in a tight loop by a
//! plugin on the 179k-node registry sample, next to a plain wasm loop, in the app's policy.
//!
//! For each function it prints host seconds per G fuel (and the ratio to the plain loop), the
//! longest single slice (how long a Cancel, which acts between slices, can take to land), the
//! peak host heap the run built up, and how the run ended. A host function that does work without
//! charging for it shows as a huge ratio; an output flood that the output cap does not see shows
//! as a huge peak heap.
//!
//! Run: `cargo bench -p plugin-host --bench host_costs` (part of `cargo xtask bench`).
//! `PT_COST_SECONDS` sets the wall-time cap per case (default 2); `PT_COST_SLICE` the fuel per
//! slice (default: the app's policy).
#![allow(clippy::print_stdout, reason = "a bench's job is to print its figures")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use plugin_host::{Capabilities, Capability, GraphInput, HostPolicy, Manifest, PluginHost, Step};
use serde_json::Value;

/// Counts live heap bytes and their high-water mark, so each case can report its peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn note_alloc(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[allow(unsafe_code, reason = "a global allocator is unsafe by definition; this one only counts and forwards")]
// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_alloc(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        note_alloc(new_size);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Where the case's data sits in the plugin's memory (the first 6 MiB hold the big arrays).
const DATA: u32 = 6 << 20;

/// One host function in a loop: the imports it needs and the loop body (`$i` counts iterations).
struct Case {
    name: &'static str,
    import: &'static str,
    body: String,
}

fn case(name: &'static str, import: &'static str, body: &str) -> Case {
    Case { name, import, body: body.to_owned() }
}

fn cases() -> Vec<Case> {
    let d = DATA;
    // A 255-byte file name whose first 8 letters spell the iteration count, so each write is a new file.
    let fresh_name: String = (0..8)
        .map(|k| {
            format!(
                "(i32.store8 (i32.const {}) (i32.add (i32.const 97) (i32.and (i32.shr_u (local.get $i) (i32.const {})) (i32.const 15))))",
                d + 300 + k,
                4 * k
            )
        })
        .collect();
    vec![
        case("plain loop (no host call)", "", ""),
        case(
            "pt_core.log",
            r#"(import "pt_core" "log" (func $f (param i32 i32 i32)))"#,
            &format!("(call $f (i32.const 1) (i32.const {d}) (i32.const 100))"),
        ),
        case(
            "pt_core.progress",
            r#"(import "pt_core" "progress" (func $f (param i32 i32)))"#,
            "(call $f (local.get $i) (i32.const 100))",
        ),
        case(
            "pt_core.fail",
            r#"(import "pt_core" "fail" (func $f (param i32 i32)))"#,
            &format!("(call $f (i32.const {d}) (i32.const 2000))"),
        ),
        case(
            "pt_core.params_read",
            r#"(import "pt_core" "params_read" (func $f (param i32 i32) (result i32)))"#,
            &format!("(drop (call $f (i32.const {d}) (i32.const 64)))"),
        ),
        case(
            "pt_core.emit_finding (empty)",
            r#"(import "pt_core" "emit_finding" (func $f (param i32 i32 i32 i32 i32)))"#,
            "(call $f (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))",
        ),
        case(
            "pt_core.emit_metric (a column)",
            r#"(import "pt_core" "emit_metric" (func $f (param i32 i32 i32 i32)))
               (import "pt_isg" "node_count" (func $nodes (result i32)))"#,
            &format!("(call $f (i32.const {d}) (i32.const 4) (i32.const 0) (call $nodes))"),
        ),
        case(
            "pt_core.emit_file (empty)",
            r#"(import "pt_core" "emit_file" (func $f (param i32 i32 i32 i32 i32 i32)))"#,
            "(call $f (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))",
        ),
        case("pt_isg.node_count", r#"(import "pt_isg" "node_count" (func $f (result i32)))"#, "(drop (call $f))"),
        case(
            "pt_isg.read_edges (64k)",
            r#"(import "pt_isg" "read_edges" (func $f (param i32 i32 i32) (result i32)))"#,
            "(drop (call $f (i32.const 0) (i32.const 0) (i32.const 65536)))",
        ),
        case(
            "pt_isg.read_node_kinds (64k)",
            r#"(import "pt_isg" "read_node_kinds" (func $f (param i32 i32 i32) (result i32)))"#,
            "(drop (call $f (i32.const 0) (i32.const 0) (i32.const 65536)))",
        ),
        case(
            "pt_isg.node_name",
            r#"(import "pt_isg" "node_name" (func $f (param i32 i32 i32) (result i32)))"#,
            &format!("(drop (call $f (i32.rem_u (local.get $i) (i32.const 170000)) (i32.const {d}) (i32.const 256)))"),
        ),
        case(
            "pt_isg.node_signature",
            r#"(import "pt_isg" "node_signature" (func $f (param i32 i32 i32) (result i32)))"#,
            &format!("(drop (call $f (i32.rem_u (local.get $i) (i32.const 170000)) (i32.const {d}) (i32.const 4096)))"),
        ),
        case(
            "pt_viz.set_positions",
            r#"(import "pt_viz" "set_positions" (func $f (param i32 i32)))
               (import "pt_isg" "node_count" (func $nodes (result i32)))"#,
            "(call $f (i32.const 0) (call $nodes))",
        ),
        case(
            "pt_viz.set_node_styles",
            r#"(import "pt_viz" "set_node_styles" (func $f (param i32 i32)))
               (import "pt_isg" "node_count" (func $nodes (result i32)))"#,
            "(call $f (i32.const 0) (call $nodes))",
        ),
        case(
            "pt_viz.set_edge_styles",
            r#"(import "pt_viz" "set_edge_styles" (func $f (param i32 i32)))
               (import "pt_isg" "edge_count" (func $edges (result i32)))"#,
            "(call $f (i32.const 0) (call $edges))",
        ),
        case(
            "pt_viz.set_edge_marks",
            r#"(import "pt_viz" "set_edge_marks" (func $f (param i32 i32)))
               (import "pt_isg" "edge_count" (func $edges (result i32)))"#,
            "(call $f (i32.const 0) (call $edges))",
        ),
        case(
            "pt_viz.set_label (2 KB, every node)",
            r#"(import "pt_viz" "set_label" (func $f (param i32 i32 i32)))"#,
            &format!("(call $f (i32.rem_u (local.get $i) (i32.const 170000)) (i32.const {d}) (i32.const 2000))"),
        ),
        case(
            "pt_viz.add_overlay (hull)",
            r#"(import "pt_viz" "add_overlay" (func $f (param i32 i32)))"#,
            &format!("(call $f (i32.const {}) (i32.const {}))", d + 4096, HULL.len()),
        ),
        case(
            "pt_viz.set_edge_routes (one route)",
            r#"(import "pt_viz" "set_edge_routes" (func $f (param i32 i32)))"#,
            "(call $f (i32.const 0) (i32.const 8))",
        ),
        case(
            "pt_net.fetch (denied host)",
            r#"(import "pt_net" "fetch" (func $f (param i32 i32 i32 i32) (result i32)))"#,
            &format!(
                "(drop (call $f (i32.const {}) (i32.const {}) (i32.const 0) (i32.const 64)))",
                d + 8192,
                DENIED.len()
            ),
        ),
        case(
            "pt_fs.write (1 KB, same file)",
            r#"(import "pt_fs" "write" (func $f (param i32 i32 i32 i32) (result i32)))"#,
            &format!("(drop (call $f (i32.const {}) (i32.const 8) (i32.const 0) (i32.const 1000)))", d + 300),
        ),
        Case {
            name: "pt_fs.write (new empty file, 255-byte name)",
            import: r#"(import "pt_fs" "write" (func $f (param i32 i32 i32 i32) (result i32)))"#,
            body: format!(
                "{fresh_name} (drop (call $f (i32.const {}) (i32.const 255) (i32.const 0) (i32.const 0)))",
                d + 300
            ),
        },
        case(
            "pt_fs.read (1 KB)",
            r#"(import "pt_fs" "read" (func $f (param i32 i32 i32 i32) (result i32)))"#,
            &format!("(drop (call $f (i32.const {}) (i32.const 8) (i32.const 0) (i32.const 4096)))", d + 300),
        ),
    ]
}

const HULL: &str = r##"{"type":"hull","nodes":[1,2,3,4,5,6,7,8],"color":"#ff000080","label":"a hull"}"##;
const DENIED: &str = "https://evil.example.com/x";

fn module(case: &Case) -> Vec<u8> {
    let d = DATA;
    let name_tail = "x".repeat(247);
    let wat = format!(
        r#"(module
             {import}
             (memory (export "memory") 100)
             (data (i32.const {label}) "{text}")
             (data (i32.const {hull}) "{hull_json}")
             (data (i32.const {url}) "{DENIED}")
             (data (i32.const {name}) "aaaaaaaa{name_tail}")
             (func (export "pt_abi_version") (result i32) i32.const 1)
             (func (export "pt_run") (result i32) (local $i i32)
               (loop $l
                 {body}
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br $l))
               i32.const 0))"#,
        import = case.import,
        body = case.body,
        label = d,
        text = "w".repeat(2000),
        hull = d + 4096,
        hull_json = HULL.replace('"', "\\\""),
        url = d + 8192,
        name = d + 300,
    );
    wat::parse_str(wat).expect("case WAT assembles")
}

fn manifest() -> Arc<Manifest> {
    let text = "[plugin]\nname = \"costs\"\nversion = \"1.0.0\"\nauthor = \"bench\"\ndescription = \"d\"\n\
                kind = \"analysis\"\nhost_api = \"^1\"\n[capabilities]\nread_isg = true\nwrite_visualization = true\n\
                network_access = true\nfile_system_access = true\n[network]\nallow = [\"api.example.org\"]\n";
    Arc::new(Manifest::parse(text).expect("bench manifest parses"))
}

fn registry() -> Arc<GraphInput> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/isg-samples/v0.1.0-snapshot/registry-full.json.gz");
    let bytes = std::fs::read(path).expect("the registry sample sits in ../shared/isg-samples");
    let loaded = isg::load(&[isg::SourceFile { name: path, bytes: &bytes }]).expect("registry loads");
    Arc::new(GraphInput::new(Arc::new(loaded.graph)))
}

struct Figures {
    fuel: u64,
    wall: Duration,
    worst_slice: Duration,
    peak_heap: usize,
    ended: String,
}

fn measure(host: &PluginHost, graph: &Arc<GraphInput>, case: &Case, cap: Duration) -> Figures {
    let grants: Capabilities = Capability::ALL.into_iter().collect();
    let mut plugin = host.load(manifest(), &module(case), grants).expect("case loads");
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut call = plugin.start(Arc::clone(graph), &Value::Null, None).expect("call starts");
    let started = Instant::now();
    let mut worst_slice = Duration::ZERO;
    let ended = loop {
        let t = Instant::now();
        let step = call.step();
        worst_slice = worst_slice.max(t.elapsed());
        match step {
            Ok(Step::Running { .. }) if started.elapsed() < cap => {}
            Ok(Step::Running { .. }) => break "time cap".to_owned(),
            Ok(Step::Fetch(_)) => call.complete_fetch(Err(plugin_host::FetchFailed::new("no network in benches"))),
            Ok(Step::Finished(_)) => break "finished".to_owned(),
            Err(e) => break e.code().to_owned(),
        }
    };
    let wall = started.elapsed();
    let fuel = call.metrics().fuel_used;
    drop(call);
    Figures { fuel, wall, worst_slice, peak_heap: PEAK.load(Ordering::Relaxed).saturating_sub(base), ended }
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let cap =
        Duration::from_secs_f64(std::env::var("PT_COST_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0));
    let graph = registry();
    let mut policy = HostPolicy::default();
    if let Some(slice) = std::env::var("PT_COST_SLICE").ok().and_then(|s| s.parse().ok()) {
        policy.slice_fuel = slice;
    }
    let host = PluginHost::new(policy.clone()).expect("host starts");
    println!(
        "\n== host work per unit of fuel: registry {} nodes / {} edges; slice {} fuel, output cap {} MiB, {:.0} s cap per case ==",
        graph.node_count(),
        graph.edge_count(),
        policy.slice_fuel,
        policy.max_output_bytes >> 20,
        cap.as_secs_f64()
    );
    println!(
        "{:<46} {:>12} {:>10} {:>8} {:>13} {:>11}  ended with",
        "host function in a tight loop", "fuel (M)", "s / G fuel", "× plain", "worst slice", "peak heap"
    );
    let mut plain = None;
    let mut worst: Option<(f64, &'static str)> = None;
    let mut worst_slice: Option<(Duration, &'static str)> = None;
    for case in cases() {
        let f = measure(&host, &graph, &case, cap);
        let per_g = f.wall.as_secs_f64() / (f.fuel.max(1) as f64 / 1e9);
        let base = *plain.get_or_insert(per_g);
        let ratio = per_g / base;
        if case.body.is_empty() {
            // the plain loop itself
        } else {
            if worst.is_none_or(|(r, _)| ratio > r) {
                worst = Some((ratio, case.name));
            }
            if worst_slice.is_none_or(|(w, _)| f.worst_slice > w) {
                worst_slice = Some((f.worst_slice, case.name));
            }
        }
        println!(
            "{:<46} {:>12.1} {:>10.3} {:>8.1} {:>10.2} ms {:>7.1} MiB  {}",
            case.name,
            f.fuel as f64 / 1e6,
            per_g,
            ratio,
            f.worst_slice.as_secs_f64() * 1000.0,
            f.peak_heap as f64 / f64::from(1 << 20),
            f.ended
        );
    }
    if let Some((ratio, name)) = worst {
        println!("worst host function: {name}, {ratio:.1}× the plain loop's seconds per G fuel");
    }
    if let Some((slice, name)) = worst_slice {
        println!("worst cancel latency (longest slice): {:.2} ms, in {name}", slice.as_secs_f64() * 1000.0);
    }
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS of the whole bench process: {rss:.0} MiB");
    }
}
