//! Configuration: the environment (after `.env`) turned into a validated [`Config`].
//!
//! Every variable of the design's §5 is read here and nowhere else. Parsing
//! collects *every* problem before failing, so an operator fixes a bad `.env`
//! in one go, and no message ever echoes a secret's value.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::num::{NonZeroU32, NonZeroUsize};
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serenity::model::id::{GuildId, RoleId};
use url::Url;

/// The whole, validated configuration of the bot.
#[derive(Debug, Clone)]
pub struct Config {
    pub discord: DiscordSettings,
    pub nexudus: NexudusSettings,
    pub limits: RateLimitSettings,
    /// SQLite file holding links, settings and the audit log.
    pub database_path: DatabasePath,
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
    /// Budget for one whole Nexudus operation: queueing, the call and its retry.
    pub timeout: Duration,
    pub max_concurrency: NonZeroUsize,
    pub max_rps: NonZeroU32,
}

/// The per-member limits of design §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    pub login: Limit,
    pub reset: Limit,
    pub link: Limit,
}

/// At most `count` requests in any window of `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: NonZeroU32,
    pub period: Duration,
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

/// One `/login` page choice: a label members pick and a validated relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalPage {
    label: String,
    path: String,
}

impl PortalPage {
    /// The choice label shown in Discord.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The relative portal path (`{lang}` already replaced).
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// The configured `/login` pages; never empty, at most 25 (Discord's choice limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalPages(Vec<PortalPage>);

impl PortalPages {
    pub fn iter(&self) -> impl Iterator<Item = &PortalPage> {
        self.0.iter()
    }

    /// The page a member gets when they do not pick one: the first configured.
    pub fn default_page(&self) -> &PortalPage {
        &self.0[0]
    }

    /// Finds a page by its exact label, as sent back by a choice option.
    pub fn by_label(&self, label: &str) -> Option<&PortalPage> {
        self.0.iter().find(|p| p.label == label)
    }
}

impl PortalPages {
    /// Parses `label=path,label=path`, replacing `{lang}` in paths with `lang`.
    ///
    /// Every path must be relative to the portal: this is what stops a login
    /// link from ever redirecting a member off the space's portal. All problems
    /// are reported together, joined by `; `.
    pub fn parse(spec: &str, lang: &str) -> Result<PortalPages, String> {
        let mut pages: Vec<PortalPage> = Vec::new();
        let mut problems = Vec::new();
        for (index, entry) in spec.split(',').enumerate() {
            let entry = entry.trim();
            if entry.is_empty() {
                problems.push(format!("entry {} is empty", index + 1));
                continue;
            }
            let Some((label, path)) = entry.split_once('=') else {
                problems.push(format!("entry {} `{entry}` is not label=/path", index + 1));
                continue;
            };
            let (label, path) = (label.trim(), path.trim().replace("{lang}", lang));
            if label.is_empty() || label.chars().count() > 100 {
                problems.push(format!(
                    "entry {} needs a label of 1 to 100 characters",
                    index + 1
                ));
                continue;
            }
            if let Err(why) = validate_relative_path(&path) {
                problems.push(format!("`{label}`: {why}"));
                continue;
            }
            if pages.iter().any(|p| p.label == label) {
                problems.push(format!("label `{label}` appears twice"));
                continue;
            }
            pages.push(PortalPage {
                label: label.to_owned(),
                path,
            });
        }
        if pages.len() > MAX_PORTAL_PAGES {
            problems.push(format!(
                "{} pages given, Discord offers at most {MAX_PORTAL_PAGES} choices",
                pages.len()
            ));
        }
        if problems.is_empty() && pages.is_empty() {
            problems.push("no page given".to_owned());
        }
        if problems.is_empty() {
            Ok(PortalPages(pages))
        } else {
            Err(problems.join("; "))
        }
    }
}

/// Discord allows at most 25 choices on an option.
const MAX_PORTAL_PAGES: usize = 25;

/// Checks that `path` can only ever point inside the portal it is appended to.
pub fn validate_relative_path(path: &str) -> Result<(), &'static str> {
    if !path.starts_with('/') {
        return Err("path must start with /");
    }
    if path.starts_with("//") {
        return Err("path must not start with // (that would leave the portal)");
    }
    if path.contains('\\') {
        return Err("path must not contain a backslash");
    }
    if path.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("path must not contain spaces or control characters");
    }
    if path.contains("://") {
        return Err("path must be relative, not a full URL");
    }
    if path.len() > 512 {
        return Err("path is longer than 512 characters");
    }
    Ok(())
}

/// The largest COUNT of a rate limit. The limiter keeps the instants of the
/// last COUNT requests of every key (16 bytes each): a COUNT in the billions
/// would try to allocate gigabytes at the first request and abort the bot.
pub const MAX_LIMIT_COUNT: u32 = 1_000;

