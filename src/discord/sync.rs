//! `/admin sync [member]`, and how membership roles read in other replies:
//! the roles a `/link` gave, the plans in `/account` and `/admin whois`.

use serenity::all::{CommandOptionType, CreateCommandOption};

use super::describe::Describe;
use super::ids::{admin, option};
use super::reply::{Ctx, Reply};
use crate::messages::Messages;
use crate::request::Request;
use crate::roles::KnownRoles;
use crate::service::{LinkRoles, SyncOutcome};

/// The `sync` subcommand of `/admin`; `member` is optional (everyone).
pub fn subcommand() -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::SubCommand, admin::SYNC, "")
        .describe("cmd-admin-sync-description")
        .add_sub_option(
            CreateCommandOption::new(CommandOptionType::User, option::MEMBER, "")
                .describe("cmd-admin-sync-member-option"),
        )
}

/// `/admin sync`: one member now, or everyone (which can take minutes: the
/// reply is deferred and edited with the counts).
pub async fn command(
    ctx: &Ctx<'_>,
    request: Request,
    member: Option<u64>,
    refusal: impl Fn(&Messages, u64, &crate::service::Refusal) -> String,
    failure: impl Fn(&Messages, &crate::service::Failure) -> String,
) {
    let (service, text, respond) = (ctx.service, &ctx.text, &ctx.respond);
    if service.roles().is_none() {
        respond.reply(Reply::text(text.admin_sync_off())).await;
        return;
    }
    if !respond.defer().await {
        return;
    }
    let outcome = match member {
        Some(member) => service.admin_sync_member(request, member).await,
        None => service.admin_sync_everyone(request).await,
    };
    let said = match &outcome {
        SyncOutcome::Member { member_id, synced } if synced.left => {
            text.admin_sync_left(*member_id)
        }
        SyncOutcome::Member { member_id, synced } => {
            let mut said =
                text.admin_sync_member(*member_id, &synced.held, &synced.added, &synced.removed);
            if !synced.failed.is_empty() {
                said = format!("{said}\n{}", text.admin_sync_refused(&synced.failed));
            }
            said
        }
        SyncOutcome::Everyone(report) => text.admin_sync_everyone(report),
        SyncOutcome::NotLinked(member) => text.admin_not_linked(*member),
        SyncOutcome::Busy => text.admin_sync_busy(),
        SyncOutcome::Off => text.admin_sync_off(),
        SyncOutcome::Refused(r) => refusal(text, member.unwrap_or_default(), r),
        SyncOutcome::Failed(f) => failure(text, f),
    };
    respond.edit(Reply::text(said)).await;
}

/// The line a `/link` reply adds about membership roles, if they are on.
pub fn after_link(text: &Messages, roles: &LinkRoles) -> Option<String> {
    match roles {
        LinkRoles::Off => None,
        LinkRoles::Held(held) if held.is_empty() => Some(text.linked_no_plan()),
        LinkRoles::Held(held) => Some(text.linked_roles(held)),
        LinkRoles::Later => Some(text.linked_roles_later()),
    }
}

/// `/account`'s line about the member's plans, as the last sync saw them.
pub fn account_plans(text: &Messages, known: Option<&KnownRoles>) -> Option<String> {
    let known = known?;
    Some(if known.plans.is_empty() {
        text.account_no_plans()
    } else {
        text.account_plans(&known.plans)
    })
}

/// `/admin whois`' lines about plans and managed roles held.
pub fn whois_lines(text: &Messages, known: Option<&KnownRoles>) -> Vec<String> {
    let Some(known) = known else {
        return Vec::new();
    };
    let plans = if known.plans.is_empty() {
        text.whois_no_plans()
    } else {
        text.whois_plans(&known.plans)
    };
    vec![plans, text.whois_roles(&known.held, known.at)]
}
