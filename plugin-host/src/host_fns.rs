//! The host functions behind each import module, and the state they work on.
//!
//! Every function counts itself in the audit trail, bounds-checks every range it is given, and
//! charges fuel for the bytes it copies, so a plugin cannot loop on host calls for free.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use wasmi::{Caller, Linker, Memory};

use crate::abi::{self, NetStatus, Overlay, Severity};
use crate::audit::{AuditKind, AuditLog};
use crate::capability::{CORE_MODULE, Capability, host_function_index};
use crate::folder::PluginFolder;
use crate::graph_input::GraphInput;
use crate::manifest::Capabilities;
use crate::output::{ExportFile, Finding, LogLine, MetricColumn, RunOutput};
use crate::policy::Limiter;

/// Longest log line, failure message or label kept, in bytes.
const MAX_TEXT: usize = 2048;
/// Bytes copied per unit of fuel charged.
const BYTES_PER_FUEL: u64 = 16;

/// Everything a store holds for its plugin.
pub(crate) struct HostState {
    pub(crate) plugin: String,
    pub(crate) limiter: Limiter,
    pub(crate) memory: Option<Memory>,
    pub(crate) call: CallContext,
    pub(crate) audit: AuditLog,
    pub(crate) folder: PluginFolder,
    pub(crate) allow: Vec<String>,
    pub(crate) max_output_bytes: usize,
    pub(crate) max_log_lines: usize,
}

impl HostState {
    /// A fresh state for a replacement instance, keeping what outlives instances: the audit trail,
    /// the folder and the limits.
    pub(crate) fn respawn(&mut self) -> Self {
        let (memory_limit, table_limit) = self.limiter.limits();
        Self {
            plugin: self.plugin.clone(),
            limiter: Limiter::new(memory_limit, table_limit),
            memory: None,
            call: CallContext::default(),
            audit: self.audit.clone(),
            folder: std::mem::take(&mut self.folder),
            allow: self.allow.clone(),
            max_output_bytes: self.max_output_bytes,
            max_log_lines: self.max_log_lines,
        }
    }
}

/// What one call reads and writes.
#[derive(Default)]
pub(crate) struct CallContext {
    pub(crate) graph: Option<Arc<GraphInput>>,
    pub(crate) params: Vec<u8>,
    pub(crate) selected: i32,
    pub(crate) output: RunOutput,
    pub(crate) output_bytes: usize,
    pub(crate) fail: Option<String>,
    pub(crate) progress: Option<(u32, u32)>,
    pub(crate) positions_changed: bool,
}

impl CallContext {
    fn node_count(&self) -> usize {
        self.graph.as_ref().map_or(0, |g| g.node_count())
    }
}

/// A GET a plugin asked for; the embedder performs it and resumes the call with the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    /// The URL, whose host is on the allow-list.
    pub url: String,
    pub(crate) dst: u32,
    pub(crate) cap: u32,
}

/// Why a host function stopped the plugin, or suspended it for a fetch.
#[derive(Debug, Clone)]
pub(crate) enum HostFault {
    BadPointer { function: &'static str, ptr: u32, len: u64, memory: usize },
    InvalidOutput(String),
    Fetch(FetchRequest),
}

impl fmt::Display for HostFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadPointer { function, ptr, len, memory } => {
                write!(f, "{function}: range {ptr:#x}+{len} outside {memory} bytes")
            }
            Self::InvalidOutput(reason) => f.write_str(reason),
            Self::Fetch(req) => write!(f, "fetch {}", req.url),
        }
    }
}

impl wasmi::errors::HostError for HostFault {}

fn invalid(reason: impl Into<String>) -> wasmi::Error {
    wasmi::Error::host(HostFault::InvalidOutput(reason.into()))
}

type Host<'a> = Caller<'a, HostState>;

/// The plugin's memory and the host state, borrowed together so bytes can move between them.
fn guest<'a>(caller: &'a mut Host<'_>) -> Result<(&'a mut [u8], &'a mut HostState), wasmi::Error> {
    let memory = caller.data().memory.ok_or_else(|| invalid("the plugin exports no memory"))?;
    Ok(memory.data_and_store_mut(caller))
}

fn span(memory: &[u8], function: &'static str, ptr: i32, len: u64) -> Result<Range<usize>, wasmi::Error> {
    let start = u64::from(ptr as u32);
    match start.checked_add(len) {
        Some(end) if end <= memory.len() as u64 => Ok(start as usize..end as usize),
        _ => Err(wasmi::Error::host(HostFault::BadPointer { function, ptr: ptr as u32, len, memory: memory.len() })),
    }
}

fn count_len(count: i32, record: usize) -> u64 {
    u64::from(count as u32) * record as u64
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_TEXT)]).into_owned()
}

