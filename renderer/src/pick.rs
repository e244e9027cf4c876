//! A uniform grid over node positions, so picking under the pointer touches a handful of nodes
//! instead of all of them: hover stays inside one frame at 100k nodes.

use crate::gpu_bits::NodeFlagsGpu;

/// Nodes bucketed by grid cell, in compressed rows.
#[derive(Clone, Debug, Default)]
pub struct PickGrid {
    origin: [f32; 2],
    cell: f32,
    cols: usize,
    rows: usize,
    starts: Vec<u32>,
    items: Vec<u32>,
    max_size: f32,
}

/// The grid never grows past this many cells, however spread out the nodes are.
const MAX_CELLS: usize = 1 << 20;

impl PickGrid {
    /// Buckets `node_data` (`[x, y, flags, size]` per node) into cells of about `cell` world units.
    #[must_use]
    pub fn build(node_data: &[[f32; 4]], cell: f32) -> Self {
        if node_data.is_empty() {
            return Self::default();
        }
        let finite = |d: &&[f32; 4]| d[0].is_finite() && d[1].is_finite();
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for d in node_data.iter().filter(finite) {
            lo = [lo[0].min(d[0]), lo[1].min(d[1])];
            hi = [hi[0].max(d[0]), hi[1].max(d[1])];
        }
        if !lo[0].is_finite() {
            lo = [0.0; 2];
            hi = [0.0; 2];
        }
        let extent = [(hi[0] - lo[0]).max(1e-3), (hi[1] - lo[1]).max(1e-3)];
        let mut cell = cell.max(1e-3);
        while f64::from(extent[0] / cell) * f64::from(extent[1] / cell) > MAX_CELLS as f64 {
            cell *= 2.0;
        }
        let cols = (extent[0] / cell) as usize + 1;
        let rows = (extent[1] / cell) as usize + 1;
        let mut grid =
            Self { origin: lo, cell, cols, rows, starts: vec![0; cols * rows + 1], items: Vec::new(), max_size: 0.0 };
        let cell_of: Vec<u32> = node_data.iter().map(|d| grid.cell_index([d[0], d[1]]) as u32).collect();
        for &c in &cell_of {
            grid.starts[c as usize + 1] += 1;
        }
        for i in 0..cols * rows {
            grid.starts[i + 1] += grid.starts[i];
        }
        let mut fill = grid.starts.clone();
        grid.items = vec![0; node_data.len()];
        for (i, &c) in cell_of.iter().enumerate() {
            grid.items[fill[c as usize] as usize] = i as u32;
            fill[c as usize] += 1;
        }
        // A box reaches its aspect times further sideways than its height.
        let reach = |d: &[f32; 4]| d[3] * NodeFlagsGpu::box_aspect(d[2] as u32).unwrap_or(1.0);
        grid.max_size = node_data.iter().map(reach).filter(|s| s.is_finite()).fold(0.0, f32::max);
        grid
    }

    /// The largest node extent (a box's width), in world units: how far beyond a cell a node can reach.
    #[must_use]
    pub fn max_size(&self) -> f32 {
        self.max_size
    }

    fn clamp_col(&self, x: f32) -> usize {
        if x.is_finite() { (((x - self.origin[0]) / self.cell).max(0.0) as usize).min(self.cols - 1) } else { 0 }
    }

    fn clamp_row(&self, y: f32) -> usize {
        if y.is_finite() { (((y - self.origin[1]) / self.cell).max(0.0) as usize).min(self.rows - 1) } else { 0 }
    }

    fn cell_index(&self, p: [f32; 2]) -> usize {
        self.clamp_row(p[1]) * self.cols + self.clamp_col(p[0])
    }

    /// Calls `f` with every node whose cell lies within `radius` world units of `p` (a superset of
    /// the nodes within `radius`).
    pub fn for_each_near(&self, p: [f32; 2], radius: f32, f: impl FnMut(u32)) {
        self.for_each_in([p[0] - radius, p[1] - radius], [p[0] + radius, p[1] + radius], f);
    }

    /// Calls `f` with every node whose cell overlaps the world rectangle `lo..hi`.
    pub fn for_each_in(&self, lo: [f32; 2], hi: [f32; 2], mut f: impl FnMut(u32)) {
        if self.items.is_empty() {
            return;
        }
        let (c0, c1) = (self.clamp_col(lo[0]), self.clamp_col(hi[0]));
        let (r0, r1) = (self.clamp_row(lo[1]), self.clamp_row(hi[1]));
        for r in r0..=r1 {
            let from = self.starts[r * self.cols + c0] as usize;
            let to = self.starts[r * self.cols + c1 + 1] as usize;
            for &i in &self.items[from..to] {
                f(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_node_lands_in_exactly_one_cell_and_queries_find_it() {
        let data: Vec<[f32; 4]> = (0..1000).map(|i| [(i % 37) as f32 * 3.0, (i / 37) as f32 * 2.0, 0.0, 1.0]).collect();
        let grid = PickGrid::build(&data, 4.0);
        let mut seen = vec![0; data.len()];
        grid.for_each_in([-1e9, -1e9], [1e9, 1e9], |i| seen[i as usize] += 1);
        assert!(seen.iter().all(|&s| s == 1));
        let mut near = Vec::new();
        grid.for_each_near([30.0, 20.0], 0.5, |i| near.push(i));
        assert!(near.contains(&(10 * 37 + 10)), "{near:?}");
        assert!(near.len() < 20, "a small query touches few nodes: {}", near.len());
    }

    #[test]
    fn non_finite_and_extreme_positions_do_not_break_the_grid() {
        let data = vec![[f32::NAN, 0.0, 0.0, 1.0], [1e30, -1e30, 0.0, 1.0], [0.0, 0.0, 0.0, f32::INFINITY]];
        let grid = PickGrid::build(&data, 0.001);
        let mut count = 0;
        grid.for_each_in([-1e38, -1e38], [1e38, 1e38], |_| count += 1);
        assert_eq!(count, 3);
        assert!(grid.cols * grid.rows <= MAX_CELLS * 4);
    }
}
