//! Multilevel force-directed layout (after Yifan Hu's scalable force-directed placement):
//! the graph is coarsened level by level by matching neighbours, the coarsest graph is laid out,
//! and each finer level starts from the coarser picture and is refined with Barnes–Hut repulsion
//! (O(n log n) per step) and springs along edges, with an adaptive step length that cools until the
//! picture is stable.
//!
//! Why multilevel: a plain force simulation needs hundreds of O(n log n) steps before a large graph
//! untangles; in an interpreter that is minutes. Coarse levels are cheap and settle the global shape,
//! so the full graph only needs a few dozen refinement steps.
//!
//! No dependencies, so the same code runs as a plugin in the wasmi sandbox and natively, which is
//! how the host measures the interpreter's cost.

mod coarsen;
mod pack;
mod tree;

use coarsen::Level;
use pack::Components;
use tree::Tree;

/// Tuning of one layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForceParams {
    /// Strength of node–node repulsion relative to the springs.
    pub repulsion: f32,
    /// Natural edge length of the full graph, in layout units.
    pub spring_length: f32,
    /// Pull towards the origin, so disconnected parts stay in view.
    pub gravity: f32,
    /// Barnes–Hut opening angle: larger is faster and coarser.
    pub theta: f32,
    /// A level is stable once its step length falls below this fraction of its edge length.
    /// Zero never counts as stable: every level runs `max_steps`.
    pub tolerance: f32,
    /// Most steps on one level.
    pub max_steps: u32,
}

impl Default for ForceParams {
    fn default() -> Self {
        Self { repulsion: 0.2, spring_length: 10.0, gravity: 0.1, theta: 1.5, tolerance: 0.02, max_steps: 200 }
    }
}

/// Stop coarsening at this many nodes.
const COARSEST: usize = 24;
/// Hu's cooling factor for the adaptive step length.
const COOLING: f32 = 0.9;
/// Finer levels start from a good picture and only cool.
const REFINE_COOLING: f32 = 0.7;
/// How much looser coarse levels may stop than the full graph.
const COARSE_TOLERANCE: f32 = 2.5;
/// Consecutive improving steps before the step length grows again.
const PATIENCE: u32 = 5;

/// What one call to [`ForceLayout::step`] did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepReport {
    /// The level just stepped: 0 is the full graph.
    pub level: usize,
    /// Whether that level became stable (or hit its step limit) and the layout moved one level finer.
    pub level_done: bool,
    /// Whether the whole layout is finished.
    pub finished: bool,
}

/// A running multilevel layout.
pub struct ForceLayout {
    params: ForceParams,
    /// Level 0 is the input graph; each next level is coarser.
    levels: Vec<Level>,
    components: Components,
    current: usize,
    /// Positions of the current level's nodes.
    pos: Vec<[f32; 2]>,
    forces: Vec<[f32; 2]>,
    tree: Tree,
    step_len: f32,
    energy: f32,
    improving: u32,
    steps_here: u32,
    steps_total: u32,
    finished: bool,
}

impl ForceLayout {
    /// Prepares the layout of `n` nodes; edges out of range and self-loops are ignored.
    pub fn new(n: usize, edges: &[[u32; 2]], params: ForceParams) -> Self {
        let components = Components::new(n, edges);
        let mut levels = vec![Level::input(n, edges, params.spring_length)];
        loop {
            let last = levels.last().expect("level 0 exists");
            if last.n <= COARSEST {
                break;
            }
            let next = last.coarsen(params.spring_length, n);
            // Matching has stalled (say, a graph of isolated pairs); more levels would not help.
            if next.n * 20 > last.n * 19 {
                break;
            }
            levels.push(next);
        }
        let current = levels.len() - 1;
        let top = &levels[current];
        let pos = sunflower(top.n, top.k);
        Self {
            params,
            components,
            forces: vec![[0.0; 2]; pos.len()],
            step_len: top.k,
            levels,
            current,
            pos,
            tree: Tree::default(),
            energy: f32::MAX,
            improving: 0,
            steps_here: 0,
            steps_total: 0,
            finished: n <= 1,
        }
    }

