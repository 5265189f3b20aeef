//! The internal Nexudus client: the calls the bot makes, one JSON decoder,
//! typed errors and one global outbound limiter.
//!
//! Nexudus has two generations of member endpoints, and a space may answer
//! either: newer Nexudus moved members to the portal's own host, older (and
//! some still running) spaces only know the 2019 API the bot was first
//! written against. The client calls today's first and falls back to the
//! seed's only when today's route is missing (404/405), remembering per
//! process which one works; a 5xx, a timeout or a malformed body is an
//! outage, never a reason to switch.
//!
//! | what | today's | the seed's |
//! |---|---|---|
//! | the space | `GET {PORTAL}/api/public/businesses/current` → `Id`, `Name`, `NativeHomeUrlWithLanguage` | none: `{PORTAL}/{NEXUDUS_LANGUAGE}`, no businessId |
//! | member login | `POST {PORTAL}/api/token`, form `grant_type=password&username&password[&totp]` → `access_token`, or 400 `{"error":…}` | `POST {API}/sys/users/token`, JSON, envelope |
//! | password reset | `POST {PORTAL}/api/sys/users/startPasswordReset` `{"email","businessId"}`, always the same answer | `GET {PORTAL}/{lang}/user/resetPassword?email=`, 404 for an unknown email |
//! | login link | `{NativeHomeUrlWithLanguage}/user/login?t=…&redirectUrl=…` | `{PORTAL}/{lang}/user/login?…` |
//!
//! The REST calls (`{API}`, HTTP Basic) are the same for both: the one-time
//! login token (GET, or POST on older versions) and the user lookup, paged;
//! and, for membership roles, the coworker of a user and the active plans
//! (coworker contracts).
//!
//! - `client`: [`NexudusClient`], the calls, the fallbacks and the throttling
//!   retry, all bounded by `NEXUDUS_TIMEOUT_SECS`;
//! - `contracts`: the calls of membership roles ([`Contract`], [`ContractPage`]);
//! - `discovery`: [`Space`] and where login links start;
//! - `outbound`: the global concurrency, per-second and hourly limiter;
//! - `response`: an HTTP status and body turned into a payload or a typed error;
//! - `envelope`: the one JSON decoder for Nexudus bodies;
//! - `secrets`: [`LoginToken`] and [`LoginUrl`], whose `Debug`/`Display` never
//!   show the secret;
//! - `error`: [`NexudusError`] and its reasons;
//! - `observe`: [`Endpoint`] and the [`CallObserver`] latency hook;
//! - `urls`: robust joining of the configured bases with API paths.

mod client;
mod contracts;
mod discovery;
mod envelope;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod line;
mod observe;
mod outbound;
mod response;
mod secrets;
mod urls;

pub use client::{Generation, Generations, LineRefusal, NexudusClient, NexudusUser};
pub use contracts::{Contract, ContractPage, RolesAccessProblem};
pub use discovery::Space;
pub use error::{MalformedReason, NexudusError, UnavailableReason};
pub use line::{Class, JoinError, Line, LineObserver, Place, PlaceWatch, Ticket, Turn, WaitError};
pub use observe::{CallObserver, Endpoint};
pub use outbound::HourlyBudget;
pub use secrets::{LoginToken, LoginUrl};
