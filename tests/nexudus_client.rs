//! The Nexudus client against a fake Nexudus (wiremock, and a tiny hand-rolled
//! server where in-flight requests must be counted).
//!
//! Each test asserts what a caller would notice: the exact requests Nexudus
//! receives, and the typed outcome of every answer shape.

mod support;

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nexudus_bot::config::NexudusSettings;
use nexudus_bot::nexudus::{
    CallObserver, Endpoint, LoginToken, NexudusClient, NexudusError, NexudusUser, UnavailableReason,
};
use nexudus_bot::pages::PortalPages;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use support::nexudus::{
    API_PASSWORD, API_USER, envelope, json_response, ok_envelope, query, settings, user_list,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;
use wiremock::matchers::{basic_auth, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> NexudusClient {
    NexudusClient::new(&settings(&server.uri())).unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// The headers every call carries, and Basic auth exactly where it belongs.
fn assert_common_headers(request: &Request, with_basic_auth: bool) {
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(concat!("nexudus-bot/", env!("CARGO_PKG_VERSION")))
    );
    let auth = header(request, "authorization");
    if with_basic_auth {
        assert!(auth.is_some_and(|a| a.starts_with("Basic ")), "{auth:?}");
    } else {
        assert_eq!(auth, None);
    }
}

fn methods(requests: &[Request]) -> Vec<String> {
    requests.iter().map(|r| r.method.to_string()).collect()
}

async fn mount_everywhere(server: &MockServer, response: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// Makes `server` a Nexudus of the seed's generation: today's member login and
/// reset routes are missing, whatever else is mounted.
async fn seed_generation(server: &MockServer) {
    for route in ["/api/token", "/api/sys/users/startPasswordReset"] {
        Mock::given(method("POST"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(404))
            .with_priority(1)
            .mount(server)
            .await;
    }
}

// ---------------------------------------------------------------- requests

#[tokio::test]
async fn the_seeds_member_login_accepts_a_token_object_in_value() {
    let server = MockServer::start().await;
    seed_generation(&server).await;
    mount_everywhere(&server, ok_envelope(json!({"Token": "jwt-in-object"}))).await;

    let jwt = client(&server)
        .verify_member("m@example.com", &SecretString::from("pw"), None)
        .await
        .unwrap();

    assert_eq!(jwt.expose_secret(), "jwt-in-object");
}

#[tokio::test]
async fn login_token_gets_the_refresh_endpoint_with_the_rest_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users/42/token/refresh"))
        .and(basic_auth(API_USER, API_PASSWORD))
        .respond_with(ok_envelope(json!("one-time")))
        .expect(1)
        .mount(&server)
        .await;

    let nexudus = client(&server);
    let token = nexudus.login_token(42).await.unwrap();

    let requests = received(&server).await;
    assert_common_headers(&requests[0], true);
    assert_eq!(requests[0].url.query(), None);
    let page = PortalPages::parse("Home=/", "en").unwrap();
    let url = Url::parse(nexudus.login_url(&token, page.default_page()).expose()).unwrap();
    assert_eq!(query(&url, "t").as_deref(), Some("one-time"));
}

#[tokio::test]
async fn login_token_falls_back_to_post_once_and_remembers_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users/7/token/refresh"))
        .respond_with(ResponseTemplate::new(405))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/sys/users/7/token/refresh"))
        .and(basic_auth(API_USER, API_PASSWORD))
        .respond_with(ok_envelope(json!({"Token": "via-post"})))
        .mount(&server)
        .await;
    let nexudus = client(&server);

    nexudus.login_token(7).await.unwrap();
    // A clone shares what was learnt.
    nexudus.clone().login_token(7).await.unwrap();

    assert_eq!(methods(&received(&server).await), ["GET", "POST", "POST"]);
}

#[tokio::test]
async fn login_token_falls_back_to_post_on_a_404_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok_envelope(json!("via-post")))
        .mount(&server)
        .await;

    client(&server).login_token(7).await.unwrap();

    assert_eq!(methods(&received(&server).await), ["GET", "POST"]);
}

#[tokio::test]
async fn login_token_once_get_worked_a_404_is_an_unknown_user_without_trying_post() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users/1/token/refresh"))
        .respond_with(ok_envelope(json!("t1")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users/2/token/refresh"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let nexudus = client(&server);

    nexudus.login_token(1).await.unwrap();
    let unknown = nexudus.login_token(2).await.unwrap_err();

    assert_eq!(unknown, NexudusError::NotFound);
    assert_eq!(methods(&received(&server).await), ["GET", "GET"]);
}

#[tokio::test]
async fn login_token_of_an_unknown_user_is_not_found_when_neither_method_finds_it() {
    let server = MockServer::start().await;
    mount_everywhere(&server, ResponseTemplate::new(404)).await;

    let error = client(&server).login_token(9).await.unwrap_err();

    assert_eq!(error, NexudusError::NotFound);
    assert_eq!(methods(&received(&server).await), ["GET", "POST"]);
}

#[tokio::test]
async fn find_user_sends_the_email_percent_encoded_with_the_rest_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users"))
        .and(query_param("User_Email", "a+b@example.com"))
        .and(basic_auth(API_USER, API_PASSWORD))
        .respond_with(user_list(json!([{"Id": 5, "Email": "a+b@example.com"}])))
        .expect(1)
        .mount(&server)
        .await;

    let user = client(&server)
        .find_user_by_email("a+b@example.com")
        .await
        .unwrap();

    assert_eq!(
        user,
        NexudusUser {
            id: 5,
            email: "a+b@example.com".to_owned()
        }
    );
    let requests = received(&server).await;
    assert_common_headers(&requests[0], true);
    // `+` must be encoded, or Nexudus would read a space.
    assert_eq!(
        requests[0].url.query(),
        Some("User_Email=a%2Bb%40example.com&page=1&size=100")
    );
}

#[tokio::test]
async fn find_user_picks_the_record_whose_email_matches_case_insensitively_after_trimming() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        user_list(json!([
            {"Id": 1, "Email": "other+x@y.com"},
            {"Id": 2, "Email": null},
            {"Id": 3, "Email": " X@Y.com "},
            {"Id": 4, "Email": "x@y.com.evil"},
        ])),
    )
    .await;

    let user = client(&server)
        .find_user_by_email("  x@y.COM")
        .await
        .unwrap();

    assert_eq!(user.id, 3);
    assert_eq!(user.email, "X@Y.com");
    assert_eq!(
        query(&received(&server).await[0].url, "User_Email").as_deref(),
        Some("x@y.COM")
    );
}

