//! Lanes: where a plugin's code runs.
//!
//! The **interpreter lane** is the default: wasmi, in fuel slices ([`crate::LoadedPlugin`]). The
//! **fast lane** is for plugins the user trusts: the module runs on a compiler (the browser's own
//! `WebAssembly` engine in a worker, wasmtime natively) under the same limits — fuel injected into
//! the module by [`meter`] (or the engine's own fuel), memory and tables capped, no start
//! function, the same import checks — and the same host functions, which the embedder binds to
//! [`FastPlugin::host_call`]. A fast call cannot be sliced: it runs to its end, Cancel stops it by
//! ending the worker, and progress reaches the page from inside host calls.

pub mod meter;
#[cfg(feature = "wasmtime")]
mod wasmtime_engine;

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::abi::{ABI_VERSION, Records};
use crate::audit::{AuditKind, AuditLog};
use crate::error::{ErrorKind, PluginError};
use crate::folder::PluginFolder;
use crate::graph_input::GraphInput;
use crate::host::{Checked, FailedCall};
use crate::host_fns::{self, CallContext, Guest, HostFault, HostState, ScreenView};
use crate::manifest::{Capabilities, Manifest};
use crate::output::{CallMetrics, RunOutput};
use crate::params::resolve_params;
use crate::policy::{FuelBudget, FuelBudgetError, HostPolicy};
use crate::{HOST_FUNCTIONS, PluginHost};
use pt_abi::HostFunction;

#[cfg(feature = "wasmtime")]
pub use wasmtime_engine::WasmtimeRunner;

/// Where a run executes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// wasmi, sliced: the default for every plugin.
    Interpreter,
    /// A compiler with metering: only for plugins the user trusts.
    Fast,
}

impl Lane {
    /// Its name on the page and in the audit trail.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Interpreter => "interpreter (wasmi)",
            Self::Fast => "fast lane",
        }
    }
}

/// The lane a run takes and why, shown beside the run and kept in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaneChoice {
    /// The lane.
    pub lane: Lane,
    /// Why, in words.
    pub reason: String,
}

/// Why the user trusts a plugin, if they do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum Trust {
    /// Not trusted: the interpreter.
    #[default]
    None,
    /// Marked trusted by hand in the plugin panel.
    Hand,
    /// Its package is signed by a publisher the user trusts.
    Publisher {
        /// The publisher's key id.
        key: String,
    },
}

/// Chooses the lane of a plugin: the fast lane only when the user trusts it and it needs nothing
/// the fast lane cannot do (a fetch suspends a call, which only the interpreter can).
pub fn choose_lane(trust: &Trust, grants: Capabilities) -> LaneChoice {
    let why = match trust {
        Trust::None => {
            let reason = "not marked trusted: untrusted plugins run in the interpreter".to_owned();
            return LaneChoice { lane: Lane::Interpreter, reason };
        }
        Trust::Hand => "trusted by you".to_owned(),
        Trust::Publisher { key } => format!("signed by {key}, a publisher you trust"),
    };
    if grants.network_access {
        let reason = format!("{why}, but it may fetch, and only the interpreter can pause a call for a fetch");
        return LaneChoice { lane: Lane::Interpreter, reason };
    }
    LaneChoice { lane: Lane::Fast, reason: format!("{why}: compiled by the engine, with fuel metering injected") }
}

/// How a fast-lane module is metered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metering {
    /// Fuel counted by code [`meter`] injected (the browser's engine has no fuel of its own).
    Injected,
    /// Fuel counted by the engine itself (wasmtime's), on the module as it came.
    Engine,
    /// No fuel at all, on the module as it came: only to measure what metering costs (the
    /// benches). A call can run forever, so no lane choice ever gives it.
    Unmetered,
}

/// One import of a fast-lane module, for the embedder to bind to [`FastPlugin::host_call`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostImport {
    /// Its slot, passed back to [`FastPlugin::host_call`].
    pub slot: usize,
    /// The host function: module, name and signature.
    pub function: HostFunction,
}

