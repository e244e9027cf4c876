//! Realistic synthetic ISGs of any size: a crate/folder/file tree, the node-kind mix of the real
//! registry corpus, power-law in-degrees (a few hubs with thousands of callers) and mostly local edges.

use crate::graph::{Graph, GraphBuilder, NodeFlags, NodeId, NodeSpec};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct SynthSpec {
    /// Number of nodes.
    pub nodes: usize,
    /// Number of edge records (duplicates are merged, so the graph may hold slightly fewer).
    pub edges: usize,
    /// Seed; the same spec always gives the same graph.
    pub seed: u64,
}

/// SplitMix64: tiny, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const SYLLABLES: &[&str] = &[
    "read", "write", "spawn", "poll", "handle", "parse", "build", "into", "from", "map", "new", "with", "task", "buf",
    "conn", "io", "net", "time", "sync", "lock", "send", "recv", "frame", "codec", "route", "state",
];

fn ident(rng: &mut Rng, capital: bool) -> String {
    let parts = 1 + rng.below(3);
    let mut s = String::new();
    for i in 0..parts {
        let w = SYLLABLES[rng.below(SYLLABLES.len())];
        if capital {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            if i > 0 {
                s.push('_');
            }
            s.push_str(w);
        }
    }
    s
}

/// Generates a graph. Kinds: 66% Function, 29% Struct, 5% Trait; edges: 72% Calls, 23% Uses,
/// 5% Implements (the registry sample's mix). Hashes span the full u64 range.
#[must_use]
pub fn generate(spec: SynthSpec) -> Graph {
    let mut rng = Rng(spec.seed ^ 0x5eed);
    let mut b = GraphBuilder::new();
    b.reserve(spec.nodes, spec.edges);
    let files = (spec.nodes / 20).max(1);
    let crates = (files / 40).max(1);
    let paths: Vec<String> = (0..files)
        .map(|f| {
            let krate = f % crates;
            let dir = rng.below(6);
            format!(
                "crate{krate}-0.{}.0/src/{}/{}.rs",
                krate % 9,
                ["net", "io", "sync", "runtime", "fs", "util"][dir],
                ident(&mut rng, false)
            )
        })
        .collect();
    let mut kinds = Vec::with_capacity(spec.nodes);
    for i in 0..spec.nodes {
        let r = rng.below(100);
        let kind = if r < 66 {
            "Function"
        } else if r < 95 {
            "Struct"
        } else {
            "Trait"
        };
        let name = ident(&mut rng, kind != "Function");
        let signature = match kind {
            "Function" => format!("fn {name}(&self, {}: usize) -> Result<(), Error>", ident(&mut rng, false)),
            "Struct" => format!("struct {name}"),
            _ => format!("trait {name}"),
        };
        let file = &paths[(i * files / spec.nodes.max(1)).min(files - 1)];
        let hash = rng.next() | ((1 << 63) * (i as u64 & 1));
        let spec = NodeSpec {
            hash,
            kind,
            name: &name,
            signature: &signature,
            file_path: file,
            line: 1 + rng.below(2000) as u32,
            flags: NodeFlags::default(),
        };
        if b.add_node(spec).is_ok() {
            kinds.push(kind);
        }
    }
    let n = kinds.len();
    if n == 0 {
        return b.finish().0;
    }
    let by_kind =
        |k: &str| -> Vec<u32> { kinds.iter().enumerate().filter(|(_, x)| **x == k).map(|(i, _)| i as u32).collect() };
    let (functions, structs, traits) = (by_kind("Function"), by_kind("Struct"), by_kind("Trait"));
    let pick = |rng: &mut Rng, pool: &[u32], near: usize| -> u32 {
        if pool.is_empty() {
            return near as u32;
        }
        // 60% of edges stay near the source (same file or folder); the rest follow a power law
        // over the pool, so low indices become hubs.
        if rng.below(10) < 6 {
            let at = pool.partition_point(|&x| (x as usize) < near);
            let lo = at.saturating_sub(30);
            let hi = (at + 30).min(pool.len());
            pool[lo + rng.below(hi - lo)]
        } else {
            let u = rng.unit();
            pool[((pool.len() as f64) * u.powi(4)) as usize % pool.len()]
        }
    };
    for _ in 0..spec.edges {
        let r = rng.below(100);
        let (from_pool, to_pool, kind) = if r < 72 {
            (&functions, &functions, "Calls")
        } else if r < 95 {
            (&functions, &structs, "Uses")
        } else {
            (&structs, &traits, "Implements")
        };
        let from_pool = if from_pool.is_empty() { &functions } else { from_pool };
        if from_pool.is_empty() {
            break;
        }
        let from = from_pool[rng.below(from_pool.len())];
        let to = pick(&mut rng, to_pool, from as usize);
        if to == from {
            continue;
        }
        // edge kinds are three known names, well under the 255 limit
        b.add_edge(NodeId(from), NodeId(to), kind).ok();
    }
    b.finish().0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Direction, top_by_degree};

    #[test]
    fn generator_is_deterministic_with_real_kind_mix_and_hubs() {
        let spec = SynthSpec { nodes: 20_000, edges: 100_000, seed: 7 };
        let g = generate(spec);
        let again = generate(spec);
        assert_eq!(g.node_count(), again.node_count());
        assert_eq!(g.edge_count(), again.edge_count());
        assert!(g.node_count() > 19_900);
        assert!(g.edge_count() > 90_000, "{}", g.edge_count());
        let functions = g.nodes_of_kind(g.node_kind_named("Function").unwrap()).len() as f64;
        assert!((functions / g.node_count() as f64 - 0.66).abs() < 0.02);
        let (_, top) = top_by_degree(&g, Direction::In, 1)[0];
        assert!(top > 100 * g.edge_count() / g.node_count(), "a hub should dwarf the mean degree, got {top}");
        assert!(g.nodes().any(|n| g.hash(n) > 1 << 53));
        assert!(g.modules().len() > 100);
    }
}
