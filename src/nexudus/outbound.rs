//! The one global outbound limiter: at most `NEXUDUS_MAX_CONCURRENCY` calls in
//! flight and `NEXUDUS_MAX_RPS` requests per second, across the whole process.
//!
//! Nexudus throttles with 409s at roughly 120 requests/minute; staying under
//! that ourselves is cheaper than being throttled.

use std::num::{NonZeroU32, NonZeroUsize};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{Semaphore, SemaphorePermit};

use super::error::{NexudusError, UnavailableReason};

/// How much longer than `1 / max_rps` requests are spaced. Nexudus counts
/// arrivals: exactly `1 / max_rps` apart, a request that reaches it late (a
/// busy runtime, a slow connect) lets the next ones catch up, and a burst
/// bench once saw 3 arrivals inside one second at 2/s. With 5 % more, a
/// request can be 50 ms late, at any rate, before that happens.
const SPACING_HEADROOM: f64 = 1.05;

/// A burst of 1: requests leave at least `SPACING_HEADROOM / max_rps` s apart,
/// so no 1 s window holds more than `max_rps` of them and a minute at the
/// default 2/s holds 114, under Nexudus's documented 120. A burst of `max_rps`
/// would let an idle bot send a pair at once, and a window straddling it 3.
fn quota(max_rps: NonZeroU32) -> Quota {
    let spacing = Duration::from_secs(1).mul_f64(SPACING_HEADROOM) / max_rps.get();
    // `None` only for a zero period, which only a rate in the billions gives.
    Quota::with_period(spacing)
        .unwrap_or_else(|| Quota::per_second(max_rps))
        .allow_burst(NonZeroU32::MIN)
}

/// Shared by every clone of the client.
#[derive(Debug)]
pub(crate) struct Outbound {
    slots: Semaphore,
    rate: DefaultDirectRateLimiter,
}

impl Outbound {
    pub fn new(max_concurrency: NonZeroUsize, max_rps: NonZeroU32) -> Self {
        Outbound {
            // `Semaphore::new` panics above MAX_PERMITS; no real setting gets near it.
            slots: Semaphore::new(max_concurrency.get().min(Semaphore::MAX_PERMITS)),
            rate: RateLimiter::direct(quota(max_rps)),
        }
    }

    /// Waits for a concurrency slot, then for the rate limiter, and returns the
    /// slot: hold it for the whole HTTP exchange (body included).
    ///
    /// The slot is taken first so that a request is sent right after its rate
    /// token is granted; the other order would let requests that got a token
    /// while all slots were busy go out in a burst when slots free up.
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, NexudusError> {
        let slot = self
            .slots
            .acquire()
            .await
            .map_err(|_closed| NexudusError::unavailable(UnavailableReason::ShuttingDown))?;
        self.rate.until_ready().await;
        Ok(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_spaced_with_room_for_a_late_arrival_at_any_rate() {
        for rps in [1, 2, 10, 100] {
            let quota = quota(NonZeroU32::new(rps).unwrap());
            // `rps + 1` requests in a row span `rps` intervals: a second plus
            // 50 ms at least, so the first may arrive 50 ms late.
            let span = quota.replenish_interval() * rps;
            assert!(span >= Duration::from_millis(1050), "{rps}/s: {span:?}");
            assert_eq!(quota.burst_size().get(), 1);
        }
    }
}
