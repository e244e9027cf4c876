//! The graph worker: parses and indexes an export once, off the page's thread, and hands back the
//! compact model ([`isg::model`]) as a transferred `ArrayBuffer`. The page reads it back with a
//! few memory copies and passes the same bytes to the plugin workers; nobody parses twice.
//!
//! The page cancels a load by terminating this worker; a fresh one serves the next load.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::protocol::{self as proto, FromGraphWorker, ToGraphWorker};

fn now_ms(scope: &DedicatedWorkerGlobalScope) -> f64 {
    Reflect::get(scope, &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map_or(0.0, |p| p.now())
}

fn post(
    scope: &DedicatedWorkerGlobalScope,
    message: &FromGraphWorker,
    attachments: &[(&str, JsValue)],
    transfer: &Array,
) {
    match proto::encode(message, attachments) {
        Ok(object) => {
            if let Err(e) = scope.post_message_with_transfer(&object, transfer) {
                web_sys::console::error_1(&e);
            }
        }
        Err(e) => web_sys::console::error_1(&JsValue::from_str(&e.to_string())),
    }
}

fn stage(scope: &DedicatedWorkerGlobalScope, label: &str) {
    post(scope, &FromGraphWorker::Stage { label: label.to_owned(), fraction: None }, &[], &Array::new());
}

/// Parses the files of a `Load` message and posts the model, or the loader's message.
fn load(scope: &DedicatedWorkerGlobalScope, names: &[String], data: &JsValue) {
    let started = now_ms(scope);
    let files = proto::byte_list_of(data, "files");
    let sources: Vec<isg::SourceFile<'_>> =
        names.iter().zip(&files).map(|(name, bytes)| isg::SourceFile { name, bytes }).collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    stage(scope, &format!("Parsing {} ({:.1} MB)", names.join(" + "), bytes as f64 / 1e6));
    let loaded = match isg::load(&sources) {
        Ok(loaded) => loaded,
        Err(e) => {
            post(scope, &FromGraphWorker::Failed { message: e.to_string() }, &[], &Array::new());
            return;
        }
    };
    drop(files);
    stage(scope, &format!("Indexing {} nodes and {} edges", loaded.graph.node_count(), loaded.graph.edge_count()));
    let index = isg::query::SearchIndex::build(&loaded.graph);
    let model = isg::model::encode(&loaded.graph, &index, &loaded.report);
    let buffer = proto::buffer_value(&model);
    let message = FromGraphWorker::Loaded { load_ms: now_ms(scope) - started, model_bytes: model.len() };
    post(scope, &message, &[("model", buffer.clone().into())], &Array::of1(&buffer));
}

/// Starts the worker: installs the message handler and says it is ready.
pub fn start() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        web_sys::console::error_1(&JsValue::from_str("graph_worker must run in a dedicated worker"));
        return;
    };
    let handler = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            match proto::decode::<ToGraphWorker>(&data) {
                Ok(ToGraphWorker::Load { names }) => load(&scope, &names, &data),
                Err(e) => post(&scope, &FromGraphWorker::Failed { message: e.to_string() }, &[], &Array::new()),
            }
        })
    };
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
    post(&scope, &FromGraphWorker::Ready, &[], &Array::new());
}
