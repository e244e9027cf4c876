//! The fast lane in the plugin worker: a trusted plugin's module, metered by the host
//! ([`plugin_host::lane::meter`]), compiled by the browser's own `WebAssembly` engine and run to
//! its end, with the same host functions bound to [`FastPlugin::host_call`]. The worker is busy
//! for the whole call, so Cancel ends the worker (the page replaces it); progress and
//! intermediate positions are posted from inside host calls.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Function, Object, Reflect, Uint8Array, WebAssembly};
use plugin_host::lane::meter::{FUEL_EXPORT, REFUSED_EXPORT, TABLE_FROM_EXPORT, TABLE_TO_EXPORT};
use plugin_host::lane::{CallAfter, CallEnding, EngineTrap, FastPlugin, GuestAccess, HostImport, SETUP_FUEL};
use plugin_host::{CallMetrics, ErrorKind, FailedCall, GraphInput, PluginError, RunOutput};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The instance's memory and meter globals, once instantiated.
#[derive(Default)]
struct Exports {
    memory: Option<WebAssembly::Memory>,
    fuel: Option<WebAssembly::Global>,
    refused: Option<WebAssembly::Global>,
    table_from: Option<WebAssembly::Global>,
    table_to: Option<WebAssembly::Global>,
}

/// Called after every host call with the plugin and the fuel used so far.
pub type OnProgress = Box<dyn FnMut(&mut FastPlugin, u64)>;

/// What the import closures share with the call.
struct Shared {
    /// Taken back when the call ends; the import closures belong to the JS garbage collector and
    /// may outlive it, finding it gone.
    plugin: Option<FastPlugin>,
    exports: Exports,
    on_progress: OnProgress,
}

struct Access<'a>(&'a Exports);

impl Access<'_> {
    fn buffer(&self) -> Option<js_sys::ArrayBuffer> {
        self.0.memory.as_ref().and_then(|m| m.buffer().dyn_into().ok())
    }
}

impl GuestAccess for Access<'_> {
    fn memory_size(&mut self) -> usize {
        self.buffer().map_or(0, |b| b.byte_length() as usize)
    }

    fn read(&mut self, range: std::ops::Range<usize>) -> Vec<u8> {
        self.buffer()
            .map(|b| Uint8Array::new_with_byte_offset_and_length(&b, range.start as u32, range.len() as u32).to_vec())
            .unwrap_or_default()
    }

    fn write(&mut self, at: usize, bytes: &[u8]) {
        if let Some(b) = self.buffer() {
            Uint8Array::new_with_byte_offset_and_length(&b, at as u32, bytes.len() as u32).copy_from(bytes);
        }
    }

    fn fuel(&mut self) -> i64 {
        self.0.fuel.as_ref().and_then(|g| i64::try_from(g.value()).ok()).unwrap_or(0)
    }

    fn set_fuel(&mut self, fuel: i64) {
        if let Some(global) = &self.0.fuel {
            global.set_value(&JsValue::from(fuel));
        }
    }
}

type SharedCell = Rc<RefCell<Shared>>;

/// One import bound to the host: returns the host function's result, or throws.
fn host_call(shared: &SharedCell, slot: usize, args: &[i32]) -> Result<JsValue, JsValue> {
    let mut guard = shared.borrow_mut();
    let Shared { plugin, exports, on_progress } = &mut *guard;
    let Some(plugin) = plugin.as_mut() else { return Err(JsValue::from_str("the call is over")) };
    let mut access = Access(exports);
    let result = plugin.host_call(&mut access, slot, args);
    let used = plugin.fuel_budget().saturating_sub(u64::try_from(access.fuel()).unwrap_or(0));
    on_progress(plugin, used);
    match result {
        Ok(Some(value)) => Ok(JsValue::from(value)),
        Ok(None) => Ok(JsValue::UNDEFINED),
        Err(stop) => Err(JsValue::from_str(&stop.to_string())),
    }
}

macro_rules! bind {
    ($shared:expr, $slot:expr, $($arg:ident),*) => {{
        let shared = Rc::clone($shared);
        let slot = $slot;
        Closure::<dyn FnMut($(bind!(@ty $arg)),*) -> Result<JsValue, JsValue>>::new(move |$($arg: i32),*| {
            host_call(&shared, slot, &[$($arg),*])
        })
        .into_js_value()
    }};
    (@ty $arg:ident) => { i32 };
}

/// A JS function for one import, of the import's arity.
fn import_function(shared: &SharedCell, import: &HostImport) -> Option<JsValue> {
    let slot = import.slot;
    Some(match import.function.params {
        0 => bind!(shared, slot,),
        1 => bind!(shared, slot, a),
        2 => bind!(shared, slot, a, b),
        3 => bind!(shared, slot, a, b, c),
        4 => bind!(shared, slot, a, b, c, d),
        5 => bind!(shared, slot, a, b, c, d, e),
        6 => bind!(shared, slot, a, b, c, d, e, f),
        _ => return None,
    })
}

fn imports(shared: &SharedCell) -> Result<Object, JsValue> {
    let object = Object::new();
    let imports = shared.borrow().plugin.as_ref().map(FastPlugin::imports).unwrap_or_default();
    for import in &imports {
        let name = JsValue::from_str(import.function.module);
        let module = match Reflect::get(&object, &name)? {
            m if m.is_object() => m,
            _ => {
                let m: JsValue = Object::new().into();
                Reflect::set(&object, &name, &m)?;
                m
            }
        };
        let function =
            import_function(shared, import).ok_or_else(|| JsValue::from_str("an import has too many parameters"))?;
        Reflect::set(&module, &JsValue::from_str(import.function.name), &function)?;
    }
    Ok(object)
}

