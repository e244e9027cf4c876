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

use wasmi::{Caller, FuncType, Linker, Memory, Val, ValType};

use crate::audit::AuditLog;
use crate::capability::{CORE_MODULE, Capability};
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

impl HostState {
    /// An empty state with nothing to spend, for a stand-in that never runs.
    #[cfg(feature = "wasmtime")]
    pub(crate) fn stand_in(&self) -> Self {
        Self {
            plugin: self.plugin.clone(),
            limiter: Limiter::new(0, 0),
            memory: None,
            call: CallContext::new(0),
            audit: AuditLog::new(1),
            folder: PluginFolder::new(0),
            allow: Vec::new(),
            max_output_bytes: 0,
            max_log_lines: 0,
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
    /// Starts a call's context: the graph, the checked parameters, the app's selection and what the
    /// embedder gave about the screen (kept only when it has one entry per node of `graph`).
    pub(crate) fn start(
        max_output_bytes: usize,
        graph: Arc<GraphInput>,
        params: &serde_json::Map<String, serde_json::Value>,
        selected: Option<u32>,
        screen: ScreenView,
    ) -> Self {
        let nodes = graph.node_count();
        Self {
            params: serde_json::to_vec(params).unwrap_or_default(),
            selected: selected.and_then(|s| i32::try_from(s).ok()).unwrap_or(-1),
            positions: screen.positions.filter(|p| p.len() == nodes),
            view_flags: screen.flags.filter(|f| f.len() == nodes),
            graph: Some(graph),
            ..Self::new(max_output_bytes)
        }
    }

    fn node_count(&self) -> usize {
        self.graph.as_ref().map_or(0, |g| g.node_count())
    }

    fn edge_count(&self) -> usize {
        self.graph.as_ref().map_or(0, |g| g.edge_count())
    }
}

/// What the embedder tells the next call about the screen (exporters read it), then forgets.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScreenView {
    /// The positions on screen, one per node.
    pub(crate) positions: Option<Arc<Vec<[f32; 2]>>>,
    /// What is drawn and selected, one byte per node.
    pub(crate) flags: Option<Arc<Vec<u8>>>,
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

/// What a host function needs from the engine running the plugin: the store's state, the plugin's
/// linear memory and the fuel left in the current slice. Each engine binds the same host
/// functions through it (wasmi here, wasmtime natively, the browser's engine in the fast lane), so
/// bounds checks, prices, output caps and the audit trail are one implementation.
pub(crate) trait Guest {
    /// The store's host state.
    fn state(&mut self) -> &mut HostState;
    /// Bytes of linear memory now.
    fn memory_size(&mut self) -> Result<usize, HostFault>;
    /// A copy of a range [`span`] checked.
    fn read(&mut self, range: Range<usize>) -> Vec<u8>;
    /// Writes `bytes` at `at`, a range [`span`] checked.
    fn write(&mut self, at: usize, bytes: &[u8]);
    /// Fuel left in the current slice.
    fn fuel(&mut self) -> u64;
    /// Sets the fuel left in the current slice.
    fn set_fuel(&mut self, fuel: u64);
}

/// What a host function returns to the plugin: its `i32` result, if it has one.
pub(crate) type HostResult = Result<Option<i32>, HostFault>;

/// A host function, whichever engine calls it; `args` has as many values as its signature in
/// [`crate::HOST_FUNCTIONS`].
pub(crate) type HostFn = fn(&mut dyn Guest, &[i32]) -> HostResult;

/// The arguments of a host function as an array (the binding guarantees the count).
fn args<const N: usize>(values: &[i32]) -> [i32; N] {
    std::array::from_fn(|i| values.get(i).copied().unwrap_or(0))
}

fn invalid(reason: impl Into<String>) -> HostFault {
    HostFault::InvalidOutput(reason.into())
}

fn span(memory: usize, function: &'static str, ptr: i32, len: u64) -> Result<Range<usize>, HostFault> {
    let start = u64::from(ptr as u32);
    match start.checked_add(len) {
        Some(end) if end <= memory as u64 => Ok(start as usize..end as usize),
        _ => Err(HostFault::BadPointer { function, ptr: ptr as u32, len, memory }),
    }
}

/// Checks `ranges` against the plugin's memory before any work: a bad pointer costs nothing but
/// the call (which [`call`] already counted).
fn enter<const N: usize>(
    g: &mut dyn Guest,
    function: &'static str,
    ranges: [(i32, u64); N],
) -> Result<[Range<usize>; N], HostFault> {
    let memory = g.memory_size()?;
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

/// The first [`MAX_TEXT`] bytes of a checked range, as text.
fn read_text(g: &mut dyn Guest, range: &Range<usize>) -> String {
    text(&g.read(range.start..range.start + text_len(range)))
}

/// Takes `fuel` for host work before it is done: from the slice's fuel first, the rest from the
/// call's budget beyond the slice. Work the budget cannot pay for is refused as out of fuel.
fn charge(g: &mut dyn Guest, fuel: u64) -> Result<(), HostFault> {
    let in_store = g.fuel();
    let from_store = fuel.min(in_store);
    let account = &mut g.state().call.fuel;
    let rest = fuel - from_store;
    if rest > account.beyond_slice.saturating_sub(account.debt) {
        return Err(HostFault::OutOfFuel);
    }
    account.debt += rest;
    g.set_fuel(in_store - from_store);
    Ok(())
}

/// Reserves `bytes` of the call's output footprint.
fn reserve(state: &mut HostState, bytes: usize) -> Result<(), HostFault> {
    state.call.meter.reserve(bytes).map_err(|e| invalid(e.to_string()))
}

/// Copies `src` (clipped to `cap`) to the plugin's memory at `dst`, paying for the copy; returns
/// the full length.
fn copy_out(g: &mut dyn Guest, function: &'static str, src: &[u8], dst: i32, cap: i32) -> Result<i32, HostFault> {
    let n = src.len().min(cap as u32 as usize);
    let range = span(g.memory_size()?, function, dst, n as u64)?;
    charge(g, cost::copy(n))?;
    g.write(range.start, &src[..n]);
    Ok(i32::try_from(src.len()).unwrap_or(i32::MAX))
}

/// One host function's implementation, found by its import module and name.
struct Implementation {
    module: &'static str,
    name: &'static str,
    run: HostFn,
}

const fn implement(module: &'static str, name: &'static str, run: HostFn) -> Implementation {
    Implementation { module, name, run }
}

/// Every host function's implementation, module by module.
fn implementations() -> impl Iterator<Item = &'static Implementation> {
    [core::FUNCTIONS, isg::FUNCTIONS, viz::FUNCTIONS, net::FUNCTIONS, fs::FUNCTIONS].into_iter().flatten()
}

/// The implementation of host function `slot` of [`crate::HOST_FUNCTIONS`].
pub(crate) fn implementation(slot: usize) -> Option<HostFn> {
    let f = crate::HOST_FUNCTIONS.get(slot)?;
    implementations().find(|i| i.module == f.module && i.name == f.name).map(|i| i.run)
}

/// Calls host function `slot` for the plugin: counts it in the audit trail, then runs it.
pub(crate) fn call(g: &mut dyn Guest, slot: usize, run: HostFn, args: &[i32]) -> HostResult {
    g.state().audit.count(slot);
    run(g, args)
}

/// Whether the functions of import `module` are linked under `grants`.
pub(crate) fn linked(module: &str, grants: Capabilities) -> bool {
    module == CORE_MODULE || Capability::for_module(module).is_some_and(|c| grants.contains(c))
}

/// The wasmi side of a call: the caller, with the plugin's memory from the host state.
struct WasmiGuest<'a>(Caller<'a, HostState>);

impl WasmiGuest<'_> {
    fn memory(&self) -> Result<Memory, HostFault> {
        self.0.data().memory.ok_or_else(|| invalid("the plugin exports no memory"))
    }
}

