//! Our sliding-window `KeyedLimiter` side by side with governor's keyed
//! (DashMap-backed) GCRA limiter, both at the default `RATE_LIMIT_LOGIN` of `3/10m`:
//!
//! - checks per second on 1 thread (criterion), for one hot key (every check
//!   refused after the first three) and for 100 000 keys in rotation;
//! - checks per second on 2 threads (`iter_custom` over two OS threads), hot
//!   key (both threads on one DashMap shard) and distinct keys per thread;
//! - heap bytes per tracked key after inserting 100 000 keys, measured with a
//!   counting global allocator and printed before the timings.
//!
//! Not the same clock: ours reads `Instant::now()` (vDSO `clock_gettime`),
//! governor reads quanta's TSC clock. That cost is part of each check.
//!
//! `cargo bench --bench limiter` (about a minute on 2 cores, build aside).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use nexudus_bot::ratelimit::{KeyedLimiter, Limit};

/// Counts bytes handed out and given back, so live heap = allocated - freed.
struct CountingAllocator;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static FREED: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counters have no effect on the memory handed out.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as ours, forwarded.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this `layout` (we forward every call).
        unsafe { System.dealloc(ptr, layout) };
        FREED.fetch_add(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from `System` with this `layout` (we forward every call).
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            FREED.fetch_add(layout.size(), Ordering::Relaxed);
            ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn live_heap_bytes() -> usize {
    ALLOCATED
        .load(Ordering::Relaxed)
        .wrapping_sub(FREED.load(Ordering::Relaxed))
}

const KEYS: u64 = 100_000;
const COUNT: u32 = 3;
const PERIOD: Duration = Duration::from_secs(600);

fn ours() -> KeyedLimiter<u64> {
    KeyedLimiter::new(Limit {
        count: NonZeroU32::new(COUNT).unwrap(),
        period: PERIOD,
    })
}

fn governor() -> DefaultKeyedRateLimiter<u64> {
    // GCRA with a burst of 3 refilling one cell every 200 s: governor's "3/10m".
    let quota = Quota::with_period(PERIOD / COUNT)
        .unwrap()
        .allow_burst(NonZeroU32::new(COUNT).unwrap());
    RateLimiter::dashmap(quota)
}

/// Live heap growth per key after tracking `KEYS` keys, limiter included.
fn bytes_per_key<L>(build: impl FnOnce() -> L, check: impl Fn(&L, u64)) -> f64 {
    let before = live_heap_bytes();
    let limiter = build();
    for key in 0..KEYS {
        check(&limiter, key);
    }
    let grown = live_heap_bytes().wrapping_sub(before);
    drop(black_box(limiter));
    grown as f64 / KEYS as f64
}

fn memory_per_key() {
    // Warm up lazily initialised globals (quanta's clock calibration) so they
    // are not charged to the first limiter measured.
    let _ = black_box(governor().check_key(&0));
    let ours = bytes_per_key(ours, |l, key| {
        black_box(l.check(&key));
    });
    let governor = bytes_per_key(governor, |l, key| {
        let _ = black_box(l.check_key(&key));
    });
    println!(
        "memory per tracked key ({KEYS} u64 keys, {COUNT}/{}s):",
        PERIOD.as_secs()
    );
    println!("  ours (sliding-window log): {ours:>7.1} bytes/key");
    println!("  governor (keyed dashmap):  {governor:>7.1} bytes/key");
}

fn one_thread(c: &mut Criterion) {
    let mut group = c.benchmark_group("check_1_thread");
    group.throughput(Throughput::Elements(1));

    let limiter = ours();
    group.bench_function("ours/hot_key", |b| b.iter(|| limiter.check(black_box(&1))));
    let limiter = governor();
    group.bench_function("governor/hot_key", |b| {
        b.iter(|| limiter.check_key(black_box(&1)).is_ok())
    });

    let limiter = ours();
    let mut key = 0;
    group.bench_function("ours/100k_keys", |b| {
        b.iter(|| {
            key = (key + 1) % KEYS;
            limiter.check(black_box(&key))
        })
    });
    let limiter = governor();
    let mut key = 0;
    group.bench_function("governor/100k_keys", |b| {
        b.iter(|| {
            key = (key + 1) % KEYS;
            limiter.check_key(black_box(&key)).is_ok()
        })
    });
    group.finish();
}

/// Time for two threads doing `iters` checks each; `key(thread, i)` picks the key.
fn on_two_threads(
    iters: u64,
    check: impl Fn(u64) + Sync,
    key: impl Fn(u64, u64) -> u64 + Sync,
) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..2 {
            let (check, key) = (&check, &key);
            scope.spawn(move || {
                for i in 0..iters {
                    check(key(thread, i));
                }
            });
        }
    });
    start.elapsed()
}

/// Which key thread `t` uses for its `i`-th check.
type KeyChoice = fn(u64, u64) -> u64;

fn two_threads(c: &mut Criterion) {
    let mut group = c.benchmark_group("check_2_threads");
    // One iteration = one check on each thread.
    group.throughput(Throughput::Elements(2));
    // Both threads on one key (one DashMap shard), or each on its own 100 000 keys.
    let key_choices: [(&str, KeyChoice); 2] = [
        ("hot_key", |_thread, _i| 1),
        ("100k_keys_each", |thread, i| thread * KEYS + i % KEYS),
    ];
    for (name, key) in key_choices {
        let limiter = ours();
        group.bench_function(format!("ours/{name}"), |b| {
            b.iter_custom(|iters| on_two_threads(iters, |k| _ = black_box(limiter.check(&k)), key))
        });
        let limiter = governor();
        group.bench_function(format!("governor/{name}"), |b| {
            b.iter_custom(|iters| {
                on_two_threads(iters, |k| _ = black_box(limiter.check_key(&k)), key)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = checks;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(10);
    targets = one_thread, two_threads
}

fn main() {
    memory_per_key();
    checks();
    Criterion::default().configure_from_args().final_summary();
}
