//! The wasmi host: one engine for every plugin, one store per plugin, calls run in fuel slices.

use std::sync::Arc;

use serde_json::Value;
use wasmi::{
    CompilationMode, Config, CustomFuelCosts, EnforcedLimits, Engine, ExternType, Instance, Linker, Module, Store,
    TrapCode, TypedFunc,
};

use crate::abi::{ABI_VERSION, EXPORT_ABI_VERSION, EXPORT_RUN};
use crate::audit::{AuditKind, AuditLog};
use crate::capability::{CORE_MODULE, Capability, host_function_index};
use crate::error::{ErrorKind, HostSetupError, PluginError};
use crate::folder::PluginFolder;
use crate::graph_input::GraphInput;
use crate::host_fns::{self, CallContext, FetchFailed, FetchRequest, HostFault, HostState, ScreenView};
use crate::manifest::{Capabilities, Manifest, PluginKind};
use crate::output::{CallMetrics, RunOutput};
use crate::params::resolve_params;
use crate::policy::{FuelBudget, FuelBudgetError, HostPolicy, Limiter};

/// Fuel for instantiation and the ABI handshake: enough for data segments' const expressions and a
/// function returning a constant, too little to hide work in.
mod call;

pub use call::{Call, FailedCall, Step};

const SETUP_FUEL: u64 = 100_000;

/// Owns the engine and one linker per set of grants. Create one per page or worker.
pub struct PluginHost {
    engine: Engine,
    policy: HostPolicy,
    linkers: Vec<Arc<Linker<HostState>>>,
}

impl PluginHost {
    /// A host enforcing `policy`.
    ///
    /// # Errors
    /// A policy limit that leaves no room to run anything, or (never, a test guards against it)
    /// wasmi refusing to link our own host functions.
    pub fn new(policy: HostPolicy) -> Result<Self, HostSetupError> {
        policy.validate()?;
        let mut config = Config::default();
        config
            .consume_fuel(true)
            // Validate everything up front (bad modules fail at load) but translate each function on
            // first call, so a huge unused function costs nothing.
            .compilation_mode(CompilationMode::LazyTranslation)
            // Translation is not charged in fuel: wasmi cannot suspend a call whose lazy translation
            // runs short of the slice's fuel, so a big function first called late in a slice would
            // kill a healthy run. Its time is bounded by `max_function_bytes` instead.
            .fuel_cost(CustomFuelCosts {
                bytes_copied_per_fuel: 64,
                fuel_per_bytes_translated: 0,
                fuel_per_bytes_validated: 0,
            })
            // A start function would run during instantiation, before the host can slice or cancel it.
            .allow_start_fn(false)
            .enforced_limits(EnforcedLimits::strict())
            .set_max_recursion_depth(policy.max_recursion_depth)
            .wasm_multi_memory(false);
        let engine = Engine::new(&config);
        let linkers = (0u8..16)
            .map(|bits| {
                let mut linker = Linker::new(&engine);
                host_fns::link(&mut linker, grants_from_bits(bits))?;
                Ok(Arc::new(linker))
            })
            .collect::<Result<_, wasmi::Error>>()
            .map_err(|e| HostSetupError::Link(e.to_string()))?;
        Ok(Self { engine, policy, linkers })
    }

    /// The policy this host enforces.
    pub fn policy(&self) -> &HostPolicy {
        &self.policy
    }

    /// Validates, links and instantiates a plugin. Only capabilities that are both requested in the
    /// manifest and in `grants` are linked.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidModule`], [`ErrorKind::CapabilityDenied`], [`ErrorKind::AbiMismatch`],
    /// a limit error, or a resource request above the policy's ceiling.
    pub fn load(
        &self,
        manifest: Arc<Manifest>,
        wasm: &[u8],
        grants: Capabilities,
    ) -> Result<LoadedPlugin, PluginError> {
        let Checked { module, entry, grants, fuel_budget, state } = self.check(&manifest, wasm, grants)?;
        let linker = Arc::clone(&self.linkers[usize::from(grants_to_bits(grants))]);
        let (store, instance) = instantiate(&self.engine, &linker, &module, state)?;
        let run = run_func(&store, instance, entry)?;
        Ok(LoadedPlugin {
            entry,
            manifest,
            grants,
            engine: self.engine.clone(),
            linker,
            module,
            store,
            run,
            fuel: FuelBudget::new(fuel_budget),
            policy: self.policy.clone(),
            poisoned: false,
            screen: ScreenView::default(),
        })
    }

