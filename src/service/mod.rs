//! The member and manager use cases, independent of Discord.
//!
//! One file per use case (`login`, `reset`, `link`, `account`, `admin`), each
//! with its outcome type; this module holds what they share: the [`Service`],
//! refusals and failures, and the one place a finished request is recorded.
//!
//! Use cases that call Nexudus come in two steps: `prepare_*` does the quick
//! local work (input checks, limits, link lookup) so a refusal can be answered
//! at once, and the returned ticket is then run after the Discord layer has
//! deferred the interaction. The prepare step also takes the request's place
//! in the line to Nexudus; the run step waits for its turn, telling the
//! member their place through [`Progress`].

mod account;
mod admin;
mod link;
mod login;
mod reset;

pub use crate::nexudus::Place;
pub use account::AccountOutcome;
pub use admin::{LimitsView, Stats, Whois};
pub use link::{LinkOutcome, LinkTicket};
pub use login::{Delivery, LinkCourier, LoginOutcome, LoginTicket};
pub use reset::{ResetOutcome, ResetTicket};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use tokio::sync::Notify;
use tracing::{info, warn};

use crate::email::MaskedEmail;
use crate::inflight::InFlight;
use crate::metrics::Metrics;
use crate::nexudus::{Class, LineRefusal, NexudusClient, NexudusError, Ticket, WaitError};
use crate::pages::PortalPages;
use crate::ratelimit::MemberLimits;
use crate::request::{Action, Detail, Outcome, Request};
use crate::store::{NewAuditEntry, Store, unix_now};

/// Announces audited events beyond the audit log: the guild's audit channel.
///
/// `publish` must not block or fail the member's flow: implementations hand
/// the post to a background task and log their own failures.
pub trait AuditFeed: Send + Sync {
    fn publish(&self, entry: NewAuditEntry);
}

/// An [`AuditFeed`] that announces nothing (tests, `register`).
pub struct NoFeed;

impl AuditFeed for NoFeed {
    fn publish(&self, _entry: NewAuditEntry) {}
}

/// Actor id recorded for events of the bot itself (a Nexudus outage).
pub const BOT_ACTOR: u64 = 0;

/// Why a request was answered without doing the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotLinked,
    RateLimited {
        retry_at: SystemTime,
    },
    AlreadyRunning,
    UnknownPage,
    InvalidEmail(crate::email::EmailProblem),
    NeedEmail,
    /// Too many are waiting for Nexudus: come back at `retry_at`.
    QueueFull {
        retry_at: SystemTime,
    },
    /// The bot is shutting down: the request was not sent.
    ShuttingDown,
}

impl Refusal {
    pub fn label(&self) -> Outcome {
        match self {
            Refusal::NotLinked => Outcome::NotLinked,
            Refusal::RateLimited { .. } => Outcome::RateLimited,
            Refusal::AlreadyRunning => Outcome::AlreadyRunning,
            Refusal::UnknownPage => Outcome::UnknownPage,
            Refusal::InvalidEmail(_) => Outcome::InvalidEmail,
            Refusal::NeedEmail => Outcome::NeedEmail,
            Refusal::QueueFull { .. } => Outcome::QueueFull,
            Refusal::ShuttingDown => Outcome::ShuttingDown,
        }
    }

    /// A limiter's "no": when the member may try again.
    fn rate_limited(retry_after: Duration) -> Refusal {
        Refusal::RateLimited {
            retry_at: SystemTime::now() + retry_after,
        }
    }
}

/// Why a request that was started could not be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nexudus timed out, was unreachable, throttled us or answered garbage: try again later.
    Nexudus(NexudusError),
    /// Our REST credentials were rejected: an operator must fix the setup.
    Misconfigured,
    /// Our own storage failed.
    Internal,
}

impl Failure {
    pub fn label(&self) -> Outcome {
        match self {
            Failure::Nexudus(err) => Outcome::from(err),
            Failure::Misconfigured => Outcome::RestCredentialsRejected,
            Failure::Internal => Outcome::InternalError,
        }
    }
}

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

/// Which member operation an in-flight guard covers: "already on its way" is per member and per command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Login,
    Reset,
    Link,
}

/// Whom a use case acts on, and under which audit action: a member for
/// themself, or a manager for a member (`/admin login`, `/admin reset-password`).
#[derive(Debug, Clone)]
pub struct Subject {
    pub request: Request,
    pub action: Action,
    pub member_id: u64,
}

impl Subject {
    /// A member acting for themself.
    pub fn member(request: Request, action: Action) -> Subject {
        Subject {
            member_id: request.user_id,
            request,
            action,
        }
    }
}

/// The use cases and everything they share.
pub struct Service {
    nexudus: NexudusClient,
    store: Store,
    limits: Arc<MemberLimits>,
    running: InFlight<(u64, Operation)>,
    pages: PortalPages,
    courier: Arc<dyn LinkCourier>,
    metrics: Arc<Metrics>,
    feed: Arc<dyn AuditFeed>,
    started: Instant,
    /// Set while Nexudus is failing (unreachable, timing out), so an outage is announced once when it starts and once when it ends.
    nexudus_down: AtomicBool,
    /// Set while the REST credentials are rejected, so managers are told once, not on every request.
    credentials_rejected: AtomicBool,
}

