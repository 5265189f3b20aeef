//! `/admin`: definition, the manager check, and rendering of the managers' outcomes.

use serenity::all::{
    ChannelType, CommandDataOption, CommandDataOptionValue, CommandInteraction, CommandOptionType,
    CreateCommand, CreateCommandOption, CreateEmbed, InteractionContext, Permissions, RoleId,
};

use super::render::Reply;
use crate::messages as text;
use crate::messages::{full_time, relative_time};
use crate::pages::PortalPages;
use crate::ratelimit::LimitState;
use crate::service::{
    AccountOutcome, Failure, LimitsView, LinkOutcome, LoginOutcome, Refusal, ResetOutcome, Stats,
    Whois,
};

/// Subcommand and option names of `/admin` (fixed by the design).
pub mod names {
    pub const ADMIN: &str = "admin";
    pub const LINK: &str = "link";
    pub const UNLINK: &str = "unlink";
    pub const WHOIS: &str = "whois";
    pub const LOGIN: &str = "login";
    pub const RESET_PASSWORD: &str = "reset-password";
    pub const LIMITS: &str = "limits";
    pub const STATS: &str = "stats";
    pub const AUDIT_CHANNEL: &str = "audit-channel";
    pub const PANEL: &str = "panel";
    pub const MEMBER: &str = "member";
    pub const EMAIL: &str = "email";
    pub const PAGE: &str = "page";
    pub const CLEAR: &str = "clear";
    pub const CHANNEL: &str = "channel";
}

/// The `/admin` command: hidden from members by default (Manage Server), and
/// checked again on every invocation by [`is_manager`].
pub fn definition(pages: &PortalPages) -> CreateCommand {
    let member = || {
        CreateCommandOption::new(
            CommandOptionType::User,
            names::MEMBER,
            text::ADMIN_MEMBER_OPTION,
        )
        .required(true)
    };
    let sub = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
    };
    let page = pages.iter().fold(
        CreateCommandOption::new(
            CommandOptionType::String,
            names::PAGE,
            text::LOGIN_PAGE_DESCRIPTION,
        ),
        |option, page| option.add_string_choice(page.label(), page.label()),
    );
    let text_channel = |required: bool| {
        CreateCommandOption::new(
            CommandOptionType::Channel,
            names::CHANNEL,
            text::ADMIN_CHANNEL_OPTION,
        )
        .channel_types(vec![ChannelType::Text, ChannelType::News])
        .required(required)
    };
    CreateCommand::new(names::ADMIN)
        .description(text::ADMIN_DESCRIPTION)
        .default_member_permissions(Permissions::MANAGE_GUILD)
        .contexts(vec![InteractionContext::Guild])
        .add_option(
            sub(names::LINK, text::ADMIN_LINK_DESCRIPTION)
                .add_sub_option(member())
                .add_sub_option(
                    CreateCommandOption::new(
                        CommandOptionType::String,
                        names::EMAIL,
                        text::ADMIN_EMAIL_OPTION,
                    )
                    .required(true)
                    .max_length(254),
                ),
        )
        .add_option(sub(names::UNLINK, text::ADMIN_UNLINK_DESCRIPTION).add_sub_option(member()))
        .add_option(sub(names::WHOIS, text::ADMIN_WHOIS_DESCRIPTION).add_sub_option(member()))
        .add_option(
            sub(names::LOGIN, text::ADMIN_LOGIN_DESCRIPTION)
                .add_sub_option(member())
                .add_sub_option(page),
        )
        .add_option(
            sub(names::RESET_PASSWORD, text::ADMIN_RESET_DESCRIPTION).add_sub_option(member()),
        )
        .add_option(
            sub(names::LIMITS, text::ADMIN_LIMITS_DESCRIPTION)
                .add_sub_option(member())
                .add_sub_option(CreateCommandOption::new(
                    CommandOptionType::Boolean,
                    names::CLEAR,
                    text::ADMIN_CLEAR_OPTION,
                )),
        )
        .add_option(sub(names::STATS, text::ADMIN_STATS_DESCRIPTION))
        .add_option(
            sub(names::AUDIT_CHANNEL, text::ADMIN_AUDIT_CHANNEL_DESCRIPTION)
                .add_sub_option(text_channel(false)),
        )
        .add_option(
            sub(names::PANEL, text::ADMIN_PANEL_DESCRIPTION).add_sub_option(text_channel(true)),
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

/// The chosen subcommand and its options, read from the raw (id-carrying) options.
pub struct Invocation<'a> {
    pub name: &'a str,
    options: &'a [CommandDataOption],
}

