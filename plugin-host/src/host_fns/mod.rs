//! The host functions behind each import module, and the state they work on.
//!
//! Every host function counts itself in the audit trail, bounds-checks every range it is given,
//! and pays for its work in fuel before doing it ([`cost`]): a fixed part per call and a part per
//! byte it copies, decodes or stores. So host time per unit of fuel is bounded for every function,
//! and a plugin cannot make the host work for free between two fuel slices. Everything a call
//! produces is counted against the output cap by its footprint in host memory
//! ([`crate::output::OutputMeter`]), empty records included.

mod core;
pub(crate) mod cost;
mod fs;
mod isg;
mod net;
mod viz;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use wasmi::{Caller, Linker, Memory};

use crate::audit::AuditLog;
use crate::capability::host_function_index;
use crate::folder::PluginFolder;
use crate::graph_input::GraphInput;
use crate::manifest::Capabilities;
use crate::output::{OutputMeter, RunOutput};
use crate::policy::Limiter;

/// Longest log line, failure message or label kept, in bytes.
const MAX_TEXT: usize = 2048;

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
            call: CallContext::new(self.max_output_bytes),
            audit: self.audit.clone(),
            folder: std::mem::take(&mut self.folder),
            allow: self.allow.clone(),
            max_output_bytes: self.max_output_bytes,
            max_log_lines: self.max_log_lines,
        }
    }
}

/// The fuel a call has beyond the slice in the store, and what host functions took from it.
///
/// A host function pays first from the slice's fuel in the store; what the slice cannot cover is
/// taken from the rest of the call's budget as debt, which the next [`crate::Call::step`] books.
/// Host work beyond the whole budget is refused before it starts.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FuelAccount {
    /// Fuel the call may still use after the current slice.
    pub(crate) beyond_slice: u64,
    /// Fuel host functions took beyond the slice's, during the current slice.
    pub(crate) debt: u64,
}

/// What one call reads and writes.
pub(crate) struct CallContext {
    pub(crate) graph: Option<Arc<GraphInput>>,
    pub(crate) params: Vec<u8>,
    pub(crate) selected: i32,
    /// The positions on screen, one per node, when the embedder gave them.
    pub(crate) positions: Option<Arc<Vec<[f32; 2]>>>,
    /// What is drawn and selected on screen, one byte per node, when the embedder gave it.
    pub(crate) view_flags: Option<Arc<Vec<u8>>>,
    pub(crate) output: RunOutput,
    pub(crate) meter: OutputMeter,
    pub(crate) fail: Option<String>,
    pub(crate) progress: Option<(u32, u32)>,
    pub(crate) positions_changed: bool,
    pub(crate) fuel: FuelAccount,
}

impl CallContext {
    /// An empty context whose output may take `max_output_bytes` of host memory.
    pub(crate) fn new(max_output_bytes: usize) -> Self {
        Self {
            graph: None,
            params: Vec::new(),
            selected: -1,
            positions: None,
            view_flags: None,
            output: RunOutput::default(),
            meter: OutputMeter::new(max_output_bytes),
            fail: None,
            progress: None,
            positions_changed: false,
            fuel: FuelAccount::default(),
        }
    }

    /// Starts a call's context: the graph, the checked parameters and the selection.
    pub(crate) fn start(max_output_bytes: usize, graph: Arc<GraphInput>, params: Vec<u8>, selected: i32) -> Self {
        Self { graph: Some(graph), params, selected, ..Self::new(max_output_bytes) }
    }

    fn node_count(&self) -> usize {
        self.graph.as_ref().map_or(0, |g| g.node_count())
    }

    fn edge_count(&self) -> usize {
        self.graph.as_ref().map_or(0, |g| g.edge_count())
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

/// Why the embedder could not answer a [`FetchRequest`]; the plugin sees only `NetStatus::Failed`,
/// the reason goes to the audit log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct FetchFailed {
    /// What went wrong, in words.
    pub reason: String,
}

impl FetchFailed {
    /// A failure with `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        Self { reason: reason.into() }
    }
}

