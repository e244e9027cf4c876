//! Misbehaves on purpose, selected by the `mode` parameter. The host must turn each mode into its
//! typed error and stay intact; `behave` proves the same module works when it means to.

use pt_plugin_sdk::{Analysis, Graph, Params, Severity};

#[allow(unconditional_recursion)] // unbounded on purpose: the host must stop it
fn recurse(depth: u64, trail: &mut Vec<u64>) -> u64 {
    trail.push(depth);
    recurse(depth + 1, trail) + trail.len() as u64
}

fn analyse(graph: &Graph, params: &Params) -> Analysis {
    match params.str("mode") {
        "panic" => {
            let edges = graph.edges();
            let past_the_end = edges.len() + 1;
            panic!("deliberate panic: edge {past_the_end} of {}", edges.len());
        }
        "alloc-bomb" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1; 1 << 20]);
            }
        }
        "recursion" => {
            let mut trail = Vec::new();
            let depth = recurse(0, &mut trail);
            Analysis { findings: vec![(Severity::Info, vec![], format!("{depth}"))], ..Analysis::default() }
        }
        "spin" => {
            let mut x = 0u64;
            loop {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
        "style-flood" => {
            // A whole graph's node styles handed to the host again and again: each call is a few
            // instructions of the plugin's and a lot of the host's work, which the host must charge.
            let nodes = graph.node_count();
            let styles = vec![0u8; nodes * 12];
            loop {
                // SAFETY: 12 bytes per node, as the count says.
                unsafe { pt_plugin_sdk::raw::set_node_styles(styles.as_ptr(), nodes) };
            }
        }
        _ => Analysis {
            findings: vec![(
                Severity::Info,
                vec![0],
                format!("{} nodes, {} edges", graph.node_count(), graph.edge_count()),
            )],
            ..Analysis::default()
        },
    }
}

pt_plugin_sdk::analysis!(analyse);
