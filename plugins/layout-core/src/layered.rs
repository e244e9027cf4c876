//! Layered (Sugiyama) layout for call graphs:
//! 1. cycle breaking — edges that close a cycle in a depth-first walk are reversed;
//! 2. layering — longest path from the sources, so every edge points down;
//! 3. dummy nodes — a long edge becomes a chain through the layers it crosses (up to a budget),
//!    so it takes part in crossing reduction and leaves room between the nodes it passes;
//! 4. crossing reduction — barycentre sweeps down and up, keeping the best order seen;
//! 5. coordinates — nodes pulled towards their neighbours' mean, then spread to keep their gap;
//!    each long edge is routed through its dummies' places, so it is drawn around what it passes.
//!
//! Hubs (degree above a threshold) are left out of steps 1–5 and set on a shelf above the layers.

use pt_abi::EdgeRoute;

use crate::{Adjacency, hubs};

/// Node visits of crossing reduction (real and dummy nodes × sweeps) a layout may spend.
const SWEEP_WORK: f32 = 3.0e6;

/// Tuning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayeredParams {
    /// Vertical distance between layers.
    pub layer_gap: f32,
    /// Smallest horizontal distance between nodes of one layer.
    pub node_gap: f32,
    /// Barycentre sweeps (each one down and one up).
    pub sweeps: usize,
    /// Dummy nodes allowed, as a multiple of the node count; longer edges beyond it go without.
    pub dummy_budget: f32,
    /// Nodes above this degree are set aside (0 = none).
    pub hub_degree: u32,
}

impl Default for LayeredParams {
    fn default() -> Self {
        Self { layer_gap: 30.0, node_gap: 6.0, sweeps: 8, dummy_budget: 8.0, hub_degree: 0 }
    }
}

/// A layered layout and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Layered {
    /// One position per node.
    pub positions: Vec<[f32; 2]>,
    /// Layer of each node (hubs: 0, on the shelf above).
    pub layer: Vec<u32>,
    /// Edges reversed to break cycles.
    pub reversed: usize,
    /// Dummy nodes inserted.
    pub dummies: usize,
    /// Crossings between adjacent layers in the initial order.
    pub crossings_before: u64,
    /// Crossings after reduction.
    pub crossings_after: u64,
    /// Each edge that crosses layers through dummy nodes, routed through their places (from its
    /// source to its target), so it is drawn around the nodes it passes instead of through them.
    pub routes: Vec<EdgeRoute>,
}

/// Reverses back edges of an iterative depth-first walk; returns the acyclic edges and how many flipped.
fn break_cycles(n: usize, edges: &[(u32, u32)]) -> (Vec<(u32, u32)>, usize) {
    let adj = Adjacency::new(n, edges.iter().copied(), false);
    // 0 unseen, 1 on the walk's stack, 2 done.
    let mut state = vec![0u8; n];
    let mut back = std::collections::HashSet::new();
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for root in 0..n as u32 {
        if state[root as usize] != 0 {
            continue;
        }
        state[root as usize] = 1;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (v, i) = *top;
            let out = adj.of(v);
            if (i as usize) < out.len() {
                top.1 += 1;
                let w = out[i as usize];
                match state[w as usize] {
                    0 => {
                        state[w as usize] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v as usize] = 2;
                stack.pop();
            }
        }
    }
    let flipped = edges.iter().filter(|e| back.contains(e)).count();
    let dag = edges.iter().map(|&(a, b)| if back.contains(&(a, b)) { (b, a) } else { (a, b) }).collect();
    (dag, flipped)
}

