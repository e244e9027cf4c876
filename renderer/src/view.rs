//! One call that turns the scene and camera into everything a frame needs: the level of detail,
//! the labels (placed and as glyph quads) and the minimap. Shared by the app, the image tests and
//! the benches so all three draw the same picture.

use isg::Graph;

use crate::camera::Camera;
use crate::frame::{DrawOptions, Frame, Minimap, VIEW_MARGIN_PX};
use crate::labels::{FontAtlas, GlyphInstance, LabelOptions, PlacedLabel, place_labels};
use crate::lod::detail_for;
use crate::module_map::ShownContainer;
use crate::overlay::OverlayVertex;
use crate::scene::{EdgeInstance, Scene};

/// What to draw besides the graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewSettings {
    /// Label placement, or `None` for no labels.
    pub labels: Option<LabelOptions>,
    /// Minimap size in device pixels, or `None` for no minimap.
    pub minimap: Option<[f32; 2]>,
    /// Width of the module containers' rings in device pixels, or `None` for no containers.
    pub rings_px: Option<f32>,
    /// Draw the cheap picture ([`crate::lod::Detail::cheap`], no labels): a slow renderer while the view moves.
    pub cheap: bool,
    /// The first step of a new graph's first picture: nodes or module aggregates only
    /// ([`crate::lod::Detail::first_step`]), no edges and no labels, drawn before the edges are
    /// uploaded (see `Painter::upload_nodes`).
    pub first_step: bool,
}

impl Default for ViewSettings {
    fn default() -> Self {
        Self {
            labels: Some(LabelOptions::default()),
            minimap: None,
            rings_px: Some(1.2),
            cheap: false,
            first_step: false,
        }
    }
}

/// A frame ready to draw, with the labels it shows.
#[derive(Clone, Debug)]
pub struct Composed {
    /// Camera, options with detail filled in, minimap.
    pub frame: Frame,
    /// Labels chosen for the view (for SVG export and tests).
    pub labels: Vec<PlacedLabel>,
    /// Their glyph quads (for the GPU).
    pub glyphs: Vec<GlyphInstance>,
    /// Zoomed in on a big graph: only the edges touching the view and its margin (`None`: draw every edge).
    pub edges: Option<Vec<EdgeInstance>>,
    /// The module containers drawn in this view, outermost first.
    pub containers: Vec<ShownContainer>,
    /// Their rings, in world units, drawn under the graph.
    pub rings: Vec<OverlayVertex>,
}

/// Composes a frame of `scene` seen through `camera`.
#[must_use]
pub fn compose(
    scene: &Scene,
    graph: &Graph,
    atlas: &FontAtlas,
    camera: Camera,
    options: DrawOptions,
    settings: &ViewSettings,
) -> Composed {
    let containers = settings.rings_px.map(|_| scene.outlines.shown(&camera)).unwrap_or_default();
    let detail = detail_for(scene, &camera);
    let detail = if containers.is_empty() { detail } else { detail.under_module_map(scene, &camera) };
    let detail = if settings.cheap { detail.cheap(scene) } else { detail };
    let detail = if settings.first_step { detail.first_step(scene) } else { detail };
    let options = DrawOptions { detail, ..options };
    let rings = settings.rings_px.map(|px| scene.outlines.rings(&containers, &camera, px)).unwrap_or_default();
    let labels = (!settings.cheap && !settings.first_step)
        .then_some(settings.labels)
        .flatten()
        .map(|l| place_labels(scene, graph, &camera, &detail, atlas, &l, &containers))
        .unwrap_or_default();
    let mut glyphs = Vec::new();
    atlas.glyphs(&labels, &mut glyphs);
    let minimap = settings.minimap.and_then(|size| {
        let fits = camera.viewport[0] > size[0] * 2.0 && camera.viewport[1] > size[1] * 2.0;
        fits.then(|| {
            Minimap::corner(camera.viewport, size, 12.0, scene.picture_bounds(None, settings.rings_px.is_some()))
        })
    });
    let edges = if settings.first_step { None } else { scene.visible_edges(&camera.with_margin(VIEW_MARGIN_PX)) };
    Composed {
        frame: Frame { camera, options, label_scale: 1.0, minimap, cull: None },
        labels,
        glyphs,
        edges,
        containers,
        rings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::NodeStyles;
    use isg::synth::{SynthSpec, generate};

    #[test]
    fn the_module_map_reads_as_modules_far_out_and_items_close_in_with_no_label_over_another() {
        let g = generate(SynthSpec { nodes: 20_000, edges: 50_000, seed: 21 });
        let scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
        let atlas = FontAtlas::new().unwrap();
        let mut camera = Camera::new([1600.0, 1000.0]);
        camera.fit(scene.bounds(), 0.0);
        let settings = ViewSettings::default();
        let far = compose(&scene, &g, &atlas, camera, DrawOptions::default(), &settings);
        assert!(!far.containers.is_empty() && !far.rings.is_empty());
        let named: Vec<&PlacedLabel> = far.labels.iter().filter(|l| l.node.is_none()).collect();
        assert!(named.len() >= 3, "at fit, crate and folder names: {:?}", far.labels);
        assert!(far.labels.iter().all(|l| l.node.is_none()), "at fit, no item is named");
        assert!(far.frame.options.detail.edges < 0.5, "at fit, the edge fog is faded");
        // On one file, close in: its items are named, and names never overlap anything.
        let file = scene.outlines.container_of(0).unwrap();
        camera.center = scene.outlines.containers()[file].centre;
        camera.scale = 500.0 / scene.outlines.containers()[file].radius;
        let near = compose(&scene, &g, &atlas, camera, DrawOptions::default(), &settings);
        assert!(near.labels.iter().filter(|l| l.node.is_some()).count() > 10, "{} labels", near.labels.len());
        assert!(near.labels.iter().any(|l| l.node.is_none()), "the file's name stays");
        for composed in [&far, &near] {
            crate::labels::assert_labels_apart(&composed.labels, &composed.frame.camera, &atlas);
        }
        let off =
            compose(&scene, &g, &atlas, camera, DrawOptions::default(), &ViewSettings { rings_px: None, ..settings });
        assert!(off.rings.is_empty() && off.containers.is_empty(), "o turns the map off");
        let cheap =
            compose(&scene, &g, &atlas, camera, DrawOptions::default(), &ViewSettings { cheap: true, ..settings });
        let d = cheap.frame.options.detail;
        assert!(
            cheap.labels.is_empty() && d.edges == 0.0 && d.aggregates == 1.0 && !d.bundles,
            "the cheap picture: {d:?}"
        );
        let first =
            compose(&scene, &g, &atlas, camera, DrawOptions::default(), &ViewSettings { first_step: true, ..settings });
        let d = first.frame.options.detail;
        assert!(first.labels.is_empty() && first.edges.is_none(), "a first step places no label and lists no edge");
        assert!(d.edges == 0.0 && !d.arrows, "a first step draws no edge: {d:?}");
        assert_eq!((d.nodes, d.aggregates), (near.frame.options.detail.nodes, near.frame.options.detail.aggregates));
        let first_far = compose(
            &scene,
            &g,
            &atlas,
            far.frame.camera,
            DrawOptions::default(),
            &ViewSettings { first_step: true, ..settings },
        );
        let d = first_far.frame.options.detail;
        assert!(
            far.frame.options.detail.aggregates > 0.0 && d.aggregates == 1.0 && d.nodes == 0.0 && d.edges == 0.0,
            "far out, a first step draws the aggregates alone: {d:?}"
        );
    }
}
