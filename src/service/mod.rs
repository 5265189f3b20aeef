//! The member use cases, independent of Discord.
//!
//! Each use case returns a typed outcome; `discord::render` turns outcomes into
//! messages. Use cases that call Nexudus come in two steps: `prepare_*` does the
//! quick local work (input checks, limits, link lookup) so a refusal can be
//! answered at once, and the returned ticket is then run after the Discord
//! layer has deferred the interaction.

mod admin;

pub use admin::{LimitsView, Stats, Whois};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

use async_trait::async_trait;
use secrecy::SecretString;
use tracing::{error, info, warn};

use crate::config::{PortalPage, PortalPages};
use crate::email::parse_email;
use crate::inflight::{InFlight, InFlightGuard};
use crate::metrics::Metrics;
use crate::nexudus::{LoginUrl, NexudusClient, NexudusError};
use crate::ratelimit::{Decision, Hit, MemberLimits, ResetHits};
use crate::request::{Action, Request};
use crate::store::{Link, MaskedEmail, NewAuditEntry, Store, unix_now};

/// How long the member JWT minted while verifying `/link` stays valid; it is dropped at once anyway.
const VERIFY_TOKEN_VALIDITY_MINUTES: u32 = 1;

/// Delivers a login link to a member privately; implemented over Discord DMs.
#[async_trait]
pub trait LinkCourier: Send + Sync {
    async fn deliver(
        &self,
        request: &Request,
        member_id: u64,
        url: &LoginUrl,
        page: &PortalPage,
    ) -> Delivery;
}

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

/// What happened to a login link sent by DM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The member does not accept DMs from server members (Discord 50007).
    DmClosed,
    /// Discord failed otherwise (after the one retry of a 429).
    Failed,
}

/// Why a request was answered without doing the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotLinked,
    RateLimited { retry_at: SystemTime },
    AlreadyRunning,
    UnknownPage,
    InvalidEmail(crate::email::EmailProblem),
    NeedEmail,
}

impl Refusal {
    pub fn label(&self) -> &'static str {
        match self {
            Refusal::NotLinked => "not_linked",
            Refusal::RateLimited { .. } => "rate_limited",
            Refusal::AlreadyRunning => "already_running",
            Refusal::UnknownPage => "unknown_page",
            Refusal::InvalidEmail(_) => "invalid_email",
            Refusal::NeedEmail => "need_email",
        }
    }
}

/// Why a request that was started could not be completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Nexudus timed out, was unreachable, throttled us or answered garbage: try again later.
    Nexudus(&'static str),
    /// Our REST credentials were rejected: an operator must fix the setup.
    Misconfigured,
    /// Our own storage failed.
    Internal,
}

impl Failure {
    pub fn label(&self) -> &'static str {
        match self {
            Failure::Nexudus(kind) => kind,
            Failure::Misconfigured => "rest_credentials_rejected",
            Failure::Internal => "internal_error",
        }
    }
}

/// The end of `/login` (and of the panel's login button).
#[derive(Debug)]
pub enum LoginOutcome {
    Delivered,
    /// DMs are closed: the link goes into the ephemeral reply instead.
    DmClosed(LoginUrl),
    DmFailed,
    /// Nexudus no longer knows the linked user (deleted): the member must link again.
    LinkGone,
    Refused(Refusal),
    Failed(Failure),
}

impl LoginOutcome {
    pub fn label(&self) -> &'static str {
        match self {
            LoginOutcome::Delivered => "dm_sent",
            LoginOutcome::DmClosed(_) => "dm_closed",
            LoginOutcome::DmFailed => "dm_failed",
            LoginOutcome::LinkGone => "link_gone",
            LoginOutcome::Refused(r) => r.label(),
            LoginOutcome::Failed(f) => f.label(),
        }
    }
}

/// The end of `/reset-password`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetOutcome {
    /// Nexudus said "sent" or "no such user": the member is told the same either way.
    Requested {
        email: String,
    },
    Refused(Refusal),
    Failed(Failure),
}

impl ResetOutcome {
    pub fn label(&self) -> &'static str {
        match self {
            ResetOutcome::Requested { .. } => "reset_requested",
            ResetOutcome::Refused(r) => r.label(),
            ResetOutcome::Failed(f) => f.label(),
        }
    }
}

/// The end of `/link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked {
        email: String,
        moved_from: Option<u64>,
    },
    InvalidCredentials,
    /// Credentials were right but the user list has no such email.
    AccountNotFound,
    Refused(Refusal),
    Failed(Failure),
}

