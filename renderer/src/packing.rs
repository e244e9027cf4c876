//! Circle packing: siblings packed tightly around the origin without overlap, by the front-chain
//! method of Wang et al. (2006) as d3-hierarchy's `packSiblings` does it, then enclosed.
//! Used by the modules-first map, where files and folders are nested circles.

/// A circle in a packing: its radius in, its centre out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Circle {
    /// Centre, relative to the enclosing circle's centre once packed.
    pub centre: [f32; 2],
    /// Radius; zero-radius circles are packed as points.
    pub radius: f32,
}

fn intersects(a: &Circle, b: &Circle) -> bool {
    let dr = a.radius + b.radius - 1e-6 * (a.radius + b.radius).max(1.0);
    let dx = b.centre[0] - a.centre[0];
    let dy = b.centre[1] - a.centre[1];
    dr > 0.0 && dr * dr > dx * dx + dy * dy
}

/// Puts `c` tangent to both `a` and `b`, on the left of the line from `a` to `b`.
fn place(b: &Circle, a: &Circle, c: &mut Circle) {
    let dx = b.centre[0] - a.centre[0];
    let dy = b.centre[1] - a.centre[1];
    let d2 = dx * dx + dy * dy;
    if d2 > 0.0 {
        let a2 = (a.radius + c.radius).powi(2);
        let b2 = (b.radius + c.radius).powi(2);
        if a2 > b2 {
            let x = (d2 + b2 - a2) / (2.0 * d2);
            let y = (b2 / d2 - x * x).max(0.0).sqrt();
            c.centre = [b.centre[0] - x * dx - y * dy, b.centre[1] - x * dy + y * dx];
        } else {
            let x = (d2 + a2 - b2) / (2.0 * d2);
            let y = (a2 / d2 - x * x).max(0.0).sqrt();
            c.centre = [a.centre[0] + x * dx - y * dy, a.centre[1] + x * dy + y * dx];
        }
    } else {
        c.centre = [a.centre[0] + c.radius, a.centre[1]];
    }
}

/// Packs `circles` (in the given order; biggest first packs best) so that none overlap, centred
/// on the circle that encloses them all, and returns that circle's radius.
pub fn pack_siblings(circles: &mut [Circle]) -> f32 {
    let n = circles.len();
    if n == 0 {
        return 0.0;
    }
    circles[0].centre = [0.0, 0.0];
    if n == 1 {
        return circles[0].radius;
    }
    circles[0].centre = [-circles[1].radius, 0.0];
    circles[1].centre = [circles[0].radius, 0.0];
    if n > 2 {
        front_chain(circles);
    }
    let Some(enclosing) = enclose(circles) else { return 0.0 };
    for c in circles.iter_mut() {
        c.centre[0] -= enclosing.centre[0];
        c.centre[1] -= enclosing.centre[1];
    }
    enclosing.radius
}

/// Places circles 2.. against the front chain, a circular list of the outermost circles.
fn front_chain(circles: &mut [Circle]) {
    let n = circles.len();
    let (c0, c1) = (circles[0], circles[1]);
    place(&c1, &c0, &mut circles[2]);
    let mut next = vec![0usize; n];
    let mut prev = vec![0usize; n];
    // Chain a → b → c → a.
    let (mut a, mut b) = (0usize, 1usize);
    next[a] = 1;
    prev[1] = a;
    next[1] = 2;
    prev[2] = 1;
    next[2] = 0;
    prev[0] = 2;
    let score = |circles: &[Circle], next: &[usize], i: usize| {
        let (p, q) = (&circles[i], &circles[next[i]]);
        let ab = p.radius + q.radius;
        if ab <= 0.0 {
            return p.centre[0] * p.centre[0] + p.centre[1] * p.centre[1];
        }
        let dx = (p.centre[0] * q.radius + q.centre[0] * p.radius) / ab;
        let dy = (p.centre[1] * q.radius + q.centre[1] * p.radius) / ab;
        dx * dx + dy * dy
    };
    let mut i = 3;
    // Each retry drops a circle from the chain, so retries are bounded by the chain's length;
    // the guard only protects against floating-point surprises.
    let mut retries = 0usize;
    while i < n {
        let (ca, cb) = (circles[a], circles[b]);
        place(&ca, &cb, &mut circles[i]);
        let c = circles[i];
        let (mut j, mut k) = (next[b], prev[a]);
        let (mut sj, mut sk) = (circles[b].radius, circles[a].radius);
        let mut collided = false;
        if retries < 4 * n {
            loop {
                if sj <= sk {
                    if intersects(&circles[j], &c) {
                        b = j;
                        next[a] = b;
                        prev[b] = a;
                        collided = true;
                        break;
                    }
                    sj += circles[j].radius;
                    j = next[j];
                } else {
                    if intersects(&circles[k], &c) {
                        a = k;
                        next[a] = b;
                        prev[b] = a;
                        collided = true;
                        break;
                    }
                    sk += circles[k].radius;
                    k = prev[k];
                }
                if j == next[k] {
                    break;
                }
            }
        }
        if collided {
            retries += 1;
            continue;
        }
        // Insert c between a and b, then restart the chain at the pair closest to the origin.
        prev[i] = a;
        next[i] = b;
        next[a] = i;
        prev[b] = i;
        b = i;
        let mut best = a;
        let mut best_score = score(circles, &next, a);
        let mut cursor = next[i];
        while cursor != b {
            let s = score(circles, &next, cursor);
            if s < best_score {
                best = cursor;
                best_score = s;
            }
            cursor = next[cursor];
        }
        a = best;
        b = next[a];
        i += 1;
        retries = 0;
    }
}

