//! `pt_viz` ([`crate::Capability::WriteVisualization`]): positions, styles, edge marks, labels,
//! overlays. Each array replaces the one set before, and gives back its footprint when it does.

use super::{
    Guest, HostResult, HostState, Implementation, args, charge, cost, count_len, enter, implement, invalid, read_text,
    reserve, text_len,
};
use crate::abi::{self, EdgeMarks, EdgeStyle, NodeStyle, Overlay, Record, Records};
use crate::output::{EdgeRoutes, record_overhead};

const M: &str = pt_abi::MODULE_VIZ;

/// Longest overlay JSON accepted, in bytes: a hull around every node of a big graph fits.
const MAX_OVERLAY_JSON: usize = 16 << 20;

/// Host memory a label takes in the label map beyond its text.
const LABEL_OVERHEAD: usize = 64;

pub(super) const FUNCTIONS: &[Implementation] = &[
    implement(M, "set_positions", |g, a| {
        let slot: fn(&mut HostState) -> &mut Option<Records<[f32; 2]>> = |st| &mut st.call.output.positions;
        replace_records(g, "pt_viz.set_positions", args(a), nodes, slot)?;
        g.state().call.positions_changed = true;
        Ok(None)
    }),
    implement(M, "set_node_styles", |g, a| {
        let slot: fn(&mut HostState) -> &mut Option<Records<NodeStyle>> = |st| &mut st.call.output.node_styles;
        replace_records(g, "pt_viz.set_node_styles", args(a), nodes, slot)
    }),
    implement(M, "set_edge_styles", |g, a| {
        let slot: fn(&mut HostState) -> &mut Option<Records<EdgeStyle>> = |st| &mut st.call.output.edge_styles;
        replace_records(g, "pt_viz.set_edge_styles", args(a), edges, slot)
    }),
    implement(M, "set_edge_marks", |g, a| {
        let slot: fn(&mut HostState) -> &mut Option<Records<EdgeMarks>> = |st| &mut st.call.output.edge_marks;
        replace_records(g, "pt_viz.set_edge_marks", args(a), edges, slot)
    }),
    implement(M, "set_label", set_label),
    implement(M, "add_overlay", add_overlay),
    implement(M, "set_edge_routes", set_edge_routes),
];

fn nodes(state: &HostState) -> usize {
    state.call.node_count()
}

fn edges(state: &HostState) -> usize {
    state.call.edge_count()
}

/// Replaces one of the per-node or per-edge record arrays: checks the count, gives back the old
/// array's footprint, pays for checking, and keeps the new records as the plugin wrote them.
fn replace_records<T: Record>(
    g: &mut dyn Guest,
    function: &'static str,
    [ptr, count]: [i32; 2],
    expected: fn(&HostState) -> usize,
    slot: fn(&mut HostState) -> &mut Option<Records<T>>,
) -> HostResult {
    let [range] = enter(g, function, [(ptr, count_len(count, T::BYTES))])?;
    let state = g.state();
    let want = expected(state);
    let old = slot(state).take().as_ref().map_or(0, Records::footprint);
    state.call.meter.release(old);
    reserve(state, range.len())?;
    charge(g, cost::CALL + cost::decode(range.len()))?;
    let len = range.len();
    let records = Records::<T>::check(&g.read(range), want);
    let state = g.state();
    state.call.meter.release(len);
    let records = records.map_err(|e| invalid(e.to_string()))?;
    reserve(state, records.footprint())?;
    *slot(state) = Some(records);
    Ok(None)
}

fn set_label(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [node, ptr, len] = args(a);
    let [range] = enter(g, "pt_viz.set_label", [(ptr, count_len(len, 1))])?;
    abi::check_node_ids(&[node as u32], g.state().call.node_count()).map_err(|e| invalid(e.to_string()))?;
    charge(g, cost::CALL + cost::RECORD + cost::text(text_len(&range)))?;
    let label = read_text(g, &range);
    let state = g.state();
    let old = state.call.output.labels.get(&(node as u32)).map_or(0, |l| LABEL_OVERHEAD + l.len());
    state.call.meter.release(old);
    reserve(state, LABEL_OVERHEAD + label.len())?;
    state.call.output.labels.insert(node as u32, label);
    Ok(None)
}

fn add_overlay(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [ptr, len] = args(a);
    let [range] = enter(g, "pt_viz.add_overlay", [(ptr, count_len(len, 1))])?;
    if range.len() > MAX_OVERLAY_JSON {
        return Err(invalid(format!(
            "an overlay of {} bytes is over the {} MiB limit for one overlay",
            range.len(),
            MAX_OVERLAY_JSON >> 20
        )));
    }
    // Parsing may hold up to twice the JSON's size while it builds the overlay.
    let parse_room = record_overhead::<Overlay>() + 2 * range.len();
    reserve(g.state(), parse_room)?;
    charge(g, cost::CALL + cost::RECORD + cost::json(range.len()))?;
    let json = g.read(range);
    let state = g.state();
    let overlay = Overlay::decode(&json, state.call.node_count());
    state.call.meter.release(parse_room);
    let overlay = overlay.map_err(|e| invalid(e.to_string()))?;
    reserve(state, record_overhead::<Overlay>() + overlay.footprint())?;
    state.call.output.overlays.push(overlay);
    Ok(None)
}

fn set_edge_routes(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [ptr, len] = args(a);
    let [range] = enter(g, "pt_viz.set_edge_routes", [(ptr, count_len(len, 1))])?;
    let state = g.state();
    let old = state.call.output.edge_routes.take().as_ref().map_or(0, EdgeRoutes::footprint);
    state.call.meter.release(old);
    // Checking holds the copy and one flag per edge of the graph.
    let edges = state.call.edge_count();
    let check_room = range.len() + edges;
    reserve(state, check_room)?;
    // A route marks its edge in a flag per edge of the graph, cleared once per call.
    let flags = if range.is_empty() { 0 } else { cost::copy(edges) };
    charge(g, cost::CALL + cost::decode(range.len()) + flags)?;
    let bytes = g.read(range);
    let state = g.state();
    let routes = EdgeRoutes::check(&bytes, edges);
    state.call.meter.release(check_room);
    let routes = routes.map_err(|e| invalid(e.to_string()))?;
    reserve(state, routes.footprint())?;
    state.call.output.edge_routes = Some(routes);
    Ok(None)
}
