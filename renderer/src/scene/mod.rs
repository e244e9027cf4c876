//! GPU-ready arrays for a graph: node data (position, flags, size), node and edge instances, the
//! module aggregates drawn when zoomed far out, the style in force and a picking grid.

use std::collections::BTreeMap;

use bytemuck::{Pod, Zeroable};
use isg::{Graph, NodeId};

mod boxes;
mod build;
mod emphasis;
mod routes;

pub use emphasis::Emphasis;

pub use build::SceneBuilder;
use build::default_edges;
pub use routes::{BUNDLE_BENDS, EdgeRoute, MAX_BENDS, RouteError, bundle_curve};

use crate::camera::{Bounds, Camera};
use crate::gpu_bits::{EdgeStyleBits, NodeFlagsGpu, NodeInstanceBits};
use crate::overlay::{OverlayVertex, hull_triangles};
use crate::pick::PickGrid;
use crate::style::{
    Arrow, EdgeLook, NodeLook, NodeStyles, Overlay, Rgba, Shape, StyleError, StyleSheet, box_aspect, edge_color,
};

/// Per-node instance attributes: 16 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct NodeInstance {
    /// Row-major index into the node-data texture.
    pub index: u32,
    /// `0xRRGGBBAA`.
    pub color: u32,
    /// Halo colour `0xRRGGBBAA`; alpha 0 draws none.
    pub halo: u32,
    /// [`crate::Shape`] code in the low byte, [`NodeInstanceBits`] above it.
    pub shape: u32,
}

/// Per-edge instance attributes: 16 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
pub struct EdgeInstance {
    /// Source index into the node-data texture.
    pub from: u32,
    /// Target index into the node-data texture.
    pub to: u32,
    /// `0xRRGGBBAA`.
    pub color: u32,
    /// Width and flags, see [`EdgeStyleBits`].
    pub style: u32,
}

/// Width of the node-data texture; WebGL2 guarantees 2D textures at least this wide.
pub const NODE_TEXTURE_WIDTH: u32 = 2048;

/// Graphs smaller than this are drawn in full at every zoom: their aggregates would hide nothing.
pub const AGGREGATE_MIN_NODES: usize = 1500;

/// The module graph drawn in place of the nodes when zoomed far out.
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    /// Group of each node.
    pub node_group: Vec<u32>,
    /// Module path of each group.
    pub names: Vec<String>,
    /// The module each group stands for.
    pub modules: Vec<isg::ModuleId>,
    /// Nodes per group.
    pub sizes: Vec<u32>,
    /// One instance per group; its texture index is `node_count + group`.
    pub nodes: Vec<NodeInstance>,
    /// One instance per connected pair of groups, width by edge count.
    pub edges: Vec<EdgeInstance>,
}

impl Aggregates {
    /// Number of groups.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    /// True when the scene draws no aggregates.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }
}

/// Everything the GPU draws for one graph.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    /// Per node then per aggregate group: `[x, y, flags, size]`, padded to whole texture rows.
    pub node_data: Vec<[f32; 4]>,
    /// Per node: texture index, colour, halo and glyph.
    pub nodes: Vec<NodeInstance>,
    /// Per graph edge, in the graph's edge order.
    pub edges: Vec<EdgeInstance>,
    /// Module aggregates for the far zoom levels (empty for small graphs).
    pub aggregates: Aggregates,
    /// The module tree's containers, following positions: the modules-first map's rings.
    pub outlines: crate::module_map::ModuleOutlines,
    /// Label text replacing node names, set by the style.
    pub labels: BTreeMap<u32, String>,
    /// Hulls and annotations, set by the style.
    pub overlays: Vec<Overlay>,
    /// The style's key to its colours and glyphs (empty for the default look).
    pub legend: Vec<crate::legend::LegendEntry>,
    /// Nodes by falling degree: label priority after the highlighted ones.
    pub by_degree: Vec<u32>,
    /// Highlighted nodes, most important first: label priority.
    pub highlighted: Vec<u32>,
    /// [`Shape::Box`] nodes by falling degree: their labels are drawn inside them, first.
    pub boxes: Vec<u32>,
    node_count: usize,
    spacing: f32,
    grid: PickGrid,
    /// Edge ids by endpoint, compressed: `incident_start[v]..incident_start[v + 1]` in `incident`.
    incident_start: Vec<u32>,
    incident: Vec<u32>,
    /// Triangles of the style's hulls, kept in step with positions and visibility.
    hull_vertices: Vec<OverlayVertex>,
    /// Each edge's kind, in the graph's edge order.
    edge_kind: Vec<u8>,
    /// Edge kinds the user filtered out, by kind index.
    hidden_edge_kinds: Vec<bool>,
    /// Graph edges drawn as polylines through a layout's bends.
    routes: routes::Routes,
    /// The aggregates' edges bundled along the module tree.
    bundles: routes::Bundles,
    /// The finding shown on the graph, if any.
    emphasis: Option<Emphasis>,
    /// The edges the emphasis recoloured, with their looks before it.
    emphasized: Vec<(u32, EdgeInstance)>,
}

