//! `nexudus-bot check`: a report a community manager can act on.

use std::fmt::Write as _;

use crate::config::Config;
use crate::discord;
use crate::nexudus::{Generation, NexudusClient, NexudusError};

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// Worth knowing, but the bot works: `check` still exits 0.
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub level: Level,
    pub what: &'static str,
    pub detail: String,
}

impl CheckLine {
    fn ok(what: &'static str, detail: String) -> CheckLine {
        CheckLine {
            level: Level::Ok,
            what,
            detail,
        }
    }

    fn warn(what: &'static str, detail: String) -> CheckLine {
        CheckLine {
            level: Level::Warn,
            what,
            detail,
        }
    }

    fn fail(what: &'static str, detail: String) -> CheckLine {
        CheckLine {
            level: Level::Fail,
            what,
            detail,
        }
    }

    pub fn failed(&self) -> bool {
        self.level == Level::Fail
    }
}

/// Runs every check; the report is printable and never contains a secret.
pub async fn run(config: &Config) -> Vec<CheckLine> {
    let mut lines = vec![CheckLine::ok("Configuration", "OK".to_owned())];
    lines.push(check_nexudus(config).await);
    lines.extend(check_member_endpoints(config).await);
    lines.extend(check_discord(config).await);
    lines.extend(check_roles(config).await);
    lines
}

/// Formats the report, one line per check.
pub fn render(lines: &[CheckLine]) -> String {
    let mut out = String::new();
    for line in lines {
        let mark = match line.level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        let _ = writeln!(out, "[{mark}] {}: {}", line.what, line.detail);
    }
    out
}

async fn check_nexudus(config: &Config) -> CheckLine {
    let what = "Nexudus REST credentials";
    let fail = |detail: String| CheckLine::fail(what, detail);
    let client = match NexudusClient::new(&config.nexudus) {
        Ok(client) => client,
        Err(err) => return fail(format!("{err:#}")),
    };
    // Looking the REST user up by its own email needs the same rights the bot uses.
    match client.find_user_by_email(&config.nexudus.api_username).await {
        Ok(_) | Err(NexudusError::NotFound) => CheckLine::ok(what, "OK".to_owned()),
        Err(NexudusError::RestCredentialsRejected) => fail(
            "rejected (401/403). Check NEXUDUS_API_USERNAME and NEXUDUS_API_PASSWORD, and that this Nexudus user \
             has \"API access\" enabled and the User-Edit and User-List roles (or full rights)."
                .to_owned(),
        ),
        Err(NexudusError::Timeout) => fail(format!(
            "no answer within {} s. Check NEXUDUS_API_URL ({}) and the network.",
            config.nexudus.timeout.as_secs(),
            config.nexudus.api_url
        )),
        Err(err @ NexudusError::Unavailable { .. }) => fail(format!(
            "Nexudus could not be reached ({err}). Check NEXUDUS_API_URL ({}) and the network.",
            config.nexudus.api_url
        )),
        Err(err) => fail(format!("unexpected answer ({err}). Check NEXUDUS_API_URL ({}).", config.nexudus.api_url)),
    }
}

/// The space Nexudus announces and which generation answers the member
/// login; nothing here names an account, sends a reset or mints a token.
async fn check_member_endpoints(config: &Config) -> Vec<CheckLine> {
    let Ok(client) = NexudusClient::new(&config.nexudus) else {
        // The REST check above already reported why.
        return Vec::new();
    };
    let space = match client.discover().await {
        Ok(space) => CheckLine::ok(
            "Nexudus space",
            format!(
                "{} (business {}), login links at {}",
                space.name,
                space.business_id,
                client.login_base()
            ),
        ),
        Err(err) => {
            let why = match err {
                NexudusError::NotFound => "no businesses/current: an older Nexudus".to_owned(),
                other => other.to_string(),
            };
            CheckLine::warn(
                "Nexudus space",
                format!(
                    "not announced ({why}). Login links at {}, password resets name no business.",
                    client.login_base()
                ),
            )
        }
    };
    let login = match client.probe_member_login().await {
        Ok(Generation::Today) => CheckLine::ok(
            "Nexudus member login",
            format!(
                "today's endpoint answers (POST {}api/token)",
                config.nexudus.portal_url
            ),
        ),
        Ok(Generation::Seed) => CheckLine::ok(
            "Nexudus member login",
            format!(
                "the older endpoint answers (POST {}/sys/users/token); today's is missing",
                config.nexudus.api_url.as_str().trim_end_matches('/')
            ),
        ),
        Err(err) => CheckLine::warn(
            "Nexudus member login",
            format!(
                "neither endpoint answered as expected ({err}): /link may fail. Check NEXUDUS_PORTAL_URL ({}).",
                config.nexudus.portal_url
            ),
        ),
    };
    // Telling which reset endpoint works would send an email: not done here.
    let reset = CheckLine::ok(
        "Nexudus password reset",
        "not tried (it would send an email): one /reset-password to your own address confirms it"
            .to_owned(),
    );
    vec![space, login, reset]
}

