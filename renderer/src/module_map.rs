//! The modules-first map: the module tree (crate → folder → file) as nested circles, items inside
//! their file. [`modules_first`] is the initial layout (circle packing, so containers never
//! overlap); [`ModuleOutlines`] follows whatever layout is in force and tells which containers
//! read as containers (those that do not overlap a sibling), and [`ModuleOutlines::shown`] picks
//! the ones worth drawing at a zoom level: semantic zoom, from crates far out to files close in.

use isg::{Graph, ModuleId};

use crate::camera::Camera;
use crate::overlay::OverlayVertex;
use crate::packing::{Circle, enclose, pack_siblings};
use crate::style::Rgba;

const GOLDEN_ANGLE: f32 = 2.399_963_1;

/// Node spacing in world units.
pub const SPACING: f32 = 2.2;

/// Room a container leaves between its ring and what it holds (and for its name).
fn container_pad(inner_radius: f32) -> f32 {
    SPACING * 0.8 + inner_radius * 0.06
}

/// The circle around a file's items (each taken as [`SPACING`] wide, whatever its drawn size, so
/// the packing and the outlines agree): the packing's own enclosure of them. `None` for no items.
fn items_circle(points: impl Iterator<Item = [f32; 2]>) -> Option<Circle> {
    let items: Vec<Circle> = points.map(|centre| Circle { centre, radius: SPACING * 0.5 }).collect();
    enclose(&items)
}

/// Offset of the `j`-th node on a sunflower.
fn sunflower_offset(j: usize) -> [f32; 2] {
    let r = SPACING * (j as f32).sqrt();
    let a = j as f32 * GOLDEN_ANGLE;
    [r * a.cos(), r * a.sin()]
}

/// Children of every module, parents first (the tree lists parents before children).
fn children_of(graph: &Graph) -> Vec<Vec<u32>> {
    let tree = graph.modules();
    let mut children = vec![Vec::new(); tree.len()];
    for m in 1..tree.len() {
        if let Some(p) = tree.parent(ModuleId(m as u32)) {
            children[p.0 as usize].push(m as u32);
        }
    }
    children
}

/// The initial layout: every file a disc of its items, files and folders packed as nested
/// circles, biggest first. O(n) in nodes plus the packing of each folder's children;
/// deterministic; containers never overlap.
#[must_use]
pub fn modules_first(graph: &Graph) -> Vec<[f32; 2]> {
    let tree = graph.modules();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); tree.len()];
    for n in graph.nodes() {
        members[graph.module(n).0 as usize].push(n.0);
    }
    let children = children_of(graph);
    // Bottom-up (children have larger ids): each module's radius, and its children's offsets.
    let mut radius = vec![0.0f32; tree.len()];
    let mut offset = vec![[0.0f32; 2]; tree.len()];
    // Where a module's own items sit when it also has children: a pseudo-child at this offset.
    let mut own_offset = vec![[0.0f32; 2]; tree.len()];
    let mut flower_centre = vec![[0.0f32; 2]; tree.len()];
    for m in (0..tree.len()).rev() {
        let own = members[m].len();
        let mut circles: Vec<(Option<u32>, Circle)> = children[m]
            .iter()
            .filter(|&&c| radius[c as usize] > 0.0)
            .map(|&c| (Some(c), Circle { centre: [0.0, 0.0], radius: radius[c as usize] }))
            .collect();
        // The sunflower's own circle, centred as the outlines will centre it.
        let flower = items_circle((0..own).map(sunflower_offset));
        if let Some(f) = flower {
            circles.push((None, Circle { centre: [0.0, 0.0], radius: f.radius }));
            flower_centre[m] = f.centre;
        }
        if circles.is_empty() {
            continue;
        }
        // Biggest first packs tightest; ties by id keep it deterministic.
        circles.sort_by(|a, b| b.1.radius.total_cmp(&a.1.radius).then(a.0.cmp(&b.0)));
        let mut packed: Vec<Circle> = circles.iter().map(|c| c.1).collect();
        let inner = pack_siblings(&mut packed);
        for ((child, _), circle) in circles.iter().zip(&packed) {
            match child {
                Some(c) => offset[*c as usize] = circle.centre,
                None => own_offset[m] = circle.centre,
            }
        }
        // A folder that only passes one child through adds no ring of its own.
        let pass_through = own == 0 && circles.len() == 1;
        radius[m] = if pass_through || m == 0 { inner } else { inner + container_pad(inner) };
    }
    // Top-down: absolute centres.
    let mut centre = vec![[0.0f32; 2]; tree.len()];
    for m in 1..tree.len() {
        let p = tree.parent(ModuleId(m as u32)).map_or(0, |p| p.0 as usize);
        centre[m] = [centre[p][0] + offset[m][0], centre[p][1] + offset[m][1]];
    }
    let mut positions = vec![[0.0f32; 2]; graph.node_count()];
    for (m, nodes) in members.iter().enumerate() {
        let base = [
            centre[m][0] + own_offset[m][0] - flower_centre[m][0],
            centre[m][1] + own_offset[m][1] - flower_centre[m][1],
        ];
        for (j, &n) in nodes.iter().enumerate() {
            let o = sunflower_offset(j);
            positions[n as usize] = [base[0] + o[0], base[1] + o[1]];
        }
    }
    positions
}

