//! Loading a graph off the page's thread: the graph worker parses and indexes the files and hands
//! back the compact model; the page only reads it back. Cancel terminates the worker at once, and
//! a fresh one serves the next load.

use std::cell::RefCell;

use js_sys::{Array, ArrayBuffer, Function, Promise, Uint8Array};
use studio_workers::protocol::{self as proto, FromGraphWorker, ToGraphWorker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use crate::loading::FetchedFile;

/// The worker script Trunk emits for the `graph_worker` binary.
const WORKER_SCRIPT: &str = "./graph_worker_loader.js";

/// The model a load produced.
pub struct LoadedModel {
    /// The model's bytes ([`isg::model`]).
    pub model: Vec<u8>,
    /// Milliseconds the worker spent parsing and indexing.
    pub load_ms: f64,
}

/// Why a load ended without a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadFailure {
    /// The files are not a graph: the loader's message.
    #[error("{0}")]
    Loader(String),
    /// The user cancelled.
    #[error("the load was cancelled")]
    Cancelled,
    /// The worker could not run or stopped.
    #[error("the graph worker stopped: {0}")]
    Worker(String),
}

/// Handlers of the load in progress, kept alive until it settles.
type Handlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::ErrorEvent)>);

#[derive(Default)]
struct State {
    /// A worker that said it is ready.
    worker: Option<Worker>,
    /// The load in progress: how to end it, and its handlers.
    pending: Option<(Function, Handlers)>,
    /// Bumped by every load and every cancel: a load that finds it changed has been overtaken.
    generation: u64,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::default();
}

fn js_text(e: &JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// A worker that has said it is ready (its handlers are installed), started if needed.
async fn ready_worker() -> Result<Worker, LoadFailure> {
    if let Some(worker) = STATE.with_borrow(|s| s.worker.clone()) {
        return Ok(worker);
    }
    let worker = Worker::new(WORKER_SCRIPT).map_err(|e| LoadFailure::Worker(js_text(&e)))?;
    let ready = Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    });
    JsFuture::from(ready).await.map_err(|e| LoadFailure::Worker(js_text(&e)))?;
    STATE.with_borrow_mut(|s| s.worker = Some(worker.clone()));
    Ok(worker)
}

/// Parses `files` in the graph worker, telling `on_stage` what it is doing.
///
/// # Errors
/// The loader's message, a cancel, or a worker that could not run.
pub async fn load(files: &[FetchedFile], on_stage: impl Fn(String) + 'static) -> Result<LoadedModel, LoadFailure> {
    cancel();
    let worker = ready_worker().await?;
    let mut on_stage = Some(on_stage);
    let outcome = Promise::new(&mut |resolve, reject| {
        let Some(on_stage) = on_stage.take() else { return };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
            let (resolve, reject) = (resolve.clone(), reject.clone());
            move |event: MessageEvent| {
                let data = event.data();
                match proto::decode::<FromGraphWorker>(&data) {
                    Ok(FromGraphWorker::Stage { label, .. }) => on_stage(label),
                    Ok(FromGraphWorker::Loaded { .. }) => {
                        resolve.call1(&JsValue::NULL, &data).ok();
                    }
                    Ok(FromGraphWorker::Failed { message }) => {
                        reject.call1(&JsValue::NULL, &JsValue::from_str(&message)).ok();
                    }
                    Ok(FromGraphWorker::Ready) => {}
                    Err(e) => {
                        reject.call1(&JsValue::NULL, &JsValue::from_str(&e.to_string())).ok();
                    }
                }
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new({
            let reject = reject.clone();
            move |event: web_sys::ErrorEvent| {
                event.prevent_default();
                let stopped = JsValue::from_str(&format!("__worker__{}", event.message()));
                reject.call1(&JsValue::NULL, &stopped).ok();
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        STATE.with_borrow_mut(|s| s.pending = Some((reject, (on_message, on_error))));
    });
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let buffers: Vec<Uint8Array> = files.iter().map(|f| Uint8Array::from(f.bytes.as_slice())).collect();
    let list: Array = buffers.iter().map(JsValue::from).collect();
    let transfer: Array = buffers.iter().map(|b| JsValue::from(b.buffer())).collect();
    let message = proto::encode(&ToGraphWorker::Load { names }, &[("files", list.into())])
        .map_err(|e| LoadFailure::Worker(e.to_string()))?;
    worker.post_message_with_transfer(&message, &transfer).map_err(|e| LoadFailure::Worker(js_text(&e)))?;
    let settled = JsFuture::from(outcome).await;
    STATE.with_borrow_mut(|s| s.pending = None);
    let data = settled.map_err(|e| match e.as_string() {
        Some(m) if m == CANCELLED => LoadFailure::Cancelled,
        Some(m) if m.starts_with("__worker__") => {
            STATE.with_borrow_mut(|s| s.worker = None);
            LoadFailure::Worker(m.trim_start_matches("__worker__").to_owned())
        }
        Some(m) => LoadFailure::Loader(m),
        None => LoadFailure::Worker(js_text(&e)),
    })?;
    let FromGraphWorker::Loaded { load_ms, .. } =
        proto::decode::<FromGraphWorker>(&data).map_err(|e| LoadFailure::Worker(e.to_string()))?
    else {
        return Err(LoadFailure::Worker("an unexpected answer".into()));
    };
    let model = js_sys::Reflect::get(&data, &JsValue::from_str("model"))
        .ok()
        .and_then(|m| m.dyn_into::<ArrayBuffer>().ok())
        .map(|b| Uint8Array::new(&b).to_vec())
        .ok_or_else(|| LoadFailure::Worker("the model was not attached".into()))?;
    Ok(LoadedModel { model, load_ms })
}

const CANCELLED: &str = "__cancelled__";

/// Stops the load in progress at once (the worker is terminated; the next load starts a new one).
pub fn cancel() {
    let pending = STATE.with_borrow_mut(|s| {
        s.generation += 1;
        let pending = s.pending.take();
        if pending.is_some()
            && let Some(worker) = s.worker.take()
        {
            worker.terminate();
        }
        pending
    });
    if let Some((reject, _handlers)) = pending {
        reject.call1(&JsValue::NULL, &JsValue::from_str(CANCELLED)).ok();
    }
}

/// Changes whenever a load starts or is cancelled; the page compares it across the steps that
/// follow a load, so a cancelled or overtaken load never replaces the graph.
#[must_use]
pub fn generation() -> u64 {
    STATE.with_borrow(|s| s.generation)
}

/// Whether a load is in progress.
#[must_use]
pub fn busy() -> bool {
    STATE.with_borrow(|s| s.pending.is_some())
}
