//! Typed errors of the Nexudus client.
//!
//! No variant holds a response body, a URL, a token or a password: bodies can
//! carry tokens and URLs can carry emails, so errors only keep an HTTP status,
//! a byte length and a short static description. That makes every error safe
//! to log, to put in an audit row and to use as a metric label via
//! [`NexudusError::kind`].

use std::fmt;
use std::time::{Duration, SystemTime};

/// Why a Nexudus operation failed.
///
/// | what happened | error |
/// |---|---|
/// | member login: `invalid_grant` (today's), or an envelope `WasSuccessful:false` whatever the HTTP status (the seed's) | `InvalidCredentials` |
/// | member login: `two_factor_auth_check` (the code is missing or wrong) | `TwoFactorRequired` |
/// | member login: `must_reset_password` | `MustResetPassword` |
/// | 401/403 on a REST-authenticated call (`login_token`, `find_user_by_email`, the coworker and contract lists) | `RestCredentialsRejected` |
/// | 404 on a REST call or the seed's reset; no user record matching the email; no `businesses/current` (404/405) | `NotFound` |
/// | 409/429 with a wait (`Retry-After`, or "Wait N seconds" in the body) > 5 s, without one, longer than the time left, or a second time | `Throttled` |
/// | `NEXUDUS_MAX_PER_HOUR` requests already sent in the last hour | `HourlyBudgetSpent` |
/// | the whole operation exceeded `NEXUDUS_TIMEOUT_SECS` | `Timeout` |
/// | 5xx or other unexpected status without a success answer; a redirect; connection refused/reset; HTML or empty body; `WasSuccessful:false` on calls other than the seed's member login; an OAuth error other than the three above | `Unavailable` |
/// | a body that looks like JSON but is not exactly one valid JSON document of the expected shape (truncated, trailing garbage, missing fields, no token) on a 2xx; a body over the size cap | `Malformed` |
///
/// Only the three member-login answers follow a reply from Nexudus about the
/// member; everything from `Throttled` down is Nexudus (or the bot's own
/// budget) failing, never a reason to tell a member their password is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NexudusError {
    /// The member's email or password is wrong (or the member is not a
    /// customer of this space).
    #[error("Nexudus rejected the member's email or password")]
    InvalidCredentials,
    /// The password is right but the account uses two-factor authentication:
    /// the code was not given, or not accepted.
    #[error("Nexudus wants the member's two-factor code")]
    TwoFactorRequired,
    /// The password is right but Nexudus wants the member to choose a new one
    /// before anything else.
    #[error("Nexudus asks the member to reset their password first")]
    MustResetPassword,
    /// Nexudus answered 401 or 403 to a call made with the REST credentials
    /// (`NEXUDUS_API_USERNAME`/`NEXUDUS_API_PASSWORD`): wrong password, API
    /// access disabled, or a missing role.
    #[error("Nexudus rejected the REST API credentials (check API access and roles)")]
    RestCredentialsRejected,
    /// No such user (404, or no record with exactly this email).
    #[error("Nexudus has no such user")]
    NotFound,
    /// Nexudus asked us to slow down and the wait was not worth it (or it
    /// happened twice). `retry_after` is Nexudus's `Retry-After`, when given in seconds.
    #[error("Nexudus is throttling requests{}", RetryAfterSuffix(*.retry_after))]
    Throttled { retry_after: Option<Duration> },
    /// `NEXUDUS_MAX_PER_HOUR` requests went out in the last hour; nothing was
    /// sent. `retry_at` is when the oldest of them stops counting.
    #[error("the hourly budget of Nexudus requests (NEXUDUS_MAX_PER_HOUR) is spent")]
    HourlyBudgetSpent { retry_at: SystemTime },
    /// The whole operation (queueing, the calls, any wait) exceeded the time budget.
    #[error("Nexudus did not answer within the time budget")]
    Timeout,
    /// Nexudus (or something in front of it) could not serve the request; try later.
    #[error("Nexudus is unavailable: {reason}")]
    Unavailable { reason: UnavailableReason },
    /// Nexudus answered something that is not what its API promises.
    #[error("Nexudus sent a malformed response: {reason} (HTTP {status}, {body_len} bytes)")]
    Malformed {
        reason: MalformedReason,
        /// The HTTP status of the response.
        status: u16,
        /// The length of the body in bytes (never the body itself).
        body_len: usize,
    },
}

