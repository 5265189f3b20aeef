//! `/link` and the panel's link button: a form asks for the portal email and
//! password, which go to Nexudus once and are never stored.

use secrecy::SecretString;
use serenity::all::{
    CreateActionRow, CreateCommand, CreateInputText, CreateModal, InputTextStyle, ModalInteraction,
};

use super::ids::{command, custom};
use super::input::modal_field;
use super::reply::{Ctx, Reply};
use crate::messages as text;
use crate::request::Request;
use crate::service::LinkOutcome;

pub fn definition() -> CreateCommand {
    CreateCommand::new(command::LINK).description(text::LINK_DESCRIPTION)
}

/// `/link` and the panel's button: the form, unless the member is rate limited.
pub async fn open_form(ctx: &Ctx<'_>, request: Request) {
    match ctx.service.link_form_allowed(request.user_id) {
        Err(refusal) => ctx.respond.reply(Reply::refused(&refusal)).await,
        Ok(()) => ctx.respond.modal(form()).await,
    }
}

/// The form, submitted.
pub async fn form_submitted(ctx: &Ctx<'_>, modal: &ModalInteraction, request: Request) {
    let email = modal_field(modal, custom::LINK_EMAIL).unwrap_or_default();
    let password =
        SecretString::from(modal_field(modal, custom::LINK_PASSWORD).unwrap_or_default());
    let service = ctx.service;
    let prepared = service.prepare_link(request, &email, password).await;
    ctx.respond
        .two_step(prepared, async |ticket| service.link(ticket).await, reply)
        .await;
}

fn reply(outcome: &LinkOutcome) -> Reply {
    match outcome {
        LinkOutcome::Linked { email, .. } => Reply::text(text::linked(email)),
        LinkOutcome::InvalidCredentials => Reply::text(text::LINK_INVALID_CREDENTIALS),
        LinkOutcome::AccountNotFound => Reply::text(text::LINK_ACCOUNT_NOT_FOUND),
        LinkOutcome::Refused(r) => Reply::refused(r),
        LinkOutcome::Failed(f) => Reply::failed(f),
    }
}

fn form() -> CreateModal {
    let email = CreateInputText::new(
        InputTextStyle::Short,
        text::LINK_MODAL_EMAIL,
        custom::LINK_EMAIL,
    )
    .placeholder("you@example.com")
    .max_length(254)
    .required(true);
    let password = CreateInputText::new(
        InputTextStyle::Short,
        text::LINK_MODAL_PASSWORD,
        custom::LINK_PASSWORD,
    )
    .placeholder(text::LINK_MODAL_PASSWORD_HINT)
    .max_length(256)
    .required(true);
    CreateModal::new(custom::LINK_MODAL, text::LINK_MODAL_TITLE).components(vec![
        CreateActionRow::InputText(email),
        CreateActionRow::InputText(password),
    ])
}
