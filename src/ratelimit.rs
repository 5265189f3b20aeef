//! Per-member rate limits, kept in memory in a [`DashMap`].
//!
//! Each key (a Discord user, or a normalised email) has a *sliding-window log*:
//! the instants of its last allowed requests, at most `count` of them. A request
//! is allowed when fewer than `count` logged hits are younger than `period`, so
//! **no half-open window `[t, t + period)` ever holds more than `count` allowed
//! requests**. A GCRA/token bucket (what `governor` implements) cannot promise
//! that: with a burst of 3 per 10 minutes it lets 3 through at once and another
//! one 200 s later, which members would rightly read as "the limit is not 3/10m".
//!
//! Every method has an `*_at(now)` twin taking the current instant, so tests
//! drive a synthetic clock instead of sleeping. Idle keys are evicted by
//! [`KeyedLimiter::sweep`] (run periodically by [`MemberLimits::spawn_sweeper`]),
//! which keeps memory bounded under churn.
//!
//! A key's whole state lives inside the map's table: emails are kept as a keyed
//! hash, and the log of the usual small counts in the entry itself. The tables
//! are large blocks the allocator maps and unmaps whole; small blocks that
//! outlive the request creating them would instead pin the request's freed
//! buffers between them (docs/performance.md, "Memory").

use std::hash::{BuildHasher, Hash, RandomState};
use std::num::NonZeroU64;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use dashmap::DashMap;
use dashmap::mapref::entry::Entry;

use crate::email::normalize_email;

pub use self::settings::{Limit, MAX_LIMIT_COUNT, RateLimitSettings, span_secs};

/// The limits as configured (`RATE_LIMIT_*`): what they are and how they read.
mod settings {
    use std::fmt;
    use std::num::NonZeroU32;
    use std::time::Duration;

    /// The per-member limits, one per command family.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct RateLimitSettings {
        pub login: Limit,
        pub reset: Limit,
        pub link: Limit,
    }

    /// At most `count` requests in any window of `period`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Limit {
        pub count: NonZeroU32,
        pub period: Duration,
    }

    /// The largest COUNT of a rate limit. The limiter keeps the instants of the
    /// last COUNT requests of every key (8 bytes each): a COUNT in the billions
    /// would try to allocate gigabytes at the first request and abort the bot.
    pub const MAX_LIMIT_COUNT: u32 = 1_000;

    impl std::str::FromStr for Limit {
        type Err = String;

        /// Parses `COUNT/PERIOD`, e.g. `3/10m`; the period unit is `s`, `m`, `h` or `d`.
        fn from_str(s: &str) -> Result<Limit, String> {
            let bad = || format!("`{s}` is not COUNT/PERIOD (e.g. 3/10m; units s, m, h, d)");
            let (count, period) = s.trim().split_once('/').ok_or_else(bad)?;
            let count: u32 = count.trim().parse().map_err(|_| bad())?;
            let count =
                NonZeroU32::new(count).ok_or_else(|| format!("`{s}`: COUNT must be at least 1"))?;
            if count.get() > MAX_LIMIT_COUNT {
                return Err(format!("`{s}`: COUNT must be at most {MAX_LIMIT_COUNT}"));
            }
            let secs = span_secs(period).ok_or_else(bad)?;
            let secs = Some(secs)
                .filter(|secs| (1..=366 * 86_400).contains(secs))
                .ok_or_else(|| format!("`{s}`: PERIOD must be between 1s and 366d"))?;
            Ok(Limit {
                count,
                period: Duration::from_secs(secs),
            })
        }
    }

    /// Seconds in a span such as `10m`, `1h` or `h` (one hour); units `s`,
    /// `m`, `h` and `d`. `None` for anything else or an overflow.
    pub fn span_secs(span: &str) -> Option<u64> {
        let span = span.trim();
        let split = span.len().checked_sub(1)?;
        let (amount, unit) = (span.get(..split)?, span.get(split..)?);
        let amount: u64 = if amount.is_empty() {
            1 // `3/h` reads naturally as three per hour
        } else {
            amount.parse().ok()?
        };
        let unit_secs = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            _ => return None,
        };
        amount.checked_mul(unit_secs)
    }

    impl fmt::Display for Limit {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let secs = self.period.as_secs();
            let (amount, unit) = match secs {
                s if s % 86_400 == 0 => (s / 86_400, "d"),
                s if s % 3_600 == 0 => (s / 3_600, "h"),
                s if s % 60 == 0 => (s / 60, "m"),
                s => (s, "s"),
            };
            write!(f, "{}/{amount}{unit}", self.count)
        }
    }
}

