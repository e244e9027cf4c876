//! `pt_isg` ([`crate::Capability::ReadIsg`]): the graph as compact arrays and strings, copied out
//! in ranges.

use std::sync::Arc;

use super::{
    CallContext, Guest, HostResult, HostState, Implementation, args, charge, copy_out, cost, enter, implement,
};
use crate::graph_input::GraphInput;

const M: &str = pt_abi::MODULE_ISG;

pub(super) const FUNCTIONS: &[Implementation] = &[
    implement(M, "node_count", |g, _| number(g, "pt_isg.node_count", |s| s.call.node_count() as i32)),
    implement(M, "edge_count", |g, _| number(g, "pt_isg.edge_count", |s| s.call.edge_count() as i32)),
    implement(M, "selected_node", |g, _| number(g, "pt_isg.selected_node", |s| s.call.selected)),
    implement(M, "read_positions", |g, a| {
        let encode = |p: &[f32; 2], out: &mut Vec<u8>| {
            out.extend_from_slice(&p[0].to_le_bytes());
            out.extend_from_slice(&p[1].to_le_bytes());
        };
        copy_view(g, "pt_isg.read_positions", |c| c.positions.clone(), encode, args(a))
    }),
    implement(M, "read_view_flags", |g, a| {
        copy_view(g, "pt_isg.read_view_flags", |c| c.view_flags.clone(), |f, out| out.push(*f), args(a))
    }),
    implement(M, "read_edges", |g, a| {
        let encode = |e: &[u32; 2], out: &mut Vec<u8>| {
            out.extend_from_slice(&e[0].to_le_bytes());
            out.extend_from_slice(&e[1].to_le_bytes());
        };
        copy_records(g, "pt_isg.read_edges", |g| &g.edges, encode, args(a))
    }),
    implement(M, "read_edge_kinds", |g, a| {
        copy_records(g, "pt_isg.read_edge_kinds", |g| &g.edge_kinds, |k, out| out.push(*k), args(a))
    }),
    implement(M, "read_node_kinds", |g, a| {
        let encode = |k: &u16, out: &mut Vec<u8>| out.extend_from_slice(&k.to_le_bytes());
        copy_records(g, "pt_isg.read_node_kinds", |g| &g.node_kinds, encode, args(a))
    }),
    implement(M, "read_node_flags", |g, a| {
        copy_records(g, "pt_isg.read_node_flags", |g| &g.node_flags, |f, out| out.push(*f), args(a))
    }),
    implement(M, "read_node_modules", |g, a| {
        let encode = |id: &u32, out: &mut Vec<u8>| out.extend_from_slice(&id.to_le_bytes());
        copy_records(g, "pt_isg.read_node_modules", |g| &g.node_modules, encode, args(a))
    }),
    implement(M, "node_kind_name", |g, a| {
        copy_string(g, "pt_isg.node_kind_name", args(a), |g, k| {
            usize::try_from(k).ok().and_then(|k| g.graph().node_kinds().get(k)).map(String::as_str)
        })
    }),
    implement(M, "edge_kind_name", |g, a| {
        copy_string(g, "pt_isg.edge_kind_name", args(a), |g, k| {
            usize::try_from(k).ok().and_then(|k| g.graph().edge_kinds().get(k)).map(String::as_str)
        })
    }),
    implement(M, "node_name", |g, a| {
        copy_string(g, "pt_isg.node_name", args(a), |g, n| g.node(n).map(|n| g.graph().name(n)))
    }),
    implement(M, "node_file", |g, a| {
        copy_string(g, "pt_isg.node_file", args(a), |g, n| g.node(n).map(|n| g.graph().file_path(n)))
    }),
    implement(M, "node_signature", |g, a| {
        copy_string(g, "pt_isg.node_signature", args(a), |g, n| g.node(n).map(|n| g.graph().signature(n)))
    }),
];

/// A host function returning one number about the call.
fn number(g: &mut dyn Guest, function: &'static str, read: fn(&HostState) -> i32) -> HostResult {
    enter(g, function, [])?;
    charge(g, cost::CALL)?;
    Ok(Some(read(g.state())))
}

/// Copies `count` records of a per-node or per-edge array of the graph starting at `first`
/// (0 without a graph).
fn copy_records<T: Copy>(
    g: &mut dyn Guest,
    function: &'static str,
    pick: fn(&GraphInput) -> &[T],
    encode: fn(&T, &mut Vec<u8>),
    range: [i32; 3],
) -> HostResult {
    enter(g, function, [])?;
    let Some(graph) = g.state().call.graph.clone() else {
        charge(g, cost::CALL)?;
        return Ok(Some(0));
    };
    copy_range(g, function, pick(&graph), encode, range)
}

/// Copies `count` records of one of the arrays the embedder gave about the screen starting at
/// `first` (−1 when it gave none).
fn copy_view<T: Copy>(
    g: &mut dyn Guest,
    function: &'static str,
    pick: fn(&CallContext) -> Option<Arc<Vec<T>>>,
    encode: fn(&T, &mut Vec<u8>),
    range: [i32; 3],
) -> HostResult {
    enter(g, function, [])?;
    let Some(all) = pick(&g.state().call) else {
        charge(g, cost::CALL)?;
        return Ok(Some(-1));
    };
    copy_range(g, function, &all, encode, range)
}

/// Copies records `first..first + count` of `all` (clipped to it) to `dst`, paying for the
/// encoding and the copy; returns how many it copied.
fn copy_range<T: Copy>(
    g: &mut dyn Guest,
    function: &'static str,
    all: &[T],
    encode: fn(&T, &mut Vec<u8>),
    [dst, first, count]: [i32; 3],
) -> HostResult {
    let first = (first.max(0) as usize).min(all.len());
    let n = (count.max(0) as usize).min(all.len() - first);
    charge(g, cost::CALL + cost::copy(n * size_of::<T>()))?;
    let mut bytes = Vec::with_capacity(n * size_of::<T>());
    for record in &all[first..first + n] {
        encode(record, &mut bytes);
    }
    copy_out(g, function, &bytes, dst, i32::MAX)?;
    Ok(Some(n as i32))
}

/// Copies one string of a node (or kind) selected by `id`; −1 for an unknown id.
fn copy_string(
    g: &mut dyn Guest,
    function: &'static str,
    [id, dst, cap]: [i32; 3],
    pick: fn(&GraphInput, i32) -> Option<&str>,
) -> HostResult {
    enter(g, function, [])?;
    charge(g, cost::CALL)?;
    let Some(graph) = g.state().call.graph.clone() else { return Ok(Some(-1)) };
    match pick(&graph, id) {
        Some(value) => copy_out(g, function, value.as_bytes(), dst, cap).map(Some),
        None => Ok(Some(-1)),
    }
}
