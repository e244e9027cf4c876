//! Edges drawn as polylines. A layout may hand back bend points for some edges (the layered
//! layout routes a long edge through the layers it crosses), and the module aggregates' edges are
//! bundled along the module tree (Holten's hierarchical edge bundling, 2006): a dependency between
//! two modules curves through the containers between them, so the links of one folder to another
//! gather into one visible strand instead of a fan of straight lines.
//!
//! Each bend takes a slot in the node texture after the nodes and aggregates, and each polyline is
//! a chain of segment instances, so the edge shader draws both as it draws any edge: the graph's
//! own instance of a routed edge is marked [`EdgeStyleBits::ROUTED`] and left out.

use isg::ModuleId;

use super::{EdgeInstance, NODE_TEXTURE_WIDTH, Scene};
use crate::gpu_bits::{EdgeStyleBits, NodeFlagsGpu};
use crate::module_map::ModuleOutlines;

pub use pt_abi::{EdgeRoute, MAX_BENDS, RouteError};

/// Bends of every bundled module edge: enough for a smooth curve through a few containers.
pub const BUNDLE_BENDS: usize = 4;

/// Holten's bundling strength: 1 follows the tree exactly, 0 is a straight line.
const BUNDLE_BETA: f32 = 0.8;

/// The routed graph edges: their bends and the segments that draw them.
#[derive(Clone, Debug, Default)]
pub(super) struct Routes {
    /// The routes in force, each with at least one bend.
    routes: Vec<EdgeRoute>,
    /// Per graph edge, its route's first segment in `segments` (empty when nothing is routed).
    first_segment: Vec<u32>,
    /// Segment instances, route by route, `bends + 1` each.
    pub(super) segments: Vec<EdgeInstance>,
}

/// The module aggregates' edges bundled along the module tree.
#[derive(Clone, Debug, Default)]
pub(super) struct Bundles {
    /// Per aggregate edge, the containers its curve passes: `path[path_start[k]..path_start[k + 1]]`.
    path: Vec<u32>,
    path_start: Vec<u32>,
    /// Per aggregate edge, its first bend's texture slot; an edge with no bends is drawn straight.
    bend_start: Vec<u32>,
    /// Segment instances, one more than its bends per aggregate edge.
    pub(super) segments: Vec<EdgeInstance>,
}

/// Bundle bends allowed per node of the graph: the heaviest module edges are bundled first, and
/// the bends' texture memory stays a small share of the nodes' own.
const BUNDLE_BENDS_PER_NODE: f32 = 0.5;

impl Bundles {
    /// Bends (node texture slots) the bundles take.
    pub(super) fn bends(&self) -> usize {
        match (self.bend_start.first(), self.bend_start.last()) {
            (Some(first), Some(last)) => (last - first) as usize,
            _ => 0,
        }
    }

    /// The bundles of `edges` (heaviest first) between groups standing for `group_modules`, whose
    /// bends start at texture slot `base`, for a graph of `nodes` nodes; none when the graph has no
    /// module tree to bundle along.
    pub(super) fn new(
        edges: &[EdgeInstance],
        group_modules: &[ModuleId],
        outlines: &ModuleOutlines,
        base: u32,
        nodes: usize,
    ) -> Self {
        if outlines.is_empty() || edges.is_empty() {
            return Self::default();
        }
        let group_base = base - group_modules.len() as u32;
        let container =
            |slot: u32| group_modules.get((slot - group_base) as usize).and_then(|&m| outlines.container_of_module(m));
        let budget = (nodes as f32 * BUNDLE_BENDS_PER_NODE) as u32;
        let mut out = Self { path_start: vec![0], bend_start: vec![base], ..Self::default() };
        let mut next = base;
        for e in edges {
            let path = tree_path(outlines, container(e.from), container(e.to));
            // Nothing between the two modules, or no budget left: a straight line.
            let bends =
                if path.is_empty() || next - base + BUNDLE_BENDS as u32 > budget { 0 } else { BUNDLE_BENDS as u32 };
            out.path.extend(path);
            out.path_start.push(out.path.len() as u32);
            let mut from = e.from;
            for j in 0..=bends {
                let to = if j == bends { e.to } else { next + j };
                out.segments.push(EdgeInstance { from, to, style: e.style | EdgeStyleBits::SEGMENT, ..*e });
                from = to;
            }
            next += bends;
            out.bend_start.push(next);
        }
        out
    }
}

