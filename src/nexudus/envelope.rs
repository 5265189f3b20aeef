//! The one decoder for Nexudus JSON bodies.
//!
//! Nexudus wraps answers in an envelope
//! `{"Status":200,"Message":"OK","Value":...,"WasSuccessful":true,"Errors":null}`
//! where `WasSuccessful` is the truth (the HTTP status and `Status` can
//! disagree with it). The REST lists (users, coworkers, contracts) answer a bare
//! `{"Records":[...],"TotalItems":n,"HasNextPage":b}` instead; today's member
//! login answers OAuth JSON (`{"access_token":…}` or `{"error":…}`) and
//! `businesses/current` a bare object. Every body goes through
//! [`decode_json`], so "exactly one JSON document" is enforced in one place.

use secrecy::SecretString;
use serde::Deserialize;
use serde_json::Value;

use super::error::MalformedReason;

/// A body that decoded to one JSON document of a known shape.
#[derive(Debug)]
pub(crate) enum Document {
    /// The standard envelope.
    Envelope { was_successful: bool, value: Value },
    /// A bare list `{"Records":[...], ...}` (the whole document).
    List(Value),
}

/// Why a body did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// Nothing but whitespace.
    Empty,
    /// Starts with `<`: an HTML (or XML) page, not the API.
    Html,
    /// Looks like JSON but is not one valid document of a known shape.
    Malformed(MalformedReason),
}

/// Decodes a whole body as exactly one JSON document, of any shape.
///
/// `serde_json::from_slice` rejects anything but trailing whitespace after the
/// document, which is what makes `{"WasSuccessful":true,...}}#` malformed.
/// A leading UTF-8 BOM (some ASP.NET stacks send one) is tolerated.
pub(crate) fn decode_json(body: &[u8]) -> Result<Value, DecodeError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        None => return Err(DecodeError::Empty),
        Some(b'<') => return Err(DecodeError::Html),
        Some(_) => {}
    }
    // The serde error is dropped on purpose: its message can quote the body.
    serde_json::from_slice(body).map_err(|e| {
        DecodeError::Malformed(match e.classify() {
            serde_json::error::Category::Eof => MalformedReason::TruncatedJson,
            _ => MalformedReason::NotOneJsonDocument,
        })
    })
}

/// Decodes a whole body as exactly one envelope or bare list.
pub(crate) fn decode(body: &[u8]) -> Result<Document, DecodeError> {
    let Value::Object(mut fields) = decode_json(body)? else {
        return Err(DecodeError::Malformed(MalformedReason::UnexpectedShape));
    };
    if let Some(flag) = fields.get("WasSuccessful") {
        let Some(was_successful) = flag.as_bool() else {
            return Err(DecodeError::Malformed(MalformedReason::UnexpectedShape));
        };
        let value = fields.remove("Value").unwrap_or(Value::Null);
        return Ok(Document::Envelope {
            was_successful,
            value,
        });
    }
    if fields.contains_key("Records") {
        return Ok(Document::List(Value::Object(fields)));
    }
    Err(DecodeError::Malformed(MalformedReason::UnexpectedShape))
}

/// Takes the token out of an envelope's `Value`.
///
/// Accepted: a non-empty JSON string, or an object with a non-empty string
/// field `Token` (or `token`). Anything else is [`MalformedReason::MissingToken`].
/// The string is moved, not copied, into the secret.
pub(crate) fn take_token(value: Value) -> Result<SecretString, MalformedReason> {
    let token = match value {
        Value::String(token) => token,
        Value::Object(mut fields) => {
            match fields.remove("Token").or_else(|| fields.remove("token")) {
                Some(Value::String(token)) => token,
                _ => return Err(MalformedReason::MissingToken),
            }
        }
        _ => return Err(MalformedReason::MissingToken),
    };
    if token.trim().is_empty() {
        return Err(MalformedReason::MissingToken);
    }
    Ok(SecretString::from(token))
}

/// Takes the token out of today's OAuth answer `{"access_token":…,…}`: a
/// non-empty string, moved into the secret. Anything else is
/// [`MalformedReason::MissingToken`].
pub(crate) fn take_access_token(document: Value) -> Result<SecretString, MalformedReason> {
    let Value::Object(mut fields) = document else {
        return Err(MalformedReason::UnexpectedShape);
    };
    match fields.remove("access_token") {
        Some(Value::String(token)) if !token.trim().is_empty() => Ok(SecretString::from(token)),
        _ => Err(MalformedReason::MissingToken),
    }
}

