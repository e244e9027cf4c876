//! Metric columns the app knows by name (`emit_metric`'s name), so an analysis that emits them gets
//! the plots made for them in the findings panel. Any plugin may emit them; the first-party
//! `module-metrics` and `communities` plugins do.

/// Each item's module's instability, I = Ce / (Ca + Ce): with [`MODULE_ABSTRACTNESS`], the
/// main-sequence scatter (one dot per module).
pub const MODULE_INSTABILITY: &str = "module instability";
/// Each item's module's abstractness, A = abstract types over all types.
pub const MODULE_ABSTRACTNESS: &str = "module abstractness";
/// Each item's community, numbered from 1 (0: none): the community sizes chart.
pub const COMMUNITY: &str = "community";
