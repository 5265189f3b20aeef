//! The line in front of Nexudus: who calls next, and how long each member waits.
//!
//! Nexudus allows about two requests a second, so a crowd (a manager posting
//! the panel at a community breakfast) cannot be served at once. Discord keeps
//! an interaction open for 15 minutes, so instead of turning members away the
//! bot lines them up and tells them their place:
//!
//! - first come, first served among members;
//! - a manager's `/admin` call ahead of members, background work (the role
//!   sync) behind them;
//! - the later calls of an operation that already left the line ahead of
//!   everyone, so a started `/link` finishes before the next member starts.
//!
//! One call leaves every `spacing` (the outbound rate), so a member's place and
//! estimate are what actually happens. A member whose estimated wait would be
//! longer than the line's budget is not queued: they are told when to come
//! back.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use tokio::sync::{Notify, oneshot};
use tokio::time::Instant;

/// Who is waiting, in the order they are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// A later call of an operation that already left the line.
    Continuing,
    /// A community manager's `/admin` call.
    Manager,
    /// A member's own request.
    Member,
    /// Work nobody waits for (the role sync, start-up discovery, `check`).
    Background,
}

impl Class {
    /// Classes whose wait is bounded by the line's budget: people are watching.
    fn has_budget(self) -> bool {
        matches!(self, Class::Manager | Class::Member)
    }
}

/// Why a request could not join the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The wait would exceed the budget; there is room again after `retry_after`.
    #[error("the line to Nexudus is full; room again in {retry_after:?}")]
    Full { retry_after: Duration },
    /// The bot is shutting down.
    #[error("the bot is shutting down")]
    Closed,
}

/// Why a request that joined the line did not get its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WaitError {
    /// Waited for the whole budget (the line moved slower than estimated).
    #[error("waited too long for a turn to call Nexudus")]
    TooLong,
    /// The bot is shutting down.
    #[error("the bot is shutting down")]
    Closed,
}

/// A waiting request's place, as a member is told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// 1 for the next to go.
    pub number: usize,
    /// When its turn comes, from the line's pace.
    pub wait: Duration,
}

/// Told about every wait and every change of the line's length (metrics).
pub trait LineObserver: Send + Sync {
    fn waited(&self, class: Class, wait: Duration);
    fn depth(&self, waiting: usize);
}

/// The line. Cheap to clone; every clone is the same line.
#[derive(Clone)]
pub struct Line {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the dispatcher: someone joined, or the line closed.
    wake: Arc<Notify>,
    spacing: Duration,
    budget: Duration,
    observer: Option<Arc<dyn LineObserver>>,
}

struct State {
    waiting: BTreeMap<(Class, u64), Waiter>,
    next_seq: u64,
    /// The earliest instant the next call may leave.
    next_departure: Instant,
    /// Calls that operations under way will still make (they come first).
    owed: u64,
    closed: bool,
    dispatching: bool,
    longest: LongestWaits,
}

struct Waiter {
    grant: oneshot::Sender<Result<(), WaitError>>,
    cost: u32,
    joined: Instant,
}

impl Line {
    /// A line that lets one call leave every `spacing`, and keeps a member
    /// waiting `budget` at most.
    pub fn new(spacing: Duration, budget: Duration) -> Line {
        Line::with_observer(spacing, budget, None)
    }