/// Longest-path layering of a DAG (Kahn's order).
fn longest_path(n: usize, dag: &[(u32, u32)]) -> Vec<u32> {
    let adj = Adjacency::new(n, dag.iter().copied(), false);
    let mut indeg = vec![0u32; n];
    for &(_, b) in dag {
        indeg[b as usize] += 1;
    }
    let mut queue: Vec<u32> = (0..n as u32).filter(|&v| indeg[v as usize] == 0).collect();
    let mut layer = vec![0u32; n];
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &w in adj.of(v) {
            layer[w as usize] = layer[w as usize].max(layer[v as usize] + 1);
            indeg[w as usize] -= 1;
            if indeg[w as usize] == 0 {
                queue.push(w);
            }
        }
    }
    layer
}

/// Crossings between two adjacent layers: inversions of the edges sorted by upper position,
/// counted with a Fenwick tree over lower positions.
fn crossings_between(pairs: &mut [(u32, u32)], width: usize) -> u64 {
    pairs.sort_unstable();
    let mut tree = vec![0u32; width + 1];
    let mut count = 0u64;
    for (seen, &(_, lower)) in pairs.iter().enumerate() {
        // Edges already seen whose lower end lies right of this one cross it.
        let mut i = lower as usize + 1;
        let mut at_or_left = 0u64;
        while i > 0 {
            at_or_left += u64::from(tree[i]);
            i &= i - 1;
        }
        count += seen as u64 - at_or_left;
        let mut i = lower as usize + 1;
        while i <= width {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

struct Proper {
    /// Layer of every node, real then dummy.
    layer: Vec<u32>,
    /// Per DAG edge given dummies: its index in the DAG and its dummies, from its upper end down.
    chains: Vec<(usize, Vec<u32>)>,
    /// Edges between adjacent layers, upper end first.
    edges: Vec<(u32, u32)>,
    /// Edges that spanned too far for the dummy budget: they pull in coordinates only.
    long: Vec<(u32, u32)>,
}

fn make_proper(n: usize, dag: &[(u32, u32)], layer: Vec<u32>, budget: usize) -> Proper {
    let mut p = Proper { layer, chains: Vec::new(), edges: Vec::with_capacity(dag.len()), long: Vec::new() };
    // Shorter edges get their dummies first: they are most of a call graph's structure.
    let mut order: Vec<usize> = (0..dag.len()).collect();
    order.sort_by_key(|&i| p.layer[dag[i].1 as usize] - p.layer[dag[i].0 as usize]);
    let mut used = 0usize;
    for i in order {
        let (a, b) = dag[i];
        let span = (p.layer[b as usize] - p.layer[a as usize]) as usize;
        if span <= 1 {
            p.edges.push((a, b));
        } else if used + span - 1 <= budget {
            let mut prev = a;
            let mut chain = Vec::with_capacity(span - 1);
            for k in 1..span {
                let d = (n + used) as u32;
                used += 1;
                p.layer.push(p.layer[a as usize] + k as u32);
                p.edges.push((prev, d));
                chain.push(d);
                prev = d;
            }
            p.edges.push((prev, b));
            p.chains.push((i, chain));
        } else {
            p.long.push((a, b));
        }
    }
    p
}

fn total_crossings(order: &[Vec<u32>], pos: &[u32], down: &[Vec<u32>]) -> u64 {
    let mut total = 0;
    let mut pairs = Vec::new();
    for l in 0..order.len().saturating_sub(1) {
        pairs.clear();
        for &v in &order[l] {
            pairs.extend(down[v as usize].iter().map(|&w| (pos[v as usize], pos[w as usize])));
        }
        total += crossings_between(&mut pairs, order[l + 1].len());
    }
    total
}

/// Lays out `n` nodes and `edges` in layers, edges pointing down.
#[must_use]
pub fn layered(n: usize, edges: &[[u32; 2]], params: &LayeredParams) -> Layered {
    let hub = hubs(n, edges, params.hub_degree);
    // The edges laid out, with their index among `edges`.
    let (kept, kept_index): (Vec<(u32, u32)>, Vec<u32>) = edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e[0] != e[1] && !hub[e[0] as usize] && !hub[e[1] as usize])
        .map(|(i, e)| ((e[0], e[1]), i as u32))
        .unzip();
    let (dag, reversed) = break_cycles(n, &kept);
    let mut layer = longest_path(n, &dag);
    for (v, l) in layer.iter_mut().enumerate() {
        // Hubs sit on a shelf above layer 0; everything else moves down one to make room.
        *l = if hub[v] { 0 } else { *l + u32::from(hub.iter().any(|&h| h)) };
    }
    let hub_shelf = hub.iter().any(|&h| h);
    // Crossing reduction visits every real and dummy node twice a sweep. Past SWEEP_WORK visits
    // the dummy budget shrinks (and past that the sweeps), so a huge graph finishes in its fuel
    // instead of running out; graphs of tens of thousands of nodes are untouched.
    let sweeps = params.sweeps.min(((SWEEP_WORK / n.max(1) as f32) as usize).max(1));
    let budget = params.dummy_budget.min((SWEEP_WORK / (sweeps.max(1) * n.max(1)) as f32 - 1.0).max(0.0));
    let proper = make_proper(n, &dag, layer, (budget * n as f32) as usize);
    let total = proper.layer.len();
    let layers = proper.layer.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut down: Vec<Vec<u32>> = vec![Vec::new(); total];
    let mut up: Vec<Vec<u32>> = vec![Vec::new(); total];
    for &(a, b) in &proper.edges {
        down[a as usize].push(b);
        up[b as usize].push(a);
    }
    // Initial order: by node id within each layer (the loader's order, roughly file order).
    let mut order: Vec<Vec<u32>> = vec![Vec::new(); layers];
    for v in 0..total as u32 {
        order[proper.layer[v as usize] as usize].push(v);
    }
    let mut pos = vec![0u32; total];
    let renumber = |order: &[Vec<u32>], pos: &mut [u32]| {
        for row in order {
            for (i, &v) in row.iter().enumerate() {
                pos[v as usize] = i as u32;
            }
        }
    };
    renumber(&order, &mut pos);
    let crossings_before = total_crossings(&order, &pos, &down);
    let mut best = (crossings_before, order.clone());
    let first = usize::from(hub_shelf);
    for _ in 0..sweeps {
        for (range, neighbours) in
            [((first + 1..layers).collect::<Vec<_>>(), &up), ((first..layers.saturating_sub(1)).rev().collect(), &down)]
        {
            for l in range {
                let mut keyed: Vec<(f32, u32)> = order[l]
                    .iter()
                    .map(|&v| {
                        let ns = &neighbours[v as usize];
                        let key = if ns.is_empty() {
                            pos[v as usize] as f32
                        } else {
                            ns.iter().map(|&w| pos[w as usize] as f32).sum::<f32>() / ns.len() as f32
                        };
                        (key, v)
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(pos[a.1 as usize].cmp(&pos[b.1 as usize])));
                order[l] = keyed.into_iter().map(|(_, v)| v).collect();
                for (i, &v) in order[l].iter().enumerate() {
                    pos[v as usize] = i as u32;
                }
            }
        }
        let c = total_crossings(&order, &pos, &down);
        if c < best.0 {
            best = (c, order.clone());
        }
    }
    let (crossings_after, order) = best;
    renumber(&order, &mut pos);

    // Coordinates: start packed in order, then pull each node towards its neighbours' mean and
    // spread each layer left to right so the order and the gap hold.
    let gap = params.node_gap;
    let mut x: Vec<f32> = (0..total).map(|v| pos[v] as f32 * gap).collect();
    let mut long_adj: Vec<Vec<u32>> = vec![Vec::new(); total];
    for &(a, b) in &proper.long {
        long_adj[a as usize].push(b);
        long_adj[b as usize].push(a);
    }
    for _ in 0..6 {
        for row in order.iter().skip(first) {
            let desired: Vec<f32> = row
                .iter()
                .map(|&v| {
                    let ns = up[v as usize].iter().chain(&down[v as usize]).chain(&long_adj[v as usize]);
                    let (sum, count) = ns.fold((0.0f32, 0usize), |(s, c), &w| (s + x[w as usize], c + 1));
                    if count == 0 { x[v as usize] } else { (x[v as usize] + sum) / (count + 1) as f32 }
                })
                .collect();
            let mut placed = desired.clone();
            for i in 1..placed.len() {
                placed[i] = placed[i].max(placed[i - 1] + gap);
            }
            // Spreading only pushes right; shift the row back so it stays centred where it wanted to be.
            let shift = (desired.iter().sum::<f32>() - placed.iter().sum::<f32>()) / row.len().max(1) as f32;
            for (&v, p) in row.iter().zip(&placed) {
                x[v as usize] = p + shift;
            }
        }
    }
    if hub_shelf {
        let shelf: Vec<u32> = (0..n as u32).filter(|&v| hub[v as usize]).collect();
        let (lo, hi) = x[..n]
            .iter()
            .zip(&hub)
            .filter(|(_, h)| !**h)
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(l, h), (v, _)| (l.min(*v), h.max(*v)));
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) };
        let step = ((hi - lo) / shelf.len().max(1) as f32).max(gap * 3.0);
        for (i, &v) in shelf.iter().enumerate() {
            x[v as usize] = lo + (i as f32 + 0.5) * step;
        }
    }
    let placed = wrap_wide_layers(&x[..n], &proper.layer[..n], params);
    let routes = proper
        .chains
        .iter()
        .map(|(i, chain)| {
            let mut bends: Vec<[f32; 2]> =
                chain.iter().map(|&d| placed.place(x[d as usize], proper.layer[d as usize])).collect();
            // A reversed edge runs up: its bends go from its own source, the lower end.
            if dag[*i] != kept[*i] {
                bends.reverse();
            }
            EdgeRoute { edge: kept_index[*i], bends }
        })
        .collect();
    Layered {
        routes,
        positions: placed.positions,
        layer: proper.layer[..n].to_vec(),
        reversed,
        dummies: total - n,
        crossings_before,
        crossings_after,
    }
}

