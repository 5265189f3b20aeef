//! The running bot: [`App::build`] wires configuration, storage, Nexudus,
//! limits and Discord together; [`App::run_until_stopped`] serves and stops
//! cleanly.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use serenity::all::{Client, ClientBuilder, Http};
use tracing::{error, info, warn};

use crate::config::Config;
use crate::discord::language::ServerLanguage;
use crate::discord::roles::DiscordRoles;
use crate::discord::{self, commands, courier::DmCourier, feed::ChannelFeed, handler::Handler};
use crate::lifecycle::Lifecycle;
use crate::metrics::Metrics;
use crate::nexudus::NexudusClient;
use crate::nexudus::{CallObserver, LineObserver};
use crate::ops::{self, OpsState};
use crate::ratelimit::{MemberLimits, RateLimitSettings};
use crate::roles::{Placement, RoleSync, sync};
use crate::service::{AuditAlerts, AuditFeed, Service};
use crate::store::Store;

/// How often idle rate-limit entries are evicted, at most; see [`sweep_interval`].
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// How often audit rows older than `AUDIT_RETENTION_DAYS` are deleted.
const AUDIT_SWEEP_EVERY: Duration = Duration::from_secs(24 * 3600);
/// How long in-flight interactions may take to finish after SIGTERM.
const DRAIN_LIMIT: Duration = Duration::from_secs(10);

/// The bot, built and ready to run: the ops port is bound, the database open and
/// the clients created, but no command is registered and the gateway is not
/// connected yet.
///
/// Building first lets a caller learn where the ops server listens
/// ([`App::ops_addr`]) before the bot serves anyone.
pub struct App {
    config: Config,
    store: Store,
    limits: Arc<MemberLimits>,
    lifecycle: Arc<Lifecycle>,
    http: Arc<Http>,
    client: Client,
    ops: Option<OpsListener>,
    /// Its line to Nexudus is closed at shutdown.
    line: NexudusClient,
    /// Membership roles, when configured: the reconcile and the webhook's queue.
    roles: Option<RolesRuntime>,
}

/// What membership roles run in the background.
struct RolesRuntime {
    sync: Arc<RoleSync>,
    interval: Option<Duration>,
    webhook: Option<tokio::sync::mpsc::Receiver<Vec<u64>>>,
}

/// The ops server's bound socket and what it reads.
struct OpsListener {
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    state: OpsState,
    /// `POST /webhooks/nexudus`, when `NEXUDUS_WEBHOOK_SECRET` is set.
    webhook: Option<axum::Router>,
}

impl App {
    /// Opens the store, creates the Nexudus and Discord clients and binds the
    /// ops listener (when `OPS_ADDR` is set).
    pub async fn build(config: Config) -> anyhow::Result<App> {
        let store = Store::open(&config.database_path).context("opening the database failed")?;
        let metrics = Arc::new(Metrics::new());
        let line_observer = Arc::clone(&metrics) as Arc<dyn LineObserver>;
        let nexudus = NexudusClient::with_line_observer(&config.nexudus, Some(line_observer))
            .context("setting up the Nexudus client failed")?
            .with_observer(Arc::clone(&metrics) as Arc<dyn CallObserver>);
        discover_space(&nexudus).await;
        let pages = config
            .nexudus
            .portal_pages
            .with_language(&nexudus.language());
        let limits = Arc::new(MemberLimits::new(&config.limits));
        let lifecycle = Lifecycle::new();

        let http = Arc::new(discord::http_client(&config.discord)?);
        let courier = Arc::new(DmCourier::new(Arc::clone(&http), discord::rest_client()?));
        let language = ServerLanguage::new(config.discord.bot_locale);
        let line = nexudus.clone();
        let feed: Arc<dyn AuditFeed> = Arc::new(ChannelFeed::new(
            Arc::clone(&http),
            store.clone(),
            language.clone(),
        ));
        let mut service = Service::new(
            nexudus.clone(),
            store.clone(),
            Arc::clone(&limits),
            pages,
            courier,
            Arc::clone(&metrics),
            Arc::clone(&feed),
        );
        let mut roles = None;
        let mut webhook = None;
        if config.roles.enabled() {
            let sync = Arc::new(
                build_roles(&config, &http, &nexudus, &store, &feed, &metrics, &language).await?,
            );
            service = service.with_roles(Arc::clone(&sync));
            let queue = config.roles.webhook_secret.clone().map(|secret| {
                let (batches, queue) = tokio::sync::mpsc::channel(sync::WEBHOOK_BACKLOG);
                webhook = Some(crate::roles::webhook::router(secret, batches));
                queue
            });
            roles = Some(RolesRuntime {
                sync,
                interval: config.roles.sync_interval,
                webhook: queue,
            });
        }
        let service = Arc::new(service);
        let handler = Handler::new(service, &config.discord, Arc::clone(&lifecycle), language);
        let client =
            ClientBuilder::new_with_http(discord::http_client(&config.discord)?, discord::INTENTS)
                .event_handler(handler)
                .await
                .context("building the Discord client failed")?;

        let ops = match config.ops_addr {
            None => None,
            Some(addr) => {
                let (listener, addr) = ops::bind(addr).await?;
                let state = OpsState {
                    lifecycle: Arc::clone(&lifecycle),
                    store: store.clone(),
                    metrics: Arc::clone(&metrics),
                    shards: Some(Arc::clone(&client.shard_manager)),
                };
                Some(OpsListener {
                    listener,
                    addr,
                    state,
                    webhook,
                })
            }
        };
        Ok(App {
            config,
            store,
            limits,
            lifecycle,
            http,
            client,
            ops,
            line,
            roles,
        })
    }

