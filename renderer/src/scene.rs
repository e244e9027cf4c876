//! GPU-ready arrays for a graph: node data (position, flags, size), node instances and edge instances.

use bytemuck::{Pod, Zeroable};
use isg::{Graph, NodeId};

use crate::camera::{Bounds, Camera};
use crate::style::{NodeFlagsGpu, NodeStyles, edge_color};

/// Per-node instance attributes: 8 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct NodeInstance {
    /// `0xRRGGBBAA`.
    pub color: u32,
    /// [`crate::Shape`] as `u32`.
    pub shape: u32,
}

/// Per-edge instance attributes: 12 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Pod, Zeroable)]
pub struct EdgeInstance {
    /// Source node index.
    pub from: u32,
    /// Target node index.
    pub to: u32,
    /// `0xRRGGBBAA`.
    pub color: u32,
}

/// Width of the node-data texture; WebGL2 guarantees 2D textures at least this wide.
pub const NODE_TEXTURE_WIDTH: u32 = 2048;

/// Everything the GPU draws for one graph.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    /// Per node: `[x, y, flags, size]`, padded to whole texture rows.
    pub node_data: Vec<[f32; 4]>,
    /// Per node: colour and glyph.
    pub nodes: Vec<NodeInstance>,
    /// Per edge: endpoints and colour.
    pub edges: Vec<EdgeInstance>,
    node_count: usize,
}

impl Scene {
    /// Builds the arrays from a graph, its positions and node styles.
    #[must_use]
    pub fn build(graph: &Graph, positions: &[[f32; 2]], styles: &NodeStyles) -> Self {
        let n = graph.node_count();
        let rows = n.div_ceil(NODE_TEXTURE_WIDTH as usize).max(1);
        let mut node_data = vec![[0.0f32; 4]; rows * NODE_TEXTURE_WIDTH as usize];
        let mut nodes = Vec::with_capacity(n);
        for (i, data) in node_data.iter_mut().enumerate().take(n) {
            let p = positions.get(i).copied().unwrap_or([0.0, 0.0]);
            *data = [p[0], p[1], 0.0, styles.size[i]];
            nodes.push(NodeInstance { color: styles.color[i].0, shape: styles.shape[i] as u32 });
        }
        let kind_colors: Vec<u32> = graph.edge_kinds().iter().map(|k| edge_color(k).0).collect();
        let mut edges = Vec::with_capacity(graph.edge_count());
        for (from, to, kind) in graph.edges() {
            if from != to {
                edges.push(EdgeInstance { from: from.0, to: to.0, color: kind_colors[kind.0 as usize] });
            }
        }
        Self { node_data, nodes, edges, node_count: n }
    }

    /// Number of nodes drawn.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// Position of node `i`.
    #[must_use]
    pub fn position(&self, i: usize) -> [f32; 2] {
        let d = self.node_data[i];
        [d[0], d[1]]
    }

    /// Moves every node to `positions` (one per node).
    pub fn set_positions(&mut self, positions: &[[f32; 2]]) {
        for (d, p) in self.node_data.iter_mut().zip(positions) {
            d[0] = p[0];
            d[1] = p[1];
        }
    }

    /// Clears highlight bits, then sets `flags` on each listed node.
    pub fn set_highlight(&mut self, marked: &[(NodeId, u32)]) {
        for d in &mut self.node_data[..self.node_count] {
            d[2] = ((d[2] as u32) & NodeFlagsGpu::HIDDEN) as f32;
        }
        for &(n, flags) in marked {
            if let Some(d) = self.node_data.get_mut(n.index()) {
                d[2] = ((d[2] as u32) | flags) as f32;
            }
        }
    }

    /// Hides or shows one node (and so its edges).
    pub fn set_hidden(&mut self, n: NodeId, hidden: bool) {
        if let Some(d) = self.node_data.get_mut(n.index()) {
            let f = d[2] as u32;
            d[2] = if hidden { f | NodeFlagsGpu::HIDDEN } else { f & !NodeFlagsGpu::HIDDEN } as f32;
        }
    }

