//! Keeping boxes apart. A renderer plugin that draws nodes as labelled boxes (the UML view) makes
//! them far wider than the dots a layout placed, so boxes that were neighbours overlap. The boxes
//! are moved as little as it takes: rounds of pushing each overlapping pair apart along the axis
//! where they overlap least, then one sweep that settles any box still overlapping below the
//! ones it meets, so that no two boxes overlap however dense the picture.

/// One box: its centre and half its width and height, in world units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Extent {
    /// Centre.
    pub centre: [f32; 2],
    /// Half the width and half the height.
    pub half: [f32; 2],
}

impl Extent {
    /// How far two boxes overlap along each axis, with `gap` kept between them (both positive
    /// when they overlap).
    fn overlap(&self, other: &Self, gap: f32) -> [f32; 2] {
        let along =
            |axis: usize| self.half[axis] + other.half[axis] + gap - (self.centre[axis] - other.centre[axis]).abs();
        [along(0), along(1)]
    }

    fn overlaps(&self, other: &Self, gap: f32) -> bool {
        let o = self.overlap(other, gap);
        o[0] > 0.0 && o[1] > 0.0
    }
}

/// Rounds of pairwise pushing before the final sweep.
const ROUNDS: usize = 40;

/// Boxes by grid cell, for finding the ones near a box.
struct Grid {
    cell: f32,
    cells: std::collections::HashMap<(i32, i32), Vec<u32>>,
}

impl Grid {
    fn new(cell: f32) -> Self {
        Self { cell, cells: std::collections::HashMap::new() }
    }

    fn span(&self, e: &Extent) -> [(i32, i32); 2] {
        let at = |v: f32| (v / self.cell).floor() as i32;
        [
            (at(e.centre[0] - e.half[0]), at(e.centre[0] + e.half[0])),
            (at(e.centre[1] - e.half[1]), at(e.centre[1] + e.half[1])),
        ]
    }

    fn insert(&mut self, i: u32, e: &Extent) {
        let [(x0, x1), (y0, y1)] = self.span(e);
        for x in x0..=x1 {
            for y in y0..=y1 {
                self.cells.entry((x, y)).or_default().push(i);
            }
        }
    }

