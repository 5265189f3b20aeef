//! One HTTP answer (status + body) turned into a payload or a typed error.
//!
//! [`interpret`] reads the envelope answers (the seed's calls, the REST calls
//! and today's reset); [`interpret_oauth_token`] today's member login and
//! [`interpret_business`] `businesses/current`. The order of the rules of
//! [`interpret`] matters and is the error mapping of the client (throttling,
//! 409/429, is handled before this, by the retry loop; a 404/405 that switches
//! to the seed's endpoint, by the client):
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
//!    - a bare `{"Records":...}` list is accepted on a 2xx to the list calls
//!      (`find_user`, `coworker`, the contract lists; to the other calls it
//!      is JSON of an unexpected shape);
//!    - an empty or HTML body is `Unavailable` (something other than the API
//!      answered: a gateway, a maintenance page);
//!    - anything else is `Unavailable(HttpStatus)` on a non-2xx (a broken
//!      error page) and `Malformed` on a 2xx (Nexudus claimed success with a
//!      body we cannot trust, so nothing is built from it).

use std::time::Duration;

use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;

use super::envelope::{self, BusinessRecord, DecodeError, Document};
use super::error::{MalformedReason, NexudusError, UnavailableReason};
use super::observe::Endpoint;

/// A complete HTTP answer, body read in full.
pub(crate) struct RawResponse {
    pub status: StatusCode,
    /// How long Nexudus asks us to wait: `Retry-After` in seconds, or on a
    /// throttle without it, "Wait N seconds" in the body.
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

/// Finds "wait N second(s)" (any case) in a throttling body, as Nexudus words
/// its 429s. Only a whole number of seconds counts.
pub(crate) fn parse_wait_in_body(body: &[u8]) -> Option<Duration> {
    // A throttle page is short; a huge body is not worth scanning.
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let lower = text.to_ascii_lowercase();
    lower.match_indices("wait").find_map(|(at, _)| {
        let rest = lower[at + 4..].trim_start();
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, unit) = rest.split_at(digits);
        let secs = number.parse::<u64>().ok()?;
        unit.trim_start()
            .starts_with("second")
            .then(|| Duration::from_secs(secs))
    })
}

/// Decodes any JSON body, or says why the response is not the API.
fn json_document(response: &RawResponse) -> Result<Value, NexudusError> {
    let code = response.status.as_u16();
    match envelope::decode_json(&response.body) {
        Ok(document) => Ok(document),
        Err(DecodeError::Empty) => Err(NexudusError::unavailable(UnavailableReason::EmptyBody(
            code,
        ))),
        Err(DecodeError::Html) => Err(NexudusError::unavailable(UnavailableReason::HtmlBody(code))),
        Err(DecodeError::Malformed(reason)) if response.status.is_success() => {
            Err(response.malformed(reason))
        }
        Err(DecodeError::Malformed(_)) => Err(NexudusError::unavailable(
            UnavailableReason::HttpStatus(code),
        )),
    }
}

/// Today's member login, an OAuth password grant: 2xx `{"access_token":…}`
/// is the token; a 4xx `{"error":…}` with `invalid_grant`,
/// `two_factor_auth_check` or `must_reset_password` is the member's answer.
/// Every other answer (another error code, 5xx, HTML, empty, broken JSON) is
/// Nexudus failing, never a wrong password.
pub(crate) fn interpret_oauth_token(response: &RawResponse) -> Result<SecretString, NexudusError> {
    let status = response.status;
    let code = status.as_u16();
    if status.is_redirection() {
        return Err(NexudusError::unavailable(UnavailableReason::Redirected(
            code,
        )));
    }
    let document = json_document(response)?;
    if status.is_success() {
        return envelope::take_access_token(document).map_err(|reason| response.malformed(reason));
    }
    if status.is_client_error() {
        match envelope::oauth_error(&document) {
            Some("invalid_grant") => return Err(NexudusError::InvalidCredentials),
            Some("two_factor_auth_check") => return Err(NexudusError::TwoFactorRequired),
            Some("must_reset_password") => return Err(NexudusError::MustResetPassword),
            _ => {}
        }
    }
    Err(NexudusError::unavailable(UnavailableReason::HttpStatus(
        code,
    )))
}

