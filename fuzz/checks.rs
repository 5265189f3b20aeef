//! The invariants the fuzz targets assert, one function per target.
//!
//! This file is compiled twice: into each fuzz target (`fuzz_targets/*.rs`,
//! through `#[path]`) and into `tests/fuzz_regressions.rs`, which replays the
//! curated inputs of `tests/fuzz_corpus/<target>/` under plain `cargo test`.
//! One copy of the checks means a regression input is judged exactly as the
//! fuzzer judged it. A check returns normally or panics (which is what
//! libFuzzer reports as a crash).
//!
//! How raw input bytes become arguments (so corpus files stay readable):
//!
//! | target | input |
//! |---|---|
//! | `envelope` | `NNN\n` then the body: NNN is the HTTP status (`000`–`999`); without that prefix the whole input is a body answered with 200 |
//! | `limit` | the `COUNT/PERIOD` text |
//! | `portal_pages` | `LANG\n` then the `NEXUDUS_PORTAL_PAGES` spec; without a newline, the whole input is the spec and the language is `en` |
//! | `email` | the typed email |
//! | `webhook` | the raw webhook body (and, as text, a signature header) |
//!
//! Bytes that are not UTF-8 are replaced by U+FFFD for the text targets.

#![allow(dead_code)] // each fuzz target uses one check

use std::sync::OnceLock;
use std::time::Instant;

use nexudus_bot::config::Config;
use nexudus_bot::email::{normalize_email, parse_email};
use nexudus_bot::nexudus::fuzzing::{Decoded, decode_body};
use nexudus_bot::nexudus::{Endpoint, LoginToken, NexudusClient, NexudusError};
use nexudus_bot::pages::{PortalPage, PortalPages, validate_relative_path};
use nexudus_bot::ratelimit::KeyedLimiter;
use nexudus_bot::ratelimit::{Limit, MAX_LIMIT_COUNT};
use nexudus_bot::roles::webhook::{coworker_ids, verify_signature};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

/// The portal every login URL built by these checks must stay on.
pub const PORTAL: &str = "https://portal.example:8443";
/// The language segment of that portal.
pub const LANG: &str = "en";

/// Errors are built from static text, a status and a length: their message
/// never grows with the body, which is how we know no body is echoed.
const MAX_ERROR_MESSAGE: usize = 160;

/// `envelope`: a response to every endpoint, through the client's decoder.
pub fn envelope(data: &[u8]) {
    let (status, body) = split_status(data);
    response(status, body);
}

/// Splits `NNN\n` off the front of an `envelope` input.
pub fn split_status(data: &[u8]) -> (u16, &[u8]) {
    match data {
        [a, b, c, b'\n', body @ ..] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
            let status = [a, b, c]
                .iter()
                .fold(0u16, |n, &&d| n * 10 + u16::from(d - b'0'));
            (status, body)
        }
        _ => (200, data),
    }
}

