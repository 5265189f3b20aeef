//! The one global outbound limiter, across the whole process: at most
//! `NEXUDUS_MAX_CONCURRENCY` calls in flight and `NEXUDUS_MAX_PER_HOUR`
//! requests in any rolling hour. The per-second pace (`NEXUDUS_MAX_RPS`) is
//! the [`Line`](super::line::Line)'s, one call per [`spacing`].
//!
//! Nexudus throttles at roughly 120 requests/minute and 5 000/hour; staying
//! under that ourselves is cheaper than being throttled. The hourly limit
//! fails at once, since waiting up to an hour helps nobody, and says when a
//! request may go again.

use std::collections::VecDeque;
use std::num::{NonZeroU32, NonZeroUsize};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

use super::error::{NexudusError, UnavailableReason};

/// How much longer than `1 / max_rps` requests are spaced. Nexudus counts
/// arrivals: exactly `1 / max_rps` apart, a request that reaches it late (a
/// busy runtime, a slow connect) lets the next ones catch up, and a burst
/// bench once saw 3 arrivals inside one second at 2/s. With 5 % more, a
/// request can be 50 ms late, at any rate, before that happens.
const SPACING_HEADROOM: f64 = 1.05;

/// How far apart requests leave at `max_rps`: `SPACING_HEADROOM / max_rps` s,
/// so no 1 s window holds more than `max_rps` of them and a minute at the
/// default 2/s holds 114, under Nexudus's documented 120.
pub(crate) fn spacing(max_rps: NonZeroU32) -> Duration {
    Duration::from_secs(1).mul_f64(SPACING_HEADROOM) / max_rps.get()
}

/// The hourly budget, seen from outside: for `/admin stats` and `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourlyBudget {
    /// `NEXUDUS_MAX_PER_HOUR`.
    pub limit: u32,
    /// Requests that may still leave before the oldest of the last hour expire.
    pub left: u32,
    /// When the oldest request of the last hour stops counting (a request
    /// frees up then); `None` when none was sent in the last hour.
    pub next_refill: Option<SystemTime>,
}

/// Shared by every clone of the client.
#[derive(Debug)]
pub(crate) struct Outbound {
    slots: Semaphore,
    hourly: HourWindow,
}

impl Outbound {
    pub fn new(max_concurrency: NonZeroUsize, max_per_hour: NonZeroU32) -> Self {
        Outbound {
            // `Semaphore::new` panics above MAX_PERMITS; no real setting gets near it.
            slots: Semaphore::new(max_concurrency.get().min(Semaphore::MAX_PERMITS)),
            hourly: HourWindow::new(max_per_hour),
        }
    }

    /// Waits for a concurrency slot, takes one request of the hourly budget,
    /// and returns the slot: hold it for the whole HTTP exchange (body
    /// included). Call it once the line gave the request its turn.
    ///
    /// A spent hourly budget is [`NexudusError::HourlyBudgetSpent`], before
    /// any wait when it is already spent on arrival.
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, NexudusError> {
        self.hourly.ensure_left(Instant::now())?;
        let slot = self
            .slots
            .acquire()
            .await
            .map_err(|_closed| NexudusError::unavailable(UnavailableReason::ShuttingDown))?;
        self.hourly.take(Instant::now())?;
        Ok(slot)
    }

    pub fn hourly_budget(&self) -> HourlyBudget {
        self.hourly.snapshot(Instant::now())
    }

    /// [`NexudusError::HourlyBudgetSpent`] when no request may leave now.
    pub fn ensure_hourly_left(&self) -> Result<(), NexudusError> {
        self.hourly.ensure_left(Instant::now())
    }
}

/// Width of one slice of the hourly window. Requests are counted per slice,
/// so memory stays at most 361 counters whatever the limit; the price is
/// that a request counts up to one slice longer than an hour.
const SLICE: Duration = Duration::from_secs(10);
const SLICES_PER_HOUR: u64 = 360;

/// At most `limit` requests in any rolling hour.
///
/// A request sent in slice `s` (covering `[s, s+1)` slices since `origin`)
/// is certainly more than an hour old once the current slice is `s + 361`,
/// and only then stops counting: conservative by at most two slices.
#[derive(Debug)]
struct HourWindow {
    limit: u32,
    origin: Instant,
    state: Mutex<Slices>,
}

#[derive(Debug, Default)]
struct Slices {
    /// `(slice index, requests sent in it)`, oldest first, non-empty slices only.
    counts: VecDeque<(u64, u32)>,
    used: u32,
}

impl HourWindow {
    fn new(limit: NonZeroU32) -> Self {
        HourWindow {
            limit: limit.get(),
            origin: Instant::now(),
            state: Mutex::new(Slices::default()),
        }
    }

    fn slice_of(&self, now: Instant) -> u64 {
        now.saturating_duration_since(self.origin).as_secs() / SLICE.as_secs()
    }

    /// When requests of slice `slice` stop counting.
    fn expiry_of(&self, slice: u64) -> Instant {
        let slices = u32::try_from(slice + SLICES_PER_HOUR + 1).unwrap_or(u32::MAX);
        self.origin + SLICE * slices
    }

