//! The Nexudus calls behind membership roles against a fake Nexudus
//! (wiremock): the exact requests Nexudus receives, and what the bot makes
//! of every answer shape.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use nexudus_bot::nexudus::{
    CallObserver, Contract, ContractPage, Endpoint, MalformedReason, NexudusClient, NexudusError,
    RolesAccessProblem,
};
use serde_json::json;
use support::nexudus::{
    API_PASSWORD, API_USER, active_contracts, contract, coworker_of_user, json_response,
    member_contracts, ok_envelope, paged_list, settings, user_list,
};
use wiremock::matchers::{basic_auth, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> NexudusClient {
    NexudusClient::new(&settings(&server.uri())).unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// Path and query of every request `server` received, in order.
async fn targets(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|request| match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        })
        .collect()
}

fn assert_rest_call(request: &Request) {
    let header = |name: &str| request.headers.get(name).map(|v| v.to_str().unwrap());
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(header("accept"), Some("application/json"));
    assert!(
        header("authorization").is_some_and(|auth| auth.starts_with("Basic ")),
        "no Basic auth"
    );
}

async fn mount_everywhere(server: &MockServer, response: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(response)
        .mount(server)
        .await;
}

fn plan(coworker_id: u64, tariff_name: &str, in_paused_period: bool) -> Contract {
    Contract {
        coworker_id,
        tariff_name: tariff_name.to_owned(),
        in_paused_period,
    }
}

// ---------------------------------------------------------------- coworker

#[tokio::test]
async fn the_coworker_of_a_user_is_asked_of_the_coworker_list_with_the_rest_credentials() {
    let server = MockServer::start().await;
    coworker_of_user(42)
        .and(basic_auth(API_USER, API_PASSWORD))
        .respond_with(user_list(
            json!([{"Id": 7001, "UserId": 42, "FullName": "Ada"}]),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let coworker = client(&server).coworker_for_user(42).await.unwrap();

    assert_eq!(coworker, Some(7001));
    assert_eq!(
        targets(&server).await,
        ["/api/spaces/coworkers?Coworker_User=42"]
    );
    assert_rest_call(&received(&server).await[0]);
}

#[tokio::test]
async fn the_coworker_is_the_record_of_that_user_even_after_another_users() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        user_list(json!([
            {"Id": 1, "UserId": 8},
            {"Id": 2, "UserId": 42},
        ])),
    )
    .await;

    assert_eq!(client(&server).coworker_for_user(42).await, Ok(Some(2)));
}

#[tokio::test]
async fn a_coworker_list_that_names_no_user_gives_its_first_record() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        ok_envelope(json!({"Records": [{"Id": 5}, {"Id": 6}], "TotalItems": 2})),
    )
    .await;

    assert_eq!(client(&server).coworker_for_user(42).await, Ok(Some(5)));
}

#[tokio::test]
async fn a_user_with_no_coworker_record_of_their_own_has_no_coworker() {
    for records in [json!([]), json!([{"Id": 1, "UserId": 8}])] {
        let server = MockServer::start().await;
        mount_everywhere(&server, user_list(records)).await;

        assert_eq!(client(&server).coworker_for_user(42).await, Ok(None));
    }
}

// ---------------------------------------------------------------- one member's plans

#[tokio::test]
async fn one_members_plans_are_asked_with_the_exact_filters_and_the_rest_credentials() {
    let server = MockServer::start().await;
    member_contracts(7)
        .and(basic_auth(API_USER, API_PASSWORD))
        .respond_with(paged_list(
            json!([contract(7, "Hot Desk", false), contract(7, "Locker", true)]),
            false,
        ))
        .expect(1)
        .mount(&server)
        .await;

    let plans = client(&server).active_contracts_of(7).await.unwrap();

    assert_eq!(plans, [plan(7, "Hot Desk", false), plan(7, "Locker", true)]);
    assert_eq!(
        targets(&server).await,
        [
            "/api/billing/coworkercontracts?CoworkerContract_Coworker=7&CoworkerContract_Active=true&size=100"
        ]
    );
    assert_rest_call(&received(&server).await[0]);
}

#[tokio::test]
async fn unreadable_contract_records_and_other_members_plans_are_left_out() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        paged_list(
            json!([
                {"CoworkerId": 7, "TariffName": "  Office  "},
                {"CoworkerId": 7},
                {"TariffName": "Orphan"},
                {"CoworkerId": 7, "TariffName": "Ended", "Active": false},
                contract(8, "Someone else's", false),
                contract(7, "Desk", true),
            ]),
            false,
        ),
    )
    .await;

    let plans = client(&server).active_contracts_of(7).await.unwrap();

    assert_eq!(plans, [plan(7, "Office", false), plan(7, "Desk", true)]);
}