impl std::str::FromStr for Limit {
    type Err = String;

    /// Parses `COUNT/PERIOD`, e.g. `3/10m`; the period unit is `s`, `m`, `h` or `d`.
    fn from_str(s: &str) -> Result<Limit, String> {
        let bad = || format!("`{s}` is not COUNT/PERIOD (e.g. 3/10m; units s, m, h, d)");
        let (count, period) = s.trim().split_once('/').ok_or_else(bad)?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        let count =
            NonZeroU32::new(count).ok_or_else(|| format!("`{s}`: COUNT must be at least 1"))?;
        if count.get() > MAX_LIMIT_COUNT {
            return Err(format!("`{s}`: COUNT must be at most {MAX_LIMIT_COUNT}"));
        }
        let period = period.trim();
        let split = period.len().saturating_sub(1);
        let (amount, unit) = (
            period.get(..split).unwrap_or(""),
            period.get(split..).unwrap_or(""),
        );
        let amount: u64 = if amount.is_empty() {
            1 // `3/h` reads naturally as three per hour
        } else {
            amount.parse().map_err(|_| bad())?
        };
        let unit_secs = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            _ => return Err(bad()),
        };
        let secs = amount
            .checked_mul(unit_secs)
            .filter(|secs| (1..=366 * 86_400).contains(secs))
            .ok_or_else(|| format!("`{s}`: PERIOD must be between 1s and 366d"))?;
        Ok(Limit {
            count,
            period: Duration::from_secs(secs),
        })
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.period.as_secs();
        let (amount, unit) = match secs {
            s if s % 86_400 == 0 => (s / 86_400, "d"),
            s if s % 3_600 == 0 => (s / 3_600, "h"),
            s if s % 60 == 0 => (s / 60, "m"),
            s => (s, "s"),
        };
        write!(f, "{}/{amount}{unit}", self.count)
    }
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
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut env = Reader {
            lookup: &lookup,
            problems: Vec::new(),
        };

        let token = env.secret("DISCORD_TOKEN").and_then(|token| {
            let raw = token.expose_secret();
            let looks_right = raw.split('.').count() == 3 && !raw.chars().any(char::is_whitespace);
            if !looks_right {
                env.problem("DISCORD_TOKEN does not look like a bot token (three parts separated by dots); copy it again from the Developer Portal's Bot page");
            }
            looks_right.then_some(token)
        });
        let portal_url = env
            .required("NEXUDUS_PORTAL_URL")
            .and_then(|raw| env.origin("NEXUDUS_PORTAL_URL", &raw));
        let api_username = env.required("NEXUDUS_API_USERNAME").and_then(|user| {
            let ok = user.contains('@') && !user.chars().any(char::is_whitespace);
            if !ok {
                env.problem(
                    "NEXUDUS_API_USERNAME must be the email address of the Nexudus REST user",
                );
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
        let max_concurrency = env
            .number_or("NEXUDUS_MAX_CONCURRENCY", 4, 1..=64)
            .and_then(|n| NonZeroUsize::new(n as usize));
        let max_rps = env
            .number_or("NEXUDUS_MAX_RPS", 2, 1..=100)
            .and_then(|n| NonZeroU32::new(n as u32));

        let login = env.parse_or("RATE_LIMIT_LOGIN", "3/10m", |raw| raw.parse::<Limit>());
        let reset = env.parse_or("RATE_LIMIT_RESET", "3/1h", |raw| raw.parse::<Limit>());
        let link = env.parse_or("RATE_LIMIT_LINK", "5/1h", |raw| raw.parse::<Limit>());

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
        let database_path = env.parse_or("DATABASE_URL", DEFAULT_DATABASE_URL, parse_database_url);
        // OPS_ADDR set but empty disables the server, so it is read raw here.
        let ops_addr = match lookup("OPS_ADDR") {
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

        let problems = env.problems;
        let assembled = (|| {
            Some(Config {
                discord: DiscordSettings {
                    token: token?,
                    guild_ids: guild_ids?,
                    manager_role_ids: manager_role_ids?,
                    api_base: api_base?,
                },
                nexudus: NexudusSettings {
                    api_url: api_url?,
                    portal_url: portal_url?,
                    language: language?,
                    api_username: api_username?,
                    api_password: api_password?,
                    portal_pages: portal_pages?,
                    timeout: timeout?,
                    max_concurrency: max_concurrency?,
                    max_rps: max_rps?,
                },
                limits: RateLimitSettings {
                    login: login?,
                    reset: reset?,
                    link: link?,
                },
                database_path: database_path?,
                ops_addr: ops_addr?,
                log_format: log_format?,
                log_filter: log_filter?,
            })
        })();
        match assembled {
            Some(config) if problems.is_empty() => Ok(config),
            _ => Err(ConfigError { problems }),
        }
    }
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