/// The drawn container at or above module `m` (`u32::MAX` when only the root is).
fn nearest_drawn(drawn_index: &[u32], tree: &isg::ModuleTree, mut m: usize) -> u32 {
    while m != 0 && drawn_index[m] == u32::MAX {
        m = tree.parent(ModuleId(m as u32)).map_or(0, |p| p.0 as usize);
    }
    drawn_index[m]
}

/// One container as the current positions draw it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Container {
    /// Centre in world units.
    pub centre: [f32; 2],
    /// Radius in world units, ring included.
    pub radius: f32,
    /// It overlaps none of its siblings, so it reads as a container and may be drawn.
    pub clean: bool,
}

/// A container worth drawing in one view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShownContainer {
    /// Index into [`ModuleOutlines::containers`] and its names.
    pub index: usize,
    /// Centre on screen, device pixels.
    pub centre_px: [f32; 2],
    /// Radius on screen, device pixels.
    pub radius_px: f32,
    /// Nesting level among drawn containers: 0 for the outermost (crates).
    pub level: u16,
}

/// Containers smaller than this on screen are not drawn (their items speak for them).
pub const MIN_RING_PX: f32 = 5.0;
/// At most this many rings a frame, biggest first: a bounded cost at any zoom.
pub const MAX_RINGS: usize = 1500;

/// The module tree's containers, drawn as labelled rings over any layout, kept in step with
/// positions. Folders that only pass one child through are merged into it (`tokio/src`), so a
/// chain of folders reads as one name and one ring.
#[derive(Clone, Debug, Default)]
pub struct ModuleOutlines {
    /// Per drawn container: its drawn parent (`u32::MAX` for outermost ones).
    parent: Vec<u32>,
    /// Per drawn container: nesting level.
    level: Vec<u16>,
    /// Per drawn container: its name relative to its drawn parent.
    names: Vec<String>,
    /// Per node: its innermost drawn container (`u32::MAX` when none holds it).
    node_container: Vec<u32>,
    /// Per module: the drawn container that stands for it (a merged folder's is its child's).
    module_container: Vec<u32>,
    /// Per drawn container, from the last positions.
    containers: Vec<Container>,
}

