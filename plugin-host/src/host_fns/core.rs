//! `pt_core`, linked for every plugin: log, progress, failure messages, parameters, and the
//! non-visual output (findings, metric columns, files).

use wasmi::Linker;

use super::{Host, HostState, charge, copy_out, cost, count_len, enter, guest, invalid, reserve, slot, text, text_len};
use crate::abi::{self, Severity};
use crate::capability::CORE_MODULE;
use crate::export_format::{mime_for, safe_file_name};
use crate::output::{ExportFile, Finding, LogLine, MetricColumn, record_overhead};

pub(super) fn link(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = CORE_MODULE;
    let s = slot(m, "log");
    linker.func_wrap(m, "log", move |mut c: Host<'_>, level: i32, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
        let [range] = enter(&mut c, s, "pt_core.log", [(ptr, count_len(len, 1))])?;
        let keep = c.data().call.output.logs.len() < c.data().max_log_lines;
        charge(&mut c, cost::CALL + if keep { cost::RECORD + cost::text(text_len(&range)) } else { 0 })?;
        let (memory, state) = guest(&mut c)?;
        if keep {
            let line = LogLine { level: level.clamp(0, 3) as u8, message: text(&memory[range]) };
            reserve(state, record_overhead::<LogLine>() + line.message.len())?;
            state.call.output.logs.push(line);
        } else {
            state.call.output.dropped_logs += 1;
        }
        Ok(())
    })?;
    let s = slot(m, "progress");
    linker.func_wrap(m, "progress", move |mut c: Host<'_>, done: i32, total: i32| -> Result<(), wasmi::Error> {
        enter(&mut c, s, "pt_core.progress", [])?;
        charge(&mut c, cost::CALL)?;
        c.data_mut().call.progress = Some((done.max(0) as u32, total.max(0) as u32));
        Ok(())
    })?;
    let s = slot(m, "fail");
    linker.func_wrap(m, "fail", move |mut c: Host<'_>, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
        let [range] = enter(&mut c, s, "pt_core.fail", [(ptr, count_len(len, 1))])?;
        charge(&mut c, cost::CALL + cost::text(text_len(&range)))?;
        let (memory, state) = guest(&mut c)?;
        state.call.fail = Some(text(&memory[range]));
        Ok(())
    })?;
    let s = slot(m, "params_len");
    linker.func_wrap(m, "params_len", move |mut c: Host<'_>| -> Result<i32, wasmi::Error> {
        enter(&mut c, s, "pt_core.params_len", [])?;
        charge(&mut c, cost::CALL)?;
        Ok(c.data().call.params.len() as i32)
    })?;
    let s = slot(m, "params_read");
    linker.func_wrap(m, "params_read", move |mut c: Host<'_>, dst: i32, cap: i32| -> Result<i32, wasmi::Error> {
        enter(&mut c, s, "pt_core.params_read", [])?;
        charge(&mut c, cost::CALL)?;
        let params = std::mem::take(&mut c.data_mut().call.params);
        let result = copy_out(&mut c, "pt_core.params_read", &params, dst, cap);
        c.data_mut().call.params = params;
        result
    })?;
    link_findings(linker)?;
    link_files(linker)
}