#[tokio::test]
async fn find_user_is_not_found_when_only_a_contains_match_or_nothing_comes_back() {
    for records in [json!([{"Id": 1, "Email": "other+x@y.com"}]), json!([])] {
        let server = MockServer::start().await;
        mount_everywhere(&server, user_list(records)).await;

        let error = client(&server)
            .find_user_by_email("x@y.com")
            .await
            .unwrap_err();

        assert_eq!(error, NexudusError::NotFound);
    }
}

#[tokio::test]
async fn find_user_accepts_the_list_wrapped_in_an_envelope() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        ok_envelope(json!({"Records": [{"Id": 11, "Email": "w@x.y"}], "TotalItems": 1})),
    )
    .await;

    let user = client(&server).find_user_by_email("w@x.y").await.unwrap();

    assert_eq!(user.id, 11);
}

#[tokio::test]
async fn find_user_with_an_empty_email_is_not_found_without_a_call() {
    let server = MockServer::start().await;

    let error = client(&server).find_user_by_email("  ").await.unwrap_err();

    assert_eq!(error, NexudusError::NotFound);
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn bases_with_a_trailing_slash_build_the_same_paths() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/sys/users/token"))
        .respond_with(ok_envelope(json!("jwt")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/en/user/resetPassword"))
        .respond_with(ok_envelope(Value::Null))
        .expect(1)
        .mount(&server)
        .await;
    let mut settings = settings(&server.uri());
    settings.api_url = Url::parse(&format!("{}/api/", server.uri())).unwrap();
    settings.portal_url = Url::parse(&format!("{}/", server.uri())).unwrap();
    let nexudus = NexudusClient::new(&settings).unwrap();

    nexudus
        .verify_member("m@x.y", &SecretString::from("pw"), None)
        .await
        .unwrap();
    nexudus.start_password_reset("m@x.y").await.unwrap();
}

// ------------------------------------------------------------ failure shapes

#[tokio::test]
async fn the_seeds_member_login_is_invalid_credentials_when_was_successful_is_false_even_with_http_200()
 {
    for http_status in [200, 500] {
        let server = MockServer::start().await;
        seed_generation(&server).await;
        mount_everywhere(
            &server,
            json_response(http_status, envelope(500, false, Value::Null)),
        )
        .await;

        let error = client(&server)
            .verify_member("m@x.y", &SecretString::from("wrong"), None)
            .await
            .unwrap_err();

        assert_eq!(
            error,
            NexudusError::InvalidCredentials,
            "HTTP {http_status}"
        );
        assert_eq!(error.kind(), "invalid_credentials");
    }
}

#[tokio::test]
async fn rest_calls_answered_401_or_403_report_rejected_rest_credentials() {
    for status in [401, 403] {
        let server = MockServer::start().await;
        mount_everywhere(&server, ResponseTemplate::new(status)).await;
        let nexudus = client(&server);

        assert_eq!(
            nexudus.login_token(1).await.unwrap_err(),
            NexudusError::RestCredentialsRejected
        );
        assert_eq!(
            nexudus.find_user_by_email("a@b.c").await.unwrap_err(),
            NexudusError::RestCredentialsRejected
        );
    }
}

#[tokio::test]
async fn a_success_envelope_with_was_successful_false_on_a_rest_call_is_unavailable() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        json_response(200, envelope(500, false, Value::Null)),
    )
    .await;

    let error = client(&server).login_token(1).await.unwrap_err();

    assert_eq!(
        error,
        NexudusError::Unavailable {
            reason: UnavailableReason::NotSuccessful
        }
    );
}

#[tokio::test]
async fn gateway_errors_with_an_html_body_are_unavailable() {
    for status in [500, 502] {
        let server = MockServer::start().await;
        mount_everywhere(
            &server,
            ResponseTemplate::new(status)
                .set_body_raw("<html><body>Bad Gateway</body></html>", "text/html"),
        )
        .await;
        let nexudus = client(&server);

        let errors = [
            nexudus
                .verify_member("m@x.y", &SecretString::from("pw"), None)
                .await
                .unwrap_err(),
            nexudus.login_token(1).await.unwrap_err(),
            nexudus.find_user_by_email("m@x.y").await.unwrap_err(),
            nexudus.start_password_reset("m@x.y").await.unwrap_err(),
        ];

        for error in errors {
            assert_eq!(
                error,
                NexudusError::Unavailable {
                    reason: UnavailableReason::HtmlBody(status)
                }
            );
        }
    }
}

#[tokio::test]
async fn an_empty_body_is_unavailable() {
    for status in [200, 502] {
        let server = MockServer::start().await;
        mount_everywhere(&server, ResponseTemplate::new(status)).await;

        let error = client(&server).login_token(1).await.unwrap_err();

        assert_eq!(
            error,
            NexudusError::Unavailable {
                reason: UnavailableReason::EmptyBody(status)
            }
        );
        assert_eq!(error.kind(), "unavailable");
    }
}