impl ModuleOutlines {
    /// The containers of `graph`'s module tree (empty when there is fewer than two).
    #[must_use]
    pub fn new(graph: &Graph) -> Self {
        let tree = graph.modules();
        let strings = graph.strings();
        let children = children_of(graph);
        let mut drawn_index = vec![u32::MAX; tree.len()];
        // For a merged folder, the prefix its single child inherits.
        let mut prefix: Vec<String> = vec![String::new(); tree.len()];
        let mut out = Self::default();
        for m in 1..tree.len() {
            let id = ModuleId(m as u32);
            let parent = tree.parent(id).map_or(0, |p| p.0 as usize);
            let name = format!("{}{}", prefix[parent], tree.name(id, strings));
            let pass_through = tree.direct_node_count(id) == 0 && children[m].len() == 1;
            // The nearest drawn ancestor: a merged parent hands its own drawn parent down.
            let drawn_parent = nearest_drawn(&drawn_index, tree, parent);
            if pass_through {
                prefix[m] = format!("{name}/");
                continue;
            }
            // `src` says nothing on its own: say whose.
            let name = match (crate::labels::GENERIC_FOLDERS.contains(&name.as_str()), drawn_parent) {
                (true, p) if p != u32::MAX => {
                    let whose = out.names[p as usize].rsplit('/').next().unwrap_or_default();
                    format!("{whose}/{name}")
                }
                _ => name,
            };
            // `crate/src` merged is the crate itself.
            let name = match name.strip_suffix("/src") {
                Some(whose) if !whose.is_empty() => whose.to_owned(),
                _ => name,
            };
            drawn_index[m] = out.names.len() as u32;
            out.parent.push(drawn_parent);
            out.level.push(if drawn_parent == u32::MAX { 0 } else { out.level[drawn_parent as usize] + 1 });
            out.names.push(name);
        }
        if out.names.len() < 2 {
            return Self::default();
        }
        out.node_container = graph.nodes().map(|n| drawn_index[graph.module(n).0 as usize]).collect();
        // A merged folder is drawn as its only child; children come after parents, so walk back.
        let mut module_container = drawn_index;
        for m in (1..tree.len()).rev() {
            if module_container[m] == u32::MAX && children[m].len() == 1 {
                module_container[m] = module_container[children[m][0] as usize];
            }
        }
        out.module_container = module_container;
        out.containers = vec![Container { centre: [0.0, 0.0], radius: 0.0, clean: false }; out.names.len()];
        out
    }

    /// True when there is nothing to draw.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The containers as the last positions drew them.
    #[must_use]
    pub fn containers(&self) -> &[Container] {
        &self.containers
    }

    /// Name of container `i`, relative to the container holding it.
    #[must_use]
    pub fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// Nesting level of container `i`.
    #[must_use]
    pub fn level(&self, i: usize) -> u16 {
        self.level[i]
    }

    /// The innermost container holding node `n`, if any.
    #[must_use]
    pub fn container_of(&self, n: usize) -> Option<usize> {
        self.node_container.get(n).filter(|&&c| c != u32::MAX).map(|&c| c as usize)
    }

    /// The drawn container standing for module `m` (itself, or the folder a chain of one-child
    /// folders is merged into), if any.
    #[must_use]
    pub fn container_of_module(&self, m: ModuleId) -> Option<usize> {
        self.module_container.get(m.0 as usize).filter(|&&c| c != u32::MAX).map(|&c| c as usize)
    }

    /// The drawn container holding container `i`, if any.
    #[must_use]
    pub fn parent(&self, i: usize) -> Option<usize> {
        self.parent.get(i).filter(|&&p| p != u32::MAX).map(|&p| p as usize)
    }

    /// Marks every container as not drawable until the next [`ModuleOutlines::update`]: while
    /// nodes glide, rings would lag behind them, and recomputing them each frame is wasted work.
    pub fn set_stale(&mut self) {
        for c in &mut self.containers {
            c.clean = false;
        }
    }