/// Above this share of nodes on screen, drawing every edge is cheaper than picking the visible ones.
const COMPACT_BELOW_VISIBLE_SHARE: f32 = 0.25;

/// The default look of one edge kind.
fn default_edge_look(kind: &str) -> EdgeLook {
    EdgeLook { color: edge_color(kind), width_px: 0.0, visible: true, arrow: Arrow::Filled, dashed: false }
}

fn edge_instance(from: u32, to: u32, look: &EdgeLook) -> EdgeInstance {
    let mut flags = match look.arrow {
        Arrow::None => 0,
        Arrow::Filled => EdgeStyleBits::ARROW,
        Arrow::Hollow => EdgeStyleBits::ARROW | EdgeStyleBits::HOLLOW,
    };
    if look.dashed {
        flags |= EdgeStyleBits::DASHED;
    }
    if !look.visible || from == to {
        flags |= EdgeStyleBits::HIDDEN;
    }
    let style = if look.width_px > 0.0 { EdgeStyleBits::pack(look.width_px, flags) } else { flags };
    EdgeInstance { from, to, color: look.color.0, style }
}

fn node_instance(index: u32, look: &NodeLook) -> NodeInstance {
    NodeInstance {
        index,
        color: look.color.0,
        halo: look.halo.map_or(0, |h| h.0),
        shape: look.shape as u32 & NodeInstanceBits::SHAPE_MASK,
    }
}

/// A stable colour for a module group, from a palette that reads on the dark background.
#[must_use]
pub fn group_color(group: usize) -> Rgba {
    const PALETTE: [u32; 10] = [
        0x4e9af0ff, 0xf08c3cff, 0x6cc06cff, 0x9b6cf0ff, 0xe8b43cff, 0x3cc8d8ff, 0xd06cb4ff, 0xa0c83cff, 0xf06c6cff,
        0x8ca0c8ff,
    ];
    Rgba(PALETTE[group.wrapping_mul(7) % PALETTE.len()])
}

impl Scene {
    /// Builds the arrays from a graph, its positions and node styles, all at once; a
    /// [`SceneBuilder`] does the same in phases.
    #[must_use]
    pub fn build(graph: &Graph, positions: &[[f32; 2]], styles: &NodeStyles) -> Self {
        SceneBuilder::new(graph, positions.to_vec(), styles.clone()).finish(graph)
    }

