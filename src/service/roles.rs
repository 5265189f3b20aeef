//! Membership roles in the use cases: roles given right after a link and
//! taken at an unlink, `/admin sync`, and the plans `/account` and
//! `/admin whois` show. The deciding and the writing are `crate::roles`';
//! this file only says when, and what the member or manager is told.
//!
//! A role or Nexudus failure never fails the link it follows: the link is
//! stored first, and the member is told their roles will follow (the
//! reconcile retries).

use std::sync::Arc;

use tracing::warn;

use super::{Failure, NoProgress, Refusal, Service, Unserved};
use crate::nexudus::NexudusClient;
use crate::request::{Action, Detail, Outcome, Request};
use crate::roles::{
    KnownRoles, MemberSync, RoleAlerts, RoleSync, SyncCause, SyncError, SyncReport,
};
use crate::store::{NewAuditEntry, unix_now};

use super::{AuditFeed, BOT_ACTOR};

/// Nexudus calls a sync of one member makes at most: their coworker, their contracts.
pub(super) const MEMBER_SYNC_CALLS: u32 = 2;

/// The managed roles a link left the member with, for its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRoles {
    /// No role is configured.
    Off,
    /// The managed roles they hold now (none: no active plan).
    Held(Vec<u64>),
    /// Nexudus or Discord failed: the reconcile gives them later.
    Later,
}

/// The end of `/admin sync`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    Member {
        member_id: u64,
        synced: MemberSync,
    },
    Everyone(SyncReport),
    NotLinked(u64),
    /// A sync of everyone is already running.
    Busy,
    /// No role is configured.
    Off,
    Refused(Refusal),
    Failed(Failure),
}

impl SyncOutcome {
    pub fn label(&self) -> Outcome {
        match self {
            SyncOutcome::Member { .. } | SyncOutcome::Everyone(_) => Outcome::Synced,
            SyncOutcome::NotLinked(_) => Outcome::NotLinked,
            SyncOutcome::Busy => Outcome::AlreadyRunning,
            SyncOutcome::Off => Outcome::Shown,
            SyncOutcome::Refused(refusal) => refusal.label(),
            SyncOutcome::Failed(failure) => failure.label(),
        }
    }
}

impl Service {
    /// Turns membership roles on: links and unlinks sync roles from now on.
    pub fn with_roles(mut self, roles: Arc<RoleSync>) -> Service {
        self.roles = Some(roles);
        self
    }

    pub fn roles(&self) -> Option<&Arc<RoleSync>> {
        self.roles.as_ref()
    }

    /// Nexudus calls a link announces for the roles that follow it.
    pub(super) fn role_calls(&self) -> u32 {
        if self.roles.is_some() {
            MEMBER_SYNC_CALLS
        } else {
            0
        }
    }

    /// Gives a member who just linked the roles their plans call for, on the
    /// same turn in the line.
    pub(super) async fn roles_after_link(&self, nexudus: &NexudusClient, member: u64) -> LinkRoles {
        let Some(roles) = &self.roles else {
            return LinkRoles::Off;
        };
        match roles.sync_member(nexudus, member, SyncCause::Linked).await {
            Ok(synced) if synced.failed.is_empty() && !synced.left => LinkRoles::Held(synced.held),
            Ok(_) => LinkRoles::Later,
            Err(err) => {
                warn!(error = %err, "giving roles after a link failed; the reconcile retries");
                LinkRoles::Later
            }
        }
    }

    /// Takes the managed roles from a member whose link is gone.
    pub(super) async fn roles_after_unlink(&self, member: u64) {
        if let Some(roles) = &self.roles {
            let cleared = roles.clear_member(member).await;
            if !cleared.failed.is_empty() {
                warn!(
                    "some managed roles could not be taken after an unlink; the reconcile retries"
                );
            }
        }
    }