    /// Recomputes every container from node positions (hidden nodes skipped) as
    /// the packing builds it: a file's items enclosed, then each container enclosing its items and
    /// its children's circles around the centre of their bounding box, plus the ring's pad; then
    /// whether it overlaps a sibling.
    pub fn update(&mut self, node_data: &[[f32; 4]], hidden: impl Fn(usize) -> bool) {
        if self.is_empty() {
            return;
        }
        let k = self.names.len();
        let mut members: Vec<Vec<[f32; 2]>> = vec![Vec::new(); k];
        for (i, d) in node_data.iter().enumerate().take(self.node_container.len()) {
            if !hidden(i) && self.node_container[i] != u32::MAX {
                members[self.node_container[i] as usize].push([d[0], d[1]]);
            }
        }
        // Children come after their parents, so a backward pass finishes every child first.
        let mut circles: Vec<Vec<Circle>> = vec![Vec::new(); k];
        for c in (0..k).rev() {
            let mut held = std::mem::take(&mut circles[c]);
            held.extend(items_circle(members[c].iter().copied()));
            self.containers[c] = match enclose(&held) {
                Some(e) => Container { centre: e.centre, radius: e.radius + container_pad(e.radius), clean: true },
                None => Container { centre: [0.0, 0.0], radius: 0.0, clean: false },
            };
            let p = self.parent[c];
            if p != u32::MAX && self.containers[c].clean {
                circles[p as usize]
                    .push(Circle { centre: self.containers[c].centre, radius: self.containers[c].radius });
            }
        }
        self.mark_overlaps();
    }

    /// Marks containers that overlap a sibling as not clean: rings crossing rings read as noise.
    fn mark_overlaps(&mut self) {
        // Slot 0 holds the outermost containers, slot p + 1 the children of container p.
        let mut by_parent: Vec<Vec<usize>> = vec![Vec::new(); self.containers.len() + 1];
        for c in 0..self.containers.len() {
            if self.containers[c].clean {
                by_parent[self.parent[c].wrapping_add(1) as usize].push(c);
            }
        }
        // A sweep along x: each circle is compared with those whose x-span starts inside its own,
        // at most this many (a big crate spans hundreds of small ones; a scattered layout shows
        // its overlaps long before the cap), so a frame's cost stays bounded.
        const MAX_COMPARED: usize = 2048;
        for mut group in by_parent {
            let left = |c: &usize| self.containers[*c].centre[0] - self.containers[*c].radius;
            group.sort_by(|a, b| left(a).total_cmp(&left(b)));
            let mut overlapping = vec![false; group.len()];
            for i in 0..group.len() {
                let a = self.containers[group[i]];
                for j in (i + 1..group.len()).take(MAX_COMPARED) {
                    let b = self.containers[group[j]];
                    if b.centre[0] - b.radius >= a.centre[0] + a.radius {
                        break;
                    }
                    let d = ((a.centre[0] - b.centre[0]).powi(2) + (a.centre[1] - b.centre[1]).powi(2)).sqrt();
                    if d < (a.radius + b.radius) * 0.98 {
                        overlapping[i] = true;
                        overlapping[j] = true;
                    }
                }
            }
            for (i, &c) in group.iter().enumerate() {
                self.containers[c].clean &= !overlapping[i];
            }
        }
    }

    /// The containers worth drawing through `camera`: clean, at least [`MIN_RING_PX`] on screen,
    /// with their ring in view; outermost first, then biggest; at most [`MAX_RINGS`].
    #[must_use]
    pub fn shown(&self, camera: &Camera) -> Vec<ShownContainer> {
        let [w, h] = camera.viewport;
        let mut out: Vec<ShownContainer> = Vec::new();
        for (index, c) in self.containers.iter().enumerate() {
            if !c.clean {
                continue;
            }
            let radius_px = c.radius * camera.scale;
            if radius_px < MIN_RING_PX {
                continue;
            }
            let s = camera.world_to_screen(c.centre);
            // Off screen, or so big that the whole view is inside it and its ring is not in view.
            let nearest = [s[0].clamp(0.0, w), s[1].clamp(0.0, h)];
            let near = ((nearest[0] - s[0]).powi(2) + (nearest[1] - s[1]).powi(2)).sqrt();
            let far_x = (s[0]).abs().max((s[0] - w).abs());
            let far_y = (s[1]).abs().max((s[1] - h).abs());
            let far = (far_x * far_x + far_y * far_y).sqrt();
            if near > radius_px || far < radius_px {
                continue;
            }
            out.push(ShownContainer { index, centre_px: s, radius_px, level: self.level[index] });
        }
        out.sort_by(|a, b| a.level.cmp(&b.level).then(b.radius_px.total_cmp(&a.radius_px)).then(a.index.cmp(&b.index)));
        out.truncate(MAX_RINGS);
        out
    }

