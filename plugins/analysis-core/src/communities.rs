//! Communities by the Leiden algorithm (Traag, Waltman and van Eck, "From Louvain to Leiden:
//! guaranteeing well-connected communities", 2019), maximising modularity with a resolution, and
//! the modularity of any partition (so a codebase's folders can be set beside what Leiden finds).
//!
//! Each round moves nodes between communities (the fast local moving of the paper: a queue that
//! revisits only the neighbours of a node that moved), *refines* every community into
//! well-connected parts by merging singletons at random among the moves that do not lose quality,
//! and aggregates the graph by the refined parts while keeping the unrefined communities as the
//! starting partition. Unlike Louvain, no community it returns is disconnected.
//!
//! Dependencies count as undirected: `a` calling `b` ties them as much as `b` calling `a`.

/// A symmetric weighted graph: `A[i][j]` for every `j` next to `i`, with a self-loop entry
/// holding twice the weight inside an aggregated node, so every node's degree is its row's sum.
#[derive(Debug, Clone, PartialEq)]
pub struct UndirectedGraph {
    start: Vec<u32>,
    entries: Vec<(u32, f64)>,
    degrees: Vec<f64>,
    total: f64,
}

impl UndirectedGraph {
    /// The undirected graph of `edges` over `n` nodes, each edge weighing its entry in `weights`
    /// (1 without); parallel and opposite edges add up, self-loops and edges naming a node
    /// `>= n` are left out.
    #[must_use]
    pub fn new(n: usize, edges: &[[u32; 2]], weights: Option<&[u32]>) -> Self {
        let mut entries: Vec<(u32, u32, f64)> = Vec::with_capacity(edges.len() * 2);
        for (i, e) in edges.iter().enumerate() {
            if e[0] == e[1] || e[0] as usize >= n || e[1] as usize >= n {
                continue;
            }
            let w = weights.and_then(|w| w.get(i)).map_or(1.0, |&w| f64::from(w));
            entries.push((e[0], e[1], w));
            entries.push((e[1], e[0], w));
        }
        Self::from_entries(n, entries)
    }

    /// Merges entries of the same pair and lays them out in rows.
    fn from_entries(n: usize, mut entries: Vec<(u32, u32, f64)>) -> Self {
        entries.sort_unstable_by_key(|a| (a.0, a.1));
        let mut start = vec![0u32; n + 1];
        let mut merged: Vec<(u32, f64)> = Vec::with_capacity(entries.len());
        let mut degrees = vec![0.0; n];
        let mut last: Option<(u32, u32)> = None;
        for (a, b, w) in entries {
            degrees[a as usize] += w;
            if last == Some((a, b)) {
                merged.last_mut().expect("an entry to merge into").1 += w;
            } else {
                merged.push((b, w));
                start[a as usize + 1] += 1;
                last = Some((a, b));
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let total = degrees.iter().sum();
        Self { start, entries: merged, degrees, total }
    }

    /// Number of nodes.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.degrees.len()
    }

    /// `(neighbour, weight)` of every entry of node `v`'s row.
    fn row(&self, v: usize) -> &[(u32, f64)] {
        &self.entries[self.start[v] as usize..self.start[v + 1] as usize]
    }

    /// Sums the rows of the nodes of each part (`part[v]` in `0..parts`) into one node each.
    fn aggregate(&self, part: &[u32], parts: usize) -> Self {
        let mut entries = Vec::with_capacity(self.entries.len());
        for v in 0..self.node_count() {
            for &(u, w) in self.row(v) {
                entries.push((part[v], part[u as usize], w));
            }
        }
        Self::from_entries(parts, entries)
    }
}

/// The modularity of `partition` (one community id per node) at `resolution`:
/// `Q = Σ_c [ in_c / 2m − γ (K_c / 2m)² ]`, where `in_c` counts both directions of each edge
/// inside `c` and `K_c` sums the degrees of its nodes. 0 for a graph without edges.
#[must_use]
pub fn modularity(graph: &UndirectedGraph, partition: &[u32], resolution: f64) -> f64 {
    if graph.total <= 0.0 {
        return 0.0;
    }
    let count = partition.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let (mut inside, mut degree) = (vec![0.0; count], vec![0.0; count]);
    for v in 0..graph.node_count() {
        let c = partition[v] as usize;
        degree[c] += graph.degrees[v];
        for &(u, w) in graph.row(v) {
            if partition[u as usize] as usize == c {
                inside[c] += w;
            }
        }
    }
    let m2 = graph.total;
    inside.iter().zip(&degree).map(|(i, k)| i / m2 - resolution * (k / m2) * (k / m2)).sum()
}

/// A small, seeded random source (xorshift64*): the same seed gives the same communities.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, (self.next() % (i as u64 + 1)) as usize);
        }
    }
}

/// Randomness in the refinement: how much a worse merge may still be chosen (the paper's θ).
const THETA: f64 = 0.01;
/// Rounds of move, refine and aggregate at most; real graphs settle in well under ten.
const MAX_ROUNDS: usize = 32;

