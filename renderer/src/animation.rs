//! Smooth moves between two sets of positions, so a layout's result animates in.

/// A move of every node from one position to another over a fixed time.
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    from: Vec<[f32; 2]>,
    to: Vec<[f32; 2]>,
    start_ms: f64,
    duration_ms: f64,
}

impl Transition {
    /// Starts at `start_ms`; `from` and `to` must have one position per node.
    #[must_use]
    pub fn new(from: Vec<[f32; 2]>, to: Vec<[f32; 2]>, start_ms: f64, duration_ms: f64) -> Self {
        Self { from, to, start_ms, duration_ms: duration_ms.max(1.0) }
    }

    /// Where the nodes are at `now_ms`, and whether the move is over. Non-finite targets jump.
    #[must_use]
    pub fn at(&self, now_ms: f64) -> (Vec<[f32; 2]>, bool) {
        let t = ((now_ms - self.start_ms) / self.duration_ms).clamp(0.0, 1.0) as f32;
        // At the end, exactly the target: interpolation would leave rounding errors behind.
        if t >= 1.0 || self.duration_ms <= 0.0 {
            return (self.to.clone(), true);
        }
        // Ease in and out (smootherstep): no jolt at either end.
        let e = t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
        let positions = self
            .from
            .iter()
            .zip(&self.to)
            .map(|(a, b)| {
                if a[0].is_finite() && a[1].is_finite() {
                    [a[0] + (b[0] - a[0]) * e, a[1] + (b[1] - a[1]) * e]
                } else {
                    *b
                }
            })
            .collect();
        (positions, t >= 1.0)
    }

    /// The final positions.
    #[must_use]
    pub fn target(&self) -> &[[f32; 2]] {
        &self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_ease_from_start_to_target_and_finish() {
        let t = Transition::new(vec![[0.0, 0.0], [f32::NAN, 0.0]], vec![[10.0, -10.0], [1.0, 1.0]], 100.0, 400.0);
        assert_eq!(t.at(100.0), (vec![[0.0, 0.0], [1.0, 1.0]], false));
        let (mid, done) = t.at(300.0);
        assert!(!done && (mid[0][0] - 5.0).abs() < 1e-4 && (mid[0][1] + 5.0).abs() < 1e-4);
        let (early, _) = t.at(140.0);
        assert!(early[0][0] < 1.0, "eases in: {early:?}");
        assert_eq!(t.at(10_000.0), (vec![[10.0, -10.0], [1.0, 1.0]], true));
    }
}