/// The answer to "may this request go ahead?". An allowed request carries
/// what gives it back ([`KeyedLimiter::refund`]): its [`Hit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<T = Hit> {
    Allowed(T),
    /// Over the limit; a request will be allowed again after `retry_after`
    /// (always more than zero).
    Refused {
        retry_after: Duration,
    },
}

impl<T> Decision<T> {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }
}

/// One allowed request of a key, to give back that very request with
/// [`KeyedLimiter::refund`] and not another one logged since. Not `Clone`: a
/// request is given back at most once.
#[derive(Debug, PartialEq, Eq)]
pub struct Hit(Stamp);

/// An instant as nanoseconds since the limiter's creation, plus one (so that
/// an empty slot, `None`, costs no space): 8 bytes instead of 16, which halves
/// the map's entries. Instants before the creation count as the creation.
type Stamp = NonZeroU64;

/// A key's usage, for `/admin limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitState {
    /// Allowed requests still inside the window.
    pub used: u32,
    /// Requests the key may still make right now.
    pub remaining: u32,
    pub limit: Limit,
    /// When the oldest counted request leaves the window and frees a slot;
    /// `None` when nothing is counted. With `remaining == 0` this equals the
    /// `retry_after` a request would be refused with.
    pub next_slot_in: Option<Duration>,
}

/// Logs of up to this many hits are kept in the map entry itself, which is
/// then 40 bytes with a `u64` key: the default login and reset limits count 3.
/// Larger ones (`/link`'s 5) get a block of their own; few members link.
const INLINE_HITS: usize = 3;

// Keep map entries small: they are all a tracked key costs.
const _: () = assert!(std::mem::size_of::<Window>() == 32);

/// The log of one key: its last `count` allowed stamps, oldest first (`None`:
/// slot not used yet). Older hits can no longer matter.
#[derive(Debug)]
enum Window {
    /// The first `count` slots are used.
    Inline([Option<Stamp>; INLINE_HITS]),
    Boxed(Box<[Option<Stamp>]>),
}

impl Window {
    fn new(slots: usize) -> Self {
        if slots <= INLINE_HITS {
            Window::Inline([None; INLINE_HITS])
        } else {
            Window::Boxed(vec![None; slots].into_boxed_slice())
        }
    }

    fn hits(&self, slots: usize) -> &[Option<Stamp>] {
        match self {
            Window::Inline(hits) => &hits[..slots.min(INLINE_HITS)],
            Window::Boxed(hits) => hits,
        }
    }

    fn hits_mut(&mut self, slots: usize) -> &mut [Option<Stamp>] {
        match self {
            Window::Inline(hits) => &mut hits[..slots.min(INLINE_HITS)],
            Window::Boxed(hits) => hits,
        }
    }
}

/// How a limiter reads and writes its windows: its limit and its clock's origin.
#[derive(Debug, Clone, Copy)]
struct Rules {
    limit: Limit,
    slots: usize,
    epoch: Instant,
}

impl Rules {
    fn new(limit: Limit) -> Self {
        Self {
            limit,
            slots: usize::try_from(limit.count.get()).unwrap_or(usize::MAX),
            epoch: Instant::now(),
        }
    }

    fn stamp(&self, at: Instant) -> Stamp {
        let nanos = u64::try_from(at.saturating_duration_since(self.epoch).as_nanos())
            .unwrap_or(u64::MAX - 1);
        NonZeroU64::MIN.saturating_add(nanos)
    }

    /// How long ago `hit` was at `now`; zero for a hit "from the future" (a
    /// racing caller's earlier `now`), which therefore still counts.
    fn age(&self, hit: Stamp, now: Instant) -> Duration {
        Duration::from_nanos(self.stamp(now).get().saturating_sub(hit.get()))
    }

    fn is_live(&self, hit: Stamp, now: Instant) -> bool {
        self.age(hit, now) < self.limit.period
    }

    fn state(&self, window: &Window, now: Instant) -> LimitState {
        let limit = self.limit;
        let mut live = window
            .hits(self.slots)
            .iter()
            .flatten()
            .filter(|&&hit| self.is_live(hit, now));
        let oldest = live.next().copied();
        let used = oldest.map_or(0, |_| 1 + live.count());
        // At most `count` slots, so at most `count` used.
        let used = u32::try_from(used)
            .unwrap_or(u32::MAX)
            .min(limit.count.get());
        LimitState {
            used,
            remaining: limit.count.get() - used,
            limit,
            next_slot_in: oldest.map(|hit| limit.period.saturating_sub(self.age(hit, now))),
        }
    }

    /// Sorted slots make this one look: when the oldest of the last `count`
    /// hits still counts, all `count` do.
    fn decide(&self, window: &Window, now: Instant) -> Decision<()> {
        match window.hits(self.slots).first() {
            Some(&Some(oldest)) if self.is_live(oldest, now) => Decision::Refused {
                retry_after: self.limit.period.saturating_sub(self.age(oldest, now)),
            },
            _ => Decision::Allowed(()),
        }
    }

