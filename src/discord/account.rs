//! `/account` and `/unlink`: show or forget the member's link.

use serenity::all::CreateCommand;

use super::describe::Describe;
use super::ids::command;
use super::reply::{Ctx, Reply};
use super::sync;
use crate::messages::Messages;
use crate::request::Request;
use crate::service::AccountOutcome;

pub fn definitions() -> [CreateCommand; 2] {
    [
        CreateCommand::new(command::UNLINK).describe("cmd-unlink-description"),
        CreateCommand::new(command::ACCOUNT).describe("cmd-account-description"),
    ]
}

/// `/account`.
pub async fn show(ctx: &Ctx<'_>, request: Request) {
    let member = request.user_id;
    let outcome = ctx.service.account(request).await;
    let known = ctx.service.known_roles(member);
    let said = match (&outcome, sync::account_plans(&ctx.text, known.as_ref())) {
        (AccountOutcome::Linked(link), Some(plans)) => Reply::text(format!(
            "{}\n{plans}",
            ctx.text.account(&link.email, link.linked_at)
        )),
        _ => reply(&ctx.text, &outcome),
    };
    ctx.respond.reply(said).await;
}

/// `/unlink`: without a link it says so, rather than pointing at `/link`.
pub async fn unlink(ctx: &Ctx<'_>, request: Request) {
    let reply = match ctx.service.unlink(request).await {
        AccountOutcome::NotLinked => Reply::text(ctx.text.nothing_to_unlink()),
        other => reply(&ctx.text, &other),
    };
    ctx.respond.reply(reply).await;
}

fn reply(text: &Messages, outcome: &AccountOutcome) -> Reply {
    match outcome {
        AccountOutcome::Linked(link) => Reply::text(text.account(&link.email, link.linked_at)),
        AccountOutcome::Unlinked(link) => Reply::text(text.unlinked(&link.email)),
        AccountOutcome::NotLinked => Reply::text(text.not_linked()),
        AccountOutcome::Failed(f) => Reply::failed(text, f),
    }
}
