//! `pt_core`, linked for every plugin: log, progress, failure messages, parameters, and the
//! non-visual output (findings, metric columns, files).

use super::{
    Guest, HostResult, Implementation, args, charge, copy_out, cost, count_len, enter, implement, invalid, read_text,
    reserve, text_len,
};
use crate::abi::{self, Severity};
use crate::capability::CORE_MODULE as M;
use crate::export_format::{mime_for, safe_file_name};
use crate::output::{ExportFile, Finding, LogLine, MetricColumn, record_overhead};

pub(super) const FUNCTIONS: &[Implementation] = &[
    implement(M, "log", log),
    implement(M, "progress", progress),
    implement(M, "fail", fail),
    implement(M, "params_len", params_len),
    implement(M, "params_read", params_read),
    implement(M, "emit_finding", emit_finding),
    implement(M, "mark_finding_edges", mark_finding_edges),
    implement(M, "emit_metric", emit_metric),
    implement(M, "emit_file", emit_file),
];

fn log(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [level, ptr, len] = args(a);
    let [range] = enter(g, "pt_core.log", [(ptr, count_len(len, 1))])?;
    let keep = g.state().call.output.logs.len() < g.state().max_log_lines;
    charge(g, cost::CALL + if keep { cost::RECORD + cost::text(text_len(&range)) } else { 0 })?;
    if keep {
        let line = LogLine { level: level.clamp(0, 3) as u8, message: read_text(g, &range) };
        let state = g.state();
        reserve(state, record_overhead::<LogLine>() + line.message.len())?;
        state.call.output.logs.push(line);
    } else {
        g.state().call.output.dropped_logs += 1;
    }
    Ok(None)
}

fn progress(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [done, total] = args(a);
    enter(g, "pt_core.progress", [])?;
    charge(g, cost::CALL)?;
    g.state().call.progress = Some((done.max(0) as u32, total.max(0) as u32));
    Ok(None)
}

fn fail(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [ptr, len] = args(a);
    let [range] = enter(g, "pt_core.fail", [(ptr, count_len(len, 1))])?;
    charge(g, cost::CALL + cost::text(text_len(&range)))?;
    let message = read_text(g, &range);
    g.state().call.fail = Some(message);
    Ok(None)
}

fn params_len(g: &mut dyn Guest, _: &[i32]) -> HostResult {
    enter(g, "pt_core.params_len", [])?;
    charge(g, cost::CALL)?;
    Ok(Some(g.state().call.params.len() as i32))
}

fn params_read(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [dst, cap] = args(a);
    enter(g, "pt_core.params_read", [])?;
    charge(g, cost::CALL)?;
    let params = std::mem::take(&mut g.state().call.params);
    let result = copy_out(g, "pt_core.params_read", &params, dst, cap);
    g.state().call.params = params;
    result.map(Some)
}

fn emit_finding(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [severity, nodes, count, msg, msg_len] = args(a);
    let f = "pt_core.emit_finding";
    let [ids, message] = enter(g, f, [(nodes, count_len(count, 4)), (msg, count_len(msg_len, 1))])?;
    let severity =
        Severity::from_code(severity).ok_or_else(|| invalid(format!("unknown finding severity {severity}")))?;
    let footprint = record_overhead::<Finding>() + ids.len() + text_len(&message);
    reserve(g.state(), footprint)?;
    charge(g, cost::CALL + cost::RECORD + cost::decode(ids.len()) + cost::text(text_len(&message)))?;
    let ids = abi::decode_u32s(&g.read(ids));
    abi::check_node_ids(&ids, g.state().call.node_count()).map_err(|e| invalid(e.to_string()))?;
    let message = read_text(g, &message);
    g.state().call.output.findings.push(Finding { severity, nodes: ids, edges: Vec::new(), message });
    Ok(None)
}

fn mark_finding_edges(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [edges, count] = args(a);
    let [ids] = enter(g, "pt_core.mark_finding_edges", [(edges, count_len(count, 4))])?;
    if g.state().call.output.findings.is_empty() {
        return Err(invalid("mark_finding_edges before any emit_finding: there is no finding to mark"));
    }
    reserve(g.state(), ids.len())?;
    charge(g, cost::CALL + cost::decode(ids.len()))?;
    let ids = abi::decode_u32s(&g.read(ids));
    let state = g.state();
    let edge_count = state.call.edge_count();
    if let Some(&bad) = ids.iter().find(|&&e| e as usize >= edge_count) {
        return Err(invalid(format!("edge {bad} does not exist: the graph has {edge_count} edges")));
    }
    let finding = state.call.output.findings.last_mut().expect("checked above");
    finding.edges.extend(ids);
    Ok(None)
}

fn emit_metric(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [name, name_len, values, count] = args(a);
    let f = "pt_core.emit_metric";
    let [name, values] = enter(g, f, [(name, count_len(name_len, 1)), (values, count_len(count, 4))])?;
    let nodes = g.state().call.node_count();
    if values.len() != nodes * 4 {
        return Err(invalid(format!("a metric column has {} values for {nodes} nodes", values.len() / 4)));
    }
    reserve(g.state(), record_overhead::<MetricColumn>() + text_len(&name) + values.len())?;
    charge(g, cost::CALL + cost::RECORD + cost::text(text_len(&name)) + cost::decode(values.len()))?;
    let name = read_text(g, &name);
    let values = abi::decode_f32s(&g.read(values));
    g.state().call.output.metrics.push(MetricColumn { name, values });
    Ok(None)
}

fn emit_file(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [name, name_len, mime, mime_len, data, data_len] = args(a);
    // The plugin's MIME type is checked for bounds like every range, and then ignored.
    let [name, _, data] = enter(
        g,
        "pt_core.emit_file",
        [(name, count_len(name_len, 1)), (mime, count_len(mime_len, 1)), (data, count_len(data_len, 1))],
    )?;
    reserve(g.state(), record_overhead::<ExportFile>() + 2 * text_len(&name) + data.len())?;
    charge(g, cost::CALL + cost::RECORD + cost::text(text_len(&name)) + cost::copy(data.len()))?;
    let name = safe_file_name(&read_text(g, &name));
    let mime = mime_for(&name).to_owned();
    let bytes = g.read(data);
    g.state().call.output.files.push(ExportFile { name, mime, bytes });
    Ok(None)
}
