//! Building a [`Scene`] in phases, so a page can give the browser a turn between them: on the
//! 179k-node registry the whole build is over a hundred milliseconds in wasm, each phase a
//! fraction of it.

use isg::{Graph, ModuleId, NodeId, quotient};

use super::{
    AGGREGATE_MIN_NODES, Aggregates, EdgeInstance, NODE_TEXTURE_WIDTH, NodeInstance, Scene, default_edge_looks,
    edge_instance, group_color, node_instance,
};
use crate::gpu_bits::{EdgeStyleBits, NodeInstanceBits};
use crate::pick::PickGrid;
use crate::style::{NodeStyles, Rgba};

/// The coarsest module depth whose group count stays under this is used for aggregates.
pub(super) const MAX_GROUPS: usize = 4000;

/// Aggregate edges kept, heaviest first: far out, thousands of one-call links between modules are
/// fog that costs a full-length streak of fragments each.
pub(super) const MAX_AGGREGATE_EDGES: usize = 6000;

/// What [`SceneBuilder::step`] does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Aggregates,
    Nodes,
    Order,
    Edges,
    Incident,
    Positions,
    Done,
}

/// A [`Scene`] being built, one phase per [`SceneBuilder::step`].
pub struct SceneBuilder {
    positions: Vec<[f32; 2]>,
    styles: NodeStyles,
    phase: Phase,
    scene: Scene,
}

impl SceneBuilder {
    /// Starts building the scene of `graph` with these positions and node styles; nothing heavy
    /// runs until [`SceneBuilder::step`].
    #[must_use]
    pub fn new(graph: &Graph, positions: Vec<[f32; 2]>, styles: NodeStyles) -> Self {
        let scene = Scene {
            node_data: Vec::new(),
            nodes: Vec::new(),
            edges: Vec::new(),
            aggregates: Aggregates::default(),
            outlines: crate::module_map::ModuleOutlines::default(),
            labels: std::collections::BTreeMap::new(),
            overlays: Vec::new(),
            legend: Vec::new(),
            by_degree: Vec::new(),
            highlighted: Vec::new(),
            boxes: Vec::new(),
            node_count: graph.node_count(),
            spacing: 1.0,
            grid: PickGrid::default(),
            incident_start: Vec::new(),
            incident: Vec::new(),
            hull_vertices: Vec::new(),
            edge_kind: Vec::new(),
            hidden_edge_kinds: Vec::new(),
            routes: super::routes::Routes::default(),
            bundles: super::routes::Bundles::default(),
            emphasis: None,
            emphasized: Vec::new(),
        };
        Self { positions, styles, phase: Phase::Aggregates, scene }
    }

    /// Runs the next phase on `graph` (the graph given to [`SceneBuilder::new`]); `true` once the
    /// scene is complete.
    pub fn step(&mut self, graph: &Graph) -> bool {
        debug_assert_eq!(graph.node_count(), self.scene.node_count, "a builder serves the graph it was made for");
        let n = self.scene.node_count;
        let scene = &mut self.scene;
        self.phase = match self.phase {
            Phase::Aggregates => {
                scene.aggregates = build_aggregates(graph);
                scene.outlines = crate::module_map::ModuleOutlines::new(graph);
                let base = (n + scene.aggregates.len()) as u32;
                scene.bundles = super::routes::Bundles::new(
                    &scene.aggregates.edges,
                    &scene.aggregates.modules,
                    &scene.outlines,
                    base,
                    n,
                );
                Phase::Nodes
            }
            Phase::Nodes => {
                let slots = n + scene.aggregates.len() + scene.bundles.bends();
                let rows = slots.div_ceil(NODE_TEXTURE_WIDTH as usize).max(1);
                scene.node_data = vec![[0.0f32; 4]; rows * NODE_TEXTURE_WIDTH as usize];
                for (i, data) in scene.node_data.iter_mut().enumerate().take(n) {
                    let p = self.positions.get(i).copied().unwrap_or([0.0, 0.0]);
                    *data = [p[0], p[1], 0.0, self.styles.size[i]];
                }
                scene.nodes = (0..n).map(|i| node_instance(i as u32, &self.styles.look(i))).collect();
                Phase::Order
            }
            Phase::Order => {
                let mut by_degree: Vec<u32> = (0..n as u32).collect();
                by_degree.sort_by_key(|&i| std::cmp::Reverse(graph.in_degree(NodeId(i)) + graph.out_degree(NodeId(i))));
                scene.by_degree = by_degree;
                Phase::Edges
            }
            Phase::Edges => {
                scene.edges = default_edges(graph);
                scene.edge_kind = graph.edges().map(|(_, _, kind)| kind.0).collect();
                Phase::Incident
            }
            Phase::Incident => {
                incident_lists(scene);
                Phase::Positions
            }
            Phase::Positions => {
                scene.positions_changed();
                Phase::Done
            }
            Phase::Done => Phase::Done,
        };
        self.phase == Phase::Done
    }

