//! Who asked for what, and how it ended: the context every use case runs in,
//! and the labels its audit row and metrics carry.
//!
//! Labels are enums rather than strings, so a misspelt one is a compile error
//! instead of a metric or audit row that silently never matches. Their text
//! is what dashboards and the audit log already hold: never change it.

use std::fmt;

use crate::i18n::Locale;
use crate::nexudus::NexudusError;

/// Ties an interaction's log lines, audit entries and audit-channel posts together.
///
/// Derived from the Discord interaction id (unique and already in Discord's
/// own records), written in base 36 so it is short enough to read aloud.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(String);

impl RequestId {
    pub fn from_interaction(interaction_id: u64) -> RequestId {
        const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut n = interaction_id;
        let mut out = Vec::with_capacity(13);
        loop {
            out.push(DIGITS[(n % 36) as usize]);
            n /= 36;
            if n == 0 {
                break;
            }
        }
        out.reverse();
        RequestId(String::from_utf8_lossy(&out).into_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The member (or manager) behind one interaction.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: RequestId,
    pub guild_id: Option<u64>,
    pub user_id: u64,
    /// The language of the interaction; what it causes (a login DM) speaks it too.
    pub locale: Locale,
}

/// What was asked; the audit log's and the metrics' `action`. The bot's own
/// events (a Nexudus outage) are audited under an action too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Login,
    ResetPassword,
    Link,
    Unlink,
    Account,
    Admin,
    AdminLink,
    AdminUnlink,
    AdminWhois,
    AdminLogin,
    AdminResetPassword,
    AdminLimits,
    AdminStats,
    AdminAuditChannel,
    AdminPanel,
    AdminSync,
    /// The bot's own role writes (a refusal is reported under it).
    RoleSync,
    NexudusOutage,
    NexudusCredentials,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Login => "login",
            Action::ResetPassword => "reset_password",
            Action::Link => "link",
            Action::Unlink => "unlink",
            Action::Account => "account",
            Action::Admin => "admin",
            Action::AdminLink => "admin_link",
            Action::AdminUnlink => "admin_unlink",
            Action::AdminWhois => "admin_whois",
            Action::AdminLogin => "admin_login",
            Action::AdminResetPassword => "admin_reset_password",
            Action::AdminLimits => "admin_limits",
            Action::AdminStats => "admin_stats",
            Action::AdminAuditChannel => "admin_audit_channel",
            Action::AdminPanel => "admin_panel",
            Action::AdminSync => "admin_sync",
            Action::RoleSync => "role_sync",
            Action::NexudusOutage => "nexudus_outage",
            Action::NexudusCredentials => "nexudus_credentials",
        }
    }
}

/// How a request (or an event of the bot) ended; the audit log's and the
/// metrics' `outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    // Refusals, before any work.
    NotLinked,
    RateLimited,
    AlreadyRunning,
    UnknownPage,
    InvalidEmail,
    NeedEmail,
    NotAManager,
    // Nexudus failures, one per [`NexudusError`].
    InvalidCredentials,
    TwoFactorRequired,
    MustResetPassword,
    RestCredentialsRejected,
    NotFound,
    Throttled,
    HourlyBudgetSpent,
    Timeout,
    Unavailable,
    Malformed,
    // The line to Nexudus.
    QueueFull,
    ShuttingDown,
    /// Our own storage failed.
    InternalError,
    // Login.
    DmSent,
    DmClosed,
    DmFailed,
    LinkGone,
    // Reset.
    ResetRequested,
    // Link, account and the managers' views.
    Linked,
    LinkedMoved,
    AccountNotFound,
    Unlinked,
    Shown,
    Set,
    Cleared,
    Posted,
    PostFailed,
    // Membership roles.
    Synced,
    /// Discord refused a role write (50013).
    Forbidden,
    // The bot's own events.
    Started,
    Ended,
    Rejected,
    Accepted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotLinked => "not_linked",
            Outcome::RateLimited => "rate_limited",
            Outcome::AlreadyRunning => "already_running",
            Outcome::UnknownPage => "unknown_page",
            Outcome::InvalidEmail => "invalid_email",
            Outcome::NeedEmail => "need_email",
            Outcome::QueueFull => "queue_full",
            Outcome::ShuttingDown => "shutting_down",
            Outcome::NotAManager => "not_a_manager",
            Outcome::InvalidCredentials => "invalid_credentials",
            Outcome::TwoFactorRequired => "two_factor_required",
            Outcome::MustResetPassword => "must_reset_password",
            Outcome::RestCredentialsRejected => "rest_credentials_rejected",
            Outcome::NotFound => "not_found",
            Outcome::Throttled => "throttled",
            Outcome::HourlyBudgetSpent => "hourly_budget_spent",
            Outcome::Timeout => "timeout",
            Outcome::Unavailable => "unavailable",
            Outcome::Malformed => "malformed",
            Outcome::InternalError => "internal_error",
            Outcome::DmSent => "dm_sent",
            Outcome::DmClosed => "dm_closed",
            Outcome::DmFailed => "dm_failed",
            Outcome::LinkGone => "link_gone",
            Outcome::ResetRequested => "reset_requested",
            Outcome::Linked => "linked",
            Outcome::LinkedMoved => "linked_moved",
            Outcome::AccountNotFound => "account_not_found",
            Outcome::Unlinked => "unlinked",
            Outcome::Shown => "shown",
            Outcome::Set => "set",
            Outcome::Cleared => "cleared",
            Outcome::Posted => "posted",
            Outcome::PostFailed => "post_failed",
            Outcome::Synced => "synced",
            Outcome::Forbidden => "forbidden",
            Outcome::Started => "started",
            Outcome::Ended => "ended",
            Outcome::Rejected => "rejected",
            Outcome::Accepted => "accepted",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A Nexudus failure is recorded under the error's kind.