    /// Where the ops server listens (the port the system picked for port 0);
    /// `None` when `OPS_ADDR` is empty.
    pub fn ops_addr(&self) -> Option<SocketAddr> {
        self.ops.as_ref().map(|ops| ops.addr)
    }

    /// `nexudus-bot run`: registers the commands, connects to the gateway and
    /// serves until SIGTERM/SIGINT, then lets in-flight interactions finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let App {
            config,
            store,
            limits,
            lifecycle,
            http,
            mut client,
            ops,
            line,
            roles,
        } = self;
        let _sweeper = limits.spawn_sweeper(sweep_interval(&config.limits), {
            let store = store.clone();
            // Evicted keys are the tail of a burst, whose other memory (connections,
            // tasks, replies, SQLite pages) is free by now too: give it back.
            move |evicted| {
                if evicted > 0 {
                    store.release_memory();
                }
            }
        });
        drop(limits);
        let audit_sweeper = spawn_audit_sweeper(store.clone(), config.audit_retention);
        let mut role_tasks = Vec::new();
        if let Some(roles) = roles {
            if let Some(every) = roles.interval {
                role_tasks.push(Arc::clone(&roles.sync).spawn_interval(every));
            }
            if let Some(queue) = roles.webhook {
                role_tasks.push(Arc::clone(&roles.sync).spawn_webhook_worker(queue));
            }
        }

        let (ops_stop, ops_stopped) = tokio::sync::oneshot::channel::<()>();
        let ops_server = ops.map(|ops| {
            ops::serve(ops.listener, ops.state, ops.webhook, async move {
                let _ = ops_stopped.await;
            })
        });
        let shard_manager = Arc::clone(&client.shard_manager);
        let stopping = Arc::clone(&lifecycle);
        tokio::spawn(async move {
            shutdown_signal().await;
            info!("shutting down: finishing in-flight interactions");
            stopping.begin_shutdown();
            // Members waiting for Nexudus are told the bot is restarting, now.
            line.close_line();
            if !stopping.drained(DRAIN_LIMIT).await {
                warn!(
                    in_flight = stopping.in_flight(),
                    "in-flight interactions did not finish in time"
                );
            }
            shard_manager.shutdown_all().await;
        });

        // Commands are registered once per process, before the gateway connects,
        // not on every READY (which repeats on each reconnect).
        let application_id = discord::application_id(&http).await?;
        http.set_application_id(application_id);
        match commands::register(
            &http,
            &config.discord,
            commands::definitions(&config.nexudus.portal_pages),
        )
        .await
        {
            Ok(()) => info!(
                guilds = config.discord.guild_ids.len(),
                "slash commands registered"
            ),
            Err(err) => {
                error!(error = %format!("{err:#}"), "slash commands could not be registered");
            }
        }

        info!("connecting to the Discord gateway");
        client
            .start()
            .await
            .map_err(|err| anyhow::anyhow!(discord::describe_error(&err)))
            .context("the Discord gateway connection failed")?;
        lifecycle.set_gateway_connected(false);
        let _ = ops_stop.send(());
        if let Some(server) = ops_server {
            let _ = server.await;
        }
        audit_sweeper.abort();
        for task in role_tasks {
            task.abort();
        }
        // Audit rows are written behind the replies: let the last ones land.
        if let Err(err) = store.flush().await {
            error!(error = %err, "finishing database writes failed");
        }
        info!("stopped");
        Ok(())
    }
}

