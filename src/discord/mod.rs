//! The Discord side: serenity glue, one file per command family.
//!
//! `handler` routes each interaction to its family (`login`, `reset`, `link`,
//! `account`, `admin`, `panel`), which asks the service and renders the
//! outcome; `reply` answers, `ids` names everything Discord sees, `commands`
//! registers them. `courier` (login DMs) and `feed` (audit-channel posts) are
//! the service's two ways out to Discord; `roles` reads and writes the
//! membership roles.

pub mod account;
pub mod admin;
pub mod commands;
pub mod courier;
pub mod describe;
pub mod feed;
pub mod handler;
pub mod ids;
pub mod input;
pub mod language;
pub mod link;
pub mod login;
pub mod panel;
pub mod reply;
pub mod reset;
pub mod roles;
pub mod sync;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::ExposeSecret;
use serenity::all::{GatewayIntents, Http, HttpBuilder};
use serenity::http::HttpError;

use crate::config::DiscordSettings;

/// Bounds every Discord REST call: a hung call must not hold an interaction forever.
const DISCORD_HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The bot needs no intents: interactions reach every bot, whatever it subscribed to.
pub const INTENTS: GatewayIntents = GatewayIntents::empty();

/// Builds the REST client, wired to `DISCORD_API_BASE` when set.
///
/// With a base, serenity's own rate limiter is turned off: its path ignores the
/// proxy and would reach discord.com directly, and the proxy owns rate limits.
pub fn http_client(settings: &DiscordSettings) -> anyhow::Result<Http> {
    let mut builder = HttpBuilder::new(settings.token.expose_secret()).client(rest_client()?);
    if let Some(base) = &settings.api_base {
        builder = builder
            .proxy(base.as_str().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    Ok(builder.build())
}

/// The HTTP client under every Discord REST call: a bounded time per call and
/// the bot's user agent.
pub fn rest_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(DISCORD_HTTP_TIMEOUT)
        .user_agent(concat!(
            "DiscordBot (https://github.com/nexudus-bot, ",
            env!("CARGO_PKG_VERSION"),
            ")"
        ))
        .build()
        .context("building the Discord HTTP client failed")
}

/// Who we are (also proves the token works).
pub async fn application_id(http: &Http) -> anyhow::Result<serenity::all::ApplicationId> {
    let info = http
        .get_current_application_info()
        .await
        .map_err(|err| anyhow::anyhow!(describe_error(&err)))
        .context("asking Discord who this bot is failed; is DISCORD_TOKEN right?")?;
    Ok(info.id)
}

/// A one-line description of a serenity error that never carries a URL: interaction
/// URLs hold the interaction token.
pub fn describe_error(err: &serenity::Error) -> String {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => format!(
            "Discord answered {} (code {}: {})",
            response.status_code.as_u16(),
            response.error.code,
            response.error.message.chars().take(120).collect::<String>()
        ),
        serenity::Error::Http(HttpError::Request(request)) => {
            let kind = if request.is_timeout() {
                "timed out"
            } else if request.is_connect() {
                "could not connect"
            } else {
                "failed"
            };
            format!("the request to Discord {kind}")
        }
        serenity::Error::Http(_) => "the Discord HTTP client failed".to_owned(),
        serenity::Error::Gateway(gateway) => format!("gateway: {gateway}"),
        serenity::Error::Json(_) => "Discord's answer could not be read".to_owned(),
        _ => "a Discord call failed".to_owned(),
    }
}

/// Discord's JSON error code (e.g. 50007), when the error carries one.
pub fn discord_error_code(err: &serenity::Error) -> Option<isize> {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            Some(response.error.code)
        }
        _ => None,
    }
}

/// The HTTP status of a failed Discord call, when there was a response.
pub fn discord_status(err: &serenity::Error) -> Option<u16> {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            Some(response.status_code.as_u16())
        }
        _ => None,
    }
}

/// Shared handle to the REST client, as the courier and handler need it.
pub type SharedHttp = Arc<Http>;
