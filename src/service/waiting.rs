//! The wait for a turn to call Nexudus.
//!
//! The prepare step of a use case takes the request's place in the line (a
//! manager's ahead of members'); the run step waits for its turn here while
//! the member is told their place now and then, and gets the client to make
//! its calls on that turn.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use tokio::sync::Notify;

use super::{Failure, Refusal, Service};
use crate::nexudus::{Class, LineRefusal, NexudusClient, NexudusError, Place, Ticket, WaitError};
use crate::request::Action;

/// Why a request got no turn to call Nexudus: a refusal, or the hourly budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unserved {
    Refused(Refusal),
    Failed(Failure),
}

impl From<LineRefusal> for Unserved {
    fn from(refusal: LineRefusal) -> Unserved {
        match refusal {
            LineRefusal::Full { retry_at } => Unserved::Refused(Refusal::QueueFull { retry_at }),
            LineRefusal::Closed => Unserved::Refused(Refusal::ShuttingDown),
            LineRefusal::HourlyBudgetSpent { retry_at } => {
                Unserved::Failed(Failure::Nexudus(NexudusError::HourlyBudgetSpent {
                    retry_at,
                }))
            }
        }
    }
}

/// Hears how a request waiting in line is doing; the Discord layer edits the
/// member's reply. Only called after [`FIRST_PROGRESS`] of waiting, then at
/// most every [`PROGRESS_EVERY`], and never once the turn came.
#[async_trait]
pub trait Progress: Send + Sync {
    async fn waiting(&self, place: Place);
}

/// A [`Progress`] nobody watches.
pub struct NoProgress;

#[async_trait]
impl Progress for NoProgress {
    async fn waiting(&self, _place: Place) {}
}

/// How long a request waits before it is first told its place: most never are.
pub const FIRST_PROGRESS: Duration = Duration::from_secs(3);
/// How often, at most, it is told its place again.
pub const PROGRESS_EVERY: Duration = Duration::from_secs(5);

impl Service {
    /// Closes the line to Nexudus (shutdown): every request still waiting is
    /// answered that the bot is restarting.
    pub fn close_line(&self) {
        self.nexudus.close_line();
    }

    /// Takes a place in the line to Nexudus for an operation of about `calls` calls.
    pub(super) fn join_line(&self, action: Action, calls: u32) -> Result<Ticket, Unserved> {
        let class = match action {
            Action::AdminLogin
            | Action::AdminResetPassword
            | Action::AdminLink
            | Action::AdminSync => Class::Manager,
            _ => Class::Member,
        };
        self.nexudus.join(class, calls).map_err(Unserved::from)
    }

    /// Waits for the ticket's turn, telling `progress` the place now and
    /// then, and returns the client to call Nexudus with on that turn.
    pub(super) async fn wait_turn(
        &self,
        ticket: &mut Ticket,
        progress: &dyn Progress,
    ) -> Result<NexudusClient, Unserved> {
        let watch = ticket.watch();
        let done = Notify::new();
        let waited = async {
            let turn = ticket.turn().await;
            done.notify_one();
            turn
        };
        // Runs beside the wait and finishes an edit under way before the
        // outcome is known, so no progress lands after the final answer.
        let report = async {
            let mut next = tokio::time::Instant::now() + FIRST_PROGRESS;
            loop {
                tokio::select! {
                    biased;
                    () = done.notified() => return,
                    () = tokio::time::sleep_until(next) => {}
                }
                let Some(place) = watch.place() else { return };
                progress.waiting(place).await;
                next = tokio::time::Instant::now() + PROGRESS_EVERY;
            }
        };
        let (turn, ()) = tokio::join!(waited, report);
        match turn {
            Ok(turn) => Ok(self.nexudus.on_turn(turn)),
            Err(WaitError::TooLong) => {
                let still = watch.place().map_or(Duration::ZERO, |place| place.wait);
                Err(Unserved::Refused(Refusal::QueueFull {
                    retry_at: SystemTime::now() + still.max(Duration::from_secs(1)),
                }))
            }
            Err(WaitError::Closed) => Err(Unserved::Refused(Refusal::ShuttingDown)),
        }
    }
}
