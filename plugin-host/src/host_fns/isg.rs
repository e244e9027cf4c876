//! `pt_isg` ([`Capability::ReadIsg`]): the graph as compact arrays and strings, copied out in ranges.

use wasmi::Linker;

use super::{Host, HostState, charge, copy_out, cost, enter, slot};
use crate::capability::Capability;
use crate::graph_input::GraphInput;

/// Copies `count` records of a per-node or per-edge array starting at `first`, paying for the
/// encoding and the copy.
fn copy_records<T: Copy>(
    c: &mut Host<'_>,
    s: usize,
    function: &'static str,
    pick: fn(&GraphInput) -> &[T],
    encode: fn(&T, &mut Vec<u8>),
    (dst, first, count): (i32, i32, i32),
) -> Result<i32, wasmi::Error> {
    enter(c, s, function, [])?;
    let Some(graph) = c.data().call.graph.clone() else {
        charge(c, cost::CALL)?;
        return Ok(0);
    };
    let all = pick(&graph);
    let first = (first.max(0) as usize).min(all.len());
    let n = (count.max(0) as usize).min(all.len() - first);
    charge(c, cost::CALL + cost::copy(n * size_of::<T>()))?;
    let mut bytes = Vec::with_capacity(n * size_of::<T>());
    for record in &all[first..first + n] {
        encode(record, &mut bytes);
    }
    copy_out(c, function, &bytes, dst, i32::MAX)?;
    Ok(n as i32)
}

/// Copies one string of a node (or kind) selected by `id`; −1 for an unknown id.
fn copy_string(
    c: &mut Host<'_>,
    s: usize,
    function: &'static str,
    pick: fn(&GraphInput, i32) -> Option<&str>,
    (id, dst, cap): (i32, i32, i32),
) -> Result<i32, wasmi::Error> {
    enter(c, s, function, [])?;
    charge(c, cost::CALL)?;
    let Some(graph) = c.data().call.graph.clone() else { return Ok(-1) };
    match pick(&graph, id) {
        Some(value) => copy_out(c, function, value.as_bytes(), dst, cap),
        None => Ok(-1),
    }
}

/// A host function returning one number about the call.
fn link_number(
    linker: &mut Linker<HostState>,
    name: &'static str,
    function: &'static str,
    read: fn(&HostState) -> i32,
) -> Result<(), wasmi::Error> {
    let m = Capability::ReadIsg.module();
    let s = slot(m, name);
    linker.func_wrap(m, name, move |mut c: Host<'_>| -> Result<i32, wasmi::Error> {
        enter(&mut c, s, function, [])?;
        charge(&mut c, cost::CALL)?;
        Ok(read(c.data()))
    })?;
    Ok(())
}

