//! The picture cache, on real frames drawn natively (lavapipe on a CPU-only machine): a big
//! graph panned by whole pixels is copied from the picture, and the copy gives the pixels drawing
//! would; anything else (a zoom, a pan past the margin or between pixels, new node data, a small
//! graph, an export's tile) draws, into the picture once the look holds for a second frame.

#![cfg(not(target_arch = "wasm32"))]

use isg::synth::{SynthSpec, generate};
use renderer::gpu::PictureUse;
use renderer::headless::{Headless, NativeBackend};
use renderer::labels::FontAtlas;
use renderer::passes::PassSelection;
use renderer::style::NodeStyles;
use renderer::view::{ViewSettings, compose};
use renderer::{Bounds, Camera, DrawOptions, Scene, VIEW_MARGIN_PX};

const W: u32 = 400;
const H: u32 = 300;

struct Bench {
    gpu: Headless,
    atlas: FontAtlas,
    graph: isg::Graph,
    scene: Scene,
    fitted: Camera,
}

fn setup(nodes: usize, edges: usize) -> Bench {
    let gpu = Headless::new(NativeBackend::Vulkan).unwrap_or_else(|e| {
        panic!("no Vulkan adapter for the picture tests ({e}); install mesa-vulkan-drivers (cargo xtask setup does)")
    });
    let graph = generate(SynthSpec { nodes, edges, seed: 5 });
    let scene = Scene::build(&graph, &renderer::module_map::modules_first(&graph), &NodeStyles::by_kind(&graph));
    let mut fitted = Camera::new([W as f32, H as f32]);
    fitted.fit(scene.bounds(), 10.0);
    // Close enough that individual edges are drawn at full strength, where a copy's rounding shows most.
    fitted.zoom_at([W as f32 / 2.0, H as f32 / 2.0], 2.0);
    let mut b = Bench { gpu, atlas: FontAtlas::new().expect("bundled font"), graph, scene, fitted };
    b.gpu.painter.upload(&b.gpu.device, &b.gpu.queue, &b.scene).expect("upload");
    b
}

impl Bench {
    fn frame(&mut self, camera: Camera) -> (Vec<u8>, PictureUse) {
        self.frame_culled(camera, None)
    }

    /// A frame whose edges are culled against `cull` (world units) rather than the view.
    fn frame_culled(&mut self, camera: Camera, cull: Option<Bounds>) -> (Vec<u8>, PictureUse) {
        let settings = ViewSettings { minimap: Some([80.0, 60.0]), ..ViewSettings::default() };
        let mut composed = compose(&self.scene, &self.graph, &self.atlas, camera, DrawOptions::default(), &settings);
        composed.frame.cull = cull;
        let pixels = self.gpu.render(&composed).expect("frame");
        (pixels, self.gpu.painter.last_picture())
    }

    /// Whether a frame through `camera` would copy the picture (asked before drawing it).
    fn would_reuse(&self, camera: Camera) -> bool {
        let settings = ViewSettings { minimap: Some([80.0, 60.0]), ..ViewSettings::default() };
        let composed = compose(&self.scene, &self.graph, &self.atlas, camera, DrawOptions::default(), &settings);
        self.gpu.painter.would_reuse_picture(&composed.frame, wgpu::TextureFormat::Rgba8Unorm)
    }

    /// The world the picture drawn at `camera` covers: the view and its margin.
    fn picture_bounds(camera: Camera) -> Bounds {
        camera.with_margin(VIEW_MARGIN_PX).visible()
    }
}

fn panned(camera: Camera, px: [f32; 2]) -> Camera {
    let mut c = camera;
    c.pan_pixels(px);
    c
}

/// Channels that differ, and by how much at most.
fn difference(a: &[u8], b: &[u8]) -> (usize, u8) {
    let off: Vec<u8> = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).collect();
    (off.iter().filter(|&&d| d > 2).count(), off.iter().copied().max().unwrap_or(0))
}