/// The plugin's memory and fuel, as the engine running a fast call exposes them.
pub trait GuestAccess {
    /// Bytes of linear memory now.
    fn memory_size(&mut self) -> usize;
    /// A copy of `range` (already checked against [`Self::memory_size`]).
    fn read(&mut self, range: Range<usize>) -> Vec<u8>;
    /// Writes `bytes` at `at` (already checked).
    fn write(&mut self, at: usize, bytes: &[u8]);
    /// Fuel left; below zero once the metering trapped.
    fn fuel(&mut self) -> i64;
    /// Sets the fuel left.
    fn set_fuel(&mut self, fuel: i64);
}

/// A host call that must stop the plugin: the embedder makes the engine trap (throws, returns an
/// error) and then ends the call with [`CallEnding::Trapped`]; the fault itself stays with the
/// [`FastPlugin`], which classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostStop;

impl std::fmt::Display for HostStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a host function stopped the plugin")
    }
}

impl std::error::Error for HostStop {}

/// How the engine ended a fast call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEnding {
    /// The entry point returned this code.
    Returned(i32),
    /// The engine trapped.
    Trapped(EngineTrap),
}

/// A trap as the engine reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineTrap {
    /// The engine's call stack ran out (the browser's `RangeError`, wasmtime's stack overflow).
    StackOverflow,
    /// The engine's own fuel ran out ([`Metering::Engine`]).
    OutOfFuel,
    /// The engine's memory limit refused growth, with its detail.
    MemoryLimit(String),
    /// Anything else, in the engine's words.
    Other(String),
}

/// A plugin prepared for the fast lane: checked exactly as for the interpreter, its module
/// metered, its host state ready.
pub struct FastPlugin {
    manifest: Arc<Manifest>,
    grants: Capabilities,
    entry: &'static str,
    module: Vec<u8>,
    metering: Metering,
    state: HostState,
    fuel: FuelBudget,
    policy: HostPolicy,
    fault: Option<HostFault>,
    host_calls_before: u64,
    screen: ScreenView,
}

/// Fuel for the ABI handshake, as in the interpreter.
pub const SETUP_FUEL: u64 = 100_000;

impl PluginHost {
    /// Checks a plugin as [`PluginHost::load`] does and prepares it for the fast lane: with
    /// [`Metering::Injected`] its module is rewritten by [`meter::instrument`] under this host's
    /// memory and table ceilings.
    ///
    /// # Errors
    /// Every error [`PluginHost::load`] gives before running anything, and [`ErrorKind::InvalidModule`]
    /// or [`ErrorKind::MemoryLimit`] when the module cannot be metered.
    pub fn load_fast(
        &self,
        manifest: Arc<Manifest>,
        wasm: &[u8],
        grants: Capabilities,
        metering: Metering,
    ) -> Result<FastPlugin, PluginError> {
        let Checked { entry, grants, fuel_budget, mut state, .. } = self.check(&manifest, wasm, grants)?;
        let plugin = manifest.id();
        let (memory_limit, table_limit) = state.limiter.limits();
        // Metered even when the engine counts fuel itself: the rewrite's checks (no start function,
        // nothing but functions imported, memory and tables within the ceilings) apply to both.
        let limits = meter::MeterLimits { memory_bytes: memory_limit, table_elements: table_limit };
        let metered = meter::instrument(wasm, limits).map_err(|e| match e {
            meter::MeterError::Invalid(reason) => PluginError::new(plugin.clone(), ErrorKind::InvalidModule { reason }),
            meter::MeterError::Limit(detail) => PluginError::new(plugin.clone(), ErrorKind::MemoryLimit { detail }),
        })?;
        let module = match metering {
            Metering::Engine | Metering::Unmetered => wasm.to_vec(),
            Metering::Injected => metered,
        };
        state.audit.record(&plugin, AuditKind::Loaded, format!("lane: {} ({metering:?} metering)", Lane::Fast.label()));
        Ok(FastPlugin {
            manifest,
            grants,
            entry,
            module,
            metering,
            state,
            fuel: FuelBudget::new(fuel_budget),
            policy: self.policy().clone(),
            fault: None,
            host_calls_before: 0,
            screen: ScreenView::default(),
        })
    }
}

