//! Level of detail: how much of the graph to draw at the current zoom, so that frame time stays
//! bounded whatever the zoom. Far out the module aggregates replace the node and edge fog; close
//! in everything is drawn, with arrowheads.

use crate::camera::Camera;
use crate::scene::Scene;

/// Individual edges fainter than this are not drawn at all.
pub const MIN_EDGE_OPACITY: f32 = 0.05;

/// Fainter than this, edges are drawn without their dash pattern: it does not show in a faint
/// fog, and it is per-fragment work on every edge drawn.
pub const MIN_PATTERN_OPACITY: f32 = 0.3;

/// What to draw at one zoom level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detail {
    /// Opacity of individual edges (0 skips the edge draw altogether).
    pub edges: f32,
    /// Opacity of individual nodes that are not highlighted.
    pub nodes: f32,
    /// Opacity of module aggregates (0 skips them).
    pub aggregates: f32,
    /// Draw arrowheads.
    pub arrows: bool,
    /// Draw module edges bundled along the module tree (at rest), not straight (while moving).
    pub bundles: bool,
}

impl Detail {
    /// Everything at full strength, no aggregates.
    pub const FULL: Self = Self { edges: 1.0, nodes: 1.0, aggregates: 0.0, arrows: true, bundles: true };
}

fn smoothstep(lo: f32, hi: f32, x: f32) -> f32 {
    let t = ((x - lo) / (hi - lo)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Below this many device pixels between neighbouring nodes, the aggregates take over.
pub const AGGREGATE_BELOW_PX: f32 = 4.0;
/// Above this, individual nodes and edges are drawn at full strength.
pub const DETAIL_ABOVE_PX: f32 = 12.0;
/// Arrowheads appear once nodes are this far apart on screen.
pub const ARROWS_ABOVE_PX: f32 = 18.0;

/// With the module map drawn, individual edges stay faint until items are this far apart on
/// screen: far out the rings and the aggregates' module edges tell the structure, and a full
/// strength edge fog would hide them.
pub const MAP_EDGES_FULL_PX: f32 = 40.0;

impl Detail {
    /// This detail under the module map: individual edges faded while items are close together.
    #[must_use]
    pub fn under_module_map(self, scene: &Scene, camera: &Camera) -> Self {
        let spacing_px = scene.spacing() * camera.scale;
        let fade = 0.2 + 0.8 * smoothstep(DETAIL_ABOVE_PX, MAP_EDGES_FULL_PX, spacing_px);
        Self { edges: self.edges * fade, ..self }
    }
}

impl Detail {
    /// The cheap drawing for a slow renderer while the view moves: no individual edges and no
    /// arrowheads, and where the graph has module aggregates, those instead of the nodes, with
    /// their edges straight.
    #[must_use]
    pub fn cheap(self, scene: &Scene) -> Self {
        if scene.aggregates.is_empty() {
            Self { edges: 0.0, arrows: false, bundles: false, ..self }
        } else {
            Self { edges: 0.0, nodes: 0.0, aggregates: 1.0, arrows: false, bundles: false }
        }
    }
}

impl Detail {
    /// The first step of a first picture: no individual edges, module edges or arrowheads (the
    /// edges are not uploaded yet); where the view already blends in module aggregates, those
    /// alone (the cheap picture's choice: on a big graph the node mesh is most of the step's
    /// work), else the nodes as they will stay.
    #[must_use]
    pub fn first_step(self, scene: &Scene) -> Self {
        if self.aggregates > 0.0 && !scene.aggregates.is_empty() {
            Self { edges: 0.0, nodes: 0.0, aggregates: 1.0, arrows: false, bundles: false }
        } else {
            Self { edges: 0.0, arrows: false, ..self }
        }
    }
}

/// The detail for `scene` seen through `camera`.
#[must_use]
pub fn detail_for(scene: &Scene, camera: &Camera) -> Detail {
    let spacing_px = scene.spacing() * camera.scale;
    let arrows = spacing_px >= ARROWS_ABOVE_PX;
    if scene.aggregates.is_empty() {
        // Without aggregates, fade dense edge meshes a little so the nodes stay readable.
        let density = (scene.edges.len() as f32 / 50_000.0).max(1.0).sqrt();
        let edges = (spacing_px * 0.5 / density).clamp(0.25, 1.0);
        return Detail { edges, nodes: 1.0, aggregates: 0.0, arrows, bundles: true };
    }
    let t = smoothstep(AGGREGATE_BELOW_PX, DETAIL_ABOVE_PX, spacing_px);
    Detail { edges: t, nodes: 0.35 + 0.65 * t, aggregates: 1.0 - t, arrows, bundles: true }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::NodeStyles;
    use isg::synth::{SynthSpec, generate};

    #[test]
    fn far_out_draws_aggregates_only_and_close_in_draws_full_detail() {
        let g = generate(SynthSpec { nodes: 20_000, edges: 80_000, seed: 3 });
        let scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
        let mut cam = Camera::new([1000.0, 800.0]);
        cam.fit(scene.bounds(), 0.0);
        let fitted = detail_for(&scene, &cam);
        assert!(fitted.aggregates > 0.0, "20k nodes fitted to the screen are already blending: {fitted:?}");
        cam.zoom_at([500.0, 400.0], 0.5);
        let far = detail_for(&scene, &cam);
        assert_eq!(far.edges, 0.0, "zoomed out past fit, individual edges are skipped: {far:?}");
        assert_eq!(far.aggregates, 1.0);
        cam.zoom_at([500.0, 400.0], 100.0);
        let near = detail_for(&scene, &cam);
        assert_eq!((near.edges, near.aggregates, near.arrows), (1.0, 0.0, true), "{near:?}");
        let mut last = 0.0;
        for step in 0..60 {
            let mut c = cam;
            c.scale = cam.scale * 1.2f32.powi(-step);
            let d = detail_for(&scene, &c);
            assert!((d.edges + d.aggregates - 1.0).abs() < 1e-5, "the two layers cross-fade");
            assert!(step == 0 || d.aggregates >= last, "aggregates only grow as we zoom out");
            last = d.aggregates;
        }
    }
}