#[tokio::test]
async fn truncated_json_is_malformed() {
    let server = MockServer::start().await;
    let whole = envelope(200, true, json!("tok"));
    mount_everywhere(&server, json_response(200, &whole[..whole.len() - 8])).await;

    let error = client(&server).login_token(1).await.unwrap_err();

    assert!(
        matches!(error, NexudusError::Malformed { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(error.kind(), "malformed");
}

#[tokio::test]
async fn a_success_envelope_followed_by_garbage_is_malformed_and_yields_no_token() {
    let server = MockServer::start().await;
    let body = format!("{}}}#", envelope(200, true, json!("tok-SECRET")));
    mount_everywhere(&server, json_response(200, body.clone())).await;
    let nexudus = client(&server);

    let error = nexudus.login_token(1).await.unwrap_err();
    assert!(
        matches!(error, NexudusError::Malformed { status: 200, body_len, .. } if body_len == body.len()),
        "{error:?}"
    );
    // The body held a token: neither rendering of the error may show it.
    assert!(!format!("{error} {error:?}").contains("SECRET"));

    let error = nexudus
        .verify_member("m@x.y", &SecretString::from("pw"), None)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "malformed");
}

#[tokio::test]
async fn a_success_envelope_without_a_token_is_malformed() {
    let server = MockServer::start().await;
    mount_everywhere(&server, ok_envelope(json!({"Something": "else"}))).await;

    let error = client(&server).login_token(1).await.unwrap_err();

    assert_eq!(error.kind(), "malformed");
}

#[tokio::test]
async fn a_refused_connection_is_unavailable() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nexudus = NexudusClient::new(&settings(&format!("http://127.0.0.1:{port}"))).unwrap();

    let error = nexudus.start_password_reset("m@x.y").await.unwrap_err();

    assert_eq!(
        error,
        NexudusError::Unavailable {
            reason: UnavailableReason::Connect
        }
    );
}

// ---------------------------------------------------------------- throttling

async fn throttle_then_ok(status: u16, retry_after: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", retry_after))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok_envelope(Value::Null))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_409_or_429_with_a_short_retry_after_is_waited_out_and_retried_once() {
    for status in [409, 429] {
        let server = throttle_then_ok(status, "1").await;
        let started = Instant::now();

        client(&server).start_password_reset("m@x.y").await.unwrap();

        assert_eq!(received(&server).await.len(), 2, "HTTP {status}");
        assert!(
            started.elapsed() >= Duration::from_millis(900),
            "the wait was honoured"
        );
    }
}

#[tokio::test]
async fn a_409_or_429_with_a_long_retry_after_is_throttled_without_retrying() {
    for status in [409, 429] {
        let server = throttle_then_ok(status, "60").await;

        let error = client(&server)
            .start_password_reset("m@x.y")
            .await
            .unwrap_err();

        assert_eq!(
            error,
            NexudusError::Throttled {
                retry_after: Some(Duration::from_secs(60))
            }
        );
        assert_eq!(received(&server).await.len(), 1, "HTTP {status}");
    }
}

#[tokio::test]
async fn a_409_without_retry_after_is_throttled_at_once() {
    let server = MockServer::start().await;
    mount_everywhere(&server, ResponseTemplate::new(409)).await;

    let error = client(&server)
        .find_user_by_email("m@x.y")
        .await
        .unwrap_err();

    assert_eq!(error, NexudusError::Throttled { retry_after: None });
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_second_throttle_ends_the_operation_as_throttled() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        ResponseTemplate::new(409).insert_header("Retry-After", "0"),
    )
    .await;

    let error = client(&server).login_token(1).await.unwrap_err();

    assert_eq!(
        error,
        NexudusError::Throttled {
            retry_after: Some(Duration::ZERO)
        }
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_short_retry_after_that_does_not_fit_in_the_time_left_is_throttled_at_once() {
    let server = throttle_then_ok(409, "3").await;
    let mut settings = settings(&server.uri());
    settings.timeout = Duration::from_secs(1);

    let error = NexudusClient::new(&settings)
        .unwrap()
        .start_password_reset("m@x.y")
        .await
        .unwrap_err();

    assert_eq!(
        error,
        NexudusError::Throttled {
            retry_after: Some(Duration::from_secs(3))
        }
    );
    assert_eq!(received(&server).await.len(), 1);
}

// ------------------------------------------------------------------ timeouts

#[tokio::test]
async fn a_response_slower_than_the_timeout_ends_as_timeout() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        ok_envelope(json!("late")).set_delay(Duration::from_secs(60)),
    )
    .await;
    let mut settings = settings(&server.uri());
    settings.timeout = Duration::from_secs(1);
    let started = Instant::now();

    let error = NexudusClient::new(&settings)
        .unwrap()
        .login_token(1)
        .await
        .unwrap_err();

    assert_eq!(error, NexudusError::Timeout);
    // A generous bound: only proves the call did not hang on the 60 s response.
    assert!(started.elapsed() < Duration::from_secs(10));
}

// ------------------------------------------------------------------ limiter

/// A loopback HTTP server that holds each request 50 ms and records the
/// largest number of requests it was serving at once.
async fn counting_server() -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let (now, max) = (in_flight.clone(), max_in_flight.clone());
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let (now, max) = (now.clone(), max.clone());
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(current, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                let body = envelope(200, true, Value::Null);
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (uri, in_flight, max_in_flight)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_more_than_max_concurrency_calls_are_ever_in_flight() {
    let (uri, _in_flight, max_in_flight) = counting_server().await;
    let mut settings = settings(&uri);
    settings.timeout = Duration::from_secs(30);
    let nexudus = NexudusClient::new(&settings).unwrap();

    let calls = (0..50).map(|i| {
        let nexudus = nexudus.clone();
        async move { nexudus.start_password_reset(&format!("m{i}@x.y")).await }
    });
    let results = futures::future::join_all(calls).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let max = max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 4, "{max} calls were in flight at once");
    assert!(max > 1, "calls did not run in parallel at all");
}

#[tokio::test]
async fn calls_are_spread_to_stay_under_max_rps() {
    let server = MockServer::start().await;
    mount_everywhere(&server, ok_envelope(Value::Null)).await;
    let mut settings = settings(&server.uri());
    settings.max_rps = NonZeroU32::new(2).unwrap();
    settings.timeout = Duration::from_secs(30);
    let nexudus = NexudusClient::new(&settings).unwrap();
    let started = Instant::now();

    let calls = (0..5).map(|_| nexudus.start_password_reset("m@x.y"));
    let results = futures::future::join_all(calls).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // One every 500 ms, even from idle: the 5th leaves at 2 s at the earliest.
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
}

/// Answers success and notes when each request arrived.
struct Arrivals(Arc<Mutex<Vec<Instant>>>);

impl wiremock::Respond for Arrivals {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        self.0.lock().unwrap().push(Instant::now());
        ok_envelope(Value::Null)
    }
}

#[tokio::test]
async fn no_second_holds_more_than_max_rps_calls_even_from_idle() {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .respond_with(Arrivals(arrivals.clone()))
        .mount(&server)
        .await;
    let mut settings = settings(&server.uri());
    settings.max_rps = NonZeroU32::new(2).unwrap();
    settings.timeout = Duration::from_secs(30);
    let nexudus = NexudusClient::new(&settings).unwrap();

    let calls = (0..3).map(|_| nexudus.start_password_reset("m@x.y"));
    let results = futures::future::join_all(calls).await;

    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // Nexudus counts arrivals: with 2/s they leave 525 ms apart, so the 1st and
    // the 3rd arrive more than a second apart even if the 1st is up to 50 ms late.
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 3);
    let gap = arrivals[2].duration_since(arrivals[0]);
    assert!(gap >= Duration::from_secs(1), "3 calls within {gap:?}");
}

// ------------------------------------------------------------- login URL

#[tokio::test]
async fn login_url_points_at_the_portal_login_with_token_and_redirect_percent_encoded() {
    let mut settings = settings("http://127.0.0.1:9");
    settings.portal_url = Url::parse("https://space.example.com/").unwrap();
    let nexudus = NexudusClient::new(&settings).unwrap();
    let token = LoginToken::new(SecretString::from("a+b/c=d&e f"));
    let page = settings.portal_pages.by_label("Bookings").unwrap();

    let login = nexudus.login_url(&token, page);

    let url = Url::parse(login.expose()).unwrap();
    assert_eq!(url.scheme(), "https");
    assert_eq!(url.host_str(), Some("space.example.com"));
    assert_eq!(url.path(), "/en/user/login");
    assert_eq!(
        url.query(),
        Some("t=a%2Bb%2Fc%3Dd%26e+f&redirectUrl=%2Fen%2Fbookings")
    );
    assert_eq!(query(&url, "t").as_deref(), Some("a+b/c=d&e f"));
    assert_eq!(query(&url, "redirectUrl").as_deref(), Some("/en/bookings"));
}

