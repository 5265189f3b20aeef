//! `/admin`: the community managers' command. Discord hides it from members
//! by default, and [`is_manager`] checks again on every invocation. The
//! manager reads what happened to the member, never a login link.

use serenity::all::{
    ChannelId, ChannelType, CommandInteraction, CommandOptionType, CreateCommand,
    CreateCommandOption, Permissions, RoleId,
};
use tracing::warn;

use super::describe_error;
use super::ids::{admin, command, option};
use super::input::Invocation;
use super::reply::{Ctx, Reply};
use super::{login, panel};
use crate::messages as text;
use crate::messages::{full_time, relative_time};
use crate::pages::PortalPages;
use crate::ratelimit::LimitState;
use crate::request::Request;
use crate::service::{
    AccountOutcome, Failure, LimitsView, LinkOutcome, LoginOutcome, Refusal, ResetOutcome, Stats,
    Whois,
};

pub fn definition(pages: &PortalPages) -> CreateCommand {
    let member = || {
        CreateCommandOption::new(
            CommandOptionType::User,
            option::MEMBER,
            text::ADMIN_MEMBER_OPTION,
        )
        .required(true)
    };
    let sub = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
    };
    let text_channel = |required: bool| {
        CreateCommandOption::new(
            CommandOptionType::Channel,
            option::CHANNEL,
            text::ADMIN_CHANNEL_OPTION,
        )
        .channel_types(vec![ChannelType::Text, ChannelType::News])
        .required(required)
    };
    CreateCommand::new(command::ADMIN)
        .description(text::ADMIN_DESCRIPTION)
        .default_member_permissions(Permissions::MANAGE_GUILD)
        .add_option(
            sub(admin::LINK, text::ADMIN_LINK_DESCRIPTION)
                .add_sub_option(member())
                .add_sub_option(
                    CreateCommandOption::new(
                        CommandOptionType::String,
                        option::EMAIL,
                        text::ADMIN_EMAIL_OPTION,
                    )
                    .required(true)
                    .max_length(254),
                ),
        )
        .add_option(sub(admin::UNLINK, text::ADMIN_UNLINK_DESCRIPTION).add_sub_option(member()))
        .add_option(sub(admin::WHOIS, text::ADMIN_WHOIS_DESCRIPTION).add_sub_option(member()))
        .add_option(
            sub(admin::LOGIN, text::ADMIN_LOGIN_DESCRIPTION)
                .add_sub_option(member())
                .add_sub_option(login::page_option(pages)),
        )
        .add_option(
            sub(admin::RESET_PASSWORD, text::ADMIN_RESET_DESCRIPTION).add_sub_option(member()),
        )
        .add_option(
            sub(admin::LIMITS, text::ADMIN_LIMITS_DESCRIPTION)
                .add_sub_option(member())
                .add_sub_option(CreateCommandOption::new(
                    CommandOptionType::Boolean,
                    option::CLEAR,
                    text::ADMIN_CLEAR_OPTION,
                )),
        )
        .add_option(sub(admin::STATS, text::ADMIN_STATS_DESCRIPTION))
        .add_option(
            sub(admin::AUDIT_CHANNEL, text::ADMIN_AUDIT_CHANNEL_DESCRIPTION)
                .add_sub_option(text_channel(false)),
        )
        .add_option(
            sub(admin::PANEL, text::ADMIN_PANEL_DESCRIPTION).add_sub_option(text_channel(true)),
        )
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
    let (service, respond) = (ctx.service, &ctx.respond);
    let invocation = Invocation::of(cmd);
    if !is_manager(cmd, manager_roles) {
        let subcommand = invocation.as_ref().map_or("?", |inv| inv.name);
        service.admin_refused(request, subcommand).await;
        respond.reply(Reply::text(text::ADMIN_REFUSED)).await;
        return;
    }
    let Some(inv) = invocation else {
        respond.internal_error().await;
        return;
    };
    match (inv.name, inv.member()) {
        (admin::LINK, Some(member)) => {
            let email = inv.string(option::EMAIL).unwrap_or_default();
            if respond.defer().await {
                let outcome = service.admin_link(request, member, email).await;
                respond.edit(link_reply(member, email, &outcome)).await;
            }
        }
        (admin::UNLINK, Some(member)) => {
            let outcome = service.admin_unlink(request, member).await;
            respond.reply(unlink_reply(member, &outcome)).await;
        }
        (admin::WHOIS, Some(member)) => {
            let reply = match service.whois(request, member).await {
                Ok(whois) => whois_reply(&whois),
                Err(failure) => failed(&failure),
            };
            respond.reply(reply).await;
        }
        (admin::LOGIN, Some(member)) => {
            let page = inv.string(option::PAGE);
            let prepared = service.prepare_admin_login(request, member, page).await;
            let render = |outcome: &LoginOutcome| login_reply(member, outcome);
            respond
                .two_step(prepared, async |ticket| service.login(ticket).await, render)
                .await;
        }
        (admin::RESET_PASSWORD, Some(member)) => {
            let prepared = service.prepare_admin_reset(request, member).await;
            let render = |outcome: &ResetOutcome| reset_reply(member, outcome);
            respond
                .two_step(prepared, async |ticket| service.reset(ticket).await, render)
                .await;
        }
        (admin::LIMITS, Some(member)) => {
            let clear = inv.flag(option::CLEAR);
            let reply = match service.limits_of(request, member, clear).await {
                Ok(view) => limits_reply(&view),
                Err(failure) => failed(&failure),
            };
            respond.reply(reply).await;
        }
        (admin::STATS, _) => {
            respond
                .reply(stats_reply(&service.stats(request).await))
                .await
        }
        (admin::AUDIT_CHANNEL, _) => {
            let channel = inv.channel();
            let guild_id = request.guild_id.unwrap_or_default();
            let reply = match service.set_audit_channel(request, guild_id, channel).await {
                Ok(()) => Reply::text(channel.map_or_else(
                    || text::ADMIN_AUDIT_CHANNEL_CLEARED.to_owned(),
                    text::admin_audit_channel_set,
                )),
                Err(failure) => failed(&failure),
            };
            respond.reply(reply).await;
        }
        (admin::PANEL, _) => post_panel(ctx, request, inv.channel()).await,
        (other, _) => {
            warn!(subcommand = other, "admin subcommand without its options");
            respond.internal_error().await;
        }
    }
}

