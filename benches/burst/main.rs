//! Burst benchmark and memory figures for `nexudus-bot`, side by side in one run.
//!
//! The real binary (`nexudus-bot run`, built with the bench profile) runs
//! against the loopback fake Discord of the end-to-end tests
//! (`tests/support/fake_discord.rs`) and a fake Nexudus of this bench
//! ([`nexudus`]) that answers after a set delay and records peak requests in
//! flight and arrival times. Three parts:
//!
//! 1. **Floor**: the same burst of interactions against `examples/floor_bot.rs`,
//!    a serenity bot wired the same way that only defers. Its time to first
//!    callback is what serenity, the fake and this machine cost by themselves.
//! 2. **Burst**, with Nexudus answering after 0 ms and after 300 ms: 1 000
//!    interactions sent as fast as the fake's gateway takes them, a mix of
//!    `/login` by linked members (70 %), `/reset-password email:…` (10 %),
//!    `/account` (10 %) and `/login` by 10 members who already used their
//!    `RATE_LIMIT_LOGIN` (10 %, 10 times each). Per interaction: dispatch →
//!    first callback (defer or immediate reply) and dispatch → final reply (a
//!    type-4 callback, or the PATCH of `@original`); Nexudus peak in flight and
//!    requests in any 1 s window; the bot's peak RSS and CPU time.
//!    With `NEXUDUS_MAX_RPS=2` and `NEXUDUS_QUEUE_SECS=120` about 230 of the
//!    800 Nexudus-bound requests can be served: the others are told at once
//!    when to come back. What is checked is that every member gets a first
//!    callback within Discord's 3 s and a clear final reply, and how many were
//!    served, after how long.
//! 3. **Memory**: idle RSS; then `/reset-password email:x{i}@example.com` from
//!    100 000 distinct members (each records two limiter keys: the member and
//!    the email), Nexudus answering at once; RSS at peak, after the load (every
//!    key still tracked: `RATE_LIMIT_RESET` is set to outlast the load), and
//!    after the sweeper evicted them (one period later, plus up to a minute),
//!    with where the resident memory sits (`/proc/PID/smaps`), and the bot's
//!    CPU time during the load. `BURST_MEMORY_VARIANTS` runs one bot per
//!    allocator environment side by side under the same load.
//!    Each request takes the whole path: limits, defer, Nexudus call, audit
//!    row, edit of the reply. The bot caps Nexudus at 100 requests/s
//!    (`NEXUDUS_MAX_RPS` ≤ 100), so the load takes 17 minutes and the wait for
//!    idle keys 22 more; a reset that Nexudus fails is given back to the
//!    member, so failing calls cannot be used to go faster: the keys would not
//!    stay.
//!
//! 4. **Roles** ([`reconcile`]): a reconcile of 10 000 linked members, a tenth
//!    of whose plans changed, with a floor burst and a bot burst sent while it
//!    runs: Nexudus pages read, Discord role writes (exactly the changes),
//!    the reconcile's wall time, peak RSS, first-callback p99 against the floor.
//!
//! Run: `cargo bench --bench burst` (a cold build takes 20 to 35 minutes on 2
//! cores, a rebuild after editing `src/` or the bench about 8; the run about
//! 45 minutes: 3 for the bursts, the rest for the memory part).
//! 5. **Soak**, with `BURST_SOAK_MINUTES=N` (off by default; alongside the
//!    memory part): about 10 interactions a second for N minutes (logins,
//!    resets by ever new members, `/account`) with short limit periods, so
//!    keys come and go; RSS sampled every minute and its least-squares slope.
//!
//! Environment knobs: `BURST_INTERACTIONS` (1000), `BURST_ROUNDS` (3; 0 skips the bursts),
//! `BURST_RECONCILE_MEMBERS` (10000; 0 skips the roles part, which takes about 10 minutes),
//! `BURST_MEMORY_MEMBERS` (100000; 20000 takes 10 minutes, 0 skips the memory part),
//! `BURST_MEMORY_VARIANTS` (`;`-separated `GLIBC_TUNABLES` values, `none` for glibc's
//! defaults; by default the Dockerfile's alone), `BURST_SOAK_MINUTES` (0),
//! `BURST_MEMORY_OUTSTANDING` (200 interactions in flight at most: 2 s of
//! Nexudus calls at 100/s, well inside the 10 s budget), and
//! for experiments only, `BURST_ONLY=login|reset|account|limited` (a burst of
//! one kind), `BURST_BOT_X=v` (sets `X=v` in the bot's environment) and
//! `BURST_HOLD_SECS=N` (keeps the bot running N s after the sweep and prints
//! its pid, to inspect its memory from outside).
//! The output ends with a markdown table (also README's "Performance").

#[allow(dead_code)] // the bench uses part of the fake's API
#[path = "../../tests/support/fake_discord.rs"]
mod fake_discord;
#[path = "../../examples/floor_bot.rs"]
mod floor_bot;
mod nexudus;
mod process;
mod reconcile;
mod stats;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, FakeDiscordOptions, FakeMember, Interaction};
use nexudus::FakeNexudus;
use nexudus_bot::config::DatabasePath;
use nexudus_bot::messages::Messages;
use nexudus_bot::store::{Link, Store};
use process::{Proc, mib};
use serde_json::{Value, json};
use stats::{Percentiles, max_in_window, ms, sustained_rate};

/// The argument that makes this binary run the floor bot (see `examples/floor_bot.rs`).
const FLOOR_BOT_ARG: &str = "floor-bot";
/// How long anything the bench waits for may take before it gives up.
const WAIT: Duration = Duration::from_secs(30);
/// Members logging in this many times before the burst use up `RATE_LIMIT_LOGIN` (3/10m).
const LOGIN_LIMIT_COUNT: usize = 3;
/// The design's outbound defaults, which the burst runs with.
const MAX_CONCURRENCY: usize = 4;
const MAX_RPS: usize = 2;
/// `NEXUDUS_MAX_RPS` in the memory part: the highest the bot accepts.
const MEMORY_MAX_RPS: u64 = 100;

/// The `RATE_LIMIT_RESET` period of the memory part: longer than the load
/// (`members / MEMORY_MAX_RPS` seconds at best) by a quarter plus a minute,
/// in whole minutes, so every key is still tracked when the load ends.
fn memory_reset_period(members: usize) -> Duration {
    let load = members as u64 / MEMORY_MAX_RPS;
    Duration::from_secs((load * 5 / 4 + 60).div_ceil(60) * 60)
}

/// Member id ranges, one per role in the mix.
const LOGIN_MEMBERS: u64 = 500_000_000_000_000_000;
const ACCOUNT_MEMBERS: u64 = 510_000_000_000_000_000;
const LIMITED_MEMBERS: u64 = 520_000_000_000_000_000;
const RESET_MEMBERS: u64 = 530_000_000_000_000_000;
const MEMORY_MEMBERS: u64 = 540_000_000_000_000_000;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some(FLOOR_BOT_ARG) {
        return floor_bot::main();
    }
    let settings = Settings::from_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("start the Tokio runtime");
    runtime.block_on(run(settings));
    ExitCode::SUCCESS
}

