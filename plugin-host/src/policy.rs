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
    /// Whether plugins may list `localhost` names in their network allow-list (development only).
    pub allow_loopback_fetch: bool,
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
            allow_loopback_fetch: false,
        }
    }
}

/// A policy limit that would make the host unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} is {value}, but it must be at least {min}")]
pub struct PolicyError {
    /// The field of [`HostPolicy`].
    pub field: &'static str,
    /// Its value.
    pub value: u64,
    /// The smallest value that works.
    pub min: u64,
}

/// A fuel budget outside what the host allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a fuel budget of {requested} is outside 1..={ceiling}, the range this host allows")]
pub struct FuelBudgetError {
    /// The budget asked for.
    pub requested: u64,
    /// The host's ceiling.
    pub ceiling: u64,
}

impl HostPolicy {
    /// Checks that every limit leaves room to run a plugin at all.
    ///
    /// # Errors
    /// The first limit that is too small.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let limits = [
            ("fuel_ceiling", self.fuel_ceiling, 1),
            ("slice_fuel", self.slice_fuel, 1),
            ("memory_ceiling", self.memory_ceiling as u64, 1 << 16),
            ("max_module_bytes", self.max_module_bytes as u64, 8),
            ("max_function_bytes", self.max_function_bytes as u64, 1),
            ("max_recursion_depth", self.max_recursion_depth as u64, 1),
            ("max_output_bytes", self.max_output_bytes as u64, 1),
            ("audit_events", self.audit_events as u64, 1),
        ];
        match limits.into_iter().find(|(_, value, min)| value < min) {
            Some((field, value, min)) => Err(PolicyError { field, value, min }),
            None => Ok(()),
        }
    }

    /// The rules the network allow-list of a plugin must follow under this policy.
    pub fn network_rules(&self) -> crate::allow_list::NetworkRules {
        crate::allow_list::NetworkRules { allow_loopback: self.allow_loopback_fetch }
    }

    /// Checks a per-call fuel budget against the ceiling.
    ///
    /// # Errors
    /// [`FuelBudgetError`] when it is 0 or above the ceiling.
    pub fn check_fuel(&self, fuel: u64) -> Result<u64, FuelBudgetError> {
        if (1..=self.fuel_ceiling).contains(&fuel) {
            Ok(fuel)
        } else {
            Err(FuelBudgetError { requested: fuel, ceiling: self.fuel_ceiling })
        }
    }
}

/// The fuel each call of a plugin may burn: the manifest's request (or the ceiling) unless the
/// user set another, checked against the policy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FuelBudget {
    current: u64,
    default: u64,
}

impl FuelBudget {
    /// A budget of `fuel`, which is also what [`FuelBudget::set`] with `None` goes back to.
    pub(crate) const fn new(fuel: u64) -> Self {
        Self { current: fuel, default: fuel }
    }

    /// Fuel each call may burn.
    pub(crate) const fn get(self) -> u64 {
        self.current
    }

    /// Sets the budget; `None` goes back to the default.
    pub(crate) fn set(&mut self, policy: &HostPolicy, fuel: Option<u64>) -> Result<(), FuelBudgetError> {
        self.current = match fuel {
            Some(f) => policy.check_fuel(f)?,
            None => self.default,
        };
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_and_budgets_are_checked() {
        assert_eq!(HostPolicy::default().validate(), Ok(()));
        let zero = HostPolicy { fuel_ceiling: 0, ..HostPolicy::default() };
        assert_eq!(zero.validate().unwrap_err().to_string(), "fuel_ceiling is 0, but it must be at least 1");
        let policy = HostPolicy { fuel_ceiling: 100, ..HostPolicy::default() };
        assert_eq!(policy.check_fuel(100), Ok(100));
        assert_eq!(policy.check_fuel(0), Err(FuelBudgetError { requested: 0, ceiling: 100 }));
        assert!(policy.check_fuel(u64::MAX).unwrap_err().to_string().contains("1..=100"));
    }
}
