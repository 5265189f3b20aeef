//! `/link` (and the panel's link button) and `/admin link`: tie a Discord
//! account to a Nexudus user. A member proves the account with its password,
//! which only travels to Nexudus; a manager links by email alone.

use secrecy::SecretString;
use tracing::error;

use super::{Failure, LinkRoles, NoProgress, Operation, Progress, Refusal, Service, Unserved};
use crate::email::parse_email;
use crate::inflight::InFlightGuard;
use crate::nexudus::{NexudusClient, NexudusError, Ticket};
use crate::ratelimit::{Decision, Hit};
use crate::request::{Action, Detail, Outcome, Request};
use crate::store::{Link, unix_now};

/// The end of a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    Linked {
        email: String,
        moved_from: Option<u64>,
        /// The membership roles the link left them with.
        roles: LinkRoles,
    },
    InvalidCredentials,
    /// The password is right, but the account uses two-factor authentication
    /// and the code was missing or not accepted.
    TwoFactorRequired,
    /// The password is right, but Nexudus wants a new one chosen first.
    MustResetPassword,
    /// Credentials were right but the user list has no such email.
    AccountNotFound,
    Refused(Refusal),
    Failed(Failure),
}

impl LinkOutcome {
    /// What the audit log adds to the outcome: a link moved from another Discord account.
    pub fn audit_detail(&self) -> Option<Detail> {
        match self {
            LinkOutcome::Linked {
                moved_from: Some(previous),
                ..
            } => Some(Detail::MovedFrom(*previous)),
            _ => None,
        }
    }

    pub fn label(&self) -> Outcome {
        match self {
            LinkOutcome::Linked {
                moved_from: None, ..
            } => Outcome::Linked,
            LinkOutcome::Linked {
                moved_from: Some(_),
                ..
            } => Outcome::LinkedMoved,
            LinkOutcome::InvalidCredentials => Outcome::InvalidCredentials,
            LinkOutcome::TwoFactorRequired => Outcome::TwoFactorRequired,
            LinkOutcome::MustResetPassword => Outcome::MustResetPassword,
            LinkOutcome::AccountNotFound => Outcome::AccountNotFound,
            LinkOutcome::Refused(r) => r.label(),
            LinkOutcome::Failed(f) => f.label(),
        }
    }
}

/// A `/link` form submission that passed its local checks.
pub struct LinkTicket {
    request: Request,
    email: String,
    password: SecretString,
    two_factor_code: Option<SecretString>,
    /// The try it took, given back if Nexudus fails.
    hit: Hit,
    place: Ticket,
    _running: InFlightGuard<(u64, Operation)>,
}

impl From<Unserved> for LinkOutcome {
    fn from(unserved: Unserved) -> LinkOutcome {
        match unserved {
            Unserved::Refused(refusal) => LinkOutcome::Refused(refusal),
            Unserved::Failed(failure) => LinkOutcome::Failed(failure),
        }
    }
}

/// Calls a member's link makes: checking the password, finding the user
/// (and, with membership roles, the member's plans).
const LINK_CALLS: u32 = 2;
/// Calls a manager's link makes: finding the user.
const ADMIN_LINK_CALLS: u32 = 1;

impl Service {
    /// Whether opening the `/link` form makes sense now (no point typing a password to be refused).
    pub fn link_form_allowed(&self, user_id: u64) -> Result<(), Refusal> {
        match self.limits.link.would_allow(&user_id) {
            Decision::Allowed(()) => Ok(()),
            Decision::Refused { retry_after } => Err(Refusal::rate_limited(retry_after)),
        }
    }

    /// Local checks of a `/link` form: the email, the limit (password guessing), not already running.
    /// The two-factor code, when typed, travels with the password and is dropped with it.
    pub async fn prepare_link(
        &self,
        request: Request,
        email: &str,
        password: SecretString,
        two_factor_code: Option<SecretString>,
    ) -> Result<LinkTicket, LinkOutcome> {
        let member_id = request.user_id;
        let email = match parse_email(email) {
            Ok(email) => email,
            Err(problem) => {
                let refused = LinkOutcome::Refused(Refusal::InvalidEmail(problem));
                return Err(self
                    .finish_link(&request, Action::Link, member_id, None, refused)
                    .await);
            }
        };
        let refusal = match self.running.try_begin((member_id, Operation::Link)) {
            None => Refusal::AlreadyRunning,
            Some(running) => match self.limits.link.check(&member_id) {
                Decision::Allowed(hit) => {
                    match self.join_line(Action::Link, LINK_CALLS + self.role_calls()) {
                        Ok(place) => {
                            return Ok(LinkTicket {
                                request,
                                email,
                                password,
                                two_factor_code,
                                hit,
                                place,
                                _running: running,
                            });
                        }
                        Err(unserved) => {
                            return Err(self.unserved_link(&request, &email, hit, unserved).await);
                        }
                    }
                }
                Decision::Refused { retry_after } => Refusal::rate_limited(retry_after),
            },
        };
        let refused = LinkOutcome::Refused(refusal);
        Err(self
            .finish_link(&request, Action::Link, member_id, Some(&email), refused)
            .await)
    }

