//! A loopback fake Nexudus that answers after a fixed delay and records what a
//! wiremock server cannot: how many requests were in flight at once, and when
//! each request arrived.
//!
//! It answers the calls the burst makes the bot send:
//! `GET /api/sys/users/{id}/token/refresh` (a one-time token in an envelope)
//! and `GET /{lang}/user/resetPassword?email=…` (an empty success envelope);
//! and the one of a roles reconcile, `GET /api/billing/coworkercontracts?page=…&size=…`
//! (pages of the active contracts set by [`FakeNexudus::set_active_contracts`]).
//! Anything else is a 404, counted in [`Snapshot::unexpected`].

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use serde_json::{Value, json};

/// What the fake saw since the last [`FakeNexudus::reset`].
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Arrival time of every request, in arrival order.
    pub arrivals: Vec<Instant>,
    /// The most requests being handled at the same moment.
    pub peak_in_flight: usize,
    /// Requests to paths the fake does not model.
    pub unexpected: usize,
}

#[derive(Default)]
struct Counters {
    delay: Mutex<Duration>,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
    unexpected: AtomicUsize,
    arrivals: Mutex<Vec<Instant>>,
    /// Every active contract of the space, as `(coworker id, plan name)`.
    contracts: Mutex<Vec<(u64, String)>>,
    /// Pages of contracts served since start (not cleared by a reset).
    contract_pages: AtomicUsize,
}

/// Holds one in-flight slot while a request is being answered.
struct InFlight<'a>(&'a Counters);

impl<'a> InFlight<'a> {
    fn enter(counters: &'a Counters) -> Self {
        counters
            .arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Instant::now());
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(counters)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The running fake; stops serving when dropped.
pub struct FakeNexudus {
    counters: Arc<Counters>,
    base: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeNexudus {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeNexudus {
    /// Starts on `127.0.0.1:0`, answering every request after `delay`.
    pub async fn start(delay: Duration) -> FakeNexudus {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Nexudus");
        let base = format!(
            "http://{}",
            listener.local_addr().expect("fake Nexudus address")
        );
        let listener = listener.tap_io(|tcp| drop(tcp.set_nodelay(true)));
        let counters = Arc::new(Counters::default());
        *counters
            .delay
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = delay;
        let app = Router::new()
            .route("/api/sys/users/{id}/token/refresh", get(token_refresh))
            .route("/{lang}/user/resetPassword", get(reset_password))
            .route("/api/billing/coworkercontracts", get(contract_page))
            .fallback(unexpected)
            .with_state(Arc::clone(&counters));
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake Nexudus server");
        });
        FakeNexudus {
            counters,
            base,
            server,
        }
    }

    /// `http://127.0.0.1:PORT`: the portal origin; the REST API is under `/api`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// From now on, answer after `delay`.
    pub fn set_delay(&self, delay: Duration) {
        *self
            .counters
            .delay
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = delay;
    }

    /// The space's active contracts from now on, as `(coworker id, plan name)`.
    pub fn set_active_contracts(&self, contracts: Vec<(u64, String)>) {
        *self
            .counters
            .contracts
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = contracts;
    }

    /// Pages of active contracts served since the fake started.
    pub fn contract_pages(&self) -> usize {
        self.counters.contract_pages.load(Ordering::SeqCst)
    }

    /// Forgets what was recorded (the in-flight count itself is live and kept).
    pub fn reset(&self) {
        let c = &self.counters;
        c.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        c.peak_in_flight
            .store(c.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
        c.unexpected.store(0, Ordering::SeqCst);
    }

    /// What was recorded since the last reset.
    pub fn snapshot(&self) -> Snapshot {
        let c = &self.counters;
        Snapshot {
            arrivals: c
                .arrivals
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            peak_in_flight: c.peak_in_flight.load(Ordering::SeqCst),
            unexpected: c.unexpected.load(Ordering::SeqCst),
        }
    }
}

/// Nexudus's success envelope around `value`.
fn envelope(value: Value) -> Response {
    let body = json!({"Status": 200, "Message": "OK", "Value": value, "WasSuccessful": true, "Errors": null});
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn answer_later(counters: &Counters, value: Value) -> Response {
    let _in_flight = InFlight::enter(counters);
    let delay = *counters
        .delay
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    envelope(value)
}

async fn token_refresh(State(counters): State<Arc<Counters>>, Path(id): Path<u64>) -> Response {
    answer_later(&counters, json!(format!("burst-login-token-{id}"))).await
}

async fn reset_password(State(counters): State<Arc<Counters>>) -> Response {
    answer_later(&counters, Value::Null).await
}

/// `page` (from 1) and `size` of a contract list request.
#[derive(serde::Deserialize)]
struct PageQuery {
    page: usize,
    size: usize,
}

/// One page of the active contracts, in Nexudus' list shape with `HasNextPage`.
async fn contract_page(
    State(counters): State<Arc<Counters>>,
    Query(query): Query<PageQuery>,
) -> Response {
    counters.contract_pages.fetch_add(1, Ordering::SeqCst);
    let (records, has_next_page) = {
        let contracts = counters
            .contracts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let size = query.size.max(1);
        let start = (query.page.max(1) - 1) * size;
        let records: Vec<Value> = contracts
            .iter()
            .enumerate()
            .skip(start)
            .take(size)
            .map(|(n, (coworker, plan))| {
                json!({"Id": n + 1, "CoworkerId": coworker, "TariffName": plan, "InPausedPeriod": false})
            })
            .collect();
        (records, start + size < contracts.len())
    };
    let list = json!({"Records": records, "HasNextPage": has_next_page});
    answer_later(&counters, list).await
}

async fn unexpected(State(counters): State<Arc<Counters>>) -> Response {
    counters.unexpected.fetch_add(1, Ordering::SeqCst);
    StatusCode::NOT_FOUND.into_response()
}