impl LinkOutcome {
    /// What the audit log adds to the outcome: a link moved from another Discord account.
    pub fn audit_detail(&self) -> Option<String> {
        match self {
            LinkOutcome::Linked {
                moved_from: Some(previous),
                ..
            } => Some(format!("moved from Discord user {previous}")),
            _ => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            LinkOutcome::Linked {
                moved_from: None, ..
            } => "linked",
            LinkOutcome::Linked {
                moved_from: Some(_),
                ..
            } => "linked_moved",
            LinkOutcome::InvalidCredentials => "invalid_credentials",
            LinkOutcome::AccountNotFound => "account_not_found",
            LinkOutcome::Refused(r) => r.label(),
            LinkOutcome::Failed(f) => f.label(),
        }
    }
}

/// The end of `/unlink` and `/account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountOutcome {
    Linked(Link),
    Unlinked(Link),
    NotLinked,
    Failed(Failure),
}

impl AccountOutcome {
    pub fn label(&self) -> &'static str {
        match self {
            AccountOutcome::Linked(_) => "shown",
            AccountOutcome::Unlinked(_) => "unlinked",
            AccountOutcome::NotLinked => "not_linked",
            AccountOutcome::Failed(f) => f.label(),
        }
    }
}

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

/// A login that passed its local checks and may now call Nexudus.
pub struct LoginTicket {
    subject: Subject,
    nexudus_user_id: u64,
    page: PortalPage,
    hit: Hit,
    _running: InFlightGuard<(u64, Operation)>,
}

/// A password reset that passed its local checks.
pub struct ResetTicket {
    subject: Subject,
    email: String,
    hits: ResetHits,
    _running: InFlightGuard<(u64, Operation)>,
}

/// A `/link` modal submission that passed its local checks.
pub struct LinkTicket {
    request: Request,
    email: String,
    password: SecretString,
    _running: InFlightGuard<(u64, Operation)>,
}