fn link_findings(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = CORE_MODULE;
    let s = slot(m, "emit_finding");
    linker.func_wrap(
        m,
        "emit_finding",
        move |mut c: Host<'_>,
              severity: i32,
              nodes: i32,
              count: i32,
              msg: i32,
              msg_len: i32|
              -> Result<(), wasmi::Error> {
            let f = "pt_core.emit_finding";
            let [ids, message] = enter(&mut c, s, f, [(nodes, count_len(count, 4)), (msg, count_len(msg_len, 1))])?;
            let severity =
                Severity::from_code(severity).ok_or_else(|| invalid(format!("unknown finding severity {severity}")))?;
            let footprint = record_overhead::<Finding>() + ids.len() + text_len(&message);
            reserve(c.data_mut(), footprint)?;
            charge(&mut c, cost::CALL + cost::RECORD + cost::decode(ids.len()) + cost::text(text_len(&message)))?;
            let (memory, state) = guest(&mut c)?;
            let ids = abi::decode_u32s(&memory[ids]);
            abi::check_node_ids(&ids, state.call.node_count()).map_err(|e| invalid(e.to_string()))?;
            let message = text(&memory[message]);
            state.call.output.findings.push(Finding { severity, nodes: ids, edges: Vec::new(), message });
            Ok(())
        },
    )?;
    let s = slot(m, "mark_finding_edges");
    linker.func_wrap(
        m,
        "mark_finding_edges",
        move |mut c: Host<'_>, edges: i32, count: i32| -> Result<(), wasmi::Error> {
            let f = "pt_core.mark_finding_edges";
            let [ids] = enter(&mut c, s, f, [(edges, count_len(count, 4))])?;
            if c.data().call.output.findings.is_empty() {
                return Err(invalid("mark_finding_edges before any emit_finding: there is no finding to mark"));
            }
            reserve(c.data_mut(), ids.len())?;
            charge(&mut c, cost::CALL + cost::decode(ids.len()))?;
            let (memory, state) = guest(&mut c)?;
            let ids = abi::decode_u32s(&memory[ids]);
            let edge_count = state.call.edge_count();
            if let Some(&bad) = ids.iter().find(|&&e| e as usize >= edge_count) {
                return Err(invalid(format!("edge {bad} does not exist: the graph has {edge_count} edges")));
            }
            let finding = state.call.output.findings.last_mut().expect("checked above");
            finding.edges.extend(ids);
            Ok(())
        },
    )?;
    let s = slot(m, "emit_metric");
    linker.func_wrap(
        m,
        "emit_metric",
        move |mut c: Host<'_>, name: i32, name_len: i32, values: i32, count: i32| -> Result<(), wasmi::Error> {
            let f = "pt_core.emit_metric";
            let [name, values] = enter(&mut c, s, f, [(name, count_len(name_len, 1)), (values, count_len(count, 4))])?;
            let nodes = c.data().call.node_count();
            if values.len() != nodes * 4 {
                return Err(invalid(format!("a metric column has {} values for {nodes} nodes", values.len() / 4)));
            }
            reserve(c.data_mut(), record_overhead::<MetricColumn>() + text_len(&name) + values.len())?;
            charge(&mut c, cost::CALL + cost::RECORD + cost::text(text_len(&name)) + cost::decode(values.len()))?;
            let (memory, state) = guest(&mut c)?;
            let name = text(&memory[name]);
            let values = abi::decode_f32s(&memory[values]);
            state.call.output.metrics.push(MetricColumn { name, values });
            Ok(())
        },
    )?;
    Ok(())
}

fn link_files(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = CORE_MODULE;
    let s = slot(m, "emit_file");
    linker.func_wrap(
        m,
        "emit_file",
        move |mut c: Host<'_>,
              name: i32,
              name_len: i32,
              mime: i32,
              mime_len: i32,
              data: i32,
              data_len: i32|
              -> Result<(), wasmi::Error> {
            let f = "pt_core.emit_file";
            // The plugin's MIME type is checked for bounds like every range, and then ignored.
            let [name, _, data] = enter(
                &mut c,
                s,
                f,
                [(name, count_len(name_len, 1)), (mime, count_len(mime_len, 1)), (data, count_len(data_len, 1))],
            )?;
            reserve(c.data_mut(), record_overhead::<ExportFile>() + 2 * text_len(&name) + data.len())?;
            charge(&mut c, cost::CALL + cost::RECORD + cost::text(text_len(&name)) + cost::copy(data.len()))?;
            let (memory, state) = guest(&mut c)?;
            let name = safe_file_name(&text(&memory[name]));
            let mime = mime_for(&name).to_owned();
            let bytes = memory[data].to_vec();
            state.call.output.files.push(ExportFile { name, mime, bytes });
            Ok(())
        },
    )?;
    Ok(())
}