/// Decodes `body` answered with `status` for each endpoint and checks:
///
/// - no panic; `None` exactly for statuses outside 100..=999;
/// - anything accepted is exactly one JSON document (checked independently
///   with `serde_json`, after the tolerated BOM): trailing garbage never
///   yields a payload;
/// - a token or a "sent" comes only from a `WasSuccessful:true` envelope, and
///   a token is never blank; user and coworker records and contracts only
///   from a 2xx list or a success envelope; a contract's plan name is never
///   blank or untrimmed, and there are never more contracts than records;
/// - what the status rules refuse (3xx; 401/403 with REST credentials; 404
///   except on `user_token`) is never accepted;
/// - a `Malformed` error reports this status and body length, and no error
///   message grows with the body.
pub fn response(status: u16, body: &[u8]) {
    let unbommed = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let document: Option<Value> = serde_json::from_slice(unbommed).ok();
    let success_envelope = document
        .as_ref()
        .is_some_and(|doc| doc.get("WasSuccessful") == Some(&Value::Bool(true)));
    for endpoint in Endpoint::ALL {
        let Some(outcome) = decode_body(endpoint, status, body) else {
            assert!(
                !(100..=999).contains(&status),
                "{endpoint}: HTTP {status} was not decoded"
            );
            continue;
        };
        assert!(
            (100..=999).contains(&status),
            "{endpoint}: decoded impossible HTTP {status}"
        );
        match outcome {
            Ok(decoded) => {
                assert!(
                    document.is_some(),
                    "{endpoint}: accepted a body that is not exactly one JSON document"
                );
                assert!(
                    !(300..400).contains(&status),
                    "{endpoint}: accepted a redirect"
                );
                if matches!(
                    endpoint,
                    Endpoint::LoginToken
                        | Endpoint::FindUser
                        | Endpoint::Coworker
                        | Endpoint::MemberContracts
                        | Endpoint::ActiveContracts
                ) {
                    assert!(
                        !matches!(status, 401 | 403),
                        "{endpoint}: accepted HTTP {status}"
                    );
                }
                if endpoint != Endpoint::UserToken {
                    assert_ne!(status, 404, "{endpoint}: accepted a 404");
                }
                match decoded {
                    Decoded::Token(token) => {
                        assert!(
                            success_envelope,
                            "{endpoint}: a token from something other than a success envelope"
                        );
                        assert!(!token.expose_secret().trim().is_empty(), "blank token");
                    }
                    Decoded::Sent => assert!(
                        success_envelope,
                        "{endpoint}: \"sent\" without a success envelope"
                    ),
                    Decoded::Records(_) | Decoded::Coworkers(_) => assert!(
                        success_envelope || (200..300).contains(&status),
                        "{endpoint}: records from a non-2xx bare list"
                    ),
                    Decoded::Contracts {
                        contracts, listed, ..
                    } => {
                        assert!(
                            success_envelope || (200..300).contains(&status),
                            "{endpoint}: contracts from a non-2xx bare list"
                        );
                        assert!(
                            contracts.len() <= listed,
                            "{endpoint}: more contracts than records"
                        );
                        for contract in &contracts {
                            let name = &contract.tariff_name;
                            assert!(
                                !name.is_empty() && name == name.trim(),
                                "{endpoint}: plan name {name:?} is blank or untrimmed"
                            );
                        }
                    }
                }
            }
            Err(error) => {
                if let NexudusError::Malformed {
                    status: reported,
                    body_len,
                    ..
                } = error
                {
                    assert_eq!(reported, status, "{endpoint}: wrong status in the error");
                    assert_eq!(
                        body_len,
                        body.len(),
                        "{endpoint}: wrong length in the error"
                    );
                }
                let message = error.to_string();
                assert!(
                    message.len() <= MAX_ERROR_MESSAGE,
                    "{endpoint}: error message of {} bytes: {message}",
                    message.len()
                );
                assert!(!error.kind().is_empty());
            }
        }
    }
}

/// `limit`: parses the text as a `COUNT/PERIOD` limit.
pub fn limit(data: &[u8]) {
    limit_text(&String::from_utf8_lossy(data));
}

/// Checks `raw.parse::<Limit>()`: no panic; an accepted limit has a COUNT of at
/// most `MAX_LIMIT_COUNT` and a period of whole seconds from 1 s to 366 d, prints back to text that parses to the
/// same limit, can be used by a limiter (which keeps `count` instants per
/// key), and surrounding whitespace never changes the answer; a refusal says
/// why.
pub fn limit_text(raw: &str) {
    let parsed = raw.parse::<Limit>();
    let padded = format!(" \t{raw}\n ").parse::<Limit>();
    assert_eq!(
        parsed.as_ref().ok(),
        padded.as_ref().ok(),
        "whitespace changed the answer for {raw:?}"
    );
    match parsed {
        Ok(limit) => {
            assert!(
                limit.count.get() <= MAX_LIMIT_COUNT,
                "{raw:?}: COUNT over {MAX_LIMIT_COUNT}"
            );
            let period = limit.period;
            assert_eq!(period.subsec_nanos(), 0, "{raw:?}: fractional period");
            assert!(
                (1..=366 * 86_400).contains(&period.as_secs()),
                "{raw:?}: period {period:?} out of range"
            );
            let shown = limit.to_string();
            assert_eq!(
                shown.parse::<Limit>(),
                Ok(limit),
                "{raw:?} printed as {shown:?}, which does not parse back"
            );
            let limiter = KeyedLimiter::new(limit);
            let now = Instant::now();
            assert!(limiter.check_at(&0u8, now).is_allowed(), "{raw:?}");
        }
        Err(why) => assert!(!why.is_empty(), "{raw:?}: refused without a reason"),
    }
}