/// A circle around all of `circles`: centred on their bounding box, as small as that centre
/// allows. Not the minimal enclosing circle, but within a few percent of it for a packing.
/// `None` for no circles.
#[must_use]
pub fn enclose(circles: &[Circle]) -> Option<Circle> {
    if circles.is_empty() {
        return None;
    }
    let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
    for c in circles {
        for axis in 0..2 {
            lo[axis] = lo[axis].min(c.centre[axis] - c.radius);
            hi[axis] = hi[axis].max(c.centre[axis] + c.radius);
        }
    }
    let centre = [(lo[0] + hi[0]) * 0.5, (lo[1] + hi[1]) * 0.5];
    let radius = circles
        .iter()
        .map(|c| ((c.centre[0] - centre[0]).powi(2) + (c.centre[1] - centre[1]).powi(2)).sqrt() + c.radius)
        .fold(0.0f32, f32::max);
    Some(Circle { centre, radius })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: &Circle, b: &Circle) -> f32 {
        let d = ((a.centre[0] - b.centre[0]).powi(2) + (a.centre[1] - b.centre[1]).powi(2)).sqrt();
        a.radius + b.radius - d
    }

    fn radii(seed: u64, n: usize) -> Vec<Circle> {
        let mut state = seed;
        let mut out: Vec<Circle> = (0..n)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let u = (state >> 40) as f32 / (1u64 << 24) as f32;
                Circle { centre: [0.0, 0.0], radius: 1.0 + 30.0 * u * u * u }
            })
            .collect();
        out.sort_by(|a, b| b.radius.total_cmp(&a.radius));
        out
    }

    #[test]
    fn packed_siblings_never_overlap_and_stay_inside_a_tight_enclosure() {
        for (seed, n) in [(1, 1), (2, 2), (3, 3), (4, 7), (5, 60), (6, 400), (7, 2000)] {
            let mut circles = radii(seed, n);
            let r = pack_siblings(&mut circles);
            for (i, a) in circles.iter().enumerate() {
                let d = (a.centre[0].powi(2) + a.centre[1].powi(2)).sqrt();
                assert!(d + a.radius <= r * 1.0001 + 1e-3, "circle {i} of {n} leaves the enclosure");
                for b in &circles[i + 1..] {
                    assert!(overlap(a, b) < 1e-3 * (a.radius + b.radius), "{n} circles: {a:?} overlaps {b:?}");
                }
            }
            // Tight: the enclosure holds the circles' area at a density a good packing reaches.
            let area: f32 = circles.iter().map(|c| c.radius * c.radius).sum();
            let density = area / (r * r);
            assert!(n < 7 || density > 0.5, "{n} circles fill only {density:.2} of their enclosure");
        }
    }

    #[test]
    fn equal_circles_and_points_pack_too() {
        let mut same = vec![Circle { centre: [0.0, 0.0], radius: 2.0 }; 50];
        let r = pack_siblings(&mut same);
        assert!(r < 2.0 * 50f32.sqrt() * 1.3, "{r}");
        let mut points = vec![Circle { centre: [0.0, 0.0], radius: 0.0 }; 5];
        let r = pack_siblings(&mut points);
        assert!(r.is_finite() && points.iter().all(|c| c.centre[0].is_finite() && c.centre[1].is_finite()));
    }
}
