//! The client's response path without HTTP, for fuzzing and property tests.
//!
//! Hidden from the docs and not a stable API: it exists so `fuzz/` and
//! `tests/fuzz_regressions.rs` can feed arbitrary bodies to the code that
//! turns a Nexudus answer into a payload or a typed error.

use reqwest::StatusCode;
use secrecy::SecretString;

use super::contracts::Contract;
use super::envelope::{contract_list, coworker_records, take_token, user_records};
use super::error::NexudusError;
use super::observe::Endpoint;
use super::response::{RawResponse, interpret};

/// What the client makes of one complete response.
#[derive(Debug)]
pub enum Decoded {
    /// `user_token` and `login_token`: the token (never blank).
    Token(SecretString),
    /// `find_user`: every record of the list, as `(Id, Email)`.
    Records(Vec<(u64, Option<String>)>),
    /// `password_reset`: Nexudus says the email is on its way.
    Sent,
    /// `coworker`: every record of the list, as `(Id, UserId)`.
    Coworkers(Vec<(u64, Option<u64>)>),
    /// `member_contracts` and `active_contracts`: the contracts that could be
    /// read, how many records were listed, and `HasNextPage`.
    Contracts {
        contracts: Vec<Contract>,
        listed: usize,
        has_next_page: bool,
    },
}

/// Decodes a response to `endpoint` exactly as the client does once the body
/// is read: `response::interpret`, then the endpoint's payload reader (the token,
/// the user or coworker records, the contracts). `None` when `status` is not an HTTP status (100..=999).
pub fn decode_body(
    endpoint: Endpoint,
    status: u16,
    body: &[u8],
) -> Option<Result<Decoded, NexudusError>> {
    let status = StatusCode::from_u16(status).ok()?;
    let response = RawResponse {
        status,
        retry_after: None,
        body: body.to_vec(),
    };
    let decoded = interpret(endpoint, &response).and_then(|value| match endpoint {
        Endpoint::UserToken | Endpoint::LoginToken => take_token(value)
            .map(Decoded::Token)
            .map_err(|reason| response.malformed(reason)),
        Endpoint::FindUser => user_records(value)
            .map(|records| Decoded::Records(records.into_iter().map(|r| (r.id, r.email)).collect()))
            .map_err(|reason| response.malformed(reason)),
        Endpoint::PasswordReset => Ok(Decoded::Sent),
        Endpoint::Coworker => coworker_records(value)
            .map(|records| {
                Decoded::Coworkers(records.into_iter().map(|r| (r.id, r.user_id)).collect())
            })
            .map_err(|reason| response.malformed(reason)),
        Endpoint::MemberContracts | Endpoint::ActiveContracts => contract_list(value)
            .map(|list| Decoded::Contracts {
                contracts: list.contracts,
                listed: list.listed,
                has_next_page: list.has_next_page,
            })
            .map_err(|reason| response.malformed(reason)),
    });
    Some(decoded)
}