impl<'a> Invocation<'a> {
    pub fn of(cmd: &'a CommandInteraction) -> Option<Invocation<'a>> {
        cmd.data
            .options
            .iter()
            .find_map(|option| match &option.value {
                CommandDataOptionValue::SubCommand(options) => Some(Invocation {
                    name: option.name.as_str(),
                    options,
                }),
                _ => None,
            })
    }

    fn value(&self, name: &str) -> Option<&'a CommandDataOptionValue> {
        self.options
            .iter()
            .find(|option| option.name == name)
            .map(|option| &option.value)
    }

    pub fn member(&self) -> Option<u64> {
        match self.value(names::MEMBER)? {
            CommandDataOptionValue::User(user) => Some(user.get()),
            _ => None,
        }
    }

    pub fn string(&self, name: &str) -> Option<&'a str> {
        match self.value(name)? {
            CommandDataOptionValue::String(value) => Some(value.as_str()),
            _ => None,
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(
            self.value(name),
            Some(CommandDataOptionValue::Boolean(true))
        )
    }

    pub fn channel(&self) -> Option<u64> {
        match self.value(names::CHANNEL)? {
            CommandDataOptionValue::Channel(channel) => Some(channel.get()),
            _ => None,
        }
    }
}

fn refusal(member: u64, refusal: &Refusal) -> String {
    match refusal {
        Refusal::NotLinked | Refusal::NeedEmail => text::admin_not_linked(member),
        Refusal::RateLimited { retry_at } => text::admin_member_rate_limited(member, *retry_at),
        Refusal::AlreadyRunning => text::admin_already_running(member),
        Refusal::UnknownPage => text::ADMIN_UNKNOWN_PAGE.to_owned(),
        Refusal::InvalidEmail(problem) => text::invalid_email(&problem.to_string()),
    }
}

pub fn failure(failure: &Failure) -> String {
    match failure {
        Failure::Nexudus(_) => text::ADMIN_NEXUDUS_UNAVAILABLE.to_owned(),
        Failure::Misconfigured => text::ADMIN_MISCONFIGURED.to_owned(),
        Failure::Internal => text::INTERNAL_ERROR.to_owned(),
    }
}

pub fn link(member: u64, email: &str, outcome: &LinkOutcome) -> Reply {
    Reply::text(match outcome {
        LinkOutcome::Linked { email, moved_from } => text::admin_linked(member, email, *moved_from),
        LinkOutcome::AccountNotFound | LinkOutcome::InvalidCredentials => {
            text::admin_no_such_user(email)
        }
        LinkOutcome::Refused(r) => refusal(member, r),
        LinkOutcome::Failed(f) => failure(f),
    })
}

pub fn unlink(member: u64, outcome: &AccountOutcome) -> Reply {
    Reply::text(match outcome {
        AccountOutcome::Unlinked(link) => text::admin_unlinked(member, &link.email),
        AccountOutcome::NotLinked | AccountOutcome::Linked(_) => text::admin_not_linked(member),
        AccountOutcome::Failed(f) => failure(f),
    })
}

/// The manager's view of `/admin login`: whether it was delivered, never the link.
pub fn login(member: u64, outcome: &LoginOutcome) -> Reply {
    Reply::text(match outcome {
        LoginOutcome::Delivered => text::admin_login_delivered(member),
        LoginOutcome::DmClosed(_) => text::admin_login_dm_closed(member),
        LoginOutcome::DmFailed => text::admin_login_failed(member),
        LoginOutcome::LinkGone => text::admin_link_gone(member),
        LoginOutcome::Refused(r) => refusal(member, r),
        LoginOutcome::Failed(f) => failure(f),
    })
}

pub fn reset(member: u64, outcome: &ResetOutcome) -> Reply {
    Reply::text(match outcome {
        ResetOutcome::Requested { email } => text::admin_reset_requested(member, email),
        ResetOutcome::Refused(r) => refusal(member, r),
        ResetOutcome::Failed(f) => failure(f),
    })
}

pub fn whois(whois: &Whois) -> Reply {
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

pub fn limits(view: &LimitsView) -> Reply {
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

pub fn stats(stats: &Stats) -> Reply {
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

/// The member panel: an embed and the three buttons.
pub fn panel_embed() -> CreateEmbed {
    CreateEmbed::new()
        .title(text::PANEL_TITLE)
        .description(text::PANEL_BODY)
}