    /// Everything loading checks before instantiating, the same for every lane: the manifest's
    /// resources against the policy, the module's size and validity (wasmi's validator), its
    /// largest function, its imports against the grants, its entry point; and the host state the
    /// plugin's store starts with (its trail saying what was granted).
    pub(crate) fn check(&self, manifest: &Manifest, wasm: &[u8], grants: Capabilities) -> Result<Checked, PluginError> {
        let plugin = manifest.id();
        let invalid = |reason: String| PluginError::new(plugin.clone(), ErrorKind::InvalidModule { reason });
        let fuel_budget = match manifest.resources.fuel {
            Some(f) if f > self.policy.fuel_ceiling => {
                return Err(invalid(format!(
                    "it asks for {f} fuel per call; this host allows at most {}",
                    self.policy.fuel_ceiling
                )));
            }
            Some(f) => f,
            None => self.policy.fuel_ceiling,
        };
        let memory_limit = match manifest.resources.memory_mib.map(|m| (m as usize) << 20) {
            Some(m) if m > self.policy.memory_ceiling => {
                return Err(invalid(format!(
                    "it asks for {} MiB of memory; this host allows at most {} MiB",
                    m >> 20,
                    self.policy.memory_ceiling >> 20
                )));
            }
            Some(m) => m,
            None => self.policy.memory_ceiling,
        };
        if wasm.len() > self.policy.max_module_bytes {
            return Err(invalid(format!(
                "{} bytes is over the {} MiB module limit",
                wasm.len(),
                self.policy.max_module_bytes >> 20
            )));
        }
        manifest.check_allow_list(self.policy.network_rules()).map_err(|e| invalid(e.to_string()))?;
        let module = Module::new(&self.engine, wasm).map_err(|e| invalid(e.to_string()))?;
        if let Some((index, len)) = largest_function(wasm).filter(|&(_, len)| len > self.policy.max_function_bytes) {
            return Err(invalid(format!(
                "function {index} is {len} bytes, over the {} KiB limit for one function",
                self.policy.max_function_bytes >> 10
            )));
        }
        let grants = effective_grants(manifest.capabilities, grants);
        check_imports(&plugin, &module, grants)?;
        let mut audit = AuditLog::new(self.policy.audit_events);
        let granted: Vec<&str> = grants.requested().iter().map(|c| c.key()).collect();
        let entry = entry_point(&plugin, &module, manifest.plugin.kind)?;
        let kind_note = if entry == EXPORT_RUN {
            format!("; entry point {EXPORT_RUN} (built before host API 1.2): its kind is not checked")
        } else {
            String::new()
        };
        audit.record(&plugin, AuditKind::Loaded, format!("granted: [{}]{kind_note}", granted.join(", ")));
        let state = HostState {
            plugin,
            limiter: Limiter::new(memory_limit, self.policy.table_ceiling),
            memory: None,
            call: CallContext::new(self.policy.max_output_bytes),
            audit,
            folder: PluginFolder::new(self.policy.folder_quota),
            allow: if grants.network_access { manifest.network.allow.clone() } else { Vec::new() },
            max_output_bytes: self.policy.max_output_bytes,
            max_log_lines: self.policy.max_log_lines,
        };
        Ok(Checked { module, entry, grants, fuel_budget, state })
    }
}

/// A module that passed every check, with the state its store starts with.
pub(crate) struct Checked {
    pub(crate) module: Module,
    pub(crate) entry: &'static str,
    pub(crate) grants: Capabilities,
    pub(crate) fuel_budget: u64,
    pub(crate) state: HostState,
}

