//! Image tests: real frames rendered natively by wgpu on Vulkan (Mesa's lavapipe on a CPU-only
//! machine, installed by `cargo xtask setup`) and compared with reference PNGs in
//! `tests/reference/` within a tolerance. `UPDATE_REFERENCE=1 cargo test -p renderer --test image`
//! rewrites the references; a failing comparison writes the actual frame and a diff image under
//! `target/image-diff/`.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use isg::synth::{SynthSpec, generate};
use isg::{Graph, NodeId};
use renderer::headless::{Headless, NativeBackend};
use renderer::labels::FontAtlas;
use renderer::style::{Arrow, EdgeLook, NodeLook, NodeStyles, Overlay, Rgba, Shape, StyleSheet};
use renderer::view::{ViewSettings, compose};
use renderer::{Camera, DrawOptions, NodeFlagsGpu, Scene};

const W: u32 = 320;
const H: u32 = 240;

fn gpu() -> Headless {
    Headless::new(NativeBackend::Vulkan).unwrap_or_else(|e| {
        panic!("no Vulkan adapter for the image tests ({e}); install mesa-vulkan-drivers (cargo xtask setup does)")
    })
}

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("reference PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Compares with the reference: a pixel differs when a channel is off by more than 40 of 255;
/// at most 1% of pixels may differ (anti-aliasing and rasteriser rounding differ between drivers).
fn assert_matches_reference(name: &str, rgba: &[u8]) {
    let path = reference_dir().join(format!("{name}.png"));
    let png = renderer::export::encode_png(W, H, rgba).expect("encode");
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        std::fs::write(&path, &png).expect("write reference");
        return;
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; run UPDATE_REFERENCE=1 cargo test -p renderer --test image", path.display())
    });
    let (w, h, expected) = decode(&bytes);
    assert_eq!((w, h), (W, H), "{name}: reference size");
    let mut diff = vec![0u8; rgba.len()];
    let mut differing = 0;
    for (i, (a, b)) in rgba.chunks(4).zip(expected.chunks(4)).enumerate() {
        let off = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0);
        if off > 40 {
            differing += 1;
            diff[i * 4..i * 4 + 4].copy_from_slice(&[255, 0, 255, 255]);
        } else {
            diff[i * 4..i * 4 + 4].copy_from_slice(&[a[0] / 3, a[1] / 3, a[2] / 3, 255]);
        }
    }
    let allowed = (W * H) as usize / 100;
    if differing > allowed {
        let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/image-diff");
        let _ = std::fs::create_dir_all(&out);
        let _ = std::fs::write(out.join(format!("{name}.actual.png")), &png);
        let _ = std::fs::write(
            out.join(format!("{name}.diff.png")),
            renderer::export::encode_png(W, H, &diff).unwrap_or_default(),
        );
        panic!("{name}: {differing} pixels differ from the reference (allowed {allowed}); see target/image-diff/");
    }
}

