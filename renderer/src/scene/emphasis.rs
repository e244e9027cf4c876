//! A finding shown on the graph: a faint hull in the warning colour around the items it is about,
//! and the edges it names (the dependencies to cut to break a tangle) drawn in that colour and
//! wider. It sits on top of whatever style is in force and survives restyling; clearing it puts
//! the edges back as the style drew them.

use super::{Scene, edge_instance};
use crate::gpu_bits::EdgeStyleBits;
use crate::overlay::{OverlayVertex, hull_triangles};
use crate::style::{Arrow, EdgeLook, Rgba};

/// What a finding shown on the graph is about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Emphasis {
    /// Items inside the hull.
    pub nodes: Vec<u32>,
    /// Edges (in the graph's edge order) drawn in the warning colour.
    pub edges: Vec<u32>,
}

/// The warning colour, from the ABI's palette.
fn warning(alpha: u8) -> Rgba {
    Rgba::from_channels(pt_abi::WARNING_RGBA).with_alpha(alpha)
}

impl Scene {
    /// Shows `emphasis` (or nothing), replacing the one shown. Ids that are not nodes or edges
    /// of the scene are ignored.
    pub fn set_emphasis(&mut self, emphasis: Option<Emphasis>) {
        for (id, look) in std::mem::take(&mut self.emphasized) {
            self.edges[id as usize] = look;
        }
        self.emphasis = emphasis.filter(|e| !e.nodes.is_empty() || !e.edges.is_empty());
        self.apply_emphasis_edges();
        self.hull_vertices = self.hulls();
    }

    /// The finding shown, if any.
    #[must_use]
    pub fn emphasis(&self) -> Option<&Emphasis> {
        self.emphasis.as_ref()
    }

    /// Recolours the emphasis' edges over the looks in place, remembering those looks. The
    /// user's edge-kind filter and the style's own hiding still apply.
    pub(super) fn apply_emphasis_edges(&mut self) {
        let Some(emphasis) = &self.emphasis else { return };
        for &id in &emphasis.edges {
            let Some(edge) = self.edges.get_mut(id as usize) else { continue };
            self.emphasized.push((id, *edge));
            let look =
                EdgeLook { color: warning(0xff), width_px: 3.0, visible: true, arrow: Arrow::Filled, dashed: false };
            let kept = edge.style & (EdgeStyleBits::ANY_HIDDEN | EdgeStyleBits::ROUTED);
            let mut fresh = edge_instance(edge.from, edge.to, &look);
            fresh.style |= kept;
            *edge = fresh;
        }
    }

    /// The hull around the emphasis' visible items.
    pub(super) fn emphasis_hull(&self) -> Vec<OverlayVertex> {
        let Some(emphasis) = &self.emphasis else { return Vec::new() };
        let points: Vec<[f32; 2]> = emphasis
            .nodes
            .iter()
            .filter(|&&i| (i as usize) < self.node_count && !self.is_hidden(i as usize))
            .map(|&i| self.position(i as usize))
            .collect();
        hull_triangles(&points, self.spacing * 1.5, warning(0x38))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::NodeStyles;
    use crate::style::StyleSheet;
    use isg::synth::{SynthSpec, generate};

    fn scene() -> (isg::Graph, Scene) {
        let g = generate(SynthSpec { nodes: 50, edges: 200, seed: 3 });
        let positions: Vec<[f32; 2]> =
            (0..g.node_count()).map(|i| [(i % 10) as f32 * 10.0, (i / 10) as f32 * 10.0]).collect();
        let scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
        (g, scene)
    }

    #[test]
    fn a_finding_recolours_its_edges_draws_a_hull_and_clears_back_to_the_style() {
        let (g, mut scene) = scene();
        let before = scene.edges.clone();
        assert!(scene.overlay_vertices().is_empty());
        let edge = (0..scene.edges.len()).find(|&e| scene.edges[e].from != scene.edges[e].to).expect("an edge") as u32;
        scene.set_emphasis(Some(Emphasis { nodes: vec![1, 2, 3], edges: vec![edge, 9_999_999] }));
        let warned = scene.edges[edge as usize];
        assert_eq!(warned.color, Rgba::from_channels(pt_abi::WARNING_RGBA).0);
        assert_eq!(warned.style & EdgeStyleBits::WIDTH_MASK, 12, "3 px wide");
        assert_eq!(warned.style & EdgeStyleBits::ARROW, EdgeStyleBits::ARROW);
        assert!(!scene.overlay_vertices().is_empty(), "a hull around the items");
        let others: Vec<_> = (0..scene.edges.len()).filter(|&e| e != edge as usize).collect();
        assert!(others.iter().all(|&e| scene.edges[e] == before[e]), "only the finding's edge changes");
        // A style applied over it keeps the finding on top; clearing puts the style's look back.
        let sheet = StyleSheet {
            edges: Some(vec![
                EdgeLook {
                    color: Rgba::new(1, 2, 3, 255),
                    width_px: 1.0,
                    visible: true,
                    arrow: Arrow::None,
                    dashed: false
                };
                scene.edges.len()
            ]),
            ..StyleSheet::default()
        };
        scene.apply_style(&g, &sheet).expect("fits");
        assert_eq!(scene.edges[edge as usize].color, warned.color);
        scene.set_emphasis(None);
        assert_eq!(scene.edges[edge as usize].color, Rgba::new(1, 2, 3, 255).0);
        assert!(scene.overlay_vertices().is_empty());
        scene.reset_style(&g);
        assert_eq!(scene.edges, before);
    }

    #[test]
    fn the_edge_filter_still_hides_an_emphasised_edge() {
        let (g, mut scene) = scene();
        let edge = 0u32;
        let kinds = g.edge_kinds().len();
        scene.set_emphasis(Some(Emphasis { nodes: vec![], edges: vec![edge] }));
        assert!(scene.set_hidden_edge_kinds(&vec![true; kinds]));
        assert_ne!(scene.edges[edge as usize].style & EdgeStyleBits::FILTERED, 0);
        assert_eq!(scene.shown_edge_count(), 0);
    }
}