/// What to run, from `BURST_*` variables.
struct Settings {
    interactions: usize,
    memory_members: usize,
    memory_outstanding: usize,
    /// `BURST_RECONCILE_MEMBERS`: linked members of the roles part (0: skipped).
    reconcile_members: usize,
    /// Rounds of floor, then bot at each Nexudus delay, back to back.
    rounds: usize,
    /// `BURST_ONLY=login|reset|account|limited`: a burst of one kind (experiments).
    only: Option<Kind>,
    /// The allocator environments the memory part compares, side by side.
    variants: Vec<Variant>,
    /// `BURST_SOAK_MINUTES`: how long the soak runs (0: no soak).
    soak: Duration,
}

/// One allocator environment of the memory part: a `GLIBC_TUNABLES` value, or none.
#[derive(Debug, Clone)]
struct Variant {
    tunables: Option<String>,
}

impl Variant {
    fn label(&self) -> String {
        match &self.tunables {
            Some(tunables) => format!("`GLIBC_TUNABLES={tunables}`"),
            None => "glibc's defaults".to_owned(),
        }
    }

    /// `BURST_MEMORY_VARIANTS`, `;`-separated `GLIBC_TUNABLES` values (`none`:
    /// glibc's defaults); by default the container's alone.
    fn from_env() -> Vec<Variant> {
        match std::env::var("BURST_MEMORY_VARIANTS") {
            Ok(list) => list
                .split(';')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| Variant {
                    tunables: (v != "none").then(|| v.to_owned()),
                })
                .collect(),
            Err(_) => vec![Variant {
                tunables: container_allocator_env().map(|(_, value)| value),
            }],
        }
    }
}

impl Settings {
    fn from_env() -> Settings {
        let number = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .map(|v| {
                    v.parse()
                        .unwrap_or_else(|_| panic!("{name}={v} is not a number"))
                })
                .unwrap_or(default)
        };
        Settings {
            interactions: number("BURST_INTERACTIONS", 1000).max(10),
            memory_members: number("BURST_MEMORY_MEMBERS", 100_000),
            memory_outstanding: number("BURST_MEMORY_OUTSTANDING", 200).max(1),
            reconcile_members: number("BURST_RECONCILE_MEMBERS", 10_000),
            rounds: number("BURST_ROUNDS", 3),
            only: std::env::var("BURST_ONLY").ok().map(|v| match v.as_str() {
                "login" => Kind::Login,
                "reset" => Kind::Reset,
                "account" => Kind::Account,
                "limited" => Kind::LimitedLogin,
                other => panic!("BURST_ONLY={other}: expected login, reset, account or limited"),
            }),
            variants: Variant::from_env(),
            soak: Duration::from_secs(60 * number("BURST_SOAK_MINUTES", 0) as u64),
        }
    }
}

async fn run(settings: Settings) {
    let load_before = process::load_average();
    let started = Instant::now();
    let mut mix = Mix::new(settings.interactions);
    let dir = tempfile::tempdir().expect("temp dir");
    seed_links(&database_file(dir.path()), &mix).await;
    if let Some(kind) = settings.only {
        mix = mix.only(kind);
    }
    let nexudus = FakeNexudus::start(Duration::ZERO).await;

    println!(
        "burst: {} interactions ({} /login, {} /reset-password, {} /account, {} rate-limited /login by {} members)",
        mix.total(),
        mix.logins,
        mix.resets,
        mix.accounts,
        mix.limited(),
        mix.limited_members
    );
    // The machine is shared: a floor measured minutes away from the bot can
    // meet other load. Each round measures the floor and the bot back to
    // back; the ratio reported is the median of the rounds'.
    let mut rounds = Vec::new();
    for round in 1..=settings.rounds {
        let floor = floor_burst(&mix).await;
        println!("round {round}: floor: first callback {}", floor.first);
        let mut bursts = Vec::new();
        for delay in [Duration::ZERO, Duration::from_millis(300)] {
            let burst = bot_burst(&mix, &nexudus, delay, dir.path()).await;
            println!(
                "round {round}: nexudus-bot, Nexudus {}: first callback {} (p99 {:.2}× the floor's), final reply {}",
                ms(delay),
                burst.first,
                burst.first.p99.as_secs_f64() / floor.first.p99.as_secs_f64(),
                burst.last
            );
            bursts.push(burst);
        }
        rounds.push(Round { floor, bursts });
    }
    let reconcile = if settings.reconcile_members > 0 {
        Some(reconcile::reconcile_run(settings.reconcile_members, &mix).await)
    } else {
        None
    };
    // The memory variants and the soak run side by side, each against a bot
    // and fakes of its own: the same load at the same time.
    let memories = futures::future::join_all(
        (settings.memory_members > 0)
            .then_some(settings.variants.iter())
            .into_iter()
            .flatten()
            .map(|variant| memory_run(&settings, variant)),
    );
    let soak = async {
        if settings.soak.is_zero() {
            None
        } else {
            Some(soak_run(settings.soak).await)
        }
    };
    let (memory, soak) = tokio::join!(memories, soak);
    let load_after = process::load_average();
    let report = Report {
        date: today(),
        machine: process::machine(),
        load: (load_before, load_after),
        took: started.elapsed(),
        mix,
        rounds,
        reconcile,
        memory,
        soak,
    };
    println!("\n{}", report.markdown());
}

// ---------------------------------------------------------------- the mix

/// How many of each interaction one burst sends.
#[derive(Debug, Clone, Copy)]
struct Mix {
    logins: usize,
    resets: usize,
    accounts: usize,
    limited_members: usize,
    limited_repeats: usize,
}

/// One interaction of the burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Login,
    Reset,
    Account,
    LimitedLogin,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Login => "/login",
            Kind::Reset => "/reset-password",
            Kind::Account => "/account",
            Kind::LimitedLogin => "/login (rate limited)",
        }
    }
}

impl Mix {
    /// 70 % logins, 10 % resets, 10 % `/account`, 10 % rate-limited logins
    /// (by one member per 10 of them).
    fn new(total: usize) -> Mix {
        let tenth = total / 10;
        let limited_members = tenth.div_ceil(10).max(1);
        let limited_repeats = tenth / limited_members;
        Mix {
            logins: total - 2 * tenth - limited_members * limited_repeats,
            resets: tenth,
            accounts: tenth,
            limited_members,
            limited_repeats,
        }
    }

    fn total(&self) -> usize {
        self.logins + self.resets + self.accounts + self.limited()
    }

    /// The rate-limited `/login`s: every limited member's repeats.
    fn limited(&self) -> usize {
        self.limited_members * self.limited_repeats
    }

    /// Only this kind, as many as the whole mix (an experiment: `BURST_ONLY`).
    fn only(self, kind: Kind) -> Mix {
        let total = self.total();
        let none = Mix {
            logins: 0,
            resets: 0,
            accounts: 0,
            limited_members: self.limited_members,
            limited_repeats: 0,
        };
        match kind {
            Kind::Login => Mix {
                logins: total,
                ..none
            },
            Kind::Reset => Mix {
                resets: total,
                ..none
            },
            Kind::Account => Mix {
                accounts: total,
                ..none
            },
            Kind::LimitedLogin => Mix {
                limited_repeats: total / self.limited_members,
                ..none
            },
        }
    }