/// Weight from `v` to each community next to it, gathered in `weight` (indexed by community,
/// left zeroed again by the caller through `touched`).
fn neighbour_weights(
    graph: &UndirectedGraph,
    v: usize,
    community: &[u32],
    weight: &mut [f64],
    touched: &mut Vec<u32>,
    within: impl Fn(u32) -> bool,
) {
    for &(u, w) in graph.row(v) {
        if u as usize == v || !within(u) {
            continue;
        }
        let c = community[u as usize];
        if weight[c as usize] == 0.0 {
            touched.push(c);
        }
        weight[c as usize] += w;
    }
}

/// Moves nodes to the neighbouring community that gains the most until none gains.
fn move_nodes(graph: &UndirectedGraph, community: &mut [u32], resolution: f64, random: &mut Random) {
    let n = graph.node_count();
    let scale = resolution / graph.total;
    let mut totals = vec![0.0; n];
    for v in 0..n {
        totals[community[v] as usize] += graph.degrees[v];
    }
    let mut queue: std::collections::VecDeque<u32> = {
        let mut order: Vec<u32> = (0..n as u32).collect();
        random.shuffle(&mut order);
        order.into()
    };
    let mut queued = vec![true; n];
    let mut empty: Vec<u32> = (0..n as u32).filter(|&c| totals[c as usize] == 0.0).collect();
    let (mut weight, mut touched) = (vec![0.0; n], Vec::new());
    while let Some(v) = queue.pop_front() {
        let v = v as usize;
        queued[v] = false;
        let own = community[v];
        let k = graph.degrees[v];
        neighbour_weights(graph, v, community, &mut weight, &mut touched, |_| true);
        totals[own as usize] -= k;
        let stay = weight[own as usize] - scale * k * totals[own as usize];
        let (mut best, mut best_gain) = (own, stay);
        for &c in &touched {
            let gain = weight[c as usize] - scale * k * totals[c as usize];
            if gain > best_gain + 1e-12 {
                (best, best_gain) = (c, gain);
            }
        }
        // Alone is worth 0: better than a community that costs more than it ties.
        if best_gain < 0.0
            && totals[own as usize] > 0.0
            && let Some(c) = empty.pop()
        {
            best = c;
        }
        for &c in &touched {
            weight[c as usize] = 0.0;
        }
        touched.clear();
        totals[best as usize] += k;
        if best != own {
            if totals[own as usize] == 0.0 {
                empty.push(own);
            }
            community[v] = best;
            for &(u, _) in graph.row(v) {
                if community[u as usize] != best && !queued[u as usize] {
                    queued[u as usize] = true;
                    queue.push_back(u);
                }
            }
        }
    }
}

/// Splits every community into well-connected parts: starting from singletons, a singleton node
/// well connected to its community joins, at random weighted by the quality gained, a part of it
/// that is itself well connected. Returns each node's part and the number of parts.
fn refine(graph: &UndirectedGraph, community: &[u32], resolution: f64, random: &mut Random) -> (Vec<u32>, usize) {
    let n = graph.node_count();
    let scale = resolution / graph.total;
    let mut community_total = vec![0.0; n];
    for v in 0..n {
        community_total[community[v] as usize] += graph.degrees[v];
    }
    let mut part: Vec<u32> = (0..n as u32).collect();
    let mut part_total = graph.degrees.clone();
    let mut singleton = vec![true; n];
    // Weight from each part to the rest of its community.
    let mut outward: Vec<f64> = (0..n)
        .map(|v| {
            graph
                .row(v)
                .iter()
                .filter(|&&(u, _)| u as usize != v && community[u as usize] == community[v])
                .map(|e| e.1)
                .sum()
        })
        .collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    random.shuffle(&mut order);
    let (mut weight, mut touched) = (vec![0.0; n], Vec::new());
    let mut choices: Vec<(u32, f64)> = Vec::new();
    for v in order {
        let v = v as usize;
        let own_total = community_total[community[v] as usize];
        let k = graph.degrees[v];
        if !singleton[v] || outward[v] < scale * k * (own_total - k) {
            continue;
        }
        neighbour_weights(graph, v, &part, &mut weight, &mut touched, |u| community[u as usize] == community[v]);
        choices.clear();
        for &p in &touched {
            let pt = part_total[p as usize];
            let well_connected = outward[p as usize] >= scale * pt * (own_total - pt);
            let gain = weight[p as usize] - scale * k * pt;
            if p != part[v] && well_connected && gain >= 0.0 {
                choices.push((p, gain / graph.total));
            }
        }
        let chosen = if choices.is_empty() {
            None
        } else {
            let top = choices.iter().map(|c| c.1).fold(f64::MIN, f64::max);
            let odds: Vec<f64> = choices.iter().map(|c| ((c.1 - top) / THETA).exp()).collect();
            let mut pick = random.unit() * odds.iter().sum::<f64>();
            let mut at = choices.len() - 1;
            for (i, o) in odds.iter().enumerate() {
                if pick < *o {
                    at = i;
                    break;
                }
                pick -= o;
            }
            Some(choices[at].0)
        };
        if let Some(p) = chosen {
            let between = weight[p as usize];
            outward[p as usize] += outward[v] - 2.0 * between;
            part_total[p as usize] += k;
            part[v] = p;
            singleton[v] = false;
            singleton[p as usize] = false;
        }
        for &p in &touched {
            weight[p as usize] = 0.0;
        }
        touched.clear();
    }
    let parts = renumber(&mut part);
    (part, parts)
}

