//! The fast lane natively: wasmtime (Cranelift) runs a [`FastPlugin`] with the same host
//! functions, with fuel injected by [`super::meter`] or wasmtime's own, under the same memory
//! limit and a bounded stack.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use wasmtime::{
    AsContextMut, Caller, Config, Engine, FuncType, Global, Instance, Linker, Memory, ResourceLimiter, Store, Trap,
    Val, ValType,
};

use super::meter::{FUEL_EXPORT, REFUSED_EXPORT, TABLE_FROM_EXPORT, TABLE_TO_EXPORT, table_refused_detail};
use super::{CallAfter, CallEnding, EngineTrap, FastPlugin, GuestAccess, HostStop, Metering, SETUP_FUEL};
use crate::error::{ErrorKind, HostSetupError, PluginError};
use crate::graph_input::GraphInput;
use crate::host::FailedCall;
use crate::output::{CallMetrics, RunOutput};

/// Wasm stack wasmtime gives a call: deep enough for the first-party plugins' recursion, small
/// enough that a runaway recursion ends in a stack overflow at once.
const MAX_WASM_STACK: usize = 1 << 20;

/// Two wasmtime engines: one counting fuel itself, one without (for injected metering, and for
/// measuring what metering costs); and the modules compiled so far, by the digest of their bytes
/// and the engine, so a plugin run again is not compiled again.
pub struct WasmtimeRunner {
    injected: Engine,
    own_fuel: Engine,
    compiled: RefCell<HashMap<(String, bool), wasmtime::Module>>,
}

struct Data {
    plugin: Option<FastPlugin>,
    memory: Option<Memory>,
    fuel: Option<Global>,
    refused: Option<Global>,
    table: Option<(Global, Global)>,
    limiter: Limit,
}

struct Limit {
    memory: usize,
    table: usize,
    refused: Option<String>,
}

impl ResourceLimiter for Limit {
    fn memory_growing(&mut self, current: usize, desired: usize, _: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory {
            let detail = format!(
                "linear memory would grow from {} to {} MiB, over the {} MiB limit",
                current >> 20,
                desired >> 20,
                self.memory >> 20
            );
            self.refused = Some(detail.clone());
            // Trapping, as wasmi's limiter does: a plugin must not carry on after being refused.
            return Err(wasmtime::Error::msg(detail));
        }
        Ok(true)
    }

    fn table_growing(&mut self, current: usize, desired: usize, _: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.table {
            let detail = table_refused_detail(current as u32, desired as u32, self.table);
            self.refused = Some(detail.clone());
            return Err(wasmtime::Error::msg(detail));
        }
        Ok(true)
    }
}

impl WasmtimeRunner {
    /// Both engines.
    ///
    /// # Errors
    /// [`HostSetupError::Link`] when wasmtime refuses the configuration.
    pub fn new() -> Result<Self, HostSetupError> {
        let engine = |own_fuel: bool| {
            let mut config = Config::new();
            config.consume_fuel(own_fuel).max_wasm_stack(MAX_WASM_STACK);
            Engine::new(&config).map_err(|e| HostSetupError::Link(e.to_string()))
        };
        Ok(Self { injected: engine(false)?, own_fuel: engine(true)?, compiled: RefCell::new(HashMap::new()) })
    }

    /// Compiles `plugin`'s module for its metering, or finds it compiled.
    ///
    /// # Errors
    /// What wasmtime refused, as [`ErrorKind::InvalidModule`].
    pub fn compile(&self, plugin: &FastPlugin) -> Result<wasmtime::Module, PluginError> {
        let own_fuel = plugin.metering() == Metering::Engine;
        let key = (crate::sha256_hex(plugin.module()), own_fuel);
        if let Some(module) = self.compiled.borrow().get(&key) {
            return Ok(module.clone());
        }
        let engine = if own_fuel { &self.own_fuel } else { &self.injected };
        let module = wasmtime::Module::new(engine, plugin.module()).map_err(|e| {
            PluginError::new(plugin.manifest().id(), ErrorKind::InvalidModule { reason: e.to_string() })
        })?;
        self.compiled.borrow_mut().insert(key, module.clone());
        Ok(module)
    }

