//! A 2D camera: world units to device pixels, pan, zoom to a point, fit to bounds.

/// An axis-aligned box in world units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Smallest corner.
    pub min: [f32; 2],
    /// Largest corner.
    pub max: [f32; 2],
}

impl Bounds {
    /// The box around `points`; a unit box around the origin when there are none.
    #[must_use]
    pub fn around(points: &[[f32; 2]]) -> Self {
        let mut b = Self { min: [f32::INFINITY; 2], max: [f32::NEG_INFINITY; 2] };
        for p in points {
            b.min = [b.min[0].min(p[0]), b.min[1].min(p[1])];
            b.max = [b.max[0].max(p[0]), b.max[1].max(p[1])];
        }
        if !b.min[0].is_finite() {
            return Self { min: [-1.0, -1.0], max: [1.0, 1.0] };
        }
        b
    }
}

/// Where the view looks and how far it is zoomed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// World point at the centre of the viewport.
    pub center: [f32; 2],
    /// Device pixels per world unit.
    pub scale: f32,
    /// Viewport size in device pixels.
    pub viewport: [f32; 2],
}

/// Zoom never goes past these, so the view cannot collapse to nothing or blow up to infinity.
const MIN_SCALE: f32 = 1e-5;
const MAX_SCALE: f32 = 1e4;

impl Camera {
    /// A camera looking at the origin at scale 1.
    #[must_use]
    pub fn new(viewport: [f32; 2]) -> Self {
        Self { center: [0.0, 0.0], scale: 1.0, viewport }
    }

    /// World point under a device-pixel position (origin top-left, y down).
    #[must_use]
    pub fn screen_to_world(&self, px: [f32; 2]) -> [f32; 2] {
        [
            self.center[0] + (px[0] - self.viewport[0] * 0.5) / self.scale,
            self.center[1] + (px[1] - self.viewport[1] * 0.5) / self.scale,
        ]
    }

    /// The same view with `px` more device pixels on every side.
    #[must_use]
    pub fn with_margin(&self, px: f32) -> Self {
        Self { viewport: [self.viewport[0] + 2.0 * px, self.viewport[1] + 2.0 * px], ..*self }
    }

    /// Device-pixel position of a world point.
    #[must_use]
    pub fn world_to_screen(&self, w: [f32; 2]) -> [f32; 2] {
        [
            (w[0] - self.center[0]) * self.scale + self.viewport[0] * 0.5,
            (w[1] - self.center[1]) * self.scale + self.viewport[1] * 0.5,
        ]
    }

    /// The world rectangle the viewport shows.
    #[must_use]
    pub fn visible(&self) -> Bounds {
        Bounds { min: self.screen_to_world([0.0, 0.0]), max: self.screen_to_world(self.viewport) }
    }

    /// Moves the view by a drag of `delta` device pixels.
    pub fn pan_pixels(&mut self, delta: [f32; 2]) {
        self.center[0] -= delta[0] / self.scale;
        self.center[1] -= delta[1] / self.scale;
    }

    /// Zooms by `factor` keeping the world point under `px` fixed.
    pub fn zoom_at(&mut self, px: [f32; 2], factor: f32) {
        let before = self.screen_to_world(px);
        self.scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let after = self.screen_to_world(px);
        self.center[0] += before[0] - after[0];
        self.center[1] += before[1] - after[1];
    }

    /// Centres `bounds` and zooms so it fills the viewport less a margin of `margin_px` each side.
    pub fn fit(&mut self, bounds: Bounds, margin_px: f32) {
        let w = (bounds.max[0] - bounds.min[0]).max(1e-3);
        let h = (bounds.max[1] - bounds.min[1]).max(1e-3);
        let avail = [(self.viewport[0] - 2.0 * margin_px).max(1.0), (self.viewport[1] - 2.0 * margin_px).max(1.0)];
        self.scale = (avail[0] / w).min(avail[1] / h).clamp(MIN_SCALE, MAX_SCALE);
        self.center = [(bounds.min[0] + bounds.max[0]) * 0.5, (bounds.min[1] + bounds.max[1]) * 0.5];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let mut c = Camera::new([800.0, 600.0]);
        c.fit(Bounds { min: [-50.0, -20.0], max: [150.0, 80.0] }, 10.0);
        let cursor = [200.0, 450.0];
        let before = c.screen_to_world(cursor);
        c.zoom_at(cursor, 3.0);
        let after = c.screen_to_world(cursor);
        assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);
        let back = c.world_to_screen(after);
        assert!((back[0] - cursor[0]).abs() < 1e-2 && (back[1] - cursor[1]).abs() < 1e-2);
    }

    #[test]
    fn fit_puts_bounds_inside_the_margins() {
        let mut c = Camera::new([1000.0, 500.0]);
        let b = Bounds { min: [0.0, 0.0], max: [100.0, 100.0] };
        c.fit(b, 20.0);
        let lo = c.world_to_screen(b.min);
        let hi = c.world_to_screen(b.max);
        assert!(lo[1] >= 19.9 && hi[1] <= 480.1, "{lo:?} {hi:?}");
        assert!((lo[0] + hi[0]) / 2.0 - 500.0 < 1e-3);
        c.pan_pixels([10.0, 0.0]);
        assert!(c.world_to_screen(b.min)[0] - lo[0] - 10.0 < 1e-3);
    }
}
