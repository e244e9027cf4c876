//! p50/p95 timing for the figures tables of the native benches (shared with plugin-host's bench).

use std::time::{Duration, Instant};

/// p50 and p95 of `samples`, in milliseconds.
pub fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.95))
}

/// Runs `f(0..n)` and returns p50 and p95 of its durations, in milliseconds.
pub fn time_n(n: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let samples = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    percentiles(samples)
}
