//! `/reset-password` and the panel's reset form: Nexudus emails the member a
//! reset link, to the typed email or the linked one.

use serenity::all::{
    CommandInteraction, CommandOptionType, CreateActionRow, CreateCommand, CreateCommandOption,
    CreateModal, ModalInteraction,
};

use super::describe::Describe;
use super::ids::{command, custom, option};
use super::input::{form_field, modal_field, string_option};
use super::reply::{Ctx, Reply};
use crate::messages::Messages;
use crate::request::Request;
use crate::service::ResetOutcome;

pub fn definition() -> CreateCommand {
    let email = CreateCommandOption::new(CommandOptionType::String, option::EMAIL, "")
        .describe("cmd-reset-password-email-description")
        .required(false)
        .max_length(254);
    CreateCommand::new(command::RESET_PASSWORD)
        .describe("cmd-reset-password-description")
        .add_option(email)
}

/// `/reset-password [email]`.
pub async fn command(ctx: &Ctx<'_>, cmd: &CommandInteraction, request: Request) {
    run(ctx, request, string_option(cmd, option::EMAIL).as_deref()).await;
}

/// The panel's button: the form, prefilled with the linked email when there
/// is one, so a linked member just confirms.
pub async fn open_form(ctx: &Ctx<'_>, request: Request) {
    let linked = ctx.service.store().get_link(request.user_id).await;
    let email = linked.ok().flatten().map(|link| link.email);
    ctx.respond.modal(form(&ctx.text, email)).await;
}

/// The panel's form, submitted.
pub async fn form_submitted(ctx: &Ctx<'_>, modal: &ModalInteraction, request: Request) {
    let email = modal_field(modal, custom::RESET_EMAIL).unwrap_or_default();
    run(ctx, request, Some(&email)).await;
}

async fn run(ctx: &Ctx<'_>, request: Request, email: Option<&str>) {
    let prepared = ctx.service.prepare_reset(request, email).await;
    let progress = ctx.place_edits();
    let run = async |ticket| ctx.service.reset(ticket, &progress).await;
    ctx.two_step(prepared, run, reply).await;
}

fn reply(text: &Messages, outcome: &ResetOutcome) -> Reply {
    match outcome {
        ResetOutcome::Requested { email } => Reply::text(text.reset_sent(email)),
        ResetOutcome::Refused(r) => Reply::refused(text, r),
        ResetOutcome::Failed(f) => Reply::failed(text, f),
    }
}

fn form(text: &Messages, linked_email: Option<String>) -> CreateModal {
    let mut email = form_field(
        text.reset_modal_email(),
        custom::RESET_EMAIL,
        text.email_placeholder(),
        254,
    );
    if let Some(linked) = linked_email {
        email = email.value(linked);
    }
    CreateModal::new(custom::RESET_MODAL, text.reset_modal_title())
        .components(vec![CreateActionRow::InputText(email)])
}