/// `/admin panel`: posts the member panel in `channel`.
async fn post_panel(ctx: &Ctx<'_>, request: Request, channel: Option<u64>) {
    let respond = &ctx.respond;
    let Some(channel) = channel else {
        respond.internal_error().await;
        return;
    };
    // Posting is a Discord call that can be slow: acknowledge first.
    if !respond.defer().await {
        return;
    }
    let posted = match ChannelId::new(channel)
        .send_message(respond.http(), panel::message())
        .await
    {
        Ok(_) => true,
        Err(err) => {
            warn!(channel, error = %describe_error(&err), "posting the member panel failed");
            false
        }
    };
    ctx.service.panel_posted(request, channel, posted).await;
    let reply = if posted {
        text::admin_panel_posted(channel)
    } else {
        text::admin_panel_failed(channel)
    };
    respond.edit(Reply::text(reply)).await;
}

fn refusal_text(member: u64, refusal: &Refusal) -> String {
    match refusal {
        Refusal::NotLinked | Refusal::NeedEmail => text::admin_not_linked(member),
        Refusal::RateLimited { retry_at } => text::admin_member_rate_limited(member, *retry_at),
        Refusal::AlreadyRunning => text::admin_already_running(member),
        Refusal::UnknownPage => text::ADMIN_UNKNOWN_PAGE.to_owned(),
        Refusal::InvalidEmail(problem) => text::invalid_email(&problem.to_string()),
    }
}

fn failure_text(failure: &Failure) -> String {
    match failure {
        Failure::Nexudus(_) => text::ADMIN_NEXUDUS_UNAVAILABLE.to_owned(),
        Failure::Misconfigured => text::ADMIN_MISCONFIGURED.to_owned(),
        Failure::Internal => text::INTERNAL_ERROR.to_owned(),
    }
}

fn failed(failure: &Failure) -> Reply {
    Reply::text(failure_text(failure))
}

fn link_reply(member: u64, email: &str, outcome: &LinkOutcome) -> Reply {
    Reply::text(match outcome {
        LinkOutcome::Linked { email, moved_from } => text::admin_linked(member, email, *moved_from),
        LinkOutcome::AccountNotFound | LinkOutcome::InvalidCredentials => {
            text::admin_no_such_user(email)
        }
        LinkOutcome::Refused(r) => refusal_text(member, r),
        LinkOutcome::Failed(f) => failure_text(f),
    })
}

fn unlink_reply(member: u64, outcome: &AccountOutcome) -> Reply {
    Reply::text(match outcome {
        AccountOutcome::Unlinked(link) => text::admin_unlinked(member, &link.email),
        AccountOutcome::NotLinked | AccountOutcome::Linked(_) => text::admin_not_linked(member),
        AccountOutcome::Failed(f) => failure_text(f),
    })
}

