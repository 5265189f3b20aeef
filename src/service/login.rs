//! `/login`, the panel's login button and `/admin login`: a one-time portal
//! login link, delivered by DM. The link is a secret: it only ever travels to
//! the courier, and back in the outcome when DMs are closed.

use async_trait::async_trait;
use tracing::error;

use super::{Failure, Operation, Progress, Refusal, Service, Subject, Unserved};
use crate::inflight::InFlightGuard;
use crate::nexudus::{LoginUrl, NexudusError, Ticket};
use crate::pages::PortalPage;
use crate::ratelimit::{Decision, Hit};
use crate::request::{Action, Outcome, Request};

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

/// What happened to a login link sent by DM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The member does not accept DMs from server members (Discord 50007).
    DmClosed,
    /// Discord failed otherwise (after the one retry of a 429).
    Failed,
}

/// The end of a login.
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
    pub fn label(&self) -> Outcome {
        match self {
            LoginOutcome::Delivered => Outcome::DmSent,
            LoginOutcome::DmClosed(_) => Outcome::DmClosed,
            LoginOutcome::DmFailed => Outcome::DmFailed,
            LoginOutcome::LinkGone => Outcome::LinkGone,
            LoginOutcome::Refused(r) => r.label(),
            LoginOutcome::Failed(f) => f.label(),
        }
    }
}

/// A login that passed its local checks and may now call Nexudus.
pub struct LoginTicket {
    subject: Subject,
    nexudus_user_id: u64,
    page: PortalPage,
    /// The try it took, given back if Nexudus fails.
    hit: Hit,
    place: Ticket,
    _running: InFlightGuard<(u64, Operation)>,
}

impl From<Unserved> for LoginOutcome {
    fn from(unserved: Unserved) -> LoginOutcome {
        match unserved {
            Unserved::Refused(refusal) => LoginOutcome::Refused(refusal),
            Unserved::Failed(failure) => LoginOutcome::Failed(failure),
        }
    }
}

/// Calls a login makes: minting the token.
const LOGIN_CALLS: u32 = 1;

impl Service {
    /// Local checks of `/login`: page, link, not already running, rate limit.
    pub async fn prepare_login(
        &self,
        request: Request,
        page_label: Option<&str>,
    ) -> Result<LoginTicket, LoginOutcome> {
        self.prepare_login_for(Subject::member(request, Action::Login), page_label)
            .await
    }

    /// `/admin login`: the same checks for a member, counted against the member's limit.
    pub async fn prepare_admin_login(
        &self,
        request: Request,
        member_id: u64,
        page_label: Option<&str>,
    ) -> Result<LoginTicket, LoginOutcome> {
        let subject = Subject {
            request,
            action: Action::AdminLogin,
            member_id,
        };
        self.prepare_login_for(subject, page_label).await
    }

    /// Local checks of a login for `subject.member_id`; the member's login limit
    /// counts even when a manager asks.
    async fn prepare_login_for(
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
                let refused = LoginOutcome::Refused(Refusal::rate_limited(retry_after));
                return Err(self.finish_login(&subject, refused).await);
            }
        };
        let place = match self.join_line(subject.action, LOGIN_CALLS) {
            Ok(place) => place,
            Err(unserved) => {
                // Not sent: the try is given back.
                self.limits.login.refund(&subject.member_id, hit);
                return Err(self.finish_login(&subject, unserved.into()).await);
            }
        };
        Ok(LoginTicket {
            subject,
            nexudus_user_id: link.nexudus_user_id,
            page,
            hit,
            place,
            _running: running,
        })
    }

    /// Waits for its turn, mints a one-time token and delivers the login link by DM.
    pub async fn login(&self, ticket: LoginTicket, progress: &dyn Progress) -> LoginOutcome {
        let LoginTicket {
            subject,
            nexudus_user_id,
            page,
            hit,
            mut place,
            _running,
        } = ticket;
        let subject = &subject;
        let nexudus = match self.wait_turn(&mut place, progress).await {
            Ok(nexudus) => nexudus,
            Err(unserved) => {
                self.limits.login.refund(&subject.member_id, hit);
                return self.finish_login(subject, unserved.into()).await;
            }
        };
        let outcome = match nexudus.login_token(nexudus_user_id).await {
            // The linked Nexudus user was deleted: retrying cannot help, linking again can.
            Err(NexudusError::NotFound) => {
                self.nexudus_answered(&subject.request).await;
                LoginOutcome::LinkGone
            }
            Err(err) => LoginOutcome::Failed(self.nexudus_failure(&subject.request, &err).await),
            Ok(token) => {
                self.nexudus_answered(&subject.request).await;
                let url = self.nexudus.login_url(&token, &page);
                match self
                    .courier
                    .deliver(&subject.request, subject.member_id, &url, &page)
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
            self.limits.login.refund(&subject.member_id, hit);
        }
        self.finish_login(subject, outcome).await
    }

    async fn finish_login(&self, subject: &Subject, outcome: LoginOutcome) -> LoginOutcome {
        let target = Some(subject.member_id);
        self.record(
            &subject.request,
            subject.action,
            target,
            None,
            outcome.label(),
            None,
        )
        .await;
        outcome
    }
}
