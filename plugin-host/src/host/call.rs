//! A call in progress: the kind's entry point run in fuel slices through wasmi's resumable calls,
//! suspended for fetches, cancelled by dropping it.

use wasmi::{TypedResumableCall, TypedResumableCallHostTrap, TypedResumableCallOutOfFuel, Val};

use super::{LoadedPlugin, classify, set_fuel};
use crate::abi::NetStatus;
use crate::audit::AuditKind;
use crate::error::{ErrorKind, PluginError};
use crate::host_fns::{self, FetchFailed, FetchRequest, HostFault};
use crate::output::{CallMetrics, RunOutput};

/// A call that failed, with what it had used by then.
#[derive(Debug)]
pub struct FailedCall {
    /// Why it failed.
    pub error: PluginError,
    /// Fuel, host calls and output it used before failing.
    pub metrics: CallMetrics,
}

enum Pending {
    Start,
    Fuel(TypedResumableCallOutOfFuel<i32>),
    AwaitingFetch(TypedResumableCallHostTrap<i32>, FetchRequest),
    Fetched(TypedResumableCallHostTrap<i32>, i32),
    Done,
}

/// What a slice of a call ended with.
#[derive(Debug)]
pub enum Step {
    /// The slice's fuel ran out; call [`Call::step`] again after letting the page breathe.
    Running {
        /// The plugin's last `pt_core.progress`.
        progress: Option<(u32, u32)>,
        /// Whether `pt_viz.set_positions` ran since the last step ([`Call::positions`] has them).
        positions_changed: bool,
    },
    /// The plugin is waiting for a fetch; perform it and call [`Call::complete_fetch`].
    Fetch(FetchRequest),
    /// The call returned successfully. Boxed: the output is far bigger than the other variants,
    /// and a `Step` is returned every slice.
    Finished(Box<RunOutput>),
}

/// A call in progress. Dropping it before it finishes cancels it; the plugin's instance is then
/// replaced before its next call, since its memory may be mid-update.
pub struct Call<'p> {
    plugin: &'p mut LoadedPlugin,
    pending: Pending,
    used: u64,
    slices: u32,
    host_calls_before: u64,
    min_slice: u64,
}

impl<'p> Call<'p> {
    /// A call about to start on `plugin`, whose audit had counted `host_calls_before` host calls.
    pub(super) fn new(plugin: &'p mut LoadedPlugin, host_calls_before: u64) -> Self {
        Self { plugin, pending: Pending::Start, used: 0, slices: 0, host_calls_before, min_slice: 0 }
    }
}