fn pixel(rgba: &[u8], p: [f32; 2]) -> [u8; 4] {
    let i = (p[1] as usize * W as usize + p[0] as usize) * 4;
    [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
}

fn near(a: [u8; 4], b: Rgba, tolerance: u8) -> bool {
    let c = b.channels();
    (0..3).all(|i| a[i].abs_diff(c[i]) <= tolerance)
}

fn small_graph() -> (Graph, Scene) {
    let g = generate(SynthSpec { nodes: 60, edges: 120, seed: 11 });
    let scene = Scene::build(&g, &renderer::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
    (g, scene)
}

fn fitted(scene: &Scene) -> Camera {
    let mut camera = Camera::new([W as f32, H as f32]);
    camera.fit(scene.bounds(), 20.0);
    camera
}

#[test]
fn default_look_matches_the_reference_and_draws_nodes_in_their_kind_colour() {
    let mut gpu = gpu();
    let atlas = FontAtlas::new().expect("font");
    let (g, scene) = small_graph();
    gpu.painter.upload(&gpu.device, &gpu.queue, &scene).expect("upload");
    let mut camera = fitted(&scene);
    // Files hold their items closely: closer than the fit (which takes in the crate's ring),
    // arrowheads show.
    camera.zoom_at([W as f32 / 2.0, H as f32 / 2.0], 2.2);
    let composed = compose(&scene, &g, &atlas, camera, DrawOptions::default(), &ViewSettings::default());
    assert!(composed.frame.options.detail.arrows, "a 60-node graph in view shows arrowheads");
    assert!(!composed.labels.is_empty());
    let rgba = gpu.render(&composed).expect("render");
    let background = Rgba::new(18, 20, 26, 255);
    let drawn = rgba.chunks(4).filter(|p| !near([p[0], p[1], p[2], p[3]], background, 6)).count();
    assert!(drawn > (W * H) as usize / 50, "only {drawn} pixels drawn");
    // The biggest node not covered by a label shows its kind colour at its centre.
    let labelled: Vec<u32> = composed.labels.iter().filter_map(|l| l.node).collect();
    let big = (0..g.node_count() as u32)
        .filter(|i| !labelled.contains(i))
        .max_by(|&a, &b| scene.size(a as usize).total_cmp(&scene.size(b as usize)))
        .expect("a node");
    let centre = camera.world_to_screen(scene.position(big as usize));
    let want = Rgba(scene.nodes[big as usize].color);
    assert!(
        near(pixel(&rgba, centre), want, 12),
        "node {big} at {centre:?} is {:?}, want {want:?}",
        pixel(&rgba, centre)
    );
    assert_matches_reference("default", &rgba);
}

#[test]
fn a_renderer_style_with_hull_halo_hidden_node_and_selection_matches_the_reference() {
    let mut gpu = gpu();
    let atlas = FontAtlas::new().expect("font");
    let (g, mut scene) = small_graph();
    let n = g.node_count();
    let looks: Vec<NodeLook> = (0..n)
        .map(|i| NodeLook {
            color: renderer::scene::group_color(g.module(NodeId(i as u32)).0 as usize),
            size: 2.0,
            shape: Shape::ALL[i % 4],
            visible: i != 3,
            halo: (i == 5).then_some(Rgba::new(0xff, 0x40, 0x40, 0xff)),
        })
        .collect();
    let mut sheet = StyleSheet { nodes: Some(looks), ..Default::default() };
    sheet.overlays.push(Overlay::Hull {
        nodes: (10..20).collect(),
        color: Rgba::new(0x40, 0xa0, 0xff, 0x50),
        label: Some("hull".into()),
    });
    sheet.overlays.push(Overlay::Annotation {
        node: 7,
        text: "look here".into(),
        color: Rgba::new(0xff, 0x90, 0x30, 0xff),
    });
    sheet.labels.insert(0, "renamed".into());
    scene.apply_style(&g, &sheet).expect("style fits");
    scene.set_highlight(&[(NodeId(0), NodeFlagsGpu::SELECTED), (NodeId(1), NodeFlagsGpu::NEIGHBOUR)]);
    gpu.painter.upload(&gpu.device, &gpu.queue, &scene).expect("upload");
    let mut camera = fitted(&scene);
    camera.zoom_at([W as f32 / 2.0, H as f32 / 2.0], 2.2);
    let options = DrawOptions { highlight: true, ..DrawOptions::default() };
    let composed = compose(&scene, &g, &atlas, camera, options, &ViewSettings::default());
    let texts: Vec<&str> = composed.labels.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts[0], "look here", "annotations are placed first: {texts:?}");
    assert!(texts.contains(&"renamed") && texts.contains(&"hull"), "{texts:?}");
    let rgba = gpu.render(&composed).expect("render");
    // Just outside node 5's rim the halo shows red.
    let p = camera.world_to_screen(scene.position(5));
    let r = scene.drawn_px(5, &camera, 4.0) * 0.5;
    let ring = pixel(&rgba, [p[0] + r * 1.2, p[1]]);
    assert!(ring[0] > ring[1] + 30, "halo pixel {ring:?}");
    assert_matches_reference("styled", &rgba);
}

#[test]
fn far_out_a_large_graph_draws_module_aggregates_and_the_minimap() {
    let mut gpu = gpu();
    let atlas = FontAtlas::new().expect("font");
    let g = generate(SynthSpec { nodes: 6000, edges: 24_000, seed: 12 });
    let scene = Scene::build(&g, &renderer::module_map::modules_first(&g), &NodeStyles::by_kind(&g));
    gpu.painter.upload(&gpu.device, &gpu.queue, &scene).expect("upload");
    let mut camera = fitted(&scene);
    camera.zoom_at([W as f32 / 2.0, H as f32 / 2.0], 0.9);
    let settings = ViewSettings { minimap: Some([96.0, 72.0]), ..ViewSettings::default() };
    let composed = compose(&scene, &g, &atlas, camera, DrawOptions::default(), &settings);
    let detail = composed.frame.options.detail;
    assert!(detail.aggregates > 0.99 && detail.edges < 0.01, "{detail:?}");
    assert!(composed.labels.iter().all(|l| l.node.is_none()), "far out, module names are the labels");
    let minimap = composed.frame.minimap.expect("minimap fits");
    let rgba = gpu.render(&composed).expect("render");
    let frame_colour = Rgba::new(0xff, 0xd0, 0x50, 0xff);
    let [x, y, w, h] = minimap.rect;
    let framed = (x as usize..(x + w) as usize)
        .flat_map(|px| (y as usize..(y + h) as usize).map(move |py| [px as f32, py as f32]))
        .filter(|&p| near(pixel(&rgba, p), frame_colour, 40))
        .count();
    assert!(framed > 20, "the minimap outlines the view ({framed} pixels)");
    assert_matches_reference("far", &rgba);
}

#[test]
fn exports_render_in_tiles_that_join_without_seams() {
    let mut gpu = gpu();
    let atlas = FontAtlas::new().expect("font");
    let (g, scene) = small_graph();
    gpu.painter.upload(&gpu.device, &gpu.queue, &scene).expect("upload");
    let composed = compose(&scene, &g, &atlas, fitted(&scene), DrawOptions::default(), &ViewSettings::default());
    gpu.painter.set_labels(&gpu.device, &gpu.queue, &composed.glyphs);
    // 2.5× the view, cut into 64-pixel tiles, must equal one render of the whole.
    let (ew, eh) = (W * 5 / 2, H * 5 / 2);
    let whole_frame = renderer::export::export_frame(&composed.frame, ew, eh);
    let whole =
        pollster::block_on(gpu.painter.render_rgba(&gpu.device, &gpu.queue, &whole_frame, ew, eh)).expect("whole");
    let plan = renderer::export::TilePlan::new(ew, eh, 64).expect("plan");
    let mut stitched = vec![0u8; whole.len()];
    for strip in plan.strips() {
        for tile in plan.tiles_in(&strip) {
            let f = renderer::export::tile_frame(&composed.frame, ew, eh, &tile);
            let px = pollster::block_on(gpu.painter.render_rgba(&gpu.device, &gpu.queue, &f, tile.width, tile.height))
                .expect("tile");
            for y in 0..tile.height as usize {
                let dst = ((tile.y as usize + y) * ew as usize + tile.x as usize) * 4;
                stitched[dst..dst + tile.width as usize * 4]
                    .copy_from_slice(&px[y * tile.width as usize * 4..(y + 1) * tile.width as usize * 4]);
            }
        }
    }
    let differing = whole
        .chunks(4)
        .zip(stitched.chunks(4))
        .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > 40))
        .count();
    assert!(differing < (ew * eh) as usize / 200, "{differing} pixels differ between tiled and whole renders");
    let png = pollster::block_on(gpu.painter.export_png(&gpu.device, &gpu.queue, &composed.frame, ew, eh, None))
        .expect("export");
    let (w, h, decoded) = decode(&png);
    assert_eq!((w, h), (ew, eh));
    assert_eq!(decoded.len(), whole.len());
    assert!(
        pollster::block_on(gpu.painter.export_png(&gpu.device, &gpu.queue, &composed.frame, 9000, 10, None)).is_err()
    );
}