/// The containers a bundled edge between containers `a` and `b` passes: up from `a` to their
/// lowest common container, then down to `b`, leaving out `a` and `b` themselves (the ends are the
/// modules' own discs).
fn tree_path(outlines: &ModuleOutlines, a: Option<usize>, b: Option<usize>) -> Vec<u32> {
    let chain = |c: Option<usize>| std::iter::successors(c, |&x| outlines.parent(x)).collect::<Vec<usize>>();
    let (up, down) = (chain(a), chain(b));
    let common = up.iter().position(|x| down.contains(x)).map(|i| (i, down.iter().position(|y| *y == up[i])));
    let (ia, ib) = match common {
        Some((i, Some(j))) => (i, j),
        _ => (up.len(), down.len()),
    };
    let mut path: Vec<u32> = up.iter().take(ia).skip(1).map(|&c| c as u32).collect();
    // The common container itself, unless it is one of the ends.
    if common.is_some() && ia > 0 && ib > 0 {
        path.push(up[ia] as u32);
    }
    path.extend(down.iter().take(ib).skip(1).rev().map(|&c| c as u32));
    path
}

/// `count` points along the curve of a bundled edge through `control` (its two ends first and
/// last): the control polygon straightened by Holten's `beta`, then a clamped uniform cubic
/// B-spline sampled at even steps, ends left out.
#[must_use]
pub fn bundle_curve(control: &[[f32; 2]], beta: f32, count: usize) -> Vec<[f32; 2]> {
    let (Some(&p0), Some(&pn)) = (control.first(), control.last()) else { return Vec::new() };
    let last = (control.len() - 1).max(1) as f32;
    let mix = |a: [f32; 2], b: [f32; 2], t: f32| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    let mut pts = vec![p0, p0];
    pts.extend(control.iter().enumerate().map(|(i, &p)| mix(mix(p0, pn, i as f32 / last), p, beta)));
    pts.extend([pn, pn]);
    let spans = pts.len() - 3;
    (1..=count)
        .map(|j| {
            let t = j as f32 / (count + 1) as f32 * spans as f32;
            let s = (t.floor() as usize).min(spans - 1);
            let u = t - s as f32;
            let w = [
                (1.0 - u).powi(3) / 6.0,
                (3.0 * u.powi(3) - 6.0 * u * u + 4.0) / 6.0,
                (-3.0 * u.powi(3) + 3.0 * u * u + 3.0 * u + 1.0) / 6.0,
                u.powi(3) / 6.0,
            ];
            let mut p = [0.0f32; 2];
            for (k, wk) in w.iter().enumerate() {
                p[0] += wk * pts[s + k][0];
                p[1] += wk * pts[s + k][1];
            }
            p
        })
        .collect()
}

impl Scene {
    /// Draws the listed edges as polylines through their bends, replacing the routes set before
    /// (an empty list draws every edge straight). Returns whether anything changed: the node
    /// texture may have grown, so the scene needs uploading again. On error nothing changes.
    ///
    /// # Errors
    /// [`RouteError`] for an unknown or twice-routed edge, a bend that is not finite, or too many bends.
    pub fn set_edge_routes(&mut self, routes: &[EdgeRoute]) -> Result<bool, RouteError> {
        pt_abi::check_edge_routes(routes, self.edges.len())?;
        let bends: usize = routes.iter().map(|r| r.bends.len()).sum();
        let routes: Vec<EdgeRoute> = routes.iter().filter(|r| !r.bends.is_empty()).cloned().collect();
        if routes == self.routes.routes {
            return Ok(false);
        }
        let base = self.route_base();
        let slots = base + bends;
        let rows = slots.div_ceil(NODE_TEXTURE_WIDTH as usize).max(1);
        self.node_data.resize(rows * NODE_TEXTURE_WIDTH as usize, [0.0; 4]);
        for (slot, p) in self.node_data[base..slots].iter_mut().zip(routes.iter().flat_map(|r| &r.bends)) {
            *slot = [p[0], p[1], 0.0, 0.0];
        }
        self.routes = Routes { routes, ..Routes::default() };
        self.rebuild_route_segments();
        self.sync_bend_flags();
        Ok(true)
    }

    /// Number of edges drawn as polylines.
    #[must_use]
    pub fn routed_edge_count(&self) -> usize {
        self.routes.routes.len()
    }

    /// The segments drawing routed edges, after the graph's own edges in the GPU's edge buffer.
    #[must_use]
    pub fn route_segments(&self) -> &[EdgeInstance] {
        &self.routes.segments
    }