// ------------------------------------------------------------------ secrets

#[tokio::test]
async fn secrets_never_show_in_debug_or_display() {
    let server = MockServer::start().await;
    seed_generation(&server).await;
    mount_everywhere(&server, ok_envelope(json!("jwt-SECRET"))).await;
    let nexudus = client(&server);
    let password = SecretString::from("password-SECRET");

    let jwt = nexudus
        .verify_member("m@x.y", &password, None)
        .await
        .unwrap();
    let token = nexudus.login_token(1).await.unwrap();
    let page = PortalPages::parse("Home=/", "en").unwrap();
    let login = nexudus.login_url(&token, page.default_page());

    assert_eq!(format!("{token:?}"), "LoginToken([redacted])");
    for shown in [
        format!("{jwt:?}"),
        format!("{password:?}"),
        format!("{token:?}"),
        format!("{login:?}"),
        format!("{login}"),
        format!("{nexudus:?}"),
    ] {
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(!shown.contains(API_PASSWORD), "{shown}");
    }
    assert!(login.expose().contains("jwt-SECRET"));
}

// --------------------------------------------------------- observer, labels

#[derive(Default)]
struct Recorder(Mutex<Vec<(Endpoint, String)>>);

impl CallObserver for Recorder {
    fn observe(&self, endpoint: Endpoint, status: &str, _elapsed: Duration) {
        self.0.lock().unwrap().push((endpoint, status.to_owned()));
    }
}

#[tokio::test]
async fn the_observer_sees_every_operation_once_with_its_outcome() {
    let server = MockServer::start().await;
    seed_generation(&server).await;
    Mock::given(method("POST"))
        .respond_with(ok_envelope(json!("jwt")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/en/user/resetPassword"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users/1/token/refresh"))
        .respond_with(ResponseTemplate::new(405))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let nexudus = client(&server).with_observer(recorder.clone());

    nexudus
        .verify_member("m@x.y", &SecretString::from("pw"), None)
        .await
        .unwrap();
    nexudus.start_password_reset("m@x.y").await.unwrap_err();
    // Two HTTP exchanges (GET 405, then POST), one operation.
    nexudus.login_token(1).await.unwrap();

    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            (Endpoint::UserToken, "ok".to_owned()),
            (Endpoint::PasswordReset, "unavailable".to_owned()),
            (Endpoint::LoginToken, "ok".to_owned()),
        ]
    );
}

#[test]
fn error_kinds_and_endpoint_labels_are_stable() {
    let kinds: Vec<_> = [
        NexudusError::InvalidCredentials,
        NexudusError::TwoFactorRequired,
        NexudusError::MustResetPassword,
        NexudusError::RestCredentialsRejected,
        NexudusError::NotFound,
        NexudusError::Throttled { retry_after: None },
        NexudusError::HourlyBudgetSpent {
            retry_at: std::time::UNIX_EPOCH,
        },
        NexudusError::Timeout,
        NexudusError::Unavailable {
            reason: UnavailableReason::Connect,
        },
        NexudusError::Malformed {
            reason: nexudus_bot::nexudus::MalformedReason::TruncatedJson,
            status: 200,
            body_len: 3,
        },
    ]
    .iter()
    .map(NexudusError::kind)
    .collect();
    assert_eq!(
        kinds,
        [
            "invalid_credentials",
            "two_factor_required",
            "must_reset_password",
            "rest_credentials_rejected",
            "not_found",
            "throttled",
            "hourly_budget_spent",
            "timeout",
            "unavailable",
            "malformed"
        ]
    );
    let labels: Vec<_> = Endpoint::ALL.iter().map(|e| e.as_str()).collect();
    assert_eq!(
        labels,
        [
            "user_token",
            "login_token",
            "find_user",
            "password_reset",
            "coworker",
            "member_contracts",
            "active_contracts"
        ]
    );
}

// ======================================================= today's and the seed's
//
// The doubles below answer one generation each, with the portal and the REST
// API on two servers; every other route is a 404.

use nexudus_bot::nexudus::{Generation, Generations, Space};
use support::nexudus_today::{
    BUSINESS, FakeMember, FakeNexudus, FakeSpace, MEMBER_TOKEN, Missing, SEED_USER_TOKEN,
    START_PASSWORD_RESET, USERS, form_fields,
};

const ADA: &str = "ada@example.com";
const ADA_PASSWORD: &str = "correct horse+battery";
const ADA_ID: u64 = 4242;
const BO: &str = "bo@example.com";
const BO_PASSWORD: &str = "bo-pass";
const CY: &str = "cy@example.com";
const CY_PASSWORD: &str = "cy-pass";
const TOTP: &str = "123456";

fn members() -> Vec<FakeMember> {
    vec![
        FakeMember::new(ADA_ID, ADA, ADA_PASSWORD),
        FakeMember::new(7, BO, BO_PASSWORD).with_totp(TOTP),
        FakeMember::new(8, CY, CY_PASSWORD).must_reset_password(),
    ]
}

fn fake_space() -> FakeSpace {
    FakeSpace::new(9001, "Fake Space", "https://members.example.com/fr")
}

async fn today() -> FakeNexudus {
    FakeNexudus::today(&fake_space(), &members()).await
}

async fn seed() -> FakeNexudus {
    FakeNexudus::seed(&members(), Missing::Html404).await
}

fn settings_for(fake: &FakeNexudus) -> NexudusSettings {
    let mut settings = settings(&fake.portal.uri());
    settings.api_url = fake.api_url();
    settings.portal_url = fake.portal_url();
    settings
}

fn client_for(fake: &FakeNexudus) -> NexudusClient {
    NexudusClient::new(&settings_for(fake)).unwrap()
}

fn secret(value: &str) -> SecretString {
    SecretString::from(value)
}

async fn verify(
    nexudus: &NexudusClient,
    email: &str,
    password: &str,
) -> Result<String, NexudusError> {
    nexudus
        .verify_member(email, &secret(password), None)
        .await
        .map(|token| token.expose_secret().to_owned())
}

/// Mounts `response` for `method path` on the portal, ahead of the double's own routes.
async fn portal_answers(
    fake: &FakeNexudus,
    http_method: &str,
    route: &str,
    response: ResponseTemplate,
) {
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(response)
        .with_priority(1)
        .mount(&fake.portal)
        .await;
}

// ------------------------------------------------------------------ discovery

