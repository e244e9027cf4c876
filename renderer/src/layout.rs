//! Making a layout's positions drawable. (The initial layout itself is the modules-first map,
//! [`crate::module_map::modules_first`].)

use crate::module_map::SPACING;

/// Positions a layout handed over that cannot be drawn.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum PositionsError {
    /// A coordinate is NaN or infinite.
    #[error("the position of node {node} is not a finite number")]
    NotFinite {
        /// The first such node.
        node: usize,
    },
    /// Every node sits on the same point, so there is no picture to fit.
    #[error("all {nodes} nodes were put on the same point")]
    AllOnOnePoint {
        /// How many nodes.
        nodes: usize,
    },
}

/// How a layout's positions were made drawable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fitted {
    /// They were fine as they were.
    AsGiven,
    /// Their extent or offset was too large or too small for the camera's single-precision
    /// maths, so they were moved and scaled (shape kept) to centre on the origin.
    Rescaled {
        /// The factor applied.
        scale: f64,
        /// The point moved to the origin, before scaling.
        centre: [f64; 2],
    },
}

impl Fitted {
    /// Where a point of the layout's picture (a bend of an edge route) goes once its positions
    /// were made drawable.
    #[must_use]
    pub fn apply(&self, p: [f32; 2]) -> [f32; 2] {
        match *self {
            Self::AsGiven => p,
            Self::Rescaled { scale, centre } => {
                [((f64::from(p[0]) - centre[0]) * scale) as f32, ((f64::from(p[1]) - centre[1]) * scale) as f32]
            }
        }
    }
}

/// Widest and narrowest picture the camera handles well, in world units.
const MAX_EXTENT: f64 = 1e6;
const MIN_EXTENT: f64 = 1.0;

/// Makes a layout's positions drawable: finite coordinates that are enormous, far from the origin
/// or crammed into a speck are moved and scaled, with their shape kept, to a picture of about the
/// size the built-in layout gives the same number of nodes. Positions that cannot be drawn at all
/// are refused.
///
/// # Errors
/// [`PositionsError`] for a coordinate that is not finite, or every node on one point.
pub fn fit_positions(positions: &mut [[f32; 2]]) -> Result<Fitted, PositionsError> {
    if let Some(node) = positions.iter().position(|p| !p[0].is_finite() || !p[1].is_finite()) {
        return Err(PositionsError::NotFinite { node });
    }
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in positions.iter() {
        for axis in 0..2 {
            min[axis] = min[axis].min(f64::from(p[axis]));
            max[axis] = max[axis].max(f64::from(p[axis]));
        }
    }
    if positions.len() < 2 {
        return Ok(Fitted::AsGiven);
    }
    let extent = (max[0] - min[0]).max(max[1] - min[1]);
    if extent == 0.0 {
        return Err(PositionsError::AllOnOnePoint { nodes: positions.len() });
    }
    let centre = [(min[0] + max[0]) * 0.5, (min[1] + max[1]) * 0.5];
    let far = centre[0].abs().max(centre[1].abs());
    if (MIN_EXTENT..=MAX_EXTENT).contains(&extent) && far <= MAX_EXTENT {
        return Ok(Fitted::AsGiven);
    }
    let target = f64::from(SPACING) * 2.0 * (positions.len() as f64).sqrt();
    let scale = target / extent;
    for p in positions.iter_mut() {
        *p = [((f64::from(p[0]) - centre[0]) * scale) as f32, ((f64::from(p[1]) - centre[1]) * scale) as f32];
    }
    Ok(Fitted::Rescaled { scale, centre })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_positions_are_fitted_and_degenerate_ones_refused() {
        let mut ok = vec![[0.0, 0.0], [10.0, 5.0], [-3.0, 2.0]];
        assert_eq!(fit_positions(&mut ok), Ok(Fitted::AsGiven));
        assert_eq!(ok[1], [10.0, 5.0]);
        // ±3e38: finite, but their extent overflows f32 and the view would be blank.
        let mut huge = vec![[-3e38, -3e38], [3e38, 3e38], [0.0, 1e38], [3e38, -3e38]];
        assert!(matches!(fit_positions(&mut huge), Ok(Fitted::Rescaled { .. })));
        let b = crate::Bounds::around(&huge);
        let w = b.max[0] - b.min[0];
        assert!(w.is_finite() && (1.0..100.0).contains(&w), "{b:?}");
        assert!(huge[2][1] > 0.0 && huge[2][0].abs() < 1e-3 * w, "the shape is kept: {huge:?}");
        // Far from the origin with a small spread, and crammed into a speck.
        let mut far = vec![[1e9, 1e9], [1e9 + 1000.0, 1e9 + 500.0]];
        let fitted = fit_positions(&mut far).unwrap();
        assert!(matches!(fitted, Fitted::Rescaled { .. }));
        assert!(far[0][0].abs() < 100.0);
        assert_eq!(fitted.apply([1e9 + 1000.0, 1e9 + 500.0]), far[1], "a bend moves as the nodes did");
        assert_eq!(Fitted::AsGiven.apply([3.0, 4.0]), [3.0, 4.0]);
        let mut speck = vec![[0.0, 0.0], [1e-6, 2e-6], [2e-6, 0.0]];
        assert!(matches!(fit_positions(&mut speck), Ok(Fitted::Rescaled { .. })));
        assert!(speck[1][1] - speck[0][1] > 1.0);
        // All on one point: nothing to fit.
        let mut same = vec![[5.0, 5.0]; 10];
        assert_eq!(fit_positions(&mut same), Err(PositionsError::AllOnOnePoint { nodes: 10 }));
        let mut nan = vec![[0.0, 0.0], [f32::NAN, 1.0]];
        assert_eq!(fit_positions(&mut nan), Err(PositionsError::NotFinite { node: 1 }));
        assert_eq!(fit_positions(&mut [[7.0, 7.0]]), Ok(Fitted::AsGiven), "one node is a picture");
        assert_eq!(fit_positions(&mut []), Ok(Fitted::AsGiven));
    }
}
