//! `/reset-password`, the panel's reset form and `/admin reset-password`:
//! Nexudus emails a reset link. The answer is the same whether or not the
//! email belongs to anyone, so it never tells who is a member.

use super::{Failure, Operation, Progress, Refusal, Service, Subject, Unserved};
use crate::email::parse_email;
use crate::inflight::InFlightGuard;
use crate::nexudus::{NexudusError, Ticket};
use crate::ratelimit::{Decision, ResetHits};
use crate::request::{Action, Outcome, Request};

/// The end of a password reset.
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
    pub fn label(&self) -> Outcome {
        match self {
            ResetOutcome::Requested { .. } => Outcome::ResetRequested,
            ResetOutcome::Refused(r) => r.label(),
            ResetOutcome::Failed(f) => f.label(),
        }
    }
}

/// A password reset that passed its local checks.
pub struct ResetTicket {
    subject: Subject,
    email: String,
    /// The tries it took, given back if Nexudus fails.
    hits: ResetHits,
    place: Ticket,
    _running: InFlightGuard<(u64, Operation)>,
}

impl From<Unserved> for ResetOutcome {
    fn from(unserved: Unserved) -> ResetOutcome {
        match unserved {
            Unserved::Refused(refusal) => ResetOutcome::Refused(refusal),
            Unserved::Failed(failure) => ResetOutcome::Failed(failure),
        }
    }
}

/// Calls a reset makes: asking Nexudus to send the email.
const RESET_CALLS: u32 = 1;

impl Service {
    /// Local checks of `/reset-password`: the email (typed or linked), not already running, both limits.
    pub async fn prepare_reset(
        &self,
        request: Request,
        typed_email: Option<&str>,
    ) -> Result<ResetTicket, ResetOutcome> {
        let subject = Subject::member(request, Action::ResetPassword);
        let email = match typed_email.map(parse_email) {
            Some(Ok(email)) => email,
            Some(Err(problem)) => {
                let refused = ResetOutcome::Refused(Refusal::InvalidEmail(problem));
                return Err(self.finish_reset(&subject, None, refused).await);
            }
            None => self.linked_email_or(&subject, Refusal::NeedEmail).await?,
        };
        let member_id = subject.member_id;
        self.reset_ticket(subject, email, |email| {
            self.limits.check_reset(member_id, email)
        })
        .await
    }

    /// `/admin reset-password`: local checks of a reset for the member's linked email,
    /// counted against that email's limit (it protects the inbox, whoever asks).
    pub async fn prepare_admin_reset(
        &self,
        request: Request,
        member_id: u64,
    ) -> Result<ResetTicket, ResetOutcome> {
        let subject = Subject {
            request,
            action: Action::AdminResetPassword,
            member_id,
        };
        let email = self.linked_email_or(&subject, Refusal::NotLinked).await?;
        self.reset_ticket(subject, email, |email| self.limits.check_reset_email(email))
            .await
    }

    /// The subject's linked email, or the end of the reset: `missing` when there is none.
    async fn linked_email_or(
        &self,
        subject: &Subject,
        missing: Refusal,
    ) -> Result<String, ResetOutcome> {
        let outcome = match self.linked_email(subject.member_id).await {
            Ok(Some(email)) => return Ok(email),
            Ok(None) => ResetOutcome::Refused(missing),
            Err(failure) => ResetOutcome::Failed(failure),
        };
        Err(self.finish_reset(subject, None, outcome).await)
    }

    /// The last local checks: not already running, then the limits `decide` applies.
    async fn reset_ticket(
        &self,
        subject: Subject,
        email: String,
        decide: impl FnOnce(&str) -> Decision<ResetHits>,
    ) -> Result<ResetTicket, ResetOutcome> {
        let Some(running) = self
            .running
            .try_begin((subject.member_id, Operation::Reset))
        else {
            let refused = ResetOutcome::Refused(Refusal::AlreadyRunning);
            return Err(self.finish_reset(&subject, Some(&email), refused).await);
        };
        let hits = match decide(&email) {
            Decision::Allowed(hits) => hits,
            Decision::Refused { retry_after } => {
                let refused = ResetOutcome::Refused(Refusal::rate_limited(retry_after));
                return Err(self.finish_reset(&subject, Some(&email), refused).await);
            }
        };
        let place = match self.join_line(subject.action, RESET_CALLS) {
            Ok(place) => place,
            Err(unserved) => {
                self.limits.refund_reset(hits);
                return Err(self
                    .finish_reset(&subject, Some(&email), unserved.into())
                    .await);
            }
        };
        Ok(ResetTicket {
            subject,
            email,
            hits,
            place,
            _running: running,
        })
    }

    /// Waits for its turn and asks Nexudus to email a reset link. "Sent" and
    /// "no such user" end the same way.
    pub async fn reset(&self, mut ticket: ResetTicket, progress: &dyn Progress) -> ResetOutcome {
        let nexudus = match self.wait_turn(&mut ticket.place, progress).await {
            Ok(nexudus) => nexudus,
            Err(unserved) => {
                self.limits.refund_reset(ticket.hits);
                return self
                    .finish_reset(&ticket.subject, Some(&ticket.email), unserved.into())
                    .await;
            }
        };
        let outcome = match nexudus.start_password_reset(&ticket.email).await {
            // The client already folds the seed's "no such user" into Ok.
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
        self.record(
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
}