#[tokio::test]
async fn discovery_names_the_space_and_login_links_start_at_its_custom_domain_in_its_language() {
    let fake = today().await;
    let nexudus = client_for(&fake);

    let space = nexudus.discover().await.unwrap();

    assert_eq!(
        space,
        Space {
            business_id: 9001,
            name: "Fake Space".to_owned(),
            home_url: Some(Url::parse("https://members.example.com/fr").unwrap()),
        }
    );
    assert_eq!(nexudus.space(), Some(space));
    assert_eq!(nexudus.language(), "fr");
    assert_eq!(
        nexudus.login_base().as_str(),
        "https://members.example.com/fr"
    );
    let page = PortalPages::parse("Bookings=/{lang}/bookings", "fr").unwrap();
    let token = LoginToken::new(secret("tok+1"));
    let link = Url::parse(nexudus.login_url(&token, page.default_page()).expose()).unwrap();
    assert_eq!(
        link.origin().ascii_serialization(),
        "https://members.example.com"
    );
    assert_eq!(link.path(), "/fr/user/login");
    assert_eq!(query(&link, "t").as_deref(), Some("tok+1"));
    assert_eq!(query(&link, "redirectUrl").as_deref(), Some("/fr/bookings"));
    let asked = fake.requests_to("GET", BUSINESS).await;
    assert_eq!(asked.len(), 1);
    assert_common_headers(&asked[0], false);
}

#[tokio::test]
async fn before_discovery_login_links_start_at_the_portal_in_the_configured_language() {
    let fake = today().await;
    let nexudus = client_for(&fake);

    assert_eq!(nexudus.space(), None);
    assert_eq!(nexudus.language(), "en");
    assert_eq!(
        nexudus.login_base().as_str(),
        format!("{}/en", fake.portal.uri())
    );
    assert!(
        fake.requests().await.is_empty(),
        "nothing is asked before discover"
    );
}

#[tokio::test]
async fn a_seed_nexudus_announces_no_space_and_links_stay_on_the_portal() {
    for missing in [Missing::Html404, Missing::Json404, Missing::Json405] {
        let fake = FakeNexudus::seed(&members(), missing).await;
        let nexudus = client_for(&fake);

        let error = nexudus.discover().await.unwrap_err();

        assert_eq!(error, NexudusError::NotFound, "{missing:?}");
        assert_eq!(nexudus.space(), None);
        assert_eq!(
            nexudus.login_base().as_str(),
            format!("{}/en", fake.portal.uri())
        );
        assert_eq!(nexudus.language(), "en");
    }
}

#[tokio::test]
async fn a_discovered_home_that_is_not_a_plain_url_leaves_links_on_the_portal() {
    for home in [
        "javascript:alert(1)",
        "https://members.example.com/fr?next=//evil.example",
        "https://user:pw@members.example.com/fr",
        "members.example.com/fr",
        "",
    ] {
        let space = FakeSpace::new(9001, "Fake Space", home);
        let fake = FakeNexudus::today(&space, &members()).await;
        let nexudus = client_for(&fake);

        let found = nexudus.discover().await.unwrap();

        assert_eq!(found.home_url, None, "{home}");
        assert_eq!(
            nexudus.login_base().as_str(),
            format!("{}/en", fake.portal.uri()),
            "{home}"
        );
        assert_eq!(nexudus.language(), "en");
        // The businessId is still good for resets.
        nexudus.start_password_reset(ADA).await.unwrap();
        let reset = &fake.requests_to("POST", START_PASSWORD_RESET).await[0];
        assert_eq!(reset.body_json::<Value>().unwrap()["businessId"], 9001);
    }
}

#[tokio::test]
async fn a_failed_discovery_keeps_the_space_an_earlier_one_learnt() {
    let fake = today().await;
    portal_answers(
        &fake,
        "GET",
        BUSINESS,
        ResponseTemplate::new(200).set_body_json(json!({
            "Id": 1, "Name": "First", "NativeHomeUrlWithLanguage": "https://first.example/de"
        })),
    )
    .await;
    let nexudus = client_for(&fake);
    nexudus.discover().await.unwrap();
    fake.portal.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503).set_body_raw("<html>down</html>", "text/html"))
        .mount(&fake.portal)
        .await;

    let error = nexudus.discover().await.unwrap_err();

    assert_eq!(
        error,
        NexudusError::Unavailable {
            reason: UnavailableReason::HtmlBody(503)
        }
    );
    assert_eq!(nexudus.space().map(|s| s.business_id), Some(1));
    assert_eq!(nexudus.login_base().as_str(), "https://first.example/de");
    assert_eq!(nexudus.language(), "de");
}

// ---------------------------------------------------------- today's member login

#[tokio::test]
async fn verify_member_posts_a_password_grant_form_to_the_portal_without_basic_auth() {
    let fake = today().await;
    let nexudus = client_for(&fake);

    let token = verify(&nexudus, " ada@example.com ", ADA_PASSWORD)
        .await
        .unwrap();

    assert_eq!(token, format!("member-access-{ADA_ID}"));
    let sent = fake.requests_to("POST", MEMBER_TOKEN).await;
    assert_eq!(sent.len(), 1);
    assert_common_headers(&sent[0], false);
    assert_eq!(
        header(&sent[0], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        form_fields(&sent[0]),
        [
            ("grant_type".to_owned(), "password".to_owned()),
            ("username".to_owned(), ADA.to_owned()),
            ("password".to_owned(), ADA_PASSWORD.to_owned()),
        ]
    );
    assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 0);
    assert_eq!(nexudus.generations().member_login, Some(Generation::Today));
}

#[tokio::test]
async fn a_two_factor_account_is_told_apart_until_the_code_comes_with_the_password() {
    let fake = today().await;
    let nexudus = client_for(&fake);

    let without = nexudus.verify_member(BO, &secret(BO_PASSWORD), None).await;
    let blank = nexudus
        .verify_member(BO, &secret(BO_PASSWORD), Some(&secret("  ")))
        .await;
    let wrong = nexudus
        .verify_member(BO, &secret(BO_PASSWORD), Some(&secret("000000")))
        .await;
    let right = nexudus
        .verify_member(BO, &secret(BO_PASSWORD), Some(&secret(" 123 456 ")))
        .await;

    assert_eq!(without.unwrap_err(), NexudusError::TwoFactorRequired);
    assert_eq!(blank.unwrap_err(), NexudusError::TwoFactorRequired);
    assert_eq!(wrong.unwrap_err(), NexudusError::TwoFactorRequired);
    assert_eq!(right.unwrap().expose_secret(), "member-access-7");
    let sent = fake.requests_to("POST", MEMBER_TOKEN).await;
    let totps: Vec<Option<String>> = sent
        .iter()
        .map(|r| {
            form_fields(r)
                .into_iter()
                .find(|(k, _)| k == "totp")
                .map(|(_, v)| v)
        })
        .collect();
    assert_eq!(
        totps,
        [None, None, Some("000000".to_owned()), Some(TOTP.to_owned())]
    );
}