    pub fn with_observer(
        spacing: Duration,
        budget: Duration,
        observer: Option<Arc<dyn LineObserver>>,
    ) -> Line {
        Line {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    waiting: BTreeMap::new(),
                    next_seq: 0,
                    next_departure: Instant::now(),
                    owed: 0,
                    closed: false,
                    dispatching: false,
                    longest: LongestWaits::default(),
                }),
                wake: Arc::new(Notify::new()),
                spacing,
                budget,
                observer,
            }),
        }
    }

    /// How long one call takes its turn for: the line's pace.
    pub fn spacing(&self) -> Duration {
        self.shared.spacing
    }

    /// Joins the line for an operation that will make about `calls` calls.
    ///
    /// A member or manager whose estimated wait exceeds the budget is refused
    /// at once with the time after which there is room again. Must be called
    /// from within a Tokio runtime, which runs the
    /// task that hands out the turns.
    pub fn join(&self, class: Class, calls: u32) -> Result<Ticket, JoinError> {
        let calls = calls.max(1);
        let now = Instant::now();
        let mut state = self.shared.lock();
        if state.closed {
            return Err(JoinError::Closed);
        }
        let key = (class, state.next_seq);
        let wait = self.shared.estimate(&state, &key, now);
        if class.has_budget() && wait > self.shared.budget {
            return Err(JoinError::Full {
                retry_after: (wait - self.shared.budget).max(self.shared.spacing),
            });
        }
        state.next_seq += 1;
        let (grant, granted) = oneshot::channel();
        state.waiting.insert(
            key,
            Waiter {
                grant,
                cost: calls,
                joined: now,
            },
        );
        let depth = state.waiting.len();
        let runtime = (!state.dispatching)
            .then(tokio::runtime::Handle::try_current)
            .and_then(Result::ok);
        if runtime.is_some() {
            state.dispatching = true;
        }
        drop(state);
        if let Some(runtime) = runtime {
            runtime.spawn(dispatch(
                Arc::downgrade(&self.shared),
                Arc::clone(&self.shared.wake),
            ));
        }
        self.shared.wake.notify_one();
        self.shared.report_depth(depth);
        Ok(Ticket {
            shared: Arc::clone(&self.shared),
            key,
            cost: calls,
            deadline: class.has_budget().then(|| now + self.shared.budget),
            granted: Some(granted),
        })
    }

    /// Requests waiting now.
    pub fn len(&self) -> usize {
        self.shared.lock().waiting.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The longest wait of a member or manager that got their turn in the last hour.
    pub fn longest_wait_last_hour(&self) -> Duration {
        self.shared.lock().longest.max_since(Instant::now())
    }

    /// Closes the line: everyone waiting is told at once, and nobody new joins.
    pub fn close(&self) {
        let waiters = {
            let mut state = self.shared.lock();
            state.closed = true;
            std::mem::take(&mut state.waiting)
        };
        for waiter in waiters.into_values() {
            let _ = waiter.grant.send(Err(WaitError::Closed));
        }
        self.shared.wake.notify_one();
        self.shared.report_depth(0);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent between statements: a panic elsewhere
        // cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// When the request at `key` would leave: the calls ahead of it (and the
    /// ones operations under way still owe) leave one `spacing` apart.
    fn estimate(&self, state: &State, key: &(Class, u64), now: Instant) -> Duration {
        let ahead: u64 = state
            .waiting
            .range(..key)
            .map(|(_, waiter)| u64::from(waiter.cost))
            .sum::<u64>()
            + state.owed;
        let first = state.next_departure.saturating_duration_since(now);
        first + self.spacing * u32::try_from(ahead).unwrap_or(u32::MAX)
    }

    fn place(&self, key: &(Class, u64)) -> Option<Place> {
        let state = self.lock();
        if !state.waiting.contains_key(key) {
            return None;
        }
        Some(Place {
            number: state.waiting.range(..key).count() + 1,
            wait: self.estimate(&state, key, Instant::now()),
        })
    }

    fn report_depth(&self, depth: usize) {
        if let Some(observer) = &self.observer {
            observer.depth(depth);
        }
    }

    /// Lets the first waiter go if its time has come; otherwise says what to wait for.
    fn step(&self, now: Instant) -> Step {
        let mut state = self.lock();
        if state.closed {
            return Step::Stop;
        }
        if state.waiting.is_empty() {
            return Step::Idle;
        }
        if now < state.next_departure {
            return Step::Until(state.next_departure);
        }
        while let Some(((class, _), waiter)) = state.waiting.pop_first() {
            if waiter.grant.send(Ok(())).is_err() {
                continue; // its ticket is gone: the slot goes to the next one
            }
            let wait = now.saturating_duration_since(waiter.joined);
            state.next_departure = state.next_departure.max(now) + self.spacing;
            state.owed += u64::from(waiter.cost - 1);
            if class.has_budget() {
                state.longest.record(now, wait);
            }
            let depth = state.waiting.len();
            drop(state);
            if let Some(observer) = &self.observer {
                observer.waited(class, wait);
                observer.depth(depth);
            }
            return Step::Granted;
        }
        Step::Idle
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Lets the dispatcher see the line is gone and end.
        self.wake.notify_one();
    }
}

enum Step {
    Granted,
    Idle,
    Until(Instant),
    Stop,
}

/// Hands out the turns: one task per line, holding only a weak reference so
/// it ends with the line.
async fn dispatch(shared: Weak<Shared>, wake: Arc<Notify>) {
    loop {
        let step = match shared.upgrade() {
            Some(line) => line.step(Instant::now()),
            None => return,
        };
        match step {
            Step::Granted => {}
            Step::Idle => wake.notified().await,
            Step::Until(at) => {
                // A manager joining meanwhile is served at `at` all the same:
                // the first waiter is chosen then, not now.
                tokio::time::sleep_until(at).await;
            }
            Step::Stop => return,
        }
    }
}

/// A place in the line. Dropping it leaves the line.
pub struct Ticket {
    shared: Arc<Shared>,
    key: (Class, u64),
    cost: u32,
    deadline: Option<Instant>,
    granted: Option<oneshot::Receiver<Result<(), WaitError>>>,
}

impl Ticket {
    /// Where this request stands, or `None` once it had its turn.
    pub fn place(&self) -> Option<Place> {
        self.shared.place(&self.key)
    }

    /// A handle that tells this request's place while [`turn`](Self::turn) waits.
    pub fn watch(&self) -> PlaceWatch {
        PlaceWatch {
            shared: Arc::clone(&self.shared),
            key: self.key,
        }
    }

    /// Waits for this request's turn. Cancel-safe: call it again (after
    /// showing the member their place) until it returns.
    pub async fn turn(&mut self) -> Result<Turn, WaitError> {
        let Some(granted) = self.granted.as_mut() else {
            return Err(WaitError::Closed);
        };
        let received = match self.deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, granted).await {
                Ok(received) => received,
                // Still in line until the ticket is dropped.
                Err(_elapsed) => return Err(WaitError::TooLong),
            },
            None => granted.await,
        };
        let result = received.unwrap_or(Err(WaitError::Closed));
        let result = result.map(|()| Turn {
            shared: Arc::clone(&self.shared),
            owed: self.cost - 1,
            first: true,
        });
        if result.is_ok() {
            self.granted = None;
        }
        result
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.granted.is_some() {
            let mut state = self.shared.lock();
            state.waiting.remove(&self.key);
            let depth = state.waiting.len();
            drop(state);
            self.shared.report_depth(depth);
        }
    }
}