/// Real nodes placed, and how to place a dummy of the same picture.
struct Placed {
    positions: Vec<[f32; 2]>,
    /// The middle of each layer's band.
    band_middle: Vec<f32>,
    squeeze: f32,
    centre: f32,
}

impl Placed {
    /// Where a dummy at `x` in `layer` goes: squeezed like the nodes, in the middle of its band.
    fn place(&self, x: f32, layer: u32) -> [f32; 2] {
        [self.centre + (x - self.centre) * self.squeeze, self.band_middle.get(layer as usize).copied().unwrap_or(0.0)]
    }
}

/// Positions from each node's x and layer. A picture far wider than it is tall (a few layers of
/// hundreds of nodes) would fit the screen as a thin strip, so it is squeezed horizontally to a
/// sensible width and each layer's nodes are dealt into sub-rows inside its band, each node on
/// the first sub-row with room at its squeezed x: order and alignment with neighbours are kept,
/// nodes of a sub-row keep the gap, and every edge still points down.
fn wrap_wide_layers(x: &[f32], layer: &[u32], params: &LayeredParams) -> Placed {
    let n = x.len();
    let layers = layer.iter().copied().max().map_or(0, |m| m as usize + 1);
    let gap = params.node_gap;
    let widest = (gap * (n as f32).sqrt() * WRAP_WIDTH_PER_ROOT).max(gap * 16.0);
    let (lo, hi) = x.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    let squeeze = if hi - lo > widest { widest / (hi - lo) } else { 1.0 };
    let centre = (lo + hi) * 0.5;
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); layers];
    for v in 0..n {
        members[layer[v] as usize].push(v as u32);
    }
    let sub_gap = params.layer_gap * 0.4;
    let mut out = vec![[0.0f32; 2]; n];
    let mut band_middle = Vec::with_capacity(layers);
    let mut top = 0.0f32;
    for row in &mut members {
        row.sort_by(|&a, &b| x[a as usize].total_cmp(&x[b as usize]));
        // The right end of each sub-row so far.
        let mut ends: Vec<f32> = Vec::new();
        for &v in row.iter() {
            let want = centre + (x[v as usize] - centre) * squeeze;
            let sub = match ends.iter().position(|&end| end + gap <= want) {
                Some(k) => k,
                None if squeeze == 1.0 && !ends.is_empty() => 0,
                None => {
                    ends.push(f32::NEG_INFINITY);
                    ends.len() - 1
                }
            };
            let at = want.max(ends[sub] + gap);
            ends[sub] = at;
            out[v as usize] = [at, top + sub as f32 * sub_gap];
        }
        band_middle.push(top + ends.len().saturating_sub(1) as f32 * sub_gap * 0.5);
        top += params.layer_gap + ends.len().saturating_sub(1) as f32 * sub_gap;
    }
    Placed { positions: out, band_middle, squeeze, centre }
}