    /// Runs a call of `plugin` to its end.
    ///
    /// # Errors
    /// The typed error the call failed with, as the interpreter lane would name it.
    pub fn run(
        &self,
        plugin: &mut FastPlugin,
        graph: Arc<GraphInput>,
        params: &Value,
        selected: Option<u32>,
    ) -> Result<(RunOutput, CallMetrics), Box<FailedCall>> {
        let fail = |error: PluginError| Box::new(FailedCall { error, metrics: CallMetrics::default() });
        let fuel = plugin.begin(graph, params, selected).map_err(fail)?;
        let engine = match plugin.metering() {
            Metering::Injected | Metering::Unmetered => &self.injected,
            Metering::Engine => &self.own_fuel,
        };
        let id = plugin.manifest().id();
        let trap = |message: String| PluginError::new(id.clone(), ErrorKind::Trap { message });
        let module = match self.compile(plugin) {
            Ok(module) => module,
            Err(error) => return Err(Box::new(plugin.abandon(error, CallMetrics::default()))),
        };
        let linker = link(engine, plugin).map_err(|e| trap(e.to_string()));
        let linker = match linker {
            Ok(linker) => linker,
            Err(error) => return Err(Box::new(plugin.abandon(error, CallMetrics::default()))),
        };
        let memory_limit = plugin.memory_limit();
        let table_limit = plugin.table_limit();
        let owned = std::mem::replace(plugin, plugin.stand_in());
        let data = Data {
            plugin: Some(owned),
            memory: None,
            fuel: None,
            refused: None,
            table: None,
            limiter: Limit { memory: memory_limit, table: table_limit, refused: None },
        };
        let mut store = Store::new(engine, data);
        store.limiter(|d| &mut d.limiter);
        let outcome = call(&mut store, &linker, &module, fuel);
        let after = after(&mut store);
        let ending = match outcome {
            Ok(code) => CallEnding::Returned(code),
            Err(error) => CallEnding::Trapped(classify(&mut store, &error)),
        };
        let Data { plugin: owned, .. } = store.into_data();
        *plugin = owned.expect("the plugin is back in the store after every host call");
        plugin.end(ending, after)
    }
}

fn link(engine: &Engine, plugin: &FastPlugin) -> wasmtime::Result<Linker<Data>> {
    let mut linker = Linker::<Data>::new(engine);
    for import in plugin.imports() {
        let f = import.function;
        let results: &[ValType] = if f.returns { &[ValType::I32] } else { &[] };
        let ty = FuncType::new(engine, vec![ValType::I32; f.params], results.to_vec());
        let slot = import.slot;
        linker.func_new(f.module, f.name, ty, move |mut caller, params, results| {
            let mut values = [0i32; 8];
            for (value, param) in values.iter_mut().zip(params) {
                *value = param.i32().unwrap_or(0);
            }
            let mut plugin = caller.data_mut().plugin.take().ok_or(HostStop)?;
            let result = plugin.host_call(&mut Access(&mut caller), slot, &values[..params.len()]);
            caller.data_mut().plugin = Some(plugin);
            if let (Some(value), Some(out)) = (result?, results.first_mut()) {
                *out = Val::I32(value);
            }
            Ok(())
        })?;
    }
    Ok(linker)
}

