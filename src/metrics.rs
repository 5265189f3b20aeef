//! Counters and latencies: Prometheus text for `/metrics`, and the same facts
//! summarised for `/admin stats`.
//!
//! Labels are bounded sets (command, outcome, endpoint, status, reason): never a
//! user id, an email or anything a member typed.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dashmap::DashMap;
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::nexudus::{CallObserver, Class, Endpoint, LineObserver};
use crate::request::{Action, Outcome};

/// How many recent latencies per endpoint `/admin stats` computes percentiles over.
const LATENCY_WINDOW: usize = 1_000;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct InteractionLabels {
    command: Action,
    outcome: Outcome,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct NexudusLabels {
    endpoint: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabel {
    endpoint: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ActionLabel {
    action: Action,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabel {
    reason: Outcome,
}

impl EncodeLabelValue for Action {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> std::fmt::Result {
        std::fmt::Write::write_str(encoder, self.as_str())
    }
}

impl EncodeLabelValue for Outcome {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> std::fmt::Result {
        std::fmt::Write::write_str(encoder, self.as_str())
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RoleChangeLabels {
    action: RoleWrite,
    outcome: RoleWriteOutcome,
}

/// A role write, for `role_changes_total{action}`.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum RoleWrite {
    Add,
    Remove,
}

/// How a role write ended, for `role_changes_total{outcome}`.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum RoleWriteOutcome {
    Ok,
    Forbidden,
    Error,
}

impl EncodeLabelValue for RoleWrite {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> std::fmt::Result {
        let label = match self {
            RoleWrite::Add => "add",
            RoleWrite::Remove => "remove",
        };
        std::fmt::Write::write_str(encoder, label)
    }
}

impl EncodeLabelValue for RoleWriteOutcome {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> std::fmt::Result {
        let label = match self {
            RoleWriteOutcome::Ok => "ok",
            RoleWriteOutcome::Forbidden => "forbidden",
            RoleWriteOutcome::Error => "error",
        };
        std::fmt::Write::write_str(encoder, label)
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabel {
    version: String,
}

/// Every metric of the bot.
pub struct Metrics {
    registry: Registry,
    interactions: Family<InteractionLabels, Counter>,
    nexudus_requests: Family<NexudusLabels, Counter>,
    nexudus_latency: Family<EndpointLabel, Histogram>,
    limiter_refusals: Family<ActionLabel, Counter>,
    dm_failures: Family<ReasonLabel, Counter>,
    /// Set just before each scrape from the database.
    pub linked_members: Gauge,
    /// 1 while the gateway is connected.
    pub gateway_connected: Gauge,
    /// Last heartbeat round trip, in seconds.
    pub gateway_latency: Gauge<f64, std::sync::atomic::AtomicU64>,
    queue_depth: Gauge,
    queue_wait: Histogram,
    role_changes: Family<RoleChangeLabels, Counter>,
    role_sync_runs: Counter,
    role_sync_duration: Histogram,
    summary: Summary,
}

/// What `/admin stats` shows, kept alongside the Prometheus families (which cannot be iterated).
#[derive(Default)]
struct Summary {
    interactions: DashMap<(Action, Outcome), AtomicU64>,
    latencies: DashMap<Endpoint, Mutex<VecDeque<Duration>>>,
    refusals: AtomicU64,
    dm_failures: AtomicU64,
}

/// Latency percentiles of one endpoint over its recent calls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencySummary {
    pub calls: usize,
    pub p50: Duration,
    pub p95: Duration,
}

/// A snapshot for `/admin stats`.
#[derive(Debug, Clone, Default)]
pub struct StatsSnapshot {
    /// (command, outcome) → count since start.
    pub interactions: BTreeMap<(String, String), u64>,
    pub latencies: BTreeMap<&'static str, LatencySummary>,
    pub limiter_refusals: u64,
    pub dm_failures: u64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("nexudus_bot");
        let interactions = Family::<InteractionLabels, Counter>::default();
        registry.register(
            "interactions",
            "Interactions handled, by command and outcome",
            interactions.clone(),
        );
        let nexudus_requests = Family::<NexudusLabels, Counter>::default();
        registry.register(
            "nexudus_requests",
            "Nexudus operations, by endpoint and status",
            nexudus_requests.clone(),
        );
        let nexudus_latency = Family::<EndpointLabel, Histogram>::new_with_constructor(|| {
            Histogram::new([0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])
        });
        registry.register_with_unit(
            "nexudus_request_duration",
            "Duration of Nexudus operations (queueing and retries included)",
            prometheus_client::registry::Unit::Seconds,
            nexudus_latency.clone(),
        );
        let limiter_refusals = Family::<ActionLabel, Counter>::default();
        registry.register(
            "rate_limit_refusals",
            "Member requests refused by a rate limit, by action",
            limiter_refusals.clone(),
        );
        let dm_failures = Family::<ReasonLabel, Counter>::default();
        registry.register(
            "dm_failures",
            "Login links that could not be sent by DM, by reason",
            dm_failures.clone(),
        );
        let linked_members = Gauge::default();
        registry.register(
            "linked_members",
            "Discord accounts linked to a Nexudus user",
            linked_members.clone(),
        );
        let gateway_connected = Gauge::default();
        registry.register(
            "gateway_connected",
            "1 while the Discord gateway is connected",
            gateway_connected.clone(),
        );
        let gateway_latency = Gauge::<f64, AtomicU64>::default();
        registry.register_with_unit(
            "gateway_latency",
            "Discord gateway heartbeat round trip",
            prometheus_client::registry::Unit::Seconds,
            gateway_latency.clone(),
        );
        let queue_depth = Gauge::default();
        registry.register(
            "nexudus_queue_depth",
            "Requests waiting in line for their turn to call Nexudus",
            queue_depth.clone(),
        );
        let queue_wait = Histogram::new([0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0]);
        registry.register_with_unit(
            "nexudus_queue_wait",
            "How long members' and managers' requests waited in line for Nexudus",
            prometheus_client::registry::Unit::Seconds,
            queue_wait.clone(),
        );
        let role_changes = Family::<RoleChangeLabels, Counter>::default();
        registry.register(
            "role_changes",
            "Managed Discord roles added or removed, by action and outcome",
            role_changes.clone(),
        );
        let role_sync_runs = Counter::default();
        registry.register(
            "role_sync_runs",
            "Reconciles of every linked member's roles",
            role_sync_runs.clone(),
        );
        let role_sync_duration =
            Histogram::new([1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0, 3600.0]);
        registry.register_with_unit(
            "role_sync_duration",
            "How long one reconcile of every linked member took",
            prometheus_client::registry::Unit::Seconds,
            role_sync_duration.clone(),
        );
        let build_info = Family::<VersionLabel, Gauge>::default();
        build_info
            .get_or_create(&VersionLabel {
                version: env!("CARGO_PKG_VERSION").to_owned(),
            })
            .set(1);
        registry.register("build_info", "Version of the running bot", build_info);
        Metrics {
            registry,
            interactions,
            nexudus_requests,
            nexudus_latency,
            limiter_refusals,
            dm_failures,
            linked_members,
            gateway_connected,
            gateway_latency,
            queue_depth,
            queue_wait,
            role_changes,
            role_sync_runs,
            role_sync_duration,
            summary: Summary::default(),
        }
    }

    /// One managed role written (or refused) on one member.
    pub fn role_change(&self, action: RoleWrite, outcome: RoleWriteOutcome) {
        self.role_changes
            .get_or_create(&RoleChangeLabels { action, outcome })
            .inc();
    }

    /// A reconcile of every linked member finished after `took`.
    pub fn role_sync_run(&self, took: Duration) {
        self.role_sync_runs.inc();
        self.role_sync_duration.observe(took.as_secs_f64());
    }

    /// A request finished: counted by command and outcome, and a rate-limit
    /// refusal or an undelivered login DM also on its own.
    pub fn finished(&self, command: Action, outcome: Outcome) {
        self.interactions
            .get_or_create(&InteractionLabels { command, outcome })
            .inc();
        self.summary
            .interactions
            .entry((command, outcome))
            .or_default()
            .fetch_add(1, Ordering::Relaxed);
        match outcome {
            Outcome::RateLimited => {
                self.limiter_refusals
                    .get_or_create(&ActionLabel { action: command })
                    .inc();
                self.summary.refusals.fetch_add(1, Ordering::Relaxed);
            }
            Outcome::DmClosed | Outcome::DmFailed => {
                self.dm_failures
                    .get_or_create(&ReasonLabel { reason: outcome })
                    .inc();
                self.summary.dm_failures.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// Counts since start and recent latency percentiles, for `/admin stats`.
    pub fn snapshot(&self) -> StatsSnapshot {
        let interactions = self
            .summary
            .interactions
            .iter()
            .map(|entry| {
                let (command, outcome) = *entry.key();
                let labels = (command.as_str().to_owned(), outcome.as_str().to_owned());
                (labels, entry.value().load(Ordering::Relaxed))
            })
            .collect();
        let latencies = self
            .summary
            .latencies
            .iter()
            .filter_map(|entry| {
                let window = entry.value().lock().ok()?;
                let mut sorted: Vec<Duration> = window.iter().copied().collect();
                sorted.sort();
                let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
                (!sorted.is_empty()).then(|| {
                    (
                        entry.key().as_str(),
                        LatencySummary {
                            calls: sorted.len(),
                            p50: at(0.5),
                            p95: at(0.95),
                        },
                    )
                })
            })
            .collect();
        StatsSnapshot {
            interactions,
            latencies,
            limiter_refusals: self.summary.refusals.load(Ordering::Relaxed),
            dm_failures: self.summary.dm_failures.load(Ordering::Relaxed),
        }
    }
}

impl CallObserver for Metrics {
    fn observe(&self, endpoint: Endpoint, status: &str, elapsed: Duration) {
        self.nexudus_requests
            .get_or_create(&NexudusLabels {
                endpoint: endpoint.as_str().to_owned(),
                status: status.to_owned(),
            })
            .inc();
        self.nexudus_latency
            .get_or_create(&EndpointLabel {
                endpoint: endpoint.as_str().to_owned(),
            })
            .observe(elapsed.as_secs_f64());
        let window = self.summary.latencies.entry(endpoint).or_default();
        if let Ok(mut window) = window.lock() {
            if window.len() == LATENCY_WINDOW {
                window.pop_front();
            }
            window.push_back(elapsed);
        }
    }
}

impl LineObserver for Metrics {
    fn waited(&self, class: Class, wait: Duration) {
        // People's waits; background work has no one to keep waiting.
        if matches!(class, Class::Member | Class::Manager) {
            self.queue_wait.observe(wait.as_secs_f64());
        }
    }

    fn depth(&self, waiting: usize) {
        self.queue_depth
            .set(i64::try_from(waiting).unwrap_or(i64::MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_show_up_in_the_exposition_without_personal_labels() {
        let metrics = Metrics::new();
        metrics.finished(Action::Login, Outcome::DmSent);
        metrics.finished(Action::Login, Outcome::DmSent);
        metrics.finished(Action::Login, Outcome::RateLimited);
        metrics.finished(Action::Login, Outcome::DmClosed);
        metrics.observe(Endpoint::LoginToken, "ok", Duration::from_millis(120));
        let text = metrics.encode();
        assert!(
            text.contains(r#"nexudus_bot_interactions_total{command="login",outcome="dm_sent"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"nexudus_bot_rate_limit_refusals_total{action="login"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"nexudus_bot_dm_failures_total{reason="dm_closed"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(
                r#"nexudus_bot_nexudus_requests_total{endpoint="login_token",status="ok"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains("nexudus_bot_nexudus_request_duration_seconds_bucket"),
            "{text}"
        );
        assert!(text.contains("nexudus_bot_build_info"), "{text}");
    }

    #[test]
    fn stats_give_percentiles_over_recent_calls() {
        let metrics = Metrics::new();
        for ms in 1..=100 {
            metrics.observe(Endpoint::FindUser, "ok", Duration::from_millis(ms));
        }
        let stats = metrics.snapshot();
        let find = stats.latencies["find_user"];
        assert_eq!(find.calls, 100);
        assert_eq!(find.p50, Duration::from_millis(51));
        assert_eq!(find.p95, Duration::from_millis(95));
    }
}
