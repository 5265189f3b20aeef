//! Fuzzing regressions under plain `cargo test` (stable, no fuzzer).
//!
//! `tests/fuzz_corpus/<target>/` holds a small curated set of inputs for each
//! fuzz target of `fuzz/`: crashers the fuzzer found and edge cases written by
//! hand (trailing garbage, BOMs, deep nesting, huge numbers, Unicode, control
//! characters, `//evil`, backslashes, empty input…). Each file is replayed
//! through the very checks the fuzz target runs (`fuzz/checks.rs`, included
//! below), so these tests assert the same invariants the fuzzer does. A few
//! tests then pin the exact outcome of the inputs that matter most.
//!
//! To keep a new crasher: copy it from `fuzz/artifacts/<target>/` into
//! `tests/fuzz_corpus/<target>/` under a name that says what it is.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use nexudus_bot::email::parse_email;
use nexudus_bot::nexudus::fuzzing::{Decoded, decode_body};
use nexudus_bot::nexudus::{Endpoint, MalformedReason, NexudusError};
use nexudus_bot::pages::PortalPages;
use nexudus_bot::ratelimit::{Limit, MAX_LIMIT_COUNT};
use nexudus_bot::roles::webhook::coworker_ids;

#[path = "../fuzz/checks.rs"]
mod checks;

/// Runs `check` on every file of `tests/fuzz_corpus/<target>/` and fails
/// naming every input that broke an invariant (not just the first).
fn replay(target: &str, check: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "{}: only {} inputs",
        dir.display(),
        files.len()
    );
    let failed: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let data = fs::read(file).expect("a corpus file");
            catch_unwind(AssertUnwindSafe(|| check(&data)))
                .is_err()
                .then(|| file.display().to_string())
        })
        .collect();
    assert!(failed.is_empty(), "invariants broken by: {failed:#?}");
}

#[test]
fn every_curated_response_keeps_the_decoder_invariants() {
    replay("envelope", checks::envelope);
}

#[test]
fn every_curated_limit_keeps_the_limit_parser_invariants() {
    replay("limit", checks::limit);
}

#[test]
fn every_curated_pages_spec_keeps_its_paths_on_the_portal() {
    replay("portal_pages", checks::portal_pages);
}

#[test]
fn every_curated_email_keeps_the_validator_invariants() {
    replay("email", checks::email);
}

#[test]
fn every_curated_webhook_body_keeps_the_parser_and_signature_invariants() {
    replay("webhook", checks::webhook);
}

const OK: &str =
    r#"{"Status":200,"Message":"OK","Value":"tok","WasSuccessful":true,"Errors":null}"#;

/// The outcome for `endpoint` of `body` answered with `status`.
fn decode(endpoint: Endpoint, status: u16, body: &[u8]) -> Result<Decoded, NexudusError> {
    decode_body(endpoint, status, body).expect("a valid HTTP status")
}

fn malformed_reason(outcome: Result<Decoded, NexudusError>) -> Option<MalformedReason> {
    match outcome {
        Err(NexudusError::Malformed { reason, .. }) => Some(reason),
        _ => None,
    }
}

#[test]
fn a_success_envelope_followed_by_garbage_never_yields_a_token() {
    for tail in ["}#", "#", "}", "{}", "null", "\0", "\u{feff}", OK] {
        let body = format!("{OK}{tail}");
        for endpoint in [Endpoint::UserToken, Endpoint::LoginToken] {
            assert_eq!(
                malformed_reason(decode(endpoint, 200, body.as_bytes())),
                Some(MalformedReason::NotOneJsonDocument),
                "{endpoint} with tail {tail:?}"
            );
        }
    }
}

#[test]
fn a_bare_user_list_is_never_taken_for_a_token_or_a_sent_reset() {
    let body = br#"{"Records":[],"Token":"not-from-an-envelope"}"#;
    for endpoint in [
        Endpoint::UserToken,
        Endpoint::LoginToken,
        Endpoint::PasswordReset,
    ] {
        assert_eq!(
            malformed_reason(decode(endpoint, 200, body)),
            Some(MalformedReason::UnexpectedShape),
            "{endpoint}"
        );
    }
    assert!(matches!(
        decode(Endpoint::FindUser, 200, body),
        Ok(Decoded::Records(records)) if records.is_empty()
    ));
}

#[test]
fn deeply_nested_json_is_malformed_rather_than_a_stack_overflow() {
    let depth = 100_000;
    let body = format!(
        r#"{{"WasSuccessful":true,"Value":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for endpoint in Endpoint::ALL {
        assert!(
            malformed_reason(decode(endpoint, 200, body.as_bytes())).is_some(),
            "{endpoint}"
        );
    }
}

