//! Configuration: the environment (after `.env`) turned into a validated [`Config`].
//!
//! Every environment variable is read here and nowhere else; the types they
//! become live with the code that uses them ([`PortalPages`], [`Limit`]).
//! Parsing collects *every* problem before failing, so an operator fixes a bad
//! `.env` in one go, and no message ever echoes a secret's value.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::num::{NonZeroU32, NonZeroUsize};
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serenity::model::id::{GuildId, RoleId};
use url::Url;

use crate::i18n::Locale;
use crate::pages::PortalPages;
use crate::ratelimit::{Limit, RateLimitSettings};
use crate::roles::settings::{DEFAULT_SYNC_INTERVAL, PlanRoles, RoleSettings, parse_sync_interval};

/// The whole, validated configuration of the bot.
#[derive(Debug, Clone)]
pub struct Config {
    pub discord: DiscordSettings,
    pub nexudus: NexudusSettings,
    pub limits: RateLimitSettings,
    /// Membership roles; off unless a role is named.
    pub roles: RoleSettings,
    /// SQLite file holding links, settings and the audit log.
    pub database_path: DatabasePath,
    /// How long audit rows are kept (`AUDIT_RETENTION_DAYS`); older ones are swept daily.
    pub audit_retention: Duration,
    /// Where the health/metrics server listens; `None` when disabled.
    pub ops_addr: Option<SocketAddr>,
    pub log_format: LogFormat,
    /// The `RUST_LOG` filter, already checked to parse.
    pub log_filter: String,
}

/// Everything needed to talk to Discord.
#[derive(Debug, Clone)]
pub struct DiscordSettings {
    pub token: SecretString,
    /// Guilds the commands are registered in and accepted from; empty means global.
    pub guild_ids: Vec<GuildId>,
    /// Roles whose holders may use `/admin` besides Manage Server.
    pub manager_role_ids: Vec<RoleId>,
    /// Origin replacing `https://discord.com` (a rate-limiting proxy or a test double).
    pub api_base: Option<Url>,
    /// `BOT_LOCALE`: the language of the panel and audit posts; else the server's.
    pub bot_locale: Option<Locale>,
}

/// Everything needed to talk to Nexudus.
#[derive(Debug, Clone)]
pub struct NexudusSettings {
    /// REST base, e.g. `https://spaces.nexudus.com/api` (never ends with `/`).
    pub api_url: Url,
    /// The space's portal origin, e.g. `https://yourspace.spaces.nexudus.com`.
    pub portal_url: Url,
    /// Portal language segment, e.g. `en`.
    pub language: String,
    /// Email of the Nexudus REST user.
    pub api_username: String,
    pub api_password: SecretString,
    /// The `/login` page choices, in order.
    pub portal_pages: PortalPages,
    /// Budget for one Nexudus operation once its turn came: the calls and their retry.
    pub timeout: Duration,
    /// How long a member's request may wait in line for its turn (`NEXUDUS_QUEUE_SECS`).
    pub queue: Duration,
    pub max_concurrency: NonZeroUsize,
    pub max_rps: NonZeroU32,
    /// Nexudus calls in any rolling hour at most (`NEXUDUS_MAX_PER_HOUR`).
    pub max_per_hour: NonZeroU32,
}

/// Log output style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Where the SQLite database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabasePath {
    File(PathBuf),
    /// `sqlite::memory:`, for tests and dry runs.
    Memory,
}

/// Start-up failed because the configuration is wrong; lists every problem.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n{}", .problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
pub struct ConfigError {
    /// One line per problem, never containing a secret's value.
    pub problems: Vec<String>,
}

/// Default `/login` page choices.
pub const DEFAULT_PORTAL_PAGES: &str = "Home=/,Bookings=/{lang}/bookings,Invoices=/{lang}/invoices,Profile=/{lang}/profile,Events=/{lang}/events";
/// Default Nexudus REST base.
pub const DEFAULT_API_URL: &str = "https://spaces.nexudus.com/api";
/// Default SQLite location.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/nexudus-bot.db";
/// Default ops server address.
pub const DEFAULT_OPS_ADDR: &str = "0.0.0.0:8080";

