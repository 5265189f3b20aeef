//! Who asked for what: the context every use case runs in.

use std::fmt;

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
}

/// What was asked; the audit log's and the metrics' `action`.
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
}
