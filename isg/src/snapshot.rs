//! Writing a graph as a parseltongue v0.1.0 snapshot, the format every version of the loader reads.

use std::fmt::Write as _;

use crate::graph::Graph;

/// The graph as v0.1.0 snapshot JSON, hashes written as exact integers.
#[must_use]
pub fn to_snapshot_json(graph: &Graph) -> String {
    let mut out = String::with_capacity(graph.node_count() * 160 + graph.edge_count() * 70);
    out.push_str("{\"nodes\":[");
    for (i, n) in graph.nodes().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write!(
            out,
            "{{\"hash\":{},\"kind\":{},\"name\":{},\"signature\":{},\"file_path\":{},\"line\":{}}}",
            graph.hash(n),
            json_string(graph.kind_name(n)),
            json_string(graph.name(n)),
            json_string(graph.signature(n)),
            json_string(graph.file_path(n)),
            graph.line(n)
        )
        .ok();
    }
    out.push_str("],\"edges\":[");
    for (i, (f, t, k)) in graph.edges().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write!(
            out,
            "{{\"from\":{},\"to\":{},\"kind\":{}}}",
            graph.hash(f),
            graph.hash(t),
            json_string(&graph.edge_kinds()[k.0 as usize])
        )
        .ok();
    }
    write!(
        out,
        "],\"metadata\":{{\"version\":1,\"timestamp\":0,\"node_count\":{},\"edge_count\":{}}}}}",
        graph.node_count(),
        graph.edge_count()
    )
    .ok();
    out
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

#[cfg(test)]
mod tests {
    use crate::synth::{SynthSpec, generate};
    use crate::{SourceFile, load};

    #[test]
    fn written_snapshot_loads_back_identically() {
        let g = generate(SynthSpec { nodes: 2_000, edges: 8_000, seed: 3 });
        let json = super::to_snapshot_json(&g);
        let back = load(&[SourceFile { name: "synthetic.json", bytes: json.as_bytes() }]).unwrap();
        assert_eq!(back.graph.node_count(), g.node_count());
        assert_eq!(back.graph.edge_count(), g.edge_count());
        assert!(back.report.warnings.is_empty(), "{:?}", back.report.warnings);
        for n in g.nodes() {
            assert_eq!(back.graph.hash(n), g.hash(n));
            assert_eq!(back.graph.signature(n), g.signature(n));
        }
    }
}