/// `businesses/current`: a 2xx bare object (or envelope) with at least `Id`.
/// 404/405 is [`NexudusError::NotFound`]: this Nexudus does not announce its
/// space (the seed's generation).
pub(crate) fn interpret_business(response: &RawResponse) -> Result<BusinessRecord, NexudusError> {
    let status = response.status;
    let code = status.as_u16();
    if status.is_redirection() {
        return Err(NexudusError::unavailable(UnavailableReason::Redirected(
            code,
        )));
    }
    if matches!(code, 404 | 405) {
        return Err(NexudusError::NotFound);
    }
    let document = json_document(response)?;
    if !status.is_success() {
        return Err(NexudusError::unavailable(UnavailableReason::HttpStatus(
            code,
        )));
    }
    let document = match document.get("WasSuccessful").map(Value::as_bool) {
        None => document,
        Some(Some(true)) => document.get("Value").cloned().unwrap_or(Value::Null),
        Some(Some(false)) => {
            return Err(NexudusError::unavailable(UnavailableReason::NotSuccessful));
        }
        Some(None) => return Err(response.malformed(MalformedReason::UnexpectedShape)),
    };
    envelope::business_record(document).map_err(|reason| response.malformed(reason))
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
        Ok(Document::List(list)) if status.is_success() && endpoint.answers_a_list() => Ok(list),
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
        for endpoint in [
            Endpoint::LoginToken,
            Endpoint::FindUser,
            Endpoint::Coworker,
            Endpoint::MemberContracts,
            Endpoint::ActiveContracts,
        ] {
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
            kind(Endpoint::ActiveContracts, 200, "{\"Records\":[]}"),
            "ok"
        );
        // Only list calls take a bare list.
        assert_eq!(
            kind(Endpoint::LoginToken, 200, "{\"Records\":[]}"),
            "malformed"
        );
        assert_eq!(
            kind(Endpoint::LoginToken, 200, &format!("{OK}}}#")),
            "malformed"
        );
    }

    fn oauth(status: u16, body: &str) -> &'static str {
        match interpret_oauth_token(&answer(status, body)) {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        }
    }

    #[test]
    fn only_the_three_oauth_errors_speak_about_the_member() {
        assert_eq!(
            oauth(200, r#"{"access_token":"t","token_type":"bearer"}"#),
            "ok"
        );
        assert_eq!(
            oauth(400, r#"{"error":"invalid_grant"}"#),
            "invalid_credentials"
        );
        assert_eq!(
            oauth(
                400,
                r#"{"error":"two_factor_auth_check","error_description":"x"}"#
            ),
            "two_factor_required"
        );
        assert_eq!(
            oauth(400, r#"{"error":"must_reset_password"}"#),
            "must_reset_password"
        );
        for (status, body) in [
            (400, r#"{"error":"unsupported_grant_type"}"#),
            (400, r#"{"error":"INVALID_GRANT"}"#),
            (400, "{}"),
            (500, r#"{"error":"invalid_grant"}"#),
            (503, "<html>down</html>"),
            (400, ""),
            (302, r#"{"error":"invalid_grant"}"#),
            (400, r#"{"error":"invalid_grant"}}"#),
        ] {
            assert_eq!(oauth(status, body), "unavailable", "{status} {body}");
        }
        assert_eq!(oauth(200, r#"{"token_type":"bearer"}"#), "malformed");
        assert_eq!(oauth(200, r#"{"access_token":"t"}#"#), "malformed");
        assert_eq!(oauth(200, "<html/>"), "unavailable");
    }

    fn business(status: u16, body: &str) -> Result<u64, &'static str> {
        interpret_business(&answer(status, body))
            .map(|record| record.id)
            .map_err(|e| e.kind())
    }

    #[test]
    fn a_business_comes_bare_or_enveloped_and_its_absence_is_not_found() {
        assert_eq!(business(200, r#"{"Id":9001,"Name":"S"}"#), Ok(9001));
        assert_eq!(business(200, &envelope_of(r#"{"Id":7}"#)), Ok(7));
        assert_eq!(business(404, "<html>Not Found</html>"), Err("not_found"));
        assert_eq!(business(405, r#"{"Message":"no"}"#), Err("not_found"));
        assert_eq!(business(500, r#"{"Id":1}"#), Err("unavailable"));
        assert_eq!(business(200, "<html/>"), Err("unavailable"));
        assert_eq!(business(200, FAILED), Err("unavailable"));
        assert_eq!(business(200, r#"{"Name":"no id"}"#), Err("malformed"));
        assert_eq!(business(200, r#"{"Id":1}x"#), Err("malformed"));
    }

    fn envelope_of(value: &str) -> String {
        format!(
            r#"{{"Status":200,"Message":"OK","Value":{value},"WasSuccessful":true,"Errors":null}}"#
        )
    }

    #[test]
    fn a_wait_in_the_body_is_read_in_whole_seconds() {
        assert_eq!(
            parse_wait_in_body(b"Too many requests. Wait 3 seconds."),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            parse_wait_in_body(br#"{"Message":"Please wait 1 second"}"#),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            parse_wait_in_body(b"WAIT 60 SECONDS"),
            Some(Duration::from_secs(60))
        );
        for body in [
            &b"wait a few seconds"[..],
            b"wait 3 minutes",
            b"Wait -3 seconds",
            b"",
        ] {
            assert_eq!(parse_wait_in_body(body), None, "{body:?}");
        }
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
