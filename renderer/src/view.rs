//! One call that turns the scene and camera into everything a frame needs: the level of detail,
//! the labels (placed and as glyph quads) and the minimap. Shared by the app, the image tests and
//! the benches so all three draw the same picture.

use isg::Graph;

use crate::camera::Camera;
use crate::frame::{DrawOptions, Frame, Minimap};
use crate::labels::{FontAtlas, GlyphInstance, LabelOptions, PlacedLabel, place_labels};
use crate::lod::detail_for;
use crate::scene::{EdgeInstance, Scene};

/// What to draw besides the graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewSettings {
    /// Label placement, or `None` for no labels.
    pub labels: Option<LabelOptions>,
    /// Minimap size in device pixels, or `None` for no minimap.
    pub minimap: Option<[f32; 2]>,
}

impl Default for ViewSettings {
    fn default() -> Self {
        Self { labels: Some(LabelOptions::default()), minimap: None }
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
    /// Zoomed in on a big graph: only the edges touching the view (`None`: draw every edge).
    pub edges: Option<Vec<EdgeInstance>>,
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
    let detail = detail_for(scene, &camera);
    let options = DrawOptions { detail, ..options };
    let labels = settings.labels.map(|l| place_labels(scene, graph, &camera, &detail, atlas, &l)).unwrap_or_default();
    let mut glyphs = Vec::new();
    atlas.glyphs(&labels, &mut glyphs);
    let minimap = settings.minimap.and_then(|size| {
        let fits = camera.viewport[0] > size[0] * 2.0 && camera.viewport[1] > size[1] * 2.0;
        fits.then(|| Minimap::corner(camera.viewport, size, 12.0, scene.bounds()))
    });
    let edges = scene.visible_edges(&camera);
    Composed { frame: Frame { camera, options, label_scale: 1.0, minimap, cull: None }, labels, glyphs, edges }
}