    /// Every interaction of the burst, in a fixed pseudo-random order.
    fn shuffled(&self) -> Vec<(Kind, u64)> {
        let mut all: Vec<(Kind, u64)> = Vec::with_capacity(self.total());
        all.extend((0..self.logins as u64).map(|i| (Kind::Login, LOGIN_MEMBERS + i)));
        all.extend((0..self.resets as u64).map(|i| (Kind::Reset, RESET_MEMBERS + i)));
        all.extend((0..self.accounts as u64).map(|i| (Kind::Account, ACCOUNT_MEMBERS + i)));
        for _ in 0..self.limited_repeats {
            all.extend(
                (0..self.limited_members as u64).map(|i| (Kind::LimitedLogin, LIMITED_MEMBERS + i)),
            );
        }
        // Fisher–Yates with xorshift64*: the same order on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in (1..all.len()).rev() {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let j = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % (i as u64 + 1)) as usize;
            all.swap(i, j);
        }
        all
    }
}

/// Sends one interaction of the mix.
async fn send(discord: &FakeDiscord, kind: Kind, member_id: u64) -> Interaction {
    let guild = discord.options().guild_ids[0];
    let member = FakeMember::member(member_id);
    match kind {
        Kind::Login | Kind::LimitedLogin => {
            discord
                .slash_command(&member, guild, "login", json!([]))
                .await
        }
        Kind::Account => {
            discord
                .slash_command(&member, guild, "account", json!([]))
                .await
        }
        Kind::Reset => {
            let email = format!("member{}@example.com", member_id - RESET_MEMBERS);
            reset_with_email(discord, member_id, &email).await
        }
    }
}

async fn reset_with_email(discord: &FakeDiscord, member_id: u64, email: &str) -> Interaction {
    let guild = discord.options().guild_ids[0];
    let options = json!([{"name": "email", "type": 3, "value": email}]);
    discord
        .slash_command(
            &FakeMember::member(member_id),
            guild,
            "reset-password",
            options,
        )
        .await
}

// ---------------------------------------------------------------- the world

fn database_file(dir: &Path) -> PathBuf {
    dir.join("data").join("bot.db")
}

/// Links every member of the mix who needs a link, as `/link` would have.
async fn seed_links(file: &Path, mix: &Mix) {
    seed(file, mix_links(mix)).await;
}

/// The links of the mix's members who need one; no coworker id known yet.
fn mix_links(mix: &Mix) -> impl Iterator<Item = Link> {
    let linked = (0..mix.logins as u64)
        .map(|i| LOGIN_MEMBERS + i)
        .chain((0..mix.accounts as u64).map(|i| ACCOUNT_MEMBERS + i))
        .chain((0..mix.limited_members as u64).map(|i| LIMITED_MEMBERS + i));
    (1_u64..).zip(linked).map(|(n, discord_user_id)| Link {
        discord_user_id,
        nexudus_user_id: 10_000 + n,
        email: format!("linked{n}@example.com"),
        linked_at: 1_700_000_000,
        linked_by: discord_user_id,
        coworker_id: None,
    })
}

/// Stores these links in the bot's database.
async fn seed(file: &Path, links: impl Iterator<Item = Link>) {
    let store = Store::open(&DatabasePath::File(file.to_owned())).expect("open the database");
    for link in links {
        store.link(link).await.expect("seed a link");
    }
}

fn fake_discord_options() -> FakeDiscordOptions {
    FakeDiscordOptions::default()
}

