//! Overlay geometry in world units: filled convex hulls around node groups, and rectangles for the
//! minimap. Drawn as plain coloured triangles.

use bytemuck::{Pod, Zeroable};

use crate::style::Rgba;

/// One overlay triangle corner: 16 bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct OverlayVertex {
    /// World position.
    pub pos: [f32; 2],
    /// `0xRRGGBBAA`.
    pub color: u32,
    /// Keeps the stride at 16 bytes.
    pub pad: u32,
}

fn vertex(pos: [f32; 2], color: Rgba) -> OverlayVertex {
    OverlayVertex { pos, color: color.0, pad: 0 }
}

fn cross(o: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// The convex hull of `points`, counter-clockwise (Andrew's monotone chain); non-finite points are skipped.
#[must_use]
pub fn convex_hull(points: &[[f32; 2]]) -> Vec<[f32; 2]> {
    let mut pts: Vec<[f32; 2]> = points.iter().copied().filter(|p| p[0].is_finite() && p[1].is_finite()).collect();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let mut hull: Vec<[f32; 2]> = Vec::with_capacity(pts.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &[f32; 2]>> =
            if pass == 0 { Box::new(pts.iter()) } else { Box::new(pts.iter().rev()) };
        for &p in iter {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// Triangles filling the hull of `points` grown by `pad` world units (an octagon around each point).
#[must_use]
pub fn hull_triangles(points: &[[f32; 2]], pad: f32, color: Rgba) -> Vec<OverlayVertex> {
    let mut grown = Vec::with_capacity(points.len() * 8);
    for p in points {
        for k in 0..8 {
            let a = k as f32 * std::f32::consts::FRAC_PI_4;
            grown.push([p[0] + pad * a.cos(), p[1] + pad * a.sin()]);
        }
    }
    let hull = convex_hull(&grown);
    let mut out = Vec::with_capacity(hull.len().saturating_sub(2) * 3);
    for i in 1..hull.len().saturating_sub(1) {
        out.extend([vertex(hull[0], color), vertex(hull[i], color), vertex(hull[i + 1], color)]);
    }
    out
}

/// Two triangles filling the rectangle `min..max`.
#[must_use]
pub fn rect_triangles(min: [f32; 2], max: [f32; 2], color: Rgba) -> [OverlayVertex; 6] {
    let (a, b, c, d) = (min, [max[0], min[1]], max, [min[0], max[1]]);
    [vertex(a, color), vertex(b, color), vertex(c, color), vertex(a, color), vertex(c, color), vertex(d, color)]
}

/// The outline of `min..max` as four bars `width` world units thick.
#[must_use]
pub fn rect_outline(min: [f32; 2], max: [f32; 2], width: f32, color: Rgba) -> Vec<OverlayVertex> {
    let w = width;
    [
        ([min[0], min[1]], [max[0], min[1] + w]),
        ([min[0], max[1] - w], [max[0], max[1]]),
        ([min[0], min[1]], [min[0] + w, max[1]]),
        ([max[0] - w, min[1]], [max[0], max[1]]),
    ]
    .into_iter()
    .flat_map(|(a, b)| rect_triangles(a, b, color))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_keeps_the_extremes_and_drops_the_inside() {
        let pts = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [2.0, 2.0], [1.0, 3.0], [f32::NAN, 1.0]];
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 4, "{hull:?}");
        assert!(!hull.contains(&[2.0, 2.0]));
        let tris = hull_triangles(&pts, 1.0, Rgba(0xff));
        assert_eq!(tris.len() % 3, 0);
        let xs: Vec<f32> = tris.iter().map(|v| v.pos[0]).collect();
        assert!(xs.iter().copied().fold(f32::INFINITY, f32::min) <= -0.99, "padding grows the hull");
        assert!(hull_triangles(&[[1.0, 1.0]], 1.0, Rgba(0xff)).len() >= 6 * 3, "one node still gets a shape");
        assert!(hull_triangles(&[], 1.0, Rgba(0xff)).is_empty());
    }
}
