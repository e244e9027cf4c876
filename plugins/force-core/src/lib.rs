//! Barnes–Hut force-directed layout: O(n log n) repulsion through a quadtree, springs along edges,
//! and a weak pull to the centre. No dependencies, so the same code runs as a plugin in the wasmi
//! sandbox and natively, which is how the host measures the interpreter's cost.

/// Tuning of one simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForceParams {
    /// Strength of node–node repulsion.
    pub repulsion: f32,
    /// Spring stiffness along edges.
    pub spring: f32,
    /// Rest length of a spring.
    pub spring_length: f32,
    /// Pull towards the origin, keeping components together.
    pub gravity: f32,
    /// Barnes–Hut opening angle: larger is faster and coarser.
    pub theta: f32,
    /// Largest move of a node in one step.
    pub max_step: f32,
}

impl Default for ForceParams {
    fn default() -> Self {
        Self { repulsion: 30.0, spring: 0.05, spring_length: 10.0, gravity: 0.01, theta: 0.9, max_step: 5.0 }
    }
}

const NONE: u32 = u32::MAX;
/// Springs at nodes up to this degree pull at full strength.
const HUB_FREE_DEGREE: f32 = 16.0;
/// Deeper than this, coincident points share a leaf instead of splitting forever.
const MAX_DEPTH: u32 = 24;

#[derive(Clone, Copy)]
struct Cell {
    cx: f32,
    cy: f32,
    half: f32,
    mass: f32,
    mx: f32,
    my: f32,
    child: [u32; 4],
    body: u32,
}

impl Cell {
    fn new(cx: f32, cy: f32, half: f32) -> Self {
        Self { cx, cy, half, mass: 0.0, mx: 0.0, my: 0.0, child: [NONE; 4], body: NONE }
    }

    fn quadrant(&self, p: [f32; 2]) -> usize {
        usize::from(p[0] >= self.cx) | (usize::from(p[1] >= self.cy) << 1)
    }

    fn child_cell(&self, q: usize) -> Self {
        let h = self.half / 2.0;
        let dx = if q & 1 == 1 { h } else { -h };
        let dy = if q & 2 == 2 { h } else { -h };
        Self::new(self.cx + dx, self.cy + dy, h)
    }
}

/// A running simulation.
pub struct Simulation {
    /// Current positions.
    pub positions: Vec<[f32; 2]>,
    edges: Vec<[u32; 2]>,
    /// Spring strength per edge: weaker on edges that touch a hub.
    weights: Vec<f32>,
    cells: Vec<Cell>,
    forces: Vec<[f32; 2]>,
    stack: Vec<u32>,
}

impl Simulation {
    /// Starts `n` nodes on a sunflower spiral (deterministic and overlap-free).
    pub fn new(n: usize, edges: Vec<[u32; 2]>, spacing: f32) -> Self {
        let golden = core::f32::consts::PI * (3.0 - 5f32.sqrt());
        let positions = (0..n)
            .map(|i| {
                let r = spacing * (i as f32 + 0.5).sqrt();
                let a = i as f32 * golden;
                [r * a.cos(), r * a.sin()]
            })
            .collect();
        let edges: Vec<[u32; 2]> =
            edges.into_iter().filter(|e| (e[0] as usize) < n && (e[1] as usize) < n && e[0] != e[1]).collect();
        let mut degree = vec![0u32; n];
        for e in &edges {
            degree[e[0] as usize] += 1;
            degree[e[1] as usize] += 1;
        }
        // A hub's thousands of springs would drag every neighbour into one clump; springs that
        // touch a node of degree d pull with strength sqrt(HUB_FREE_DEGREE / d) past that degree.
        let weights = edges
            .iter()
            .map(|e| {
                let d = degree[e[0] as usize].max(degree[e[1] as usize]) as f32;
                (HUB_FREE_DEGREE / d).sqrt().min(1.0)
            })
            .collect();
        Self { positions, edges, weights, cells: Vec::new(), forces: vec![[0.0; 2]; n], stack: Vec::new() }
    }

    /// Continues from given positions.
    pub fn with_positions(positions: Vec<[f32; 2]>, edges: Vec<[u32; 2]>) -> Self {
        let n = positions.len();
        let mut sim = Self::new(n, edges, 1.0);
        sim.positions = positions;
        sim
    }