/// The environment of `nexudus-bot run` against these fakes.
fn bot_env(
    discord: &FakeDiscord,
    nexudus: &FakeNexudus,
    dir: &Path,
    ops_port: u16,
) -> HashMap<String, String> {
    let opts = discord.options();
    [
        ("DISCORD_TOKEN", opts.token.clone()),
        ("DISCORD_API_BASE", discord.base_url()),
        ("DISCORD_GUILD_IDS", opts.guild_ids[0].to_string()),
        ("NEXUDUS_PORTAL_URL", nexudus.base_url().to_owned()),
        ("NEXUDUS_API_URL", format!("{}/api", nexudus.base_url())),
        ("NEXUDUS_API_USERNAME", "bot@coolspace.example".to_owned()),
        ("NEXUDUS_API_PASSWORD", "bench-rest-password".to_owned()),
        ("NEXUDUS_MAX_CONCURRENCY", MAX_CONCURRENCY.to_string()),
        ("NEXUDUS_MAX_RPS", MAX_RPS.to_string()),
        ("NEXUDUS_TIMEOUT_SECS", "10".to_owned()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", database_file(dir).display()),
        ),
        ("OPS_ADDR", format!("127.0.0.1:{ops_port}")),
        ("RUST_LOG", "info".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .chain(container_allocator_env())
    .chain(bot_env_overrides())
    .collect()
}

/// The allocator settings the container image gives the bot (the
/// `GLIBC_TUNABLES` of the `Dockerfile`), so that the bench measures the bot
/// as it is deployed.
fn container_allocator_env() -> Option<(String, String)> {
    let dockerfile = Path::new(env!("CARGO_MANIFEST_DIR")).join("Dockerfile");
    let text = std::fs::read_to_string(dockerfile).expect("the Dockerfile is readable");
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("ENV "))
        .flat_map(str::split_whitespace)
        .find_map(|setting| setting.strip_prefix("GLIBC_TUNABLES="))
        .map(|value| ("GLIBC_TUNABLES".to_owned(), value.to_owned()))
}

/// `BURST_BOT_X=v` in the bench's environment sets `X=v` for the bot, for
/// experiments (say `BURST_BOT_RUST_LOG=warn`). Not used by the reported run.
fn bot_env_overrides() -> impl Iterator<Item = (String, String)> {
    std::env::vars().filter_map(|(k, v)| Some((k.strip_prefix("BURST_BOT_")?.to_owned(), v)))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until the bot registered its commands, is on the gateway and `/readyz` says so.
async fn wait_ready(bot: &mut Proc, discord: &FakeDiscord, ops_port: u16) {
    let deadline = Instant::now() + WAIT;
    while discord.registration_count() == 0 || discord.gateway_stats().identifies == 0 {
        bot.assert_running("waiting for nexudus-bot to register its commands");
        assert!(
            Instant::now() < deadline,
            "nexudus-bot never registered its commands and identified; its output:\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ready = format!("http://127.0.0.1:{ops_port}/readyz");
    loop {
        if reqwest::get(&ready)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "/readyz never answered 200; the bot's output:\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Lets start-up allocations and the first heartbeat settle before reading idle RSS.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(2)).await;
}

// ---------------------------------------------------------------- measuring a burst

/// What one burst measured.
struct Burst {
    /// `None` for the floor.
    nexudus_delay: Option<Duration>,
    first: Percentiles,
    /// Dispatch → final reply; empty for the floor (it only defers).
    last: Percentiles,
    /// First callbacks later than Discord's 3 s.
    late: usize,
    /// Interactions without a final reply at the deadline.
    unanswered: usize,
    /// Dispatch → final reply of the members served: a login DM (or the
    /// link in the reply) or a reset email requested.
    served: Percentiles,
    served_count: usize,
    /// Final replies by what they say, and per kind.
    outcomes: BTreeMap<String, usize>,
    per_kind: BTreeMap<Kind, (Percentiles, Percentiles)>,
    violations: Vec<String>,
    /// Place-in-line edits sent (every accepted `@original` edit but the final one).
    place_edits: usize,
    /// Discord's 429 answers to the bot.
    discord_429s: usize,
    nexudus: Option<NexudusFigures>,
    idle_rss: u64,
    peak_rss: u64,
    cpu: Duration,
    /// CPU time until every interaction had its first callback (give or
    /// take the 250 ms polling period).
    cpu_to_first: Duration,
    /// The bot's threads before the burst, the most seen until every first
    /// callback, and the most seen until every final reply.
    threads: Option<(u64, u64, u64)>,
    /// Dispatch of the first interaction → the last final reply (or first callback).
    span: Duration,
}

struct NexudusFigures {
    requests: usize,
    peak_in_flight: usize,
    max_per_second: usize,
    max_per_10s: usize,
    sustained: f64,
    unexpected: usize,
}

/// The floor: the same burst against a bot that only defers.
async fn floor_burst(mix: &Mix) -> Burst {
    let discord = FakeDiscord::start(fake_discord_options()).await;
    let env: HashMap<String, String> = [
        ("DISCORD_TOKEN", discord.options().token.clone()),
        ("DISCORD_API_BASE", discord.base_url()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let exe = std::env::current_exe().expect("this bench's executable");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut floor = Proc::spawn(&exe, &[FLOOR_BOT_ARG], &env, dir.path(), &[]);
    let deadline = Instant::now() + WAIT;
    while discord.gateway_stats().identifies == 0 {
        floor.assert_running("waiting for the floor bot to identify");
        assert!(Instant::now() < deadline, "the floor bot never identified");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    settle().await;
    let idle_rss = floor.rss();
    let cpu_before = floor.cpu();
    let sent = send_burst(&discord, mix).await;
    wait_answered(&sent, |ix| !ix.callbacks().is_empty()).await;
    let mut burst = measure(&discord, &sent, false);
    burst.idle_rss = idle_rss;
    burst.peak_rss = floor.peak_rss();
    burst.cpu = floor.cpu() - cpu_before;
    burst.cpu_to_first = burst.cpu;
    floor.stop();
    burst
}

/// The real bot, Nexudus answering after `delay`.
async fn bot_burst(mix: &Mix, nexudus: &FakeNexudus, delay: Duration, dir: &Path) -> Burst {
    nexudus.set_delay(delay);
    let discord = FakeDiscord::start(fake_discord_options()).await;
    let ops_port = free_port();
    let env = bot_env(&discord, nexudus, dir, ops_port);
    let exe = Path::new(env!("CARGO_BIN_EXE_nexudus-bot"));
    let mut bot = Proc::spawn(exe, &["run"], &env, dir, &[]);
    wait_ready(&mut bot, &discord, ops_port).await;
    println!("nexudus-bot (pid {}) ready", bot.pid());
    settle().await;
    let mut burst = burst_against(&mut bot, &discord, nexudus, mix).await;
    burst.nexudus_delay = Some(delay);
    bot.stop();
    burst
}

/// Sends the mix to a running bot and measures it until every member has a
/// final reply (the rate-limited members first use up their limit).
async fn burst_against(
    bot: &mut Proc,
    discord: &FakeDiscord,
    nexudus: &FakeNexudus,
    mix: &Mix,
) -> Burst {
    let idle_rss = bot.rss();
    use_up_login_limit(discord, mix).await;
    // Let the outbound limiter refill: the burst meets its full initial burst.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    nexudus.reset();
    let cpu_before = bot.cpu();
    let idle_threads = bot.threads();
    let sampler = ThreadSampler::start(bot.pid());
    let sent = send_burst(discord, mix).await;
    wait_answered(&sent, |ix| !ix.callbacks().is_empty()).await;
    let at_first_callbacks = (bot.cpu() - cpu_before, sampler.peak());
    wait_answered(&sent, final_reply_seen).await;
    bot.assert_running("after the burst");
    let peak_threads = sampler.stop();
    let mut burst = measure(discord, &sent, true);
    burst.idle_rss = idle_rss;
    burst.peak_rss = bot.peak_rss();
    burst.cpu = bot.cpu() - cpu_before;
    burst.threads = Some((idle_threads, at_first_callbacks.1, peak_threads));
    burst.cpu_to_first = at_first_callbacks.0;
    let seen = nexudus.snapshot();
    let mut arrivals = seen.arrivals;
    arrivals.sort_unstable();
    burst.nexudus = Some(NexudusFigures {
        requests: arrivals.len(),
        peak_in_flight: seen.peak_in_flight,
        max_per_second: max_in_window(&arrivals, Duration::from_secs(1)),
        max_per_10s: max_in_window(&arrivals, Duration::from_secs(10)),
        sustained: sustained_rate(&arrivals),
        unexpected: seen.unexpected,
    });
    burst
}

/// Samples a process's thread count every 20 ms and keeps the highest.
struct ThreadSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    task: std::thread::JoinHandle<()>,
}

impl ThreadSampler {
    fn start(pid: u32) -> ThreadSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (stopping, highest) = (Arc::clone(&stop), Arc::clone(&peak));
        let task = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                highest.fetch_max(process::threads_of(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        ThreadSampler { stop, peak, task }
    }

    /// The most threads seen so far.
    fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let peak = Arc::clone(&self.peak);
        let _ = self.task.join();
        peak.load(Ordering::Relaxed)
    }
}

/// The rate-limited members log in `RATE_LIMIT_LOGIN` times (one at a time
/// each, all members at once), so their `/login`s in the burst are refused.
async fn use_up_login_limit(discord: &FakeDiscord, mix: &Mix) {
    for _ in 0..LOGIN_LIMIT_COUNT {
        let mut round = Vec::new();
        for i in 0..mix.limited_members as u64 {
            round.push(send(discord, Kind::Login, LIMITED_MEMBERS + i).await);
        }
        for ix in &round {
            ix.final_reply(WAIT).await;
        }
    }
}

/// Sends the whole mix as fast as the fake takes it; returns each interaction with its kind.
async fn send_burst(discord: &FakeDiscord, mix: &Mix) -> Vec<(Kind, Interaction)> {
    let mut sent = Vec::with_capacity(mix.total());
    for (kind, member) in mix.shuffled() {
        sent.push((kind, send(discord, kind, member).await));
    }
    sent
}

/// Whether the member sees a final answer: an immediate reply or an edit of the deferred one.
fn final_reply_seen(ix: &Interaction) -> bool {
    let immediate = ix
        .callbacks()
        .first()
        .is_some_and(|cb| cb.kind == 4 && cb.status == 204);
    // A place-in-line edit is not the answer: the one after it is.
    let edited = ix.edits().last().is_some_and(|edit| {
        !edit["content"]
            .as_str()
            .is_some_and(|text| text.contains(" in line, about "))
    });
    immediate || edited
}

/// Polls (rather than waiting on each interaction, which would wake 1 000
/// waiters on every change in the fake) until `answered` holds for every
/// interaction, or three minutes passed (the line holds a member up to
/// `NEXUDUS_QUEUE_SECS`, 120 s, then Nexudus answers). Timestamps come from the fake, so the
/// polling period does not affect them.
async fn wait_answered(sent: &[(Kind, Interaction)], answered: impl Fn(&Interaction) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut pending: Vec<&Interaction> = sent.iter().map(|(_, ix)| ix).collect();
    while !pending.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        pending.retain(|ix| !answered(ix));
    }
}

/// The figures of a finished burst, from the fake's records.
fn measure(discord: &FakeDiscord, sent: &[(Kind, Interaction)], has_final: bool) -> Burst {
    let edits_at = original_edit_times(discord);
    let mut firsts = Vec::new();
    let mut lasts = Vec::new();
    let mut served = Vec::new();
    let mut by_kind: BTreeMap<Kind, (Vec<Duration>, Vec<Duration>)> = BTreeMap::new();
    let mut outcomes = BTreeMap::new();
    let (mut late, mut unanswered) = (0, 0);
    let start = sent.first().map(|(_, ix)| ix.sent_at);
    let mut end = start;
    for (kind, ix) in sent {
        let callbacks = ix.callbacks();
        let Some(first) = callbacks.first() else {
            unanswered += 1;
            continue;
        };
        let to_first = first.received_at - ix.sent_at;
        late += usize::from(to_first > fake_discord::CALLBACK_WINDOW || first.status != 204);
        firsts.push(to_first);
        by_kind.entry(*kind).or_default().0.push(to_first);
        end = end.max(Some(first.received_at));
        if !has_final {
            continue;
        }
        let last = if first.kind == 4 && first.status == 204 {
            Some((first.received_at, first.data["content"].clone()))
        } else {
            let edits = ix.edits();
            edits_at
                .get(&ix.token)
                .zip(edits.last())
                .map(|(at, body)| (*at, body["content"].clone()))
        };
        match last {
            Some((at, content)) => {
                lasts.push(at - ix.sent_at);
                by_kind.entry(*kind).or_default().1.push(at - ix.sent_at);
                end = end.max(Some(at));
                let outcome = classify(&content);
                if SERVED.contains(&outcome.as_str()) {
                    served.push(at - ix.sent_at);
                }
                *outcomes
                    .entry(format!("{}: {outcome}", kind.label()))
                    .or_insert(0) += 1;
            }
            None => unanswered += 1,
        }
    }
    Burst {
        nexudus_delay: None,
        first: Percentiles::of(&firsts),
        last: Percentiles::of(&lasts),
        served: Percentiles::of(&served),
        served_count: served.len(),
        late,
        unanswered,
        outcomes,
        per_kind: by_kind
            .into_iter()
            .map(|(k, (f, l))| (k, (Percentiles::of(&f), Percentiles::of(&l))))
            .collect(),
        violations: discord.violations(),
        place_edits: sent
            .iter()
            .map(|(_, ix)| ix.edits().len().saturating_sub(1))
            .sum(),
        discord_429s: discord
            .requests()
            .iter()
            .filter(|request| request.status == 429)
            .count(),
        nexudus: None,
        idle_rss: 0,
        peak_rss: 0,
        cpu: Duration::ZERO,
        threads: None,
        cpu_to_first: Duration::ZERO,
        span: end.zip(start).map(|(e, s)| e - s).unwrap_or_default(),
    }
}

/// When each interaction's `@original` was last edited (its final reply), by interaction token.
fn original_edit_times(discord: &FakeDiscord) -> HashMap<String, Instant> {
    let mut times = HashMap::new();
    for request in discord.requests() {
        let segments: Vec<&str> = request.path.split('/').collect();
        if let [
            "",
            "api",
            "v10",
            "webhooks",
            _app,
            token,
            "messages",
            "@original",
        ] = segments.as_slice()
            && request.method == "PATCH"
            && request.status < 300
        {
            times.insert((*token).to_owned(), request.at);
        }
    }
    times
}

/// The final replies of a member the bot served ([`classify`]'s words).
const SERVED: [&str; 3] = [
    "DM sent",
    "link in reply (DMs closed)",
    "reset email requested",
];

/// What a final reply tells the member, in a word (from the bot's own wording).
fn classify(content: &Value) -> String {
    let text = content.as_str().unwrap_or_default();
    let prefix = |full: String, cut: &str| full.split(cut).next().unwrap_or_default().to_owned();
    let messages = Messages::default();
    let rate_limited = prefix(messages.rate_limited(std::time::UNIX_EPOCH), "<t:");
    let reset_sent = prefix(messages.reset_sent("\u{0}"), "\u{0}");
    let account = prefix(messages.account("\u{0}", 0), "\u{0}");
    let label = if text == messages.login_check_dms() {
        "DM sent"
    } else if text.starts_with(&messages.login_dms_closed()) {
        "link in reply (DMs closed)"
    } else if text == messages.login_dm_failed() {
        "DM failed"
    } else if text == messages.nexudus_unavailable() {
        "try again later"
    } else if text.starts_with(&prefix(messages.queue_full(std::time::UNIX_EPOCH), "<t:")) {
        "queue full, told when to come back"
    } else if text == messages.queue_restarting() {
        "restarting"
    } else if text.contains(" in line, about ") || text.contains("next in line") {
        "still in line (no final reply)"
    } else if text == messages.already_running() {
        "already on its way"
    } else if text.starts_with(&rate_limited) {
        "rate limited"
    } else if text.starts_with(&reset_sent) {
        "reset email requested"
    } else if text.starts_with(&account) {
        "account shown"
    } else {
        return format!("other: {}", text.chars().take(60).collect::<String>());
    };
    label.to_owned()
}

// ---------------------------------------------------------------- memory

/// What the memory part measured.
struct Memory {
    variant: Variant,
    members: usize,
    /// `RATE_LIMIT_RESET` during the run.
    reset_limit: String,
    outstanding: usize,
    /// RSS and threads.
    idle: (u64, u64),
    peak_rss: u64,
    after_load: (u64, u64),
    after_sweep: (u64, u64),
    /// Keys the sweeper evicted during the load, and after it (from its debug log lines).
    evicted: (u64, u64),
    took: Duration,
    finished: u64,
    /// The bot's CPU time (user + system) during the load.
    cpu: Duration,
}

/// Sums the `evicted=N` of these sweep log lines.
fn evicted(lines: &[String]) -> u64 {
    lines
        .iter()
        .filter_map(|line| {
            let value = line.split("evicted=").nth(1)?;
            value
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// Sums `nexudus_bot_interactions_total` over its labels: requests finished so far.
async fn finished_requests(client: &reqwest::Client, ops_port: u16) -> u64 {
    let Ok(response) = client
        .get(format!("http://127.0.0.1:{ops_port}/metrics"))
        .send()
        .await
    else {
        return 0;
    };
    let text = response.text().await.unwrap_or_default();
    text.lines()
        .filter(|l| l.starts_with("nexudus_bot_interactions_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

async fn memory_run(settings: &Settings, variant: &Variant) -> Memory {
    const SWEEP_LINE: &str = "rate-limit sweep";
    // Nexudus answers at once, so every try counts (a failed one is given back).
    let nexudus = FakeNexudus::start(Duration::ZERO).await;
    let nexudus = &nexudus;
    let label = variant.label();
    let period = memory_reset_period(settings.memory_members);
    let reset_limit = format!("3/{}m", period.as_secs() / 60);
    let max_rps = MEMORY_MAX_RPS.to_string();
    let discord = FakeDiscord::start(fake_discord_options()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let ops_port = free_port();
    let mut env = bot_env(&discord, nexudus, dir.path(), ops_port);
    env.extend(
        [
            ("NEXUDUS_MAX_CONCURRENCY", "64"),
            ("NEXUDUS_MAX_RPS", max_rps.as_str()),
            // The load sends far more than Nexudus' real hourly ceiling allows;
            // the part measures memory, not that ceiling.
            ("NEXUDUS_MAX_PER_HOUR", "200000"),
            ("NEXUDUS_TIMEOUT_SECS", "10"),
            ("RATE_LIMIT_RESET", reset_limit.as_str()),
            ("RUST_LOG", "info,nexudus_bot::ratelimit=debug"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    match &variant.tunables {
        Some(tunables) => env.insert("GLIBC_TUNABLES".to_owned(), tunables.clone()),
        None => env.remove("GLIBC_TUNABLES"),
    };
    let exe = Path::new(env!("CARGO_BIN_EXE_nexudus-bot"));
    let mut bot = Proc::spawn(exe, &["run"], &env, dir.path(), &[SWEEP_LINE]);
    wait_ready(&mut bot, &discord, ops_port).await;
    settle().await;
    let (idle_rss, idle_threads) = (bot.rss(), bot.threads());
    println!(
        "memory, {label}: bot pid {}, idle RSS {} ({})",
        bot.pid(),
        mib(idle_rss),
        bot.rss_by_mapping()
    );
    let cpu_before = bot.cpu();

    let client = reqwest::Client::new();
    let started = Instant::now();
    let total = settings.memory_members as u64;
    let mut finished = 0;
    for i in 0..total {
        while i.saturating_sub(finished) >= settings.memory_outstanding as u64 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            finished = finished_requests(&client, ops_port).await;
        }
        let email = format!("x{i}@example.com");
        reset_with_email(&discord, MEMORY_MEMBERS + i, &email).await;
        if i % 10_000 == 9_999 {
            bot.assert_running("during the memory load");
            println!(
                "memory, {label}: {} sent in {:.0?}, RSS {}",
                i + 1,
                started.elapsed(),
                mib(bot.rss())
            );
        }
    }
    // Wait for the stragglers. A request whose defer came too late never
    // finishes (the bot gives up without an audit row): stop after 10 s
    // without progress.
    let mut progressed = Instant::now();
    while finished < total && progressed.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = finished_requests(&client, ops_port).await;
        if now > finished {
            progressed = Instant::now();
        }
        finished = now;
    }
    let took = started.elapsed();
    let cpu = bot.cpu() - cpu_before;
    let after_load = (bot.rss(), bot.threads());
    let peak_rss = bot.peak_rss();
    let sweeps_during_load = bot.seen(SWEEP_LINE);
    let evicted_during_load = evicted(&bot.lines_seen(SWEEP_LINE));
    println!(
        "memory, {label}: load done in {took:.0?}, RSS {} ({}); waiting {period:?} for every key to go idle, then a sweep",
        mib(after_load.0),
        bot.rss_by_mapping()
    );
    // Every key is idle one period after its only hit, all of which came
    // before now; the next sweep evicts them.
    tokio::time::sleep(period).await;
    let sweeps_idle = bot.seen(SWEEP_LINE);
    let deadline = Instant::now() + Duration::from_secs(75);
    while bot.seen(SWEEP_LINE) == sweeps_idle && Instant::now() < deadline {
        bot.assert_running("waiting for the sweep");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after_sweep = (bot.rss(), bot.threads());
    println!(
        "memory, {label}: after the sweep RSS {} ({})",
        mib(after_sweep.0),
        bot.rss_by_mapping()
    );
    let lines = bot.lines_seen(SWEEP_LINE);
    let evicted_after_load = evicted(&lines[sweeps_during_load.min(lines.len())..]);
    if let Ok(hold) = std::env::var("BURST_HOLD_SECS") {
        let hold = Duration::from_secs(hold.parse().unwrap_or(0));
        println!(
            "memory, {label}: holding the bot (pid {}) for {hold:?}",
            bot.pid()
        );
        tokio::time::sleep(hold).await;
    }
    bot.stop();
    Memory {
        variant: variant.clone(),
        members: settings.memory_members,
        reset_limit,
        outstanding: settings.memory_outstanding,
        idle: (idle_rss, idle_threads),
        peak_rss,
        after_load,
        after_sweep,
        evicted: (evicted_during_load, evicted_after_load),
        took,
        finished,
        cpu,
    }
}

// ---------------------------------------------------------------- soak

/// Interactions per second of the soak.
const SOAK_RATE: u64 = 10;
/// Linked members logging in during the soak, and distinct inboxes reset.
const SOAK_LINKED: u64 = 500;
const SOAK_INBOXES: u64 = 2_000;
/// Member ids of the soak's `/reset-password`s: a new member for every one.
const SOAK_MEMBERS: u64 = 550_000_000_000_000_000;
/// The soak's longest limit period: by then its maps hold as many keys as
/// they ever will, so the slope is taken from there.
const SOAK_WARM_UP_MINUTES: f64 = 5.0;

/// What the soak measured: RSS once a minute.
struct Soak {
    /// Minutes since the load started, and RSS.
    samples: Vec<(f64, u64)>,
    sent: u64,
    finished: u64,
    took: Duration,
    /// Limits during the soak (short, so keys come and go many times).
    limits: String,
}

impl Soak {
    /// Least-squares slope of RSS over time from minute `from`, in MiB per hour.
    fn slope(&self, from: f64) -> f64 {
        let samples: Vec<&(f64, u64)> = self.samples.iter().filter(|(t, _)| *t >= from).collect();
        let n = samples.len() as f64;
        if n < 2.0 {
            return 0.0;
        }
        let mean_t = samples.iter().map(|(t, _)| t).sum::<f64>() / n;
        let mean_r = samples.iter().map(|(_, r)| *r as f64).sum::<f64>() / n;
        let (mut num, mut den) = (0.0, 0.0);
        for (t, r) in samples {
            num += (t - mean_t) * (*r as f64 - mean_r);
            den += (t - mean_t).powi(2);
        }
        num / den * 60.0 / (1024.0 * 1024.0)
    }

    fn markdown(&self, line: &mut impl FnMut(String)) {
        let rss = |r: u64| format!("{:.1}", r as f64 / (1024.0 * 1024.0));
        let first = self.samples.first().map_or(0, |s| s.1);
        let last = self.samples.last().map_or(0, |s| s.1);
        let max = self.samples.iter().map(|s| s.1).max().unwrap_or(0);
        line(format!(
            "Soak: {SOAK_RATE} interactions a second for {:.0?} ({} sent, {} finished): \
             60 % `/login` by {SOAK_LINKED} linked members, 20 % `/reset-password` each by a new \
             member for one of {SOAK_INBOXES} inboxes, 20 % `/account`; {}; Nexudus answering at once. \
             RSS sampled every minute from minute 1 (MiB): {}.",
            self.took,
            self.sent,
            self.finished,
            self.limits,
            self.samples
                .iter()
                .map(|(_, r)| rss(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        line(String::new());
        line(format!(
            "| ran | RSS first sample → last (highest) | slope, least squares, from minute \
             {SOAK_WARM_UP_MINUTES} (goal ≤ 0.5 MiB/h) | slope from minute 1 |"
        ));
        line("|---|---|---|---|".to_owned());
        line(format!(
            "| {:.0} min | {} → {} MiB ({} MiB) | **{:+.2} MiB/h** | {:+.2} MiB/h |",
            self.took.as_secs_f64() / 60.0,
            rss(first),
            rss(last),
            rss(max),
            self.slope(SOAK_WARM_UP_MINUTES),
            self.slope(0.0)
        ));
    }
}

/// A steady mixed load for `length`, against a bot of its own, sampling RSS
/// every minute (the first minute is warm-up, not sampled).
async fn soak_run(length: Duration) -> Soak {
    let nexudus = FakeNexudus::start(Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let linked = Mix {
        logins: SOAK_LINKED as usize,
        resets: 0,
        accounts: 0,
        limited_members: 0,
        limited_repeats: 0,
    };
    seed_links(&database_file(dir.path()), &linked).await;
    let discord = FakeDiscord::start(fake_discord_options()).await;
    let ops_port = free_port();
    let mut env = bot_env(&discord, &nexudus, dir.path(), ops_port);
    // Short periods, so that keys come and go (and are swept) many times over.
    let limits = [
        ("RATE_LIMIT_LOGIN", "3/2m"),
        ("RATE_LIMIT_RESET", "3/5m"),
        ("NEXUDUS_MAX_RPS", "20"),
        ("NEXUDUS_MAX_PER_HOUR", "200000"),
    ];
    env.extend(limits.map(|(k, v)| (k.to_owned(), v.to_owned())));
    let limits = limits
        .iter()
        .map(|(k, v)| format!("`{k}={v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let exe = Path::new(env!("CARGO_BIN_EXE_nexudus-bot"));
    let mut bot = Proc::spawn(exe, &["run"], &env, dir.path(), &[]);
    wait_ready(&mut bot, &discord, ops_port).await;
    settle().await;
    println!(
        "soak: bot pid {}, idle RSS {}, running {length:?}",
        bot.pid(),
        mib(bot.rss())
    );
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(1000 / SOAK_RATE));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut samples = Vec::new();
    let mut next_sample = Duration::from_secs(60);
    let mut sent = 0u64;
    while started.elapsed() < length {
        ticks.tick().await;
        // Replies are not awaited: the fake records them; only RSS matters here.
        let _ = match sent % 10 {
            0..=5 => send(&discord, Kind::Login, LOGIN_MEMBERS + sent % SOAK_LINKED).await,
            6 | 7 => {
                let email = format!("soak{}@example.com", sent % SOAK_INBOXES);
                reset_with_email(&discord, SOAK_MEMBERS + sent, &email).await
            }
            _ => {
                send(
                    &discord,
                    Kind::Account,
                    LOGIN_MEMBERS + (sent * 7) % SOAK_LINKED,
                )
                .await
            }
        };
        sent += 1;
        if started.elapsed() >= next_sample {
            bot.assert_running("during the soak");
            let rss = bot.rss();
            samples.push((started.elapsed().as_secs_f64() / 60.0, rss));
            println!(
                "soak: {:.0?}, {sent} sent, RSS {}",
                started.elapsed(),
                mib(rss)
            );
            next_sample += Duration::from_secs(60);
        }
    }
    let took = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let finished = finished_requests(&client, ops_port).await;
    bot.stop();
    Soak {
        samples,
        sent,
        finished,
        took,
        limits,
    }
}

// ---------------------------------------------------------------- report

/// The floor and the bot's bursts (one per Nexudus delay), measured back to back.
struct Round {
    floor: Burst,
    bursts: Vec<Burst>,
}

impl Round {
    /// Each burst's first-callback p99 ÷ the floor's.
    fn ratios(&self) -> Vec<f64> {
        let floor = self.floor.first.p99.as_secs_f64();
        self.bursts
            .iter()
            .map(|b| b.first.p99.as_secs_f64() / floor)
            .collect()
    }
}

struct Report {
    date: String,
    machine: String,
    load: (f64, f64),
    took: Duration,
    mix: Mix,
    rounds: Vec<Round>,
    reconcile: Option<reconcile::Reconcile>,
    memory: Vec<Memory>,
    soak: Option<Soak>,
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// A Nexudus figure of a burst, or a dash for the floor.
fn nexudus_cell(burst: &Burst, figure: impl Fn(&NexudusFigures) -> String) -> String {
    burst.nexudus.as_ref().map_or("–".to_owned(), figure)
}

fn today() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown date".to_owned())
}

impl Report {
    fn markdown(&self) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(format!(
            "Measured {} on {}; 1-minute load average {:.2} before, {:.2} after; whole run {:.0?}.",
            self.date, self.machine, self.load.0, self.load.1, self.took
        ));
        line("Reproduce: `cargo bench --bench burst`.".to_owned());
        if let Some((key, value)) = container_allocator_env() {
            line(format!(
                "The bot ran with the container's `{key}={value}` (Dockerfile)."
            ));
        }
        let overrides: Vec<String> = bot_env_overrides()
            .map(|(k, v)| format!("`{k}={v}`"))
            .collect();
        if !overrides.is_empty() {
            line(format!(
                "**Experiment**: the bot ran with {}.",
                overrides.join(", ")
            ));
        }
        if !self.rounds.is_empty() {
            self.bursts_markdown(&mut line);
        }
        if let Some(reconcile) = &self.reconcile {
            line(String::new());
            reconcile.markdown(&mut line);
        }
        if let Some(m) = self.memory.first() {
            line(String::new());
            line(format!(
                "Memory: {} `/reset-password email:x{{i}}@example.com` from {} distinct members \
                 (two limiter keys each), at most {} outstanding; \
                 `RATE_LIMIT_RESET={}` (longer than the load, so every key is still tracked \
                 at its end), Nexudus answering at once, `NEXUDUS_MAX_CONCURRENCY=64`, \
                 `NEXUDUS_MAX_RPS={MEMORY_MAX_RPS}` (the most the bot accepts: it paces the load). \
                 One bot per allocator environment, all under the same load at the same time.",
                m.members, m.members, m.outstanding, m.reset_limit
            ));
            line(String::new());
            line("| allocator environment | idle RSS (threads) | peak RSS (VmHWM) | RSS after the load (threads) | RSS after the sweep (threads) | after sweep ÷ idle (goal ≤ 1.25) | keys evicted during the load; after it | load: time (finished); bot CPU |".to_owned());
            line("|---|---|---|---|---|---|---|---|".to_owned());
            for m in &self.memory {
                let ratio = m.after_sweep.0 as f64 / m.idle.0 as f64;
                line(format!(
                    "| {} | {} ({}) | **{}** | {} ({}) | {} ({}) | **{:.2}** | {}; {} | {:.0?} ({}); {:.1} s |",
                    m.variant.label(),
                    mib(m.idle.0),
                    m.idle.1,
                    mib(m.peak_rss),
                    mib(m.after_load.0),
                    m.after_load.1,
                    mib(m.after_sweep.0),
                    m.after_sweep.1,
                    ratio,
                    m.evicted.0,
                    m.evicted.1,
                    m.took,
                    m.finished,
                    m.cpu.as_secs_f64(),
                ));
            }
        }
        if let Some(soak) = &self.soak {
            line(String::new());
            soak.markdown(&mut line);
        }
        out
    }

    fn bursts_markdown(&self, line: &mut impl FnMut(String)) {
        let mix = &self.mix;
        line(String::new());
        line(format!(
            "Burst: {} interactions sent at once through the fake gateway: {} `/login` by linked members, \
             {} `/reset-password email:…`, {} `/account`, {} `/login` by {} members who already used \
             `RATE_LIMIT_LOGIN` (3/10m). `NEXUDUS_MAX_CONCURRENCY={MAX_CONCURRENCY}`, \
             `NEXUDUS_MAX_RPS={MAX_RPS}`, `NEXUDUS_TIMEOUT_SECS=10`, `RUST_LOG=info`. \
             Times are dispatch → callback as the fake Discord received it, p50 / p99 / max.",
            mix.total(),
            mix.logins,
            mix.resets,
            mix.accounts,
            mix.limited(),
            mix.limited_members
        ));
        // The detailed rows show the round whose first ratio (Nexudus at
        // 0 ms) is the median one; the ratio row shows every round.
        let ratios: Vec<Vec<f64>> = self.rounds.iter().map(Round::ratios).collect();
        let first_ratios: Vec<f64> = ratios.iter().map(|r| r[0]).collect();
        let shown = first_ratios
            .iter()
            .position(|&r| r == median(&first_ratios))
            .unwrap_or(0);
        let Round { floor, bursts } = &self.rounds[shown];
        line(format!(
            "{} rounds, each the floor then the bot at each Nexudus delay, back to back. \
             The ratio row gives every round's ratio and their median; the other rows \
             are round {} (the median round at 0 ms).",
            self.rounds.len(),
            shown + 1
        ));
        line(String::new());
        let mut header = "| | floor bot (defer only) |".to_owned();
        let mut rule = "|---|---|".to_owned();
        for burst in bursts {
            header.push_str(&format!(
                " nexudus-bot, Nexudus answers in {} |",
                ms(burst.nexudus_delay.unwrap_or_default())
            ));
            rule.push_str("---|");
        }
        line(header);
        line(rule);
        let row = |name: &str, floor: String, each: &dyn Fn(&Burst) -> String| {
            let mut s = format!("| {name} | {floor} |");
            for burst in bursts {
                s.push_str(&format!(" {} |", each(burst)));
            }
            s
        };
        line(row(
            "first callback p50 / p99 / max",
            floor.first.to_string(),
            &|b| b.first.to_string(),
        ));
        let mut ratio_row =
            "| first-callback p99 ÷ floor p99, each round; median (goal ≤ 1.5) | 1.00 |".to_owned();
        for column in 0..bursts.len() {
            let each: Vec<f64> = ratios.iter().map(|r| r[column]).collect();
            let listed: Vec<String> = each.iter().map(|r| format!("{r:.2}")).collect();
            ratio_row.push_str(&format!(
                " {}; **{:.2}** |",
                listed.join(", "),
                median(&each)
            ));
        }
        line(ratio_row);
        line(row(
            "first callbacks after 3 s or refused",
            floor.late.to_string(),
            &|b| b.late.to_string(),
        ));
        line(row("final reply p50 / p99 / max", "–".to_owned(), &|b| {
            b.last.to_string()
        }));
        line(row(
            "members served (login DM or reset email): how many; wait p50 / p99 / max",
            "–".to_owned(),
            &|b| format!("{}; {}", b.served_count, b.served),
        ));
        line(row(
            "first dispatch → last answer",
            ms(floor.span),
            &|b| ms(b.span),
        ));
        line(row(
            "place-in-line edits / Discord 429s",
            "–".to_owned(),
            &|b| format!("{} / {}", b.place_edits, b.discord_429s),
        ));
        line(row(
            "members without a final reply",
            "–".to_owned(),
            &|b| b.unanswered.to_string(),
        ));
        line(row("final replies", "–".to_owned(), &|b| {
            b.outcomes
                .iter()
                .map(|(k, n)| format!("{k} × {n}"))
                .collect::<Vec<_>>()
                .join("; ")
        }));
        for kind in [Kind::Login, Kind::Reset, Kind::Account, Kind::LimitedLogin] {
            line(row(
                &format!("{}: first / final p99", kind.label()),
                floor
                    .per_kind
                    .get(&kind)
                    .map_or("–".to_owned(), |(f, _)| ms(f.p99)),
                &|b| {
                    b.per_kind.get(&kind).map_or("–".to_owned(), |(f, l)| {
                        format!("{} / {}", ms(f.p99), ms(l.p99))
                    })
                },
            ));
        }
        line(row(
            "Nexudus requests during the burst",
            "–".to_owned(),
            &|b| {
                nexudus_cell(b, |n| {
                    if n.unexpected > 0 {
                        format!("{} ({} unexpected)", n.requests, n.unexpected)
                    } else {
                        n.requests.to_string()
                    }
                })
            },
        ));
        // Limits must hold in every round, not only in the one shown.
        let this_and_worst = |name: String, figure: fn(&NexudusFigures) -> usize| {
            let mut s = format!("| {name} | – |");
            for (column, burst) in bursts.iter().enumerate() {
                let worst = self
                    .rounds
                    .iter()
                    .filter_map(|round| round.bursts[column].nexudus.as_ref())
                    .map(figure)
                    .max();
                match (burst.nexudus.as_ref(), worst) {
                    (Some(n), Some(worst)) => s.push_str(&format!(" {}; {worst} |", figure(n))),
                    _ => s.push_str(" – |"),
                }
            }
            s
        };
        line(this_and_worst(
            format!("Nexudus peak in flight, this round; worst round (limit {MAX_CONCURRENCY})"),
            |n| n.peak_in_flight,
        ));
        line(this_and_worst(
            format!(
                "Nexudus most requests in any 1 s, this round; worst round (limit {MAX_RPS}/s)"
            ),
            |n| n.max_per_second,
        ));
        line(row(
            "Nexudus most requests in any 10 s; sustained rate",
            "–".to_owned(),
            &|b| nexudus_cell(b, |n| format!("{}; {:.2}/s", n.max_per_10s, n.sustained)),
        ));
        line(row(
            "RSS idle (after READY) → peak (VmHWM)",
            format!("{} → {}", mib(floor.idle_rss), mib(floor.peak_rss)),
            &|b| format!("{} → {}", mib(b.idle_rss), mib(b.peak_rss)),
        ));
        line(row(
            "CPU time (user + system) until the last first callback; until the last final reply",
            format!("{:.2} s", floor.cpu.as_secs_f64()),
            &|b| {
                format!(
                    "{:.2} s; {:.2} s",
                    b.cpu_to_first.as_secs_f64(),
                    b.cpu.as_secs_f64()
                )
            },
        ));
        line(row(
            "bot threads before → most until the last first callback → most until the last final reply",
            "–".to_owned(),
            &|b| {
                b.threads.map_or("–".to_owned(), |(idle, first, last)| {
                    format!("{idle} → {first} → {last}")
                })
            },
        ));
        line(row(
            "Discord rule violations seen by the fake",
            floor.violations.len().to_string(),
            &|b| b.violations.len().to_string(),
        ));
    }
}