    /// Logs an allowed request, dropping the oldest slot.
    fn record(&self, window: &mut Window, now: Instant) -> Hit {
        let hits = window.hits_mut(self.slots);
        // Keep the slots sorted: a racing caller may bring a `now` slightly
        // older than the newest hit. Logging the later instant errs on the strict side.
        let newest = hits.last().copied().flatten();
        let at = newest.map_or(self.stamp(now), |newest| newest.max(self.stamp(now)));
        hits.rotate_left(1);
        if let Some(slot) = hits.last_mut() {
            *slot = Some(at);
        }
        Hit(at)
    }

    /// Removes `hit` from the log. The slot pushed out by each hit logged
    /// after it no longer counted then (or that request would have been
    /// refused), so an empty slot in front stands in for it exactly. Hits with
    /// equal stamps are interchangeable: removing either leaves the same log.
    fn unrecord(&self, window: &mut Window, Hit(hit): Hit) -> bool {
        let hits = window.hits_mut(self.slots);
        let Some(at) = hits.iter().rposition(|&slot| slot == Some(hit)) else {
            return false; // pushed out already: it no longer counted
        };
        hits[..=at].rotate_right(1);
        hits[0] = None;
        true
    }

    /// Whether no hit counts any more (the key can be evicted).
    fn is_idle(&self, window: &Window, now: Instant) -> bool {
        match window.hits(self.slots).last() {
            Some(&Some(newest)) => !self.is_live(newest, now),
            _ => true,
        }
    }
}

/// Under this capacity the map is never shrunk: not worth the reallocation.
const SHRINK_MIN_CAPACITY: usize = 1024;

/// "At most `count` requests in any window of `period`", per key.
///
/// Keys should be cheap to clone (`u64`): every check clones the key once to
/// lock its entry.
#[derive(Debug)]
pub struct KeyedLimiter<K: Eq + Hash + Clone> {
    rules: Rules,
    windows: DashMap<K, Window>,
}

impl<K: Eq + Hash + Clone> KeyedLimiter<K> {
    pub fn new(limit: Limit) -> Self {
        Self {
            rules: Rules::new(limit),
            windows: DashMap::new(),
        }
    }

    pub fn limit(&self) -> Limit {
        self.rules.limit
    }

    /// Decides and, when allowed, records the request, atomically per key:
    /// concurrent checks of one key never let more than `count` through.
    /// A refusal records nothing.
    pub fn check(&self, key: &K) -> Decision {
        self.check_at(key, Instant::now())
    }

    /// [`check`](Self::check) at a given instant.
    pub fn check_at(&self, key: &K, now: Instant) -> Decision {
        let entry = self.lock(key);
        match self.decide(&entry, now) {
            Decision::Allowed(()) => Decision::Allowed(self.record(entry, now)),
            Decision::Refused { retry_after } => Decision::Refused { retry_after },
        }
    }

    /// What [`check`](Self::check) would answer, without recording anything.
    /// Only a hint under concurrency; use [`MemberLimits::check_reset`] to
    /// commit two limits together.
    pub fn would_allow(&self, key: &K) -> Decision<()> {
        self.would_allow_at(key, Instant::now())
    }

    /// [`would_allow`](Self::would_allow) at a given instant.
    pub fn would_allow_at(&self, key: &K, now: Instant) -> Decision<()> {
        self.windows
            .get(key)
            .map_or(Decision::Allowed(()), |window| {
                self.rules.decide(&window, now)
            })
    }

    /// The key's usage, for display.
    pub fn state(&self, key: &K) -> LimitState {
        self.state_at(key, Instant::now())
    }

    /// [`state`](Self::state) at a given instant.
    pub fn state_at(&self, key: &K, now: Instant) -> LimitState {
        match self.windows.get(key) {
            Some(window) => self.rules.state(&window, now),
            None => LimitState {
                used: 0,
                remaining: self.rules.limit.count.get(),
                limit: self.rules.limit,
                next_slot_in: None,
            },
        }
    }

    /// Gives back the request `hit` ([`check`](Self::check)'s answer): it
    /// failed through no fault of the member (Nexudus down), so it should not
    /// cost them a try. Other requests of the key keep counting, even later
    /// ones. Returns whether the request still counted.
    pub fn refund(&self, key: &K, hit: Hit) -> bool {
        match self.windows.get_mut(key) {
            Some(mut window) => self.rules.unrecord(&mut window, hit),
            None => false,
        }
    }

    /// Forgets the key's history (a manager's `/admin limits clear`).
    /// Returns whether the key was tracked.
    pub fn clear(&self, key: &K) -> bool {
        self.windows.remove(key).is_some()
    }