// ---------------------------------------------------------------- every plan, in pages

#[tokio::test]
async fn every_active_plan_is_read_page_by_page_until_no_page_follows() {
    let server = MockServer::start().await;
    for (page, records, next) in [
        (
            1,
            json!([contract(1, "Desk", false), contract(2, "Office", true)]),
            true,
        ),
        (2, json!([contract(3, "Desk", false)]), true),
        (3, json!([contract(4, "Locker", false)]), false),
    ] {
        active_contracts(page)
            .and(query_param("size", "100"))
            .and(basic_auth(API_USER, API_PASSWORD))
            .respond_with(paged_list(records, next))
            .expect(1)
            .mount(&server)
            .await;
    }
    let nexudus = client(&server);

    let mut plans = Vec::new();
    let mut page = 1;
    loop {
        let ContractPage {
            contracts,
            has_next_page,
        } = nexudus.active_contracts_page(page).await.unwrap();
        plans.extend(contracts);
        if !has_next_page {
            break;
        }
        page += 1;
    }

    assert_eq!(
        plans,
        [
            plan(1, "Desk", false),
            plan(2, "Office", true),
            plan(3, "Desk", false),
            plan(4, "Locker", false),
        ]
    );
    assert_eq!(
        targets(&server).await,
        (1..=3)
            .map(|page| format!(
                "/api/billing/coworkercontracts?CoworkerContract_Active=true&page={page}&size=100"
            ))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_page_without_has_next_page_or_without_records_is_the_last() {
    let server = MockServer::start().await;
    active_contracts(1)
        .respond_with(user_list(json!([contract(1, "Desk", false)])))
        .mount(&server)
        .await;
    active_contracts(2)
        .respond_with(paged_list(json!([]), true))
        .mount(&server)
        .await;
    let nexudus = client(&server);

    let first = nexudus.active_contracts_page(1).await.unwrap();
    let empty = nexudus.active_contracts_page(2).await.unwrap();

    assert_eq!(first.contracts, [plan(1, "Desk", false)]);
    assert!(!first.has_next_page);
    assert!(empty.contracts.is_empty());
    assert!(!empty.has_next_page);
}

#[tokio::test]
async fn a_page_whose_records_are_all_skipped_still_says_another_follows() {
    let server = MockServer::start().await;
    mount_everywhere(&server, paged_list(json!([{"TariffName": "Orphan"}]), true)).await;

    let page = client(&server).active_contracts_page(1).await.unwrap();

    assert!(page.contracts.is_empty());
    assert!(page.has_next_page);
}

// ---------------------------------------------------------------- failures

#[tokio::test]
async fn roles_calls_answered_401_or_403_report_rejected_rest_credentials() {
    for status in [401, 403] {
        let server = MockServer::start().await;
        mount_everywhere(&server, ResponseTemplate::new(status)).await;
        let nexudus = client(&server);

        assert_eq!(
            nexudus.coworker_for_user(1).await,
            Err(NexudusError::RestCredentialsRejected)
        );
        assert_eq!(
            nexudus.active_contracts_of(1).await,
            Err(NexudusError::RestCredentialsRejected)
        );
        assert_eq!(
            nexudus.active_contracts_page(1).await,
            Err(NexudusError::RestCredentialsRejected)
        );
    }
}

fn malformed_reason<T>(result: Result<T, NexudusError>) -> Option<MalformedReason> {
    match result {
        Err(NexudusError::Malformed { reason, .. }) => Some(reason),
        _ => None,
    }
}

#[tokio::test]
async fn broken_or_misshapen_json_on_a_2xx_is_malformed() {
    for (body, reason) in [
        (r#"{"Records":[{"Id":1"#, MalformedReason::TruncatedJson),
        (r#"{"Records":[]}}"#, MalformedReason::NotOneJsonDocument),
        (r#"{"Records":{"Id":1}}"#, MalformedReason::UnexpectedShape),
        (r#"{"TotalItems":0}"#, MalformedReason::UnexpectedShape),
        (r#"[{"Id":1}]"#, MalformedReason::UnexpectedShape),
    ] {
        let server = MockServer::start().await;
        mount_everywhere(&server, json_response(200, body)).await;
        let nexudus = client(&server);

        assert_eq!(
            malformed_reason(nexudus.coworker_for_user(1).await),
            Some(reason),
            "coworker, {body}"
        );
        assert_eq!(
            malformed_reason(nexudus.active_contracts_of(1).await),
            Some(reason),
            "member contracts, {body}"
        );
        assert_eq!(
            malformed_reason(nexudus.active_contracts_page(1).await),
            Some(reason),
            "contract page, {body}"
        );
    }
}

#[tokio::test]
async fn a_coworker_record_without_an_id_makes_the_list_malformed() {
    let server = MockServer::start().await;
    mount_everywhere(&server, user_list(json!([{"UserId": 42}]))).await;

    assert_eq!(
        malformed_reason(client(&server).coworker_for_user(42).await),
        Some(MalformedReason::UnexpectedShape)
    );
}

#[tokio::test]
async fn a_gateway_page_instead_of_a_contract_list_is_unavailable() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"),
    )
    .await;

    let error = client(&server).active_contracts_page(1).await.unwrap_err();

    assert_eq!(error.kind(), "unavailable");
}

// ---------------------------------------------------------------- probe for `check`

#[tokio::test]
async fn the_roles_probe_lists_one_coworker_and_one_contract() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/spaces/coworkers"))
        .and(basic_auth(API_USER, API_PASSWORD))
        .respond_with(user_list(json!([{"Id": 1}])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/billing/coworkercontracts"))
        .and(basic_auth(API_USER, API_PASSWORD))
        .respond_with(paged_list(json!([contract(1, "Desk", false)]), true))
        .expect(1)
        .mount(&server)
        .await;

    assert_eq!(client(&server).probe_roles_access().await, Ok(()));
    assert_eq!(
        targets(&server).await,
        [
            "/api/spaces/coworkers?size=1",
            "/api/billing/coworkercontracts?size=1"
        ]
    );
}

#[tokio::test]
async fn the_roles_probe_names_the_coworker_role_when_the_coworker_list_is_refused() {
    let server = MockServer::start().await;
    mount_everywhere(&server, ResponseTemplate::new(403)).await;

    let problem = client(&server).probe_roles_access().await.unwrap_err();

    assert_eq!(
        problem,
        RolesAccessProblem::Coworkers(NexudusError::RestCredentialsRejected)
    );
    assert_eq!(problem.role(), "Coworker-List");
    assert!(problem.to_string().contains("Coworker-List"), "{problem}");
}

#[tokio::test]
async fn the_roles_probe_names_the_contract_role_when_only_the_contract_list_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/spaces/coworkers"))
        .respond_with(user_list(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/billing/coworkercontracts"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;

    let problem = client(&server).probe_roles_access().await.unwrap_err();

    assert_eq!(
        problem,
        RolesAccessProblem::Contracts(NexudusError::RestCredentialsRejected)
    );
    let shown = problem.to_string();
    assert!(shown.contains("CoworkerContract-List"), "{shown}");
    assert!(!shown.contains(API_PASSWORD), "{shown}");
}

// ---------------------------------------------------------------- observer

#[derive(Default)]
struct Recorder(Mutex<Vec<(Endpoint, String)>>);

impl CallObserver for Recorder {
    fn observe(&self, endpoint: Endpoint, status: &str, _elapsed: Duration) {
        self.0.lock().unwrap().push((endpoint, status.to_owned()));
    }
}

#[tokio::test]
async fn each_roles_call_is_observed_under_its_own_endpoint_but_the_probe_is_not() {
    let server = MockServer::start().await;
    coworker_of_user(42)
        .respond_with(user_list(json!([{"Id": 7, "UserId": 42}])))
        .mount(&server)
        .await;
    member_contracts(7)
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    active_contracts(1)
        .respond_with(paged_list(json!([]), false))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let nexudus = client(&server).with_observer(recorder.clone());

    nexudus.coworker_for_user(42).await.unwrap();
    nexudus.active_contracts_of(7).await.unwrap_err();
    nexudus.active_contracts_page(1).await.unwrap();
    let _ = nexudus.probe_roles_access().await;

    assert_eq!(
        *recorder.0.lock().unwrap(),
        [
            (Endpoint::Coworker, "ok".to_owned()),
            (Endpoint::MemberContracts, "unavailable".to_owned()),
            (Endpoint::ActiveContracts, "ok".to_owned()),
        ]
    );
}
