//! `/admin`: the community managers' command. Discord hides it from members
//! by default, and [`is_manager`] checks again on every invocation. The
//! manager reads what happened to the member, never a login link.

use serenity::all::{
    ChannelId, ChannelType, CommandInteraction, CommandOptionType, CreateCommand,
    CreateCommandOption, Permissions, RoleId,
};
use tracing::warn;

use super::describe::Describe;
use super::describe_error;
use super::ids::{admin, command, option};
use super::input::Invocation;
use super::reply::{Ctx, Reply};
use super::{login, panel, sync};
use crate::messages::Messages;
use crate::nexudus::NexudusError;
use crate::pages::PortalPages;
use crate::request::Request;
use crate::service::{
    AccountOutcome, Failure, LimitsView, LinkOutcome, LoginOutcome, NoProgress, Refusal,
    ResetOutcome, Stats, Whois,
};

pub fn definition(pages: &PortalPages) -> CreateCommand {
    let member = || {
        CreateCommandOption::new(CommandOptionType::User, option::MEMBER, "")
            .describe("cmd-admin-member-option")
            .required(true)
    };
    let sub = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::SubCommand, name, "").describe(description)
    };
    let text_channel = |required: bool| {
        CreateCommandOption::new(CommandOptionType::Channel, option::CHANNEL, "")
            .describe("cmd-admin-channel-option")
            .channel_types(vec![ChannelType::Text, ChannelType::News])
            .required(required)
    };
    CreateCommand::new(command::ADMIN)
        .describe("cmd-admin-description")
        .default_member_permissions(Permissions::MANAGE_GUILD)
        .add_option(
            sub(admin::LINK, "cmd-admin-link-description")
                .add_sub_option(member())
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::String, option::EMAIL, "")
                        .describe("cmd-admin-email-option")
                        .required(true)
                        .max_length(254),
                ),
        )
        .add_option(sub(admin::UNLINK, "cmd-admin-unlink-description").add_sub_option(member()))
        .add_option(sub(admin::WHOIS, "cmd-admin-whois-description").add_sub_option(member()))
        .add_option(
            sub(admin::LOGIN, "cmd-admin-login-description")
                .add_sub_option(member())
                .add_sub_option(login::page_option(pages)),
        )
        .add_option(
            sub(
                admin::RESET_PASSWORD,
                "cmd-admin-reset-password-description",
            )
            .add_sub_option(member()),
        )
        .add_option(
            sub(admin::LIMITS, "cmd-admin-limits-description")
                .add_sub_option(member())
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::Boolean, option::CLEAR, "")
                        .describe("cmd-admin-clear-option"),
                ),
        )
        .add_option(sub(admin::STATS, "cmd-admin-stats-description"))
        .add_option(
            sub(admin::AUDIT_CHANNEL, "cmd-admin-audit-channel-description")
                .add_sub_option(text_channel(false)),
        )
        .add_option(
            sub(admin::PANEL, "cmd-admin-panel-description").add_sub_option(text_channel(true)),
        )
        .add_option(sync::subcommand())
}

/// Server-side check: Manage Server or Administrator in the interaction's
/// permissions, or a manager role. Discord's `default_member_permissions` is
/// only a default that a server admin can open to everyone.
pub fn is_manager(cmd: &CommandInteraction, manager_roles: &[RoleId]) -> bool {
    let Some(member) = cmd.member.as_deref() else {
        return false;
    };
    let by_permission = member.permissions.is_some_and(|p| {
        p.contains(Permissions::MANAGE_GUILD) || p.contains(Permissions::ADMINISTRATOR)
    });
    by_permission || member.roles.iter().any(|role| manager_roles.contains(role))
}