fn charge(caller: &mut Host<'_>, bytes: usize) {
    if let Ok(fuel) = caller.get_fuel() {
        // Cannot fail: fuel metering is always on in our engine.
        let _ = caller.set_fuel(fuel.saturating_sub(bytes as u64 / BYTES_PER_FUEL));
    }
}

fn add_output(state: &mut HostState, bytes: usize) -> Result<(), wasmi::Error> {
    state.call.output_bytes += bytes;
    if state.call.output_bytes > state.max_output_bytes {
        return Err(invalid(format!("output exceeds the {} MiB limit per call", state.max_output_bytes >> 20)));
    }
    Ok(())
}

/// Copies `src` (clipped to `cap`) to the plugin's memory at `dst`; returns the full length.
fn copy_out(
    caller: &mut Host<'_>,
    function: &'static str,
    src: &[u8],
    dst: i32,
    cap: i32,
) -> Result<i32, wasmi::Error> {
    let n = src.len().min(cap as u32 as usize);
    let (memory, _) = guest(caller)?;
    let range = span(memory, function, dst, n as u64)?;
    memory[range].copy_from_slice(&src[..n]);
    charge(caller, n);
    Ok(i32::try_from(src.len()).unwrap_or(i32::MAX))
}

fn slot(module: &str, name: &str) -> usize {
    host_function_index(module, name).unwrap_or_else(|| unreachable!("{module}.{name} is missing from HOST_FUNCTIONS"))
}

/// Links the core module and the modules of the granted capabilities.
pub(crate) fn link(linker: &mut Linker<HostState>, grants: Capabilities) -> Result<(), wasmi::Error> {
    link_core(linker)?;
    if grants.read_isg {
        link_isg(linker)?;
    }
    if grants.write_visualization {
        link_viz(linker)?;
    }
    if grants.network_access {
        link_net(linker)?;
    }
    if grants.file_system_access {
        link_fs(linker)?;
    }
    Ok(())
}

fn link_core(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = CORE_MODULE;
    let s = slot(m, "log");
    linker.func_wrap(m, "log", move |mut c: Host<'_>, level: i32, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
        let (memory, state) = guest(&mut c)?;
        state.audit.count(s);
        let range = span(memory, "pt_core.log", ptr, count_len(len, 1))?;
        if state.call.output.logs.len() < state.max_log_lines {
            let line = LogLine { level: level.clamp(0, 3) as u8, message: text(&memory[range]) };
            add_output(state, line.message.len())?;
            state.call.output.logs.push(line);
        } else {
            state.call.output.dropped_logs += 1;
        }
        Ok(())
    })?;
    let s = slot(m, "progress");
    linker.func_wrap(m, "progress", move |mut c: Host<'_>, done: i32, total: i32| {
        let state = c.data_mut();
        state.audit.count(s);
        state.call.progress = Some((done.max(0) as u32, total.max(0) as u32));
    })?;
    let s = slot(m, "fail");
    linker.func_wrap(m, "fail", move |mut c: Host<'_>, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
        let (memory, state) = guest(&mut c)?;
        state.audit.count(s);
        let range = span(memory, "pt_core.fail", ptr, count_len(len, 1))?;
        state.call.fail = Some(text(&memory[range]));
        Ok(())
    })?;
    let s = slot(m, "params_len");
    linker.func_wrap(m, "params_len", move |mut c: Host<'_>| -> i32 {
        let state = c.data_mut();
        state.audit.count(s);
        state.call.params.len() as i32
    })?;
    let s = slot(m, "params_read");
    linker.func_wrap(m, "params_read", move |mut c: Host<'_>, dst: i32, cap: i32| -> Result<i32, wasmi::Error> {
        c.data_mut().audit.count(s);
        let params = std::mem::take(&mut c.data_mut().call.params);
        let result = copy_out(&mut c, "pt_core.params_read", &params, dst, cap);
        c.data_mut().call.params = params;
        result
    })?;
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
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let ids = abi::decode_u32s(&memory[span(memory, "pt_core.emit_finding", nodes, count_len(count, 4))?]);
            let message = text(&memory[span(memory, "pt_core.emit_finding", msg, count_len(msg_len, 1))?]);
            let severity = Severity::from_i32(severity).map_err(invalid)?;
            abi::check_node_ids(&ids, state.call.node_count()).map_err(invalid)?;
            add_output(state, ids.len() * 4 + message.len())?;
            state.call.output.findings.push(Finding { severity, nodes: ids, message });
            Ok(())
        },
    )?;
    let s = slot(m, "emit_metric");
    linker.func_wrap(
        m,
        "emit_metric",
        move |mut c: Host<'_>, name: i32, name_len: i32, values: i32, count: i32| -> Result<(), wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let name = text(&memory[span(memory, "pt_core.emit_metric", name, count_len(name_len, 1))?]);
            let values = abi::decode_f32s(&memory[span(memory, "pt_core.emit_metric", values, count_len(count, 4))?]);
            if values.len() != state.call.node_count() {
                return Err(invalid(format!(
                    "metric {name:?} has {} values for {} nodes",
                    values.len(),
                    state.call.node_count()
                )));
            }
            add_output(state, values.len() * 4)?;
            state.call.output.metrics.push(MetricColumn { name, values });
            Ok(())
        },
    )?;
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
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let f = "pt_core.emit_file";
            let name = text(&memory[span(memory, f, name, count_len(name_len, 1))?]);
            let mime = text(&memory[span(memory, f, mime, count_len(mime_len, 1))?]);
            let range = span(memory, f, data, count_len(data_len, 1))?;
            add_output(state, range.len())?;
            let bytes = memory[range].to_vec();
            state.call.output.files.push(ExportFile { name, mime, bytes });
            Ok(())
        },
    )?;
    Ok(())
}

