//! The slash commands as Discord shows them, and their registration.

use serenity::all::{
    CommandOptionType, CreateCommand, CreateCommandOption, Http, InteractionContext,
};
use serenity::model::application::Command;

use crate::config::DiscordSettings;
use crate::messages as text;
use crate::pages::PortalPages;

/// Command and option names: fixed by the design, relied on by docs and managers.
pub mod names {
    pub const LOGIN: &str = "login";
    pub const RESET_PASSWORD: &str = "reset-password";
    pub const LINK: &str = "link";
    pub const UNLINK: &str = "unlink";
    pub const ACCOUNT: &str = "account";
    pub const PAGE: &str = "page";
    pub const EMAIL: &str = "email";
}

/// Custom ids of components we create; stable across restarts.
pub mod custom_ids {
    pub const LINK_MODAL: &str = "link:form";
    pub const LINK_EMAIL: &str = "link:email";
    pub const LINK_PASSWORD: &str = "link:password";
    pub const RESET_MODAL: &str = "reset:form";
    pub const RESET_EMAIL: &str = "reset:email";
    pub const PANEL_LOGIN: &str = "panel:login";
    pub const PANEL_RESET: &str = "panel:reset";
    pub const PANEL_LINK: &str = "panel:link";
}

/// Every command the bot offers.
pub fn definitions(pages: &PortalPages) -> Vec<CreateCommand> {
    let page = pages.iter().fold(
        CreateCommandOption::new(
            CommandOptionType::String,
            names::PAGE,
            text::LOGIN_PAGE_DESCRIPTION,
        )
        .required(false),
        |option, page| option.add_string_choice(page.label(), page.label()),
    );
    let email = CreateCommandOption::new(
        CommandOptionType::String,
        names::EMAIL,
        text::RESET_EMAIL_DESCRIPTION,
    )
    .required(false)
    .max_length(254);
    vec![
        member_command(names::LOGIN, text::LOGIN_DESCRIPTION).add_option(page),
        member_command(names::RESET_PASSWORD, text::RESET_DESCRIPTION).add_option(email),
        member_command(names::LINK, text::LINK_DESCRIPTION),
        member_command(names::UNLINK, text::UNLINK_DESCRIPTION),
        member_command(names::ACCOUNT, text::ACCOUNT_DESCRIPTION),
        super::admin::definition(pages),
    ]
}

/// A command usable in servers only (links are personal; DMs with the bot are not a place for commands).
fn member_command(name: &str, description: &str) -> CreateCommand {
    CreateCommand::new(name)
        .description(description)
        .contexts(vec![InteractionContext::Guild])
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
