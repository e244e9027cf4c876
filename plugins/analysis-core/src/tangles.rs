//! Tangles: groups of at least two nodes that all reach one another (the strongly connected
//! components of the dependency graph), and for each a small set of *feedback* edges whose removal
//! leaves it without a cycle — the edges to cut first. The set comes from the Eades–Lin–Smyth
//! heuristic (1993): order the nodes by peeling sinks to the back and sources to the front and
//! otherwise taking the node with the most weight going out rather than coming in; the edges that
//! point backwards in that order are the feedback set (at most half the edges less a sixth of the
//! nodes, in linear time up to the heap). The same code runs on modules, with edges weighted by
//! how many node edges they stand for, so the cheapest cut is taken.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::Digraph;

/// The strongly connected component of every node, numbered `0..count` in the order Tarjan's
/// algorithm closes them (sinks first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component of each node.
    pub of: Vec<u32>,
    /// Number of components.
    pub count: u32,
}

/// Strongly connected components (Tarjan's algorithm, iterative: a 200,000-long chain does not
/// overflow any stack).
#[must_use]
pub fn components(g: &Digraph) -> Components {
    components_by(g.node_count(), |v, i| g.successors(v).get(i).map(|&(w, _)| w))
}

/// Tarjan's bookkeeping, with the explicit call stack that replaces recursion.
struct Tarjan {
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    call: Vec<(u32, usize)>,
    next: u32,
}

impl Tarjan {
    const NONE: u32 = u32::MAX;

    fn visit(&mut self, v: u32) {
        self.index[v as usize] = self.next;
        self.low[v as usize] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
        self.call.push((v, 0));
    }
}

