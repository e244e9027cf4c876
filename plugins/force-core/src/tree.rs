//! The Barnes–Hut quadtree, laid out depth first so that a traversal is one forward scan: a cell's
//! first child follows it, and `next` skips its whole subtree. Leaves hold up to [`BUCKET`] bodies,
//! stored contiguously, which an interpreter walks far faster than pointer-chasing single bodies.

const BUCKET: usize = 8;
/// Deeper than this, coincident points share a leaf instead of splitting forever.
const MAX_DEPTH: u32 = 20;

#[derive(Clone, Copy)]
struct Cell {
    /// Centre of mass.
    x: f32,
    y: f32,
    mass: f32,
    /// Squared edge length of the cell's square.
    size2: f32,
    /// Index of the first cell after this one's subtree.
    next: u32,
    /// Bodies `first..end` in the sorted order if a leaf; `first == end` for an inner cell.
    first: u32,
    end: u32,
    /// Geometric centre and half the edge of the cell's square.
    cx: f32,
    cy: f32,
    half: f32,
}

/// A quadtree over one step's positions.
#[derive(Default)]
pub(crate) struct Tree {
    cells: Vec<Cell>,
    order: Vec<u32>,
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// Near-field forces of one leaf's bodies.
    near: Vec<[f32; 2]>,
}

impl Tree {
    pub fn build(&mut self, pos: &[[f32; 2]]) {
        self.cells.clear();
        self.order.clear();
        self.order.extend(0..pos.len() as u32);
        if pos.is_empty() {
            return;
        }
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in pos {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0).max(1e-3) * 1.001;
        let mut order = std::mem::take(&mut self.order);
        self.split(pos, &mut order, 0, [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0], half, 0);
        self.xs.clear();
        self.ys.clear();
        self.xs.extend(order.iter().map(|&i| pos[i as usize][0]));
        self.ys.extend(order.iter().map(|&i| pos[i as usize][1]));
        self.order = order;
    }

    /// Adds the cell over `bodies` (which start at `offset` in the sorted order) and its subtree;
    /// returns its mass and summed position.
    fn split(
        &mut self,
        pos: &[[f32; 2]],
        bodies: &mut [u32],
        offset: usize,
        c: [f32; 2],
        half: f32,
        depth: u32,
    ) -> (f32, f32, f32) {
        let at = self.cells.len();
        let size2 = 4.0 * half * half;
        self.cells.push(Cell { x: 0.0, y: 0.0, mass: 0.0, size2, next: 0, first: 0, end: 0, cx: c[0], cy: c[1], half });
        let (mut sx, mut sy) = (0.0, 0.0);
        let mass = bodies.len() as f32;
        if bodies.len() <= BUCKET || depth >= MAX_DEPTH {
            for &b in bodies.iter() {
                sx += pos[b as usize][0];
                sy += pos[b as usize][1];
            }
            let cell = &mut self.cells[at];
            cell.first = offset as u32;
            cell.end = (offset + bodies.len()) as u32;
        } else {
            let below = partition(bodies, |b| pos[b as usize][1] < c[1]);
            let (south, north) = bodies.split_at_mut(below);
            let west_s = partition(south, |b| pos[b as usize][0] < c[0]);
            let west_n = partition(north, |b| pos[b as usize][0] < c[0]);
            let h = half / 2.0;
            let (s_w, s_e) = south.split_at_mut(west_s);
            let (n_w, n_e) = north.split_at_mut(west_n);
            let quads = [
                (s_w, offset, [c[0] - h, c[1] - h]),
                (s_e, offset + west_s, [c[0] + h, c[1] - h]),
                (n_w, offset + below, [c[0] - h, c[1] + h]),
                (n_e, offset + below + west_n, [c[0] + h, c[1] + h]),
            ];
            for (quad, off, centre) in quads {
                if !quad.is_empty() {
                    let (_, qx, qy) = self.split(pos, quad, off, centre, h, depth + 1);
                    sx += qx;
                    sy += qy;
                }
            }
        }
        let next = self.cells.len() as u32;
        let cell = &mut self.cells[at];
        cell.x = sx / mass;
        cell.y = sy / mass;
        cell.mass = mass;
        cell.next = next;
        (mass, sx, sy)
    }

