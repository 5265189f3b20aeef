//! The ops HTTP server (health, readiness, metrics) and its probe.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use crate::config::DEFAULT_OPS_ADDR;

/// How long `healthcheck` waits for an answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The address to probe: a wildcard listen address means "this machine".
pub fn probe_addr(listen: SocketAddr) -> SocketAddr {
    let ip = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, listen.port())
}

/// `nexudus-bot healthcheck`: reads only `OPS_ADDR`, so a probe works even while
/// another variable is being fixed.
pub async fn healthcheck_from_env() -> ExitCode {
    let raw = std::env::var("OPS_ADDR").unwrap_or_else(|_| DEFAULT_OPS_ADDR.to_owned());
    if raw.trim().is_empty() {
        eprintln!("OPS_ADDR is empty: the ops server is disabled, nothing to probe");
        return ExitCode::FAILURE;
    }
    let Ok(listen) = raw.trim().parse::<SocketAddr>() else {
        eprintln!("OPS_ADDR=`{raw}` is not host:port");
        return ExitCode::from(2);
    };
    match healthcheck(probe_addr(listen)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("unhealthy: {why}");
            ExitCode::FAILURE
        }
    }
}

/// GETs `/healthz` at `addr`.
pub async fn healthcheck(addr: SocketAddr) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(PROBE_TIMEOUT)
        .build()
        .map_err(|err| err.to_string())?;
    let response = client
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .map_err(|err| format!("no answer from {addr} ({})", err.without_url()))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("{addr} answered {}", response.status()))
    }
}

/// What the ops server reads.
#[derive(Clone)]
pub struct OpsState {
    pub lifecycle: std::sync::Arc<crate::lifecycle::Lifecycle>,
    pub store: crate::store::Store,
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// Present once the Discord client exists; gives shard latency.
    pub shards: Option<std::sync::Arc<serenity::gateway::ShardManager>>,
}

/// The ops routes: `/healthz`, `/readyz`, `/metrics`.
pub fn router(state: OpsState) -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// Binds the ops server's address and logs the one it took (`OPS_ADDR=127.0.0.1:0`
/// picks a free port, which the log line names).
pub async fn bind(addr: SocketAddr) -> anyhow::Result<(tokio::net::TcpListener, SocketAddr)> {
    use anyhow::Context as _;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on OPS_ADDR {addr}"))?;
    let bound = listener
        .local_addr()
        .with_context(|| format!("cannot read the address bound for OPS_ADDR {addr}"))?;
    tracing::info!(addr = %bound, "ops server listening");
    Ok((listener, bound))
}

/// Serves the ops routes, and `extra` beside them (the Nexudus webhook), on
/// `listener` until `shutdown` resolves.
pub fn serve(
    listener: tokio::net::TcpListener,
    state: OpsState,
    extra: Option<axum::Router>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let routes = match extra {
        Some(extra) => router(state).merge(extra),
        None => router(state),
    };
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, routes)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::error!(error = %err, "the ops server stopped");
        }
    })
}

async fn readyz(
    axum::extract::State(state): axum::extract::State<OpsState>,
) -> (axum::http::StatusCode, String) {
    use axum::http::StatusCode;
    if state.lifecycle.shutting_down() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting down\n".to_owned(),
        );
    }
    if !state.lifecycle.gateway_connected() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "Discord gateway not connected\n".to_owned(),
        );
    }
    if let Err(err) = state.store.ping().await {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("database not answering: {err}\n"),
        );
    }
    (StatusCode::OK, "ready\n".to_owned())
}

async fn metrics(
    axum::extract::State(state): axum::extract::State<OpsState>,
) -> impl axum::response::IntoResponse {
    let metrics = &state.metrics;
    if let Ok(count) = state.store.count_links().await {
        metrics
            .linked_members
            .set(i64::try_from(count).unwrap_or(i64::MAX));
    }
    metrics
        .gateway_connected
        .set(i64::from(state.lifecycle.gateway_connected()));
    if let Some(shards) = &state.shards {
        let runners = shards.runners.lock().await;
        if let Some(latency) = runners.values().filter_map(|runner| runner.latency).max() {
            metrics.gateway_latency.set(latency.as_secs_f64());
        }
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.encode(),
    )
}