/// The `error` code of an OAuth error answer `{"error":"invalid_grant",…}`.
pub(crate) fn oauth_error(document: &Value) -> Option<&str> {
    document.get("error")?.as_str()
}

/// What `businesses/current` tells about the space; other fields are ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct BusinessRecord {
    #[serde(rename = "Id")]
    pub id: u64,
    #[serde(rename = "Name", default)]
    pub name: Option<String>,
    #[serde(rename = "NativeHomeUrlWithLanguage", default)]
    pub native_home_url: Option<String>,
}

/// Reads the business from `businesses/current` (bare, or the `Value` of an envelope).
pub(crate) fn business_record(document: Value) -> Result<BusinessRecord, MalformedReason> {
    serde_json::from_value(document).map_err(|_| MalformedReason::UnexpectedShape)
}

/// One record of the user list; other fields are ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct UserRecord {
    #[serde(rename = "Id")]
    pub id: u64,
    /// Missing or `null` on some records; such records never match.
    #[serde(rename = "Email", default)]
    pub email: Option<String>,
}

/// One page of the user list.
#[derive(Debug, Deserialize)]
pub(crate) struct UserPage {
    #[serde(rename = "Records")]
    pub records: Vec<UserRecord>,
    /// Missing on lists that are not paged (or from older Nexudus): one page.
    #[serde(rename = "HasNextPage", default)]
    pub has_next_page: Option<bool>,
}

/// Reads a page of the user list (bare, or the `Value` of an envelope).
pub(crate) fn user_page(list: Value) -> Result<UserPage, MalformedReason> {
    serde_json::from_value::<UserPage>(list).map_err(|_| MalformedReason::UnexpectedShape)
}

/// Reads the records of a user list, ignoring paging.
pub(crate) fn user_records(list: Value) -> Result<Vec<UserRecord>, MalformedReason> {
    user_page(list).map(|page| page.records)
}

/// One record of the coworker list; other fields are ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct CoworkerRecord {
    #[serde(rename = "Id")]
    pub id: u64,
    /// The Nexudus user the coworker belongs to, when the list says.
    #[serde(rename = "UserId", default)]
    pub user_id: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct CoworkerPage {
    #[serde(rename = "Records")]
    records: Vec<CoworkerRecord>,
}

/// Reads the records of a coworker list (bare, or the `Value` of an envelope).
/// Like the user list, a record without a numeric `Id` makes the list malformed.
pub(crate) fn coworker_records(list: Value) -> Result<Vec<CoworkerRecord>, MalformedReason> {
    serde_json::from_value::<CoworkerPage>(list)
        .map(|page| page.records)
        .map_err(|_| MalformedReason::UnexpectedShape)
}

/// An active plan of a member, as Nexudus lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// The coworker (member) the contract belongs to: `CoworkerId`.
    pub coworker_id: u64,
    /// The plan's name: `TariffName`, trimmed.
    pub tariff_name: String,
    /// `InPausedPeriod`: the plan is active but paused (no member role).
    pub in_paused_period: bool,
}

/// One page of a contract list, as read.
#[derive(Debug)]
pub(crate) struct ContractList {
    /// The contracts that could be read, in the order listed.
    pub contracts: Vec<Contract>,
    /// How many records the page held, read or skipped.
    pub listed: usize,
    /// `HasNextPage`; absent or `null` is `false`.
    pub has_next_page: bool,
}

/// Reads a page of a contract list (bare, or the `Value` of an envelope).
///
/// The list itself must be an object whose `Records` is an array, and
/// `HasNextPage`, when given, a boolean. Records are read one by one and
/// leniently: one without a numeric `CoworkerId` or a non-blank string
/// `TariffName`, with an `InPausedPeriod` that is not a boolean, or marked
/// `Active: false`, is skipped rather than spoiling the page. A skipped
/// contract can only withhold a role, never give one. `InPausedPeriod`
/// missing or `null` is `false`; the plan name is trimmed.
pub(crate) fn contract_list(list: Value) -> Result<ContractList, MalformedReason> {
    let Value::Object(mut fields) = list else {
        return Err(MalformedReason::UnexpectedShape);
    };
    let has_next_page = match fields.get("HasNextPage") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(next)) => *next,
        Some(_) => return Err(MalformedReason::UnexpectedShape),
    };
    let Some(Value::Array(records)) = fields.remove("Records") else {
        return Err(MalformedReason::UnexpectedShape);
    };
    let listed = records.len();
    let contracts = records.iter().filter_map(contract_record).collect();
    Ok(ContractList {
        contracts,
        listed,
        has_next_page,
    })
}