impl Guest for WasmiGuest<'_> {
    fn state(&mut self) -> &mut HostState {
        self.0.data_mut()
    }

    fn memory_size(&mut self) -> Result<usize, HostFault> {
        Ok(self.memory()?.data_size(&self.0))
    }

    fn read(&mut self, range: Range<usize>) -> Vec<u8> {
        self.memory().map(|m| m.data(&self.0)[range].to_vec()).unwrap_or_default()
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        if let Ok(memory) = self.memory() {
            memory.data_mut(&mut self.0)[at..at + bytes.len()].copy_from_slice(bytes);
        }
    }

    fn fuel(&mut self) -> u64 {
        // Cannot fail: fuel metering is always on in our engine.
        self.0.get_fuel().unwrap_or(0)
    }

    fn set_fuel(&mut self, fuel: u64) {
        self.0.set_fuel(fuel).ok();
    }
}

/// Links the core module and the modules of the granted capabilities into a wasmi linker.
pub(crate) fn link(linker: &mut Linker<HostState>, grants: Capabilities) -> Result<(), wasmi::Error> {
    for (slot, f) in crate::HOST_FUNCTIONS.iter().enumerate().filter(|(_, f)| linked(f.module, grants)) {
        let run = implementation(slot)
            .ok_or_else(|| wasmi::Error::new(format!("{}.{} has no implementation", f.module, f.name)))?;
        let results: &[ValType] = if f.returns { &[ValType::I32] } else { &[] };
        let ty = FuncType::new(vec![ValType::I32; f.params], results.to_vec());
        linker.func_new(f.module, f.name, ty, move |caller, params, results| {
            let mut values = [0i32; 8];
            for (value, param) in values.iter_mut().zip(params) {
                *value = param.i32().unwrap_or(0);
            }
            match call(&mut WasmiGuest(caller), slot, run, &values[..params.len()]) {
                Ok(Some(value)) => {
                    if let Some(result) = results.first_mut() {
                        *result = Val::I32(value);
                    }
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(fault) => Err(wasmi::Error::host(fault)),
            }
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_function_has_one_implementation_and_every_implementation_a_signature() {
        for (slot, f) in crate::HOST_FUNCTIONS.iter().enumerate() {
            assert!(implementation(slot).is_some(), "{}.{} has no implementation", f.module, f.name);
            assert_eq!(implementations().filter(|i| i.module == f.module && i.name == f.name).count(), 1);
        }
        for i in implementations() {
            assert!(crate::HOST_FUNCTIONS.iter().any(|f| f.module == i.module && f.name == i.name), "{}", i.name);
        }
    }
}
