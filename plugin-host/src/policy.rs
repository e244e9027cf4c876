//! The host's limits, and the wasmi resource limiter that enforces the memory side of them.

use wasmi::errors::{MemoryError, TableError};
use wasmi_core::LimiterError;

/// Ceilings the host enforces on every plugin. A manifest may ask for less, never more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPolicy {
    /// Fuel one call may burn in all (about one unit per wasm instruction).
    pub fuel_ceiling: u64,
    /// Fuel per slice: after each slice the call yields so the page can paint and Cancel can act.
    pub slice_fuel: u64,
    /// Linear memory ceiling in bytes.
    pub memory_ceiling: usize,
    /// Table elements ceiling.
    pub table_ceiling: usize,
    /// Largest module accepted, in bytes.
    pub max_module_bytes: usize,
    /// Largest function body accepted, in bytes: bounds the time one lazy translation takes.
    pub max_function_bytes: usize,
    /// Deepest wasm call stack, in frames.
    pub max_recursion_depth: usize,
    /// Bytes of output (positions, styles, findings, files…) one call may produce.
    pub max_output_bytes: usize,
    /// Log lines kept per call; later ones are counted and dropped.
    pub max_log_lines: usize,
    /// Bytes a plugin may keep in its private folder.
    pub folder_quota: usize,
    /// Notable events the audit trail keeps.
    pub audit_events: usize,
}

impl Default for HostPolicy {
    fn default() -> Self {
        Self {
            fuel_ceiling: 50_000_000_000,
            slice_fuel: 2_000_000,
            memory_ceiling: 512 << 20,
            table_ceiling: 100_000,
            max_module_bytes: 16 << 20,
            max_function_bytes: 1 << 20,
            max_recursion_depth: 4096,
            max_output_bytes: 256 << 20,
            max_log_lines: 1000,
            folder_quota: 8 << 20,
            audit_events: 10_000,
        }
    }
}

/// Enforces the memory and table ceilings, records the peak, and remembers why it refused.
#[derive(Debug)]
pub(crate) struct Limiter {
    memory_limit: usize,
    table_limit: usize,
    pub(crate) peak_memory: usize,
    pub(crate) refused: Option<String>,
}

impl Limiter {
    pub(crate) fn new(memory_limit: usize, table_limit: usize) -> Self {
        Self { memory_limit, table_limit, peak_memory: 0, refused: None }
    }

    pub(crate) fn limits(&self) -> (usize, usize) {
        (self.memory_limit, self.table_limit)
    }
}

impl wasmi::ResourceLimiter for Limiter {
    fn memory_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> Result<bool, LimiterError> {
        if desired > self.memory_limit || maximum.is_some_and(|max| desired > max) {
            self.refused = Some(format!(
                "linear memory would grow from {} to {} MiB, over the {} MiB limit",
                current >> 20,
                desired >> 20,
                self.memory_limit >> 20
            ));
            // Trapping instead of returning -1: a plugin must not carry on after being refused, and
            // Rust plugins would abort on the failed allocation anyway, with a less useful message.
            return Err(LimiterError::ResourceLimiterDeniedAllocation);
        }
        self.peak_memory = self.peak_memory.max(desired);
        Ok(true)
    }

    fn memory_grow_failed(&mut self, error: &MemoryError) -> Result<(), LimiterError> {
        // Growth paid in fuel: when the slice's fuel runs short, wasmi suspends the call and the
        // next slice retries. Only real refusals are the limiter's business.
        if matches!(error, MemoryError::OutOfFuel { .. }) {
            return Ok(());
        }
        self.refused.get_or_insert_with(|| format!("linear memory could not grow: {error}"));
        Err(LimiterError::ResourceLimiterDeniedAllocation)
    }

    fn table_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> Result<bool, LimiterError> {
        if desired > self.table_limit || maximum.is_some_and(|max| desired > max) {
            self.refused = Some(format!(
                "a table would grow from {current} to {desired} elements, over the {} limit",
                self.table_limit
            ));
            return Err(LimiterError::ResourceLimiterDeniedAllocation);
        }
        Ok(true)
    }

    fn table_grow_failed(&mut self, error: &TableError) -> Result<(), LimiterError> {
        if matches!(error, TableError::OutOfFuel { .. }) {
            return Ok(());
        }
        self.refused.get_or_insert_with(|| format!("a table could not grow: {error}"));
        Err(LimiterError::ResourceLimiterDeniedAllocation)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        4
    }

    fn memories(&self) -> usize {
        1
    }
}