/// Four class boxes: A realises T (dashed line, hollow head), B realises U (solid, filled head).
fn uml_pair() -> (Graph, Scene, Camera) {
    use isg::{GraphBuilder, NodeFlags, NodeSpec};
    let mut b = GraphBuilder::new();
    for (i, (kind, name)) in [("Struct", "A"), ("Trait", "T"), ("Struct", "B"), ("Trait", "U")].into_iter().enumerate()
    {
        let signature = format!("{} {name}", kind.to_lowercase());
        let spec = NodeSpec {
            hash: i as u64 + 1,
            kind,
            name,
            signature: &signature,
            file_path: "src/lib.rs",
            line: 1,
            flags: NodeFlags::default(),
        };
        b.add_node(spec).expect("distinct hashes");
    }
    b.add_edge(NodeId(0), NodeId(1), "Implements").expect("edge");
    b.add_edge(NodeId(2), NodeId(3), "Implements").expect("edge");
    let g = b.finish().0;
    let positions = [[0.0, 0.0], [40.0, 0.0], [0.0, 30.0], [40.0, 30.0]];
    let mut scene = Scene::build(&g, &positions, &NodeStyles::by_kind(&g));
    let look = |color: Rgba| NodeLook { color, size: 6.0, shape: Shape::Box, visible: true, halo: None };
    let edge = |dashed: bool, arrow: Arrow| EdgeLook {
        color: Rgba::new(0xe0, 0xe0, 0xff, 0xff),
        width_px: 3.0,
        visible: true,
        arrow,
        dashed,
    };
    let mut sheet = StyleSheet {
        nodes: Some((0..4).map(|_| look(Rgba::new(0x6e, 0x48, 0x26, 0xff))).collect()),
        edges: Some(vec![edge(true, Arrow::Hollow), edge(false, Arrow::Filled)]),
        ..Default::default()
    };
    for (i, text) in ["<<struct>>\nA", "<<trait>>\nT", "<<struct>>\nB", "<<trait>>\nU"].into_iter().enumerate() {
        sheet.labels.insert(i as u32, text.into());
    }
    scene.apply_style(&g, &sheet).expect("style fits");
    let camera = fitted(&scene);
    (g, scene, camera)
}