/// Numbers the distinct ids of `ids` 0, 1, 2… in order of first appearance; returns the count.
fn renumber(ids: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; ids.len()];
    let mut next = 0u32;
    for id in ids.iter_mut() {
        if map[*id as usize] == u32::MAX {
            map[*id as usize] = next;
            next += 1;
        }
        *id = map[*id as usize];
    }
    next as usize
}

/// Leiden communities of `graph` at `resolution` (1 is plain modularity; higher finds smaller
/// communities), with the random choices drawn from `seed`. Returns one community per node,
/// numbered from the biggest (by node count; ties by the smallest node in them).
#[must_use]
pub fn leiden(graph: &UndirectedGraph, resolution: f64, seed: u64) -> Vec<u32> {
    let n = graph.node_count();
    let mut random = Random(seed | 1);
    // `membership[v]`: the node of the current (aggregated) graph the original node `v` is in.
    let mut membership: Vec<u32> = (0..n as u32).collect();
    let mut current = graph.clone();
    let mut community: Vec<u32> = (0..n as u32).collect();
    if graph.total > 0.0 {
        for _ in 0..MAX_ROUNDS {
            move_nodes(&current, &mut community, resolution, &mut random);
            let count = renumber(&mut community);
            if count == current.node_count() {
                break;
            }
            let (mut part, mut parts) = refine(&current, &community, resolution, &mut random);
            // A refinement that merged nothing would aggregate to the same graph forever: take
            // the communities themselves (Louvain's step) so every round shrinks the graph.
            if parts == current.node_count() {
                (part, parts) = (community.clone(), count);
            }
            let mut next_community = vec![0u32; parts];
            for v in 0..current.node_count() {
                next_community[part[v] as usize] = community[v];
            }
            for m in &mut membership {
                *m = part[*m as usize];
            }
            current = current.aggregate(&part, parts);
            community = next_community;
        }
    }
    let mut result: Vec<u32> = membership.iter().map(|&m| community[m as usize]).collect();
    by_size(&mut result);
    result
}

/// Renumbers communities from the biggest; ties go to the one holding the smaller node.
fn by_size(result: &mut [u32]) {
    let count = result.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut size = vec![0u32; count];
    let mut first = vec![u32::MAX; count];
    for (v, &c) in result.iter().enumerate() {
        size[c as usize] += 1;
        first[c as usize] = first[c as usize].min(v as u32);
    }
    let mut order: Vec<u32> = (0..count as u32).filter(|&c| size[c as usize] > 0).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(size[c as usize]), first[c as usize]));
    let mut rank = vec![0u32; count];
    for (r, &c) in order.iter().enumerate() {
        rank[c as usize] = r as u32;
    }
    for c in result.iter_mut() {
        *c = rank[*c as usize];
    }
}

/// Normalised mutual information of two partitions of the same nodes: 1 when they are the same
/// up to naming, near 0 when one says nothing about the other (1 when both have one group).
#[must_use]
pub fn normalized_mutual_information(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 1.0;
    }
    let mut pairs: Vec<(u32, u32)> = a.iter().zip(b).map(|(&x, &y)| (x, y)).collect();
    pairs.sort_unstable();
    let count = |ids: &[u32]| {
        let mut c = vec![0u32; ids.iter().map(|&i| i as usize + 1).max().unwrap_or(0)];
        for &i in &ids[..n] {
            c[i as usize] += 1;
        }
        c
    };
    let (ca, cb) = (count(a), count(b));
    let nf = n as f64;
    let entropy = |c: &[u32]| -> f64 {
        c.iter()
            .filter(|&&k| k > 0)
            .map(|&k| {
                let p = f64::from(k) / nf;
                -p * p.ln()
            })
            .sum()
    };
    let mut mutual = 0.0;
    let mut at = 0;
    while at < pairs.len() {
        let run = pairs[at..].iter().take_while(|p| **p == pairs[at]).count();
        let (x, y) = pairs[at];
        let joint = run as f64 / nf;
        mutual += joint * (joint / (f64::from(ca[x as usize]) / nf * f64::from(cb[y as usize]) / nf)).ln();
        at += run;
    }
    let (ha, hb) = (entropy(&ca), entropy(&cb));
    if ha + hb <= 0.0 { 1.0 } else { (2.0 * mutual / (ha + hb)).clamp(0.0, 1.0) }
}