/// The one entry point a module exports: its kind's (which must be the manifest's kind), or the
/// kind-less [`EXPORT_RUN`] of plugins built before host API 1.2.
fn entry_point(plugin: &str, module: &Module, declared: PluginKind) -> Result<&'static str, PluginError> {
    if !module.exports().any(|e| e.name() == "memory" && matches!(e.ty(), ExternType::Memory(_))) {
        return Err(PluginError::new(
            plugin.to_owned(),
            ErrorKind::AbiMismatch { expected: ABI_VERSION, found: "has no exported memory".into() },
        ));
    }
    let exported: Vec<&'static str> = module
        .exports()
        .filter_map(|e| match e.name() {
            EXPORT_RUN => Some(EXPORT_RUN),
            name => PluginKind::for_entry_point(name).map(PluginKind::entry_point),
        })
        .collect();
    match exported.as_slice() {
        [EXPORT_RUN] => Ok(EXPORT_RUN),
        [one] => match PluginKind::for_entry_point(one) {
            Some(found) if found == declared => Ok(one),
            Some(found) => {
                Err(PluginError::new(plugin.to_owned(), ErrorKind::KindMismatch { declared, found, export: one }))
            }
            None => unreachable!("only known entry points are collected"),
        },
        [] => Err(PluginError::new(
            plugin.to_owned(),
            ErrorKind::AbiMismatch {
                expected: ABI_VERSION,
                found: format!("has no entry point (`{}() -> i32`)", declared.entry_point()),
            },
        )),
        several => Err(PluginError::new(
            plugin.to_owned(),
            ErrorKind::InvalidModule {
                reason: format!("it exports {} entry points ({}); a plugin has one", several.len(), several.join(", ")),
            },
        )),
    }
}

fn effective_grants(requested: Capabilities, granted: Capabilities) -> Capabilities {
    Capability::ALL.into_iter().filter(|c| requested.contains(*c) && granted.contains(*c)).collect()
}

fn grants_to_bits(grants: Capabilities) -> u8 {
    Capability::ALL.into_iter().enumerate().filter(|(_, c)| grants.contains(*c)).map(|(i, _)| 1 << i).sum()
}

fn grants_from_bits(bits: u8) -> Capabilities {
    Capability::ALL.into_iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, c)| c).collect()
}

/// Checks every import against the capability table before anything is linked, so the error names
/// the capability instead of wasmi's generic "missing definition".
fn check_imports(plugin: &str, module: &Module, grants: Capabilities) -> Result<(), PluginError> {
    for import in module.imports() {
        let name = format!("{}.{}", import.module(), import.name());
        if !matches!(import.ty(), ExternType::Func(_)) {
            return Err(PluginError::new(
                plugin.to_owned(),
                ErrorKind::InvalidModule {
                    reason: format!(
                        "it imports {name}, which is not a function; plugins define their own memory and tables"
                    ),
                },
            ));
        }
        let capability = Capability::for_module(import.module());
        let known = host_function_index(import.module(), import.name()).is_some();
        let granted = import.module() == CORE_MODULE || capability.is_some_and(|c| grants.contains(c));
        if !known || !granted {
            return Err(PluginError::new(
                plugin.to_owned(),
                ErrorKind::CapabilityDenied { import: name, capability: capability.filter(|_| known) },
            ));
        }
    }
    Ok(())
}

fn instantiate(
    engine: &Engine,
    linker: &Linker<HostState>,
    module: &Module,
    state: HostState,
) -> Result<(Store<HostState>, Instance), PluginError> {
    let mut store = Store::new(engine, state);
    store.limiter(|state| &mut state.limiter);
    set_fuel(&mut store, SETUP_FUEL);
    let instance =
        linker.instantiate_and_start(&mut store, module).map_err(|e| classify(&mut store, &e, SETUP_FUEL))?;
    let plugin = store.data().plugin.clone();
    let abi_mismatch = |found: &str| {
        PluginError::new(plugin.clone(), ErrorKind::AbiMismatch { expected: ABI_VERSION, found: found.to_owned() })
    };
    let memory = instance.get_memory(&store, "memory").ok_or_else(|| abi_mismatch("has no exported memory"))?;
    store.data_mut().memory = Some(memory);
    store.data_mut().limiter.peak_memory = memory.data_size(&store);
    let version = instance
        .get_typed_func::<(), i32>(&store, EXPORT_ABI_VERSION)
        .map_err(|_| abi_mismatch("has no `pt_abi_version() -> i32` export"))?;
    set_fuel(&mut store, SETUP_FUEL);
    let version = version.call(&mut store, ()).map_err(|e| classify(&mut store, &e, SETUP_FUEL))?;
    if version != ABI_VERSION as i32 {
        return Err(abi_mismatch(&format!("reports ABI {version}")));
    }
    Ok((store, instance))
}

