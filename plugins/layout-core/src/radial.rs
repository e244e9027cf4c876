//! Radial (ego) layout: the chosen node in the centre, rings by hop distance (edges taken both
//! ways), each ring ordered by its parents' angles so subtrees stay together. Nodes the centre
//! cannot reach sit on one more ring outside. Hubs other than the centre are not walked through,
//! so one `unwrap` does not pull the whole codebase into ring 2.

use crate::{Adjacency, hubs};

/// Ring `k` sits at `k × ring_gap`, or further out when its nodes would sit closer than `min_arc`.
#[must_use]
pub fn radial(
    n: usize,
    edges: &[[u32; 2]],
    centre: u32,
    ring_gap: f32,
    min_arc: f32,
    hub_degree: u32,
) -> Vec<[f32; 2]> {
    let mut positions = vec![[0.0f32; 2]; n];
    if n == 0 {
        return positions;
    }
    let centre = centre.min(n as u32 - 1);
    let hub = hubs(n, edges, hub_degree);
    let adj = Adjacency::new(n, edges.iter().filter(|e| e[0] != e[1]).map(|e| (e[0], e[1])), true);
    const UNSEEN: u32 = u32::MAX;
    let mut depth = vec![UNSEEN; n];
    let mut parent = vec![UNSEEN; n];
    let mut rings: Vec<Vec<u32>> = vec![vec![centre]];
    depth[centre as usize] = 0;
    loop {
        let last = rings.len() - 1;
        let mut next = Vec::new();
        for &v in &rings[last] {
            if hub[v as usize] && v != centre {
                continue;
            }
            for &w in adj.of(v) {
                if depth[w as usize] == UNSEEN {
                    depth[w as usize] = last as u32 + 1;
                    parent[w as usize] = v;
                    next.push(w);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        rings.push(next);
    }
    let unreached: Vec<u32> = (0..n as u32).filter(|&v| depth[v as usize] == UNSEEN).collect();
    if !unreached.is_empty() {
        rings.push(unreached);
    }
    let mut angle = vec![0.0f32; n];
    let mut radius = 0.0f32;
    for (k, ring) in rings.iter_mut().enumerate().skip(1) {
        ring.sort_by(|&a, &b| {
            let pa = parent[a as usize];
            let pb = parent[b as usize];
            let key = |p: u32| if p == UNSEEN { f32::MAX } else { angle[p as usize] };
            key(pa).total_cmp(&key(pb)).then(a.cmp(&b))
        });
        radius = (radius + ring_gap).max(k as f32 * ring_gap).max(ring.len() as f32 * min_arc / std::f32::consts::TAU);
        for (i, &v) in ring.iter().enumerate() {
            let a = (i as f32 + 0.5) / ring.len() as f32 * std::f32::consts::TAU;
            angle[v as usize] = a;
            positions[v as usize] = [radius * a.cos(), radius * a.sin()];
        }
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_follow_hop_distance_and_keep_their_spacing() {
        // A star of 3 around 0, each with 2 leaves; 10 is unreachable.
        let edges = [[0, 1], [0, 2], [3, 0], [1, 4], [1, 5], [2, 6], [7, 2], [3, 8], [3, 9]];
        let p = radial(11, &edges, 0, 10.0, 2.0, 0);
        let r = |v: usize| (p[v][0].powi(2) + p[v][1].powi(2)).sqrt();
        assert_eq!(p[0], [0.0, 0.0]);
        for v in [1, 2, 3] {
            assert!((r(v) - 10.0).abs() < 1e-3, "ring 1 at 10: {}", r(v));
        }
        for v in 4..10 {
            assert!((r(v) - 20.0).abs() < 1e-3, "ring 2 at 20: {}", r(v));
        }
        assert!(r(10) > 25.0, "the unreachable node sits outside");
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        // Big rings grow so neighbours on the ring keep `min_arc` apart.
        let star: Vec<[u32; 2]> = (1..1001).map(|i| [0, i]).collect();
        let p = radial(1001, &star, 0, 10.0, 3.0, 0);
        let d = ((p[1][0] - p[2][0]).powi(2) + (p[1][1] - p[2][1]).powi(2)).sqrt();
        assert!(d >= 2.99, "{d}");
    }

    #[test]
    fn hubs_are_not_walked_through() {
        // 0 – 1 – hub 2 – many leaves: with hubs set aside the leaves are not ring 3.
        let mut edges = vec![[0, 1], [1, 2]];
        edges.extend((3..50).map(|i| [2, i]));
        let with = radial(50, &edges, 0, 10.0, 1.0, 10);
        let without = radial(50, &edges, 0, 10.0, 1.0, 0);
        let r = |p: &[[f32; 2]], v: usize| (p[v][0].powi(2) + p[v][1].powi(2)).sqrt();
        assert!((r(&without, 10) - 30.0).abs() < 1e-3);
        assert!(r(&with, 10) > r(&with, 2), "leaves of a hub wait on the outer ring");
    }
}