impl Config {
    /// Reads the process environment (call `dotenvy` first to merge `.env`).
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads a map of variables; what tests use.
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    /// Reads configuration through `lookup`, collecting every problem.
    ///
    /// Each section reads its own variables and returns `None` when one of them
    /// is wrong; all of them push into the same list, so a bad `.env` is
    /// reported whole.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut env = Reader {
            lookup: &lookup,
            problems: Vec::new(),
        };
        let discord = read_discord(&mut env);
        let nexudus = read_nexudus(&mut env);
        let limits = read_limits(&mut env);
        let runtime = read_runtime(&mut env);
        let roles = read_roles(&mut env);
        if let (Some(roles), Some(discord)) = (&roles, &discord)
            && roles.enabled()
            && discord.guild_ids.is_empty()
        {
            env.problem(
                "MEMBER_ROLE_ID and PLAN_ROLES need DISCORD_GUILD_IDS: the server whose roles they are",
            );
        }
        if let Some(roles) = &roles
            && roles.webhook_secret.is_some()
            && !roles.enabled()
        {
            env.problem("NEXUDUS_WEBHOOK_SECRET is set but no role is managed: set MEMBER_ROLE_ID or PLAN_ROLES (the webhook only re-syncs roles)");
        }
        if let (Some(roles), Some(runtime)) = (&roles, &runtime)
            && roles.webhook_secret.is_some()
            && runtime.ops_addr.is_none()
        {
            env.problem("NEXUDUS_WEBHOOK_SECRET is set but OPS_ADDR is empty: the webhook is served on the ops server");
        }
        match (discord, nexudus, limits, runtime, roles) {
            (Some(discord), Some(nexudus), Some(limits), Some(runtime), Some(roles))
                if env.problems.is_empty() =>
            {
                Ok(Config {
                    discord,
                    nexudus,
                    limits,
                    roles,
                    database_path: runtime.database_path,
                    audit_retention: runtime.audit_retention,
                    ops_addr: runtime.ops_addr,
                    log_format: runtime.log_format,
                    log_filter: runtime.log_filter,
                })
            }
            _ => Err(ConfigError {
                problems: env.problems,
            }),
        }
    }
}

/// `DISCORD_*` and `MANAGER_ROLE_IDS`.
fn read_discord(env: &mut Reader<'_>) -> Option<DiscordSettings> {
    let token = env.secret("DISCORD_TOKEN").and_then(|token| {
        let raw = token.expose_secret();
        let looks_right = raw.split('.').count() == 3 && !raw.chars().any(char::is_whitespace);
        if !looks_right {
            env.problem("DISCORD_TOKEN does not look like a bot token (three parts separated by dots); copy it again from the Developer Portal's Bot page");
        }
        looks_right.then_some(token)
    });
    let guild_ids = env
        .id_list("DISCORD_GUILD_IDS")
        .map(|ids| ids.into_iter().map(GuildId::new).collect());
    let manager_role_ids = env
        .id_list("MANAGER_ROLE_IDS")
        .map(|ids| ids.into_iter().map(RoleId::new).collect());
    let api_base = match env.optional("DISCORD_API_BASE") {
        None => Some(None),
        Some(raw) => env.origin("DISCORD_API_BASE", &raw).map(Some),
    };
    let bot_locale = match env.optional("BOT_LOCALE") {
        None => Some(None),
        Some(raw) => match raw.parse::<Locale>() {
            Ok(locale) => Some(Some(locale)),
            Err(err) => {
                env.problem(format!("BOT_LOCALE=`{raw}`: {err}"));
                None
            }
        },
    };
    Some(DiscordSettings {
        token: token?,
        guild_ids: guild_ids?,
        manager_role_ids: manager_role_ids?,
        api_base: api_base?,
        bot_locale: bot_locale?,
    })
}