#[test]
fn a_pan_by_whole_pixels_copies_the_picture_and_gives_the_pixels_drawing_gives() {
    let mut b = setup(12_000, 40_000);
    assert_eq!(b.frame(b.fitted).1, PictureUse::Direct, "a new look is drawn directly");
    assert_eq!(b.frame(b.fitted).1, PictureUse::Drawn, "the same look again draws its picture");
    for pan in [[7.0, 3.0], [-40.0, 25.0], [VIEW_MARGIN_PX, -(VIEW_MARGIN_PX)]] {
        let camera = panned(b.fitted, pan);
        let (copied, how) = b.frame(camera);
        assert_eq!(how, PictureUse::Reused, "a pan of {pan:?} within the margin reuses the picture");
        // The picture culls edges against the world it covers, the view and its margin: drawn with
        // that cull, the frame is the copy's, up to rounding (each blend into the 8-bit picture rounds).
        let (drawn, how) = b.frame_culled(camera, Some(Bench::picture_bounds(b.fitted)));
        assert_eq!(how, PictureUse::Direct, "a frame with its own cull is drawn directly");
        let (channels, max) = difference(&copied, &drawn);
        assert!(
            channels <= copied.len() / 200 && max <= 16,
            "pan {pan:?}: {channels} channels differ by more than 2 (max {max}) between the copy and a drawing"
        );
        // Drawn anew at the panned view (culled against its own margin), the frame is the copy too:
        // the margin holds every edge the view shows.
        b.gpu.painter.select_passes(PassSelection::ALL_REDRAWN);
        let (anew, how) = b.frame(camera);
        assert_eq!(how, PictureUse::Direct);
        b.gpu.painter.select_passes(PassSelection::ALL);
        let (channels, max) = difference(&copied, &anew);
        assert!(
            channels <= copied.len() / 200 && max <= 16,
            "pan {pan:?}: {channels} channels differ by more than 2 (max {max}) between the copy and the frame drawn anew"
        );
        // The next frame at the picture's own camera draws it again (the redraw replaced nothing, the
        // picture still holds the fitted view).
        let (_, how) = b.frame(b.fitted);
        assert_eq!(how, PictureUse::Reused);
    }
}

#[test]
fn a_zoom_a_far_or_fractional_pan_or_new_node_data_is_drawn_anew() {
    let mut b = setup(12_000, 40_000);
    assert!(!b.would_reuse(b.fitted), "nothing drawn yet");
    assert_eq!(b.frame(b.fitted).1, PictureUse::Direct);
    assert_eq!(b.frame(b.fitted).1, PictureUse::Drawn);
    assert!(b.would_reuse(panned(b.fitted, [5.0, -9.0])), "the core is told a pan would be copied");
    let mut closer = b.fitted;
    closer.zoom_at([W as f32 / 2.0, H as f32 / 2.0], 1.5);
    assert!(!b.would_reuse(closer), "and a zoom would not");
    let mut zoomed = b.fitted;
    zoomed.zoom_at([W as f32 / 2.0, H as f32 / 2.0], 1.01);
    assert_eq!(b.frame(zoomed).1, PictureUse::Direct, "a zoom is drawn directly");
    assert_eq!(b.frame(b.fitted).1, PictureUse::Reused, "and back, the picture still holds the fit");
    let far = VIEW_MARGIN_PX + 1.0;
    assert_eq!(b.frame(panned(b.fitted, [far, 0.0])).1, PictureUse::Drawn, "a pan past the margin");
    assert_eq!(b.frame(b.fitted).1, PictureUse::Drawn);
    assert_eq!(b.frame(panned(b.fitted, [2.5, 0.0])).1, PictureUse::Drawn, "a pan between pixels");
    assert_eq!(b.frame(b.fitted).1, PictureUse::Drawn);
    assert_eq!(b.frame(b.fitted).1, PictureUse::Reused, "the same view again");
    b.scene.set_hover(Some(isg::NodeId(0)));
    b.gpu.painter.update_node_data(&b.gpu.queue, &b.scene);
    assert_eq!(b.frame(b.fitted).1, PictureUse::Direct, "a hovered node: a new look, drawn directly");
    assert_eq!(b.frame(b.fitted).1, PictureUse::Drawn, "and its picture on the next frame");
    // Node data that changes every frame (nodes gliding) never pays for a picture.
    for step in 0..3 {
        b.scene.set_hover(Some(isg::NodeId(step + 1)));
        b.gpu.painter.update_node_data(&b.gpu.queue, &b.scene);
        assert_eq!(b.frame(b.fitted).1, PictureUse::Direct, "step {step}");
    }
}

#[test]
fn a_small_graph_is_drawn_directly_every_frame() {
    let mut b = setup(300, 900);
    assert_eq!(b.frame(b.fitted).1, PictureUse::Direct);
    assert_eq!(b.frame(panned(b.fitted, [3.0, 0.0])).1, PictureUse::Direct);
}

#[test]
fn zoomed_in_the_view_s_own_edge_list_is_drawn_into_the_picture_with_its_margin() {
    let mut b = setup(12_000, 40_000);
    let mut close = b.fitted;
    close.zoom_at([W as f32 / 2.0, H as f32 / 2.0], 6.0);
    let settings = ViewSettings::default();
    let composed = compose(&b.scene, &b.graph, &b.atlas, close, DrawOptions::default(), &settings);
    assert!(composed.edges.is_some(), "zoomed in 12×, the view draws its own edge list");
    assert_eq!(b.frame(close).1, PictureUse::Direct);
    assert_eq!(b.frame(close).1, PictureUse::Drawn);
    let camera = panned(close, [-30.0, 12.0]);
    let (copied, how) = b.frame(camera);
    assert_eq!(how, PictureUse::Reused, "a new list for the panned view needs no new picture");
    let (drawn, _) = b.frame_culled(camera, Some(Bench::picture_bounds(close)));
    let (channels, max) = difference(&copied, &drawn);
    assert!(channels <= copied.len() / 200, "{channels} channels differ by more than 2 (max {max})");
}
