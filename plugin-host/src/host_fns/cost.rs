//! What host work costs in fuel.
//!
//! One unit of fuel is about one wasm instruction, which wasmi runs in about a third of a
//! nanosecond natively. Host work is priced so that a second of host time costs about as much fuel
//! as a second of plain wasm: every call pays [`CALL`] for its overhead, plus a price per KiB of
//! what it copies, decodes, parses or stores, and [`AUDIT_EVENT`] per event it records. The
//! prices are measured, not guessed: `cargo bench -p plugin-host --bench host_costs` prints host
//! seconds per G fuel for every host function in a tight loop on the 179k-node registry next to a
//! plain loop, and the worst ratio is reported in TESTING.md.

/// Fuel every host call pays for crossing the boundary, counting itself and checking its ranges.
pub(crate) const CALL: u64 = 64;
/// Fuel per audit event a call records (formatting and storing the detail).
pub(crate) const AUDIT_EVENT: u64 = 1_500;
/// Fuel per file a folder write creates (the map entry and its bookkeeping).
pub(crate) const NEW_FILE: u64 = 512;
/// Fuel per record a call keeps in its output (a finding, file, metric column, overlay, log line
/// or label): the allocation, and its share of growing the list that holds it.
pub(crate) const RECORD: u64 = 512;

/// Plain copies between plugin memory and host buffers.
const COPY_PER_KIB: u64 = 512;
/// Text taken as (lossy) UTF-8 into a host string.
const TEXT_PER_KIB: u64 = 1_536;
/// Fixed-size records decoded and checked one by one (positions, styles, node ids, metrics).
const DECODE_PER_KIB: u64 = 3_072;
/// JSON parsed into typed values (overlays).
const JSON_PER_KIB: u64 = 12_288;

fn per_kib(bytes: usize, rate: u64) -> u64 {
    (bytes as u64).saturating_mul(rate) / 1024
}

/// Copying `bytes`.
pub(crate) fn copy(bytes: usize) -> u64 {
    per_kib(bytes, COPY_PER_KIB)
}

/// Taking `bytes` as text.
pub(crate) fn text(bytes: usize) -> u64 {
    per_kib(bytes, TEXT_PER_KIB)
}

/// Decoding and checking `bytes` of records.
pub(crate) fn decode(bytes: usize) -> u64 {
    per_kib(bytes, DECODE_PER_KIB)
}

/// Parsing `bytes` of JSON.
pub(crate) fn json(bytes: usize) -> u64 {
    per_kib(bytes, JSON_PER_KIB)
}