/// `NEXUDUS_*`.
fn read_nexudus(env: &mut Reader<'_>) -> Option<NexudusSettings> {
    let portal_url = env
        .required("NEXUDUS_PORTAL_URL")
        .and_then(|raw| env.origin("NEXUDUS_PORTAL_URL", &raw));
    let api_username = env.required("NEXUDUS_API_USERNAME").and_then(|user| {
        let ok = user.contains('@') && !user.chars().any(char::is_whitespace);
        if !ok {
            env.problem("NEXUDUS_API_USERNAME must be the email address of the Nexudus REST user");
        }
        ok.then_some(user)
    });
    let api_password = env.secret("NEXUDUS_API_PASSWORD");
    let api_url = env.parse_or("NEXUDUS_API_URL", DEFAULT_API_URL, |raw| {
        let url = Url::parse(raw).map_err(|_| "is not a URL".to_owned())?;
        if !matches!(url.scheme(), "http" | "https")
            || url.query().is_some()
            || url.fragment().is_some()
        {
            return Err("must be an http(s) URL without query or fragment".to_owned());
        }
        Ok(url)
    });
    let language = env.parse_or("NEXUDUS_LANGUAGE", "en", |raw| {
        let ok = (2..=10).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && raw.starts_with(|c: char| c.is_ascii_alphabetic());
        if ok {
            Ok(raw.to_owned())
        } else {
            Err("must be a language code such as en or pt-BR".to_owned())
        }
    });
    let pages_spec = env
        .optional("NEXUDUS_PORTAL_PAGES")
        .unwrap_or_else(|| DEFAULT_PORTAL_PAGES.to_owned());
    // Without a valid language the pages cannot be read; that problem is already listed.
    let portal_pages =
        language
            .as_ref()
            .and_then(|lang| match PortalPages::parse(&pages_spec, lang) {
                Ok(pages) => Some(pages),
                Err(why) => {
                    env.problem(format!("NEXUDUS_PORTAL_PAGES: {why}"));
                    None
                }
            });
    let timeout = env
        .number_or("NEXUDUS_TIMEOUT_SECS", 10, 1..=300)
        .map(Duration::from_secs);
    let queue = env
        .number_or("NEXUDUS_QUEUE_SECS", 120, 1..=600)
        .map(Duration::from_secs);
    let max_concurrency = env
        .number_or("NEXUDUS_MAX_CONCURRENCY", 4, 1..=64)
        .and_then(|n| NonZeroUsize::new(n as usize));
    let max_rps = env
        .number_or("NEXUDUS_MAX_RPS", 2, 1..=100)
        .and_then(|n| NonZeroU32::new(n as u32));
    let max_per_hour = env
        .number_or("NEXUDUS_MAX_PER_HOUR", 4500, 1..=200_000)
        .and_then(|n| NonZeroU32::new(n as u32));
    Some(NexudusSettings {
        api_url: api_url?,
        portal_url: portal_url?,
        language: language?,
        api_username: api_username?,
        api_password: api_password?,
        portal_pages: portal_pages?,
        timeout: timeout?,
        queue: queue?,
        max_concurrency: max_concurrency?,
        max_rps: max_rps?,
        max_per_hour: max_per_hour?,
    })
}

/// `RATE_LIMIT_*`.
fn read_limits(env: &mut Reader<'_>) -> Option<RateLimitSettings> {
    let login = env.parse_or("RATE_LIMIT_LOGIN", "3/10m", |raw| raw.parse::<Limit>());
    let reset = env.parse_or("RATE_LIMIT_RESET", "3/1h", |raw| raw.parse::<Limit>());
    let link = env.parse_or("RATE_LIMIT_LINK", "5/1h", |raw| raw.parse::<Limit>());
    Some(RateLimitSettings {
        login: login?,
        reset: reset?,
        link: link?,
    })
}

/// `MEMBER_ROLE_ID`, `PLAN_ROLES`, `ROLE_SYNC_INTERVAL` and `NEXUDUS_WEBHOOK_SECRET`.
fn read_roles(env: &mut Reader<'_>) -> Option<RoleSettings> {
    let member_role = match env.optional("MEMBER_ROLE_ID") {
        None => Some(None),
        Some(raw) => match raw.parse::<u64>() {
            Ok(id) if id > 0 => Some(Some(id)),
            _ => {
                env.problem(format!(
                    "MEMBER_ROLE_ID=`{raw}` is not a Discord role id (Server Settings ▸ Roles ▸ Copy Role ID)"
                ));
                None
            }
        },
    };
    let plan_roles = env.parse_or("PLAN_ROLES", "", PlanRoles::parse);
    let sync_interval = env.parse_or(
        "ROLE_SYNC_INTERVAL",
        DEFAULT_SYNC_INTERVAL,
        parse_sync_interval,
    );
    let webhook_secret = env
        .optional("NEXUDUS_WEBHOOK_SECRET")
        .map(SecretString::from);
    Some(RoleSettings {
        member_role: member_role?,
        plan_roles: plan_roles?,
        sync_interval: sync_interval?,
        webhook_secret,
    })
}

/// Storage, the ops server and logging.
struct Runtime {
    database_path: DatabasePath,
    audit_retention: Duration,
    ops_addr: Option<SocketAddr>,
    log_format: LogFormat,
    log_filter: String,
}