/// Tells a ticket's place without borrowing the ticket.
pub struct PlaceWatch {
    shared: Arc<Shared>,
    key: (Class, u64),
}

impl PlaceWatch {
    /// Where the request stands, or `None` once it had its turn or left.
    pub fn place(&self) -> Option<Place> {
        self.shared.place(&self.key)
    }
}

/// An operation's turn: its first call leaves now, and its later calls go
/// ahead of everyone waiting.
pub struct Turn {
    shared: Arc<Shared>,
    /// Calls announced at `join` and not made yet.
    owed: u32,
    first: bool,
}

impl Turn {
    /// Waits until this operation may make its next call.
    pub async fn next_call(&mut self) -> Result<(), WaitError> {
        if std::mem::take(&mut self.first) {
            return Ok(());
        }
        if self.owed > 0 {
            self.owed -= 1;
            let mut state = self.shared.lock();
            state.owed = state.owed.saturating_sub(1);
        }
        let line = Line {
            shared: Arc::clone(&self.shared),
        };
        let mut ticket = line.join(Class::Continuing, 1).map_err(|err| match err {
            JoinError::Closed | JoinError::Full { .. } => WaitError::Closed,
        })?;
        ticket.turn().await.map(|_turn| ())
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if self.owed > 0 {
            let mut state = self.shared.lock();
            state.owed = state.owed.saturating_sub(u64::from(self.owed));
        }
    }
}

