//! Any bytes, as one file or as a pair split at the first 0xFF byte: the loader must return a
//! graph or an error, never panic, hang or run away with memory. A loaded graph must survive the
//! queries the app runs on it.
#![no_main]

use isg::query::{Direction, SearchIndex, neighbourhood, strongly_connected_components};
use isg::{LoadOptions, NodeId, SourceFile, load_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions { max_input_bytes: 4 << 20 };
    let files: Vec<SourceFile<'_>> = match data.iter().position(|&b| b == 0xff) {
        Some(split) => vec![
            SourceFile { name: "a.json", bytes: &data[..split] },
            SourceFile { name: "b.json", bytes: &data[split + 1..] },
        ],
        None => vec![SourceFile { name: "a.json", bytes: data }],
    };
    let Ok(loaded) = load_with(&files, &options) else { return };
    let g = &loaded.graph;
    assert_eq!(g.nodes().map(|n| g.out_degree(n)).sum::<usize>(), g.edge_count());
    assert_eq!(g.nodes().map(|n| g.in_degree(n)).sum::<usize>(), g.edge_count());
    for n in g.nodes() {
        assert_eq!(g.node_by_hash(g.hash(n)).map(|m| g.hash(m)), Some(g.hash(n)));
        let _ = (g.name(n), g.signature(n), g.file_path(n), g.kind_name(n));
    }
    let index = SearchIndex::build(g);
    let _ = index.search(g, "a", 10);
    let _ = strongly_connected_components(g);
    let _ = isg::quotient(g, 1);
    if g.node_count() > 0 {
        let _ = neighbourhood(g, &[NodeId(0)], 2, Direction::Both, None);
    }
    for w in &loaded.report.warnings {
        let _ = w.to_string();
    }
});