fn run_func(
    store: &Store<HostState>,
    instance: Instance,
    entry: &'static str,
) -> Result<TypedFunc<(), i32>, PluginError> {
    instance.get_typed_func::<(), i32>(store, entry).map_err(|_| {
        PluginError::new(
            store.data().plugin.clone(),
            ErrorKind::AbiMismatch {
                expected: ABI_VERSION,
                found: format!("exports `{entry}`, but not as `{entry}() -> i32`"),
            },
        )
    })
}

/// Reads an unsigned LEB128 number at `*at`, moving past it.
fn leb_u32(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The largest function body in a module that wasmi already validated: `(index among defined
/// functions, bytes)`.
fn largest_function(wasm: &[u8]) -> Option<(usize, usize)> {
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb_u32(wasm, &mut at)? as usize;
        let end = at.checked_add(size)?;
        if id == 10 {
            let count = leb_u32(wasm, &mut at)?;
            let mut best: Option<(usize, usize)> = None;
            for i in 0..count as usize {
                let len = leb_u32(wasm, &mut at)? as usize;
                at = at.checked_add(len)?;
                if best.is_none_or(|(_, b)| len > b) {
                    best = Some((i, len));
                }
            }
            return best;
        }
        at = end;
    }
    None
}

fn set_fuel(store: &mut Store<HostState>, fuel: u64) {
    // Cannot fail: our engine always meters fuel.
    store.set_fuel(fuel).ok();
}

/// Turns a wasmi error into our typed error. The limiter's note wins: wasmi reports a refused
/// allocation as a generic trap, and only the limiter knows it was the memory ceiling.
fn classify(store: &mut Store<HostState>, error: &wasmi::Error, fuel: u64) -> PluginError {
    let state = store.data_mut();
    let plugin = state.plugin.clone();
    if let Some(detail) = state.limiter.refused.take() {
        return PluginError::new(plugin, ErrorKind::MemoryLimit { detail });
    }
    if let Some(fault) = error.downcast_ref::<HostFault>() {
        return match fault.clone() {
            HostFault::BadPointer { function, ptr, len, memory } => {
                PluginError::new(plugin, ErrorKind::BadPointer { function, ptr, len, memory })
            }
            HostFault::InvalidOutput(reason) => PluginError::new(plugin, ErrorKind::InvalidOutput { reason }),
            HostFault::OutOfFuel => PluginError::new(plugin, ErrorKind::OutOfFuel { fuel }),
            HostFault::Fetch(req) => {
                PluginError::new(plugin, ErrorKind::Trap { message: format!("fetch of {} was not resumed", req.url) })
            }
        };
    }
    let failure = state.call.fail.take();
    match error.as_trap_code() {
        Some(TrapCode::OutOfFuel) => PluginError::new(plugin, ErrorKind::OutOfFuel { fuel }),
        Some(TrapCode::StackOverflow) => PluginError::new(plugin, ErrorKind::StackOverflow),
        Some(TrapCode::GrowthOperationLimited) => {
            PluginError::new(plugin, ErrorKind::MemoryLimit { detail: error.to_string() })
        }
        _ => PluginError::new(
            plugin,
            ErrorKind::Trap {
                message: match failure {
                    Some(message) => format!("{message} ({error})"),
                    None => error.to_string(),
                },
            },
        ),
    }
}

/// A plugin instantiated in its own store, ready to run.
pub struct LoadedPlugin {
    entry: &'static str,
    manifest: Arc<Manifest>,
    grants: Capabilities,
    engine: Engine,
    linker: Arc<Linker<HostState>>,
    module: Module,
    store: Store<HostState>,
    run: TypedFunc<(), i32>,
    fuel: FuelBudget,
    policy: HostPolicy,
    poisoned: bool,
    /// What the next call may read about the screen, then forgets.
    screen: ScreenView,
}

impl LoadedPlugin {
    /// Gives the next call the positions on screen, one per node, which an exporter can read
    /// (`pt_isg.read_positions`) to keep the picture; positions of another length are ignored.
    /// The call after it gets none unless they are given again.
    pub fn set_view_positions(&mut self, positions: Option<Arc<Vec<[f32; 2]>>>) {
        self.screen.positions = positions;
    }

    /// Gives the next call what is drawn and selected on screen, one byte per node
    /// ([`crate::abi::VIEW_SHOWN`], [`crate::abi::VIEW_SELECTED`]), which an exporter can read
    /// (`pt_isg.read_view_flags`) to export what the user sees or selected; flags of another
    /// length are ignored. The call after it gets none unless they are given again.
    pub fn set_view_flags(&mut self, flags: Option<Arc<Vec<u8>>>) {
        self.screen.flags = flags;
    }

