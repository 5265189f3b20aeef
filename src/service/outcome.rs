//! Why a request ended without its work done: refused before it started, or
//! failed on the way. Every use case's outcome wraps one of these, so the
//! Discord layer words them once.

use std::time::{Duration, SystemTime};

use crate::nexudus::NexudusError;
use crate::request::Outcome;

/// Why a request was answered without doing the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotLinked,
    RateLimited {
        retry_at: SystemTime,
    },
    AlreadyRunning,
    UnknownPage,
    InvalidEmail(crate::email::EmailProblem),
    NeedEmail,
    /// Too many are waiting for Nexudus: come back at `retry_at`.
    QueueFull {
        retry_at: SystemTime,
    },
    /// The bot is shutting down: the request was not sent.
    ShuttingDown,
}

impl Refusal {
    pub fn label(&self) -> Outcome {
        match self {
            Refusal::NotLinked => Outcome::NotLinked,
            Refusal::RateLimited { .. } => Outcome::RateLimited,
            Refusal::AlreadyRunning => Outcome::AlreadyRunning,
            Refusal::UnknownPage => Outcome::UnknownPage,
            Refusal::InvalidEmail(_) => Outcome::InvalidEmail,
            Refusal::NeedEmail => Outcome::NeedEmail,
            Refusal::QueueFull { .. } => Outcome::QueueFull,
            Refusal::ShuttingDown => Outcome::ShuttingDown,
        }
    }

    /// A limiter's "no": when the member may try again.
    pub(super) fn rate_limited(retry_after: Duration) -> Refusal {
        Refusal::RateLimited {
            retry_at: SystemTime::now() + retry_after,
        }
    }
}

/// Why a request that was started could not be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nexudus timed out, was unreachable, throttled us or answered garbage: try again later.
    Nexudus(NexudusError),
    /// Our REST credentials were rejected: an operator must fix the setup.
    Misconfigured,
    /// Our own storage failed.
    Internal,
}

impl Failure {
    pub fn label(&self) -> Outcome {
        match self {
            Failure::Nexudus(err) => Outcome::from(err),
            Failure::Misconfigured => Outcome::RestCredentialsRejected,
            Failure::Internal => Outcome::InternalError,
        }
    }
}