impl NexudusError {
    /// A stable short label: a metric label value and an audit outcome.
    pub fn kind(&self) -> &'static str {
        match self {
            NexudusError::InvalidCredentials => "invalid_credentials",
            NexudusError::TwoFactorRequired => "two_factor_required",
            NexudusError::MustResetPassword => "must_reset_password",
            NexudusError::RestCredentialsRejected => "rest_credentials_rejected",
            NexudusError::NotFound => "not_found",
            NexudusError::Throttled { .. } => "throttled",
            NexudusError::HourlyBudgetSpent { .. } => "hourly_budget_spent",
            NexudusError::Timeout => "timeout",
            NexudusError::Unavailable { .. } => "unavailable",
            NexudusError::Malformed { .. } => "malformed",
        }
    }

    pub(crate) fn unavailable(reason: UnavailableReason) -> Self {
        NexudusError::Unavailable { reason }
    }
}

/// Why Nexudus was [`NexudusError::Unavailable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnavailableReason {
    /// No connection could be made (refused, DNS, TLS handshake).
    Connect,
    /// The connection failed after it was made (reset, closed mid-body).
    Transport,
    /// An unexpected HTTP status (5xx, 400, …) without a success answer.
    HttpStatus(u16),
    /// A 3xx: redirects are not followed, so a REST user's Basic credentials
    /// never travel anywhere else; the configured URL is probably not the final one.
    Redirected(u16),
    /// An HTML page instead of JSON (typically a gateway or maintenance page).
    HtmlBody(u16),
    /// An empty body where JSON was expected.
    EmptyBody(u16),
    /// A well-formed envelope said `WasSuccessful:false` (on calls other than
    /// the seed's member login, where it means bad member credentials).
    NotSuccessful,
    /// The outbound limiter was closed (only during shutdown).
    ShuttingDown,
}

impl fmt::Display for UnavailableReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnavailableReason::Connect => f.write_str("could not connect"),
            UnavailableReason::Transport => f.write_str("the connection failed"),
            UnavailableReason::HttpStatus(s) => write!(f, "unexpected HTTP {s}"),
            UnavailableReason::Redirected(s) => {
                write!(
                    f,
                    "redirected (HTTP {s}); check the configured Nexudus URLs"
                )
            }
            UnavailableReason::HtmlBody(s) => write!(f, "an HTML page instead of JSON (HTTP {s})"),
            UnavailableReason::EmptyBody(s) => write!(f, "an empty body (HTTP {s})"),
            UnavailableReason::NotSuccessful => f.write_str("Nexudus reported the request failed"),
            UnavailableReason::ShuttingDown => f.write_str("the client is shutting down"),
        }
    }
}

/// Why a response was [`NexudusError::Malformed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedReason {
    /// Invalid JSON, or more than one JSON document (trailing garbage).
    NotOneJsonDocument,
    /// The JSON ended early.
    TruncatedJson,
    /// Valid JSON, but not the expected shape (e.g. no `WasSuccessful`, a
    /// record without `Id`).
    UnexpectedShape,
    /// A success envelope whose `Value` holds no token, or a 2xx OAuth
    /// answer without `access_token`.
    MissingToken,
    /// The body exceeded the client's size cap.
    BodyTooLarge,
}

impl fmt::Display for MalformedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MalformedReason::NotOneJsonDocument => "not exactly one valid JSON document",
            MalformedReason::TruncatedJson => "truncated JSON",
            MalformedReason::UnexpectedShape => "JSON of an unexpected shape",
            MalformedReason::MissingToken => "no token in a success answer",
            MalformedReason::BodyTooLarge => "body too large",
        })
    }
}

/// Formats `Throttled`'s optional wait without allocating.
struct RetryAfterSuffix(Option<Duration>);

impl fmt::Display for RetryAfterSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, " (retry after {} s)", wait.as_secs_f64().ceil()),
            None => Ok(()),
        }
    }
}