/// Whether the link was delivered, never the link itself.
fn login_reply(member: u64, outcome: &LoginOutcome) -> Reply {
    Reply::text(match outcome {
        LoginOutcome::Delivered => text::admin_login_delivered(member),
        LoginOutcome::DmClosed(_) => text::admin_login_dm_closed(member),
        LoginOutcome::DmFailed => text::admin_login_failed(member),
        LoginOutcome::LinkGone => text::admin_link_gone(member),
        LoginOutcome::Refused(r) => refusal_text(member, r),
        LoginOutcome::Failed(f) => failure_text(f),
    })
}

fn reset_reply(member: u64, outcome: &ResetOutcome) -> Reply {
    Reply::text(match outcome {
        ResetOutcome::Requested { email } => text::admin_reset_requested(member, email),
        ResetOutcome::Refused(r) => refusal_text(member, r),
        ResetOutcome::Failed(f) => failure_text(f),
    })
}
fn whois_reply(whois: &Whois) -> Reply {
    let member = whois.member_id;
    let mut out = match &whois.link {
        None => text::admin_not_linked(member),
        Some(link) => format!(
            "<@{member}> is linked to **{}** (Nexudus user {}), since {} by <@{}>.",
            link.email,
            link.nexudus_user_id,
            full_time(link.linked_at),
            link.linked_by
        ),
    };
    if whois.recent.is_empty() {
        out.push_str("\nNo requests recorded yet.");
    } else {
        out.push_str("\n**Last requests** (newest first):");
        for entry in &whois.recent {
            let by = if entry.actor_id == member {
                String::new()
            } else {
                format!(" by <@{}>", entry.actor_id)
            };
            out.push_str(&format!(
                "\n• {} `{}`{by}: **{}** (`{}`)",
                relative_time(
                    std::time::UNIX_EPOCH + std::time::Duration::from_secs(entry.at.max(0) as u64)
                ),
                entry.action,
                entry.outcome.replace('_', " "),
                entry.request_id
            ));
        }
    }
    Reply::text(out)
}

fn limit_line(name: &str, state: &LimitState) -> String {
    let refill = match state.next_slot_in {
        Some(wait) if state.remaining == 0 => format!(
            ", next allowed {}",
            relative_time(std::time::SystemTime::now() + wait)
        ),
        Some(wait) => format!(
            ", a slot frees {}",
            relative_time(std::time::SystemTime::now() + wait)
        ),
        None => String::new(),
    };
    format!(
        "• {name}: {} of {} left (limit {}){refill}",
        state.remaining, state.limit.count, state.limit
    )
}

fn limits_reply(view: &LimitsView) -> Reply {
    let member = view.member_id;
    let mut out = if view.cleared {
        format!("Limits of <@{member}> cleared. Now:")
    } else {
        format!("Limits of <@{member}>:")
    };
    out.push('\n');
    out.push_str(&limit_line("/login", &view.login));
    out.push('\n');
    out.push_str(&limit_line("/reset-password", &view.reset));
    if let Some((email, state)) = &view.reset_email {
        out.push('\n');
        out.push_str(&limit_line(&format!("reset emails to {email}"), state));
    }
    out.push('\n');
    out.push_str(&limit_line("/link", &view.link));
    Reply::text(out)
}

fn stats_reply(stats: &Stats) -> Reply {
    let secs = stats.uptime.as_secs();
    let mut out = format!(
        "**Up for** {}d {}h {}m · **linked members**: {}\n",
        secs / 86_400,
        secs % 86_400 / 3_600,
        secs % 3_600 / 60,
        stats
            .linked_members
            .map_or_else(|| "unknown".to_owned(), |n| n.to_string())
    );
    out.push_str(&format!(
        "**Rate-limit refusals**: {} · **DM failures**: {}\n",
        stats.counts.limiter_refusals, stats.counts.dm_failures
    ));
    if stats.counts.interactions.is_empty() {
        out.push_str("No requests since start.\n");
    } else {
        out.push_str("**Requests since start**\n");
        for ((command, outcome), count) in &stats.counts.interactions {
            out.push_str(&format!(
                "• `{command}` {}: {count}\n",
                outcome.replace('_', " ")
            ));
        }
    }
    if !stats.counts.latencies.is_empty() {
        out.push_str("**Nexudus latency** (recent calls)\n");
        for (endpoint, latency) in &stats.counts.latencies {
            out.push_str(&format!(
                "• {endpoint}: p50 {} ms, p95 {} ms over {} calls\n",
                latency.p50.as_millis(),
                latency.p95.as_millis(),
                latency.calls
            ));
        }
    }
    Reply::text(out)
}
