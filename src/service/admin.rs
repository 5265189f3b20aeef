//! The community managers' own use cases (`/admin whois`, `limits`, `stats`,
//! `audit-channel`, `panel`). Who may run them is the Discord layer's check;
//! the manager variants of login, reset, link and unlink live with their
//! member use case.

use std::time::Duration;

use tracing::error;

use super::{Failure, Service};
use crate::email::normalize_email;
use crate::metrics::StatsSnapshot;
use crate::nexudus::HourlyBudget;
use crate::ratelimit::LimitState;
use crate::request::{Action, Detail, Outcome, Request};
use crate::store::{AuditEntry, Link};

/// How many recent requests `/admin whois` lists.
const WHOIS_RECENT: u32 = 10;

/// A member's link and recent requests, for `/admin whois`.
#[derive(Debug, Clone)]
pub struct Whois {
    pub member_id: u64,
    pub link: Option<Link>,
    pub recent: Vec<AuditEntry>,
}

/// A member's rate-limit state per action, for `/admin limits`.
#[derive(Debug, Clone)]
pub struct LimitsView {
    pub member_id: u64,
    pub login: LimitState,
    pub reset: LimitState,
    pub link: LimitState,
    /// The reset limit of the member's linked email, when linked.
    pub reset_email: Option<(String, LimitState)>,
    pub cleared: bool,
}

/// What `/admin stats` shows.
#[derive(Debug, Clone)]
pub struct Stats {
    pub uptime: Duration,
    pub counts: StatsSnapshot,
    pub linked_members: Option<u64>,
    /// Nexudus calls the bot may still make this hour (`NEXUDUS_MAX_PER_HOUR`).
    pub hourly_budget: HourlyBudget,
    /// The longest wait in line for Nexudus in the last hour.
    pub longest_wait: Duration,
}

impl Service {
    /// `/admin whois`: the member's link and their last requests.
    pub async fn whois(&self, request: Request, member_id: u64) -> Result<Whois, Failure> {
        let found = async {
            let link = self.store.get_link(member_id).await?;
            let recent = self
                .store
                .recent_audit_for_user(member_id, WHOIS_RECENT)
                .await?;
            Ok::<_, crate::store::StoreError>(Whois {
                member_id,
                link,
                recent,
            })
        }
        .await;
        let result = found.map_err(|err| {
            error!(error = %err, "reading the member's record failed");
            Failure::Internal
        });
        let outcome = if result.is_ok() {
            Outcome::Shown
        } else {
            Failure::Internal.label()
        };
        self.record(
            &request,
            Action::AdminWhois,
            Some(member_id),
            None,
            outcome,
            None,
        )
        .await;
        result
    }

    /// `/admin limits`: the member's limiter state, optionally cleared first.
    pub async fn limits_of(
        &self,
        request: Request,
        member_id: u64,
        clear: bool,
    ) -> Result<LimitsView, Failure> {
        let email = self.linked_email(member_id).await?;
        let limits = &self.limits;
        if clear {
            limits.login.clear(&member_id);
            limits.reset_user.clear(&member_id);
            limits.link.clear(&member_id);
            if let Some(email) = &email {
                limits.reset_email.clear(&normalize_email(email));
            }
        }
        let view = LimitsView {
            member_id,
            login: limits.login.state(&member_id),
            reset: limits.reset_user.state(&member_id),
            link: limits.link.state(&member_id),
            reset_email: email.map(|email| {
                let state = limits.reset_email.state(&normalize_email(&email));
                (email, state)
            }),
            cleared: clear,
        };
        let outcome = if clear {
            Outcome::Cleared
        } else {
            Outcome::Shown
        };
        self.record(
            &request,
            Action::AdminLimits,
            Some(member_id),
            None,
            outcome,
            None,
        )
        .await;
        Ok(view)
    }

    /// `/admin stats`: counts since start, latencies, linked members.
    pub async fn stats(&self, request: Request) -> Stats {
        let linked_members = match self.store.count_links().await {
            Ok(count) => Some(count),
            Err(err) => {
                error!(error = %err, "counting links failed");
                None
            }
        };
        let stats = Stats {
            uptime: self.started.elapsed(),
            counts: self.metrics.snapshot(),
            linked_members,
            hourly_budget: self.nexudus.hourly_budget(),
            longest_wait: self.nexudus.longest_wait_last_hour(),
        };
        self.record(
            &request,
            Action::AdminStats,
            None,
            None,
            Outcome::Shown,
            None,
        )
        .await;
        stats
    }

    /// `/admin audit-channel`: where this guild's audit events are posted (`None` stops posting).
    pub async fn set_audit_channel(
        &self,
        request: Request,
        guild_id: u64,
        channel_id: Option<u64>,
    ) -> Result<(), Failure> {
        let result = self
            .store
            .set_audit_channel(guild_id, channel_id)
            .await
            .map_err(|err| {
                error!(error = %err, "storing the audit channel failed");
                Failure::Internal
            });
        let outcome = match (&result, channel_id) {
            (Err(failure), _) => failure.label(),
            (Ok(()), Some(_)) => Outcome::Set,
            (Ok(()), None) => Outcome::Cleared,
        };
        let detail = channel_id.map(Detail::Channel);
        self.record(
            &request,
            Action::AdminAuditChannel,
            None,
            None,
            outcome,
            detail,
        )
        .await;
        result
    }

    /// Records an `/admin` attempt by someone who is not a manager.
    pub async fn admin_refused(&self, request: Request, subcommand: &str) {
        let detail = Some(Detail::Subcommand(subcommand.to_owned()));
        self.record(
            &request,
            Action::Admin,
            None,
            None,
            Outcome::NotAManager,
            detail,
        )
        .await;
    }

    /// Records that a manager posted the member panel (the posting itself is Discord's).
    pub async fn panel_posted(&self, request: Request, channel_id: u64, posted: bool) {
        let outcome = if posted {
            Outcome::Posted
        } else {
            Outcome::PostFailed
        };
        let detail = Some(Detail::Channel(channel_id));
        self.record(&request, Action::AdminPanel, None, None, outcome, detail)
            .await;
    }
}