impl FastPlugin {
    /// The module to compile: metered when [`Metering::Injected`].
    pub fn module(&self) -> &[u8] {
        &self.module
    }

    /// How its fuel is counted.
    pub fn metering(&self) -> Metering {
        self.metering
    }

    /// The export to call.
    pub fn entry_point(&self) -> &'static str {
        self.entry
    }

    /// The manifest it was loaded with.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The capabilities linked.
    pub fn grants(&self) -> Capabilities {
        self.grants
    }

    /// Bytes of linear memory the plugin may have.
    pub fn memory_limit(&self) -> usize {
        self.state.limiter.limits().0
    }

    /// Table elements the plugin may have.
    pub fn table_limit(&self) -> usize {
        self.state.limiter.limits().1
    }

    /// Deepest recursion the interpreter allows, for engines that take a stack size.
    pub fn policy(&self) -> &HostPolicy {
        &self.policy
    }

    /// The imports to bind: the core module and the granted capabilities' modules.
    pub fn imports(&self) -> Vec<HostImport> {
        HOST_FUNCTIONS
            .iter()
            .enumerate()
            .filter(|(_, f)| host_fns::linked(f.module, self.grants))
            .map(|(slot, f)| HostImport { slot, function: *f })
            .collect()
    }

    /// Fuel each call may burn.
    pub fn fuel_budget(&self) -> u64 {
        self.fuel.get()
    }

    /// Sets the fuel each call may burn; `None` goes back to the manifest's (or the ceiling).
    ///
    /// # Errors
    /// [`FuelBudgetError`] for 0 or a budget above the policy's ceiling.
    pub fn set_fuel_budget(&mut self, fuel: Option<u64>) -> Result<(), FuelBudgetError> {
        self.fuel.set(&self.policy, fuel)
    }

    /// This plugin's audit trail.
    pub fn audit(&self) -> &AuditLog {
        &self.state.audit
    }

    /// The plugin's private folder.
    pub fn folder(&self) -> &PluginFolder {
        &self.state.folder
    }

    /// Replaces the plugin's private folder.
    pub fn set_folder(&mut self, folder: PluginFolder) {
        self.state.folder = folder;
    }

    /// Gives the next call the positions on screen (see [`crate::LoadedPlugin::set_view_positions`]).
    pub fn set_view_positions(&mut self, positions: Option<Arc<Vec<[f32; 2]>>>) {
        self.screen.positions = positions;
    }

    /// Gives the next call what is drawn and selected (see [`crate::LoadedPlugin::set_view_flags`]).
    pub fn set_view_flags(&mut self, flags: Option<Arc<Vec<u8>>>) {
        self.screen.flags = flags;
    }

    /// Checks the ABI version the module's `pt_abi_version` returned (called with
    /// [`SETUP_FUEL`] after instantiation).
    ///
    /// # Errors
    /// [`ErrorKind::AbiMismatch`] for another version.
    pub fn check_abi_version(&self, version: i32) -> Result<(), PluginError> {
        if version == ABI_VERSION as i32 {
            return Ok(());
        }
        Err(PluginError::new(
            self.manifest.id(),
            ErrorKind::AbiMismatch { expected: ABI_VERSION, found: format!("reports ABI {version}") },
        ))
    }

    /// Starts a call: checks the parameters and sets up what the host functions read. Returns the
    /// fuel to give the module (the whole budget: a fast call is not sliced).
    ///
    /// # Errors
    /// [`ErrorKind::Params`].
    pub fn begin(&mut self, graph: Arc<GraphInput>, params: &Value, selected: Option<u32>) -> Result<u64, PluginError> {
        let params = resolve_params(&self.manifest.parameters, params)
            .map_err(|source| PluginError::new(self.manifest.id(), ErrorKind::Params { source }))?;
        let screen = std::mem::take(&mut self.screen);
        self.state.call = CallContext::start(self.policy.max_output_bytes, graph, &params, selected, screen);
        self.fault = None;
        self.host_calls_before = self.state.audit.host_calls();
        Ok(self.fuel.get())
    }

    /// Runs host function `slot` for the plugin.
    ///
    /// # Errors
    /// [`HostStop`] when the plugin must stop (a bad pointer, bad output, out of fuel): the
    /// embedder makes the engine trap, and [`Self::end`] names the fault.
    pub fn host_call(
        &mut self,
        access: &mut dyn GuestAccess,
        slot: usize,
        args: &[i32],
    ) -> Result<Option<i32>, HostStop> {
        let Some(run) = host_fns::implementation(slot).filter(|_| self.fault.is_none()) else {
            return Err(HostStop);
        };
        let unmetered = self.metering == Metering::Unmetered;
        let mut guest = FastGuest { state: &mut self.state, access, unmetered };
        match host_fns::call(&mut guest, slot, run, args) {
            Ok(value) => Ok(value),
            Err(fault) => {
                self.fault = Some(fault);
                Err(HostStop)
            }
        }
    }

    /// The plugin's last progress, and whether it set positions since this was last asked.
    pub fn take_progress(&mut self) -> (Option<(u32, u32)>, bool) {
        let call = &mut self.state.call;
        (call.progress, std::mem::take(&mut call.positions_changed))
    }

    /// The latest positions a layout published, for progressive display.
    pub fn positions(&self) -> Option<&Records<[f32; 2]>> {
        self.state.call.output.positions.as_ref()
    }

    /// Ends a call: classifies how it ended exactly as the interpreter lane does, and records it
    /// in the audit trail. `fuel_left` is the fuel global (or the engine's fuel) after the call,
    /// `memory` the bytes of linear memory then and `refused_pages` what a refused grow asked for.
    ///
    /// # Errors
    /// The typed error the call failed with, with what it used.
    pub fn end(&mut self, ending: CallEnding, after: CallAfter) -> Result<(RunOutput, CallMetrics), Box<FailedCall>> {
        let budget = self.fuel.get();
        let used = match self.metering {
            Metering::Unmetered => 0,
            _ => budget
                .saturating_sub(u64::try_from(after.fuel_left).unwrap_or(0))
                .saturating_add(self.state.call.fuel.debt),
        };
        let metrics = CallMetrics {
            fuel_used: used.min(budget),
            fuel_budget: budget,
            peak_memory: after.memory,
            host_calls: self.state.audit.host_calls() - self.host_calls_before,
            slices: 1,
            output_bytes: self.state.call.meter.used(),
        };
        let plugin = self.manifest.id();
        let error = |kind| PluginError::new(plugin.clone(), kind);
        let result = match (ending, self.fault.take()) {
            (_, Some(fault)) => Err(error(fault_kind(fault, budget))),
            (CallEnding::Trapped(_), None) if after.refused_pages > 0 => Err(error(ErrorKind::MemoryLimit {
                detail: meter::refused_detail(after.memory, after.refused_pages, self.memory_limit()),
            })),
            (CallEnding::Trapped(_), None) if let Some((from, to)) = after.refused_table => {
                Err(error(ErrorKind::MemoryLimit { detail: meter::table_refused_detail(from, to, self.table_limit()) }))
            }
            // Injected metering checks at function and loop entries, so a call can end a few
            // straight-line instructions overdrawn: it ran out as surely as one that trapped.
            (_, None) if after.fuel_left < 0 && self.metering == Metering::Injected => {
                Err(error(ErrorKind::OutOfFuel { fuel: budget }))
            }
            (CallEnding::Returned(0), None) => Ok(()),
            (CallEnding::Returned(code), None) => {
                let message = self.state.call.fail.take().unwrap_or_else(|| format!("{} returned {code}", self.entry));
                Err(error(ErrorKind::Trap { message }))
            }
            (CallEnding::Trapped(trap), None) => Err(error(match trap {
                EngineTrap::StackOverflow => ErrorKind::StackOverflow,
                EngineTrap::OutOfFuel => ErrorKind::OutOfFuel { fuel: budget },
                EngineTrap::MemoryLimit(detail) => ErrorKind::MemoryLimit { detail },
                EngineTrap::Other(trap) => ErrorKind::Trap {
                    message: match self.state.call.fail.take() {
                        Some(message) => format!("{message} ({trap})"),
                        None => trap,
                    },
                },
            })),
        };
        self.state.call.graph = None;
        match result {
            Ok(()) => {
                let output = std::mem::take(&mut self.state.call.output);
                let detail =
                    format!("finished: {}; {} fuel; {}", output.summary(), metrics.fuel_used, Lane::Fast.label());
                self.state.audit.record(&plugin, AuditKind::Finished, detail);
                Ok((output, metrics))
            }
            Err(error) => Err(Box::new(self.failed(error, metrics))),
        }
    }

    /// Ends a call the embedder could not start or had to stop (a compile error, Cancel).
    pub fn abandon(&mut self, error: PluginError, metrics: CallMetrics) -> FailedCall {
        self.state.call.graph = None;
        self.failed(error, metrics)
    }

    /// A stand-in left in this plugin's place while an engine's store owns it; never run.
    #[cfg(feature = "wasmtime")]
    fn stand_in(&self) -> Self {
        Self {
            manifest: Arc::clone(&self.manifest),
            grants: self.grants,
            entry: self.entry,
            module: Vec::new(),
            metering: self.metering,
            state: self.state.stand_in(),
            fuel: FuelBudget::new(0),
            policy: self.policy.clone(),
            fault: None,
            host_calls_before: 0,
            screen: ScreenView::default(),
        }
    }

    fn failed(&mut self, error: PluginError, metrics: CallMetrics) -> FailedCall {
        let kind = if error.is_limit() { AuditKind::LimitHit } else { AuditKind::Error };
        let plugin = self.manifest.id();
        self.state.audit.record(&plugin, kind, error.to_string());
        FailedCall { error, metrics }
    }
}

