//! `nexudus-bot check`: a report a community manager can act on.

use std::fmt::Write as _;

use crate::config::Config;
use crate::discord;
use crate::nexudus::{NexudusClient, NexudusError};

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub ok: bool,
    pub what: &'static str,
    pub detail: String,
}

/// Runs every check; the report is printable and never contains a secret.
pub async fn run(config: &Config) -> Vec<CheckLine> {
    let mut lines = vec![CheckLine {
        ok: true,
        what: "Configuration",
        detail: "OK".to_owned(),
    }];
    lines.push(check_nexudus(config).await);
    lines.extend(check_discord(config).await);
    lines
}

/// Formats the report, one line per check.
pub fn render(lines: &[CheckLine]) -> String {
    let mut out = String::new();
    for line in lines {
        let mark = if line.ok { "ok  " } else { "FAIL" };
        let _ = writeln!(out, "[{mark}] {}: {}", line.what, line.detail);
    }
    out
}

async fn check_nexudus(config: &Config) -> CheckLine {
    let what = "Nexudus REST credentials";
    let fail = |detail: String| CheckLine {
        ok: false,
        what,
        detail,
    };
    let client = match NexudusClient::new(&config.nexudus) {
        Ok(client) => client,
        Err(err) => return fail(format!("{err:#}")),
    };
    // Looking the REST user up by its own email needs the same rights the bot uses.
    match client.find_user_by_email(&config.nexudus.api_username).await {
        Ok(_) | Err(NexudusError::NotFound) => CheckLine {
            ok: true,
            what,
            detail: "OK".to_owned(),
        },
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

async fn check_discord(config: &Config) -> Vec<CheckLine> {
    let what = "Discord bot token";
    let http = match discord::http_client(&config.discord) {
        Ok(http) => http,
        Err(err) => {
            return vec![CheckLine {
                ok: false,
                what,
                detail: format!("{err:#}"),
            }];
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
            return vec![CheckLine {
                ok: false,
                what,
                detail: hint,
            }];
        }
    };
    let mut lines = vec![CheckLine {
        ok: true,
        what,
        detail: format!("OK (logged in as {})", me.name),
    }];
    for guild in &config.discord.guild_ids {
        let line = match http.get_guild(*guild).await {
            Ok(found) => CheckLine {
                ok: true,
                what: "Discord server",
                detail: format!("{guild} ({}): the bot is a member", found.name),
            },
            Err(err) => CheckLine {
                ok: false,
                what: "Discord server",
                detail: format!(
                    "{guild}: the bot is not in this server or cannot see it ({}). Invite it with the bot and \
                     applications.commands scopes, or fix DISCORD_GUILD_IDS.",
                    discord::describe_error(&err)
                ),
            },
        };
        lines.push(line);
    }
    lines
}
