//! The one global outbound limiter: at most `NEXUDUS_MAX_CONCURRENCY` calls in
//! flight and `NEXUDUS_MAX_RPS` requests per second, across the whole process.
//!
//! Nexudus throttles with 409s at roughly 120 requests/minute; staying under
//! that ourselves is cheaper than being throttled.

use std::num::{NonZeroU32, NonZeroUsize};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{Semaphore, SemaphorePermit};

use super::error::{NexudusError, UnavailableReason};

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
            // A burst of 1: requests leave at least `1 / max_rps` s apart, so no
            // 1 s window ever holds more than `max_rps` of them and a minute at
            // the default 2/s holds 120, Nexudus's documented ceiling. A burst of
            // `max_rps` would let an idle bot send a pair at once, and a window
            // straddling it 3, which over a minute adds up to 121.
            rate: RateLimiter::direct(Quota::per_second(max_rps).allow_burst(NonZeroU32::MIN)),
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
