//! The pool of plugin workers: which worker runs what, started on demand up to one per spare
//! core, a fresh one in place of one that was ended (a fast-lane run cancelled) or died.

use std::collections::{HashMap, HashSet, VecDeque};

use leptos::prelude::*;

use studio_workers::protocol::{self as proto, RunSpec, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

use studio_core::catalog::PluginSource;

use crate::plugins::{MAX_WORKERS, PluginsUi};
use crate::state::Ui;

/// The plugin worker's loader script (trunk writes it beside the app).
const WORKER_SCRIPT: &str = "./plugin_worker_loader.js";

/// A worker's message and error handlers, kept alive as long as the worker.
type WorkerHandlers = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(web_sys::ErrorEvent)>);

pub(crate) struct Slot {
    pub(crate) worker: Worker,
    pub(crate) ready: bool,
    pub(crate) queue: VecDeque<js_sys::Object>,
    pub(crate) graph: Option<u32>,
    pub(crate) runs: usize,
    _handlers: WorkerHandlers,
}

#[derive(Default)]
pub(crate) struct WorkerPool {
    pub(crate) slots: Vec<Option<Slot>>,
    /// The worker of each run in progress.
    pub(crate) run_slot: HashMap<u32, usize>,
    /// Fast-lane runs in progress, with their plugin's name: each holds its worker until it ends.
    pub(crate) fast_runs: HashMap<u32, String>,
}

impl Slot {
    pub(crate) fn post(&self, message: &js_sys::Object) {
        if let Err(e) = self.worker.post_message(message) {
            web_sys::console::error_1(&e);
        }
    }

    /// Sends now if the worker is up; messages sent before its handler exists would be lost.
    pub(crate) fn send(&mut self, message: js_sys::Object) {
        if self.ready {
            self.post(&message);
        } else {
            self.queue.push_back(message);
        }
    }
}

impl WorkerPool {
    /// Ends the worker of fast-lane run `run` and starts a fresh one in its place; the plugin's
    /// name, or `None` when `run` is not a fast-lane run in progress.
    pub(crate) fn end_fast_run(&mut self, ui: Ui, pui: PluginsUi, run: u32) -> Option<String> {
        let plugin = self.fast_runs.remove(&run)?;
        let slot = self.run_slot.remove(&run)?;
        if let Some(worker) = self.slots.get_mut(slot).and_then(Option::take) {
            worker.worker.terminate();
        }
        self.slots[slot] = spawn_worker(ui, pui, slot);
        Some(plugin)
    }

    /// An idle worker, a new one if all are busy and the pool may grow, else the least busy; never
    /// a worker busy with a fast-lane run, which answers nothing until it ends.
    /// A fast-lane run takes an idle worker or a new one, so ending it on Cancel ends no other run.
    pub(crate) fn pick_slot(&mut self, ui: Ui, pui: PluginsUi, fast: bool) -> Option<usize> {
        let busy: HashSet<usize> = self.fast_runs.keys().filter_map(|r| self.run_slot.get(r).copied()).collect();
        let live: Vec<(usize, usize)> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(i, _)| !busy.contains(i))
            .filter_map(|(i, s)| s.as_ref().map(|s| (i, s.runs)))
            .collect();
        if let Some((i, _)) = live.iter().find(|(_, runs)| *runs == 0) {
            return Some(*i);
        }
        let cap = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency() as usize)
            .unwrap_or(2)
            .saturating_sub(1)
            .clamp(1, MAX_WORKERS);
        if live.len() < cap || live.is_empty() || fast {
            let index = self.slots.iter().position(Option::is_none).unwrap_or(self.slots.len());
            let slot = spawn_worker(ui, pui, index)?;
            if index == self.slots.len() {
                self.slots.push(Some(slot));
            } else {
                self.slots[index] = Some(slot);
            }
            return Some(index);
        }
        live.iter().min_by_key(|(_, runs)| *runs).map(|(i, _)| *i)
    }

    /// Hands a run to a worker, first giving it the graph's model if it does not have this graph.
    pub(crate) fn send_run(
        &mut self,
        ui: Ui,
        pui: PluginsUi,
        spec: RunSpec,
        source: &PluginSource,
        folder: Option<&[u8]>,
    ) -> Option<()> {
        let grants = spec.grants.iter().copied().collect::<plugin_host::Capabilities>();
        let fast = plugin_host::lane::choose_lane(&spec.trust, grants).lane == plugin_host::lane::Lane::Fast;
        let slot = self.pick_slot(ui, pui, fast)?;
        let worker = self.slots[slot].as_mut()?;
        if worker.graph != Some(spec.graph) {
            // The model the graph worker wrote, copied to this worker: it reads it back, no parse.
            let message =
                ui.studio.with_value(|s| proto::graph_message(spec.graph, &s.current.as_ref()?.model).ok())?;
            worker.send(message);
            worker.graph = Some(spec.graph);
        }
        let mut attachments = vec![("wasm", proto::bytes_value(&source.wasm))];
        if let Some(folder) = folder {
            attachments.push(("folder", proto::bytes_value(folder)));
        }
        // An exporter may keep the picture (GEXF, Cytoscape.js) and export what is shown or
        // selected: it gets the positions on screen and what is drawn and selected.
        if source.manifest.plugin.kind == plugin_host::PluginKind::Exporter {
            let view = ui.studio.with_value(|s| Some((s.current.as_ref()?.scene.positions(), s.view_flags())));
            if let Some((positions, flags)) = view {
                attachments
                    .push(("view_positions", proto::bytes_value(&plugin_host::abi::encode_positions(&positions))));
                attachments.push(("view_flags", proto::bytes_value(&flags)));
            }
        }
        let run = spec.run;
        if fast {
            self.fast_runs.insert(run, source.manifest.id());
        }
        worker.send(proto::encode(&ToWorker::Run(spec), &attachments).ok()?);
        worker.runs += 1;
        self.run_slot.insert(run, slot);
        Some(())
    }
}

pub(crate) fn spawn_worker(ui: Ui, pui: PluginsUi, index: usize) -> Option<Slot> {
    let worker = match Worker::new(WORKER_SCRIPT) {
        Ok(w) => w,
        Err(e) => {
            ui.error.set(Some(format!("the plugin worker could not start: {e:?}")));
            return None;
        }
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        pui.on_worker_message(ui, index, &event.data())
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
        event.prevent_default();
        pui.worker_died(ui, index, &event.message());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Slot { worker, ready: false, queue: VecDeque::new(), graph: None, runs: 0, _handlers: (on_message, on_error) })
}