    fn build_tree(&mut self) {
        self.cells.clear();
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in &self.positions {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0).max(1.0) * 1.01;
        self.cells.push(Cell::new((lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0, half));
        for i in 0..self.positions.len() {
            self.insert(i as u32);
        }
    }

    fn insert(&mut self, body: u32) {
        let p = self.positions[body as usize];
        let mut at = 0usize;
        let mut depth = 0;
        loop {
            let cell = &mut self.cells[at];
            cell.mx += p[0];
            cell.my += p[1];
            cell.mass += 1.0;
            let is_leaf = cell.child == [NONE; 4];
            if is_leaf && cell.body == NONE && cell.mass == 1.0 {
                cell.body = body;
                return;
            }
            if is_leaf && depth >= MAX_DEPTH {
                return;
            }
            if is_leaf {
                // Push the resident body one level down before descending.
                let resident = cell.body;
                cell.body = NONE;
                if resident != NONE {
                    self.add_leaf(at, resident);
                }
            }
            let q = self.cells[at].quadrant(p);
            let next = self.cells[at].child[q];
            if next == NONE {
                self.add_leaf(at, body);
                return;
            }
            at = next as usize;
            depth += 1;
        }
    }

    /// Hangs a new leaf holding only `body` under cell `parent`, in the quadrant of its position.
    fn add_leaf(&mut self, parent: usize, body: u32) {
        let p = self.positions[body as usize];
        let q = self.cells[parent].quadrant(p);
        let mut child = self.cells[parent].child_cell(q);
        child.mass = 1.0;
        child.mx = p[0];
        child.my = p[1];
        child.body = body;
        self.cells[parent].child[q] = self.cells.len() as u32;
        self.cells.push(child);
    }

    /// One step; returns the mean distance a node moved.
    pub fn step(&mut self, params: &ForceParams) -> f32 {
        let n = self.positions.len();
        if n == 0 {
            return 0.0;
        }
        self.build_tree();
        let theta2 = params.theta * params.theta;
        for i in 0..n {
            let p = self.positions[i];
            let mut f = [-params.gravity * p[0], -params.gravity * p[1]];
            self.stack.clear();
            self.stack.push(0);
            while let Some(c) = self.stack.pop() {
                let cell = &self.cells[c as usize];
                if cell.body == i as u32 && cell.mass == 1.0 {
                    continue;
                }
                let (mx, my) = (cell.mx / cell.mass, cell.my / cell.mass);
                let (dx, dy) = (p[0] - mx, p[1] - my);
                let d2 = dx * dx + dy * dy + 0.01;
                let size = cell.half * 2.0;
                let leaf = cell.child == [NONE; 4];
                if leaf || size * size < theta2 * d2 {
                    let s = params.repulsion * cell.mass / d2;
                    f[0] += dx * s;
                    f[1] += dy * s;
                } else {
                    self.stack.extend(cell.child.iter().copied().filter(|&c| c != NONE));
                }
            }
            self.forces[i] = f;
        }
        for (&[a, b], &w) in self.edges.iter().zip(&self.weights) {
            let (pa, pb) = (self.positions[a as usize], self.positions[b as usize]);
            let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let s = params.spring * w * (d - params.spring_length) / d;
            self.forces[a as usize][0] += dx * s;
            self.forces[a as usize][1] += dy * s;
            self.forces[b as usize][0] -= dx * s;
            self.forces[b as usize][1] -= dy * s;
        }
        let mut moved = 0.0;
        for (p, f) in self.positions.iter_mut().zip(&self.forces) {
            let len = (f[0] * f[0] + f[1] * f[1]).sqrt();
            let scale = if len > params.max_step { params.max_step / len } else { 1.0 };
            if scale.is_finite() {
                p[0] += f[0] * scale;
                p[1] += f[1] * scale;
                moved += len.min(params.max_step);
            }
        }
        moved / n as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hub_does_not_collapse_the_picture() {
        // Ten chains of 30 nodes; then the same with every node also calling one hub (like a
        // merged `unwrap`). The chains should spread about as far as without the hub.
        let chains: Vec<[u32; 2]> =
            (0..10u32).flat_map(|c| (0..29).map(move |i| [c * 30 + i, c * 30 + i + 1])).collect();
        let spread = |edges: Vec<[u32; 2]>| {
            let mut sim = Simulation::new(301, edges, 10.0);
            for _ in 0..400 {
                sim.step(&ForceParams::default());
            }
            let p = &sim.positions[..300];
            assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
            let c = [p.iter().map(|q| q[0]).sum::<f32>() / 300.0, p.iter().map(|q| q[1]).sum::<f32>() / 300.0];
            p.iter().map(|q| ((q[0] - c[0]).powi(2) + (q[1] - c[1]).powi(2)).sqrt()).sum::<f32>() / 300.0
        };
        let alone = spread(chains.clone());
        let mut with_hub = chains;
        with_hub.extend((0..300).map(|i| [i, 300]));
        let hubbed = spread(with_hub);
        assert!(hubbed > alone * 0.6, "the hub pulled the chains together: spread {hubbed} against {alone} without it");
    }

    #[test]
    fn springs_pull_connected_nodes_together_and_nothing_is_nan() {
        let edges: Vec<[u32; 2]> = (0..99).map(|i| [i, i + 1]).collect();
        let mut sim = Simulation::new(100, edges, 10.0);
        let dist = |s: &Simulation| {
            let (a, b) = (s.positions[0], s.positions[99]);
            ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
        };
        let mut last = f32::MAX;
        for _ in 0..300 {
            last = sim.step(&ForceParams::default());
        }
        assert!(sim.positions.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
        assert!(last < 1.0, "settles: mean move {last}");
        // Coincident points do not blow up.
        let mut sim = Simulation::with_positions(vec![[0.0, 0.0]; 50], vec![]);
        sim.step(&ForceParams::default());
        assert!(sim.positions.iter().all(|p| p[0].is_finite()));
        assert!(dist(&Simulation::new(100, vec![], 10.0)) > 0.0);
    }
}