#[test]
fn ids_that_do_not_fit_a_u64_make_the_user_list_malformed() {
    for id in ["18446744073709551616", "1e400", "-1", "7.0", "\"7\""] {
        let body = format!(r#"{{"Records":[{{"Id":{id},"Email":"a@b.c"}}]}}"#);
        assert!(
            malformed_reason(decode(Endpoint::FindUser, 200, body.as_bytes())).is_some(),
            "Id {id}"
        );
    }
}

#[test]
fn statuses_that_are_not_http_statuses_are_not_decoded() {
    for status in [0, 42, 99, 1000, u16::MAX] {
        assert!(decode_body(Endpoint::LoginToken, status, OK.as_bytes()).is_none());
    }
}

#[test]
fn pages_that_could_leave_the_portal_are_refused() {
    for (lang, spec) in [
        ("en", "Evil=//evil.example"),
        ("en", "Evil=/\\evil.example"),
        ("en", "Evil=\\\\evil.example"),
        ("en", "Evil=https://evil.example"),
        ("en", "Evil=/https://evil.example"),
        ("en", "Evil=javascript:alert(1)"),
        ("en", "Evil=/\t/evil.example"),
        ("en", "Evil=/a\u{2028}b"),
        ("/evil.example", "Evil=/{lang}"),
        ("/", "Evil=/{lang}/x"),
        ("\\evil", "Evil=/{lang}"),
    ] {
        assert!(
            PortalPages::parse(spec, lang).is_err(),
            "{spec:?} with lang {lang:?}"
        );
    }
}

#[test]
fn limit_counts_that_would_exhaust_memory_are_refused() {
    assert_eq!(MAX_LIMIT_COUNT, 1_000);
    assert!("1000/1s".parse::<Limit>().is_ok());
    for raw in ["1001/1s", "1000000/1s", "4294967295/1h"] {
        assert!(raw.parse::<Limit>().is_err(), "{raw}");
    }
}

#[test]
fn emails_at_the_length_limit_are_measured_in_bytes() {
    let local = "a".repeat(64);
    let labels = ["b".repeat(60), "b".repeat(60), "b".repeat(60)].join(".");
    let at_limit = format!("{local}@{labels}.{}", "c".repeat(6));
    assert_eq!(at_limit.len(), 254);
    assert_eq!(parse_email(&at_limit), Ok(at_limit.clone()));
    assert!(parse_email(&format!("{at_limit}c")).is_err());
    let multibyte = format!("{}@{}.de", "é".repeat(32), "ü".repeat(94));
    assert!(multibyte.chars().count() < 254 && multibyte.len() > 254);
    assert!(parse_email(&multibyte).is_err());
}

/// The ids `coworker_ids` reads from the curated webhook body `name`.
fn webhook_ids(name: &str) -> Result<Vec<u64>, ()> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus/webhook")
        .join(name);
    coworker_ids(&fs::read(&file).expect("a corpus file")).map_err(drop)
}

#[test]
fn webhook_records_name_their_coworker_first_and_ids_that_do_not_fit_are_skipped() {
    assert_eq!(webhook_ids("contract-array"), Ok(vec![7]));
    assert_eq!(webhook_ids("coworker-record"), Ok(vec![31]));
    assert_eq!(webhook_ids("nested-records"), Ok(vec![2]));
    assert_eq!(webhook_ids("duplicates-mixed"), Ok(vec![7, 8]));
    assert_eq!(webhook_ids("huge-ids"), Ok(vec![u64::MAX]));
    assert_eq!(webhook_ids("null-coworker-id"), Ok(vec![]));
    assert_eq!(webhook_ids("bom-then-array"), Ok(vec![12]));
    for bad in [
        "not-json",
        "empty",
        "json-scalar",
        "trailing-garbage",
        "deep-nesting-over-limit",
        "float-out-of-range",
    ] {
        assert_eq!(webhook_ids(bad), Err(()), "{bad}");
    }
}

#[test]
fn contract_lists_keep_only_the_records_they_can_read() {
    let body = br#"{"Records":[{"CoworkerId":7,"TariffName":" Desk "},{"CoworkerId":"8","TariffName":"x"}],"HasNextPage":true}"#;
    for endpoint in [Endpoint::MemberContracts, Endpoint::ActiveContracts] {
        match decode(endpoint, 200, body) {
            Ok(Decoded::Contracts {
                contracts,
                listed,
                has_next_page,
            }) => {
                assert_eq!(contracts.len(), 1, "{endpoint}");
                assert_eq!(contracts[0].coworker_id, 7);
                assert_eq!(contracts[0].tariff_name, "Desk");
                assert_eq!((listed, has_next_page), (2, true));
            }
            other => panic!("{endpoint}: {other:?}"),
        }
    }
}
