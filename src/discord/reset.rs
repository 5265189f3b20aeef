//! `/reset-password` and the panel's reset form: Nexudus emails the member a
//! reset link, to the typed email or the linked one.

use serenity::all::{
    CommandInteraction, CommandOptionType, CreateActionRow, CreateCommand, CreateCommandOption,
    CreateInputText, CreateModal, InputTextStyle, ModalInteraction,
};

use super::ids::{command, custom, option};
use super::input::{modal_field, string_option};
use super::reply::{Ctx, Reply};
use crate::messages as text;
use crate::request::Request;
use crate::service::ResetOutcome;

pub fn definition() -> CreateCommand {
    let email = CreateCommandOption::new(
        CommandOptionType::String,
        option::EMAIL,
        text::RESET_EMAIL_DESCRIPTION,
    )
    .required(false)
    .max_length(254);
    CreateCommand::new(command::RESET_PASSWORD)
        .description(text::RESET_DESCRIPTION)
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
    ctx.respond.modal(form(email)).await;
}

/// The panel's form, submitted.
pub async fn form_submitted(ctx: &Ctx<'_>, modal: &ModalInteraction, request: Request) {
    let email = modal_field(modal, custom::RESET_EMAIL).unwrap_or_default();
    run(ctx, request, Some(&email)).await;
}

async fn run(ctx: &Ctx<'_>, request: Request, email: Option<&str>) {
    let service = ctx.service;
    let prepared = service.prepare_reset(request, email).await;
    ctx.respond
        .two_step(prepared, async |ticket| service.reset(ticket).await, reply)
        .await;
}

fn reply(outcome: &ResetOutcome) -> Reply {
    match outcome {
        ResetOutcome::Requested { email } => Reply::text(text::reset_sent(email)),
        ResetOutcome::Refused(r) => Reply::refused(r),
        ResetOutcome::Failed(f) => Reply::failed(f),
    }
}

fn form(linked_email: Option<String>) -> CreateModal {
    let mut email = CreateInputText::new(
        InputTextStyle::Short,
        text::RESET_MODAL_EMAIL,
        custom::RESET_EMAIL,
    )
    .placeholder("you@example.com")
    .max_length(254)
    .required(true);
    if let Some(linked) = linked_email {
        email = email.value(linked);
    }
    CreateModal::new(custom::RESET_MODAL, text::RESET_MODAL_TITLE)
        .components(vec![CreateActionRow::InputText(email)])
}