    /// Ring (and, for the outermost level, a faint fill) triangles for `shown`, `ring_px` device
    /// pixels wide whatever the zoom, in world units for the overlay pipeline.
    #[must_use]
    pub fn rings(&self, shown: &[ShownContainer], camera: &Camera, ring_px: f32) -> Vec<OverlayVertex> {
        let mut out = Vec::new();
        for s in shown {
            let c = self.containers[s.index];
            let width = ring_px * if s.level == 0 { 1.5 } else { 1.0 } / camera.scale;
            let segments = (s.radius_px / 4.0).clamp(12.0, 96.0) as usize;
            let filled = s.level == 0 && s.radius_px >= FILL_FROM_PX;
            let color = ring_color(s.level);
            let outer = c.radius;
            let inner = (c.radius - width).max(0.0);
            let at = |k: usize, r: f32| {
                let a = k as f32 / segments as f32 * std::f32::consts::TAU;
                [c.centre[0] + r * a.cos(), c.centre[1] + r * a.sin()]
            };
            let v = |pos: [f32; 2], color: Rgba| OverlayVertex { pos, color: color.0, pad: 0 };
            for k in 0..segments {
                let (o0, o1, i0, i1) = (at(k, outer), at(k + 1, outer), at(k, inner), at(k + 1, inner));
                out.extend([v(o0, color), v(o1, color), v(i0, color), v(i0, color), v(o1, color), v(i1, color)]);
                if filled {
                    out.extend([v(c.centre, LEVEL0_FILL), v(i0, LEVEL0_FILL), v(i1, LEVEL0_FILL)]);
                }
            }
        }
        out
    }
}

/// Outermost containers at least this big on screen (radius, device pixels) are tinted.
const FILL_FROM_PX: f32 = 40.0;

/// Faint tint inside the outermost containers, so crates read as regions.
const LEVEL0_FILL: Rgba = Rgba::new(0x7a, 0x8c, 0xb0, 0x12);

