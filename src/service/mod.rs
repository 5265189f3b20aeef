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
mod outcome;
mod reset;
mod roles;
mod waiting;

pub use crate::nexudus::Place;
pub use account::AccountOutcome;
pub use admin::{LimitsView, Stats, Whois};
pub use link::{LinkOutcome, LinkTicket};
pub use login::{Delivery, LinkCourier, LoginOutcome, LoginTicket};
pub use outcome::{Failure, Refusal};
pub use reset::{ResetOutcome, ResetTicket};
pub use roles::{AuditAlerts, LinkRoles, SyncOutcome};
pub(crate) use waiting::Unserved;
pub use waiting::{FIRST_PROGRESS, NoProgress, PROGRESS_EVERY, Progress};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tracing::{info, warn};

use crate::email::MaskedEmail;
use crate::inflight::InFlight;
use crate::metrics::Metrics;
use crate::nexudus::{NexudusClient, NexudusError};
use crate::pages::PortalPages;
use crate::ratelimit::MemberLimits;
use crate::request::{Action, Detail, Outcome, Request};
use crate::roles::RoleSync;
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
    /// Membership roles, when configured.
    roles: Option<Arc<RoleSync>>,
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
            roles: None,
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