/// `/admin <subcommand>`, for managers only.
pub async fn command(
    ctx: &Ctx<'_>,
    cmd: &CommandInteraction,
    request: Request,
    manager_roles: &[RoleId],
) {
    let (service, text, respond) = (ctx.service, &ctx.text, &ctx.respond);
    let invocation = Invocation::of(cmd);
    if !is_manager(cmd, manager_roles) {
        let subcommand = invocation.as_ref().map_or("?", |inv| inv.name);
        service.admin_refused(request, subcommand).await;
        respond.reply(Reply::text(text.admin_refused())).await;
        return;
    }
    let Some(inv) = invocation else {
        ctx.internal_error().await;
        return;
    };
    match (inv.name, inv.member()) {
        (admin::LINK, Some(member)) => {
            let email = inv.string(option::EMAIL).unwrap_or_default();
            if respond.defer().await {
                let outcome = service.admin_link(request, member, email).await;
                respond
                    .edit(link_reply(text, member, email, &outcome))
                    .await;
            }
        }
        (admin::UNLINK, Some(member)) => {
            let outcome = service.admin_unlink(request, member).await;
            respond.reply(unlink_reply(text, member, &outcome)).await;
        }
        (admin::WHOIS, Some(member)) => {
            let reply = match service.whois(request, member).await {
                Ok(whois) => {
                    let known = service.known_roles(member);
                    whois_reply(text, &whois, &sync::whois_lines(text, known.as_ref()))
                }
                Err(failure) => Reply::text(failure_text(text, &failure)),
            };
            respond.reply(reply).await;
        }
        (admin::LOGIN, Some(member)) => {
            let page = inv.string(option::PAGE);
            let prepared = service.prepare_admin_login(request, member, page).await;
            let render = |text: &Messages, outcome: &_| login_reply(text, member, outcome);
            ctx.two_step(
                prepared,
                async |ticket| service.login(ticket, &NoProgress).await,
                render,
            )
            .await;
        }
        (admin::RESET_PASSWORD, Some(member)) => {
            let prepared = service.prepare_admin_reset(request, member).await;
            let render = |text: &Messages, outcome: &_| reset_reply(text, member, outcome);
            ctx.two_step(
                prepared,
                async |ticket| service.reset(ticket, &NoProgress).await,
                render,
            )
            .await;
        }
        (admin::LIMITS, Some(member)) => {
            let clear = inv.flag(option::CLEAR);
            let reply = match service.limits_of(request, member, clear).await {
                Ok(view) => limits_reply(text, &view),
                Err(failure) => Reply::text(failure_text(text, &failure)),
            };
            respond.reply(reply).await;
        }
        (admin::STATS, _) => {
            let stats = service.stats(request).await;
            respond.reply(stats_reply(text, &stats)).await;
        }
        (admin::AUDIT_CHANNEL, _) => {
            let channel = inv.channel();
            let guild_id = request.guild_id.unwrap_or_default();
            let said = match service.set_audit_channel(request, guild_id, channel).await {
                Ok(()) => match channel {
                    Some(channel) => text.admin_audit_channel_set(channel),
                    None => text.admin_audit_channel_cleared(),
                },
                Err(failure) => failure_text(text, &failure),
            };
            respond.reply(Reply::text(said)).await;
        }
        (admin::PANEL, _) => post_panel(ctx, request, inv.channel()).await,
        (admin::SYNC, member) => {
            sync::command(ctx, request, member, refusal_text, failure_text).await;
        }
        (other, _) => {
            warn!(subcommand = other, "admin subcommand without its options");
            ctx.internal_error().await;
        }
    }
}

/// `/admin panel`: posts the member panel in `channel`.
async fn post_panel(ctx: &Ctx<'_>, request: Request, channel: Option<u64>) {
    let (text, respond) = (&ctx.text, &ctx.respond);
    let Some(channel) = channel else {
        ctx.internal_error().await;
        return;
    };
    // Posting is a Discord call that can be slow: acknowledge first.
    if !respond.defer().await {
        return;
    }
    let posted = match ChannelId::new(channel)
        .send_message(respond.http(), panel::message(&ctx.server_text))
        .await
    {
        Ok(_) => true,
        Err(err) => {
            warn!(channel, error = %describe_error(&err), "posting the member panel failed");
            false
        }
    };
    ctx.service.panel_posted(request, channel, posted).await;
    let said = if posted {
        text.admin_panel_posted(channel)
    } else {
        text.admin_panel_failed(channel)
    };
    respond.edit(Reply::text(said)).await;
}

fn refusal_text(text: &Messages, member: u64, refusal: &Refusal) -> String {
    match refusal {
        Refusal::NotLinked | Refusal::NeedEmail => text.admin_not_linked(member),
        Refusal::RateLimited { retry_at } => text.admin_member_rate_limited(member, *retry_at),
        Refusal::AlreadyRunning => text.admin_already_running(member),
        Refusal::UnknownPage => text.admin_unknown_page(),
        Refusal::InvalidEmail(problem) => text.invalid_email(*problem),
        Refusal::QueueFull { retry_at } => text.queue_full(*retry_at),
        Refusal::ShuttingDown => text.queue_restarting(),
    }
}

fn failure_text(text: &Messages, failure: &Failure) -> String {
    match failure {
        Failure::Nexudus(NexudusError::HourlyBudgetSpent { retry_at }) => {
            text.admin_hourly_budget_spent(*retry_at)
        }
        Failure::Nexudus(_) => text.admin_nexudus_unavailable(),
        Failure::Misconfigured => text.admin_misconfigured(),
        Failure::Internal => text.internal_error(),
    }
}