/// `DATABASE_URL`, `OPS_ADDR`, `LOG_FORMAT` and `RUST_LOG`.
fn read_runtime(env: &mut Reader<'_>) -> Option<Runtime> {
    let database_path = env.parse_or("DATABASE_URL", DEFAULT_DATABASE_URL, parse_database_url);
    let audit_retention = env
        .number_or("AUDIT_RETENTION_DAYS", 90, 1..=3650)
        .map(|days| Duration::from_secs(days * 86_400));
    // OPS_ADDR set but empty disables the server, so it is read raw here.
    let ops_addr = match (env.lookup)("OPS_ADDR") {
        Some(raw) if raw.trim().is_empty() => Some(None),
        raw => {
            let raw = raw.unwrap_or_else(|| DEFAULT_OPS_ADDR.to_owned());
            match raw.trim().parse::<SocketAddr>() {
                Ok(addr) => Some(Some(addr)),
                Err(_) => {
                    env.problem(format!("OPS_ADDR=`{raw}` is not host:port such as 0.0.0.0:8080 (or empty to disable)"));
                    None
                }
            }
        }
    };
    let log_format = env.parse_or("LOG_FORMAT", "pretty", |raw| {
        match raw.to_ascii_lowercase().as_str() {
            "pretty" => Ok(LogFormat::Pretty),
            "json" => Ok(LogFormat::Json),
            _ => Err("must be pretty or json".to_owned()),
        }
    });
    let log_filter = env.parse_or("RUST_LOG", "info", |raw| {
        tracing_subscriber::EnvFilter::try_new(raw)
            .map(|_| raw.to_owned())
            .map_err(|_| {
                "is not a valid tracing filter (e.g. info or nexudus_bot=debug)".to_owned()
            })
    });
    Some(Runtime {
        database_path: database_path?,
        audit_retention: audit_retention?,
        ops_addr: ops_addr?,
        log_format: log_format?,
        log_filter: log_filter?,
    })
}

/// Turns `sqlite://data/x.db`, `sqlite:x.db`, `sqlite::memory:` or a plain path into a [`DatabasePath`].
fn parse_database_url(raw: &str) -> Result<DatabasePath, String> {
    let rest = raw
        .strip_prefix("sqlite://")
        .or_else(|| raw.strip_prefix("sqlite:"))
        .unwrap_or(raw);
    // Options such as `?mode=rwc` are sqlx habits; the file is always created.
    let rest = rest.split('?').next().unwrap_or(rest);
    match rest {
        ":memory:" => Ok(DatabasePath::Memory),
        "" => Err("names no file (e.g. sqlite://data/nexudus-bot.db)".to_owned()),
        path => Ok(DatabasePath::File(PathBuf::from(path))),
    }
}

/// Reads variables and collects problems instead of stopping at the first.
struct Reader<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<String>,
}

impl Reader<'_> {
    fn problem(&mut self, problem: impl Into<String>) {
        self.problems.push(problem.into());
    }

    /// A set, non-blank value, trimmed.
    fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn required(&mut self, name: &str) -> Option<String> {
        let value = self.optional(name);
        if value.is_none() {
            self.problem(format!("{name} is missing"));
        }
        value
    }

    /// A required secret; only its absence is ever reported.
    fn secret(&mut self, name: &str) -> Option<SecretString> {
        self.required(name).map(SecretString::from)
    }

    /// Parses an optional variable, falling back to `default`; a bad value is named in the problem.
    fn parse_or<T>(
        &mut self,
        name: &str,
        default: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let raw = self.optional(name);
        let value = raw.as_deref().unwrap_or(default);
        match parse(value) {
            Ok(parsed) => Some(parsed),
            Err(why) => {
                self.problem(format!("{name}=`{value}`: {why}"));
                None
            }
        }
    }

    fn number_or(
        &mut self,
        name: &str,
        default: u64,
        range: std::ops::RangeInclusive<u64>,
    ) -> Option<u64> {
        let (low, high) = (*range.start(), *range.end());
        self.parse_or(name, &default.to_string(), |raw| {
            raw.parse::<u64>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| format!("must be a whole number from {low} to {high}"))
        })
    }

    fn id_list(&mut self, name: &str) -> Option<Vec<u64>> {
        let Some(raw) = self.optional(name) else {
            return Some(Vec::new());
        };
        let mut ids = Vec::new();
        let mut bad = Vec::new();
        for item in raw
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            match item.parse::<u64>() {
                Ok(id) if id > 0 => ids.push(id),
                _ => bad.push(format!("`{item}`")),
            }
        }
        if bad.is_empty() {
            Some(ids)
        } else {
            self.problem(format!(
                "{name}: {} not a Discord id (a comma-separated list of numbers; enable Developer Mode and use Copy ID)",
                bad.join(", ")
            ));
            None
        }
    }

    /// An http(s) origin such as `https://host:port`, without a path.
    fn origin(&mut self, name: &str, raw: &str) -> Option<Url> {
        let parsed = Url::parse(raw).ok().filter(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host().is_some()
                && url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none()
                && url.username().is_empty()
                && url.password().is_none()
        });
        if parsed.is_none() {
            // A URL with user:password@ would leak the password into the message.
            let shown = if raw.contains('@') { "(hidden)" } else { raw };
            self.problem(format!(
                "{name}=`{shown}` must be an origin such as https://host (no path)"
            ));
        }
        parsed
    }
}