    /// The box around every node.
    #[must_use]
    pub fn bounds(&self) -> Bounds {
        let pts: Vec<[f32; 2]> = (0..self.node_count).map(|i| self.position(i)).collect();
        Bounds::around(&pts)
    }

    /// The visible node nearest to device pixel `px`, if one is within its drawn radius plus `slack_px`.
    #[must_use]
    pub fn pick(&self, camera: &Camera, px: [f32; 2], node_px: f32, slack_px: f32) -> Option<NodeId> {
        let mut best: Option<(f32, usize)> = None;
        for (i, d) in self.node_data[..self.node_count].iter().enumerate() {
            if (d[2] as u32) & NodeFlagsGpu::HIDDEN != 0 {
                continue;
            }
            let s = camera.world_to_screen([d[0], d[1]]);
            let dist = ((s[0] - px[0]).powi(2) + (s[1] - px[1]).powi(2)).sqrt();
            let radius = (d[3] * camera.scale).max(node_px) * 0.5 + slack_px;
            if dist <= radius && best.is_none_or(|(b, _)| dist < b) {
                best = Some((dist, i));
            }
        }
        best.map(|(_, i)| NodeId(i as u32))
    }

    /// Nodes whose centre falls inside a device-pixel rectangle (box select).
    #[must_use]
    pub fn pick_box(&self, camera: &Camera, a: [f32; 2], b: [f32; 2]) -> Vec<NodeId> {
        let (lo, hi) = ([a[0].min(b[0]), a[1].min(b[1])], [a[0].max(b[0]), a[1].max(b[1])]);
        (0..self.node_count)
            .filter(|&i| {
                let s = camera.world_to_screen(self.position(i));
                s[0] >= lo[0] && s[0] <= hi[0] && s[1] >= lo[1] && s[1] <= hi[1]
            })
            .map(|i| NodeId(i as u32))
            .collect()
    }

    /// Bytes the GPU holds for this scene: node texture, node instances, edge instances.
    #[must_use]
    pub fn gpu_bytes(&self) -> usize {
        self.node_data.len() * 16 + self.nodes.len() * 8 + self.edges.len() * 12
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isg::synth::{SynthSpec, generate};

    #[test]
    fn scene_fits_the_gpu_memory_budget_and_picks_the_nearest_node() {
        let g = generate(SynthSpec { nodes: 10_000, edges: 50_000, seed: 1 });
        let positions: Vec<[f32; 2]> = (0..g.node_count()).map(|i| [i as f32 * 10.0, 0.0]).collect();
        let mut scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
        let per_node = scene.node_data.len() * 16 / g.node_count() + 8;
        assert!(per_node <= 64, "{per_node} bytes per node");
        assert_eq!(size_of::<EdgeInstance>(), 12);

        let mut cam = Camera::new([1000.0, 1000.0]);
        cam.center = [50.0, 0.0];
        let at = cam.world_to_screen([50.0, 0.0]);
        assert_eq!(scene.pick(&cam, at, 6.0, 2.0), Some(NodeId(5)));
        assert_eq!(scene.pick(&cam, [at[0], at[1] + 200.0], 6.0, 2.0), None);
        scene.set_hidden(NodeId(5), true);
        assert_ne!(scene.pick(&cam, at, 6.0, 2.0), Some(NodeId(5)));
        let boxed = scene.pick_box(&cam, [at[0] - 25.0, at[1] - 5.0], [at[0] + 25.0, at[1] + 5.0]);
        assert_eq!(boxed, vec![NodeId(3), NodeId(4), NodeId(5), NodeId(6), NodeId(7)]);

        scene.set_highlight(&[(NodeId(3), NodeFlagsGpu::SELECTED)]);
        assert_eq!(scene.node_data[3][2] as u32, NodeFlagsGpu::SELECTED);
        assert_eq!(scene.node_data[5][2] as u32, NodeFlagsGpu::HIDDEN);
    }
}