    /// Boxes sharing a cell with `e`, each once, in id order.
    fn near(&self, e: &Extent) -> Vec<u32> {
        let [(x0, x1), (y0, y1)] = self.span(e);
        let mut out: Vec<u32> = Vec::new();
        for x in x0..=x1 {
            for y in y0..=y1 {
                out.extend(self.cells.get(&(x, y)).into_iter().flatten());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Moves `boxes` so that no two overlap, keeping `gap` between them, as little as it takes.
/// Returns how many moved.
pub fn separate(boxes: &mut [Extent], gap: f32) -> usize {
    let before: Vec<[f32; 2]> = boxes.iter().map(|b| b.centre).collect();
    let biggest = boxes.iter().map(|b| b.half[0].max(b.half[1])).fold(0.0f32, f32::max);
    if boxes.len() < 2 || biggest <= 0.0 || !biggest.is_finite() {
        return 0;
    }
    let cell = (biggest + gap) * 2.0;
    for _ in 0..ROUNDS {
        let mut grid = Grid::new(cell);
        for (i, b) in boxes.iter().enumerate() {
            grid.insert(i as u32, b);
        }
        let mut pushed = false;
        for i in 0..boxes.len() {
            for j in grid.near(&boxes[i]).into_iter().map(|j| j as usize).filter(|&j| j > i) {
                let o = boxes[i].overlap(&boxes[j], gap);
                if o[0] <= 0.0 || o[1] <= 0.0 {
                    continue;
                }
                // Apart along the axis that needs the shorter move; ties by index, so the result
                // does not depend on float noise.
                let axis = usize::from(o[1] < o[0]);
                let sign = if boxes[i].centre[axis] < boxes[j].centre[axis]
                    || (boxes[i].centre[axis] == boxes[j].centre[axis] && i < j)
                {
                    -1.0
                } else {
                    1.0
                };
                let step = o[axis] * 0.5 + 1e-4;
                boxes[i].centre[axis] += sign * step;
                boxes[j].centre[axis] -= sign * step;
                pushed = true;
            }
        }
        if !pushed {
            break;
        }
    }
    settle_below(boxes, gap, cell);
    boxes.iter().zip(&before).filter(|(b, p)| b.centre != **p).count()
}

/// The guarantee: boxes taken top to bottom, each moved down past every box already placed that
/// it overlaps. Each move clears the box it met, so it ends.
fn settle_below(boxes: &mut [Extent], gap: f32, cell: f32) {
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (boxes[a].centre, boxes[b].centre);
        (pa[1] - boxes[a].half[1]).total_cmp(&(pb[1] - boxes[b].half[1])).then(pa[0].total_cmp(&pb[0])).then(a.cmp(&b))
    });
    let mut grid = Grid::new(cell);
    for &i in &order {
        loop {
            let blocker = grid.near(&boxes[i]).into_iter().find(|&j| boxes[i].overlaps(&boxes[j as usize], gap));
            let Some(j) = blocker else { break };
            let j = &boxes[j as usize];
            boxes[i].centre[1] = j.centre[1] + j.half[1] + gap + boxes[i].half[1] + 1e-3;
        }
        grid.insert(i as u32, &boxes[i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any_overlap(boxes: &[Extent], gap: f32) -> Option<(usize, usize)> {
        for i in 0..boxes.len() {
            for j in i + 1..boxes.len() {
                if boxes[i].overlaps(&boxes[j], gap * 0.999) {
                    return Some((i, j));
                }
            }
        }
        None
    }

    #[test]
    fn no_two_boxes_overlap_afterwards_and_lone_boxes_stay() {
        // A dense pile of wide boxes, as the UML view makes of a compact layout, and one far away.
        let mut boxes: Vec<Extent> = (0..400)
            .map(|i| Extent {
                centre: [(i % 20) as f32 * 2.0, (i / 20) as f32 * 2.0],
                half: [3.0 + (i % 7) as f32, 1.0],
            })
            .collect();
        boxes.push(Extent { centre: [1000.0, 1000.0], half: [5.0, 1.0] });
        let moved = separate(&mut boxes, 0.5);
        assert_eq!(any_overlap(&boxes, 0.5), None);
        assert!(moved > 300, "{moved} moved");
        assert_eq!(boxes[400].centre, [1000.0, 1000.0], "a box clear of the others stays");
        assert!(boxes.iter().all(|b| b.centre[0].is_finite() && b.centre[1].is_finite()));
    }

    #[test]
    fn boxes_already_apart_do_not_move_and_a_pair_moves_a_little() {
        let mut apart =
            vec![Extent { centre: [0.0, 0.0], half: [2.0, 1.0] }, Extent { centre: [10.0, 0.0], half: [2.0, 1.0] }];
        assert_eq!(separate(&mut apart, 0.5), 0);
        // Two boxes overlapping by one unit sideways part sideways, about half a unit each.
        let mut pair =
            vec![Extent { centre: [0.0, 0.0], half: [2.0, 1.0] }, Extent { centre: [3.5, 0.2], half: [2.0, 1.0] }];
        separate(&mut pair, 0.5);
        assert_eq!(any_overlap(&pair, 0.5), None);
        assert!(pair[0].centre[0] < 0.0 && pair[0].centre[0] > -1.0, "{pair:?}");
        assert!((pair[0].centre[1] - 0.0).abs() < 1e-6, "the shorter move is sideways: {pair:?}");
        // Boxes on one point still come apart.
        let mut same = vec![Extent { centre: [1.0, 1.0], half: [1.0, 1.0] }; 30];
        separate(&mut same, 0.1);
        assert_eq!(any_overlap(&same, 0.1), None);
    }
}