#[tokio::test]
async fn a_wrong_password_and_a_password_to_renew_are_the_members_answers() {
    let fake = today().await;
    let nexudus = client_for(&fake);

    assert_eq!(
        verify(&nexudus, ADA, "guess").await.unwrap_err(),
        NexudusError::InvalidCredentials
    );
    assert_eq!(
        verify(&nexudus, "nobody@example.com", ADA_PASSWORD)
            .await
            .unwrap_err(),
        NexudusError::InvalidCredentials
    );
    assert_eq!(
        verify(&nexudus, CY, CY_PASSWORD).await.unwrap_err(),
        NexudusError::MustResetPassword
    );
    assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 0);
    // A wrong password is a conclusive answer: today's endpoint is there.
    assert_eq!(nexudus.generations().member_login, Some(Generation::Today));
}

#[tokio::test]
async fn nexudus_failing_on_todays_login_is_never_a_wrong_password_nor_a_fallback() {
    for (response, kind) in [
        (
            json_response(500, r#"{"error":"invalid_grant"}"#),
            "unavailable",
        ),
        (
            ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
            "unavailable",
        ),
        (
            json_response(400, r#"{"error":"unsupported_grant_type"}"#),
            "unavailable",
        ),
        (
            json_response(400, r#"{"error":"invalid_grant""#),
            "unavailable",
        ),
        (
            json_response(200, r#"{"token_type":"bearer"}"#),
            "malformed",
        ),
        (json_response(200, r#"{"access_token":"t"}}"#), "malformed"),
        (ResponseTemplate::new(200), "unavailable"),
    ] {
        let fake = today().await;
        portal_answers(&fake, "POST", MEMBER_TOKEN, response).await;
        let nexudus = client_for(&fake);

        let error = verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap_err();

        assert_eq!(error.kind(), kind, "{error:?}");
        assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 0, "{error:?}");
        assert_eq!(nexudus.generations().member_login, None, "{error:?}");
    }
}

#[tokio::test]
async fn a_slow_todays_login_times_out_without_trying_the_seed() {
    let fake = seed().await;
    portal_answers(
        &fake,
        "POST",
        MEMBER_TOKEN,
        Missing::Html404
            .response()
            .set_delay(Duration::from_secs(60)),
    )
    .await;
    let mut settings = settings_for(&fake);
    settings.timeout = Duration::from_secs(1);
    let nexudus = NexudusClient::new(&settings).unwrap();

    let error = verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap_err();

    assert_eq!(error, NexudusError::Timeout);
    assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 0);
    assert_eq!(nexudus.generations().member_login, None);
}

// ----------------------------------------------------- the seed's member login

#[tokio::test]
async fn verify_member_falls_back_to_the_seed_on_a_404_or_405_and_remembers_it() {
    for missing in [Missing::Html404, Missing::Json404, Missing::Json405] {
        let fake = FakeNexudus::seed(&members(), missing).await;
        let nexudus = client_for(&fake);

        let first = verify(&nexudus, ADA, ADA_PASSWORD).await;
        let wrong = verify(&nexudus.clone(), ADA, "guess").await;

        assert_eq!(
            first.unwrap(),
            format!("member-jwt-{ADA_ID}"),
            "{missing:?}"
        );
        assert_eq!(wrong.unwrap_err(), NexudusError::InvalidCredentials);
        assert_eq!(
            fake.count("POST", MEMBER_TOKEN).await,
            1,
            "{missing:?}: today's once"
        );
        assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 2, "{missing:?}");
        assert_eq!(nexudus.generations().member_login, Some(Generation::Seed));
    }
}

#[tokio::test]
async fn the_seeds_login_gets_json_without_the_two_factor_code() {
    let fake = seed().await;
    let nexudus = client_for(&fake);

    let token = nexudus
        .verify_member(
            " ada@example.com ",
            &secret(ADA_PASSWORD),
            Some(&secret(TOTP)),
        )
        .await
        .unwrap();

    assert_eq!(token.expose_secret(), format!("member-jwt-{ADA_ID}"));
    let sent = fake.requests_to("POST", SEED_USER_TOKEN).await;
    assert_common_headers(&sent[0], false);
    assert_eq!(
        sent[0].body_json::<Value>().unwrap(),
        json!({"email": ADA, "password": ADA_PASSWORD, "validityInMinutes": 1})
    );
    // Today's was asked with the code, and only once.
    let today_fields = form_fields(&fake.requests_to("POST", MEMBER_TOKEN).await[0]);
    assert!(today_fields.contains(&("totp".to_owned(), TOTP.to_owned())));
}

#[tokio::test]
async fn once_todays_login_worked_a_404_there_is_an_outage_not_a_switch() {
    let fake = today().await;
    let nexudus = client_for(&fake);
    verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap();
    portal_answers(&fake, "POST", MEMBER_TOKEN, Missing::Html404.response()).await;

    let error = verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap_err();

    assert_eq!(
        error,
        NexudusError::Unavailable {
            reason: UnavailableReason::HtmlBody(404)
        }
    );
    assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 0);
}

#[tokio::test]
async fn a_seed_that_fails_after_the_switch_is_an_outage_and_nothing_is_remembered() {
    let fake = seed().await;
    Mock::given(method("POST"))
        .and(path(SEED_USER_TOKEN))
        .respond_with(ResponseTemplate::new(503).set_body_raw("<html>503</html>", "text/html"))
        .with_priority(1)
        .mount(&fake.api)
        .await;
    let nexudus = client_for(&fake);

    let error = verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap_err();
    verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap_err();

    assert_eq!(error.kind(), "unavailable");
    assert_eq!(nexudus.generations().member_login, None);
    // Nothing conclusive answered, so today's is asked again.
    assert_eq!(fake.count("POST", MEMBER_TOKEN).await, 2);
}

#[tokio::test]
async fn probing_the_member_login_names_the_generation_without_naming_an_account() {
    let fake = today().await;
    let nexudus = client_for(&fake);
    assert_eq!(nexudus.probe_member_login().await, Ok(Generation::Today));
    let sent = fake.requests_to("POST", MEMBER_TOKEN).await;
    assert_eq!(
        form_fields(&sent[0]),
        [("grant_type".to_owned(), "password".to_owned())]
    );

    let fake = seed().await;
    let nexudus = client_for(&fake);
    assert_eq!(nexudus.probe_member_login().await, Ok(Generation::Seed));
    let sent = fake.requests_to("POST", SEED_USER_TOKEN).await;
    assert_eq!(
        sent[0].body_json::<Value>().unwrap(),
        json!({"email": "", "password": "", "validityInMinutes": 1})
    );
    // A probe is not a member's answer: nothing is learnt from it.
    assert_eq!(
        nexudus.generations(),
        Generations {
            member_login: None,
            password_reset: None
        }
    );
}

// ------------------------------------------------------------- password reset

#[tokio::test]
async fn start_password_reset_posts_the_email_and_the_discovered_business_id_to_the_portal() {
    let fake = today().await;
    let nexudus = client_for(&fake);
    nexudus.discover().await.unwrap();

    nexudus
        .start_password_reset(" a+b@example.com ")
        .await
        .unwrap();

    let sent = fake.requests_to("POST", START_PASSWORD_RESET).await;
    assert_eq!(sent.len(), 1);
    assert_common_headers(&sent[0], false);
    assert_eq!(
        sent[0].body_json::<Value>().unwrap(),
        json!({"email": "a+b@example.com", "businessId": 9001})
    );
    assert!(fake.seed_resets().await.is_empty());
    assert_eq!(
        nexudus.generations().password_reset,
        Some(Generation::Today)
    );
}

#[tokio::test]
async fn start_password_reset_before_any_discovery_names_no_business() {
    let fake = today().await;
    let nexudus = client_for(&fake);

    nexudus.start_password_reset(ADA).await.unwrap();

    let sent = fake.requests_to("POST", START_PASSWORD_RESET).await;
    assert_eq!(sent[0].body_json::<Value>().unwrap(), json!({"email": ADA}));
}

#[tokio::test]
async fn start_password_reset_falls_back_to_the_seed_on_a_404_or_405_and_remembers_it() {
    for missing in [Missing::Html404, Missing::Json404, Missing::Json405] {
        let fake = FakeNexudus::seed(&members(), missing).await;
        let nexudus = client_for(&fake);

        nexudus.start_password_reset(ADA).await.unwrap();
        nexudus.start_password_reset(BO).await.unwrap();

        assert_eq!(
            fake.count("POST", START_PASSWORD_RESET).await,
            1,
            "{missing:?}"
        );
        let resets = fake.seed_resets().await;
        assert_eq!(resets.len(), 2, "{missing:?}");
        assert_eq!(resets[0].method.as_str(), "GET");
        assert_eq!(resets[0].url.path(), "/en/user/resetPassword");
        assert_eq!(query(&resets[1].url, "email").as_deref(), Some(BO));
        assert_eq!(nexudus.generations().password_reset, Some(Generation::Seed));
    }
}

#[tokio::test]
async fn a_reset_answers_the_same_for_known_and_unknown_emails_on_both_generations() {
    for fake in [today().await, seed().await] {
        let nexudus = client_for(&fake);

        let known = nexudus.start_password_reset(ADA).await;
        let unknown = nexudus.start_password_reset("nobody@example.com").await;

        assert_eq!(known, Ok(()));
        assert_eq!(unknown, Ok(()));
    }
}

#[tokio::test]
async fn start_password_reset_does_not_fall_back_on_a_5xx_or_a_timeout() {
    let fake = seed().await;
    portal_answers(
        &fake,
        "POST",
        START_PASSWORD_RESET,
        ResponseTemplate::new(500).set_body_raw("<html>500</html>", "text/html"),
    )
    .await;
    let nexudus = client_for(&fake);
    assert_eq!(
        nexudus.start_password_reset(ADA).await.unwrap_err(),
        NexudusError::Unavailable {
            reason: UnavailableReason::HtmlBody(500)
        }
    );

    let fake = seed().await;
    portal_answers(
        &fake,
        "POST",
        START_PASSWORD_RESET,
        Missing::Html404
            .response()
            .set_delay(Duration::from_secs(60)),
    )
    .await;
    let mut settings = settings_for(&fake);
    settings.timeout = Duration::from_secs(1);
    let slow = NexudusClient::new(&settings).unwrap();
    assert_eq!(
        slow.start_password_reset(ADA).await.unwrap_err(),
        NexudusError::Timeout
    );

    assert!(fake.seed_resets().await.is_empty());
    assert_eq!(nexudus.generations().password_reset, None);
}

#[tokio::test]
async fn once_todays_reset_worked_a_404_there_is_an_outage_not_a_sent_email() {
    let fake = today().await;
    let nexudus = client_for(&fake);
    nexudus.start_password_reset(ADA).await.unwrap();
    portal_answers(
        &fake,
        "POST",
        START_PASSWORD_RESET,
        Missing::Json404.response(),
    )
    .await;

    let error = nexudus.start_password_reset(ADA).await.unwrap_err();

    assert_eq!(error.kind(), "unavailable");
    assert!(fake.seed_resets().await.is_empty());
}

#[tokio::test]
async fn a_failed_todays_reset_envelope_is_an_outage() {
    let fake = today().await;
    portal_answers(
        &fake,
        "POST",
        START_PASSWORD_RESET,
        json_response(200, envelope(500, false, Value::Null)),
    )
    .await;

    let error = client_for(&fake)
        .start_password_reset(ADA)
        .await
        .unwrap_err();

    assert_eq!(
        error,
        NexudusError::Unavailable {
            reason: UnavailableReason::NotSuccessful
        }
    );
}

#[tokio::test]
async fn the_seeds_reset_uses_the_discovered_language() {
    // A space that announces itself but still resets the seed's way.
    let fake = FakeNexudus::seed(&members(), Missing::Json405).await;
    portal_answers(&fake, "GET", BUSINESS, ResponseTemplate::new(200).set_body_json(json!({
        "Id": 5, "Name": "Mixed", "NativeHomeUrlWithLanguage": format!("{}/de", fake.portal.uri())
    })))
    .await;
    let nexudus = client_for(&fake);
    nexudus.discover().await.unwrap();

    nexudus.start_password_reset(ADA).await.unwrap();

    assert_eq!(
        fake.seed_resets().await[0].url.path(),
        "/de/user/resetPassword"
    );
}

// ---------------------------------------------------------------- user lookup

#[tokio::test]
async fn find_user_finds_the_exact_match_on_page_3_behind_60_near_misses() {
    let fake = today().await;
    fake.cap_pages_at(25);
    fake.add_users((0..60).map(|i| (10_000 + i, format!("x{i}.ada@example.com"))));
    let nexudus = client_for(&fake);

    let user = nexudus.find_user_by_email("ADA@example.com").await.unwrap();

    assert_eq!(
        user,
        NexudusUser {
            id: ADA_ID,
            email: ADA.to_owned()
        }
    );
    let asked = fake.requests_to("GET", USERS).await;
    let pages: Vec<_> = asked
        .iter()
        .map(|r| (query(&r.url, "page"), query(&r.url, "size")))
        .collect();
    let page = |n: &str| (Some(n.to_owned()), Some("100".to_owned()));
    assert_eq!(pages, [page("1"), page("2"), page("3")]);
    assert_common_headers(&asked[0], true);
}

#[tokio::test]
async fn find_user_reads_to_the_last_page_and_a_miss_there_is_not_found() {
    let fake = today().await;
    fake.cap_pages_at(25);
    fake.add_users((0..30).map(|i| (10_000 + i, format!("x{i}.zed@example.com"))));
    let nexudus = client_for(&fake);

    let error = nexudus
        .find_user_by_email("zed@example.com")
        .await
        .unwrap_err();

    assert_eq!(error, NexudusError::NotFound);
    assert_eq!(fake.count("GET", USERS).await, 2);
}

#[tokio::test]
async fn find_user_gives_up_after_20_pages_of_near_misses() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        json_response(
            200,
            json!({"Records": [{"Id": 1, "Email": "x.ada@example.com"}], "HasNextPage": true})
                .to_string(),
        ),
    )
    .await;

    let error = client(&server).find_user_by_email(ADA).await.unwrap_err();

    assert_eq!(error, NexudusError::NotFound);
    assert_eq!(received(&server).await.len(), 20);
}

