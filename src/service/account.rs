//! `/account`, `/unlink` and `/admin unlink`: show or forget a link. Nexudus
//! is not asked; an unlink takes the member's managed roles.

use tracing::error;

use super::{Failure, Service};
use crate::request::{Action, Outcome, Request};
use crate::store::{Link, StoreError};

/// The end of `/unlink`, `/admin unlink` and `/account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountOutcome {
    Linked(Link),
    Unlinked(Link),
    NotLinked,
    Failed(Failure),
}

impl AccountOutcome {
    pub fn label(&self) -> Outcome {
        match self {
            AccountOutcome::Linked(_) => Outcome::Shown,
            AccountOutcome::Unlinked(_) => Outcome::Unlinked,
            AccountOutcome::NotLinked => Outcome::NotLinked,
            AccountOutcome::Failed(f) => f.label(),
        }
    }
}

impl Service {
    /// The email of the member's link, if linked (`/reset-password` without an email, `/admin limits`).
    pub(super) async fn linked_email(&self, member_id: u64) -> Result<Option<String>, Failure> {
        self.store
            .get_link(member_id)
            .await
            .map(|link| link.map(|link| link.email))
            .map_err(|err| {
                error!(error = %err, "reading the member's link failed");
                Failure::Internal
            })
    }

    /// Shows the member's link.
    pub async fn account(&self, request: Request) -> AccountOutcome {
        let member_id = request.user_id;
        let found = self.store.get_link(member_id).await;
        let outcome = account_outcome(found, AccountOutcome::Linked, "reading the link");
        self.finish_account(&request, Action::Account, member_id, outcome)
            .await
    }

    /// Forgets the member's link.
    pub async fn unlink(&self, request: Request) -> AccountOutcome {
        let member_id = request.user_id;
        self.remove_link(request, Action::Unlink, member_id).await
    }

    /// `/admin unlink`: remove a member's link.
    pub async fn admin_unlink(&self, request: Request, member_id: u64) -> AccountOutcome {
        self.remove_link(request, Action::AdminUnlink, member_id)
            .await
    }

    async fn remove_link(
        &self,
        request: Request,
        action: Action,
        member_id: u64,
    ) -> AccountOutcome {
        let removed = self.store.unlink(member_id).await;
        if matches!(removed, Ok(Some(_))) {
            self.roles_after_unlink(member_id).await;
        }
        let outcome = account_outcome(removed, AccountOutcome::Unlinked, "removing the link");
        self.finish_account(&request, action, member_id, outcome)
            .await
    }

    /// Audits the outcome; the email is recorded (masked) only when a link was removed.
    async fn finish_account(
        &self,
        request: &Request,
        action: Action,
        member_id: u64,
        outcome: AccountOutcome,
    ) -> AccountOutcome {
        let email = match &outcome {
            AccountOutcome::Unlinked(link) => Some(link.email.as_str()),
            _ => None,
        };
        let label = outcome.label();
        self.record(request, action, Some(member_id), email, label, None)
            .await;
        outcome
    }
}

/// A link read or removed, as the member's outcome; a storage failure is logged.
fn account_outcome(
    result: Result<Option<Link>, StoreError>,
    found: fn(Link) -> AccountOutcome,
    doing: &str,
) -> AccountOutcome {
    match result {
        Ok(Some(link)) => found(link),
        Ok(None) => AccountOutcome::NotLinked,
        Err(err) => {
            error!(error = %err, "{doing} failed");
            AccountOutcome::Failed(Failure::Internal)
        }
    }
}
