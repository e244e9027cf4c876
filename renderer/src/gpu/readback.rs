//! Drawing off screen and reading pixels back: single images, tiled PNG export, and waiting for
//! the GPU without blocking the browser.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Idle, Painter};
use crate::export::{PngStrips, TilePlan, tile_frame};
use crate::frame::{Frame, RenderError};
use crate::legend::LegendImage;

impl Painter {
    /// Draws `frame` into a fresh `width`×`height` RGBA texture and reads the pixels back
    /// (tightly packed RGBA, rows top to bottom).
    pub async fn render_rgba(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &Frame,
        width: u32,
        height: u32,
    ) -> Result<Vec<u8>, RenderError> {
        let format = wgpu::TextureFormat::Rgba8Unorm;
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("off-screen"),
            size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let padded = (width * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("read-back"),
            size: u64::from(padded) * u64::from(height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("off-screen") });
        self.encode(device, queue, &mut encoder, &view, format, frame);
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(height),
                },
            },
            wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
        );
        queue.submit([encoder.finish()]);
        let slice = buffer.slice(..);
        let done = Arc::new(AtomicBool::new(false));
        let failed = Arc::new(AtomicBool::new(false));
        let (d, f) = (done.clone(), failed.clone());
        slice.map_async(wgpu::MapMode::Read, move |r| {
            f.store(r.is_err(), Ordering::Release);
            d.store(true, Ordering::Release);
        });
        wait_for(device, &done, self.idle).await;
        if failed.load(Ordering::Acquire) {
            return Err(RenderError::Readback("the read-back buffer could not be mapped".into()));
        }
        let mapped = slice.get_mapped_range().map_err(|e| RenderError::Readback(e.to_string()))?;
        let mut out = Vec::with_capacity((width * height * 4) as usize);
        for row in mapped.chunks(padded as usize).take(height as usize) {
            out.extend_from_slice(&row[..(width * 4) as usize]);
        }
        drop(mapped);
        buffer.unmap();
        Ok(out)
    }

    /// Waits until the GPU has finished everything submitted so far (for frame timing).
    pub async fn finish(&self, device: &wgpu::Device, queue: &wgpu::Queue) {
        let done = Arc::new(AtomicBool::new(false));
        let d = done.clone();
        queue.on_submitted_work_done(move || d.store(true, Ordering::Release));
        wait_for(device, &done, self.idle).await;
    }

    /// Exports the view in `frame` as a `width`×`height` PNG (up to 8192 a side), rendered in
    /// tiles the device can hold and streamed into the encoder a strip at a time, with `legend`
    /// blended in at its pixel position when one is given.
    pub async fn export_png(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &Frame,
        width: u32,
        height: u32,
        legend: Option<(&LegendImage, [u32; 2])>,
    ) -> Result<Vec<u8>, RenderError> {
        let plan = TilePlan::new(width, height, self.max_texture_dimension.min(2048))?;
        let mut png = PngStrips::new(width, height)?;
        // An export may show more than the view (another aspect); it draws every edge.
        let view_edges = self.visible_edge_count.take();
        let result = self.export_strips(device, queue, frame, plan, &mut png, legend).await;
        self.visible_edge_count = view_edges;
        result?;
        png.finish()
    }

    async fn export_strips(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        frame: &Frame,
        plan: TilePlan,
        png: &mut PngStrips,
        legend: Option<(&LegendImage, [u32; 2])>,
    ) -> Result<(), RenderError> {
        let (width, height) = (plan.width(), plan.height());
        for strip in plan.strips() {
            let mut rows = vec![0u8; (width * strip.height * 4) as usize];
            for tile in plan.tiles_in(&strip) {
                let tile_frame = tile_frame(frame, width, height, &tile);
                let pixels = self.render_rgba(device, queue, &tile_frame, tile.width, tile.height).await?;
                for y in 0..tile.height as usize {
                    let dst = (y * width as usize + tile.x as usize) * 4;
                    let src = y * tile.width as usize * 4;
                    rows[dst..dst + tile.width as usize * 4]
                        .copy_from_slice(&pixels[src..src + tile.width as usize * 4]);
                }
            }
            if let Some((image, at)) = legend {
                image.composite(&mut rows, width, strip.y, at);
            }
            png.push_rows(&rows)?;
        }
        Ok(())
    }
}

/// Polls `device` until `done` is set: blocking natively, letting the event loop run (`idle`)
/// between polls on the web.
async fn wait_for(device: &wgpu::Device, done: &AtomicBool, idle: Idle) {
    while !done.load(Ordering::Acquire) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            // A failed poll shows as `done` never being set, which the caller reports.
            device.poll(wgpu::PollType::wait_indefinitely()).ok();
            let _ = idle;
        }
        #[cfg(target_arch = "wasm32")]
        {
            // WebGL2 fences are only checked by polling; WebGPU resolves on the event loop.
            device.poll(wgpu::PollType::Poll).ok();
            if !done.load(Ordering::Acquire) {
                idle().await;
            }
        }
    }
}