    /// Evicts every key none of whose hits still count; returns how many.
    pub fn sweep(&self) -> usize {
        self.sweep_at(Instant::now())
    }

    /// [`sweep`](Self::sweep) at a given instant.
    ///
    /// Removing entries does not give a hash table's memory back, so after a
    /// sweep that leaves the map mostly empty (capacity over 4× the remaining
    /// keys, and over 1024 slots) the map is shrunk to fit: a burst
    /// of 100 000 one-off keys must not pin its peak memory forever. The 4×
    /// margin avoids reallocating on every sweep under steady churn.
    pub fn sweep_at(&self, now: Instant) -> usize {
        let mut removed = 0;
        self.windows.retain(|_, window| {
            let idle = self.rules.is_idle(window, now);
            removed += usize::from(idle);
            !idle
        });
        if removed > 0 {
            let capacity = self.windows.capacity();
            if capacity > SHRINK_MIN_CAPACITY && capacity > 4 * self.windows.len() {
                self.windows.shrink_to_fit();
            }
        }
        removed
    }

    /// Number of tracked keys (idle ones included until the next sweep).
    pub fn len(&self) -> usize {
        self.windows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// Locks the key's entry (its shard, really) until the entry is dropped.
    /// Never hold two entries of the same limiter at once: that can deadlock.
    fn lock(&self, key: &K) -> Entry<'_, K, Window> {
        self.windows.entry(key.clone())
    }

    fn decide(&self, entry: &Entry<'_, K, Window>, now: Instant) -> Decision<()> {
        match entry {
            Entry::Occupied(occupied) => self.rules.decide(occupied.get(), now),
            Entry::Vacant(_) => Decision::Allowed(()),
        }
    }

    fn record(&self, entry: Entry<'_, K, Window>, now: Instant) -> Hit {
        match entry {
            Entry::Occupied(mut occupied) => self.rules.record(occupied.get_mut(), now),
            Entry::Vacant(vacant) => {
                let mut window = Window::new(self.rules.slots);
                let hit = self.rules.record(&mut window, now);
                vacant.insert(window);
                hit
            }
        }
    }
}

/// The password-reset limit per target email. An email is kept as a keyed
/// hash of its normalised form ([`normalize_email`]): 8 bytes inside the map,
/// and no addresses in memory. Two emails sharing a hash would share a budget;
/// with 64 bits and a random key, that takes billions of emails.
#[derive(Debug)]
pub struct EmailLimiter {
    hasher: RandomState,
    limiter: KeyedLimiter<u64>,
}

impl EmailLimiter {
    fn new(limit: Limit) -> Self {
        Self {
            hasher: RandomState::new(),
            limiter: KeyedLimiter::new(limit),
        }
    }

    fn key(&self, email: &str) -> u64 {
        self.hasher.hash_one(normalize_email(email))
    }

    pub fn limit(&self) -> Limit {
        self.limiter.limit()
    }

    /// The email's usage, for display.
    pub fn state(&self, email: &str) -> LimitState {
        self.state_at(email, Instant::now())
    }

    /// [`state`](Self::state) at a given instant.
    pub fn state_at(&self, email: &str, now: Instant) -> LimitState {
        self.limiter.state_at(&self.key(email), now)
    }

    /// Forgets the email's history; returns whether it was tracked.
    pub fn clear(&self, email: &str) -> bool {
        self.limiter.clear(&self.key(email))
    }

    /// Number of tracked emails (idle ones included until the next sweep).
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }
}

/// What [`MemberLimits::refund_reset`] gives back: the reset's hit on the
/// email, and on the member who asked (a manager's reset has none).
#[derive(Debug, PartialEq, Eq)]
pub struct ResetHits {
    user: Option<(u64, Hit)>,
    email: (u64, Hit),
}

/// The member-facing limits (`RATE_LIMIT_*`), together.
#[derive(Debug)]
pub struct MemberLimits {
    /// `/login`, per Discord user.
    pub login: KeyedLimiter<u64>,
    /// `/reset-password`, per Discord user asking.
    pub reset_user: KeyedLimiter<u64>,
    /// Password resets per target email, whoever asks: protects inboxes.
    /// Managers' resets count here too.
    pub reset_email: EmailLimiter,
    /// `/link` attempts, per Discord user (password guessing).
    pub link: KeyedLimiter<u64>,
}

impl MemberLimits {
    pub fn new(settings: &RateLimitSettings) -> Self {
        Self {
            login: KeyedLimiter::new(settings.login),
            reset_user: KeyedLimiter::new(settings.reset),
            reset_email: EmailLimiter::new(settings.reset),
            link: KeyedLimiter::new(settings.link),
        }
    }