/// Finds which server holds each managed role and builds the role sync. A
/// role found in no configured server is logged (and `check` fails on it);
/// the others still work.
async fn build_roles(
    config: &Config,
    http: &Arc<Http>,
    nexudus: &NexudusClient,
    store: &Store,
    feed: &Arc<dyn AuditFeed>,
    metrics: &Arc<Metrics>,
    language: &ServerLanguage,
) -> anyhow::Result<RoleSync> {
    let managed: Vec<u64> = config.roles.managed().into_iter().collect();
    let guilds: Vec<u64> = config.discord.guild_ids.iter().map(|g| g.get()).collect();
    let found = discord::roles::locate_roles(http, &guilds, &managed)
        .await
        .context("reading the servers' roles failed (is the bot in DISCORD_GUILD_IDS?)")?;
    for role in found.missing() {
        warn!(
            role,
            "a managed role is in none of DISCORD_GUILD_IDS; it is left alone (`nexudus-bot check` tells more)"
        );
    }
    let placement = Placement::new(
        managed
            .iter()
            .filter_map(|role| found.guild_of(*role).map(|guild| (*role, guild))),
    );
    info!(roles = placement.roles().len(), "membership roles on");
    Ok(RoleSync::new(
        config.roles.clone(),
        placement,
        nexudus.clone(),
        store.clone(),
        Arc::new(DiscordRoles::new(Arc::clone(http))),
        Arc::new(AuditAlerts::new(store.clone(), Arc::clone(feed))),
        Arc::clone(metrics),
        language.messages(None).role_reasons(),
    ))
}

/// Sweeps every [`SWEEP_EVERY`], or every shortest limit period when shorter:
/// with `3/5s`, keys idle for 5 s must not wait a minute to be evicted. The
/// defaults (10 minutes and more) keep the one-minute sweep.
fn sweep_interval(limits: &RateLimitSettings) -> Duration {
    [limits.login, limits.reset, limits.link]
        .iter()
        .map(|limit| limit.period)
        .fold(SWEEP_EVERY, Duration::min)
}

/// Deletes audit rows older than `retention` now, then once a day.
fn spawn_audit_sweeper(store: Store, retention: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(AUDIT_SWEEP_EVERY);
        loop {
            every.tick().await;
            let keep = i64::try_from(retention.as_secs()).unwrap_or(i64::MAX);
            let before = crate::store::unix_now().saturating_sub(keep);
            match store.delete_audit_before(before).await {
                Ok(0) => {}
                Ok(deleted) => info!(deleted, "old audit rows deleted"),
                Err(err) => warn!(error = %err, "deleting old audit rows failed"),
            }
        }
    })
}

/// Asks Nexudus which space this is; without an answer the bot still runs,
/// with login links at `{PORTAL}/{NEXUDUS_LANGUAGE}` and resets naming no
/// businessId.
async fn discover_space(nexudus: &NexudusClient) {
    match nexudus.discover().await {
        Ok(space) => info!(
            space = %space.name,
            business_id = space.business_id,
            login_base = %nexudus.login_base(),
            "Nexudus space discovered"
        ),
        Err(err) => warn!(
            error = %err,
            login_base = %nexudus.login_base(),
            "Nexudus does not announce its space; login links start at the fallback login base"
        ),
    }
}

/// `nexudus-bot register`: create or update the slash commands and exit.
pub async fn register(config: Config) -> anyhow::Result<()> {
    let http = discord::http_client(&config.discord)?;
    let application_id = discord::application_id(&http).await?;
    http.set_application_id(application_id);
    commands::register(
        &http,
        &config.discord,
        commands::definitions(&config.nexudus.portal_pages),
    )
    .await
}

/// Resolves on SIGTERM (container stop) or SIGINT (Ctrl-C).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(err) => {
                warn!(error = %err, "cannot listen for SIGTERM; only Ctrl-C stops the bot");
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