    /// `/admin sync member`: re-reads one member's plans now.
    pub async fn admin_sync_member(&self, request: Request, member_id: u64) -> SyncOutcome {
        let outcome = match &self.roles {
            None => SyncOutcome::Off,
            Some(roles) => {
                let turn = match self.join_line(Action::AdminSync, MEMBER_SYNC_CALLS) {
                    Ok(mut place) => self.wait_turn(&mut place, &NoProgress).await,
                    Err(unserved) => Err(unserved),
                };
                match turn {
                    Err(Unserved::Refused(refusal)) => SyncOutcome::Refused(refusal),
                    Err(Unserved::Failed(failure)) => SyncOutcome::Failed(failure),
                    Ok(nexudus) => {
                        match roles
                            .sync_member(&nexudus, member_id, SyncCause::Plans)
                            .await
                        {
                            Ok(synced) => {
                                self.nexudus_answered(&request).await;
                                SyncOutcome::Member { member_id, synced }
                            }
                            Err(SyncError::NotLinked) => SyncOutcome::NotLinked(member_id),
                            Err(SyncError::Busy) => SyncOutcome::Busy,
                            Err(SyncError::Nexudus(err)) => {
                                SyncOutcome::Failed(self.nexudus_failure(&request, &err).await)
                            }
                        }
                    }
                }
            }
        };
        self.record(
            &request,
            Action::AdminSync,
            Some(member_id),
            None,
            outcome.label(),
            None,
        )
        .await;
        outcome
    }

    /// `/admin sync`: reconciles everyone now (in the background task that
    /// runs it, so no other command waits).
    pub async fn admin_sync_everyone(&self, request: Request) -> SyncOutcome {
        let outcome = match &self.roles {
            None => SyncOutcome::Off,
            Some(roles) => {
                let roles = Arc::clone(roles);
                match tokio::spawn(async move { roles.reconcile().await }).await {
                    Ok(Ok(report)) => SyncOutcome::Everyone(report),
                    Ok(Err(SyncError::Busy)) => SyncOutcome::Busy,
                    Ok(Err(SyncError::Nexudus(err))) => {
                        SyncOutcome::Failed(self.nexudus_failure(&request, &err).await)
                    }
                    Ok(Err(SyncError::NotLinked)) | Err(_) => {
                        SyncOutcome::Failed(Failure::Internal)
                    }
                }
            }
        };
        let detail = match &outcome {
            SyncOutcome::Everyone(report) => Some(Detail::Synced {
                added: report.added,
                removed: report.removed,
                unchanged: report.unchanged,
                failed: report.failed,
            }),
            _ => None,
        };
        self.record(
            &request,
            Action::AdminSync,
            None,
            None,
            outcome.label(),
            detail,
        )
        .await;
        outcome
    }

    /// What the last sync saw of a member: for `/account` and `/admin whois`.
    pub fn known_roles(&self, member: u64) -> Option<KnownRoles> {
        self.roles.as_ref().and_then(|roles| roles.known(member))
    }
}

/// Reports refused role writes in the server's audit channel and audit log.
pub struct AuditAlerts {
    store: crate::store::Store,
    feed: Arc<dyn AuditFeed>,
}

impl AuditAlerts {
    pub fn new(store: crate::store::Store, feed: Arc<dyn AuditFeed>) -> AuditAlerts {
        AuditAlerts { store, feed }
    }
}

impl RoleAlerts for AuditAlerts {
    fn forbidden(&self, guild_id: u64, role_id: u64) {
        let entry = NewAuditEntry {
            at: unix_now(),
            request_id: "role-sync".to_owned(),
            guild_id: Some(guild_id),
            actor_id: BOT_ACTOR,
            action: Action::RoleSync,
            target_user_id: None,
            target_email_masked: None,
            outcome: Outcome::Forbidden,
            detail: Some(Detail::Role(role_id)),
        };
        self.feed.publish(entry.clone());
        self.store.queue_audit(entry);
    }
}
