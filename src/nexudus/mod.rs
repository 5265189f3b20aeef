//! The internal Nexudus client: the four calls the bot makes, one envelope
//! decoder, typed errors and one global outbound limiter.
//!
//! Everything the rest of the bot needs is re-exported here; the submodules
//! are split by concern:
//!
//! - `client`: [`NexudusClient`], the calls, the GET→POST fallback and the
//!   throttling retry, all bounded by `NEXUDUS_TIMEOUT_SECS`;
//! - `outbound`: the global concurrency + requests-per-second limiter;
//! - `response`: an HTTP status and body turned into a payload or a typed error;
//! - `envelope`: the one JSON decoder for Nexudus bodies;
//! - `secrets`: [`LoginToken`] and [`LoginUrl`], whose `Debug`/`Display` never
//!   show the secret;
//! - `error`: [`NexudusError`] and its reasons;
//! - `observe`: [`Endpoint`] and the [`CallObserver`] latency hook;
//! - `urls`: robust joining of the configured bases with API paths.

mod client;
mod envelope;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod observe;
mod outbound;
mod response;
mod secrets;
mod urls;

pub use client::{NexudusClient, NexudusUser};
pub use error::{MalformedReason, NexudusError, UnavailableReason};
pub use observe::{CallObserver, Endpoint};
pub use secrets::{LoginToken, LoginUrl};
