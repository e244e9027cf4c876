//! Grouped by module: each module's nodes on a sunflower disc, and the discs packed in shelves
//! (rows of boxes), biggest first, so no two groups overlap.

/// One position per node; `modules[i]` is node `i`'s group. Nodes sit at least about `spacing`
/// apart inside a group and discs keep `spacing` between them.
#[must_use]
pub fn grouped(modules: &[u32], spacing: f32) -> Vec<[f32; 2]> {
    const GOLDEN_ANGLE: f32 = 2.399_963_1;
    let n = modules.len();
    let groups = modules.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); groups];
    for (i, &m) in modules.iter().enumerate() {
        members[m as usize].push(i as u32);
    }
    let mut order: Vec<usize> = (0..groups).filter(|&g| !members[g].is_empty()).collect();
    order.sort_by_key(|&g| (std::cmp::Reverse(members[g].len()), g));
    let radius = |g: usize| spacing * ((members[g].len() as f32).sqrt() + 1.0);
    let total: f32 = order.iter().map(|&g| (2.0 * radius(g) + spacing).powi(2)).sum();
    let row_width = total.sqrt() * 1.1;
    let mut positions = vec![[0.0f32; 2]; n];
    let (mut x, mut y, mut row_height) = (0.0f32, 0.0f32, 0.0f32);
    for &g in &order {
        let r = radius(g);
        let size = 2.0 * r + spacing;
        if x > 0.0 && x + size > row_width {
            x = 0.0;
            y += row_height;
            row_height = 0.0;
        }
        let centre = [x + size * 0.5, y + size * 0.5];
        for (j, &v) in members[g].iter().enumerate() {
            // Sunflower: equal area per node, so neighbours sit about `spacing` apart.
            let d = spacing * (j as f32 + 0.5).sqrt();
            let a = j as f32 * GOLDEN_ANGLE;
            positions[v as usize] = [centre[0] + d * a.cos(), centre[1] + d * a.sin()];
        }
        x += size;
        row_height = row_height.max(size);
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_never_overlap_and_nodes_keep_apart() {
        // Groups of very different sizes, ids out of order.
        let mut modules = Vec::new();
        for (g, count) in [(5u32, 400usize), (0, 1), (2, 37), (9, 120), (3, 2), (7, 999)] {
            modules.extend(std::iter::repeat_n(g, count));
        }
        let spacing = 2.0;
        let p = grouped(&modules, spacing);
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
        let groups: Vec<u32> = {
            let mut g = modules.clone();
            g.sort_unstable();
            g.dedup();
            g
        };
        let disc = |g: u32| {
            let pts: Vec<[f32; 2]> = modules.iter().zip(&p).filter(|(m, _)| **m == g).map(|(_, q)| *q).collect();
            let c = [
                pts.iter().map(|q| q[0]).sum::<f32>() / pts.len() as f32,
                pts.iter().map(|q| q[1]).sum::<f32>() / pts.len() as f32,
            ];
            let r = pts.iter().map(|q| ((q[0] - c[0]).powi(2) + (q[1] - c[1]).powi(2)).sqrt()).fold(0.0, f32::max);
            (c, r)
        };
        for (i, &a) in groups.iter().enumerate() {
            for &b in &groups[i + 1..] {
                let ((ca, ra), (cb, rb)) = (disc(a), disc(b));
                let d = ((ca[0] - cb[0]).powi(2) + (ca[1] - cb[1]).powi(2)).sqrt();
                assert!(d >= ra + rb + spacing * 0.99, "groups {a} and {b} overlap: {d} < {ra} + {rb}");
            }
        }
        let mut min_d = f32::INFINITY;
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                min_d = min_d.min(((p[i][0] - p[j][0]).powi(2) + (p[i][1] - p[j][1]).powi(2)).sqrt());
            }
        }
        assert!(min_d > spacing * 0.5, "nodes pile up: {min_d}");
    }
}
