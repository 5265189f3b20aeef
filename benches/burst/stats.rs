//! Latency percentiles and request-rate windows.

use std::fmt;
use std::time::{Duration, Instant};

/// p50, p99 and max of a set of durations (nearest-rank percentiles).
#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Percentiles {
    pub fn of(samples: &[Duration]) -> Percentiles {
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        let rank = |p: f64| -> Duration {
            if sorted.is_empty() {
                return Duration::ZERO;
            }
            // Nearest rank: the smallest sample with at least p% of samples at or below it.
            let index = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
            sorted[index.clamp(1, sorted.len()) - 1]
        };
        Percentiles {
            p50: rank(50.0),
            p99: rank(99.0),
            max: sorted.last().copied().unwrap_or_default(),
        }
    }
}

impl fmt::Display for Percentiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {} / {}", ms(self.p50), ms(self.p99), ms(self.max))
    }
}

/// A duration in milliseconds, with a precision that suits its size.
pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// The most arrivals in any half-open window `[t, t + window)`.
///
/// `arrivals` must be sorted. Two pointers: for each arrival as the window's
/// start, count the arrivals before `start + window`.
pub fn max_in_window(arrivals: &[Instant], window: Duration) -> usize {
    let mut best = 0;
    let mut end = 0;
    for (start, &at) in arrivals.iter().enumerate() {
        end = end.max(start);
        while end < arrivals.len() && arrivals[end] < at + window {
            end += 1;
        }
        best = best.max(end - start);
    }
    best
}

/// Requests per second between the first and the last arrival ((n − 1) / span).
pub fn sustained_rate(arrivals: &[Instant]) -> f64 {
    match (arrivals.first(), arrivals.last()) {
        (Some(first), Some(last)) if arrivals.len() > 1 && last > first => {
            (arrivals.len() - 1) as f64 / (*last - *first).as_secs_f64()
        }
        _ => 0.0,
    }
}