/// How a JS exception from the engine reads as a trap.
fn trap(error: &JsValue) -> EngineTrap {
    if error.is_instance_of::<js_sys::RangeError>() {
        return EngineTrap::StackOverflow;
    }
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"));
    EngineTrap::Other(message)
}

fn export(instance: &WebAssembly::Instance, name: &str) -> JsValue {
    Reflect::get(&instance.exports(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Runs one call of `plugin` on the browser's engine; `on_progress` is called after every host
/// call, with the fuel used so far, to post progress and positions.
///
/// # Errors
/// The typed error the call failed with, as the interpreter lane names it.
pub fn run(
    plugin: FastPlugin,
    graph: Arc<GraphInput>,
    params: &Value,
    selected: Option<u32>,
    on_progress: OnProgress,
) -> (FastPlugin, Result<(RunOutput, CallMetrics), Box<FailedCall>>) {
    let shared: SharedCell =
        Rc::new(RefCell::new(Shared { plugin: Some(plugin), exports: Exports::default(), on_progress }));
    let result = call(&shared, graph, params, selected);
    let plugin = shared.borrow_mut().plugin.take().expect("only the call takes the plugin back");
    (plugin, result)
}

/// Runs `f` on the plugin the call holds.
fn with_plugin<T>(shared: &SharedCell, f: impl FnOnce(&mut FastPlugin) -> T) -> T {
    f(shared.borrow_mut().plugin.as_mut().expect("the call holds the plugin until it ends"))
}

fn call(
    shared: &SharedCell,
    graph: Arc<GraphInput>,
    params: &Value,
    selected: Option<u32>,
) -> Result<(RunOutput, CallMetrics), Box<FailedCall>> {
    let fuel = with_plugin(shared, |p| p.begin(graph, params, selected))
        .map_err(|error| Box::new(FailedCall { error, metrics: CallMetrics::default() }))?;
    let abandon = |shared: &SharedCell, kind: ErrorKind| {
        with_plugin(shared, |p| {
            let error = PluginError::new(p.manifest().id(), kind);
            Box::new(p.abandon(error, CallMetrics::default()))
        })
    };
    let compile_error =
        |e: JsValue| ErrorKind::InvalidModule { reason: format!("the engine refused it: {}", message(&e)) };
    let bytes = with_plugin(shared, |p| Uint8Array::from(p.module()));
    let module = WebAssembly::Module::new(&bytes.into()).map_err(|e| abandon(shared, compile_error(e)))?;
    let imports = imports(shared).map_err(|e| abandon(shared, compile_error(e)))?;
    let instance = WebAssembly::Instance::new(&module, &imports).map_err(|e| abandon(shared, compile_error(e)))?;
    {
        let mut s = shared.borrow_mut();
        s.exports.memory = export(&instance, "memory").dyn_into().ok();
        s.exports.fuel = export(&instance, FUEL_EXPORT).dyn_into().ok();
        s.exports.refused = export(&instance, REFUSED_EXPORT).dyn_into().ok();
        s.exports.table_from = export(&instance, TABLE_FROM_EXPORT).dyn_into().ok();
        s.exports.table_to = export(&instance, TABLE_TO_EXPORT).dyn_into().ok();
    }
    let set_fuel = |fuel: u64| {
        let s = shared.borrow();
        Access(&s.exports).set_fuel(i64::try_from(fuel).unwrap_or(i64::MAX));
    };
    set_fuel(SETUP_FUEL);
    let entry_name = with_plugin(shared, |p| p.entry_point());
    let version = export(&instance, plugin_host::abi::EXPORT_ABI_VERSION)
        .dyn_into::<Function>()
        .ok()
        .and_then(|f| f.call0(&JsValue::UNDEFINED).ok())
        .and_then(|v| v.as_f64())
        .map_or(-1, |v| v as i32);
    if let Err(error) = with_plugin(shared, |p| p.check_abi_version(version)) {
        return Err(with_plugin(shared, |p| Box::new(p.abandon(error, CallMetrics::default()))));
    }
    let entry = export(&instance, entry_name).dyn_into::<Function>().map_err(|_| {
        abandon(
            shared,
            ErrorKind::AbiMismatch {
                expected: plugin_host::abi::ABI_VERSION,
                found: format!("exports no function `{entry_name}`"),
            },
        )
    })?;
    set_fuel(fuel);
    let ending = match entry.call0(&JsValue::UNDEFINED) {
        Ok(code) => CallEnding::Returned(code.as_f64().map_or(-1, |c| c as i32)),
        Err(error) => CallEnding::Trapped(trap(&error)),
    };
    let after = {
        let s = shared.borrow();
        let mut access = Access(&s.exports);
        let read =
            |g: &Option<WebAssembly::Global>| g.as_ref().and_then(|g| g.value().as_f64()).map_or(0, |v| v as u32);
        let refused_pages = read(&s.exports.refused);
        let table = (read(&s.exports.table_from), read(&s.exports.table_to));
        let refused_table = (table.1 > 0).then_some(table);
        CallAfter { fuel_left: access.fuel(), memory: access.memory_size(), refused_pages, refused_table }
    };
    with_plugin(shared, |p| p.end(ending, after))
}

fn message(error: &JsValue) -> String {
    error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{error:?}"))
}