    /// Number of levels, the full graph included.
    pub fn level_count(&self) -> usize {
        self.levels.len()
    }

    /// The level being laid out: 0 is the full graph.
    pub fn level(&self) -> usize {
        self.current
    }

    /// Steps taken on the current level.
    pub fn level_steps(&self) -> u32 {
        self.steps_here
    }

    /// Steps taken so far, on all levels.
    pub fn steps(&self) -> u32 {
        self.steps_total
    }

    /// Whether the layout is finished.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Step length on the current level relative to its edge length: below the tolerance is stable.
    pub fn temperature(&self) -> f32 {
        self.step_len / self.levels[self.current].k
    }

    /// Positions of the full graph's nodes: while a coarse level runs, each node sits where its
    /// cluster is. Disconnected components are packed around the biggest one.
    pub fn positions(&self) -> Vec<[f32; 2]> {
        let mut out: Vec<[f32; 2]> = if self.current == 0 {
            self.pos.clone()
        } else {
            (0..self.levels[0].n)
                .map(|i| {
                    let mut at = i as u32;
                    for level in &self.levels[1..=self.current] {
                        at = level.parent_of[at as usize];
                    }
                    self.pos[at as usize]
                })
                .collect()
        };
        self.components.pack(&mut out, 2.0 * self.params.spring_length);
        out
    }

    /// Runs to the end and returns the positions.
    pub fn run(mut self) -> Vec<[f32; 2]> {
        while !self.finished {
            self.step();
        }
        self.positions()
    }

    /// One step on the current level; moves to the next finer level when this one is stable.
    pub fn step(&mut self) -> StepReport {
        let level = self.current;
        if self.finished {
            return StepReport { level, level_done: false, finished: true };
        }
        let energy = self.apply_forces();
        if self.current + 1 == self.levels.len() {
            // Hu's adaptive step on the coarsest level: grow after a run of improving steps, cool
            // on any setback.
            if energy < self.energy {
                self.improving += 1;
                if self.improving >= PATIENCE {
                    self.improving = 0;
                    self.step_len /= COOLING;
                }
            } else {
                self.improving = 0;
                self.step_len *= COOLING;
            }
        } else {
            // Finer levels start from the coarser picture, which is already roughly right: they
            // only cool, and fast.
            self.step_len *= REFINE_COOLING;
        }
        self.energy = energy;
        self.steps_here += 1;
        self.steps_total += 1;
        let k = self.levels[level].k;
        // Coarse levels only need the rough shape; the full graph is refined to the tolerance.
        let tolerance = if level == 0 { self.params.tolerance } else { self.params.tolerance * COARSE_TOLERANCE };
        let stable = self.step_len < tolerance * k;
        if !stable && self.steps_here < self.params.max_steps {
            return StepReport { level, level_done: false, finished: false };
        }
        if level == 0 {
            self.finished = true;
        } else {
            self.refine();
        }
        StepReport { level, level_done: true, finished: self.finished }
    }

    /// Moves every node by the step length along its net force; returns the energy Σ|f|².
    fn apply_forces(&mut self) -> f32 {
        let level = &self.levels[self.current];
        let k = level.k;
        let p = &self.params;
        self.tree.build(&self.pos);
        let repel = p.repulsion * k * k;
        let pull = p.gravity * p.repulsion;
        // Softening keeps two nearly coincident nodes from flinging each other across the picture.
        self.tree.repulsion(&mut self.forces, p.theta, 0.01 * k * k);
        for (f, q) in self.forces.iter_mut().zip(&self.pos) {
            *f = [repel * f[0] - pull * q[0], repel * f[1] - pull * q[1]];
        }
        for (&[a, b], &w) in level.edges.iter().zip(&level.weights) {
            let (pa, pb) = (self.pos[a as usize], self.pos[b as usize]);
            let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
            // |f| = w d² / k along the edge.
            let s = w * (dx * dx + dy * dy).sqrt() / k;
            let (fx, fy) = (dx * s, dy * s);
            self.forces[a as usize][0] += fx;
            self.forces[a as usize][1] += fy;
            self.forces[b as usize][0] -= fx;
            self.forces[b as usize][1] -= fy;
        }
        let mut energy = 0.0;
        for (q, f) in self.pos.iter_mut().zip(&self.forces) {
            let f2 = f[0] * f[0] + f[1] * f[1];
            if f2 > 0.0 && f2.is_finite() {
                energy += f2;
                let s = self.step_len / f2.sqrt();
                q[0] += f[0] * s;
                q[1] += f[1] * s;
            }
        }
        energy
    }