/// What the engine's state was when a fast call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallAfter {
    /// The fuel left (below zero once injected metering trapped).
    pub fuel_left: i64,
    /// Bytes of linear memory.
    pub memory: usize,
    /// Pages a refused `memory.grow` asked for ([`meter::REFUSED_EXPORT`]); 0 when none.
    pub refused_pages: u32,
    /// A refused `table.grow`: the table's size and the size asked for
    /// ([`meter::TABLE_FROM_EXPORT`], [`meter::TABLE_TO_EXPORT`]); `None` when none was.
    pub refused_table: Option<(u32, u32)>,
}

fn fault_kind(fault: HostFault, fuel: u64) -> ErrorKind {
    match fault {
        HostFault::BadPointer { function, ptr, len, memory } => ErrorKind::BadPointer { function, ptr, len, memory },
        HostFault::InvalidOutput(reason) => ErrorKind::InvalidOutput { reason },
        HostFault::OutOfFuel => ErrorKind::OutOfFuel { fuel },
        HostFault::Fetch(req) => {
            ErrorKind::Trap { message: format!("fetch of {} cannot run in the fast lane", req.url) }
        }
    }
}

/// A fast call's side of the host functions: the state, and the engine's memory and fuel.
struct FastGuest<'a> {
    state: &'a mut HostState,
    access: &'a mut dyn GuestAccess,
    /// Host work is free too when nothing is metered.
    unmetered: bool,
}

impl Guest for FastGuest<'_> {
    fn state(&mut self) -> &mut HostState {
        self.state
    }

    fn memory_size(&mut self) -> Result<usize, HostFault> {
        Ok(self.access.memory_size())
    }

    fn read(&mut self, range: Range<usize>) -> Vec<u8> {
        self.access.read(range)
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        self.access.write(at, bytes);
    }

    fn fuel(&mut self) -> u64 {
        if self.unmetered {
            return u64::MAX;
        }
        u64::try_from(self.access.fuel()).unwrap_or(0)
    }

    fn set_fuel(&mut self, fuel: u64) {
        if !self.unmetered {
            self.access.set_fuel(i64::try_from(fuel).unwrap_or(i64::MAX));
        }
    }
}