    /// A member's password reset: allowed only if both the member's and the
    /// email's limits allow it, and then recorded on both; otherwise nothing is
    /// recorded and the longer wait is returned.
    pub fn check_reset(&self, user: u64, email: &str) -> Decision<ResetHits> {
        self.check_reset_at(user, email, Instant::now())
    }

    /// [`check_reset`](Self::check_reset) at a given instant.
    pub fn check_reset_at(&self, user: u64, email: &str, now: Instant) -> Decision<ResetHits> {
        let by_email = &self.reset_email.limiter;
        let email = self.reset_email.key(email);
        // Both entries stay locked from decision to record, so two resets racing
        // on the same email cannot both slip in. Always user first, then email,
        // and no other code holds both: no lock-order deadlock.
        let user_entry = self.reset_user.lock(&user);
        let email_entry = by_email.lock(&email);
        match (
            self.reset_user.decide(&user_entry, now),
            by_email.decide(&email_entry, now),
        ) {
            (Decision::Allowed(()), Decision::Allowed(())) => Decision::Allowed(ResetHits {
                user: Some((user, self.reset_user.record(user_entry, now))),
                email: (email, by_email.record(email_entry, now)),
            }),
            (Decision::Refused { retry_after }, Decision::Allowed(()))
            | (Decision::Allowed(()), Decision::Refused { retry_after }) => {
                Decision::Refused { retry_after }
            }
            (Decision::Refused { retry_after: a }, Decision::Refused { retry_after: b }) => {
                Decision::Refused {
                    retry_after: a.max(b),
                }
            }
        }
    }

    /// A manager's reset of a member: counts on the target email only.
    pub fn check_reset_email(&self, email: &str) -> Decision<ResetHits> {
        self.check_reset_email_at(email, Instant::now())
    }

    /// [`check_reset_email`](Self::check_reset_email) at a given instant.
    pub fn check_reset_email_at(&self, email: &str, now: Instant) -> Decision<ResetHits> {
        let email = self.reset_email.key(email);
        match self.reset_email.limiter.check_at(&email, now) {
            Decision::Allowed(hit) => Decision::Allowed(ResetHits {
                user: None,
                email: (email, hit),
            }),
            Decision::Refused { retry_after } => Decision::Refused { retry_after },
        }
    }

    /// Gives back a reset allowed by [`check_reset`](Self::check_reset) or
    /// [`check_reset_email`](Self::check_reset_email): that reset only.
    pub fn refund_reset(&self, hits: ResetHits) {
        if let Some((user, hit)) = hits.user {
            self.reset_user.refund(&user, hit);
        }
        let (email, hit) = hits.email;
        self.reset_email.limiter.refund(&email, hit);
    }

    /// Sweeps every limiter; returns how many keys were evicted in total.
    pub fn sweep_all(&self) -> usize {
        self.sweep_all_at(Instant::now())
    }

    /// [`sweep_all`](Self::sweep_all) at a given instant.
    pub fn sweep_all_at(&self, now: Instant) -> usize {
        self.login.sweep_at(now)
            + self.reset_user.sweep_at(now)
            + self.reset_email.limiter.sweep_at(now)
            + self.link.sweep_at(now)
    }