fn contract_record(record: &Value) -> Option<Contract> {
    if record.get("Active") == Some(&Value::Bool(false)) {
        return None;
    }
    let coworker_id = record.get("CoworkerId")?.as_u64()?;
    let tariff_name = record.get("TariffName")?.as_str()?.trim();
    if tariff_name.is_empty() {
        return None;
    }
    let in_paused_period = match record.get("InPausedPeriod") {
        None | Some(Value::Null) => false,
        Some(paused) => paused.as_bool()?,
    };
    Some(Contract {
        coworker_id,
        tariff_name: tariff_name.to_owned(),
        in_paused_period,
    })
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    const OK: &str =
        r#"{"Status":200,"Message":"OK","Value":"tok","WasSuccessful":true,"Errors":null}"#;

    #[test]
    fn a_success_envelope_decodes_with_its_value() {
        match decode(OK.as_bytes()) {
            Ok(Document::Envelope {
                was_successful: true,
                value,
            }) => assert_eq!(value, Value::String("tok".into())),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn trailing_whitespace_is_fine_but_trailing_garbage_is_malformed() {
        assert!(decode(format!("  {OK}\r\n ").as_bytes()).is_ok());
        for tail in ["}#", "#", "{}", " x", "null"] {
            assert_eq!(
                decode(format!("{OK}{tail}").as_bytes()).unwrap_err(),
                DecodeError::Malformed(MalformedReason::NotOneJsonDocument),
                "tail {tail:?}"
            );
        }
    }

    #[test]
    fn truncated_json_is_reported_as_truncated() {
        assert_eq!(
            decode(&OK.as_bytes()[..OK.len() - 10]).unwrap_err(),
            DecodeError::Malformed(MalformedReason::TruncatedJson)
        );
    }

    #[test]
    fn empty_and_html_bodies_are_told_apart_from_json() {
        assert_eq!(decode(b"").unwrap_err(), DecodeError::Empty);
        assert_eq!(decode(b" \n\t").unwrap_err(), DecodeError::Empty);
        assert_eq!(
            decode(b"\n<!DOCTYPE html><html>502</html>").unwrap_err(),
            DecodeError::Html
        );
    }

    #[test]
    fn a_bom_before_the_document_is_tolerated() {
        assert!(decode(format!("\u{feff}{OK}").as_bytes()).is_ok());
    }

    #[test]
    fn json_of_another_shape_is_malformed() {
        for body in [
            "[]",
            "\"tok\"",
            "42",
            "{}",
            r#"{"WasSuccessful":"yes"}"#,
            r#"{"Value":"tok"}"#,
        ] {
            assert_eq!(
                decode(body.as_bytes()).unwrap_err(),
                DecodeError::Malformed(MalformedReason::UnexpectedShape),
                "body {body}"
            );
        }
    }

    #[test]
    fn a_bare_user_list_decodes_as_a_list() {
        let body = r#"{"Records":[{"Id":7,"Email":"a@b.c","Name":"A"}],"TotalItems":1}"#;
        let Ok(Document::List(list)) = decode(body.as_bytes()) else {
            panic!("not a list");
        };
        let records = user_records(list).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].id, 7);
        assert_eq!(records[0].email.as_deref(), Some("a@b.c"));
    }

    #[test]
    fn a_record_without_an_id_is_malformed() {
        let list = serde_json::json!({"Records":[{"Email":"a@b.c"}]});
        assert_eq!(
            user_records(list).unwrap_err(),
            MalformedReason::UnexpectedShape
        );
    }

    #[test]
    fn a_user_page_says_whether_another_follows() {
        let page = user_page(serde_json::json!({"Records": [], "HasNextPage": true})).unwrap();
        assert_eq!(page.has_next_page, Some(true));
        let page = user_page(serde_json::json!({"Records": [], "TotalItems": 0})).unwrap();
        assert_eq!(page.has_next_page, None);
        assert!(user_page(serde_json::json!({"Records": [], "HasNextPage": "yes"})).is_err());
    }

    #[test]
    fn coworker_records_need_an_id_and_may_lack_the_user_id() {
        let records = coworker_records(serde_json::json!({
            "Records": [{"Id": 3, "UserId": 9}, {"Id": 4, "UserId": null}, {"Id": 5}]
        }))
        .unwrap();
        let read: Vec<_> = records.iter().map(|r| (r.id, r.user_id)).collect();
        assert_eq!(read, [(3, Some(9)), (4, None), (5, None)]);
        assert!(coworker_records(serde_json::json!({"Records": [{"UserId": 9}]})).is_err());
        assert!(coworker_records(serde_json::json!({"Records": {}})).is_err());
    }

    #[test]
    fn contract_records_that_cannot_be_read_are_skipped_not_fatal() {
        let list = contract_list(serde_json::json!({
            "Records": [
                {"CoworkerId": 1, "TariffName": " Desk ", "InPausedPeriod": true},
                {"CoworkerId": 2, "TariffName": "Office"},
                {"CoworkerId": 3, "TariffName": "Null pause", "InPausedPeriod": null},
                {"TariffName": "no coworker"},
                {"CoworkerId": 4},
                {"CoworkerId": 5, "TariffName": "  "},
                {"CoworkerId": "6", "TariffName": "string id"},
                {"CoworkerId": 7, "TariffName": "odd pause", "InPausedPeriod": "yes"},
                {"CoworkerId": 8, "TariffName": "ended", "Active": false},
                42
            ],
            "HasNextPage": true
        }))
        .unwrap();
        let contract = |coworker_id, name: &str, paused| Contract {
            coworker_id,
            tariff_name: name.to_owned(),
            in_paused_period: paused,
        };
        assert_eq!(
            list.contracts,
            [
                contract(1, "Desk", true),
                contract(2, "Office", false),
                contract(3, "Null pause", false),
            ]
        );
        assert_eq!(list.listed, 10);
        assert!(list.has_next_page);
    }

    #[test]
    fn a_contract_list_must_hold_an_array_of_records_and_a_boolean_next_page() {
        let page = contract_list(serde_json::json!({"Records": []})).unwrap();
        assert!(!page.has_next_page);
        for bad in [
            serde_json::json!({"Records": {}}),
            serde_json::json!({"TotalItems": 0}),
            serde_json::json!({"Records": [], "HasNextPage": "yes"}),
            serde_json::json!([]),
        ] {
            assert_eq!(
                contract_list(bad).unwrap_err(),
                MalformedReason::UnexpectedShape
            );
        }
    }

    #[test]
    fn access_tokens_are_taken_only_from_a_non_empty_access_token_string() {
        let answer = serde_json::json!({"access_token": "abc", "token_type": "bearer"});
        assert_eq!(take_access_token(answer).unwrap().expose_secret(), "abc");
        for answer in [
            serde_json::json!({"access_token": ""}),
            serde_json::json!({"access_token": 12}),
            serde_json::json!({"Token": "abc"}),
            serde_json::json!({"error": "invalid_grant"}),
        ] {
            assert_eq!(
                take_access_token(answer).unwrap_err(),
                MalformedReason::MissingToken
            );
        }
        assert_eq!(
            take_access_token(serde_json::json!("abc")).unwrap_err(),
            MalformedReason::UnexpectedShape
        );
    }

    #[test]
    fn a_business_needs_an_id_and_may_lack_the_rest() {
        let record = business_record(serde_json::json!({
            "Id": 9001, "Name": "Fake Space",
            "NativeHomeUrlWithLanguage": "https://members.example.com/fr", "Other": [1]
        }))
        .unwrap();
        assert_eq!(record.id, 9001);
        assert_eq!(record.name.as_deref(), Some("Fake Space"));
        assert_eq!(
            record.native_home_url.as_deref(),
            Some("https://members.example.com/fr")
        );
        assert!(business_record(serde_json::json!({"Id": 1})).is_ok());
        for bad in [
            serde_json::json!({"Name": "x"}),
            serde_json::json!({"Id": "9001"}),
            serde_json::json!([]),
        ] {
            assert!(business_record(bad).is_err());
        }
    }

    #[test]
    fn tokens_are_taken_from_a_string_or_a_token_field() {
        for value in [
            serde_json::json!("abc"),
            serde_json::json!({"Token": "abc"}),
            serde_json::json!({"token": "abc", "Expires": 1}),
        ] {
            assert_eq!(take_token(value).unwrap().expose_secret(), "abc");
        }
        for value in [
            Value::Null,
            serde_json::json!(""),
            serde_json::json!(12),
            serde_json::json!({"Token": null}),
            serde_json::json!({"AccessToken": "abc"}),
        ] {
            assert_eq!(
                take_token(value).unwrap_err(),
                MalformedReason::MissingToken
            );
        }
    }
}
