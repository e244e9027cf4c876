//! Packing of connected components: a force layout pushes disconnected pieces apart without end,
//! so the biggest component stays where it is, the other pieces are set in rings close around it,
//! each keeping its own shape, and lone nodes (a codebase has many) line up in a block beside.

/// Connected components of an undirected graph, numbered from the biggest down.
pub(crate) struct Components {
    of: Vec<u32>,
    count: usize,
}

impl Components {
    pub fn new(n: usize, edges: &[[u32; 2]]) -> Self {
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn root(parent: &mut [u32], mut i: u32) -> u32 {
            while parent[i as usize] != i {
                let up = parent[parent[i as usize] as usize];
                parent[i as usize] = up;
                i = up;
            }
            i
        }
        for &[a, b] in edges {
            if (a as usize) < n && (b as usize) < n {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                if ra != rb {
                    parent[ra.max(rb) as usize] = ra.min(rb);
                }
            }
        }
        let mut size = vec![0u32; n];
        let roots: Vec<u32> = (0..n as u32).map(|i| root(&mut parent, i)).collect();
        for &r in &roots {
            size[r as usize] += 1;
        }
        let mut by_size: Vec<u32> = (0..n as u32).filter(|&i| roots[i as usize] == i).collect();
        by_size.sort_by_key(|&r| (std::cmp::Reverse(size[r as usize]), r));
        let mut rank = vec![0u32; n];
        for (k, &r) in by_size.iter().enumerate() {
            rank[r as usize] = k as u32;
        }
        Self { of: roots.iter().map(|&r| rank[r as usize]).collect(), count: by_size.len() }
    }

