//! `pt_viz` ([`Capability::WriteVisualization`]): positions, styles, edge marks, labels, overlays.
//! Each array replaces the one set before, and gives back its footprint when it does.

use wasmi::Linker;

use super::{Host, HostState, charge, cost, count_len, enter, guest, invalid, reserve, slot, text, text_len};
use crate::abi::{self, EdgeMarks, EdgeStyle, NodeStyle, Overlay, Record, Records};
use crate::capability::Capability;
use crate::output::{EdgeRoutes, record_overhead};

/// Longest overlay JSON accepted, in bytes: a hull around every node of a big graph fits.
const MAX_OVERLAY_JSON: usize = 16 << 20;

/// Host memory a label takes in the label map beyond its text.
const LABEL_OVERHEAD: usize = 64;

/// Replaces one of the per-node or per-edge record arrays: checks the count, gives back the old
/// array's footprint, pays for checking, and keeps the new records as the plugin wrote them.
fn replace_records<T: Record>(
    c: &mut Host<'_>,
    s: usize,
    function: &'static str,
    (ptr, count): (i32, i32),
    expected: fn(&HostState) -> usize,
    slot: fn(&mut HostState) -> &mut Option<Records<T>>,
) -> Result<(), wasmi::Error> {
    let [range] = enter(c, s, function, [(ptr, count_len(count, T::BYTES))])?;
    let state = c.data_mut();
    let want = expected(state);
    let old = slot(state).take().as_ref().map_or(0, Records::footprint);
    state.call.meter.release(old);
    reserve(state, range.len())?;
    charge(c, cost::CALL + cost::decode(range.len()))?;
    let (memory, state) = guest(c)?;
    let records = Records::<T>::check(&memory[range.clone()], want);
    state.call.meter.release(range.len());
    let records = records.map_err(|e| invalid(e.to_string()))?;
    reserve(state, records.footprint())?;
    *slot(state) = Some(records);
    Ok(())
}

pub(super) fn link(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::WriteVisualization.module();
    let nodes: fn(&HostState) -> usize = |st| st.call.node_count();
    let edges: fn(&HostState) -> usize = |st| st.call.edge_count();
    let s = slot(m, "set_positions");
    linker.func_wrap(m, "set_positions", move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
        let slot: fn(&mut HostState) -> &mut Option<Records<[f32; 2]>> = |st| &mut st.call.output.positions;
        replace_records(&mut c, s, "pt_viz.set_positions", (ptr, count), nodes, slot)?;
        c.data_mut().call.positions_changed = true;
        Ok(())
    })?;
    let s = slot(m, "set_node_styles");
    linker.func_wrap(
        m,
        "set_node_styles",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let slot: fn(&mut HostState) -> &mut Option<Records<NodeStyle>> = |st| &mut st.call.output.node_styles;
            replace_records::<NodeStyle>(&mut c, s, "pt_viz.set_node_styles", (ptr, count), nodes, slot)
        },
    )?;
    let s = slot(m, "set_edge_styles");
    linker.func_wrap(
        m,
        "set_edge_styles",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let slot: fn(&mut HostState) -> &mut Option<Records<EdgeStyle>> = |st| &mut st.call.output.edge_styles;
            replace_records::<EdgeStyle>(&mut c, s, "pt_viz.set_edge_styles", (ptr, count), edges, slot)
        },
    )?;
    let s = slot(m, "set_edge_marks");
    linker.func_wrap(
        m,
        "set_edge_marks",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let slot: fn(&mut HostState) -> &mut Option<Records<EdgeMarks>> = |st| &mut st.call.output.edge_marks;
            replace_records::<EdgeMarks>(&mut c, s, "pt_viz.set_edge_marks", (ptr, count), edges, slot)
        },
    )?;
    let s = slot(m, "set_label");
    linker.func_wrap(
        m,
        "set_label",
        move |mut c: Host<'_>, node: i32, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
            let [range] = enter(&mut c, s, "pt_viz.set_label", [(ptr, count_len(len, 1))])?;
            abi::check_node_ids(&[node as u32], c.data().call.node_count()).map_err(|e| invalid(e.to_string()))?;
            charge(&mut c, cost::CALL + cost::RECORD + cost::text(text_len(&range)))?;
            let (memory, state) = guest(&mut c)?;
            let label = text(&memory[range]);
            let old = state.call.output.labels.get(&(node as u32)).map_or(0, |l| LABEL_OVERHEAD + l.len());
            state.call.meter.release(old);
            reserve(state, LABEL_OVERHEAD + label.len())?;
            state.call.output.labels.insert(node as u32, label);
            Ok(())
        },
    )?;
    let s = slot(m, "add_overlay");
    linker.func_wrap(m, "add_overlay", move |mut c: Host<'_>, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
        let [range] = enter(&mut c, s, "pt_viz.add_overlay", [(ptr, count_len(len, 1))])?;
        if range.len() > MAX_OVERLAY_JSON {
            return Err(invalid(format!(
                "an overlay of {} bytes is over the {} MiB limit for one overlay",
                range.len(),
                MAX_OVERLAY_JSON >> 20
            )));
        }
        // Parsing may hold up to twice the JSON's size while it builds the overlay.
        let parse_room = record_overhead::<Overlay>() + 2 * range.len();
        reserve(c.data_mut(), parse_room)?;
        charge(&mut c, cost::CALL + cost::RECORD + cost::json(range.len()))?;
        let (memory, state) = guest(&mut c)?;
        let overlay = Overlay::decode(&memory[range], state.call.node_count());
        state.call.meter.release(parse_room);
        let overlay = overlay.map_err(|e| invalid(e.to_string()))?;
        reserve(state, record_overhead::<Overlay>() + overlay.footprint())?;
        state.call.output.overlays.push(overlay);
        Ok(())
    })?;
    let s = slot(m, "set_edge_routes");
    linker.func_wrap(m, "set_edge_routes", move |mut c: Host<'_>, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
        let [range] = enter(&mut c, s, "pt_viz.set_edge_routes", [(ptr, count_len(len, 1))])?;
        let state = c.data_mut();
        let old = state.call.output.edge_routes.take().as_ref().map_or(0, EdgeRoutes::footprint);
        state.call.meter.release(old);
        // Checking holds the copy and one flag per edge of the graph.
        let edges = state.call.edge_count();
        let check_room = range.len() + edges;
        reserve(state, check_room)?;
        // A route marks its edge in a flag per edge of the graph, cleared once per call.
        let flags = if range.is_empty() { 0 } else { cost::copy(edges) };
        charge(&mut c, cost::CALL + cost::decode(range.len()) + flags)?;
        let (memory, state) = guest(&mut c)?;
        let routes = EdgeRoutes::check(&memory[range], state.call.edge_count());
        state.call.meter.release(check_room);
        let routes = routes.map_err(|e| invalid(e.to_string()))?;
        reserve(state, routes.footprint())?;
        state.call.output.edge_routes = Some(routes);
        Ok(())
    })?;
    Ok(())
}
