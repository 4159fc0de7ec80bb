//! Repeated runs and medians with `std::time::Instant`.
//!
//! Every figure the workloads report is a median: of `samples` timings, each of which times
//! `inner` back-to-back calls and divides (so a 3 µs operation is timed over enough calls for
//! the clock's resolution not to matter). Warm-up runs come first and are discarded.

use std::time::Instant;

use crate::Res;

/// How many times to measure.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub warmup: usize,
    pub samples: usize,
    pub inner: usize,
}

impl Plan {
    pub const fn new(warmup: usize, samples: usize, inner: usize) -> Self {
        Self {
            warmup,
            samples,
            inner,
        }
    }
}

/// The median of `v` (NaN when empty).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Median time of one call of `f`, in nanoseconds.
pub fn median_ns(plan: Plan, mut f: impl FnMut() -> Res<()>) -> Res<f64> {
    for _ in 0..plan.warmup {
        f()?;
    }
    let inner = plan.inner.max(1);
    let mut v = Vec::with_capacity(plan.samples);
    for _ in 0..plan.samples.max(1) {
        let t = Instant::now();
        for _ in 0..inner {
            f()?;
        }
        v.push(t.elapsed().as_secs_f64() * 1e9 / inner as f64);
    }
    Ok(median(v))
}

/// Median times (ns per call) of several operations measured in alternation: every round
/// times `inner` calls of each operation in turn, the order rotating from round to round. On a
/// shared, noisy machine (other builds, frequency changes) the noise then hits every operation
/// alike, so the ratios between the medians are stable even when the medians drift.
pub fn medians_interleaved(plan: Plan, ops: &mut [&mut dyn FnMut() -> Res<()>]) -> Res<Vec<f64>> {
    for _ in 0..plan.warmup {
        for op in ops.iter_mut() {
            op()?;
        }
    }
    let (k, inner) = (ops.len(), plan.inner.max(1));
    let mut times = vec![Vec::with_capacity(plan.samples); k];
    for round in 0..plan.samples.max(1) {
        for j in 0..k {
            let i = (round + j) % k;
            let t = Instant::now();
            for _ in 0..inner {
                ops[i]()?;
            }
            times[i].push(t.elapsed().as_secs_f64() * 1e9 / inner as f64);
        }
    }
    Ok(times.into_iter().map(median).collect())
}

/// Median time of `run`, in nanoseconds, where each sample needs a fresh, untimed `setup`
/// (e.g. an empty database for an insert).
pub fn median_ns_with_setup<S>(
    plan: Plan,
    mut setup: impl FnMut() -> Res<S>,
    mut run: impl FnMut(&mut S) -> Res<()>,
) -> Res<f64> {
    let mut v = Vec::with_capacity(plan.samples);
    for i in 0..plan.warmup + plan.samples.max(1) {
        let mut s = setup()?;
        let t = Instant::now();
        run(&mut s)?;
        let e = t.elapsed().as_secs_f64() * 1e9;
        drop(s);
        if i >= plan.warmup {
            v.push(e);
        }
    }
    Ok(median(v))
}

pub fn ns_to_us(ns: f64) -> f64 {
    ns / 1e3
}

pub fn ns_to_ms(ns: f64) -> f64 {
    ns / 1e6
}

/// Rounds for printing: 3 significant decimals are plenty for medians of noisy timings.
pub fn round3(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let m = if x.abs() >= 100.0 {
        10.0
    } else if x.abs() >= 1.0 {
        1000.0
    } else {
        100_000.0
    };
    (x * m).round() / m
}
