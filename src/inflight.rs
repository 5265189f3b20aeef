//! "Already on its way": at most one running operation per key.
//!
//! A member double-tapping `/login` must get one link, not two.
//! The service layer calls [`InFlight::try_begin`] with e.g.
//! `(discord user id, action)`; while the returned guard lives, the same key
//! is refused. The guard removes the key when dropped, so an early return, an
//! error or a panic can never leave a member stuck "on its way".

use std::fmt;
use std::hash::Hash;
use std::sync::Arc;

use dashmap::DashSet;

/// The set of keys whose operation is running. Cloning is cheap and shares the set.
pub struct InFlight<K: Eq + Hash> {
    // Shared with the guards, so a guard is `'static` and can move into a task.
    running: Arc<DashSet<K>>,
}

impl<K: Eq + Hash> Clone for InFlight<K> {
    fn clone(&self) -> Self {
        Self {
            running: Arc::clone(&self.running),
        }
    }
}

impl<K: Eq + Hash> Default for InFlight<K> {
    fn default() -> Self {
        Self {
            running: Arc::new(DashSet::new()),
        }
    }
}

impl<K: Eq + Hash> fmt::Debug for InFlight<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InFlight")
            .field("running", &self.running.len())
            .finish()
    }
}

impl<K: Eq + Hash + Clone> InFlight<K> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `key` as running, atomically; `None` when it already is.
    /// The key stays marked until the returned guard is dropped.
    #[must_use = "the key is released as soon as the guard is dropped"]
    pub fn try_begin(&self, key: K) -> Option<InFlightGuard<K>> {
        self.running.insert(key.clone()).then(|| InFlightGuard {
            running: Arc::clone(&self.running),
            key,
        })
    }

    /// Whether an operation for `key` is running.
    pub fn contains(&self, key: &K) -> bool {
        self.running.contains(key)
    }

    /// Number of operations running.
    pub fn len(&self) -> usize {
        self.running.len()
    }

    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }
}

/// Proof that an operation holds its key; dropping it releases the key.
#[must_use = "the key is released as soon as the guard is dropped"]
pub struct InFlightGuard<K: Eq + Hash> {
    running: Arc<DashSet<K>>,
    key: K,
}

impl<K: Eq + Hash> InFlightGuard<K> {
    pub fn key(&self) -> &K {
        &self.key
    }
}

impl<K: Eq + Hash> Drop for InFlightGuard<K> {
    fn drop(&mut self) {
        self.running.remove(&self.key);
    }
}

impl<K: Eq + Hash + fmt::Debug> fmt::Debug for InFlightGuard<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InFlightGuard")
            .field("key", &self.key)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Barrier;

    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum Action {
        Login,
        Reset,
    }

    #[test]
    fn a_second_identical_request_is_refused_while_the_first_runs() {
        let inflight = InFlight::new();
        let guard = inflight.try_begin((1u64, Action::Login));
        assert!(guard.is_some());
        assert!(inflight.try_begin((1, Action::Login)).is_none());
        assert!(inflight.contains(&(1, Action::Login)));
        assert_eq!(inflight.len(), 1);
    }

    #[test]
    fn dropping_the_guard_releases_the_key() {
        let inflight = InFlight::new();
        let guard = inflight.try_begin((1u64, Action::Login));
        drop(guard);
        assert!(inflight.is_empty());
        assert!(inflight.try_begin((1, Action::Login)).is_some());
    }

    #[test]
    fn other_members_and_other_commands_are_independent() {
        let inflight = InFlight::new();
        let _login = inflight.try_begin((1u64, Action::Login)).unwrap();
        let _reset = inflight.try_begin((1, Action::Reset)).unwrap();
        let _other = inflight.try_begin((2, Action::Login)).unwrap();
        assert_eq!(inflight.len(), 3);
    }

    #[test]
    fn an_early_return_releases_the_key() {
        fn run(inflight: &InFlight<(u64, Action)>, fail: bool) -> Result<(), ()> {
            let _guard = inflight.try_begin((1, Action::Login)).ok_or(())?;
            if fail {
                return Err(());
            }
            Ok(())
        }
        let inflight = InFlight::new();
        assert_eq!(run(&inflight, true), Err(()));
        assert!(inflight.is_empty());
        assert_eq!(run(&inflight, false), Ok(()));
    }

    #[test]
    fn a_panic_releases_the_key() {
        let inflight = InFlight::new();
        let worker = inflight.clone();
        let outcome = std::thread::spawn(move || {
            let _guard = worker.try_begin((1u64, Action::Login)).unwrap();
            panic!("the operation blew up");
        })
        .join();
        assert!(outcome.is_err());
        assert!(!inflight.contains(&(1, Action::Login)));
    }

    #[test]
    fn racing_threads_let_exactly_one_in() {
        let inflight = InFlight::new();
        let barrier = Barrier::new(8);
        let winners = std::thread::scope(|scope| {
            let tries: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        barrier.wait();
                        // Hold the guard until every thread has tried.
                        let guard = inflight.try_begin((1u64, Action::Reset));
                        barrier.wait();
                        guard.is_some()
                    })
                })
                .collect();
            tries
                .into_iter()
                .map(|t| t.join().unwrap())
                .filter(|&won| won)
                .count()
        });
        assert_eq!(winners, 1);
        assert!(inflight.is_empty());
    }

    #[tokio::test]
    async fn a_guard_can_move_into_a_spawned_task() {
        let inflight = InFlight::new();
        let guard = inflight.try_begin((1u64, Action::Login)).unwrap();
        assert_eq!(guard.key(), &(1, Action::Login));
        tokio::spawn(async move {
            let _guard = guard;
        })
        .await
        .unwrap();
        assert!(inflight.is_empty());
    }
}
