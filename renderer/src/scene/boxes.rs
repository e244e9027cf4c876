//! Boxes that never overlap: a style that draws nodes as labelled boxes gets its boxes moved apart
//! from wherever the layout put them ([`crate::overlap`]).

use super::Scene;
use crate::overlap::{Extent, separate};

/// Room kept between boxes, as a share of the mean box height.
const GAP_OF_HEIGHT: f32 = 0.3;

impl Scene {
    /// `positions` (one per node) with the shown [`crate::Shape::Box`] nodes moved apart so that
    /// no two boxes overlap, as little as it takes; `None` when no box had to move.
    #[must_use]
    pub fn boxes_apart(&self, positions: &[[f32; 2]]) -> Option<Vec<[f32; 2]>> {
        if positions.len() != self.node_count {
            return None;
        }
        let ids: Vec<usize> = self.boxes.iter().map(|&i| i as usize).filter(|&i| !self.is_hidden(i)).collect();
        let mut extents: Vec<Extent> = ids
            .iter()
            .filter_map(|&i| {
                let aspect = self.box_aspect(i)?;
                let h = self.size(i) * 0.5;
                Some(Extent { centre: positions[i], half: [h * aspect, h] })
            })
            .collect();
        if extents.len() < 2 {
            return None;
        }
        let gap = extents.iter().map(|e| e.half[1] * 2.0).sum::<f32>() / extents.len() as f32 * GAP_OF_HEIGHT;
        if separate(&mut extents, gap) == 0 {
            return None;
        }
        let mut out = positions.to_vec();
        for (&i, e) in ids.iter().zip(&extents) {
            out[i] = e.centre;
        }
        Some(out)
    }
}