impl Call<'_> {
    /// Runs one slice.
    ///
    /// # Errors
    /// The typed error the call failed with; the call is over then.
    pub fn step(&mut self) -> Result<Step, PluginError> {
        let budget = self.plugin.fuel.get();
        let left = budget.saturating_sub(self.used);
        let slice = self.plugin.policy.slice_fuel.max(self.min_slice).min(left);
        let result = match std::mem::replace(&mut self.pending, Pending::Done) {
            Pending::AwaitingFetch(inv, req) => {
                self.pending = Pending::AwaitingFetch(inv, req.clone());
                return Ok(Step::Fetch(req));
            }
            Pending::Done => {
                let plugin = self.plugin.manifest.id();
                return Err(
                    self.fail(PluginError::new(plugin, ErrorKind::Trap { message: "the call is already over".into() }))
                );
            }
            _ if slice == 0 => {
                let plugin = self.plugin.manifest.id();
                return Err(self.fail(PluginError::new(plugin, ErrorKind::OutOfFuel { fuel: budget })));
            }
            pending => {
                let store = &mut self.plugin.store;
                set_fuel(store, slice);
                store.data_mut().call.fuel = host_fns::FuelAccount { beyond_slice: left - slice, debt: 0 };
                match pending {
                    Pending::Fuel(inv) => inv.resume(&mut *store),
                    Pending::Fetched(inv, value) => inv.resume(&mut *store, &[Val::I32(value)]),
                    _ => self.plugin.run.call_resumable(&mut *store, ()),
                }
            }
        };
        let store = &mut self.plugin.store;
        // Host work beyond the slice's fuel was taken from the rest of the budget.
        let debt = std::mem::take(&mut store.data_mut().call.fuel.debt);
        self.used += slice - store.get_fuel().unwrap_or(0) + debt;
        self.slices += 1;
        match result {
            Ok(TypedResumableCall::Finished(code)) => self.finish(code),
            Ok(TypedResumableCall::OutOfFuel(inv)) => {
                if self.used >= budget || inv.required_fuel() > budget - self.used {
                    return Err(
                        self.fail(PluginError::new(self.plugin.manifest.id(), ErrorKind::OutOfFuel { fuel: budget }))
                    );
                }
                self.min_slice = inv.required_fuel();
                self.pending = Pending::Fuel(inv);
                let call = &mut self.plugin.store.data_mut().call;
                Ok(Step::Running {
                    progress: call.progress,
                    positions_changed: std::mem::take(&mut call.positions_changed),
                })
            }
            Ok(TypedResumableCall::HostTrap(inv)) => match inv.host_error().downcast_ref::<HostFault>() {
                Some(HostFault::Fetch(req)) => {
                    let req = req.clone();
                    self.pending = Pending::AwaitingFetch(inv, req.clone());
                    Ok(Step::Fetch(req))
                }
                _ => {
                    let error = classify(&mut self.plugin.store, inv.host_error(), budget);
                    Err(self.fail(error))
                }
            },
            Err(e) => {
                let error = classify(&mut self.plugin.store, &e, budget);
                Err(self.fail(error))
            }
        }
    }

    /// Hands the plugin the result of the fetch it asked for: the body (clipped to its buffer), or a
    /// failure, which the plugin sees as [`NetStatus::Failed`].
    pub fn complete_fetch(&mut self, result: Result<Vec<u8>, FetchFailed>) {
        let Pending::AwaitingFetch(inv, req) = std::mem::replace(&mut self.pending, Pending::Done) else { return };
        let state = self.plugin.store.data_mut();
        let plugin = state.plugin.clone();
        let value = match result {
            Ok(body) => {
                let memory = state.memory;
                let n = body.len().min(req.cap as usize);
                if let Some(memory) = memory {
                    // The range was bounds-checked when the plugin asked; memory only grows since.
                    memory.write(&mut self.plugin.store, req.dst as usize, &body[..n]).ok();
                }
                i32::try_from(body.len()).unwrap_or(i32::MAX)
            }
            Err(reason) => {
                state.audit.record(&plugin, AuditKind::Error, format!("fetch of {} failed: {reason}", req.url));
                NetStatus::Failed as i32
            }
        };
        self.pending = Pending::Fetched(inv, value);
    }

    /// The latest positions a layout published, for progressive display.
    pub fn positions(&self) -> Option<&crate::abi::Records<[f32; 2]>> {
        self.plugin.store.data().call.output.positions.as_ref()
    }

    /// What the call has cost so far.
    pub fn metrics(&self) -> CallMetrics {
        let state = self.plugin.store.data();
        CallMetrics {
            fuel_used: self.used,
            fuel_budget: self.plugin.fuel.get(),
            peak_memory: state.limiter.peak_memory,
            host_calls: state.audit.host_calls() - self.host_calls_before,
            slices: self.slices,
            output_bytes: state.call.meter.used(),
        }
    }

    /// Stops the call now.
    pub fn cancel(mut self) -> PluginError {
        let error = PluginError::new(self.plugin.manifest.id(), ErrorKind::Cancelled);
        self.fail(error)
    }

    fn finish(&mut self, code: i32) -> Result<Step, PluginError> {
        let state = self.plugin.store.data_mut();
        if code != 0 {
            let plugin = state.plugin.clone();
            let entry = self.plugin.entry;
            let message = state.call.fail.take().unwrap_or_else(|| format!("{entry} returned {code}"));
            return Err(self.fail(PluginError::new(plugin, ErrorKind::Trap { message })));
        }
        let output = std::mem::take(&mut state.call.output);
        state.call.graph = None;
        let detail = format!("finished: {}; {} fuel", output.summary(), self.used);
        let plugin = state.plugin.clone();
        state.audit.record(&plugin, AuditKind::Finished, detail);
        Ok(Step::Finished(Box::new(output)))
    }

    fn fail(&mut self, error: PluginError) -> PluginError {
        self.pending = Pending::Done;
        self.plugin.poisoned = true;
        let state = self.plugin.store.data_mut();
        state.call.graph = None;
        let kind = if error.is_limit() { AuditKind::LimitHit } else { AuditKind::Error };
        let plugin = state.plugin.clone();
        state.audit.record(&plugin, kind, error.to_string());
        error
    }
}

impl Drop for Call<'_> {
    fn drop(&mut self) {
        if !matches!(self.pending, Pending::Done) {
            self.plugin.poisoned = true;
        }
    }
}