    /// Runs the phases left and returns the scene.
    #[must_use]
    pub fn finish(mut self, graph: &Graph) -> Scene {
        while !self.step(graph) {}
        self.scene
    }
}

/// Edge ids by endpoint, compressed, for drawing only the edges that touch the view.
fn incident_lists(scene: &mut Scene) {
    let n = scene.node_count;
    let mut start = vec![0u32; n + 1];
    for e in &scene.edges {
        start[e.from as usize + 1] += 1;
        if e.to != e.from {
            start[e.to as usize + 1] += 1;
        }
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut incident = vec![0u32; start[n] as usize];
    for (id, e) in scene.edges.iter().enumerate() {
        for v in if e.to == e.from { [e.from, u32::MAX] } else { [e.from, e.to] } {
            if v != u32::MAX {
                incident[fill[v as usize] as usize] = id as u32;
                fill[v as usize] += 1;
            }
        }
    }
    scene.incident_start = start;
    scene.incident = incident;
}

pub(super) fn default_edges(graph: &Graph) -> Vec<EdgeInstance> {
    graph
        .edges()
        .zip(default_edge_looks(graph))
        .map(|((from, to, _), look)| edge_instance(from.0, to.0, &look))
        .collect()
}

/// Groups nodes by module at the deepest level that keeps the group count manageable, and joins
/// groups with one weighted edge per connected pair.
fn build_aggregates(graph: &Graph) -> Aggregates {
    let n = graph.node_count();
    if n < AGGREGATE_MIN_NODES {
        return Aggregates::default();
    }
    let tree = graph.modules();
    let mut depth = tree.max_depth();
    while depth > 0 {
        let mut seen = vec![false; tree.len()];
        let mut count = 0;
        for node in graph.nodes() {
            let m = tree.ancestor_at(tree.module_of(node), depth).0 as usize;
            if !seen[m] {
                seen[m] = true;
                count += 1;
            }
        }
        if count <= MAX_GROUPS {
            break;
        }
        depth -= 1;
    }
    let q = quotient(graph, depth);
    if q.groups.len() < 2 {
        return Aggregates::default();
    }
    let base = n as u32;
    let names: Vec<String> =
        q.groups.iter().map(|&m: &ModuleId| tree.file_path(m, graph.strings()).to_owned()).collect();
    let nodes = (0..q.groups.len())
        .map(|g| NodeInstance {
            index: base + g as u32,
            color: group_color(g).with_alpha(0xb0).0,
            halo: 0,
            shape: NodeInstanceBits::AGGREGATE,
        })
        .collect();
    let mut heaviest = q.edges.clone();
    heaviest.sort_by_key(|&(a, b, w)| (std::cmp::Reverse(w), a, b));
    heaviest.truncate(MAX_AGGREGATE_EDGES);
    let edges = heaviest
        .iter()
        .map(|&(a, b, w)| EdgeInstance {
            from: base + a,
            to: base + b,
            color: Rgba::new(0x9a, 0xa8, 0xc0, 0x70).0,
            style: EdgeStyleBits::pack(1.0 + (w as f32).log2().max(0.0) * 0.75, EdgeStyleBits::AGGREGATE),
        })
        .collect();
    Aggregates { node_group: q.node_group, names, modules: q.groups, sizes: q.group_sizes, nodes, edges }
}

#[cfg(test)]
mod tests {
    use isg::synth::{SynthSpec, generate};

    use super::*;

    #[test]
    fn a_builder_runs_in_phases_and_makes_the_whole_scene() {
        let g = generate(SynthSpec { nodes: 3000, edges: 12_000, seed: 7 });
        let positions: Vec<[f32; 2]> = (0..g.node_count()).map(|i| [(i % 60) as f32, (i / 60) as f32]).collect();
        let mut builder = SceneBuilder::new(&g, positions.clone(), NodeStyles::by_kind(&g));
        let mut phases = 1;
        while !builder.step(&g) {
            phases += 1;
        }
        assert!(phases >= 5, "{phases} phases");
        assert!(builder.step(&g), "a finished builder stays finished");
        let stepped = builder.finish(&g);
        let whole = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
        assert_eq!(stepped.node_data, whole.node_data);
        assert_eq!(stepped.nodes, whole.nodes);
        assert_eq!(stepped.edges, whole.edges);
        assert_eq!(stepped.by_degree, whole.by_degree);
        assert_eq!(stepped.incident, whole.incident);
        assert!(stepped.aggregates.len() >= 2, "3000 nodes are drawn as modules far out");
        assert_eq!(stepped.edges.len(), g.edge_count());
    }
}