    /// Places the next finer level's nodes around their clusters and restarts the cooling.
    fn refine(&mut self) {
        let coarse = &self.levels[self.current];
        let fine = &self.levels[self.current - 1];
        let spread = 0.3 * fine.k;
        let golden = core::f32::consts::PI * (3.0 - 5f32.sqrt());
        let pos: Vec<[f32; 2]> = coarse
            .parent_of
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let [x, y] = self.pos[c as usize];
                let a = i as f32 * golden;
                [x + spread * a.cos(), y + spread * a.sin()]
            })
            .collect();
        self.current -= 1;
        self.forces.resize(pos.len(), [0.0; 2]);
        self.pos = pos;
        // The coarse picture is already roughly right: refine gently.
        self.step_len = 0.4 * fine.k;
        self.energy = f32::MAX;
        self.improving = 0;
        self.steps_here = 0;
    }
}

/// `n` points on a sunflower spiral `spacing` apart: deterministic and overlap-free.
pub fn sunflower(n: usize, spacing: f32) -> Vec<[f32; 2]> {
    let golden = core::f32::consts::PI * (3.0 - 5f32.sqrt());
    (0..n)
        .map(|i| {
            let r = spacing * (i as f32 + 0.5).sqrt();
            let a = i as f32 * golden;
            [r * a.cos(), r * a.sin()]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(p: &[[f32; 2]], a: usize, b: usize) -> f32 {
        ((p[a][0] - p[b][0]).powi(2) + (p[a][1] - p[b][1]).powi(2)).sqrt()
    }

    /// A deterministic graph of `n` nodes in clusters of 50, with `m` edges, 49 in 50 inside a cluster.
    fn clustered(n: u32, m: usize) -> Vec<[u32; 2]> {
        let mut s = 0x9e37_79b9_u32;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s
        };
        (0..m)
            .map(|_| {
                let a = next() % n;
                let b = if next() % 50 < 49 { (a / 50 * 50 + next() % 50).min(n - 1) } else { next() % n };
                [a, b]
            })
            .collect()
    }

    #[test]
    fn one_hub_does_not_collapse_the_picture() {
        // Ten chains of 30 nodes; then the same with every node also calling one hub (like a
        // merged `unwrap`). Undamped, the hub folds every chain into a clump around itself (ends
        // 24 apart instead of 270); damped, the chains stay unfolded and apart.
        let chains: Vec<[u32; 2]> =
            (0..10u32).flat_map(|c| (0..29).map(move |i| [c * 30 + i, c * 30 + i + 1])).collect();
        let shape = |edges: &[[u32; 2]]| {
            let p = ForceLayout::new(301, edges, ForceParams::default()).run();
            assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
            let edge = chains.iter().map(|e| dist(&p, e[0] as usize, e[1] as usize)).sum::<f32>() / 290.0;
            let ends = (0..10).map(|c| dist(&p, c * 30, c * 30 + 29)).sum::<f32>() / 10.0;
            let apart = (0..300).map(|i| dist(&p, i, (i + 30 * (1 + i % 9)) % 300)).sum::<f32>() / 300.0;
            (edge, ends, apart)
        };
        let (edge, ends, _) = shape(&chains);
        let mut with_hub = chains.clone();
        with_hub.extend((0..300).map(|i| [i, 300]));
        let (hub_edge, hub_ends, hub_apart) = shape(&with_hub);
        assert!(hub_ends > 0.5 * ends, "chains folded: ends {hub_ends} apart against {ends} without the hub");
        assert!(hub_edge > 0.6 * edge, "chain edges shrank to {hub_edge} from {edge}");
        assert!(hub_apart > 10.0 * hub_edge, "chains {hub_apart} apart, edges {hub_edge}");
    }

    #[test]
    fn a_chain_unfolds_and_edges_are_shorter_than_random_pairs() {
        let edges: Vec<[u32; 2]> = (0..199).map(|i| [i, i + 1]).collect();
        let p = ForceLayout::new(200, &edges, ForceParams::default()).run();
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        let edge = (0..199).map(|i| dist(&p, i, i + 1)).sum::<f32>() / 199.0;
        // Unfolded: the ends are far apart compared with one edge.
        assert!(dist(&p, 0, 199) > 20.0 * edge, "ends {} apart, edges {edge}", dist(&p, 0, 199));
    }

    #[test]
    fn clusters_come_out_compact_and_the_layout_settles() {
        let n = 3_000;
        let edges = clustered(n, 15_000);
        let mut layout = ForceLayout::new(n as usize, &edges, ForceParams::default());
        assert!(layout.level_count() >= 5, "{} levels", layout.level_count());
        let mut fine_steps = 0;
        while !layout.step().finished {
            fine_steps += u32::from(layout.level() == 0);
        }
        assert!(fine_steps < ForceParams::default().max_steps, "stable before the step limit ({fine_steps})");
        let p = layout.positions();
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        // Clusters come out compact: edges inside a cluster are far shorter than random pairs.
        let inside: Vec<f32> =
            edges.iter().filter(|e| e[0] / 50 == e[1] / 50).map(|e| dist(&p, e[0] as usize, e[1] as usize)).collect();
        let edge = inside.iter().sum::<f32>() / inside.len() as f32;
        let pairs = (0..n as usize).map(|i| dist(&p, i, (i * 7919 + 13) % n as usize)).sum::<f32>() / n as f32;
        // A run ten times as long reaches 5.8; this schedule 7.3.
        assert!(edge * 5.0 < pairs, "edges in a cluster {edge} against random pairs {pairs}");
        // Nodes do not pile up: few pairs of cluster mates sit closer than a tenth of an edge.
        let piled = (0..n as usize).filter(|&i| i % 50 != 49 && dist(&p, i, i + 1) < 1.0).count();
        assert!(piled < n as usize / 20, "{piled} nodes piled on a neighbour");
    }

    #[test]
    fn disconnected_parts_and_isolated_nodes_stay_in_view() {
        let mut edges: Vec<[u32; 2]> = (0..99).map(|i| [i, i + 1]).collect();
        edges.extend((100..199).map(|i| [i, i + 1]));
        // 300 nodes, 100 of them isolated.
        let p = ForceLayout::new(300, &edges, ForceParams::default()).run();
        let far = p.iter().map(|q| (q[0] * q[0] + q[1] * q[1]).sqrt()).fold(0.0, f32::max);
        assert!(far < 10.0 * 10.0 * 300f32.sqrt(), "a node drifted {far} away");
        // The lone nodes make a compact block: a small part of the picture, not a third of it.
        let area = |pts: &[[f32; 2]]| {
            let (lo, hi) = pts.iter().fold(([f32::MAX; 2], [f32::MIN; 2]), |(lo, hi), q| {
                ([lo[0].min(q[0]), lo[1].min(q[1])], [hi[0].max(q[0]), hi[1].max(q[1])])
            });
            (hi[0] - lo[0]) * (hi[1] - lo[1])
        };
        let (lone, all) = (area(&p[200..]), area(&p));
        assert!(lone < all * 0.15, "the lone block covers {:.0}% of the picture", 100.0 * lone / all);
    }

    #[test]
    fn degenerate_inputs() {
        assert!(ForceLayout::new(0, &[], ForceParams::default()).run().is_empty());
        assert_eq!(ForceLayout::new(1, &[[0, 0]], ForceParams::default()).run().len(), 1);
        // Edges out of range and self-loops are ignored; coincident starts separate.
        let p = ForceLayout::new(40, &[[0, 99], [3, 3], [1, 2]], ForceParams::default()).run();
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        assert!(dist(&p, 5, 6) > 0.5);
    }
}
