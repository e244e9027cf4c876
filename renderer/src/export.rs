//! Image export: the view re-rendered at any size up to 8192 pixels a side, in tiles the GPU can
//! hold, streamed into a PNG a strip at a time so an 8K export never holds the whole image twice.

use std::io::Write;

use crate::frame::{Frame, RenderError};

/// The largest export side in pixels.
pub const MAX_EXPORT_SIDE: u32 = 8192;

/// One rectangle of the export rendered in one pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    /// Left edge in export pixels.
    pub x: u32,
    /// Top edge in export pixels.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// How an export is cut into tiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TilePlan {
    width: u32,
    height: u32,
    tile: u32,
}

impl TilePlan {
    /// Cuts `width`×`height` into tiles of at most `max_tile` a side.
    pub fn new(width: u32, height: u32, max_tile: u32) -> Result<Self, RenderError> {
        let bad = |reason: &str| RenderError::ExportSize { width, height, reason: reason.to_owned() };
        if width == 0 || height == 0 {
            return Err(bad("both sides must be at least 1 pixel"));
        }
        if width > MAX_EXPORT_SIDE || height > MAX_EXPORT_SIDE {
            return Err(bad(&format!("the largest export is {MAX_EXPORT_SIDE} pixels a side")));
        }
        Ok(Self { width, height, tile: max_tile.max(64) })
    }

    /// Width of the whole export.
    #[must_use]
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height of the whole export.
    #[must_use]
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Horizontal bands of tiles, top to bottom; each is a full-width tile row.
    #[must_use]
    pub fn strips(&self) -> Vec<Tile> {
        (0..self.height)
            .step_by(self.tile as usize)
            .map(|y| Tile { x: 0, y, width: self.width, height: self.tile.min(self.height - y) })
            .collect()
    }

    /// The tiles of one strip, left to right.
    #[must_use]
    pub fn tiles_in(&self, strip: &Tile) -> Vec<Tile> {
        (0..self.width)
            .step_by(self.tile as usize)
            .map(|x| Tile { x, y: strip.y, width: self.tile.min(self.width - x), height: strip.height })
            .collect()
    }
}

/// The frame for the whole export: the same world centre as the view, zoomed so the view's
/// visible area fits the export, with pixel sizes scaled alike (so labels stay where they were).
#[must_use]
pub fn export_frame(view: &Frame, width: u32, height: u32) -> Frame {
    let k = (width as f32 / view.camera.viewport[0]).min(height as f32 / view.camera.viewport[1]);
    let mut f = *view;
    f.camera.scale = view.camera.scale * k;
    f.camera.viewport = [width as f32, height as f32];
    f.label_scale = view.label_scale * k;
    f.minimap = None;
    f.cull = Some(f.camera.visible());
    f
}

/// The frame that renders one tile of a `width`×`height` export of `view`.
#[must_use]
pub fn tile_frame(view: &Frame, width: u32, height: u32, tile: &Tile) -> Frame {
    let whole = export_frame(view, width, height);
    let mut f = whole;
    let centre = [tile.x as f32 + tile.width as f32 * 0.5, tile.y as f32 + tile.height as f32 * 0.5];
    f.camera.center = whole.camera.screen_to_world(centre);
    f.camera.viewport = [tile.width as f32, tile.height as f32];
    f
}

/// Where the encoder writes; shared so the bytes can be taken back once the stream is finished.
#[derive(Clone, Default)]
struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A PNG being written a band of rows at a time.
pub struct PngStrips {
    writer: png::StreamWriter<'static, Sink>,
    sink: Sink,
}

fn png_error(e: impl std::fmt::Display) -> RenderError {
    RenderError::Readback(format!("PNG encoding failed: {e}"))
}

impl PngStrips {
    /// Starts an 8-bit RGBA PNG.
    pub fn new(width: u32, height: u32) -> Result<Self, RenderError> {
        let sink = Sink::default();
        let mut encoder = png::Encoder::new(sink.clone(), width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let writer = encoder.write_header().map_err(png_error)?.into_stream_writer().map_err(png_error)?;
        Ok(Self { writer, sink })
    }

    /// Appends whole rows of RGBA pixels.
    pub fn push_rows(&mut self, rgba: &[u8]) -> Result<(), RenderError> {
        self.writer.write_all(rgba).map_err(png_error)
    }

    /// Finishes the file.
    pub fn finish(self) -> Result<Vec<u8>, RenderError> {
        self.writer.finish().map_err(png_error)?;
        Ok(self.sink.0.take())
    }
}

/// Encodes tightly packed RGBA pixels as a PNG in one go.
pub fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, RenderError> {
    let mut png = PngStrips::new(width, height)?;
    png.push_rows(rgba)?;
    png.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::Camera;
    use crate::frame::DrawOptions;

    #[test]
    fn tiles_cover_the_export_exactly_once() {
        let plan = TilePlan::new(5000, 3000, 2048).unwrap();
        let mut covered = 0u64;
        for strip in plan.strips() {
            let tiles = plan.tiles_in(&strip);
            assert_eq!(tiles.iter().map(|t| t.width).sum::<u32>(), 5000);
            covered += tiles.iter().map(|t| u64::from(t.width) * u64::from(t.height)).sum::<u64>();
        }
        assert_eq!(covered, 5000 * 3000);
        assert!(TilePlan::new(8193, 10, 2048).is_err());
        assert!(TilePlan::new(0, 10, 2048).is_err());
    }

    #[test]
    fn tiles_see_the_same_world_as_the_view() {
        let mut camera = Camera::new([800.0, 600.0]);
        camera.center = [10.0, -5.0];
        camera.scale = 3.0;
        let view = Frame { camera, options: DrawOptions::default(), label_scale: 1.0, minimap: None, cull: None };
        let whole = export_frame(&view, 3200, 2400);
        assert_eq!(whole.label_scale, 4.0);
        let corner = view.camera.screen_to_world([0.0, 0.0]);
        let plan = TilePlan::new(3200, 2400, 1000).unwrap();
        let first = plan.tiles_in(&plan.strips()[0])[0];
        let tile = tile_frame(&view, 3200, 2400, &first);
        let got = tile.camera.screen_to_world([0.0, 0.0]);
        assert!((got[0] - corner[0]).abs() < 1e-3 && (got[1] - corner[1]).abs() < 1e-3, "{got:?} vs {corner:?}");
    }

    #[test]
    fn png_round_trips() {
        let rgba: Vec<u8> = (0..4 * 3 * 4).map(|i| i as u8).collect();
        let bytes = encode_png(4, 3, &rgba).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (4, 3));
        assert_eq!(&buf[..info.buffer_size()], &rgba[..]);
    }
}