/// `portal_pages`: parses a `NEXUDUS_PORTAL_PAGES` spec for a language.
pub fn portal_pages(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (lang, spec) = text.split_once('\n').unwrap_or(("en", &text));
    pages(spec, lang);
}

/// Checks `PortalPages::parse(spec, lang)`: no panic; when accepted there are
/// 1 to 25 pages with distinct, trimmed labels of 1 to 100 characters, found
/// again by label, the first being the default; every path passes
/// `validate_relative_path`, resolves (as a browser resolves a redirect)
/// to the portal's own origin, and comes back unchanged as the `redirectUrl`
/// of a login URL built by the client. A refusal says why.
pub fn pages(spec: &str, lang: &str) {
    let pages = match PortalPages::parse(spec, lang) {
        Ok(pages) => pages,
        Err(why) => {
            assert!(!why.is_empty(), "{spec:?} refused without a reason");
            return;
        }
    };
    let all: Vec<&PortalPage> = pages.iter().collect();
    assert!(
        (1..=25).contains(&all.len()),
        "{spec:?}: {} pages accepted",
        all.len()
    );
    assert_eq!(pages.default_page(), all[0]);
    let portal = Url::parse(PORTAL).expect("PORTAL is a URL");
    for page in &all {
        let (label, path) = (page.label(), page.path());
        assert!(
            (1..=100).contains(&label.chars().count()),
            "label {label:?} has a bad length"
        );
        assert_eq!(label, label.trim(), "label {label:?} is not trimmed");
        assert!(
            !label.contains([',', '=']),
            "label {label:?} holds a separator"
        );
        assert_eq!(
            pages.by_label(label),
            Some(*page),
            "label {label:?} not found"
        );
        assert_eq!(
            validate_relative_path(path),
            Ok(()),
            "accepted path {path:?} is not relative"
        );
        let resolved = portal
            .join(path)
            .unwrap_or_else(|e| panic!("accepted path {path:?} does not resolve: {e}"));
        assert_eq!(
            resolved.origin(),
            portal.origin(),
            "accepted path {path:?} leaves the portal: {resolved}"
        );
        login_url("fuzz-token", page);
    }
}

/// Checks one login URL built by the client for `token` and `page`: the
/// configured portal's scheme, host and port, path `/{lang}/user/login`,
/// exactly the query `t` (the token, unchanged) and `redirectUrl` (the
/// page's path, unchanged), and no fragment.
pub fn login_url(token: &str, page: &PortalPage) {
    let url = client().login_url(&LoginToken::new(SecretString::from(token)), page);
    let url = Url::parse(url.expose()).expect("a login URL parses");
    let portal = Url::parse(PORTAL).expect("PORTAL is a URL");
    assert_eq!(url.scheme(), portal.scheme());
    assert_eq!(url.host_str(), portal.host_str());
    assert_eq!(url.port_or_known_default(), portal.port_or_known_default());
    assert_eq!(url.path(), format!("/{LANG}/user/login"));
    assert_eq!(url.fragment(), None);
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [
            ("t".to_owned(), token.to_owned()),
            ("redirectUrl".to_owned(), page.path().to_owned()),
        ],
        "query of the login URL for page {:?}",
        page.label()
    );
}

/// One client for the process: building it (TLS setup) is not free.
fn client() -> &'static NexudusClient {
    static CLIENT: OnceLock<NexudusClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let vars = [
            ("DISCORD_TOKEN", "fuzz.token.value"),
            ("NEXUDUS_PORTAL_URL", PORTAL),
            ("NEXUDUS_API_USERNAME", "api@portal.example"),
            ("NEXUDUS_API_PASSWORD", "fuzz"),
            ("NEXUDUS_LANGUAGE", LANG),
            ("OPS_ADDR", ""),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into_iter()
        .collect();
        let config = Config::from_map(&vars).expect("the fuzzing configuration is valid");
        NexudusClient::new(&config.nexudus).expect("the client builds")
    })
}