/// Copies `count` records of a per-node or per-edge array starting at `first`.
fn copy_records<T: Copy>(
    c: &mut Host<'_>,
    s: usize,
    function: &'static str,
    pick: fn(&GraphInput) -> &[T],
    encode: fn(&T, &mut Vec<u8>),
    (dst, first, count): (i32, i32, i32),
) -> Result<i32, wasmi::Error> {
    let state = c.data_mut();
    state.audit.count(s);
    let Some(graph) = state.call.graph.clone() else { return Ok(0) };
    let all = pick(&graph);
    let first = (first.max(0) as usize).min(all.len());
    let n = (count.max(0) as usize).min(all.len() - first);
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
    let state = c.data_mut();
    state.audit.count(s);
    let Some(graph) = state.call.graph.clone() else { return Ok(-1) };
    match pick(&graph, id) {
        Some(value) => copy_out(c, function, value.as_bytes(), dst, cap),
        None => Ok(-1),
    }
}

fn link_isg(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::ReadIsg.module();
    let s = slot(m, "node_count");
    linker.func_wrap(m, "node_count", move |mut c: Host<'_>| -> i32 {
        let state = c.data_mut();
        state.audit.count(s);
        state.call.node_count() as i32
    })?;
    let s = slot(m, "edge_count");
    linker.func_wrap(m, "edge_count", move |mut c: Host<'_>| -> i32 {
        let state = c.data_mut();
        state.audit.count(s);
        state.call.graph.as_ref().map_or(0, |g| g.edge_count()) as i32
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
    let s = slot(m, "selected_node");
    linker.func_wrap(m, "selected_node", move |mut c: Host<'_>| -> i32 {
        let state = c.data_mut();
        state.audit.count(s);
        state.call.selected
    })?;
    Ok(())
}

fn link_viz(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::WriteVisualization.module();
    let s = slot(m, "set_positions");
    linker.func_wrap(m, "set_positions", move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
        let (memory, state) = guest(&mut c)?;
        state.audit.count(s);
        let range = span(memory, "pt_viz.set_positions", ptr, count_len(count, 8))?;
        let positions = abi::decode_positions(&memory[range], state.call.node_count()).map_err(invalid)?;
        state.call.output.positions = Some(positions);
        state.call.positions_changed = true;
        Ok(())
    })?;
    let s = slot(m, "set_node_styles");
    linker.func_wrap(
        m,
        "set_node_styles",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let range = span(memory, "pt_viz.set_node_styles", ptr, count_len(count, abi::NODE_STYLE_BYTES))?;
            state.call.output.node_styles =
                Some(abi::decode_node_styles(&memory[range], state.call.node_count()).map_err(invalid)?);
            Ok(())
        },
    )?;
    let s = slot(m, "set_edge_styles");
    linker.func_wrap(
        m,
        "set_edge_styles",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let range = span(memory, "pt_viz.set_edge_styles", ptr, count_len(count, abi::EDGE_STYLE_BYTES))?;
            let edges = state.call.graph.as_ref().map_or(0, |g| g.edge_count());
            state.call.output.edge_styles = Some(abi::decode_edge_styles(&memory[range], edges).map_err(invalid)?);
            Ok(())
        },
    )?;
    let s = slot(m, "set_edge_marks");
    linker.func_wrap(
        m,
        "set_edge_marks",
        move |mut c: Host<'_>, ptr: i32, count: i32| -> Result<(), wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let range = span(memory, "pt_viz.set_edge_marks", ptr, count_len(count, 1))?;
            let edges = state.call.graph.as_ref().map_or(0, |g| g.edge_count());
            abi::check_edge_marks(&memory[range.clone()], edges).map_err(invalid)?;
            state.call.output.edge_marks = Some(memory[range].to_vec());
            Ok(())
        },
    )?;
    let s = slot(m, "set_label");
    linker.func_wrap(
        m,
        "set_label",
        move |mut c: Host<'_>, node: i32, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let label = text(&memory[span(memory, "pt_viz.set_label", ptr, count_len(len, 1))?]);
            abi::check_node_ids(&[node as u32], state.call.node_count()).map_err(invalid)?;
            add_output(state, label.len())?;
            state.call.output.labels.insert(node as u32, label);
            Ok(())
        },
    )?;
    let s = slot(m, "add_overlay");
    linker.func_wrap(m, "add_overlay", move |mut c: Host<'_>, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
        let (memory, state) = guest(&mut c)?;
        state.audit.count(s);
        let range = span(memory, "pt_viz.add_overlay", ptr, count_len(len, 1))?;
        add_output(state, range.len())?;
        let overlay = Overlay::decode(&memory[range], state.call.node_count()).map_err(invalid)?;
        state.call.output.overlays.push(overlay);
        Ok(())
    })?;
    Ok(())
}

