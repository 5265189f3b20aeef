//! The slash commands as Discord shows them, and their registration. Each
//! command family defines its own command; this is the list.

use serenity::all::{CreateCommand, Http, InteractionContext};
use serenity::model::application::Command;

use super::{account, admin, link, login, reset};
use crate::config::DiscordSettings;
use crate::pages::PortalPages;

/// Every command the bot offers. All work in servers only: links are
/// personal, and DMs with the bot are not a place for commands.
pub fn definitions(pages: &PortalPages) -> Vec<CreateCommand> {
    let [unlink, account] = account::definitions();
    [
        login::definition(pages),
        reset::definition(),
        link::definition(),
        unlink,
        account,
        admin::definition(pages),
    ]
    .into_iter()
    .map(|command| command.contexts(vec![InteractionContext::Guild]))
    .collect()
}

/// Creates or updates the commands: in each configured guild, or globally when none is configured.
///
/// Bulk overwrite makes this idempotent, and removes commands a previous version had.
pub async fn register(
    http: &Http,
    discord: &DiscordSettings,
    commands: Vec<CreateCommand>,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    if discord.guild_ids.is_empty() {
        Command::set_global_commands(http, commands)
            .await
            .map_err(|err| anyhow::anyhow!(super::describe_error(&err)))
            .context("registering the global commands failed")?;
        return Ok(());
    }
    let mut failures = Vec::new();
    for guild in &discord.guild_ids {
        if let Err(err) = guild.set_commands(http, commands.clone()).await {
            failures.push(format!("guild {guild}: {}", super::describe_error(&err)));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        anyhow::bail!(
            "registering the commands failed ({}); is the bot invited to each guild with the applications.commands scope?",
            failures.join("; ")
        )
    }
}