/// The member use cases and everything they share.
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

    /// Time since the service started.
    pub fn uptime(&self) -> std::time::Duration {
        self.started.elapsed()
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

    // ---- /login ----

    /// Local checks of `/login`: page, link, not already running, rate limit.
    pub async fn prepare_login(
        &self,
        request: Request,
        page_label: Option<&str>,
    ) -> Result<LoginTicket, LoginOutcome> {
        self.prepare_login_for(Subject::member(request, Action::Login), page_label)
            .await
    }

    /// Local checks of a login for `subject.member_id`; the member's login limit
    /// counts even when a manager asks.
    pub async fn prepare_login_for(
        &self,
        subject: Subject,
        page_label: Option<&str>,
    ) -> Result<LoginTicket, LoginOutcome> {
        let page = match page_label {
            None => self.pages.default_page().clone(),
            Some(label) => match self.pages.by_label(label) {
                Some(page) => page.clone(),
                // A forged interaction: Discord only offers configured labels.
                None => {
                    return Err(self
                        .finish_login(&subject, LoginOutcome::Refused(Refusal::UnknownPage))
                        .await);
                }
            },
        };
        let link = match self.store.get_link(subject.member_id).await {
            Ok(Some(link)) => link,
            Ok(None) => {
                return Err(self
                    .finish_login(&subject, LoginOutcome::Refused(Refusal::NotLinked))
                    .await);
            }
            Err(err) => {
                error!(error = %err, "reading the member's link failed");
                return Err(self
                    .finish_login(&subject, LoginOutcome::Failed(Failure::Internal))
                    .await);
            }
        };
        let Some(running) = self
            .running
            .try_begin((subject.member_id, Operation::Login))
        else {
            return Err(self
                .finish_login(&subject, LoginOutcome::Refused(Refusal::AlreadyRunning))
                .await);
        };
        let hit = match self.limits.login.check(&subject.member_id) {
            Decision::Allowed(hit) => hit,
            Decision::Refused { retry_after } => {
                let retry_at = SystemTime::now() + retry_after;
                let refused = LoginOutcome::Refused(Refusal::RateLimited { retry_at });
                return Err(self.finish_login(&subject, refused).await);
            }
        };
        Ok(LoginTicket {
            subject,
            nexudus_user_id: link.nexudus_user_id,
            page,
            hit,
            _running: running,
        })
    }

    /// Mints a one-time token and delivers the login link by DM.
    pub async fn login(&self, ticket: LoginTicket) -> LoginOutcome {
        let subject = &ticket.subject;
        let outcome = match self.nexudus.login_token(ticket.nexudus_user_id).await {
            // The linked Nexudus user was deleted: retrying cannot help, linking again can.
            Err(NexudusError::NotFound) => {
                self.nexudus_answered(&subject.request).await;
                LoginOutcome::LinkGone
            }
            Err(err) => LoginOutcome::Failed(self.nexudus_failure(&subject.request, &err).await),
            Ok(token) => {
                self.nexudus_answered(&subject.request).await;
                let url = self.nexudus.login_url(&token, &ticket.page);
                match self
                    .courier
                    .deliver(&subject.request, subject.member_id, &url, &ticket.page)
                    .await
                {
                    Delivery::Sent => LoginOutcome::Delivered,
                    Delivery::DmClosed => LoginOutcome::DmClosed(url),
                    Delivery::Failed => LoginOutcome::DmFailed,
                }
            }
        };
        if let LoginOutcome::Failed(_) = outcome {
            // Nexudus failed, not the member: the try is given back.
            self.limits.login.refund(&subject.member_id, ticket.hit);
        }
        self.finish_login(subject, outcome).await
    }

    async fn finish_login(&self, subject: &Subject, outcome: LoginOutcome) -> LoginOutcome {
        self.audit(
            &subject.request,
            subject.action,
            Some(subject.member_id),
            None,
            outcome.label(),
            None,
        )
        .await;
        outcome
    }

    // ---- /reset-password ----

    /// Local checks of `/reset-password`: the email (typed or linked), not already running, both limits.
    pub async fn prepare_reset(
        &self,
        request: Request,
        typed_email: Option<&str>,
    ) -> Result<ResetTicket, ResetOutcome> {
        let subject = Subject::member(request, Action::ResetPassword);
        let email = match typed_email {
            Some(raw) => match parse_email(raw) {
                Ok(email) => email,
                Err(problem) => {
                    let refused = ResetOutcome::Refused(Refusal::InvalidEmail(problem));
                    return Err(self.finish_reset(&subject, None, refused).await);
                }
            },
            None => match self.linked_email(subject.member_id).await {
                Ok(Some(email)) => email,
                Ok(None) => {
                    return Err(self
                        .finish_reset(&subject, None, ResetOutcome::Refused(Refusal::NeedEmail))
                        .await);
                }
                Err(failure) => {
                    return Err(self
                        .finish_reset(&subject, None, ResetOutcome::Failed(failure))
                        .await);
                }
            },
        };
        let Some(running) = self
            .running
            .try_begin((subject.member_id, Operation::Reset))
        else {
            let refused = ResetOutcome::Refused(Refusal::AlreadyRunning);
            return Err(self.finish_reset(&subject, Some(&email), refused).await);
        };
        let decision = self.limits.check_reset(subject.member_id, &email);
        self.reset_ticket(subject, email, running, decision).await
    }

    /// The email of the member's link, if linked.
    async fn linked_email(&self, member_id: u64) -> Result<Option<String>, Failure> {
        self.store
            .get_link(member_id)
            .await
            .map(|link| link.map(|link| link.email))
            .map_err(|err| {
                error!(error = %err, "reading the member's link failed");
                Failure::Internal
            })
    }

    async fn reset_ticket(
        &self,
        subject: Subject,
        email: String,
        running: InFlightGuard<(u64, Operation)>,
        decision: Decision<ResetHits>,
    ) -> Result<ResetTicket, ResetOutcome> {
        let hits = match decision {
            Decision::Allowed(hits) => hits,
            Decision::Refused { retry_after } => {
                let retry_at = SystemTime::now() + retry_after;
                let refused = ResetOutcome::Refused(Refusal::RateLimited { retry_at });
                return Err(self.finish_reset(&subject, Some(&email), refused).await);
            }
        };
        Ok(ResetTicket {
            subject,
            email,
            hits,
            _running: running,
        })
    }

    /// Asks Nexudus to email a reset link. "Sent" and "no such user" end the same way.
    pub async fn reset(&self, ticket: ResetTicket) -> ResetOutcome {
        let outcome = match self.nexudus.request_password_reset(&ticket.email).await {
            Ok(()) | Err(NexudusError::NotFound) => {
                self.nexudus_answered(&ticket.subject.request).await;
                ResetOutcome::Requested {
                    email: ticket.email.clone(),
                }
            }
            Err(err) => {
                // Not the member's fault: the try is given back to them (and to the inbox).
                self.limits.refund_reset(ticket.hits);
                ResetOutcome::Failed(self.nexudus_failure(&ticket.subject.request, &err).await)
            }
        };
        self.finish_reset(&ticket.subject, Some(&ticket.email), outcome)
            .await
    }

    async fn finish_reset(
        &self,
        subject: &Subject,
        email: Option<&str>,
        outcome: ResetOutcome,
    ) -> ResetOutcome {
        let target = Some(subject.member_id);
        self.audit(
            &subject.request,
            subject.action,
            target,
            email,
            outcome.label(),
            None,
        )
        .await;
        outcome
    }

    // ---- /link ----

    /// Whether opening the `/link` form makes sense now (no point typing a password to be refused).
    pub fn link_form_allowed(&self, user_id: u64) -> Result<(), Refusal> {
        match self.limits.link.would_allow(&user_id) {
            Decision::Allowed(()) => Ok(()),
            Decision::Refused { retry_after } => Err(Refusal::RateLimited {
                retry_at: SystemTime::now() + retry_after,
            }),
        }
    }

    /// Local checks of a `/link` form: the email, the limit (password guessing), not already running.
    pub async fn prepare_link(
        &self,
        request: Request,
        email: &str,
        password: SecretString,
    ) -> Result<LinkTicket, LinkOutcome> {
        let email = match parse_email(email) {
            Ok(email) => email,
            Err(problem) => {
                return Err(self
                    .refuse_link(&request, None, Refusal::InvalidEmail(problem))
                    .await);
            }
        };
        let Some(running) = self.running.try_begin((request.user_id, Operation::Link)) else {
            return Err(self
                .refuse_link(&request, Some(&email), Refusal::AlreadyRunning)
                .await);
        };
        if let Decision::Refused { retry_after } = self.limits.link.check(&request.user_id) {
            let retry_at = SystemTime::now() + retry_after;
            return Err(self
                .refuse_link(&request, Some(&email), Refusal::RateLimited { retry_at })
                .await);
        }
        Ok(LinkTicket {
            request,
            email,
            password,
            _running: running,
        })
    }

    /// Verifies the member's credentials with Nexudus, finds their user id and stores the link.
    /// The password is dropped (and zeroed) when the ticket is.
    pub async fn link(&self, ticket: LinkTicket) -> LinkOutcome {
        let LinkTicket {
            request,
            email,
            password,
            _running,
        } = ticket;
        let verified = self
            .nexudus
            .user_token(&email, &password, VERIFY_TOKEN_VALIDITY_MINUTES)
            .await;
        drop(password);
        let outcome = match verified {
            Err(NexudusError::InvalidCredentials) => {
                // A wrong password is still Nexudus answering: an outage is over.
                self.nexudus_answered(&request).await;
                LinkOutcome::InvalidCredentials
            }
            Err(err) => LinkOutcome::Failed(self.nexudus_failure(&request, &err).await),
            // The member's JWT proves the password; it carries no user id, so look that up.
            Ok(_member_jwt) => self.link_to_user(&request, request.user_id, &email).await,
        };
        self.audit(
            &request,
            Action::Link,
            Some(request.user_id),
            Some(&email),
            outcome.label(),
            outcome.audit_detail(),
        )
        .await;
        outcome
    }

    /// Finds the Nexudus user with `email` and links `member_id` to it.
    pub(crate) async fn link_to_user(
        &self,
        request: &Request,
        member_id: u64,
        email: &str,
    ) -> LinkOutcome {
        match self.nexudus.find_user_by_email(email).await {
            Err(NexudusError::NotFound) => {
                self.nexudus_answered(request).await;
                LinkOutcome::AccountNotFound
            }
            Err(err) => LinkOutcome::Failed(self.nexudus_failure(request, &err).await),
            Ok(user) => {
                self.nexudus_answered(request).await;
                self.store_link(request, member_id, user.id, &user.email)
                    .await
            }
        }
    }

    /// Stores a link made by `linked_by` (the member, or a manager).
    pub(crate) async fn store_link(
        &self,
        request: &Request,
        member_id: u64,
        nexudus_user_id: u64,
        email: &str,
    ) -> LinkOutcome {
        let link = Link {
            discord_user_id: member_id,
            nexudus_user_id,
            email: email.to_owned(),
            linked_at: unix_now(),
            linked_by: request.user_id,
        };
        match self.store.link(link).await {
            Ok(change) => LinkOutcome::Linked {
                email: email.to_owned(),
                moved_from: change.moved_from,
            },
            Err(err) => {
                error!(error = %err, "storing the link failed");
                LinkOutcome::Failed(Failure::Internal)
            }
        }
    }

    async fn refuse_link(
        &self,
        request: &Request,
        email: Option<&str>,
        refusal: Refusal,
    ) -> LinkOutcome {
        let outcome = LinkOutcome::Refused(refusal);
        self.audit(
            request,
            Action::Link,
            Some(request.user_id),
            email,
            outcome.label(),
            None,
        )
        .await;
        outcome
    }

    // ---- /unlink, /account ----

    /// Forgets the member's link.
    pub async fn unlink(&self, request: Request) -> AccountOutcome {
        let member_id = request.user_id;
        self.remove_link(request, Action::Unlink, member_id).await
    }

    /// Removes `member_id`'s link and audits it under `action`.
    pub(crate) async fn remove_link(
        &self,
        request: Request,
        action: Action,
        member_id: u64,
    ) -> AccountOutcome {
        let outcome = match self.store.unlink(member_id).await {
            Ok(Some(link)) => AccountOutcome::Unlinked(link),
            Ok(None) => AccountOutcome::NotLinked,
            Err(err) => {
                error!(error = %err, "removing the link failed");
                AccountOutcome::Failed(Failure::Internal)
            }
        };
        let email = match &outcome {
            AccountOutcome::Unlinked(link) => Some(link.email.as_str()),
            _ => None,
        };
        self.audit(
            &request,
            action,
            Some(member_id),
            email,
            outcome.label(),
            None,
        )
        .await;
        outcome
    }

    /// Shows the member's link.
    pub async fn account(&self, request: Request) -> AccountOutcome {
        let outcome = match self.store.get_link(request.user_id).await {
            Ok(Some(link)) => AccountOutcome::Linked(link),
            Ok(None) => AccountOutcome::NotLinked,
            Err(err) => {
                error!(error = %err, "reading the link failed");
                AccountOutcome::Failed(Failure::Internal)
            }
        };
        self.audit(
            &request,
            Action::Account,
            Some(request.user_id),
            None,
            outcome.label(),
            None,
        )
        .await;
        outcome
    }

    // ---- shared ----

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
                    self.bot_event(request, "nexudus_credentials", "rejected", None)
                        .await;
                }
                Failure::Misconfigured
            }
            NexudusError::Unavailable { .. } | NexudusError::Timeout => {
                if !self.nexudus_down.swap(true, Ordering::SeqCst) {
                    warn!(kind = err.kind(), "Nexudus outage started");
                    self.bot_event(
                        request,
                        "nexudus_outage",
                        "started",
                        Some(err.kind().to_owned()),
                    )
                    .await;
                }
                Failure::Nexudus(err.kind())
            }
            other => Failure::Nexudus(other.kind()),
        }
    }

    /// Nexudus answered sensibly: ends an announced outage or credentials problem.
    async fn nexudus_answered(&self, request: &Request) {
        if self.nexudus_down.swap(false, Ordering::SeqCst) {
            info!("Nexudus outage ended");
            self.bot_event(request, "nexudus_outage", "ended", None)
                .await;
        }
        if self.credentials_rejected.swap(false, Ordering::SeqCst) {
            self.bot_event(request, "nexudus_credentials", "accepted", None)
                .await;
        }
    }

    /// Audits an event of the bot itself, announced in every audit channel.
    async fn bot_event(
        &self,
        request: &Request,
        action: &str,
        outcome: &str,
        detail: Option<String>,
    ) {
        let entry = NewAuditEntry {
            at: unix_now(),
            request_id: request.id.to_string(),
            guild_id: None,
            actor_id: BOT_ACTOR,
            action: action.to_owned(),
            target_user_id: None,
            target_email_masked: None,
            outcome: outcome.to_owned(),
            detail,
        };
        self.feed.publish(entry.clone());
        // Not awaited: the reply goes out while the row is written.
        self.store.queue_audit(entry);
    }

    /// Records a finished request once: the INFO log line, the metrics and the
    /// audit log. A failing audit write is logged, never shown to the member:
    /// their request did happen.
    pub(crate) async fn audit(
        &self,
        request: &Request,
        action: Action,
        target_user_id: Option<u64>,
        email: Option<&str>,
        outcome: &str,
        detail: Option<String>,
    ) {
        info!(action = action.as_str(), outcome, "request finished");
        self.metrics.interaction(action.as_str(), outcome);
        match outcome {
            "rate_limited" => self.metrics.limiter_refusal(action.as_str()),
            "dm_closed" | "dm_failed" => self.metrics.dm_failure(outcome),
            _ => {}
        }
        let entry = NewAuditEntry {
            at: unix_now(),
            request_id: request.id.to_string(),
            guild_id: request.guild_id,
            actor_id: request.user_id,
            action: action.as_str().to_owned(),
            target_user_id,
            target_email_masked: email.map(MaskedEmail::new),
            outcome: outcome.to_owned(),
            detail,
        };
        self.feed.publish(entry.clone());
        // Not awaited: the reply goes out while the row is written.
        self.store.queue_audit(entry);
    }
}