/// The host of an `http(s)://` URL, lower-cased; `None` for anything else.
fn url_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None;
    }
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { authority });
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn link_net(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::NetworkAccess.module();
    let s = slot(m, "fetch");
    linker.func_wrap(
        m,
        "fetch",
        move |mut c: Host<'_>, url: i32, url_len: i32, dst: i32, cap: i32| -> Result<i32, wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let url = text(&memory[span(memory, "pt_net.fetch", url, count_len(url_len, 1))?]);
            span(memory, "pt_net.fetch", dst, count_len(cap, 1))?;
            let plugin = state.plugin.clone();
            let Some(host) = url_host(&url) else {
                state.audit.record(&plugin, AuditKind::Denied, format!("fetch of malformed URL {url:?}"));
                return Ok(NetStatus::BadUrl as i32);
            };
            if !state.allow.contains(&host) {
                state.audit.record(
                    &plugin,
                    AuditKind::Denied,
                    format!("fetch of {url}: host {host} is not on the allow-list"),
                );
                return Ok(NetStatus::Denied as i32);
            }
            state.audit.record(&plugin, AuditKind::CapabilityUse, format!("fetch {url}"));
            Err(wasmi::Error::host(HostFault::Fetch(FetchRequest { url, dst: dst as u32, cap: cap as u32 })))
        },
    )?;
    Ok(())
}

fn link_fs(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::FileSystemAccess.module();
    let s = slot(m, "write");
    linker.func_wrap(
        m,
        "write",
        move |mut c: Host<'_>, name: i32, name_len: i32, data: i32, data_len: i32| -> Result<i32, wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let name = text(&memory[span(memory, "pt_fs.write", name, count_len(name_len, 1))?]);
            let range = span(memory, "pt_fs.write", data, count_len(data_len, 1))?;
            let len = range.len();
            let plugin = state.plugin.clone();
            let status = match state.folder.write(&name, &memory[range]) {
                Ok(()) => {
                    state.audit.record(&plugin, AuditKind::CapabilityUse, format!("wrote {len} bytes to {name:?}"));
                    0
                }
                Err(status) => {
                    state.audit.record(
                        &plugin,
                        AuditKind::Denied,
                        format!("write of {len} bytes to {name:?}: {status:?}"),
                    );
                    status as i32
                }
            };
            charge(&mut c, len);
            Ok(status)
        },
    )?;
    let s = slot(m, "read");
    linker.func_wrap(
        m,
        "read",
        move |mut c: Host<'_>, name: i32, name_len: i32, dst: i32, cap: i32| -> Result<i32, wasmi::Error> {
            let (memory, state) = guest(&mut c)?;
            state.audit.count(s);
            let name = text(&memory[span(memory, "pt_fs.read", name, count_len(name_len, 1))?]);
            let data = match state.folder.read(&name) {
                Ok(data) => data.to_vec(),
                Err(status) => return Ok(status as i32),
            };
            copy_out(&mut c, "pt_fs.read", &data, dst, cap)
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_hosts() {
        assert_eq!(url_host("https://API.example.com/x?y").as_deref(), Some("api.example.com"));
        assert_eq!(url_host("http://example.com:8080").as_deref(), Some("example.com"));
        assert_eq!(url_host("https://evil.com@example.com/"), None);
        assert_eq!(url_host("file:///etc/passwd"), None);
        assert_eq!(url_host("https:///x"), None);
    }

    #[test]
    fn fs_status_codes_are_negative() {
        assert!((abi::FsStatus::NotFound as i32) < 0 && (NetStatus::Denied as i32) < 0);
    }
}