    /// The manifest it was loaded with.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The capabilities actually linked.
    pub fn grants(&self) -> Capabilities {
        self.grants
    }

    /// Fuel each call may burn.
    pub fn fuel_budget(&self) -> u64 {
        self.fuel.get()
    }

    /// Sets the fuel each call may burn (the CLI's `--fuel`, the panel's fuel field); `None` goes
    /// back to what the manifest asked for (or the ceiling).
    ///
    /// # Errors
    /// [`FuelBudgetError`] for 0 or a budget above the policy's ceiling; the budget stays as it was.
    pub fn set_fuel_budget(&mut self, fuel: Option<u64>) -> Result<(), FuelBudgetError> {
        self.fuel.set(&self.policy, fuel)
    }

    /// The export this plugin runs through: its kind's entry point, or `pt_run` for a plugin built
    /// before host API 1.2.
    pub fn entry_point(&self) -> &'static str {
        self.entry
    }

    /// This plugin's audit trail: host call counts and notable events.
    pub fn audit(&self) -> &AuditLog {
        &self.store.data().audit
    }

    /// Bytes of linear memory the plugin has now.
    pub fn memory_bytes(&self) -> usize {
        self.store.data().memory.map_or(0, |m| m.data_size(&self.store))
    }

    /// The plugin's private folder.
    pub fn folder(&self) -> &PluginFolder {
        &self.store.data().folder
    }

    /// Replaces the plugin's private folder (loaded from browser storage).
    pub fn set_folder(&mut self, folder: PluginFolder) {
        self.store.data_mut().folder = folder;
    }

    /// Starts a call on `graph` with `params` (checked against the manifest's schema) and the app's
    /// selected node. Drive it with [`Call::step`].
    ///
    /// # Errors
    /// [`ErrorKind::Params`], or an instantiation error when a failed call left the instance to be
    /// replaced and the replacement failed.
    pub fn start(
        &mut self,
        graph: Arc<GraphInput>,
        params: &Value,
        selected: Option<u32>,
    ) -> Result<Call<'_>, PluginError> {
        let plugin = self.manifest.id();
        let params = resolve_params(&self.manifest.parameters, params)
            .map_err(|source| PluginError::new(plugin, ErrorKind::Params { source }))?;
        if self.poisoned {
            self.reinstantiate()?;
        }
        let memory_now = self.memory_bytes();
        let max_output = self.policy.max_output_bytes;
        let state = self.store.data_mut();
        state.limiter.peak_memory = memory_now;
        state.call = CallContext::start(max_output, graph, &params, selected, std::mem::take(&mut self.screen));
        let host_calls_before = state.audit.host_calls();
        Ok(Call::new(self, host_calls_before))
    }

    /// Runs a call to the end, answering fetches with `fetch`. For the CLI, tests and benches; the
    /// app drives [`Call::step`] itself so it can paint between slices.
    ///
    /// # Errors
    /// Whatever the call failed with.
    pub fn run_to_end(
        &mut self,
        graph: Arc<GraphInput>,
        params: &Value,
        selected: Option<u32>,
        mut fetch: impl FnMut(&FetchRequest) -> Result<Vec<u8>, FetchFailed>,
    ) -> Result<(RunOutput, CallMetrics), Box<FailedCall>> {
        let mut call = self
            .start(graph, params, selected)
            .map_err(|error| Box::new(FailedCall { error, metrics: CallMetrics::default() }))?;
        loop {
            match call.step() {
                Ok(Step::Running { .. }) => {}
                Ok(Step::Fetch(req)) => {
                    let result = fetch(&req);
                    call.complete_fetch(result);
                }
                Ok(Step::Finished(output)) => return Ok((*output, call.metrics())),
                Err(error) => return Err(Box::new(FailedCall { error, metrics: call.metrics() })),
            }
        }
    }

    fn reinstantiate(&mut self) -> Result<(), PluginError> {
        let state = self.store.data_mut().respawn();
        let (store, instance) = instantiate(&self.engine, &self.linker, &self.module, state)?;
        self.run = run_func(&store, instance, self.entry)?;
        self.store = store;
        self.poisoned = false;
        Ok(())
    }
}
