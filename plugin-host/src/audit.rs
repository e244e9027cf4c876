//! The audit trail: a count of every host call, and a log of the notable ones.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::capability::HOST_FUNCTIONS;

/// What kind of thing an [`AuditEvent`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A plugin was loaded with these grants.
    Loaded,
    /// A capability was used in a way worth recording (a fetch, a file write).
    CapabilityUse,
    /// Something was refused: an import, a host outside the allow-list, a quota.
    Denied,
    /// A fuel, memory or stack limit stopped a call.
    LimitHit,
    /// A call failed for another reason.
    Error,
    /// A call finished.
    Finished,
}

/// One notable event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the log, from 0.
    pub seq: u64,
    /// `name@version`.
    pub plugin: String,
    /// What happened.
    pub kind: AuditKind,
    /// Details in words.
    pub detail: String,
}

/// Per-host-function call counts plus a bounded log of notable events.
#[derive(Debug, Clone, Serialize)]
pub struct AuditLog {
    counts: Vec<u64>,
    events: VecDeque<AuditEvent>,
    next_seq: u64,
    dropped: u64,
    #[serde(skip)]
    cap: usize,
}

/// The JSON shape of an exported audit trail.
#[derive(Serialize)]
struct AuditExport<'a> {
    host_calls: Vec<HostCallCount>,
    events: &'a VecDeque<AuditEvent>,
    dropped_events: u64,
}

/// Calls to one host function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostCallCount {
    /// `module.name`.
    pub function: String,
    /// How many times it was called.
    pub calls: u64,
}

impl AuditLog {
    /// An empty log keeping at most `cap` events; older ones are dropped and counted.
    pub fn new(cap: usize) -> Self {
        Self {
            counts: vec![0; HOST_FUNCTIONS.len()],
            events: VecDeque::new(),
            next_seq: 0,
            dropped: 0,
            cap: cap.max(1),
        }
    }

    pub(crate) fn count(&mut self, slot: usize) {
        self.counts[slot] += 1;
    }

    /// Records a notable event.
    pub fn record(&mut self, plugin: &str, kind: AuditKind, detail: impl Into<String>) {
        if self.events.len() == self.cap {
            self.events.pop_front();
            self.dropped += 1;
        }
        self.events.push_back(AuditEvent {
            seq: self.next_seq,
            plugin: plugin.to_owned(),
            kind,
            detail: detail.into(),
        });
        self.next_seq += 1;
    }

    /// The events still held, oldest first.
    pub fn events(&self) -> &VecDeque<AuditEvent> {
        &self.events
    }

    /// Total host calls so far.
    pub fn host_calls(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Calls per host function, only those called at least once.
    pub fn host_call_counts(&self) -> Vec<HostCallCount> {
        HOST_FUNCTIONS
            .iter()
            .zip(&self.counts)
            .filter(|(_, n)| **n > 0)
            .map(|(h, n)| HostCallCount { function: format!("{}.{}", h.module, h.name), calls: *n })
            .collect()
    }

    /// Adds another log's counts and events to this one (a per-call log into the app's trail).
    pub fn absorb(&mut self, other: &Self) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for e in &other.events {
            self.record(&e.plugin, e.kind, e.detail.clone());
        }
        self.dropped += other.dropped;
    }

    /// The trail as pretty JSON, for the app's export button and the CLI.
    pub fn to_json(&self) -> String {
        let export =
            AuditExport { host_calls: self.host_call_counts(), events: &self.events, dropped_events: self.dropped };
        serde_json::to_string_pretty(&export).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_is_bounded_and_exports() {
        let mut log = AuditLog::new(2);
        log.count(0);
        log.count(0);
        for i in 0..3 {
            log.record("p@1.0.0", AuditKind::Denied, format!("event {i}"));
        }
        assert_eq!(log.events().len(), 2);
        assert_eq!(log.events()[0].seq, 1);
        assert_eq!(log.host_calls(), 2);
        let json: serde_json::Value = serde_json::from_str(&log.to_json()).unwrap();
        assert_eq!(json["host_calls"][0]["function"], "pt_core.log");
        assert_eq!(json["dropped_events"], 1);
        assert_eq!(json["events"][1]["kind"], "denied");
    }
}