async fn check_discord(config: &Config) -> Vec<CheckLine> {
    let what = "Discord bot token";
    let http = match discord::http_client(&config.discord) {
        Ok(http) => http,
        Err(err) => {
            return vec![CheckLine::fail(what, format!("{err:#}"))];
        }
    };
    let me = match http.get_current_user().await {
        Ok(me) => me,
        Err(err) => {
            let hint = if discord::discord_status(&err) == Some(401) {
                "rejected. Copy the token again from the Developer Portal (Bot ▸ Reset Token) into DISCORD_TOKEN."
                    .to_owned()
            } else {
                format!(
                    "Discord could not be reached ({}).",
                    discord::describe_error(&err)
                )
            };
            return vec![CheckLine::fail(what, hint)];
        }
    };
    let mut lines = vec![CheckLine::ok(
        what,
        format!("OK (logged in as {})", me.name),
    )];
    for guild in &config.discord.guild_ids {
        let line = match http.get_guild(*guild).await {
            Ok(found) => CheckLine::ok(
                "Discord server",
                format!("{guild} ({}): the bot is a member", found.name),
            ),
            Err(err) => CheckLine::fail(
                "Discord server",
                format!(
                    "{guild}: the bot is not in this server or cannot see it ({}). Invite it with the bot and \
                     applications.commands scopes, or fix DISCORD_GUILD_IDS.",
                    discord::describe_error(&err)
                ),
            ),
        };
        lines.push(line);
    }
    lines
}

/// Membership roles, when configured: every managed role exists in a
/// configured server below the bot's highest role, the bot has Manage
/// Roles, and the REST user may list coworkers and contracts.
async fn check_roles(config: &Config) -> Vec<CheckLine> {
    if !config.roles.enabled() {
        return Vec::new();
    }
    let what = "Membership roles";
    let managed: Vec<u64> = config.roles.managed().into_iter().collect();
    let guilds: Vec<u64> = config.discord.guild_ids.iter().map(|g| g.get()).collect();
    let mut lines = Vec::new();
    match discord::http_client(&config.discord) {
        Err(err) => lines.push(CheckLine::fail(what, format!("{err:#}"))),
        Ok(http) => {
            let problems = discord::roles::inspect_role_access(&http, &guilds, &managed).await;
            if problems.is_empty() {
                lines.push(CheckLine::ok(
                    what,
                    format!(
                        "{} managed roles found; the bot has Manage Roles and sits above them",
                        managed.len()
                    ),
                ));
            }
            lines.extend(
                problems
                    .into_iter()
                    .map(|problem| CheckLine::fail(what, problem.to_string())),
            );
        }
    }
    let nexudus = "Nexudus plans";
    match NexudusClient::new(&config.nexudus) {
        Err(err) => lines.push(CheckLine::fail(nexudus, format!("{err:#}"))),
        Ok(client) => lines.push(match client.probe_roles_access().await {
            Ok(()) => CheckLine::ok(
                nexudus,
                "the REST user may list coworkers and their contracts".to_owned(),
            ),
            Err(problem) => CheckLine::fail(nexudus, problem.to_string()),
        }),
    }
    lines
}
