//! One HTTP answer (status + body) turned into a payload or a typed error.
//!
//! The order of the rules matters and is the error mapping of the client
//! (throttling, 409/429, is handled before this, by the retry loop):
//!
//! 1. 3xx: `Unavailable(Redirected)` (redirects are never followed).
//! 2. 401/403 on a REST-authenticated call: `RestCredentialsRejected`.
//! 3. 404 on any call but `user_token`: `NotFound` (on `user_token` a 404
//!    means a wrong API URL, so it falls through to the body rules).
//! 4. The body is decoded by the one envelope decoder:
//!    - a well-formed envelope decides, whatever the HTTP status:
//!      `WasSuccessful:true` gives its `Value`; `false` is
//!      `InvalidCredentials` on `user_token` and `Unavailable(NotSuccessful)`
//!      elsewhere;
//!    - a bare `{"Records":...}` list is accepted on a 2xx to `find_user`
//!      (to the other calls it is JSON of an unexpected shape);
//!    - an empty or HTML body is `Unavailable` (something other than the API
//!      answered: a gateway, a maintenance page);
//!    - anything else is `Unavailable(HttpStatus)` on a non-2xx (a broken
//!      error page) and `Malformed` on a 2xx (Nexudus claimed success with a
//!      body we cannot trust, so nothing is built from it).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use super::envelope::{self, DecodeError, Document};
use super::error::{MalformedReason, NexudusError, UnavailableReason};
use super::observe::Endpoint;

/// A complete HTTP answer, body read in full.
pub(crate) struct RawResponse {
    pub status: StatusCode,
    /// `Retry-After` in seconds, when present and numeric.
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// A `Malformed` error for this response (status and length only, never the body).
    pub fn malformed(&self, reason: MalformedReason) -> NexudusError {
        NexudusError::Malformed {
            reason,
            status: self.status.as_u16(),
            body_len: self.body.len(),
        }
    }
}

/// Whether Nexudus is asking us to slow down: it answers 409 (not 429), but
/// proxies in front of it may use 429.
pub(crate) fn is_throttle(status: StatusCode) -> bool {
    status == StatusCode::CONFLICT || status == StatusCode::TOO_MANY_REQUESTS
}

/// Parses a `Retry-After` header in (possibly fractional) seconds. The
/// HTTP-date form and nonsense give `None`, treated as "no usable wait".
pub(crate) fn parse_retry_after(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    raw.parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
}

/// Applies the rules of this module; `Ok` is the payload: the envelope's
/// `Value`, or the whole bare list.
pub(crate) fn interpret(endpoint: Endpoint, response: &RawResponse) -> Result<Value, NexudusError> {
    let status = response.status;
    let code = status.as_u16();
    if status.is_redirection() {
        return Err(NexudusError::unavailable(UnavailableReason::Redirected(
            code,
        )));
    }
    if matches!(code, 401 | 403) && endpoint.uses_rest_credentials() {
        return Err(NexudusError::RestCredentialsRejected);
    }
    if code == 404 && endpoint != Endpoint::UserToken {
        return Err(NexudusError::NotFound);
    }
    match envelope::decode(&response.body) {
        Ok(Document::Envelope {
            was_successful: true,
            value,
        }) => Ok(value),
        Ok(Document::Envelope {
            was_successful: false,
            ..
        }) => Err(match endpoint {
            Endpoint::UserToken => NexudusError::InvalidCredentials,
            _ => NexudusError::unavailable(UnavailableReason::NotSuccessful),
        }),
        Ok(Document::List(list)) if status.is_success() && endpoint == Endpoint::FindUser => {
            Ok(list)
        }
        Ok(Document::List(_)) if status.is_success() => {
            Err(response.malformed(MalformedReason::UnexpectedShape))
        }
        Err(DecodeError::Empty) => Err(NexudusError::unavailable(UnavailableReason::EmptyBody(
            code,
        ))),
        Err(DecodeError::Html) => Err(NexudusError::unavailable(UnavailableReason::HtmlBody(code))),
        Err(DecodeError::Malformed(reason)) if status.is_success() => {
            Err(response.malformed(reason))
        }
        Ok(Document::List(_)) | Err(DecodeError::Malformed(_)) => Err(NexudusError::unavailable(
            UnavailableReason::HttpStatus(code),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }

    const OK: &str =
        r#"{"Status":200,"Message":"OK","Value":"v","WasSuccessful":true,"Errors":null}"#;
    const FAILED: &str =
        r#"{"Status":500,"Message":"bad","Value":null,"WasSuccessful":false,"Errors":null}"#;

    fn kind(endpoint: Endpoint, status: u16, body: &str) -> &'static str {
        match interpret(endpoint, &answer(status, body)) {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        }
    }

    #[test]
    fn the_envelope_decides_whatever_the_http_status() {
        assert_eq!(
            kind(Endpoint::UserToken, 200, FAILED),
            "invalid_credentials"
        );
        assert_eq!(
            kind(Endpoint::UserToken, 500, FAILED),
            "invalid_credentials"
        );
        assert_eq!(
            kind(Endpoint::UserToken, 400, FAILED),
            "invalid_credentials"
        );
        assert_eq!(kind(Endpoint::LoginToken, 200, FAILED), "unavailable");
        assert_eq!(kind(Endpoint::PasswordReset, 500, OK), "ok");
    }

    #[test]
    fn status_rules_come_before_the_body() {
        for endpoint in [Endpoint::LoginToken, Endpoint::FindUser] {
            assert_eq!(kind(endpoint, 401, OK), "rest_credentials_rejected");
            assert_eq!(kind(endpoint, 403, ""), "rest_credentials_rejected");
        }
        // Unauthenticated calls have no REST credentials to reject.
        assert_eq!(kind(Endpoint::PasswordReset, 403, "<html/>"), "unavailable");
        assert_eq!(kind(Endpoint::PasswordReset, 404, OK), "not_found");
        // On user_token a 404 is a wrong API URL, not a missing member.
        assert_eq!(kind(Endpoint::UserToken, 404, "<html/>"), "unavailable");
        assert_eq!(kind(Endpoint::FindUser, 302, OK), "unavailable");
    }

    #[test]
    fn bodies_that_are_not_the_api_are_unavailable_and_broken_json_on_success_is_malformed() {
        assert_eq!(kind(Endpoint::FindUser, 200, ""), "unavailable");
        assert_eq!(
            kind(Endpoint::FindUser, 200, "<html>maintenance</html>"),
            "unavailable"
        );
        assert_eq!(
            kind(Endpoint::FindUser, 502, "{\"Records\":[]}"),
            "unavailable"
        );
        assert_eq!(kind(Endpoint::FindUser, 503, "{\"Rec"), "unavailable");
        assert_eq!(kind(Endpoint::FindUser, 200, "{\"Rec"), "malformed");
        assert_eq!(kind(Endpoint::FindUser, 200, "{\"Records\":[]}"), "ok");
        assert_eq!(
            kind(Endpoint::LoginToken, 200, &format!("{OK}}}#")),
            "malformed"
        );
    }

    #[test]
    fn retry_after_is_read_in_seconds_only() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("1e300"), None);
        assert_eq!(parse_retry_after("NaN"), None);
    }
}