fn link_reply(text: &Messages, member: u64, email: &str, outcome: &LinkOutcome) -> Reply {
    Reply::text(match outcome {
        LinkOutcome::Linked {
            email,
            moved_from,
            roles,
        } => {
            let linked = text.admin_linked(member, email, *moved_from);
            match sync::after_link(text, roles) {
                Some(roles) => format!("{linked}\n{roles}"),
                None => linked,
            }
        }
        // Password answers never come from `/admin link`, which looks the email up only.
        LinkOutcome::AccountNotFound
        | LinkOutcome::InvalidCredentials
        | LinkOutcome::TwoFactorRequired
        | LinkOutcome::MustResetPassword => text.admin_no_such_user(email),
        LinkOutcome::Refused(r) => refusal_text(text, member, r),
        LinkOutcome::Failed(f) => failure_text(text, f),
    })
}

fn unlink_reply(text: &Messages, member: u64, outcome: &AccountOutcome) -> Reply {
    Reply::text(match outcome {
        AccountOutcome::Unlinked(link) => text.admin_unlinked(member, &link.email),
        AccountOutcome::NotLinked | AccountOutcome::Linked(_) => text.admin_not_linked(member),
        AccountOutcome::Failed(f) => failure_text(text, f),
    })
}

/// Whether the link was delivered, never the link itself.
fn login_reply(text: &Messages, member: u64, outcome: &LoginOutcome) -> Reply {
    Reply::text(match outcome {
        LoginOutcome::Delivered => text.admin_login_delivered(member),
        LoginOutcome::DmClosed(_) => text.admin_login_dm_closed(member),
        LoginOutcome::DmFailed => text.admin_login_failed(member),
        LoginOutcome::LinkGone => text.admin_link_gone(member),
        LoginOutcome::Refused(r) => refusal_text(text, member, r),
        LoginOutcome::Failed(f) => failure_text(text, f),
    })
}

fn reset_reply(text: &Messages, member: u64, outcome: &ResetOutcome) -> Reply {
    Reply::text(match outcome {
        ResetOutcome::Requested { email } => text.admin_reset_requested(member, email),
        ResetOutcome::Refused(r) => refusal_text(text, member, r),
        ResetOutcome::Failed(f) => failure_text(text, f),
    })
}

/// The member's link, then their last requests, newest first.
fn whois_reply(text: &Messages, whois: &Whois, roles: &[String]) -> Reply {
    let member = whois.member_id;
    let mut lines = vec![match &whois.link {
        None => text.admin_not_linked(member),
        Some(link) => text.whois_linked(member, link),
    }];
    if whois.link.is_some() {
        lines.extend_from_slice(roles);
    }
    if whois.recent.is_empty() {
        lines.push(text.whois_no_requests());
    } else {
        lines.push(text.whois_recent());
        lines.extend(
            whois
                .recent
                .iter()
                .map(|entry| text.whois_request(member, entry)),
        );
    }
    Reply::text(lines.join("\n"))
}

fn limits_reply(text: &Messages, view: &LimitsView) -> Reply {
    let mut lines = vec![
        text.limits_title(view.member_id, view.cleared),
        text.limit_line(&format!("/{}", command::LOGIN), &view.login),
        text.limit_line(&format!("/{}", command::RESET_PASSWORD), &view.reset),
    ];
    if let Some((email, state)) = &view.reset_email {
        lines.push(text.limit_line(&text.limit_reset_emails(email), state));
    }
    lines.push(text.limit_line(&format!("/{}", command::LINK), &view.link));
    Reply::text(lines.join("\n"))
}

/// Every line ends with a newline, the last one too.
fn stats_reply(text: &Messages, stats: &Stats) -> Reply {
    let counts = &stats.counts;
    let mut lines = vec![
        text.stats_summary(stats.uptime, stats.linked_members),
        text.stats_refusals(counts.limiter_refusals, counts.dm_failures),
        text.stats_hourly_budget(stats.hourly_budget.left, stats.hourly_budget.limit),
        text.stats_longest_wait(stats.longest_wait),
    ];
    if counts.interactions.is_empty() {
        lines.push(text.stats_no_requests());
    } else {
        lines.push(text.stats_requests());
        for ((command, outcome), count) in &counts.interactions {
            lines.push(text.stats_request(command, outcome, *count));
        }
    }
    if !counts.latencies.is_empty() {
        lines.push(text.stats_latency_title());
        for (endpoint, latency) in &counts.latencies {
            lines.push(text.stats_latency(endpoint, latency));
        }
    }
    Reply::text(
        lines
            .into_iter()
            .map(|line| line + "\n")
            .collect::<String>(),
    )
}