/// Strongly connected components of any graph of `n` nodes whose `i`-th successor of `v` is
/// `successor(v, i)` (`None` past the last): one Tarjan for every graph type, the loader's
/// included.
#[must_use]
pub fn components_by(n: usize, successor: impl Fn(u32, usize) -> Option<u32>) -> Components {
    let mut t = Tarjan {
        index: vec![Tarjan::NONE; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        call: Vec::new(),
        next: 0,
    };
    let mut of = vec![Tarjan::NONE; n];
    let mut count = 0u32;
    for root in 0..n as u32 {
        if t.index[root as usize] != Tarjan::NONE {
            continue;
        }
        t.visit(root);
        while let Some(&(v, at)) = t.call.last() {
            if let Some(w) = successor(v, at) {
                if let Some(top) = t.call.last_mut() {
                    top.1 += 1;
                }
                if t.index[w as usize] == Tarjan::NONE {
                    t.visit(w);
                } else if t.on_stack[w as usize] {
                    t.low[v as usize] = t.low[v as usize].min(t.index[w as usize]);
                }
                continue;
            }
            t.call.pop();
            if let Some(&(parent, _)) = t.call.last() {
                t.low[parent as usize] = t.low[parent as usize].min(t.low[v as usize]);
            }
            if t.low[v as usize] == t.index[v as usize] {
                while let Some(w) = t.stack.pop() {
                    t.on_stack[w as usize] = false;
                    of[w as usize] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    Components { of, count }
}

/// The size of each node's strongly connected component (1 for a node in no cycle).
#[must_use]
pub fn scc_sizes(n: usize, edges: &[[u32; 2]]) -> Vec<u32> {
    let c = components(&Digraph::new(n, edges));
    let mut sizes = vec![0u32; c.count as usize];
    for &k in &c.of {
        sizes[k as usize] += 1;
    }
    c.of.iter().map(|&k| sizes[k as usize]).collect()
}

/// A tangle: at least two nodes that all reach one another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tangle {
    /// Its nodes, ascending.
    pub nodes: Vec<u32>,
    /// Indices of the edges between its nodes (self-loops left out), ascending.
    pub edges: Vec<u32>,
    /// Indices of some of those edges whose removal leaves no cycle among its nodes, ascending.
    pub feedback: Vec<u32>,
}

/// Every tangle of the graph, biggest first (then by first node). `weights`, one per edge, makes
/// the feedback sets prefer cutting light edges (none: every edge weighs 1).
#[must_use]
pub fn tangles(n: usize, edges: &[[u32; 2]], weights: Option<&[u32]>) -> Vec<Tangle> {
    let g = Digraph::new(n, edges);
    let c = components(&g);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); c.count as usize];
    for (v, &k) in c.of.iter().enumerate() {
        members[k as usize].push(v as u32);
    }
    let weight = |e: u32| u64::from(weights.and_then(|w| w.get(e as usize).copied()).unwrap_or(1));
    let mut local = vec![u32::MAX; n];
    let mut out: Vec<Tangle> = Vec::new();
    for nodes in members.into_iter().filter(|m| m.len() >= 2) {
        let k = c.of[nodes[0] as usize];
        let mut inner: Vec<u32> = nodes
            .iter()
            .flat_map(|&v| g.successors(v))
            .filter(|&&(w, _)| c.of[w as usize] == k)
            .map(|&(_, e)| e)
            .filter(|&e| edges[e as usize][0] != edges[e as usize][1])
            .collect();
        inner.sort_unstable();
        for (i, &v) in nodes.iter().enumerate() {
            local[v as usize] = i as u32;
        }
        let feedback = feedback_edges(nodes.len(), &inner, edges, &local, &weight);
        out.push(Tangle { nodes, edges: inner, feedback });
    }
    out.sort_by(|a, b| b.nodes.len().cmp(&a.nodes.len()).then(a.nodes[0].cmp(&b.nodes[0])));
    out
}

/// Eades–Lin–Smyth on one tangle of `k` nodes (`local` numbers them `0..k`) and its `inner` edges.
fn feedback_edges(k: usize, inner: &[u32], edges: &[[u32; 2]], local: &[u32], weight: &dyn Fn(u32) -> u64) -> Vec<u32> {
    let pairs: Vec<[u32; 2]> =
        inner.iter().map(|&e| [local[edges[e as usize][0] as usize], local[edges[e as usize][1] as usize]]).collect();
    let g = Digraph::new(k, &pairs);
    let (mut out_w, mut in_w) = (vec![0u64; k], vec![0u64; k]);
    for (p, &e) in pairs.iter().zip(inner) {
        out_w[p[0] as usize] += weight(e);
        in_w[p[1] as usize] += weight(e);
    }
    let delta = |o: &[u64], i: &[u64], v: usize| o[v] as i128 - i[v] as i128;
    let mut alive = vec![true; k];
    let (mut sinks, mut sources) = (Vec::new(), Vec::new());
    let mut heap = BinaryHeap::new();
    for v in 0..k {
        if out_w[v] == 0 {
            sinks.push(v as u32);
        } else if in_w[v] == 0 {
            sources.push(v as u32);
        }
        heap.push((delta(&out_w, &in_w, v), Reverse(v as u32)));
    }
    let (mut front, mut back) = (Vec::with_capacity(k), Vec::new());
    let mut remove = |v: u32,
                      alive: &mut Vec<bool>,
                      sinks: &mut Vec<u32>,
                      sources: &mut Vec<u32>,
                      heap: &mut BinaryHeap<(i128, Reverse<u32>)>| {
        alive[v as usize] = false;
        for &(w, e) in g.successors(v) {
            if alive[w as usize] {
                in_w[w as usize] -= weight(inner[e as usize]);
                if in_w[w as usize] == 0 {
                    sources.push(w);
                }
                heap.push((delta(&out_w, &in_w, w as usize), Reverse(w)));
            }
        }
        for &(u, e) in g.predecessors(v) {
            if alive[u as usize] {
                out_w[u as usize] -= weight(inner[e as usize]);
                if out_w[u as usize] == 0 {
                    sinks.push(u);
                }
                heap.push((delta(&out_w, &in_w, u as usize), Reverse(u)));
            }
        }
    };
    let mut left = k;
    while left > 0 {
        if let Some(v) = sinks.pop() {
            if alive[v as usize] {
                remove(v, &mut alive, &mut sinks, &mut sources, &mut heap);
                back.push(v);
                left -= 1;
            }
            continue;
        }
        if let Some(v) = sources.pop() {
            if alive[v as usize] {
                remove(v, &mut alive, &mut sinks, &mut sources, &mut heap);
                front.push(v);
                left -= 1;
            }
            continue;
        }
        // Stale heap entries (a node removed, or its weights changed since) are skipped.
        while let Some((_, Reverse(v))) = heap.pop() {
            if alive[v as usize] {
                remove(v, &mut alive, &mut sinks, &mut sources, &mut heap);
                front.push(v);
                left -= 1;
                break;
            }
        }
    }
    let mut position = vec![0u32; k];
    for (i, &v) in front.iter().chain(back.iter().rev()).enumerate() {
        position[v as usize] = i as u32;
    }
    pairs
        .iter()
        .zip(inner)
        .filter(|(p, _)| position[p[0] as usize] > position[p[1] as usize])
        .map(|(_, &e)| e)
        .collect()
}

/// The share of each module's nodes that sit in a tangle, from 0 to 1 (`modules`: one id per
/// node; a module with no nodes reads 0).
#[must_use]
pub fn tangled_share(modules: &[u32], tangles: &[Tangle]) -> Vec<f32> {
    let count = modules.iter().map(|&m| m as usize + 1).max().unwrap_or(0);
    let (mut tangled, mut all) = (vec![0u32; count], vec![0u32; count]);
    for &m in modules {
        all[m as usize] += 1;
    }
    for v in tangles.iter().flat_map(|t| &t.nodes) {
        if let Some(&m) = modules.get(*v as usize) {
            tangled[m as usize] += 1;
        }
    }
    tangled.iter().zip(&all).map(|(&t, &a)| if a == 0 { 0.0 } else { t as f32 / a as f32 }).collect()
}