/// Why a host function stopped the plugin, or suspended it for a fetch.
#[derive(Debug, Clone)]
pub(crate) enum HostFault {
    BadPointer {
        function: &'static str,
        ptr: u32,
        len: u64,
        memory: usize,
    },
    InvalidOutput(String),
    /// The host work asked for costs more fuel than the call has left.
    OutOfFuel,
    Fetch(FetchRequest),
}

impl fmt::Display for HostFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadPointer { function, ptr, len, memory } => {
                write!(f, "{function}: range {ptr:#x}+{len} outside {memory} bytes")
            }
            Self::InvalidOutput(reason) => f.write_str(reason),
            Self::OutOfFuel => f.write_str("out of fuel for host work"),
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

/// Counts the call in the audit trail and checks `ranges` against the plugin's memory, before any
/// work: a bad pointer costs nothing but the call.
fn enter<const N: usize>(
    c: &mut Host<'_>,
    slot: usize,
    function: &'static str,
    ranges: [(i32, u64); N],
) -> Result<[Range<usize>; N], wasmi::Error> {
    let (memory, state) = guest(c)?;
    state.audit.count(slot);
    let mut out: [Range<usize>; N] = std::array::from_fn(|_| 0..0);
    for (range, (ptr, len)) in out.iter_mut().zip(ranges) {
        *range = span(memory, function, ptr, len)?;
    }
    Ok(out)
}

fn count_len(count: i32, record: usize) -> u64 {
    u64::from(count as u32) * record as u64
}

/// Text for display: at most [`MAX_TEXT`] bytes, invalid UTF-8 replaced.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_TEXT)]).into_owned()
}

/// Bytes of a range that [`text`] reads.
fn text_len(range: &Range<usize>) -> usize {
    range.len().min(MAX_TEXT)
}

/// Takes `fuel` for host work before it is done: from the slice's fuel first, the rest from the
/// call's budget beyond the slice. Work the budget cannot pay for is refused as out of fuel.
fn charge(caller: &mut Host<'_>, fuel: u64) -> Result<(), wasmi::Error> {
    // Cannot fail: fuel metering is always on in our engine.
    let in_store = caller.get_fuel().unwrap_or(0);
    let from_store = fuel.min(in_store);
    let account = &mut caller.data_mut().call.fuel;
    let rest = fuel - from_store;
    if rest > account.beyond_slice.saturating_sub(account.debt) {
        return Err(wasmi::Error::host(HostFault::OutOfFuel));
    }
    account.debt += rest;
    caller.set_fuel(in_store - from_store).ok();
    Ok(())
}

/// Reserves `bytes` of the call's output footprint.
fn reserve(state: &mut HostState, bytes: usize) -> Result<(), wasmi::Error> {
    state.call.meter.reserve(bytes).map_err(|e| invalid(e.to_string()))
}

/// Copies `src` (clipped to `cap`) to the plugin's memory at `dst`, paying for the copy; returns
/// the full length.
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
    charge(caller, cost::copy(n))?;
    let (memory, _) = guest(caller)?;
    memory[range].copy_from_slice(&src[..n]);
    Ok(i32::try_from(src.len()).unwrap_or(i32::MAX))
}

fn slot(module: &str, name: &str) -> usize {
    host_function_index(module, name).unwrap_or_else(|| unreachable!("{module}.{name} is missing from HOST_FUNCTIONS"))
}

/// Links the core module and the modules of the granted capabilities.
pub(crate) fn link(linker: &mut Linker<HostState>, grants: Capabilities) -> Result<(), wasmi::Error> {
    core::link(linker)?;
    if grants.read_isg {
        isg::link(linker)?;
    }
    if grants.write_visualization {
        viz::link(linker)?;
    }
    if grants.network_access {
        net::link(linker)?;
    }
    if grants.file_system_access {
        fs::link(linker)?;
    }
    Ok(())
}