    /// When few nodes are on screen, the edges that touch them (and the selection's), each once;
    /// `None` when so much is visible that drawing every edge is cheaper. This keeps a zoomed-in
    /// frame's vertex work in proportion to what is on screen, not to the whole graph.
    #[must_use]
    pub fn visible_edges(&self, camera: &Camera) -> Option<Vec<EdgeInstance>> {
        let view = camera.visible();
        let reach = self.grid.max_size() * 0.5 + 4.0 / camera.scale;
        let (lo, hi) = ([view.min[0] - reach, view.min[1] - reach], [view.max[0] + reach, view.max[1] + reach]);
        let inside = |i: u32| {
            let p = self.position(i as usize);
            p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1]
        };
        let mut visible = Vec::new();
        let limit = (self.node_count as f32 * COMPACT_BELOW_VISIBLE_SHARE) as usize;
        let mut too_many = false;
        self.grid.for_each_in(lo, hi, |i| {
            if !too_many && inside(i) {
                visible.push(i);
                too_many = visible.len() > limit;
            }
        });
        if too_many {
            return None;
        }
        let selected =
            self.highlighted.iter().copied().filter(|&i| self.flags(i as usize) & NodeFlagsGpu::SELECTED != 0);
        let mut out = Vec::new();
        let mut from_selection = Vec::new();
        // A routed edge is drawn by its segments.
        let push = |id: u32, out: &mut Vec<EdgeInstance>| match self.segments_of(id) {
            Some(segments) => out.extend_from_slice(segments),
            None => out.push(self.edges[id as usize]),
        };
        for v in visible.iter().copied() {
            for &id in
                &self.incident[self.incident_start[v as usize] as usize..self.incident_start[v as usize + 1] as usize]
            {
                let e = self.edges[id as usize];
                let other = if e.from == v { e.to } else { e.from };
                // An edge with both ends on screen is listed under both: keep it under the lower id.
                if !inside(other) || v <= other {
                    push(id, &mut out);
                }
            }
        }
        for v in selected.filter(|&v| !inside(v)) {
            for &id in
                &self.incident[self.incident_start[v as usize] as usize..self.incident_start[v as usize + 1] as usize]
            {
                let e = self.edges[id as usize];
                if !inside(e.from) && !inside(e.to) {
                    push(id, &mut from_selection);
                }
            }
        }
        out.extend(from_selection);
        Some(out)
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

    /// Every node's position.
    #[must_use]
    pub fn positions(&self) -> Vec<[f32; 2]> {
        (0..self.node_count).map(|i| self.position(i)).collect()
    }

    /// Highlight and visibility bits of node `i`.
    #[must_use]
    pub fn flags(&self, i: usize) -> u32 {
        self.node_data[i][2] as u32
    }

    /// World diameter of node `i`.
    #[must_use]
    pub fn size(&self, i: usize) -> f32 {
        self.node_data[i][3]
    }

    /// Width over height of node `i` if it is a [`Shape::Box`].
    #[must_use]
    pub fn box_aspect(&self, i: usize) -> Option<f32> {
        NodeFlagsGpu::box_aspect(self.flags(i))
    }

    /// True when node `i` is not drawn.
    #[must_use]
    pub fn is_hidden(&self, i: usize) -> bool {
        self.flags(i) & NodeFlagsGpu::ANY_HIDDEN != 0
    }

    /// Typical distance between neighbouring nodes in world units: the level-of-detail yardstick.
    #[must_use]
    pub fn spacing(&self) -> f32 {
        self.spacing
    }

    /// Moves every node to `positions` (one per node).
    pub fn set_positions(&mut self, positions: &[[f32; 2]]) {
        self.write_positions(positions);
        self.positions_changed();
    }

    /// Moves every node to `positions` on the way somewhere else (a frame of an animation): the
    /// module map's rings are left out until [`Scene::set_positions`] gives the positions where
    /// the nodes come to rest, instead of being rebuilt, and drawn lagging, every frame.
    pub fn set_positions_moving(&mut self, positions: &[[f32; 2]]) {
        self.write_positions(positions);
        self.outlines.set_stale();
        self.positions_changed_keeping_outlines();
    }

    fn write_positions(&mut self, positions: &[[f32; 2]]) {
        for (d, p) in self.node_data.iter_mut().zip(positions) {
            d[0] = p[0];
            d[1] = p[1];
        }
    }

    fn set_flag_bits(&mut self, i: usize, bits: u32, on: bool) {
        if let Some(d) = self.node_data[..self.node_count].get_mut(i) {
            let f = d[2] as u32;
            d[2] = if on { f | bits } else { f & !bits } as f32;
        }
    }

    /// Replaces the highlight bits: each listed node gets its `flags`; the list order is label priority.
    pub fn set_highlight(&mut self, marked: &[(NodeId, u32)]) {
        for d in &mut self.node_data[..self.node_count] {
            d[2] = ((d[2] as u32) & !NodeFlagsGpu::HIGHLIGHTS) as f32;
        }
        self.highlighted.clear();
        for &(n, flags) in marked {
            if n.index() < self.node_count {
                self.set_flag_bits(n.index(), flags & NodeFlagsGpu::HIGHLIGHTS, true);
                self.highlighted.push(n.0);
            }
        }
        self.sync_bend_flags();
    }