/// Ring colour by nesting level: crates strongest, files faintest.
#[must_use]
pub fn ring_color(level: u16) -> Rgba {
    match level {
        0 => Rgba::new(0x9c, 0xb0, 0xd4, 0xd0),
        1 => Rgba::new(0x86, 0x98, 0xb8, 0xa0),
        2 => Rgba::new(0x74, 0x84, 0xa0, 0x80),
        _ => Rgba::new(0x66, 0x72, 0x88, 0x68),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isg::synth::{SynthSpec, generate};

    fn outlines_of(g: &Graph, positions: &[[f32; 2]]) -> ModuleOutlines {
        let mut o = ModuleOutlines::new(g);
        let data: Vec<[f32; 4]> = positions.iter().map(|p| [p[0], p[1], 0.0, SPACING]).collect();
        o.update(&data, |_| false);
        o
    }

    #[test]
    fn the_packed_map_keeps_every_item_in_its_file_and_no_container_overlaps_another() {
        let g = generate(SynthSpec { nodes: 20_000, edges: 40_000, seed: 11 });
        let p = modules_first(&g);
        assert_eq!(p.len(), g.node_count());
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        let o = outlines_of(&g, &p);
        assert!(o.containers().len() > 10, "{} containers", o.containers().len());
        let clean = o.containers().iter().filter(|c| c.clean).count();
        assert_eq!(clean, o.containers().len(), "packed containers never overlap a sibling");
        let dist = |a: [f32; 2], b: [f32; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        for (i, q) in p.iter().enumerate() {
            let c = o.containers()[o.container_of(i).unwrap()];
            assert!(dist(*q, c.centre) < c.radius, "node {i} lies inside its file's ring");
        }
        for c in 0..o.containers().len() {
            if o.parent[c] != u32::MAX {
                let (me, up) = (o.containers()[c], o.containers()[o.parent[c] as usize]);
                assert!(
                    dist(me.centre, up.centre) + me.radius <= up.radius * 1.0001,
                    "container {c} inside its parent"
                );
            }
        }
        let mut distinct: Vec<(i64, i64)> = p.iter().map(|q| ((q[0] * 100.0) as i64, (q[1] * 100.0) as i64)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), g.node_count(), "no two items share a place");
    }

    #[test]
    fn a_scattered_layout_draws_no_crossing_rings() {
        let g = generate(SynthSpec { nodes: 3_000, edges: 6_000, seed: 2 });
        // Every node at a pseudo-random place: files are smeared over the whole picture.
        let p: Vec<[f32; 2]> =
            (0..g.node_count()).map(|i| [((i * 7919) % 997) as f32, ((i * 104_729) % 991) as f32]).collect();
        let o = outlines_of(&g, &p);
        let siblings_clean = o.containers().iter().filter(|c| c.clean).count();
        assert!(siblings_clean * 4 < o.containers().len(), "{siblings_clean} of {} clean", o.containers().len());
    }

    #[test]
    fn semantic_zoom_shows_crates_far_out_and_files_close_in() {
        let g = generate(SynthSpec { nodes: 20_000, edges: 40_000, seed: 11 });
        let p = modules_first(&g);
        let o = outlines_of(&g, &p);
        let mut cam = Camera::new([1600.0, 1000.0]);
        cam.fit(crate::Bounds::around(&p), 0.0);
        cam.scale *= 0.3;
        let far = o.shown(&cam);
        assert!(!far.is_empty() && far.iter().all(|s| s.level <= 1), "far out: outer levels only");
        cam.scale /= 0.3;
        let fit_levels = o.shown(&cam).iter().map(|s| s.level).max().unwrap();
        cam.center = o.containers()[o.container_of(0).unwrap()].centre;
        cam.scale *= 40.0;
        let near = o.shown(&cam);
        let deepest = near.iter().map(|s| s.level).max().unwrap();
        assert!(deepest > fit_levels || near.iter().any(|s| Some(s.index) == o.container_of(0)), "closer in, files");
        assert!(near.len() <= MAX_RINGS);
        let rings = o.rings(&near, &cam, 1.5);
        assert!(!rings.is_empty() && rings.len().is_multiple_of(3));
    }

    #[test]
    fn folder_chains_merge_into_one_named_container() {
        use isg::{GraphBuilder, NodeFlags, NodeSpec};
        let mut b = GraphBuilder::new();
        let files = [
            "crates/tokio/src/runtime/mod.rs",
            "crates/tokio/src/runtime/task.rs",
            "crates/tokio/src/lib.rs",
            "crates/bytes/src/lib.rs",
        ];
        for (i, file) in files.iter().enumerate() {
            let spec = NodeSpec {
                hash: i as u64 + 1,
                kind: "Function",
                name: "f",
                signature: "fn f()",
                file_path: file,
                line: 1,
                flags: NodeFlags::default(),
            };
            b.add_node(spec).expect("distinct hashes");
        }
        let g = b.finish().0;
        let o = ModuleOutlines::new(&g);
        let named: Vec<(&str, u16)> = (0..o.names.len()).map(|i| (o.name(i), o.level(i))).collect();
        assert_eq!(
            named,
            [
                ("crates", 0),
                ("tokio", 1),
                ("runtime", 2),
                ("mod.rs", 3),
                ("task.rs", 3),
                ("lib.rs", 2),
                ("bytes/src/lib.rs", 1)
            ],
            "one-child folders merge into the name below them"
        );
        assert_eq!(o.container_of(3).map(|c| o.name(c)), Some("bytes/src/lib.rs"));
    }
}