impl From<&NexudusError> for Outcome {
    fn from(err: &NexudusError) -> Outcome {
        match err {
            NexudusError::InvalidCredentials => Outcome::InvalidCredentials,
            NexudusError::TwoFactorRequired => Outcome::TwoFactorRequired,
            NexudusError::MustResetPassword => Outcome::MustResetPassword,
            NexudusError::RestCredentialsRejected => Outcome::RestCredentialsRejected,
            NexudusError::NotFound => Outcome::NotFound,
            NexudusError::Throttled { .. } => Outcome::Throttled,
            NexudusError::HourlyBudgetSpent { .. } => Outcome::HourlyBudgetSpent,
            NexudusError::Timeout => Outcome::Timeout,
            NexudusError::Unavailable { .. } => Outcome::Unavailable,
            NexudusError::Malformed { .. } => Outcome::Malformed,
        }
    }
}

/// What an audit row adds to its outcome. Never a secret, an email or
/// anything a member typed freely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// The Nexudus user was linked to this other Discord account before.
    MovedFrom(u64),
    /// The channel a manager set, or posted the panel in.
    Channel(u64),
    /// The `/admin` subcommand someone who is not a manager tried.
    Subcommand(String),
    /// What started a Nexudus outage.
    Cause(Outcome),
    /// The managed role Discord refused to write.
    Role(u64),
    /// What a sync of everyone did.
    Synced {
        added: usize,
        removed: usize,
        unchanged: usize,
        failed: usize,
    },
}

/// The form the audit log stores (and `sqlite3` shows).
impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::MovedFrom(previous) => write!(f, "moved from Discord user {previous}"),
            Detail::Channel(channel) => write!(f, "channel {channel}"),
            Detail::Subcommand(name) => write!(f, "subcommand {name}"),
            Detail::Cause(outcome) => f.write_str(outcome.as_str()),
            Detail::Role(role) => write!(f, "role {role}"),
            Detail::Synced {
                added,
                removed,
                unchanged,
                failed,
            } => write!(
                f,
                "added {added}, removed {removed}, unchanged {unchanged}, failed {failed}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_short_and_distinct_per_interaction() {
        let a = RequestId::from_interaction(1_234_567_890_123_456_789);
        let b = RequestId::from_interaction(1_234_567_890_123_456_790);
        assert_ne!(a, b);
        assert!(a.as_str().len() <= 13);
        assert_eq!(RequestId::from_interaction(0).as_str(), "0");
        assert_eq!(RequestId::from_interaction(35).as_str(), "z");
    }

    #[test]
    fn a_nexudus_failure_is_recorded_under_the_errors_own_kind() {
        let throttled = NexudusError::Throttled { retry_after: None };
        for err in [NexudusError::NotFound, NexudusError::Timeout, throttled] {
            assert_eq!(Outcome::from(&err).as_str(), err.kind());
        }
    }
}
