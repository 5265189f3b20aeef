//! Which call is being made, and a hook to observe each call's latency and outcome.

use std::fmt;
use std::time::Duration;

/// The Nexudus calls the bot makes; a stable label for metrics and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// Verify a member's email and password: today's `POST {PORTAL}/api/token`
    /// or the seed's `POST {API}/sys/users/token` (one operation either way).
    UserToken,
    /// `{API}/sys/users/{id}/token/refresh`: mint a one-time portal login token.
    LoginToken,
    /// `GET {API}/sys/users?User_Email=`: find a user id by email.
    FindUser,
    /// Ask Nexudus to email a reset link: today's `startPasswordReset` or the
    /// seed's `GET {PORTAL}/{lang}/user/resetPassword`.
    PasswordReset,
    /// `GET {API}/spaces/coworkers?Coworker_User=`: the coworker of a user.
    Coworker,
    /// `GET {API}/billing/coworkercontracts?CoworkerContract_Coworker=…`: one
    /// member's active plans.
    MemberContracts,
    /// `GET {API}/billing/coworkercontracts?CoworkerContract_Active=true&page=`:
    /// one page of every active plan.
    ActiveContracts,
}

impl Endpoint {
    /// Every endpoint, e.g. to pre-register metric label values.
    pub const ALL: [Endpoint; 7] = [
        Endpoint::UserToken,
        Endpoint::LoginToken,
        Endpoint::FindUser,
        Endpoint::PasswordReset,
        Endpoint::Coworker,
        Endpoint::MemberContracts,
        Endpoint::ActiveContracts,
    ];

    /// A stable snake_case label, used as a metric label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::UserToken => "user_token",
            Endpoint::LoginToken => "login_token",
            Endpoint::FindUser => "find_user",
            Endpoint::PasswordReset => "password_reset",
            Endpoint::Coworker => "coworker",
            Endpoint::MemberContracts => "member_contracts",
            Endpoint::ActiveContracts => "active_contracts",
        }
    }

    /// Whether the call carries the REST credentials (HTTP Basic), so a 401/403
    /// means those credentials were rejected.
    pub(crate) fn uses_rest_credentials(self) -> bool {
        matches!(
            self,
            Endpoint::LoginToken
                | Endpoint::FindUser
                | Endpoint::Coworker
                | Endpoint::MemberContracts
                | Endpoint::ActiveContracts
        )
    }

    /// Whether Nexudus may answer the call with a bare list
    /// `{"Records":[...],…}` instead of an envelope.
    pub(crate) fn answers_a_list(self) -> bool {
        matches!(
            self,
            Endpoint::FindUser
                | Endpoint::Coworker
                | Endpoint::MemberContracts
                | Endpoint::ActiveContracts
        )
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Receives one observation per client operation (retries, the GET→POST
/// fallback and the fallback to the seed's endpoints included), after it
/// finished. Discovery and probes are not observed.
///
/// `status` is `"ok"` or the error's [`NexudusError::kind`](super::NexudusError::kind);
/// `elapsed` covers the whole operation: waiting for an outbound slot, the
/// HTTP exchanges and any `Retry-After` wait. Implementations must be cheap
/// and must not block: they run on the caller's task.
pub trait CallObserver: Send + Sync {
    fn observe(&self, endpoint: Endpoint, status: &str, elapsed: Duration);
}