#[tokio::test]
async fn an_empty_page_ends_the_lookup_even_if_nexudus_says_more_follow() {
    let server = MockServer::start().await;
    mount_everywhere(
        &server,
        json_response(200, json!({"Records": [], "HasNextPage": true}).to_string()),
    )
    .await;

    let error = client(&server).find_user_by_email(ADA).await.unwrap_err();

    assert_eq!(error, NexudusError::NotFound);
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------- throttling, budget

#[tokio::test]
async fn a_429_saying_wait_n_seconds_in_its_body_is_treated_like_retry_after() {
    let short = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429).set_body_string("Too many requests. Wait 1 seconds."),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&short)
        .await;
    mount_everywhere(&short, ok_envelope(Value::Null)).await;

    client(&short).start_password_reset("m@x.y").await.unwrap();
    assert_eq!(
        received(&short).await.len(),
        2,
        "waited out and retried once"
    );

    let long = MockServer::start().await;
    mount_everywhere(
        &long,
        ResponseTemplate::new(429).set_body_string(r#"{"Message":"Wait 60 seconds"}"#),
    )
    .await;
    let error = client(&long)
        .start_password_reset("m@x.y")
        .await
        .unwrap_err();
    assert_eq!(
        error,
        NexudusError::Throttled {
            retry_after: Some(Duration::from_secs(60))
        }
    );
    assert_eq!(received(&long).await.len(), 1);
}

