//! The label placer's and the atlas's tests.

use super::*;
use crate::style::NodeStyles;
use isg::synth::{SynthSpec, generate};

#[test]
fn atlas_holds_every_printable_glyph_with_a_real_distance_field() {
    let atlas = FontAtlas::new().unwrap();
    assert_eq!(atlas.glyphs.len(), usize::from(LAST_CHAR - FIRST_CHAR) + 1);
    let inside = atlas.pixels.iter().filter(|&&p| p > 160).count();
    let outside = atlas.pixels.iter().filter(|&&p| p < 90).count();
    let edge = atlas.pixels.iter().filter(|&&p| (100..=156).contains(&p)).count();
    assert!(inside > 1000 && outside > 1000 && edge > 1000, "{inside} {outside} {edge}");
    let mut quads = Vec::new();
    let label = PlacedLabel {
        anchor: [1.0, 2.0],
        offset: [0.0, 0.0],
        text: "ab c✓".into(),
        px: 16.0,
        color: Rgba(0xffff_ffff),
        node: None,
    };
    atlas.glyphs(&[label], &mut quads);
    assert_eq!(quads.len(), 4, "spaces draw nothing; unknown characters draw as ?");
    assert!(quads[1].offset[0] > quads[0].offset[0] && quads[3].offset[0] > quads[2].offset[0]);
    assert!(quads.iter().all(|q| q.uv[2] <= 1.0 && q.uv[3] <= 1.0 && q.size[1] > 8.0));
    assert_eq!(quads[3].uv, atlas.glyphs[char_index('?')].uv);
}

#[test]
fn module_names_keep_the_crate_when_the_folder_is_generic() {
    assert_eq!(module_label("crates/regex/src"), "regex/src");
    assert_eq!(module_label("tokio/src/runtime"), "runtime");
    assert_eq!(module_label("src"), "src");
    assert_eq!(module_label("a/b/tests/"), "b/tests");
    assert_eq!(module_label(""), "(root)");
}

#[test]
fn labels_never_overlap_and_the_selection_comes_first() {
    let g = generate(SynthSpec { nodes: 20_000, edges: 60_000, seed: 5 });
    let mut scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
    let atlas = FontAtlas::new().unwrap();
    let mut cam = Camera::new([1600.0, 1000.0]);
    cam.fit(scene.bounds(), 0.0);
    cam.zoom_at([800.0, 500.0], 5.0);
    let lonely = scene.by_degree[scene.by_degree.len() - 1];
    cam.center = scene.position(lonely as usize);
    scene.set_highlight(&[(NodeId(lonely), NodeFlagsGpu::SELECTED)]);
    let detail = crate::lod::detail_for(&scene, &cam);
    let labels = place_labels(&scene, &g, &cam, &detail, &atlas, &LabelOptions::default(), &[]);
    assert_eq!(labels[0].node, Some(lonely), "the selected node is labelled first, whatever its degree");
    assert!(labels.len() > 100, "{} labels", labels.len());
    assert_labels_apart(&labels, &cam, &atlas);
}

#[test]
fn a_full_screen_of_small_text_keeps_at_least_two_thousand_labels() {
    let g = generate(SynthSpec { nodes: 60_000, edges: 120_000, seed: 6 });
    let scene = Scene::build(&g, &crate::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
    let atlas = FontAtlas::new().unwrap();
    let mut cam = Camera::new([3840.0, 2160.0]);
    cam.fit(scene.bounds(), 0.0);
    // Twice the fit: the whole screen is files full of items, with every name drawable.
    cam.zoom_at([1920.0, 1080.0], 2.0);
    let detail = crate::lod::detail_for(&scene, &cam);
    let options = LabelOptions { font_px: 11.0, ..LabelOptions::default() };
    let labels = place_labels(&scene, &g, &cam, &detail, &atlas, &options, &[]);
    assert!(labels.len() >= 2000, "{} labels at 4K", labels.len());
}