    /// For every body, Σ d/|d|² over all other bodies (a 1/distance repulsion), written to
    /// `out[body]`. The far field is evaluated once per leaf, at its centre, for all of its bodies:
    /// a cell counts as far from a leaf when `size < θ·gap`, the gap measured from the cell's
    /// centre of mass to the nearest point of the leaf's disc. Near leaves interact body by body.
    pub fn repulsion(&mut self, out: &mut [[f32; 2]], theta: f32, soft: f32) {
        let cells = &self.cells[..];
        let near = &mut self.near;
        for leaf in cells.iter().filter(|c| c.first < c.end) {
            let reach = leaf.half * core::f32::consts::SQRT_2;
            let (lx, ly) = (leaf.cx, leaf.cy);
            let (mut fx, mut fy) = (0.0, 0.0);
            let (first, end) = (leaf.first as usize, leaf.end as usize);
            let (mine_x, mine_y) = (&self.xs[first..end], &self.ys[first..end]);
            near.clear();
            near.resize(end - first, [0.0; 2]);
            let mut c = 0usize;
            while let Some(cell) = cells.get(c) {
                let (dx, dy) = (lx - cell.x, ly - cell.y);
                let d2 = dx * dx + dy * dy;
                let gap = d2.sqrt() - reach;
                if gap > 0.0 && cell.size2 < theta * theta * gap * gap {
                    let s = cell.mass / d2;
                    fx += dx * s;
                    fy += dy * s;
                    c = cell.next as usize;
                } else if cell.first < cell.end {
                    let (xs, ys) = (
                        &self.xs[cell.first as usize..cell.end as usize],
                        &self.ys[cell.first as usize..cell.end as usize],
                    );
                    for ((&x, &y), f) in mine_x.iter().zip(mine_y).zip(near.iter_mut()) {
                        for (&bx, &by) in xs.iter().zip(ys) {
                            let (dx, dy) = (x - bx, y - by);
                            let s = 1.0 / (dx * dx + dy * dy + soft);
                            f[0] += dx * s;
                            f[1] += dy * s;
                        }
                    }
                    c = cell.next as usize;
                } else {
                    c += 1;
                }
            }
            for (&body, f) in self.order[first..end].iter().zip(near.iter()) {
                out[body as usize] = [f[0] + fx, f[1] + fy];
            }
        }
    }
}

/// Moves the elements for which `left` holds to the front; returns how many there are.
fn partition(items: &mut [u32], left: impl Fn(u32) -> bool) -> usize {
    let mut at = 0;
    for i in 0..items.len() {
        if left(items[i]) {
            items.swap(at, i);
            at += 1;
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximation_is_close_to_the_exact_sum() {
        let pos: Vec<[f32; 2]> = super::super::sunflower(2_000, 3.0);
        let mut tree = Tree::default();
        tree.build(&pos);
        let mut worst: f32 = 0.0;
        let mut near = vec![[0.0; 2]; 2_000];
        tree.repulsion(&mut near, 0.5, 0.01);
        for i in (0..2_000).step_by(97) {
            let [x, y] = pos[i];
            let exact = pos.iter().fold([0.0f32; 2], |f, q| {
                let (dx, dy) = (x - q[0], y - q[1]);
                let s = 1.0 / (dx * dx + dy * dy + 0.01);
                [f[0] + dx * s, f[1] + dy * s]
            });
            let near = near[i];
            let err = ((near[0] - exact[0]).powi(2) + (near[1] - exact[1]).powi(2)).sqrt();
            let len = (exact[0].powi(2) + exact[1].powi(2)).sqrt().max(1.0);
            worst = worst.max(err / len);
        }
        assert!(worst < 0.05, "relative error {worst}");
        // Every body sits in exactly one leaf.
        let in_leaves: u32 = tree.cells.iter().map(|c| c.end - c.first).sum();
        assert_eq!(in_leaves, 2_000);
        // Coincident points end in one leaf at the depth limit instead of recursing forever.
        tree.build(&vec![[1.0, 1.0]; 100]);
        assert!(tree.cells.len() < 50);
    }
}
