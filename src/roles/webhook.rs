//! `POST /webhooks/nexudus`: Nexudus saying that a member or a plan changed.
//!
//! A webhook is a trigger, never a source of truth: it only names coworkers,
//! whose plans are then read again from Nexudus. So the body is trusted for
//! nothing but ids, and only once its signature proves it came from Nexudus
//! (`X-Nexudus-Hook-Signature`: hex HMAC-SHA256 of the raw body, keyed with
//! `NEXUDUS_WEBHOOK_SECRET`). The answer comes at once (202); the re-sync
//! happens elsewhere, fed through a bounded channel. When that channel is
//! full the answer is 503 with `Retry-After`, so Nexudus sends it again
//! later and nothing is lost.
//!
//! Neither the secret nor the body is ever logged.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::Sha256;
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;

/// The largest body accepted; Nexudus' are a few records.
pub const MAX_BODY: usize = 64 * 1024;
/// The header carrying the body's signature.
pub const SIGNATURE_HEADER: &str = "X-Nexudus-Hook-Signature";
/// Where Nexudus posts.
pub const PATH: &str = "/webhooks/nexudus";
/// What a 503 asks Nexudus to wait before sending again, in seconds.
const RETRY_AFTER_SECS: &str = "5";

type HmacSha256 = Hmac<Sha256>;

/// A body that is not a JSON array of records or one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the webhook body is not a JSON array of records or a JSON object")]
pub struct BadBody;

/// Whether `header` is the hex HMAC-SHA256 of `body` keyed with `secret`.
///
/// The header is trimmed and its hex read in either case (Nexudus sends upper
/// case); the comparison is in constant time. A missing header, one that is
/// not hex, and an empty secret (which anyone could sign with) never verify.
pub fn verify_signature(secret: &SecretString, body: &[u8], header: Option<&str>) -> bool {
    let key = secret.expose_secret().as_bytes();
    if key.is_empty() {
        return false;
    }
    let Some(signature) = header.and_then(|header| decode_hex(header.trim())) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

/// Hex text as bytes, digits in either case; `None` if it is not an even
/// number of hex digits.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            u8::try_from(high << 4 | low).ok()
        })
        .collect()
}

/// The coworkers a webhook body names, each once, in the order named.
///
/// The body is a JSON array of records (one record alone is accepted too):
/// a contract event's records carry `CoworkerId`, a coworker event's carry
/// their own `Id`. `CoworkerId` wins when present, since a contract's `Id`
/// is the contract's; a record whose id is not a whole number that fits a
/// `u64`, or that carries neither, is skipped. A leading UTF-8 BOM is
/// tolerated. Anything but an array or an object is [`BadBody`].
pub fn coworker_ids(body: &[u8]) -> Result<Vec<u64>, BadBody> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    // The serde error is dropped: its message can quote the body.
    let document: Value = serde_json::from_slice(body).map_err(|_| BadBody)?;
    let records = match &document {
        Value::Array(records) => records.as_slice(),
        Value::Object(_) => std::slice::from_ref(&document),
        _ => return Err(BadBody),
    };
    let mut seen = HashSet::new();
    Ok(records
        .iter()
        .filter_map(coworker_id)
        .filter(|id| seen.insert(*id))
        .collect())
}

fn coworker_id(record: &Value) -> Option<u64> {
    let Value::Object(fields) = record else {
        return None;
    };
    match fields.get("CoworkerId") {
        Some(id) => id.as_u64(),
        None => fields.get("Id")?.as_u64(),
    }
}

#[derive(Clone)]
struct Hook {
    secret: Arc<SecretString>,
    sink: Sender<Vec<u64>>,
}