    /// The aggregates' edges as drawn: bundled segments when the graph has a module tree, else straight.
    #[must_use]
    pub fn aggregate_edges_drawn(&self) -> &[EdgeInstance] {
        if self.bundles.segments.is_empty() { &self.aggregates.edges } else { &self.bundles.segments }
    }

    /// The first texture slot of the routes' bends: after nodes, aggregates and bundles.
    fn route_base(&self) -> usize {
        self.node_count + self.aggregates.len() + self.bundles.bends()
    }

    /// Rebuilds the segment instances from the routes and the edges' current looks, and marks the
    /// routed edges. Runs whenever the edges' looks change.
    pub(super) fn rebuild_route_segments(&mut self) {
        for e in &mut self.edges {
            e.style &= !EdgeStyleBits::ROUTED;
        }
        let r = &mut self.routes;
        r.segments.clear();
        r.first_segment.clear();
        if r.routes.is_empty() {
            return;
        }
        r.first_segment.resize(self.edges.len(), u32::MAX);
        let mut slot = (self.node_count + self.aggregates.len() + self.bundles.bends()) as u32;
        for route in &r.routes {
            let e = &mut self.edges[route.edge as usize];
            e.style |= EdgeStyleBits::ROUTED;
            let e = *e;
            r.first_segment[route.edge as usize] = r.segments.len() as u32;
            let style = (e.style & !EdgeStyleBits::ROUTED) | EdgeStyleBits::SEGMENT;
            let mut from = e.from;
            for k in 0..=route.bends.len() as u32 {
                let last = k == route.bends.len() as u32;
                let to = if last { e.to } else { slot + k };
                // Only the segment reaching the target carries the head.
                let style = if last { style } else { style & !(EdgeStyleBits::ARROW | EdgeStyleBits::HOLLOW) };
                r.segments.push(EdgeInstance { from, to, color: e.color, style });
                from = to;
            }
            slot += route.bends.len() as u32;
        }
    }

    /// The segments drawing graph edge `id` when it is routed.
    pub(super) fn segments_of(&self, id: u32) -> Option<&[EdgeInstance]> {
        let first = *self.routes.first_segment.get(id as usize)?;
        if first == u32::MAX {
            return None;
        }
        let bends = self.routes.segments[first as usize..].iter().position(|s| s.to == self.edges[id as usize].to);
        bends.map(|b| &self.routes.segments[first as usize..=first as usize + b])
    }

    /// Gives every bend the hidden and selected bits of its edge's ends, so the shader hides a
    /// polyline with its node and highlights it with the selection.
    pub(super) fn sync_bend_flags(&mut self) {
        const CARRIED: u32 = NodeFlagsGpu::SELECTED | NodeFlagsGpu::ANY_HIDDEN;
        let mut slot = self.route_base();
        for route in &self.routes.routes {
            let e = self.edges[route.edge as usize];
            let flags =
                ((self.node_data[e.from as usize][2] as u32) | (self.node_data[e.to as usize][2] as u32)) & CARRIED;
            for d in &mut self.node_data[slot..slot + route.bends.len()] {
                d[2] = flags as f32;
            }
            slot += route.bends.len();
        }
    }

    /// Places the bundles' bends along their curves through the containers' current centres (a
    /// container that does not read as one, or a map not yet placed, is passed straight by).
    pub(super) fn place_bundle_bends(&mut self) {
        let mut control = Vec::new();
        for k in 0..self.bundles.path_start.len().saturating_sub(1) {
            let (first, end) = (self.bundles.bend_start[k] as usize, self.bundles.bend_start[k + 1] as usize);
            if first == end {
                continue;
            }
            let e = self.aggregates.edges[k];
            let (a, b) = (self.node_data[e.from as usize], self.node_data[e.to as usize]);
            control.clear();
            control.push([a[0], a[1]]);
            let path = &self.bundles.path[self.bundles.path_start[k] as usize..self.bundles.path_start[k + 1] as usize];
            let containers = self.outlines.containers();
            control.extend(path.iter().map(|&c| containers[c as usize]).filter(|c| c.clean).map(|c| c.centre));
            control.push([b[0], b[1]]);
            let hidden = ((a[2] as u32) | (b[2] as u32)) & NodeFlagsGpu::HIDDEN;
            for (d, p) in self.node_data[first..end].iter_mut().zip(bundle_curve(&control, BUNDLE_BETA, end - first)) {
                *d = [p[0], p[1], hidden as f32, 0.0];
            }
        }
    }
}

#[cfg(test)]
mod tests;