    /// Moves every component but the biggest next to it, `gap` apart, keeping each one's shape.
    pub fn pack(&self, pos: &mut [[f32; 2]], gap: f32) {
        if self.count < 2 || pos.len() != self.of.len() {
            return;
        }
        let mut centre = vec![[0.0f32; 2]; self.count];
        let mut members = vec![0u32; self.count];
        for (p, &c) in pos.iter().zip(&self.of) {
            centre[c as usize][0] += p[0];
            centre[c as usize][1] += p[1];
            members[c as usize] += 1;
        }
        for (c, &m) in centre.iter_mut().zip(&members) {
            c[0] /= m as f32;
            c[1] /= m as f32;
        }
        let mut radius = vec![0.0f32; self.count];
        for (p, &c) in pos.iter().zip(&self.of) {
            let o = centre[c as usize];
            let r = ((p[0] - o[0]).powi(2) + (p[1] - o[1]).powi(2)).sqrt();
            radius[c as usize] = radius[c as usize].max(r);
        }
        // Rings around the biggest component, filled in order of size.
        let mut shift = vec![[0.0f32; 2]; self.count];
        let mut ring = radius[0] + gap;
        let mut ring_width = 0.0f32;
        let mut angle = 0.0f32;
        let pieces = members.iter().position(|&m| m == 1).unwrap_or(self.count).max(1);
        for c in 1..pieces {
            let r = radius[c] + gap * 0.5;
            let at = ring + r;
            let step = (2.0 * r / at).max(1e-3);
            if angle + step > core::f32::consts::TAU {
                ring += ring_width + gap * 0.5;
                ring_width = 0.0;
                angle = 0.0;
            }
            let at = ring + r;
            let step = 2.0 * r / at;
            let theta = angle + step * 0.5;
            angle += step;
            ring_width = ring_width.max(2.0 * r);
            let target = [centre[0][0] + at * theta.cos(), centre[0][1] + at * theta.sin()];
            shift[c] = [target[0] - centre[c][0], target[1] - centre[c][1]];
        }
        // Lone nodes in a square block to the right of everything else, as close together as the
        // biggest component's nodes are on average (a codebase has hundreds; spaced like edges
        // they took a third of the picture), and never further apart than half a gap.
        let (mut right, mut top) = (f32::MIN, f32::MAX);
        for c in 0..pieces {
            right = right.max(centre[c][0] + shift[c][0] + radius[c]);
            top = top.min(centre[c][1] + shift[c][1] - radius[c]);
        }
        let per_node = (core::f32::consts::PI * radius[0] * radius[0] / members[0].max(1) as f32).sqrt();
        let pitch = (per_node * 0.6).clamp(gap * 0.05, gap * 0.5);
        let lone = self.count - pieces;
        let side = (lone as f32).sqrt().ceil().max(1.0) as usize;
        for (k, c) in (pieces..self.count).enumerate() {
            let target = [right + gap + pitch * (k % side) as f32, top + pitch * (k / side) as f32];
            shift[c] = [target[0] - centre[c][0], target[1] - centre[c][1]];
        }
        for (p, &c) in pos.iter_mut().zip(&self.of) {
            p[0] += shift[c as usize][0];
            p[1] += shift[c as usize][1];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_components_sit_close_around_the_biggest_and_keep_their_shape() {
        // A 10-node path, a 3-node path far away, and two isolated nodes further still.
        let mut edges: Vec<[u32; 2]> = (0..9).map(|i| [i, i + 1]).collect();
        edges.extend([[10, 11], [11, 12]]);
        let mut pos: Vec<[f32; 2]> = (0..10).map(|i| [i as f32, 0.0]).collect();
        pos.extend([[1000.0, 1000.0], [1001.0, 1000.0], [1002.0, 1000.0], [-5000.0, 0.0], [9000.0, 9000.0]]);
        let c = Components::new(15, &edges);
        assert_eq!(c.count, 4);
        assert_eq!(c.of[0], 0, "the biggest component is number 0");
        c.pack(&mut pos, 1.0);
        assert_eq!(pos[0], [0.0, 0.0], "the biggest stays put");
        let far = pos.iter().map(|p| ((p[0] - 4.5).powi(2) + p[1].powi(2)).sqrt()).fold(0.0, f32::max);
        assert!(far < 12.0, "everything within a few gaps of the biggest: {far}");
        // The lone nodes sit side by side, right of the rest.
        assert_eq!(pos[14][0] - pos[13][0], 0.5);
        assert!(pos[13][0] > pos[..13].iter().map(|p| p[0]).fold(f32::MIN, f32::max));
        assert_eq!([pos[11][0] - pos[10][0], pos[12][0] - pos[11][0]], [1.0, 1.0], "shape kept");
    }

    #[test]
    fn hundreds_of_lone_nodes_make_a_block_no_bigger_than_the_code_they_sit_beside() {
        // A compact component of 225 nodes one unit apart (a 15 × 15 mesh) and 400 lone nodes,
        // with springs three units long: spaced like edges, the block was 16 times the mesh.
        let mut edges = Vec::new();
        for i in 0..225u32 {
            if i % 15 != 14 {
                edges.push([i, i + 1]);
            }
            if i + 15 < 225 {
                edges.push([i, i + 15]);
            }
        }
        let mut pos: Vec<[f32; 2]> = (0..225).map(|i| [(i % 15) as f32, (i / 15) as f32]).collect();
        pos.extend((0..400).map(|i| [i as f32 * 7.0, -300.0]));
        let c = Components::new(625, &edges);
        c.pack(&mut pos, 6.0);
        let area = |pts: &[[f32; 2]]| {
            let (lo, hi) = pts.iter().fold(([f32::MAX; 2], [f32::MIN; 2]), |(lo, hi), q| {
                ([lo[0].min(q[0]), lo[1].min(q[1])], [hi[0].max(q[0]), hi[1].max(q[1])])
            });
            (hi[0] - lo[0]) * (hi[1] - lo[1])
        };
        let (mesh, lone) = (area(&pos[..225]), area(&pos[225..]));
        assert!(lone < mesh, "the lone block covers {lone:.0} square units beside a mesh of {mesh:.0}");
        let mut distinct: Vec<(i32, i32)> =
            pos[225..].iter().map(|p| ((p[0] * 100.0) as i32, (p[1] * 100.0) as i32)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 400, "no two lone nodes share a place");
    }
}