/// Serves `POST /webhooks/nexudus`: a body over [`MAX_BODY`] is 413, a
/// missing or wrong signature 401 (and nothing is sent), a signed body that
/// is not JSON records 400; a signed body's coworker ids go to `sink` and the
/// answer is 202 at once, or 503 with `Retry-After: 5` when `sink` is full
/// (or closed). Other methods on the path get axum's 405.
pub fn router(secret: SecretString, sink: Sender<Vec<u64>>) -> Router {
    Router::new()
        .route(PATH, post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(Hook {
            secret: Arc::new(secret),
            sink,
        })
}

async fn receive(
    State(hook): State<Hook>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        // Also what a chunked body gets once it passes the limit.
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return plain(StatusCode::PAYLOAD_TOO_LARGE, "body too large\n");
        }
        Err(_) => return plain(StatusCode::BAD_REQUEST, "unreadable body\n"),
    };
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok());
    if !verify_signature(&hook.secret, &body, signature) {
        tracing::info!(
            signed = signature.is_some(),
            "Nexudus webhook refused: missing or wrong signature"
        );
        return plain(StatusCode::UNAUTHORIZED, "missing or wrong signature\n");
    }
    let Ok(ids) = coworker_ids(&body) else {
        tracing::info!("Nexudus webhook refused: signed, but not JSON records");
        return plain(StatusCode::BAD_REQUEST, "not JSON records\n");
    };
    tracing::info!(coworkers = ids.len(), "Nexudus webhook received");
    if ids.is_empty() {
        return plain(StatusCode::ACCEPTED, "accepted\n");
    }
    match hook.sink.try_send(ids) {
        Ok(()) => plain(StatusCode::ACCEPTED, "accepted\n"),
        Err(TrySendError::Full(_) | TrySendError::Closed(_)) => {
            tracing::warn!("Nexudus webhook deferred: the re-sync queue is full");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, RETRY_AFTER_SECS)],
                "busy, retry later\n",
            )
                .into_response()
        }
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_read_in_either_case_and_nothing_else_is() {
        assert_eq!(decode_hex("00ff7A"), Some(vec![0x00, 0xff, 0x7a]));
        assert_eq!(decode_hex("00FF7a"), Some(vec![0x00, 0xff, 0x7a]));
        assert_eq!(decode_hex(""), Some(vec![]));
        for bad in ["0", "0g", "+1", "é1", "0x00", " 00"] {
            assert_eq!(decode_hex(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn contract_records_name_their_coworker_and_coworker_records_themselves() {
        let body = br#"[
            {"Id": 900, "CoworkerId": 7, "TariffName": "Desk"},
            {"Id": 8, "FullName": "Ada"},
            {"Id": 901, "CoworkerId": 7},
            {"Id": 902, "CoworkerId": null},
            {"CoworkerId": 18446744073709551616},
            {"CoworkerId": -1},
            {"Id": 3.5},
            {"Name": "neither"},
            "7", 12, null, [9]
        ]"#;
        assert_eq!(coworker_ids(body), Ok(vec![7, 8]));
    }

    #[test]
    fn one_record_alone_is_accepted_too() {
        assert_eq!(coworker_ids(br#"{"Id": 5}"#), Ok(vec![5]));
        assert_eq!(coworker_ids(b"\xEF\xBB\xBF[{\"Id\": 5}]"), Ok(vec![5]));
        assert_eq!(coworker_ids(b"[]"), Ok(vec![]));
    }

    #[test]
    fn anything_but_an_array_or_an_object_is_a_bad_body() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        for body in [
            &b""[..],
            b"null",
            b"7",
            b"\"Id\"",
            b"[{\"Id\": 1}",
            b"[] []",
            b"<html/>",
            deep.as_bytes(),
        ] {
            assert_eq!(
                coworker_ids(body),
                Err(BadBody),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn an_empty_secret_verifies_nothing() {
        let empty = SecretString::from("");
        let mut mac = HmacSha256::new_from_slice(b"").unwrap();
        mac.update(b"[]");
        let signature: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(!verify_signature(&empty, b"[]", Some(&signature)));
    }
}