    /// A link that got no turn to call Nexudus: nothing was checked, so the
    /// try is given back.
    async fn unserved_link(
        &self,
        request: &Request,
        email: &str,
        hit: Hit,
        unserved: Unserved,
    ) -> LinkOutcome {
        let member_id = request.user_id;
        self.limits.link.refund(&member_id, hit);
        self.finish_link(
            request,
            Action::Link,
            member_id,
            Some(email),
            unserved.into(),
        )
        .await
    }

    /// Verifies the member's credentials with Nexudus, finds their user id and stores the link.
    /// The password and two-factor code are dropped (and zeroed) right after the check.
    pub async fn link(&self, ticket: LinkTicket, progress: &dyn Progress) -> LinkOutcome {
        let LinkTicket {
            request,
            email,
            password,
            two_factor_code,
            hit,
            mut place,
            _running,
        } = ticket;
        let member_id = request.user_id;
        let nexudus = match self.wait_turn(&mut place, progress).await {
            Ok(nexudus) => nexudus,
            Err(unserved) => return self.unserved_link(&request, &email, hit, unserved).await,
        };
        let verified = nexudus
            .verify_member(&email, &password, two_factor_code.as_ref())
            .await;
        drop(password);
        drop(two_factor_code);
        let outcome = match verified {
            // A member's answer is still Nexudus answering: an outage is over.
            Err(NexudusError::InvalidCredentials) => {
                self.nexudus_answered(&request).await;
                LinkOutcome::InvalidCredentials
            }
            Err(NexudusError::TwoFactorRequired) => {
                self.nexudus_answered(&request).await;
                LinkOutcome::TwoFactorRequired
            }
            Err(NexudusError::MustResetPassword) => {
                self.nexudus_answered(&request).await;
                LinkOutcome::MustResetPassword
            }
            Err(err @ NexudusError::HourlyBudgetSpent { .. }) => {
                // Nothing was sent: the guess it would have been is given back.
                self.limits.link.refund(&member_id, hit);
                LinkOutcome::Failed(self.nexudus_failure(&request, &err).await)
            }
            Err(err) => LinkOutcome::Failed(self.nexudus_failure(&request, &err).await),
            // The member's JWT proves the password; it carries no user id, so look that up.
            Ok(_member_jwt) => {
                self.link_to_user(&nexudus, &request, member_id, &email)
                    .await
            }
        };
        self.finish_link(&request, Action::Link, member_id, Some(&email), outcome)
            .await
    }

    /// `/admin link`: link a member to the Nexudus user with that email, no password.
    pub async fn admin_link(&self, request: Request, member_id: u64, email: &str) -> LinkOutcome {
        let outcome = match parse_email(email) {
            Err(problem) => LinkOutcome::Refused(Refusal::InvalidEmail(problem)),
            Ok(email) => {
                let turn =
                    match self.join_line(Action::AdminLink, ADMIN_LINK_CALLS + self.role_calls()) {
                        Ok(mut place) => self.wait_turn(&mut place, &NoProgress).await,
                        Err(unserved) => Err(unserved),
                    };
                match turn {
                    Ok(nexudus) => {
                        self.link_to_user(&nexudus, &request, member_id, &email)
                            .await
                    }
                    Err(unserved) => unserved.into(),
                }
            }
        };
        self.finish_link(&request, Action::AdminLink, member_id, Some(email), outcome)
            .await
    }

    /// Finds the Nexudus user with `email` and links `member_id` to it.
    async fn link_to_user(
        &self,
        nexudus: &NexudusClient,
        request: &Request,
        member_id: u64,
        email: &str,
    ) -> LinkOutcome {
        match nexudus.find_user_by_email(email).await {
            Err(NexudusError::NotFound) => {
                self.nexudus_answered(request).await;
                LinkOutcome::AccountNotFound
            }
            Err(err) => LinkOutcome::Failed(self.nexudus_failure(request, &err).await),
            Ok(user) => {
                self.nexudus_answered(request).await;
                let outcome = self
                    .store_link(request, member_id, user.id, &user.email)
                    .await;
                let LinkOutcome::Linked {
                    email, moved_from, ..
                } = outcome
                else {
                    return outcome;
                };
                if let Some(previous) = moved_from {
                    self.roles_after_unlink(previous).await;
                }
                let roles = self.roles_after_link(nexudus, member_id).await;
                LinkOutcome::Linked {
                    email,
                    moved_from,
                    roles,
                }
            }
        }
    }

    /// Stores a link made by the requester (the member, or a manager).
    async fn store_link(
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
            coworker_id: None,
        };
        match self.store.link(link).await {
            Ok(change) => LinkOutcome::Linked {
                email: email.to_owned(),
                moved_from: change.moved_from,
                roles: LinkRoles::Off,
            },
            Err(err) => {
                error!(error = %err, "storing the link failed");
                LinkOutcome::Failed(Failure::Internal)
            }
        }
    }

    async fn finish_link(
        &self,
        request: &Request,
        action: Action,
        member_id: u64,
        email: Option<&str>,
        outcome: LinkOutcome,
    ) -> LinkOutcome {
        let detail = outcome.audit_detail();
        let target = Some(member_id);
        self.record(request, action, target, email, outcome.label(), detail)
            .await;
        outcome
    }
}
