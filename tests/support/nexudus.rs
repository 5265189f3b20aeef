//! A fake Nexudus for wiremock: the requests the bot makes and the answers
//! Nexudus gives, shaped as the real API shapes them.

use std::num::{NonZeroU32, NonZeroUsize};
use std::time::Duration;

use nexudus_bot::config::NexudusSettings;
use nexudus_bot::pages::PortalPages;
use secrecy::SecretString;
use serde_json::{Value, json};
use url::Url;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

/// The REST user of client-level tests ([`settings`]).
pub const API_USER: &str = "admin@space.example";
pub const API_PASSWORD: &str = "rest-pass";

/// Client settings pointing both the API (`{uri}/api`) and the portal (`{uri}`)
/// at a fake, with room to call quickly (1000/s).
pub fn settings(server_uri: &str) -> NexudusSettings {
    NexudusSettings {
        api_url: Url::parse(&format!("{server_uri}/api")).unwrap(),
        portal_url: Url::parse(server_uri).unwrap(),
        language: "en".to_owned(),
        api_username: API_USER.to_owned(),
        api_password: SecretString::from(API_PASSWORD),
        portal_pages: PortalPages::parse("Home=/,Bookings=/{lang}/bookings", "en").unwrap(),
        timeout: Duration::from_secs(5),
        queue: Duration::from_secs(120),
        max_concurrency: NonZeroUsize::new(4).unwrap(),
        max_rps: NonZeroU32::new(1000).unwrap(),
        max_per_hour: NonZeroU32::new(200_000).unwrap(),
    }
}

/// `GET /api/sys/users/{id}/token/refresh`: mint a one-time login token.
pub fn token_refresh(user_id: u64) -> MockBuilder {
    Mock::given(method("GET")).and(path(format!("/api/sys/users/{user_id}/token/refresh")))
}

/// `POST /api/sys/users/token`: check a member's email and password.
pub fn user_token() -> MockBuilder {
    Mock::given(method("POST")).and(path("/api/sys/users/token"))
}

/// `GET /api/sys/users?User_Email=…`: the REST user list, searched by email.
pub fn find_user(email: &str) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path("/api/sys/users"))
        .and(query_param("User_Email", email))
}

/// `GET /en/user/resetPassword?email=…`: the portal's password reset.
pub fn reset_password(email: &str) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path("/en/user/resetPassword"))
        .and(query_param("email", email))
}

/// `GET /api/spaces/coworkers?Coworker_User={userId}`: the coworker of a user.
pub fn coworker_of_user(user_id: u64) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path("/api/spaces/coworkers"))
        .and(query_param("Coworker_User", user_id.to_string()))
}

/// `GET /api/billing/coworkercontracts?CoworkerContract_Coworker={id}&CoworkerContract_Active=true`:
/// one member's active plans.
pub fn member_contracts(coworker_id: u64) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path("/api/billing/coworkercontracts"))
        .and(query_param(
            "CoworkerContract_Coworker",
            coworker_id.to_string(),
        ))
        .and(query_param("CoworkerContract_Active", "true"))
}

/// `GET /api/billing/coworkercontracts?CoworkerContract_Active=true&page={page}`:
/// one page of every active plan.
pub fn active_contracts(page: u32) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path("/api/billing/coworkercontracts"))
        .and(query_param("CoworkerContract_Active", "true"))
        .and(query_param("page", page.to_string()))
}

/// A coworker contract record as Nexudus lists it (with fields the bot ignores).
pub fn contract(coworker_id: u64, tariff_name: &str, in_paused_period: bool) -> Value {
    json!({
        "Id": 50_000 + coworker_id,
        "CoworkerId": coworker_id,
        "CoworkerFullName": "A Member",
        "TariffName": tariff_name,
        "InPausedPeriod": in_paused_period,
        "Active": true,
    })
}

/// A page of a paged list (contracts, coworkers) holding `records`.
pub fn paged_list(records: Value, has_next_page: bool) -> ResponseTemplate {
    let total = records.as_array().map_or(0, Vec::len);
    json_response(
        200,
        json!({"Records": records, "TotalItems": total, "HasNextPage": has_next_page}).to_string(),
    )
}

/// The envelope Nexudus wraps most answers in.
pub fn envelope(status: u16, was_successful: bool, value: Value) -> String {
    json!({
        "Status": status,
        "Message": if was_successful { "OK" } else { "Error" },
        "Value": value,
        "WasSuccessful": was_successful,
        "Errors": null,
    })
    .to_string()
}

pub fn json_response(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json")
}

/// A successful envelope around `value`, HTTP 200.
pub fn ok_envelope(value: Value) -> ResponseTemplate {
    json_response(200, envelope(200, true, value))
}

/// What `/sys/users/token` answers to a wrong email or password: HTTP 200
/// with an unsuccessful envelope.
pub fn wrong_credentials() -> ResponseTemplate {
    json_response(200, envelope(500, false, Value::Null))
}

/// A page of the user list holding `records`.
pub fn user_list(records: Value) -> ResponseTemplate {
    let total = records.as_array().map_or(0, Vec::len);
    json_response(
        200,
        json!({"Records": records, "TotalItems": total}).to_string(),
    )
}

/// The value of query parameter `key` in `url`.
pub fn query(url: &Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}