/// The longest wait per minute over the last hour, in 60 buckets.
#[derive(Default)]
struct LongestWaits {
    minutes: VecDeque<(Instant, Duration)>,
}

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);

impl LongestWaits {
    fn record(&mut self, now: Instant, wait: Duration) {
        match self.minutes.back_mut() {
            Some((start, longest)) if now.saturating_duration_since(*start) < MINUTE => {
                *longest = (*longest).max(wait);
            }
            _ => self.minutes.push_back((now, wait)),
        }
        while let Some((start, _)) = self.minutes.front()
            && now.saturating_duration_since(*start) >= HOUR
        {
            self.minutes.pop_front();
        }
    }

    fn max_since(&self, now: Instant) -> Duration {
        self.minutes
            .iter()
            .filter(|(start, _)| now.saturating_duration_since(*start) < HOUR)
            .map(|(_, wait)| *wait)
            .max()
            .unwrap_or(Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPACING: Duration = Duration::from_millis(500);
    const BUDGET: Duration = Duration::from_secs(10);

    /// Waits for every ticket's turn at once and returns their indices in the
    /// order they were served, with when.
    async fn served_order(tickets: Vec<Ticket>) -> Vec<(usize, Duration)> {
        let start = Instant::now();
        let (done, mut order) = tokio::sync::mpsc::unbounded_channel();
        for (index, mut ticket) in tickets.into_iter().enumerate() {
            let done = done.clone();
            tokio::spawn(async move {
                if ticket.turn().await.is_ok() {
                    let _ = done.send((index, start.elapsed()));
                }
            });
        }
        drop(done);
        let mut served = Vec::new();
        while let Some(entry) = order.recv().await {
            served.push(entry);
        }
        served
    }

    #[tokio::test(start_paused = true)]
    async fn members_are_served_in_the_order_they_came_one_spacing_apart() {
        let line = Line::new(SPACING, BUDGET);
        let tickets = (0..5)
            .map(|_| line.join(Class::Member, 1).unwrap())
            .collect();
        let served = served_order(tickets).await;
        let order: Vec<usize> = served.iter().map(|(index, _)| *index).collect();
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
        let times: Vec<Duration> = served.iter().map(|(_, at)| *at).collect();
        assert_eq!(times, (0..5).map(|i| SPACING * i).collect::<Vec<_>>());
    }

    #[tokio::test(start_paused = true)]
    async fn a_place_in_line_counts_those_ahead_and_their_calls() {
        let line = Line::new(SPACING, BUDGET);
        let _first = line.join(Class::Member, 2).unwrap();
        let _second = line.join(Class::Member, 1).unwrap();
        let third = line.join(Class::Member, 1).unwrap();
        assert_eq!(
            third.place(),
            Some(Place {
                number: 3,
                wait: SPACING * 3
            })
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_estimate_is_when_the_turn_really_comes() {
        let line = Line::new(SPACING, BUDGET);
        let mut tickets: Vec<Ticket> = (0..7)
            .map(|_| line.join(Class::Member, 1).unwrap())
            .collect();
        let mut last = tickets.pop().unwrap();
        let promised = last.place().unwrap().wait;
        let start = Instant::now();
        // The others are served by their own tasks; this one waits its turn.
        let handle = tokio::spawn(served_order(tickets));
        last.turn().await.unwrap();
        assert_eq!(start.elapsed(), promised);
        handle.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn a_newcomer_past_the_budget_is_refused_with_when_there_is_room() {
        let line = Line::new(SPACING, BUDGET);
        // 21 calls ahead: the 21st member waits exactly 10 s, the budget.
        let tickets: Vec<Ticket> = (0..21)
            .map(|_| line.join(Class::Member, 1).unwrap())
            .collect();
        assert_eq!(tickets[20].place().unwrap().wait, BUDGET);
        match line.join(Class::Member, 1) {
            Err(JoinError::Full { retry_after }) => assert_eq!(retry_after, SPACING),
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        }
        assert_eq!(line.len(), 21, "the refused newcomer did not join");
    }

    #[tokio::test(start_paused = true)]
    async fn a_manager_goes_ahead_of_waiting_members() {
        let line = Line::new(SPACING, BUDGET);
        let mut tickets: Vec<Ticket> = (0..3)
            .map(|_| line.join(Class::Member, 1).unwrap())
            .collect();
        tickets.push(line.join(Class::Manager, 1).unwrap());
        assert_eq!(tickets[3].place().unwrap().number, 1);
        let order: Vec<usize> = served_order(tickets)
            .await
            .into_iter()
            .map(|(index, _)| index)
            .collect();
        assert_eq!(order, vec![3, 0, 1, 2]);
    }

    #[tokio::test(start_paused = true)]
    async fn background_work_waits_behind_members_and_has_no_budget() {
        let line = Line::new(SPACING, Duration::from_secs(1));
        let background: Vec<Ticket> = (0..10)
            .map(|_| line.join(Class::Background, 1).unwrap())
            .collect();
        let member = line.join(Class::Member, 1).unwrap();
        assert_eq!(member.place().unwrap().number, 1);
        let mut tickets = vec![member];
        tickets.extend(background);
        let order: Vec<usize> = served_order(tickets)
            .await
            .into_iter()
            .map(|(index, _)| index)
            .collect();
        assert_eq!(order.len(), 11);
        assert_eq!(order[0], 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_started_operation_makes_its_later_calls_before_the_next_member() {
        let line = Line::new(SPACING, BUDGET);
        let mut link = line.join(Class::Member, 2).unwrap();
        let next = line.join(Class::Member, 1).unwrap();
        let mut turn = link.turn().await.unwrap();
        turn.next_call().await.unwrap();
        // The link's first call left at once, its second one spacing later,
        // and only then the next member's.
        assert_eq!(next.place().unwrap().number, 1);
        let start = Instant::now();
        turn.next_call().await.unwrap();
        assert_eq!(start.elapsed(), SPACING);
        let served = served_order(vec![next]).await;
        assert_eq!(served, vec![(0, SPACING)]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_longer_than_the_budget_gives_up() {
        // The estimate said 0 s, but a manager keeps cutting in.
        let line = Line::new(Duration::from_secs(5), Duration::from_secs(12));
        let mut member = line.join(Class::Member, 1).unwrap();
        let managers: Vec<Ticket> = (0..3)
            .map(|_| line.join(Class::Manager, 1).unwrap())
            .collect();
        let _served = tokio::spawn(served_order(managers));
        let start = Instant::now();
        assert_eq!(member.turn().await.map(|_| ()), Err(WaitError::TooLong));
        assert_eq!(start.elapsed(), Duration::from_secs(12));
        drop(member);
        assert!(line.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn closing_the_line_tells_everyone_waiting_at_once() {
        let line = Line::new(SPACING, BUDGET);
        let _first = line.join(Class::Member, 1).unwrap();
        let mut waiting: Vec<Ticket> = (0..5)
            .map(|_| line.join(Class::Member, 1).unwrap())
            .collect();
        line.close();
        for ticket in &mut waiting {
            assert_eq!(ticket.turn().await.map(|_| ()), Err(WaitError::Closed));
        }
        assert!(matches!(
            line.join(Class::Member, 1),
            Err(JoinError::Closed)
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn a_ticket_dropped_while_waiting_gives_its_turn_to_the_next() {
        let line = Line::new(SPACING, BUDGET);
        let first = line.join(Class::Member, 1).unwrap();
        let second = line.join(Class::Member, 1).unwrap();
        let third = line.join(Class::Member, 1).unwrap();
        drop(second);
        assert_eq!(third.place().unwrap().number, 2);
        let served = served_order(vec![first, third]).await;
        assert_eq!(served, vec![(0, Duration::ZERO), (1, SPACING)]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_longest_wait_of_the_last_hour_is_kept_for_an_hour() {
        let line = Line::new(SPACING, BUDGET);
        let tickets: Vec<Ticket> = (0..5)
            .map(|_| line.join(Class::Member, 1).unwrap())
            .collect();
        served_order(tickets).await;
        assert_eq!(line.longest_wait_last_hour(), SPACING * 4);
        tokio::time::advance(HOUR).await;
        assert_eq!(line.longest_wait_last_hour(), Duration::ZERO);
    }
}