/// A layer wider than this many node gaps per square root of the node count is wrapped.
const WRAP_WIDTH_PER_ROOT: f32 = 2.5;

#[cfg(test)]
mod tests {
    use super::*;

    /// A random DAG: edges only from lower to higher ids, mostly short range, like call graphs.
    fn random_dag(n: usize, m: usize, seed: u64) -> Vec<[u32; 2]> {
        let mut s = seed;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        (0..m)
            .map(|_| {
                let a = (next() % (n as u64 - 1)) as u32;
                let reach = 1 + next() % 40;
                let b = (u64::from(a) + 1 + next() % reach).min(n as u64 - 1) as u32;
                [a, b]
            })
            .collect()
    }

    #[test]
    fn long_edges_are_routed_through_the_layers_they_cross() {
        // 0→1→2→3 and a long edge 0→3, plus 4→0 closing no cycle and 3→0 closing one.
        let edges = [[0, 1], [1, 2], [2, 3], [0, 3], [4, 0], [3, 0]];
        let l = layered(5, &edges, &LayeredParams::default());
        let route = |e: u32| l.routes.iter().find(|r| r.edge == e);
        let long = route(3).expect("0→3 spans three layers");
        assert_eq!(long.bends.len(), 2, "one bend per layer crossed");
        let (top, bottom) = (l.positions[0][1], l.positions[3][1]);
        assert!(long.bends[0][1] > top && long.bends[0][1] < long.bends[1][1] && long.bends[1][1] < bottom, "{long:?}");
        // The reversed edge 3→0 runs upwards from its own source.
        let back = route(5).expect("3→0 is reversed and spans three layers");
        assert!(back.bends[0][1] > back.bends[1][1], "bends from 3 up to 0: {back:?}");
        assert!(route(0).is_none() && route(4).is_none(), "short edges stay straight");
        // On a big DAG every route goes down layer by layer and each edge is routed once.
        let edges = random_dag(2000, 10_000, 7);
        let l = layered(2000, &edges, &LayeredParams::default());
        assert!(l.routes.len() > 100, "{} routes", l.routes.len());
        assert_eq!(l.routes.iter().map(|r| r.bends.len()).sum::<usize>(), l.dummies, "every dummy is a bend");
        let mut seen = std::collections::HashSet::new();
        for r in &l.routes {
            assert!(seen.insert(r.edge), "edge {} routed twice", r.edge);
            let [a, b] = edges[r.edge as usize];
            let ys: Vec<f32> = std::iter::once(l.positions[a as usize][1])
                .chain(r.bends.iter().map(|p| p[1]))
                .chain(std::iter::once(l.positions[b as usize][1]))
                .collect();
            assert!(ys.windows(2).all(|w| w[0] < w[1]), "edge {a}→{b} runs down: {ys:?}");
        }
    }