    /// Marks the node under the pointer (or none).
    pub fn set_hover(&mut self, hovered: Option<NodeId>) {
        for i in 0..self.node_count {
            if self.flags(i) & NodeFlagsGpu::HOVER != 0 {
                self.set_flag_bits(i, NodeFlagsGpu::HOVER, false);
            }
        }
        if let Some(n) = hovered {
            self.set_flag_bits(n.index(), NodeFlagsGpu::HOVER, true);
        }
    }

    /// Hides or shows one node (and so its edges) at the user's request; call [`Scene::refresh`]
    /// after a batch so aggregates, spacing and picking follow.
    pub fn set_hidden(&mut self, n: NodeId, hidden: bool) {
        self.set_flag_bits(n.index(), NodeFlagsGpu::HIDDEN, hidden);
    }

    /// Splits node `n` (its edges become stubs at their other ends) or joins it again.
    pub fn set_split(&mut self, n: NodeId, split: bool) {
        self.set_flag_bits(n.index(), NodeFlagsGpu::SPLIT, split);
    }

    /// Leaves out the edges of the kinds marked `true` (by kind index; missing kinds are shown),
    /// whatever the style says; a style applied later keeps the filter. Returns whether any
    /// edge changed (and so the edge instances need uploading again).
    pub fn set_hidden_edge_kinds(&mut self, hidden: &[bool]) -> bool {
        self.hidden_edge_kinds = hidden.to_vec();
        self.apply_edge_filter()
    }

    fn apply_edge_filter(&mut self) -> bool {
        let mut changed = false;
        for (e, &kind) in self.edges.iter_mut().zip(&self.edge_kind) {
            let filtered = self.hidden_edge_kinds.get(usize::from(kind)).copied().unwrap_or(false);
            let style = if filtered { e.style | EdgeStyleBits::FILTERED } else { e.style & !EdgeStyleBits::FILTERED };
            changed |= style != e.style;
            e.style = style;
        }
        self.rebuild_route_segments();
        changed
    }

    /// Edges drawn: not hidden by the style or the filter, not self-loops, both ends shown.
    #[must_use]
    pub fn shown_edge_count(&self) -> usize {
        self.edges
            .iter()
            .filter(|e| {
                e.style & EdgeStyleBits::ANY_HIDDEN == 0
                    && !self.is_hidden(e.from as usize)
                    && !self.is_hidden(e.to as usize)
            })
            .count()
    }

    /// Nodes drawn: not hidden by the user or the style.
    #[must_use]
    pub fn shown_node_count(&self) -> usize {
        (0..self.node_count).filter(|&i| !self.is_hidden(i)).count()
    }

    /// Recomputes what depends on which nodes are shown: aggregate discs, spacing, the picking grid.
    pub fn refresh(&mut self) {
        self.positions_changed();
    }

    /// Applies a renderer's style on top of the graph, replacing any earlier style. On error nothing changes.
    pub fn apply_style(&mut self, graph: &Graph, sheet: &StyleSheet) -> Result<(), StyleError> {
        let n = self.node_count;
        if let Some(looks) = &sheet.nodes {
            if looks.len() != n {
                return Err(StyleError::Count { what: "node", got: looks.len(), expected: n });
            }
            if let Some((index, l)) = looks.iter().enumerate().find(|(_, l)| !l.size.is_finite() || l.size < 0.0) {
                return Err(StyleError::BadSize { what: "node", index, value: l.size });
            }
        }
        if let Some(looks) = &sheet.edges {
            if looks.len() != self.edges.len() {
                return Err(StyleError::Count { what: "edge", got: looks.len(), expected: self.edges.len() });
            }
            if let Some((index, l)) =
                looks.iter().enumerate().find(|(_, l)| !l.width_px.is_finite() || l.width_px < 0.0)
            {
                return Err(StyleError::BadSize { what: "edge", index, value: l.width_px });
            }
        }
        let check = |what: &'static str, node: u32| {
            if (node as usize) < n { Ok(()) } else { Err(StyleError::UnknownNode { what, node, count: n }) }
        };
        for &node in sheet.labels.keys() {
            check("label", node)?;
        }
        for o in &sheet.overlays {
            match o {
                Overlay::Hull { nodes, .. } => nodes.iter().try_for_each(|&node| check("hull", node))?,
                Overlay::Annotation { node, .. } => check("annotation", *node)?,
            }
        }