/// `email`: validates the text as a typed email.
pub fn email(data: &[u8]) {
    email_text(&String::from_utf8_lossy(data));
}

/// Checks `parse_email` and `normalize_email`: no panic; an accepted email is
/// trimmed, at most 254 bytes, has exactly one `@`, no whitespace or control
/// character, and is accepted again unchanged; normalising (the key of the
/// reset limit per email) is idempotent, on any text.
pub fn email_text(raw: &str) {
    if let Ok(email) = parse_email(raw) {
        assert_eq!(email, email.trim(), "{raw:?}: not trimmed");
        assert_eq!(email, raw.trim(), "{raw:?}: changed beyond trimming");
        assert!(email.len() <= 254, "{raw:?}: {} bytes", email.len());
        assert_eq!(email.matches('@').count(), 1, "{raw:?}: not one @");
        assert!(
            !email.chars().any(|c| c.is_whitespace() || c.is_control()),
            "{raw:?}: whitespace or control character accepted"
        );
        assert_eq!(
            parse_email(&email),
            Ok(email.clone()),
            "{raw:?}: not stable"
        );
        normalized(&email);
    }
    normalized(raw);
}

/// Normalising `raw` is idempotent.
fn normalized(raw: &str) {
    let once = normalize_email(raw);
    assert_eq!(normalize_email(&once), once, "{raw:?}: not idempotent");
}

/// The secret the `webhook` checks sign with.
pub const WEBHOOK_SECRET: &str = "fuzz-webhook-secret";

/// The hex HMAC-SHA256 of `body` keyed with `secret`, upper case as Nexudus
/// sends it; computed here, apart from the code under test.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// `webhook`: the body parser and the signature check on a raw body.
///
/// - `coworker_ids` never panics; it accepts exactly the bodies that are one
///   JSON array or object (after a tolerated BOM), names each coworker once,
///   and every id it names is written as such in the body;
/// - the body signed with [`WEBHOOK_SECRET`] verifies, in upper and lower
///   case and with spaces around; signed with another secret, with a byte of
///   the body changed, or not signed, it does not;
/// - the input read as a signature header of an empty body verifies only if
///   it is that body's signature (the check never panics on any header).
pub fn webhook(data: &[u8]) {
    let unbommed = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let document: Option<Value> = serde_json::from_slice(unbommed).ok();
    let records = matches!(document, Some(Value::Array(_) | Value::Object(_)));
    match coworker_ids(data) {
        Ok(ids) => {
            assert!(
                records,
                "accepted a body that is not a JSON array or object"
            );
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "a coworker named twice: {ids:?}");
            let text = String::from_utf8_lossy(data);
            for id in &ids {
                assert!(text.contains(&id.to_string()), "{id} is not in the body");
            }
        }
        Err(_) => assert!(!records, "refused a JSON array or object"),
    }

    let secret = SecretString::from(WEBHOOK_SECRET);
    let signed = webhook_signature(WEBHOOK_SECRET, data);
    assert!(verify_signature(&secret, data, Some(&signed)));
    assert!(verify_signature(
        &secret,
        data,
        Some(&signed.to_lowercase())
    ));
    assert!(verify_signature(
        &secret,
        data,
        Some(&format!(" {signed}\t"))
    ));
    assert!(!verify_signature(&secret, data, None));
    let other = webhook_signature("another-secret", data);
    assert!(!verify_signature(&secret, data, Some(&other)));
    if let Some((first, rest)) = data.split_first() {
        let mut changed = vec![first ^ 0x01];
        changed.extend_from_slice(rest);
        assert!(!verify_signature(&secret, &changed, Some(&signed)));
    }

    let header = String::from_utf8_lossy(data);
    let empty_signature = webhook_signature(WEBHOOK_SECRET, b"");
    assert_eq!(
        verify_signature(&secret, b"", Some(&header)),
        header.trim().eq_ignore_ascii_case(&empty_signature),
        "header {header:?}"
    );
}