#[tokio::test]
async fn a_throttled_todays_login_is_throttled_never_a_fallback_or_a_wrong_password() {
    for status in [409, 429] {
        let fake = seed().await;
        portal_answers(
            &fake,
            "POST",
            MEMBER_TOKEN,
            ResponseTemplate::new(status).insert_header("Retry-After", "60"),
        )
        .await;

        let error = verify(&client_for(&fake), ADA, ADA_PASSWORD)
            .await
            .unwrap_err();

        assert_eq!(
            error,
            NexudusError::Throttled {
                retry_after: Some(Duration::from_secs(60))
            }
        );
        assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 0);
    }
}

#[tokio::test]
async fn when_the_hourly_budget_is_spent_calls_fail_at_once_saying_when_it_refills() {
    let fake = today().await;
    let mut settings = settings_for(&fake);
    settings.max_per_hour = NonZeroU32::new(3).unwrap();
    let nexudus = NexudusClient::new(&settings).unwrap();
    for _ in 0..3 {
        nexudus.start_password_reset(ADA).await.unwrap();
    }
    let before = std::time::SystemTime::now();

    let error = nexudus.start_password_reset(ADA).await.unwrap_err();

    let NexudusError::HourlyBudgetSpent { retry_at } = error else {
        panic!("{error:?}");
    };
    let wait = retry_at.duration_since(before).unwrap();
    assert!(wait > Duration::from_secs(59 * 60), "{wait:?}");
    assert!(wait <= Duration::from_secs(61 * 60), "{wait:?}");
    assert_eq!(error.kind(), "hourly_budget_spent");
    assert_eq!(
        fake.count("POST", START_PASSWORD_RESET).await,
        3,
        "nothing sent"
    );
    let budget = nexudus.hourly_budget();
    assert_eq!((budget.limit, budget.left), (3, 0));
    assert!(budget.next_refill.is_some());
    // Every call shares the one budget, REST calls and discovery too.
    assert_eq!(
        nexudus.discover().await.unwrap_err().kind(),
        "hourly_budget_spent"
    );
    assert_eq!(
        nexudus.login_token(1).await.unwrap_err().kind(),
        "hourly_budget_spent"
    );
}

#[tokio::test]
async fn every_http_exchange_counts_against_the_hourly_budget_fallbacks_included() {
    let fake = seed().await;
    let mut settings = settings_for(&fake);
    settings.max_per_hour = NonZeroU32::new(10).unwrap();
    let nexudus = NexudusClient::new(&settings).unwrap();

    verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap();
    assert_eq!(
        nexudus.hourly_budget().left,
        8,
        "today's 404, then the seed's"
    );
    verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap();
    assert_eq!(nexudus.hourly_budget().left, 7, "the seed's alone");
}

// ------------------------------------------------------ observer and secrets

#[tokio::test]
async fn a_fallback_is_one_operation_for_the_observer() {
    let fake = seed().await;
    let recorder = Arc::new(Recorder::default());
    let nexudus = client_for(&fake).with_observer(recorder.clone());

    verify(&nexudus, ADA, ADA_PASSWORD).await.unwrap();
    verify(&nexudus, BO, "guess").await.unwrap_err();
    nexudus.start_password_reset(ADA).await.unwrap();
    nexudus.discover().await.unwrap_err();

    let seen = recorder.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            (Endpoint::UserToken, "ok".to_owned()),
            (Endpoint::UserToken, "invalid_credentials".to_owned()),
            (Endpoint::PasswordReset, "ok".to_owned()),
        ]
    );
}

#[tokio::test]
async fn two_factor_codes_and_member_tokens_never_show_in_errors_or_debug() {
    let fake = today().await;
    let nexudus = client_for(&fake);
    let code = secret("987654");

    let error = nexudus
        .verify_member(BO, &secret(BO_PASSWORD), Some(&code))
        .await
        .unwrap_err();
    let token = nexudus
        .verify_member(ADA, &secret(ADA_PASSWORD), None)
        .await
        .unwrap();

    for shown in [
        format!("{error} {error:?}"),
        format!("{code:?}"),
        format!("{token:?}"),
        format!("{nexudus:?}"),
    ] {
        assert!(!shown.contains("987654"), "{shown}");
        assert!(!shown.contains("member-access"), "{shown}");
        assert!(!shown.contains(BO_PASSWORD), "{shown}");
    }
}
