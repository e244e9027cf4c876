//! `pt_viz` ([`Capability::WriteVisualization`]): positions, styles, edge marks, labels, overlays.
//! Each array replaces the one set before, and gives back its footprint when it does.

use wasmi::Linker;

use super::{Host, HostState, charge, cost, count_len, enter, guest, invalid, reserve, slot, text, text_len};
use crate::abi::{self, EdgeStyle, NodeStyle, Overlay};
use crate::capability::Capability;
use crate::output::record_overhead;

/// Longest overlay JSON accepted, in bytes: a hull around every node of a big graph fits.
const MAX_OVERLAY_JSON: usize = 16 << 20;

/// Host memory a label takes in the label map beyond its text.
const LABEL_OVERHEAD: usize = 64;

/// One of the per-node or per-edge arrays a renderer or layout sets whole.
struct Array<T> {
    function: &'static str,
    record_bytes: usize,
    /// How many records the graph needs.
    expected: fn(&HostState) -> usize,
    /// Host memory the decoded array takes.
    footprint: fn(&T) -> usize,
    /// Where it is kept.
    slot: fn(&mut HostState) -> &mut Option<T>,
}

/// Replaces one of the arrays: reserves room for decoding (releasing the old array's footprint),
/// pays for decoding, decodes, and keeps the new array at its real footprint.
fn replace_array<T>(
    c: &mut Host<'_>,
    s: usize,
    array: &Array<T>,
    (ptr, count): (i32, i32),
    decode: impl FnOnce(&[u8], usize) -> Result<T, String>,
) -> Result<(), wasmi::Error> {
    let [range] = enter(c, s, array.function, [(ptr, count_len(count, array.record_bytes))])?;
    let state = c.data_mut();
    let want = (array.expected)(state);
    let old = (array.slot)(state).take().as_ref().map_or(0, array.footprint);
    state.call.meter.release(old);
    // Decoded records are never larger than twice their wire form.
    reserve(state, 2 * range.len())?;
    charge(c, cost::CALL + cost::decode(range.len()))?;
    let (memory, state) = guest(c)?;
    let decoded = decode(&memory[range.clone()], want);
    state.call.meter.release(2 * range.len());
    let decoded = decoded.map_err(invalid)?;
    reserve(state, (array.footprint)(&decoded))?;
    *(array.slot)(state) = Some(decoded);
    Ok(())
}

pub(super) fn link(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::WriteVisualization.module();
    let s = slot(m, "set_positions");
    linker.func_wrap(m, "set_positions", move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
        let array = Array {
            function: "pt_viz.set_positions",
            record_bytes: 8,
            expected: |st| st.call.node_count(),
            footprint: |p: &Vec<[f32; 2]>| p.capacity() * 8,
            slot: |st| &mut st.call.output.positions,
        };
        replace_array(&mut c, s, &array, (ptr, count), abi::decode_positions)?;
        c.data_mut().call.positions_changed = true;
        Ok(())
    })?;
    let s = slot(m, "set_node_styles");
    linker.func_wrap(
        m,
        "set_node_styles",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let array = Array {
                function: "pt_viz.set_node_styles",
                record_bytes: abi::NODE_STYLE_BYTES,
                expected: |st| st.call.node_count(),
                footprint: |v: &Vec<NodeStyle>| v.capacity() * size_of::<NodeStyle>(),
                slot: |st| &mut st.call.output.node_styles,
            };
            replace_array(&mut c, s, &array, (ptr, count), abi::decode_node_styles)
        },
    )?;
    let s = slot(m, "set_edge_styles");
    linker.func_wrap(
        m,
        "set_edge_styles",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let array = Array {
                function: "pt_viz.set_edge_styles",
                record_bytes: abi::EDGE_STYLE_BYTES,
                expected: |st| st.call.edge_count(),
                footprint: |v: &Vec<EdgeStyle>| v.capacity() * size_of::<EdgeStyle>(),
                slot: |st| &mut st.call.output.edge_styles,
            };
            replace_array(&mut c, s, &array, (ptr, count), abi::decode_edge_styles)
        },
    )?;
    let s = slot(m, "set_edge_marks");
    linker.func_wrap(
        m,
        "set_edge_marks",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let array = Array {
                function: "pt_viz.set_edge_marks",
                record_bytes: 1,
                expected: |st| st.call.edge_count(),
                footprint: Vec::capacity,
                slot: |st| &mut st.call.output.edge_marks,
            };
            let decode = |bytes: &[u8], edges| abi::check_edge_marks(bytes, edges).map(|()| bytes.to_vec());
            replace_array(&mut c, s, &array, (ptr, count), decode)
        },
    )?;
    let s = slot(m, "set_label");
    linker.func_wrap(
        m,
        "set_label",
        move |mut c: Host<'_>, node: i32, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
            let [range] = enter(&mut c, s, "pt_viz.set_label", [(ptr, count_len(len, 1))])?;
            abi::check_node_ids(&[node as u32], c.data().call.node_count()).map_err(invalid)?;
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
        let overlay = overlay.map_err(invalid)?;
        reserve(state, record_overhead::<Overlay>() + overlay.footprint())?;
        state.call.output.overlays.push(overlay);
        Ok(())
    })?;
    Ok(())
}