impl Service {
    pub fn new(
        nexudus: NexudusClient,
        store: Store,
        limits: Arc<MemberLimits>,
        pages: PortalPages,
        courier: Arc<dyn LinkCourier>,
        metrics: Arc<Metrics>,
        feed: Arc<dyn AuditFeed>,
    ) -> Service {
        Service {
            nexudus,
            store,
            limits,
            running: InFlight::new(),
            pages,
            courier,
            metrics,
            feed,
            started: Instant::now(),
            nexudus_down: AtomicBool::new(false),
            credentials_rejected: AtomicBool::new(false),
        }
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn pages(&self) -> &PortalPages {
        &self.pages
    }

    pub fn limits(&self) -> &Arc<MemberLimits> {
        &self.limits
    }

    /// Closes the line to Nexudus (shutdown): every request still waiting is
    /// answered that the bot is restarting.
    pub fn close_line(&self) {
        self.nexudus.close_line();
    }

    /// Takes a place in the line to Nexudus for an operation of about `calls` calls.
    fn join_line(&self, action: Action, calls: u32) -> Result<Ticket, Unserved> {
        let class = match action {
            Action::AdminLogin | Action::AdminResetPassword | Action::AdminLink => Class::Manager,
            _ => Class::Member,
        };
        self.nexudus.join(class, calls).map_err(Unserved::from)
    }

    /// Waits for the ticket's turn, telling `progress` the place now and
    /// then, and returns the client to call Nexudus with on that turn.
    async fn wait_turn(
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

    /// Classifies a Nexudus error for the member; tells managers (once) when the
    /// setup is wrong or Nexudus went down.
    async fn nexudus_failure(&self, request: &Request, err: &NexudusError) -> Failure {
        match err {
            NexudusError::RestCredentialsRejected => {
                warn!(
                    "Nexudus rejected the REST credentials: check NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, \
                     API access and the User-Edit and User-List roles (`nexudus-bot check` tells more)"
                );
                if !self.credentials_rejected.swap(true, Ordering::SeqCst) {
                    self.bot_event(request, Action::NexudusCredentials, Outcome::Rejected, None);
                }
                Failure::Misconfigured
            }
            NexudusError::Unavailable { .. } | NexudusError::Timeout => {
                if !self.nexudus_down.swap(true, Ordering::SeqCst) {
                    warn!(kind = err.kind(), "Nexudus outage started");
                    let cause = Some(Detail::Cause(Outcome::from(err)));
                    self.bot_event(request, Action::NexudusOutage, Outcome::Started, cause);
                }
                Failure::Nexudus(err.clone())
            }
            other => Failure::Nexudus(other.clone()),
        }
    }

    /// Nexudus answered sensibly: ends an announced outage or credentials problem.
    async fn nexudus_answered(&self, request: &Request) {
        if self.nexudus_down.swap(false, Ordering::SeqCst) {
            info!("Nexudus outage ended");
            self.bot_event(request, Action::NexudusOutage, Outcome::Ended, None);
        }
        if self.credentials_rejected.swap(false, Ordering::SeqCst) {
            self.bot_event(request, Action::NexudusCredentials, Outcome::Accepted, None);
        }
    }

    /// Audits an event of the bot itself, announced in every audit channel.
    fn bot_event(
        &self,
        request: &Request,
        action: Action,
        outcome: Outcome,
        detail: Option<Detail>,
    ) {
        self.write_audit(NewAuditEntry {
            at: unix_now(),
            request_id: request.id.to_string(),
            guild_id: None,
            actor_id: BOT_ACTOR,
            action,
            target_user_id: None,
            target_email_masked: None,
            outcome,
            detail,
        });
    }

    /// Records a finished request once: the INFO log line, the metrics and the
    /// audit log. A failing audit write is logged, never shown to the member:
    /// their request did happen.
    async fn record(
        &self,
        request: &Request,
        action: Action,
        target_user_id: Option<u64>,
        email: Option<&str>,
        outcome: Outcome,
        detail: Option<Detail>,
    ) {
        info!(
            action = action.as_str(),
            outcome = outcome.as_str(),
            "request finished"
        );
        self.metrics.finished(action, outcome);
        self.write_audit(NewAuditEntry {
            at: unix_now(),
            request_id: request.id.to_string(),
            guild_id: request.guild_id,
            actor_id: request.user_id,
            action,
            target_user_id,
            target_email_masked: email.map(MaskedEmail::new),
            outcome,
            detail,
        });
    }

    fn write_audit(&self, entry: NewAuditEntry) {
        self.feed.publish(entry.clone());
        // Not awaited: the reply goes out while the row is written.
        self.store.queue_audit(entry);
    }
}