    #[test]
    fn counting_crossings_matches_brute_force() {
        let mut pairs = vec![(0, 2), (1, 0), (2, 1), (2, 3), (3, 0)];
        let brute = {
            let mut c = 0;
            for i in 0..pairs.len() {
                for j in i + 1..pairs.len() {
                    let (a, b) = (pairs[i], pairs[j]);
                    if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                        c += 1;
                    }
                }
            }
            c
        };
        assert_eq!(crossings_between(&mut pairs, 4), brute);
    }

    #[test]
    fn on_a_dag_every_edge_points_down_and_crossings_drop() {
        let edges = random_dag(2000, 10_000, 7);
        let l = layered(2000, &edges, &LayeredParams::default());
        assert_eq!(l.reversed, 0, "a DAG needs no reversal");
        assert!(l.positions.iter().all(|p| p[0].is_finite() && p[1].is_finite()), "no NaN");
        for e in &edges {
            assert!(l.positions[e[0] as usize][1] < l.positions[e[1] as usize][1], "edge {e:?} points down");
        }
        assert!(
            l.crossings_after * 2 < l.crossings_before,
            "barycentre sweeps at least halve the crossings: {} → {}",
            l.crossings_before,
            l.crossings_after
        );
        assert!(l.dummies > 0 && l.dummies <= 16_000);
        // Nodes of one row keep the gap.
        let mut by_row: std::collections::BTreeMap<(u32, i64), Vec<f32>> = std::collections::BTreeMap::new();
        for (v, p) in l.positions.iter().enumerate() {
            by_row.entry((l.layer[v], (p[1] * 100.0) as i64)).or_default().push(p[0]);
        }
        for xs in by_row.values_mut() {
            xs.sort_by(f32::total_cmp);
            assert!(xs.windows(2).all(|w| w[1] - w[0] >= 6.0 - 1e-3), "overlap within a layer");
        }
    }

    #[test]
    fn cycles_are_broken_and_hubs_go_on_the_shelf() {
        let mut edges = vec![[0, 1], [1, 2], [2, 0], [2, 3], [3, 3]];
        edges.extend((4..80).map(|i| [i, 50]));
        edges.extend((4..40).map(|i| [i, i + 1]));
        let l = layered(80, &edges, &LayeredParams { hub_degree: 20, ..LayeredParams::default() });
        assert_eq!(l.reversed, 1, "one edge closes the 0→1→2→0 cycle");
        assert_eq!(l.layer[50], 0, "the hub sits on the shelf");
        assert!(l.layer[..80].iter().enumerate().filter(|&(v, _)| v != 50).all(|(_, &layer)| layer >= 1));
        assert!(l.positions.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
        let empty = layered(0, &[], &LayeredParams::default());
        assert!(empty.positions.is_empty());
    }

    #[test]
    fn very_wide_layers_wrap_so_the_picture_is_not_a_strip() {
        // One caller of 1,500 functions, which call 30 more: three layers, the middle 1,500 wide.
        let mut edges: Vec<[u32; 2]> = (1..=1500).map(|i| [0, i]).collect();
        edges.extend((0..1500).map(|i| [1 + i, 1501 + i % 30]));
        let l = layered(1531, &edges, &LayeredParams::default());
        let (lo, hi) = l.positions.iter().fold(([f32::MAX; 2], [f32::MIN; 2]), |(lo, hi), p| {
            ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])])
        });
        let aspect = (hi[0] - lo[0]) / (hi[1] - lo[1]);
        assert!(aspect < 4.0, "width over height {aspect:.1}: a strip");
        for e in &edges {
            assert!(l.positions[e[0] as usize][1] < l.positions[e[1] as usize][1], "edge {e:?} points down");
        }
        let mut spots: Vec<(i64, i64)> =
            l.positions.iter().map(|p| ((p[0] * 10.0) as i64, (p[1] * 10.0) as i64)).collect();
        spots.sort_unstable();
        spots.dedup();
        assert_eq!(spots.len(), 1531, "no two nodes share a place");
    }
}