        self.reset_style(graph);
        if let Some(looks) = &sheet.nodes {
            for (i, look) in looks.iter().enumerate() {
                self.nodes[i] = node_instance(i as u32, look);
                self.node_data[i][3] = look.size;
                self.set_flag_bits(i, NodeFlagsGpu::STYLE_HIDDEN, !look.visible);
            }
        }
        if let Some(looks) = &sheet.edges {
            self.emphasized.clear();
            for (e, look) in self.edges.iter_mut().zip(looks) {
                *e = edge_instance(e.from, e.to, look);
            }
            self.apply_emphasis_edges();
            self.apply_edge_filter();
        }
        self.labels.clone_from(&sheet.labels);
        self.overlays.clone_from(&sheet.overlays);
        self.legend.clone_from(&sheet.legend);
        for i in 0..n {
            let aspect = (self.nodes[i].shape & NodeInstanceBits::SHAPE_MASK == Shape::Box as u32).then(|| {
                box_aspect(self.labels.get(&(i as u32)).map_or_else(|| graph.name(NodeId(i as u32)), String::as_str))
            });
            self.set_flag_bits(i, NodeFlagsGpu::BOX_ASPECT_MASK, false);
            self.set_flag_bits(i, NodeFlagsGpu::box_aspect_bits(aspect), true);
        }
        self.boxes = self.by_degree.iter().copied().filter(|&i| self.box_aspect(i as usize).is_some()).collect();
        self.positions_changed();
        Ok(())
    }

    /// Returns to the default look: colour and glyph by kind, size by degree, no labels or overlays.
    pub fn reset_style(&mut self, graph: &Graph) {
        let styles = NodeStyles::by_kind(graph);
        for i in 0..self.node_count {
            self.nodes[i] = node_instance(i as u32, &styles.look(i));
            self.node_data[i][3] = styles.size[i];
            self.set_flag_bits(i, NodeFlagsGpu::STYLE_HIDDEN | NodeFlagsGpu::BOX_ASPECT_MASK, false);
        }
        self.edges = default_edges(graph);
        self.emphasized.clear();
        self.apply_emphasis_edges();
        self.apply_edge_filter();
        self.boxes.clear();
        self.labels.clear();
        self.overlays.clear();
        self.legend.clear();
        self.positions_changed();
    }

    /// Recomputes what depends on positions: aggregate centres and sizes, spacing, the picking
    /// grid, the module map's rings, bends.
    fn positions_changed(&mut self) {
        let n = self.node_count;
        let node_data = &self.node_data[..n];
        let hidden = |i: usize| (node_data[i][2] as u32) & NodeFlagsGpu::ANY_HIDDEN != 0;
        self.outlines.update(node_data, hidden);
        self.positions_changed_keeping_outlines();
    }

    fn positions_changed_keeping_outlines(&mut self) {
        let n = self.node_count;
        let visible: Vec<usize> = (0..n).filter(|&i| !self.is_hidden(i)).collect();
        let bounds = Bounds::around(&visible.iter().map(|&i| self.position(i)).collect::<Vec<_>>());
        let area = ((bounds.max[0] - bounds.min[0]) * (bounds.max[1] - bounds.min[1])).max(1e-6);
        self.spacing = (area / visible.len().max(1) as f32).sqrt().max(1e-3);
        self.grid = PickGrid::build(&self.node_data[..n], self.spacing * 2.0);
        self.hull_vertices = self.hulls();
        self.place_aggregates(&visible);
        self.place_bundle_bends();
        self.sync_bend_flags();
    }

    /// Puts each aggregate disc at its visible members' centre, sized by their number.
    fn place_aggregates(&mut self, visible: &[usize]) {
        let n = self.node_count;
        let groups = self.aggregates.len();
        if groups == 0 {
            return;
        }
        let mut sum = vec![[0.0f64; 3]; groups];
        for &i in visible {
            let g = self.aggregates.node_group[i] as usize;
            let p = self.position(i);
            sum[g][0] += f64::from(p[0]);
            sum[g][1] += f64::from(p[1]);
            sum[g][2] += 1.0;
        }
        let centre: Vec<[f32; 2]> = sum
            .iter()
            .map(|s| if s[2] > 0.0 { [(s[0] / s[2]) as f32, (s[1] / s[2]) as f32] } else { [0.0, 0.0] })
            .collect();
        for g in 0..groups {
            let count = sum[g][2];
            let slot = &mut self.node_data[n + g];
            if count == 0.0 {
                *slot = [0.0, 0.0, NodeFlagsGpu::HIDDEN as f32, 0.0];
                continue;
            }
            // A disc with the area its members would cover: the aggregates' total area stays
            // near the graph's, so far out they cost about one screen of fragments however
            // scattered a module's members are.
            let diameter = self.spacing * (count as f32).sqrt() * 1.1;
            *slot = [centre[g][0], centre[g][1], 0.0, diameter];
        }
    }

    /// The box around every visible node and the outermost module rings.
    #[must_use]
    pub fn bounds(&self) -> Bounds {
        self.picture_bounds(None, true)
    }

    /// The box [`Scene::bounds`] would give once the nodes stand at `positions` (one per node),
    /// rings included: where a layout's animation will end, so the camera can frame it at once.
    #[must_use]
    pub fn bounds_at(&self, positions: &[[f32; 2]]) -> Bounds {
        self.picture_bounds(Some(positions), true)
    }

    /// The box around the picture with the nodes where they are or at `positions`, with the
    /// module map's outermost rings when `rings` (the map is shown) or around the nodes alone.
    #[must_use]
    pub fn picture_bounds(&self, positions: Option<&[[f32; 2]]>, rings: bool) -> Bounds {
        let data: std::borrow::Cow<'_, [[f32; 4]]> = match positions {
            None => std::borrow::Cow::Borrowed(&self.node_data[..self.node_count]),
            Some(positions) => std::borrow::Cow::Owned(
                self.node_data[..self.node_count]
                    .iter()
                    .zip(positions)
                    .map(|(d, p)| [p[0], p[1], d[2], d[3]])
                    .collect(),
            ),
        };
        if !rings {
            return self.bounds_around(&data, None);
        }
        if positions.is_none() {
            return self.bounds_around(&data, Some(&self.outlines));
        }
        let mut outlines = self.outlines.clone();
        outlines.update(&data, |i| (data[i][2] as u32) & NodeFlagsGpu::ANY_HIDDEN != 0);
        self.bounds_around(&data, Some(&outlines))
    }

    fn bounds_around(&self, data: &[[f32; 4]], outlines: Option<&crate::module_map::ModuleOutlines>) -> Bounds {
        let mut pts: Vec<[f32; 2]> = Vec::with_capacity(data.len());
        for (i, d) in data.iter().enumerate().filter(|&(i, _)| !self.is_hidden(i)) {
            let p = [d[0], d[1]];
            match self.box_aspect(i) {
                // Boxes are wide enough to matter: take in their corners.
                Some(aspect) => {
                    let h = self.size(i) * 0.5;
                    pts.extend([[p[0] - h * aspect, p[1] - h], [p[0] + h * aspect, p[1] + h]]);
                }
                None => pts.push(p),
            }
        }
        // The outermost rings of the module map belong to the picture too.
        let Some(outlines) = outlines else { return Bounds::around(&pts) };
        for (i, c) in outlines.containers().iter().enumerate() {
            if c.clean && outlines.level(i) == 0 {
                pts.extend([
                    [c.centre[0] - c.radius, c.centre[1] - c.radius],
                    [c.centre[0] + c.radius, c.centre[1] + c.radius],
                ]);
            }
        }
        Bounds::around(&pts)
    }

    /// The box around the listed nodes.
    #[must_use]
    pub fn bounds_of(&self, nodes: &[u32]) -> Bounds {
        let pts: Vec<[f32; 2]> =
            nodes.iter().filter(|&&i| (i as usize) < self.node_count).map(|&i| self.position(i as usize)).collect();
        Bounds::around(&pts)
    }

    /// On-screen diameter of node `i` in device pixels, before highlight growth.
    #[must_use]
    pub fn drawn_px(&self, i: usize, camera: &Camera, node_px: f32) -> f32 {
        (self.size(i) * camera.scale).max(node_px)
    }

    /// The visible node nearest to device pixel `px`, if one is within its drawn radius plus `slack_px`.
    #[must_use]
    pub fn pick(&self, camera: &Camera, px: [f32; 2], node_px: f32, slack_px: f32) -> Option<NodeId> {
        let world = camera.screen_to_world(px);
        let max_size = self.grid.max_size();
        let reach = ((max_size * camera.scale).max(node_px) * 0.5 + slack_px) / camera.scale;
        let mut best: Option<(f32, u32)> = None;
        self.grid.for_each_near(world, reach, |i| {
            let i = i as usize;
            if self.is_hidden(i) {
                return;
            }
            let s = camera.world_to_screen(self.position(i));
            let dist = ((s[0] - px[0]).powi(2) + (s[1] - px[1]).powi(2)).sqrt();
            let half = self.drawn_px(i, camera, node_px) * 0.5;
            let hit = match self.box_aspect(i) {
                // A box is hit anywhere inside its rectangle.
                Some(aspect) => {
                    (s[0] - px[0]).abs() <= half * aspect + slack_px && (s[1] - px[1]).abs() <= half + slack_px
                }
                None => dist <= half + slack_px,
            };
            if hit && best.is_none_or(|(b, bi)| dist < b || (dist == b && (i as u32) < bi)) {
                best = Some((dist, i as u32));
            }
        });
        best.map(|(_, i)| NodeId(i))
    }

    /// Visible nodes whose centre falls inside a device-pixel rectangle (box select), in id order.
    #[must_use]
    pub fn pick_box(&self, camera: &Camera, a: [f32; 2], b: [f32; 2]) -> Vec<NodeId> {
        let wa = camera.screen_to_world(a);
        let wb = camera.screen_to_world(b);
        let lo = [wa[0].min(wb[0]), wa[1].min(wb[1])];
        let hi = [wa[0].max(wb[0]), wa[1].max(wb[1])];
        let mut out = Vec::new();
        self.grid.for_each_in(lo, hi, |i| {
            let p = self.position(i as usize);
            if !self.is_hidden(i as usize) && p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1] {
                out.push(NodeId(i));
            }
        });
        out.sort_unstable();
        out
    }

    /// Triangles for the style's hulls, in world units.
    #[must_use]
    pub fn overlay_vertices(&self) -> &[OverlayVertex] {
        &self.hull_vertices
    }

    fn hulls(&self) -> Vec<OverlayVertex> {
        let mut out = self.emphasis_hull();
        for o in &self.overlays {
            if let Overlay::Hull { nodes, color, .. } = o {
                let pts: Vec<[f32; 2]> = nodes
                    .iter()
                    .filter(|&&i| !self.is_hidden(i as usize))
                    .map(|&i| self.position(i as usize))
                    .collect();
                out.extend(hull_triangles(&pts, self.spacing * 1.2, *color));
            }
        }
        out
    }

    /// Bytes the GPU holds for this scene: node texture, node and edge instances, aggregates.
    #[must_use]
    pub fn gpu_bytes(&self) -> usize {
        self.node_data.len() * 16
            + (self.nodes.len() + self.aggregates.nodes.len()) * size_of::<NodeInstance>()
            + (self.edges.len() + self.route_segments().len() + self.aggregate_edges_drawn().len())
                * size_of::<EdgeInstance>()
    }
}

/// The default look of every edge, in the graph's edge order.
#[must_use]
pub fn default_edge_looks(graph: &Graph) -> Vec<EdgeLook> {
    let looks: Vec<EdgeLook> = graph.edge_kinds().iter().map(|k| default_edge_look(k)).collect();
    graph.edges().map(|(_, _, kind)| looks[kind.0 as usize]).collect()
}

#[cfg(test)]
mod tests;