pub(super) fn link(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::ReadIsg.module();
    link_number(linker, "node_count", "pt_isg.node_count", |s| s.call.node_count() as i32)?;
    link_number(linker, "edge_count", "pt_isg.edge_count", |s| s.call.edge_count() as i32)?;
    link_number(linker, "selected_node", "pt_isg.selected_node", |s| s.call.selected)?;
    let s = slot(m, "read_positions");
    linker.func_wrap(m, "read_positions", move |mut c: Host<'_>, dst: i32, first: i32, count: i32| {
        let function = "pt_isg.read_positions";
        enter(&mut c, s, function, [])?;
        let Some(positions) = c.data().call.positions.clone() else {
            charge(&mut c, cost::CALL)?;
            return Ok(-1);
        };
        let first = (first.max(0) as usize).min(positions.len());
        let n = (count.max(0) as usize).min(positions.len() - first);
        charge(&mut c, cost::CALL + cost::copy(n * 8))?;
        let bytes: Vec<u8> = positions[first..first + n]
            .iter()
            .flat_map(|p| p[0].to_le_bytes().into_iter().chain(p[1].to_le_bytes()))
            .collect();
        copy_out(&mut c, function, &bytes, dst, i32::MAX)?;
        Ok(n as i32)
    })?;
    let s = slot(m, "read_view_flags");
    linker.func_wrap(m, "read_view_flags", move |mut c: Host<'_>, dst: i32, first: i32, count: i32| {
        let function = "pt_isg.read_view_flags";
        enter(&mut c, s, function, [])?;
        let Some(flags) = c.data().call.view_flags.clone() else {
            charge(&mut c, cost::CALL)?;
            return Ok(-1);
        };
        let first = (first.max(0) as usize).min(flags.len());
        let n = (count.max(0) as usize).min(flags.len() - first);
        charge(&mut c, cost::CALL + cost::copy(n))?;
        copy_out(&mut c, function, &flags[first..first + n], dst, i32::MAX)?;
        Ok(n as i32)
    })?;
    let s = slot(m, "read_edges");
    linker.func_wrap(m, "read_edges", move |mut c: Host<'_>, dst: i32, first: i32, count: i32| {
        let encode = |e: &[u32; 2], out: &mut Vec<u8>| {
            out.extend_from_slice(&e[0].to_le_bytes());
            out.extend_from_slice(&e[1].to_le_bytes());
        };
        copy_records(&mut c, s, "pt_isg.read_edges", |g| &g.edges, encode, (dst, first, count))
    })?;
    let s = slot(m, "read_edge_kinds");
    linker.func_wrap(m, "read_edge_kinds", move |mut c: Host<'_>, dst: i32, first: i32, count: i32| {
        copy_records(&mut c, s, "pt_isg.read_edge_kinds", |g| &g.edge_kinds, |k, out| out.push(*k), (dst, first, count))
    })?;
    let s = slot(m, "read_node_kinds");
    linker.func_wrap(m, "read_node_kinds", move |mut c: Host<'_>, dst: i32, first: i32, count: i32| {
        let encode = |k: &u16, out: &mut Vec<u8>| out.extend_from_slice(&k.to_le_bytes());
        copy_records(&mut c, s, "pt_isg.read_node_kinds", |g| &g.node_kinds, encode, (dst, first, count))
    })?;
    let s = slot(m, "read_node_flags");
    linker.func_wrap(m, "read_node_flags", move |mut c: Host<'_>, dst: i32, first: i32, count: i32| {
        copy_records(&mut c, s, "pt_isg.read_node_flags", |g| &g.node_flags, |f, out| out.push(*f), (dst, first, count))
    })?;
    let s = slot(m, "read_node_modules");
    linker.func_wrap(m, "read_node_modules", move |mut c: Host<'_>, dst: i32, first: i32, count: i32| {
        let encode = |id: &u32, out: &mut Vec<u8>| out.extend_from_slice(&id.to_le_bytes());
        copy_records(&mut c, s, "pt_isg.read_node_modules", |g| &g.node_modules, encode, (dst, first, count))
    })?;
    type PickString = fn(&GraphInput, i32) -> Option<&str>;
    let strings: [(&str, &'static str, PickString); 5] = [
        ("node_kind_name", "pt_isg.node_kind_name", |g, k| {
            usize::try_from(k).ok().and_then(|k| g.graph().node_kinds().get(k)).map(String::as_str)
        }),
        ("edge_kind_name", "pt_isg.edge_kind_name", |g, k| {
            usize::try_from(k).ok().and_then(|k| g.graph().edge_kinds().get(k)).map(String::as_str)
        }),
        ("node_name", "pt_isg.node_name", |g, n| g.node(n).map(|n| g.graph().name(n))),
        ("node_file", "pt_isg.node_file", |g, n| g.node(n).map(|n| g.graph().file_path(n))),
        ("node_signature", "pt_isg.node_signature", |g, n| g.node(n).map(|n| g.graph().signature(n))),
    ];
    for (name, function, pick) in strings {
        let s = slot(m, name);
        linker.func_wrap(m, name, move |mut c: Host<'_>, id: i32, dst: i32, cap: i32| {
            copy_string(&mut c, s, function, pick, (id, dst, cap))
        })?;
    }
    Ok(())
}