    /// Runs `f` on the slices after dropping those older than an hour.
    fn with_current<T>(&self, now: Instant, f: impl FnOnce(&mut Slices, u64) -> T) -> T {
        // A poisoned lock only means a panic elsewhere mid-update of two integers.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let current = self.slice_of(now);
        while let Some(&(slice, count)) = state.counts.front() {
            if slice + SLICES_PER_HOUR + 1 > current {
                break;
            }
            state.counts.pop_front();
            state.used = state.used.saturating_sub(count);
        }
        f(&mut state, current)
    }

    fn spent(&self, state: &Slices, now: Instant) -> Option<NexudusError> {
        if state.used < self.limit {
            return None;
        }
        let refill = state
            .counts
            .front()
            .map_or(now, |&(slice, _)| self.expiry_of(slice));
        Some(NexudusError::HourlyBudgetSpent {
            retry_at: wall_clock(refill, now),
        })
    }

    fn ensure_left(&self, now: Instant) -> Result<(), NexudusError> {
        self.with_current(now, |state, _| self.spent(state, now).map_or(Ok(()), Err))
    }

    fn take(&self, now: Instant) -> Result<(), NexudusError> {
        self.with_current(now, |state, current| {
            if let Some(spent) = self.spent(state, now) {
                return Err(spent);
            }
            match state.counts.back_mut() {
                Some((slice, count)) if *slice == current => *count += 1,
                _ => state.counts.push_back((current, 1)),
            }
            state.used += 1;
            Ok(())
        })
    }

    fn snapshot(&self, now: Instant) -> HourlyBudget {
        self.with_current(now, |state, _| HourlyBudget {
            limit: self.limit,
            left: self.limit.saturating_sub(state.used),
            next_refill: state
                .counts
                .front()
                .map(|&(slice, _)| wall_clock(self.expiry_of(slice), now)),
        })
    }
}

/// The wall-clock time of a monotonic instant, for telling people.
fn wall_clock(at: Instant, now: Instant) -> SystemTime {
    SystemTime::now() + at.saturating_duration_since(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_spaced_with_room_for_a_late_arrival_at_any_rate() {
        for rps in [1, 2, 10, 100] {
            // `rps + 1` requests in a row span `rps` intervals: a second plus
            // 50 ms at least, so the first may arrive 50 ms late.
            let span = spacing(NonZeroU32::new(rps).unwrap()) * rps;
            assert!(span >= Duration::from_millis(1050), "{rps}/s: {span:?}");
        }
    }

    fn window(limit: u32) -> HourWindow {
        HourWindow::new(NonZeroU32::new(limit).unwrap())
    }

    /// `secs` after the window was made: the window takes the time as given.
    fn at(hour: &HourWindow, secs: u64) -> Instant {
        hour.origin + Duration::from_secs(secs)
    }

    #[test]
    fn the_hourly_budget_refuses_the_request_over_the_limit_and_says_when_it_refills() {
        let hour = window(3);
        for minute in 0..3 {
            hour.take(at(&hour, minute * 60)).unwrap();
        }
        let before = SystemTime::now();

        let refused = hour.take(at(&hour, 180)).unwrap_err();

        let NexudusError::HourlyBudgetSpent { retry_at } = refused else {
            panic!("{refused:?}");
        };
        // The first request left 3 minutes earlier: it frees up about 57
        // minutes later (never earlier than an hour after it was sent).
        let wait = retry_at.duration_since(before).unwrap();
        assert!(wait >= Duration::from_secs(57 * 60), "{wait:?}");
        assert!(wait <= Duration::from_secs(58 * 60), "{wait:?}");
        assert_eq!(hour.snapshot(at(&hour, 180)).left, 0);
        assert!(hour.ensure_left(at(&hour, 180)).is_err());
    }

    #[test]
    fn requests_older_than_an_hour_stop_counting() {
        let hour = window(2);
        hour.take(at(&hour, 0)).unwrap();
        hour.take(at(&hour, 1800)).unwrap();
        assert!(hour.ensure_left(at(&hour, 3599)).is_err());

        // An hour after the first, with one slice or two of margin.
        let later = at(&hour, 3600 + 20);

        assert_eq!(hour.snapshot(later).left, 1);
        hour.take(later).unwrap();
        assert!(hour.take(later).is_err());
    }

    #[test]
    fn no_rolling_hour_ever_holds_more_than_the_limit() {
        let limit = 50;
        let hour = window(limit);
        // Try every 7 s for 5 hours: far more often than the budget allows.
        let sent: Vec<u64> = (0..5 * 3600 / 7)
            .map(|i| i * 7)
            .filter(|&secs| hour.take(at(&hour, secs)).is_ok())
            .collect();
        for (i, first) in sent.iter().enumerate() {
            let within = sent[i..].iter().take_while(|&&t| t - first < 3600).count();
            assert!(within <= limit as usize, "{within} in the hour from #{i}");
        }
        // And the budget is used, not starved: about `limit` per hour.
        assert!(sent.len() >= 4 * limit as usize, "only {} sent", sent.len());
    }

    #[test]
    fn the_budget_left_counts_down_and_names_the_next_refill() {
        let hour = window(10);
        assert_eq!(
            hour.snapshot(at(&hour, 0)),
            HourlyBudget {
                limit: 10,
                left: 10,
                next_refill: None
            }
        );
        for _ in 0..4 {
            hour.take(at(&hour, 5)).unwrap();
        }
        let budget = hour.snapshot(at(&hour, 5));
        assert_eq!(budget.left, 6);
        assert!(budget.next_refill.is_some_and(|at| at > SystemTime::now()));
    }
}