fn call(store: &mut Store<Data>, linker: &Linker<Data>, module: &wasmtime::Module, fuel: u64) -> wasmtime::Result<i32> {
    set_fuel(store, SETUP_FUEL);
    let instance: Instance = linker.instantiate(&mut *store, module)?;
    store.data_mut().memory = instance.get_memory(&mut *store, "memory");
    store.data_mut().fuel = instance.get_global(&mut *store, FUEL_EXPORT);
    store.data_mut().refused = instance.get_global(&mut *store, REFUSED_EXPORT);
    let from = instance.get_global(&mut *store, TABLE_FROM_EXPORT);
    store.data_mut().table = from.zip(instance.get_global(&mut *store, TABLE_TO_EXPORT));
    set_fuel(store, SETUP_FUEL);
    let version =
        instance.get_typed_func::<(), i32>(&mut *store, crate::abi::EXPORT_ABI_VERSION)?.call(&mut *store, ())?;
    let plugin = store.data().plugin.as_ref().expect("in the store");
    let entry = plugin.entry_point();
    plugin.check_abi_version(version).map_err(|e| wasmtime::Error::msg(e.to_string()))?;
    set_fuel(store, fuel);
    instance.get_typed_func::<(), i32>(&mut *store, entry)?.call(&mut *store, ())
}

fn set_fuel(store: &mut Store<Data>, fuel: u64) {
    put_fuel(store, i64::try_from(fuel).unwrap_or(i64::MAX));
}

/// The fuel left: the injected meter's global when the module has one, else wasmtime's own.
fn fuel_left(mut cx: impl AsContextMut<Data = Data>) -> i64 {
    let mut cx = cx.as_context_mut();
    match cx.data().fuel {
        Some(global) => global.get(&mut cx).i64().unwrap_or(0),
        None => cx.get_fuel().map_or(0, |f| i64::try_from(f).unwrap_or(i64::MAX)),
    }
}

/// Sets the fuel left, wherever [`fuel_left`] reads it.
fn put_fuel(mut cx: impl AsContextMut<Data = Data>, fuel: i64) {
    let mut cx = cx.as_context_mut();
    match cx.data().fuel {
        Some(global) => {
            global.set(&mut cx, Val::I64(fuel)).ok();
        }
        None => {
            cx.set_fuel(u64::try_from(fuel).unwrap_or(0)).ok();
        }
    }
}

fn after(store: &mut Store<Data>) -> CallAfter {
    let fuel_left = fuel_left(&mut *store);
    let memory = store.data().memory.map_or(0, |m| m.data_size(&*store));
    let refused_table = store.data().table.and_then(|(from, to)| {
        let read = |g: Global, store: &mut Store<Data>| g.get(&mut *store).i32().map_or(0, |v| v as u32);
        let (from, to) = (read(from, store), read(to, store));
        (to > 0).then_some((from, to))
    });
    CallAfter { fuel_left, memory, refused_pages: refused_pages(store), refused_table }
}

fn refused_pages(store: &mut Store<Data>) -> u32 {
    let Some(global) = store.data().refused else { return 0 };
    global.get(&mut *store).i32().map_or(0, |p| p as u32)
}

fn classify(store: &mut Store<Data>, error: &wasmtime::Error) -> EngineTrap {
    if let Some(detail) = store.data_mut().limiter.refused.take() {
        return EngineTrap::MemoryLimit(detail);
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::StackOverflow) => EngineTrap::StackOverflow,
        Some(Trap::OutOfFuel) => EngineTrap::OutOfFuel,
        Some(trap) => EngineTrap::Other(trap.to_string()),
        None => EngineTrap::Other(error.root_cause().to_string()),
    }
}

/// The engine's side of a host call: the caller's memory and fuel.
struct Access<'a, 'c>(&'a mut Caller<'c, Data>);

impl GuestAccess for Access<'_, '_> {
    fn memory_size(&mut self) -> usize {
        self.0.data().memory.map_or(0, |m| m.data_size(&*self.0))
    }

    fn read(&mut self, range: std::ops::Range<usize>) -> Vec<u8> {
        self.0.data().memory.map(|m| m.data(&*self.0)[range].to_vec()).unwrap_or_default()
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        if let Some(memory) = self.0.data().memory {
            memory.data_mut(&mut *self.0)[at..at + bytes.len()].copy_from_slice(bytes);
        }
    }

    fn fuel(&mut self) -> i64 {
        fuel_left(&mut *self.0)
    }

    fn set_fuel(&mut self, fuel: i64) {
        put_fuel(&mut *self.0, fuel);
    }
}