    /// Starts one background task sweeping every `every` (at least 1 ms) and
    /// calling `after_sweep` with the number of keys evicted (the app gives
    /// freed memory back to the system when that is not zero).
    ///
    /// The task holds only a weak reference: it ends by itself once the limits
    /// are dropped, or when the handle is aborted. Must be called inside a
    /// Tokio runtime.
    pub fn spawn_sweeper(
        self: &Arc<Self>,
        every: Duration,
        after_sweep: impl Fn(usize) + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        let limits: Weak<Self> = Arc::downgrade(self);
        // `interval` panics on a zero period.
        let every = every.max(Duration::from_millis(1));
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await; // the first tick is immediate; nothing to sweep yet
            loop {
                ticks.tick().await;
                let Some(limits) = limits.upgrade() else {
                    break;
                };
                let evicted = limits.sweep_all();
                tracing::debug!(evicted, "rate-limit sweep");
                after_sweep(evicted);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;

    fn limit(count: u32, period_secs: u64) -> Limit {
        Limit {
            count: NonZeroU32::new(count).unwrap(),
            period: Duration::from_secs(period_secs),
        }
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    /// A tiny deterministic PRNG (xorshift64*), so the property test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn never_more_than_count_in_any_period_window_and_never_refuses_needlessly() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..200 {
            let count = 1 + rng.below(5) as u32;
            let period = Duration::from_millis(1 + rng.below(10_000));
            let limiter = KeyedLimiter::new(Limit {
                count: NonZeroU32::new(count).unwrap(),
                period,
            });
            let t0 = Instant::now();
            let mut now = t0;
            let mut allowed: Vec<Vec<Instant>> = vec![Vec::new(); 3];
            for _ in 0..300 {
                // Gaps from 0 (simultaneous) to about half a period.
                now += Duration::from_millis(rng.below(period.as_millis() as u64 / 2 + 1));
                let key = rng.below(3) as usize;
                let in_window = allowed[key]
                    .iter()
                    .filter(|&&hit| now.duration_since(hit) < period)
                    .count() as u32;
                match limiter.check_at(&key, now) {
                    Decision::Allowed(_) => {
                        assert!(in_window < count, "round {round}: allowed over the limit");
                        allowed[key].push(now);
                    }
                    Decision::Refused { retry_after } => {
                        assert_eq!(in_window, count, "round {round}: refused needlessly");
                        assert!(retry_after > Duration::ZERO && retry_after <= period);
                    }
                }
            }
            // Independently: every window [hit, hit + period) holds at most `count`.
            for hits in &allowed {
                for &start in hits {
                    let inside = hits
                        .iter()
                        .filter(|&&h| h >= start && h.duration_since(start) < period)
                        .count() as u32;
                    assert!(
                        inside <= count,
                        "round {round}: {inside} hits in one window"
                    );
                }
            }
        }
    }

    #[test]
    fn a_refusals_retry_after_is_exact() {
        let limiter = KeyedLimiter::new(limit(3, 600));
        let t0 = Instant::now();
        assert!(limiter.check_at(&1u64, t0).is_allowed());
        assert!(limiter.check_at(&1, t0 + secs(100)).is_allowed());
        assert!(limiter.check_at(&1, t0 + secs(200)).is_allowed());
        // The oldest hit (t0) frees its slot at t0 + 600 s.
        assert_eq!(
            limiter.check_at(&1, t0 + secs(250)),
            Decision::Refused {
                retry_after: secs(350)
            }
        );
        let just_before = t0 + secs(600) - Duration::from_nanos(1);
        assert_eq!(
            limiter.check_at(&1, just_before),
            Decision::Refused {
                retry_after: Duration::from_nanos(1)
            }
        );
        assert!(limiter.check_at(&1, t0 + secs(600)).is_allowed());
        // The next slot is the second hit's: t0 + 100 s + 600 s.
        assert_eq!(
            limiter.check_at(&1, t0 + secs(601)),
            Decision::Refused {
                retry_after: secs(99)
            }
        );
    }

    #[test]
    fn a_burst_does_not_reopen_before_the_period_ends_unlike_gcra() {
        let limiter = KeyedLimiter::new(limit(3, 600));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(&1u64, t0).is_allowed());
        }
        for at in [200, 400, 599] {
            assert!(!limiter.check_at(&1, t0 + secs(at)).is_allowed());
        }
        assert!(limiter.check_at(&1, t0 + secs(600)).is_allowed());
    }

    #[test]
    fn would_allow_answers_like_check_without_recording() {
        let limiter = KeyedLimiter::new(limit(1, 60));
        let t0 = Instant::now();
        assert_eq!(limiter.would_allow_at(&7u64, t0), Decision::Allowed(()));
        assert_eq!(limiter.would_allow_at(&7, t0), Decision::Allowed(()));
        assert!(limiter.is_empty());
        assert!(limiter.check_at(&7, t0).is_allowed());
        assert_eq!(
            limiter.would_allow_at(&7, t0 + secs(10)),
            Decision::Refused {
                retry_after: secs(50)
            }
        );
        assert_eq!(limiter.state_at(&7, t0 + secs(10)).used, 1);
    }

    #[test]
    fn state_reports_used_remaining_and_the_next_free_slot() {
        let limiter = KeyedLimiter::new(limit(3, 600));
        let t0 = Instant::now();
        let fresh = limiter.state_at(&1u64, t0);
        assert_eq!(
            (fresh.used, fresh.remaining, fresh.next_slot_in),
            (0, 3, None)
        );
        assert_eq!(fresh.limit, limit(3, 600));
        limiter.check_at(&1, t0);
        limiter.check_at(&1, t0 + secs(60));
        let state = limiter.state_at(&1, t0 + secs(120));
        assert_eq!(
            (state.used, state.remaining, state.next_slot_in),
            (2, 1, Some(secs(480)))
        );
        let later = limiter.state_at(&1, t0 + secs(630));
        assert_eq!(
            (later.used, later.remaining, later.next_slot_in),
            (1, 2, Some(secs(30)))
        );
    }

    #[test]
    fn clear_forgets_a_key_and_reports_whether_it_was_tracked() {
        let limiter = KeyedLimiter::new(limit(1, 600));
        let t0 = Instant::now();
        assert!(limiter.check_at(&1u64, t0).is_allowed());
        assert!(!limiter.check_at(&1, t0).is_allowed());
        assert!(limiter.clear(&1));
        assert!(!limiter.clear(&1));
        assert!(limiter.check_at(&1, t0).is_allowed());
    }

    #[test]
    fn sweep_evicts_idle_keys_and_keeps_active_ones() {
        let limiter = KeyedLimiter::new(limit(2, 60));
        let t0 = Instant::now();
        limiter.check_at(&1u64, t0);
        limiter.check_at(&2, t0);
        limiter.check_at(&2, t0 + secs(30));
        assert_eq!(limiter.sweep_at(t0 + secs(59)), 0);
        // Key 1's only hit has expired; key 2 still has one that counts.
        assert_eq!(limiter.sweep_at(t0 + secs(60)), 1);
        assert_eq!(limiter.len(), 1);
        assert_eq!(limiter.state_at(&2, t0 + secs(60)).used, 1);
        assert_eq!(limiter.sweep_at(t0 + secs(90)), 1);
        assert!(limiter.is_empty());
    }

    #[test]
    fn sweeping_100_000_idle_keys_empties_the_map_and_gives_its_memory_back() {
        let limiter = KeyedLimiter::new(limit(3, 600));
        let t0 = Instant::now();
        for key in 0..100_000u64 {
            limiter.check_at(&key, t0);
        }
        assert_eq!(limiter.len(), 100_000);
        let full_capacity = limiter.windows.capacity();
        assert!(full_capacity >= 100_000);
        assert_eq!(limiter.sweep_at(t0 + secs(600)), 100_000);
        assert_eq!(limiter.len(), 0);
        assert!(
            limiter.windows.capacity() < SHRINK_MIN_CAPACITY,
            "capacity stayed at {} after the sweep",
            limiter.windows.capacity()
        );
    }

    fn member_limits() -> MemberLimits {
        MemberLimits::new(&RateLimitSettings {
            login: limit(3, 600),
            reset: limit(3, 3600),
            link: limit(5, 3600),
        })
    }

    #[test]
    fn a_reset_is_refused_by_the_email_limit_across_different_users() {
        let limits = member_limits();
        let t0 = Instant::now();
        assert!(
            limits
                .check_reset_at(1, "member@example.com", t0)
                .is_allowed()
        );
        assert!(
            limits
                .check_reset_at(2, "  Member@Example.COM ", t0 + secs(1))
                .is_allowed()
        );
        // A manager's reset counts on the email too.
        assert!(
            limits
                .check_reset_email_at("MEMBER@example.com", t0 + secs(1))
                .is_allowed()
        );
        assert_eq!(
            limits.check_reset_at(3, "member@example.com", t0 + secs(2)),
            Decision::Refused {
                retry_after: secs(3598)
            }
        );
        // User 3 has not used their own budget on that refusal.
        assert_eq!(limits.reset_user.state_at(&3, t0 + secs(2)).used, 0);
    }

    #[test]
    fn check_reset_records_nothing_when_refused() {
        let limits = member_limits();
        let t0 = Instant::now();
        for n in 0..3 {
            let email = format!("inbox{n}@example.com");
            assert!(limits.check_reset_at(1, &email, t0).is_allowed());
        }
        // User 1 is out of resets: the fresh email must not be charged.
        assert!(
            !limits
                .check_reset_at(1, "fresh@example.com", t0 + secs(1))
                .is_allowed()
        );
        let fresh = normalize_email("fresh@example.com");
        assert_eq!(limits.reset_email.state_at(&fresh, t0 + secs(1)).used, 0);
        assert!(limits.reset_email.len() == 3, "no empty entry left behind");
        // And the longer of two refusals wins.
        for user in 2..5 {
            assert!(
                limits
                    .check_reset_at(user, "shared@example.com", t0 + secs(100))
                    .is_allowed()
            );
        }
        assert_eq!(
            limits.check_reset_at(1, "shared@example.com", t0 + secs(200)),
            Decision::Refused {
                retry_after: secs(3500)
            }
        );
    }

    #[test]
    fn concurrent_checks_of_one_key_never_exceed_the_count() {
        let limiter = Arc::new(KeyedLimiter::new(limit(5, 3600)));
        let allowed: usize = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    let limiter = Arc::clone(&limiter);
                    scope.spawn(move || {
                        (0..1000)
                            .filter(|_| limiter.check(&1u64).is_allowed())
                            .count()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        });
        assert_eq!(allowed, 5);
    }

    fn allowed<T: std::fmt::Debug>(decision: Decision<T>) -> T {
        match decision {
            Decision::Allowed(hit) => hit,
            refused => panic!("expected allowed, got {refused:?}"),
        }
    }

    #[test]
    fn a_refunded_request_does_not_count_and_older_ones_still_do() {
        let limiter = KeyedLimiter::new(limit(2, 600));
        let t0 = Instant::now();
        allowed(limiter.check_at(&1, t0));
        let second = allowed(limiter.check_at(&1, t0 + secs(1)));
        assert!(!limiter.check_at(&1, t0 + secs(2)).is_allowed());
        assert!(limiter.refund(&1, second));
        assert_eq!(limiter.state_at(&1, t0 + secs(2)).used, 1);
        allowed(limiter.check_at(&1, t0 + secs(3)));
        assert!(!limiter.check_at(&1, t0 + secs(4)).is_allowed());
        let other_keys = allowed(limiter.check_at(&3, t0));
        assert!(
            !limiter.refund(&2, other_keys),
            "an unknown key has nothing to give back"
        );
    }

    #[test]
    fn refunding_one_request_keeps_a_later_one_of_the_same_key_counted() {
        // Two resets of one inbox in flight; the first fails and is given back.
        let limiter = KeyedLimiter::new(limit(3, 600));
        let t0 = Instant::now();
        let failed = allowed(limiter.check_at(&1u64, t0));
        allowed(limiter.check_at(&1, t0 + secs(1)));
        assert!(limiter.refund(&1, failed));
        let state = limiter.state_at(&1, t0 + secs(2));
        // The request left counting is the later one: it frees its slot at 601 s.
        assert_eq!(
            (state.used, state.next_slot_in),
            (1, Some(secs(599))),
            "the later request must still count, not the refunded one"
        );
    }

    #[test]
    fn a_refund_after_the_request_left_the_window_changes_nothing() {
        let limiter = KeyedLimiter::new(limit(1, 60));
        let t0 = Instant::now();
        let old = allowed(limiter.check_at(&1u64, t0));
        allowed(limiter.check_at(&1, t0 + secs(60)));
        assert!(!limiter.refund(&1, old));
        assert!(!limiter.check_at(&1, t0 + secs(61)).is_allowed());
    }

    #[test]
    fn a_failed_reset_gives_back_its_own_tries_not_a_concurrent_resets() {
        let limits = member_limits();
        let t0 = Instant::now();
        let failing = allowed(limits.check_reset_at(1, "shared@example.com", t0));
        allowed(limits.check_reset_at(2, "Shared@example.com", t0 + secs(1)));
        limits.refund_reset(failing);
        let later = t0 + secs(2);
        assert_eq!(limits.reset_user.state_at(&1, later).used, 0);
        assert_eq!(limits.reset_user.state_at(&2, later).used, 1);
        let inbox = limits.reset_email.state_at("shared@example.com", later);
        assert_eq!((inbox.used, inbox.next_slot_in), (1, Some(secs(3599))));
        // A manager's reset charges the inbox only, and gives back only that.
        let by_manager = allowed(limits.check_reset_email_at("shared@example.com", later));
        limits.refund_reset(by_manager);
        assert_eq!(limits.reset_user.state_at(&2, later).used, 1);
        assert_eq!(
            limits
                .reset_email
                .state_at("shared@example.com", later)
                .used,
            1
        );
    }

    #[test]
    fn large_counts_keep_their_log_outside_the_entry_and_still_hold() {
        let limiter = KeyedLimiter::new(limit(1000, 600));
        let t0 = Instant::now();
        let mut hits: Vec<Hit> = (0..1000u64)
            .map(|n| allowed(limiter.check_at(&1u64, t0 + Duration::from_millis(n))))
            .collect();
        assert!(!limiter.check_at(&1, t0 + secs(2)).is_allowed());
        assert!(limiter.refund(&1, hits.swap_remove(500)));
        allowed(limiter.check_at(&1, t0 + secs(2)));
        assert_eq!(limiter.state_at(&1, t0 + secs(3)).used, 1000);
    }

    #[tokio::test]
    async fn the_sweeper_evicts_idle_keys_and_stops_once_the_limits_are_dropped() {
        let tiny = Limit {
            count: NonZeroU32::new(1).unwrap(),
            period: Duration::from_millis(20),
        };
        let limits = Arc::new(MemberLimits::new(&RateLimitSettings {
            login: tiny,
            reset: tiny,
            link: tiny,
        }));
        limits.login.check(&1);
        limits.check_reset(1, "a@example.com");
        let sweeper = limits.spawn_sweeper(Duration::from_millis(10), |_evicted| {});
        // Poll rather than sleep a fixed time: robust on a loaded machine.
        let deadline = Instant::now() + Duration::from_secs(5);
        while !(limits.login.is_empty() && limits.reset_email.is_empty()) {
            assert!(
                Instant::now() < deadline,
                "the sweeper never evicted the idle keys"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(limits);
        tokio::time::timeout(Duration::from_secs(5), sweeper)
            .await
            .expect("the sweeper should end once the limits are gone")
            .unwrap();
    }
}