#[test]
fn uml_boxes_hold_their_text_and_realisation_is_dashed_with_a_hollow_head() {
    let mut gpu = gpu();
    let atlas = FontAtlas::new().expect("font");
    let (g, scene, camera) = uml_pair();
    let aspect = scene.box_aspect(1).expect("T is a box");
    assert!((aspect - 2.2).abs() < 0.1, "a box is as wide as its text: aspect {aspect}");
    gpu.painter.upload(&gpu.device, &gpu.queue, &scene).expect("upload");
    let composed = compose(&scene, &g, &atlas, camera, DrawOptions::default(), &ViewSettings::default());
    let texts: Vec<&str> = composed.labels.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts.len(), 4, "each box holds its label: {texts:?}");
    let rgba = gpu.render(&composed).expect("render");
    let background = Rgba::new(18, 20, 26, 255);
    let inked = |p: [f32; 2]| !near(pixel(&rgba, p), background, 10);
    let px = |i: usize| camera.world_to_screen(scene.position(i));
    let half = scene.drawn_px(0, &camera, 4.0) * 0.5;
    // Well to the side of a box's centre, past where any square glyph would reach, is still box.
    let a = px(0);
    assert!(inked([a[0] + half * 1.6, a[1] + half * 0.6]), "the box is wide");
    assert!(!inked([a[0] + half * aspect * 1.3, a[1]]), "and ends at its rim");
    // A click anywhere on the box picks it, not only near its centre.
    assert_eq!(scene.pick(&camera, [a[0] + half * 1.6, a[1] + half * 0.6], 4.0, 0.0), Some(NodeId(0)));
    assert_eq!(scene.pick(&camera, [a[0] + half * aspect * 1.3, a[1]], 4.0, 0.0), None);
    // Along each line between the boxes: the dashed one has gaps, the solid one none.
    let gaps = |from: [f32; 2], to: [f32; 2]| {
        let samples = 60;
        (0..samples)
            .filter(|&k| {
                let t = 0.3 + 0.3 * k as f32 / samples as f32;
                !inked([from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t])
            })
            .count() as f32
            / samples as f32
    };
    let (dashed, solid) = (gaps(px(0), px(1)), gaps(px(2), px(3)));
    assert!(dashed > 0.25, "dashed line gaps: {dashed}");
    assert!(solid < 0.05, "solid line gaps: {solid}");
    // Inside each arrowhead (its tip touches the box's rim; it is 12.5 px long for a 3 px line),
    // two thirds of the way back from the tip: hollow shows the background.
    let head = |target: usize| {
        let t = px(target);
        [t[0] - half * aspect - 8.0, t[1]]
    };
    assert!(!inked(head(1)), "the hollow head is empty inside: {:?}", pixel(&rgba, head(1)));
    assert!(inked(head(3)), "the filled head is filled: {:?}", pixel(&rgba, head(3)));
    assert_matches_reference("uml", &rgba);
}
