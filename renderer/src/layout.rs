//! The initial layout shown before any layout plugin runs: files as discs packed on a sunflower
//! spiral, biggest first, with each file's nodes on a sunflower inside its disc. O(n), deterministic,
//! and it already shows module structure.

use isg::{Graph, ModuleId};

const GOLDEN_ANGLE: f32 = 2.399_963_1;

/// Node spacing in world units.
const SPACING: f32 = 2.2;

/// One position per node.
#[must_use]
pub fn grouped_by_file(graph: &Graph) -> Vec<[f32; 2]> {
    let tree = graph.modules();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); tree.len()];
    for n in graph.nodes() {
        members[graph.module(n).0 as usize].push(n.0);
    }
    let mut files: Vec<usize> = (0..tree.len()).filter(|&m| !members[m].is_empty()).collect();
    // Biggest files at the centre; ties by folder so siblings sit together.
    files.sort_by_key(|&m| (std::cmp::Reverse(members[m].len()), tree.parent(ModuleId(m as u32)).map(|p| p.0)));
    let mut positions = vec![[0.0f32; 2]; graph.node_count()];
    let mut used_area = 0.0f32;
    for (k, &m) in files.iter().enumerate() {
        let count = members[m].len() as f32;
        let radius = SPACING * (count.sqrt() + 1.0);
        // Place the disc so the discs' total area grows like a sunflower's.
        used_area += std::f32::consts::PI * radius * radius * 1.6;
        let ring = (used_area / std::f32::consts::PI).sqrt() - radius;
        let angle = k as f32 * GOLDEN_ANGLE;
        let centre = if k == 0 { [0.0, 0.0] } else { [ring.max(0.0) * angle.cos(), ring.max(0.0) * angle.sin()] };
        for (j, &n) in members[m].iter().enumerate() {
            let r = SPACING * (j as f32).sqrt();
            let a = j as f32 * GOLDEN_ANGLE;
            positions[n as usize] = [centre[0] + r * a.cos(), centre[1] + r * a.sin()];
        }
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use isg::synth::{SynthSpec, generate};

    #[test]
    fn layout_is_finite_spread_and_keeps_files_together() {
        let g = generate(SynthSpec { nodes: 5_000, edges: 10_000, seed: 9 });
        let p = grouped_by_file(&g);
        assert_eq!(p.len(), g.node_count());
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        let mut distinct: Vec<(i64, i64)> = p.iter().map(|q| ((q[0] * 100.0) as i64, (q[1] * 100.0) as i64)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > g.node_count() * 99 / 100, "nodes must not pile up");
        // Two nodes of one file are closer than the average pair of nodes.
        let a = g.nodes().next().unwrap();
        let same: Vec<_> = g.nodes().filter(|&n| g.module(n) == g.module(a)).collect();
        let d = |x: [f32; 2], y: [f32; 2]| ((x[0] - y[0]).powi(2) + (x[1] - y[1]).powi(2)).sqrt();
        let within = d(p[same[0].index()], p[same[same.len() - 1].index()]);
        let span = d(p[0], p[p.len() - 1]);
        assert!(within < span, "{within} vs {span}");
    }
}
