//! `/link` and the panel's link button: a form asks for the portal email and
//! password, which go to Nexudus once and are never stored.

use secrecy::SecretString;
use serenity::all::{CreateActionRow, CreateCommand, CreateModal, ModalInteraction};

use super::describe::Describe;
use super::ids::{command, custom};
use super::input::{form_field, modal_field};
use super::reply::{Ctx, Reply};
use super::sync;
use crate::messages::Messages;
use crate::request::Request;
use crate::service::LinkOutcome;

/// A six-digit code, with room for the space apps show in its middle.
const TWO_FACTOR_MAX_LENGTH: u16 = 10;

pub fn definition() -> CreateCommand {
    CreateCommand::new(command::LINK).describe("cmd-link-description")
}

/// `/link` and the panel's button: the form, unless the member is rate limited.
pub async fn open_form(ctx: &Ctx<'_>, request: Request) {
    match ctx.service.link_form_allowed(request.user_id) {
        Err(refusal) => ctx.respond.reply(Reply::refused(&ctx.text, &refusal)).await,
        Ok(()) => ctx.respond.modal(form(&ctx.text)).await,
    }
}

/// The form, submitted.
pub async fn form_submitted(ctx: &Ctx<'_>, modal: &ModalInteraction, request: Request) {
    let email = modal_field(modal, custom::LINK_EMAIL).unwrap_or_default();
    let password =
        SecretString::from(modal_field(modal, custom::LINK_PASSWORD).unwrap_or_default());
    // Optional: an empty field is no code.
    let two_factor_code = modal_field(modal, custom::LINK_TWO_FACTOR)
        .filter(|code| !code.trim().is_empty())
        .map(SecretString::from);
    let prepared = ctx
        .service
        .prepare_link(request, &email, password, two_factor_code)
        .await;
    let progress = ctx.place_edits();
    let run = async |ticket| ctx.service.link(ticket, &progress).await;
    ctx.two_step(prepared, run, reply).await;
}

fn reply(text: &Messages, outcome: &LinkOutcome) -> Reply {
    match outcome {
        LinkOutcome::Linked { email, roles, .. } => {
            Reply::text(match sync::after_link(text, roles) {
                Some(roles) => format!("{}\n{roles}", text.linked(email)),
                None => text.linked(email),
            })
        }
        LinkOutcome::InvalidCredentials => Reply::text(text.link_invalid_credentials()),
        LinkOutcome::TwoFactorRequired => Reply::text(text.link_two_factor_required()),
        LinkOutcome::MustResetPassword => Reply::text(text.link_must_reset_password()),
        LinkOutcome::AccountNotFound => Reply::text(text.link_account_not_found()),
        LinkOutcome::Refused(r) => Reply::refused(text, r),
        LinkOutcome::Failed(f) => Reply::failed(text, f),
    }
}

fn form(text: &Messages) -> CreateModal {
    let email = form_field(
        text.link_modal_email(),
        custom::LINK_EMAIL,
        text.email_placeholder(),
        254,
    );
    let password = form_field(
        text.link_modal_password(),
        custom::LINK_PASSWORD,
        text.link_modal_password_hint(),
        256,
    );
    let two_factor = form_field(
        text.link_modal_two_factor(),
        custom::LINK_TWO_FACTOR,
        text.link_modal_two_factor_hint(),
        TWO_FACTOR_MAX_LENGTH,
    )
    .required(false);
    CreateModal::new(custom::LINK_MODAL, text.link_modal_title()).components(vec![
        CreateActionRow::InputText(email),
        CreateActionRow::InputText(password),
        CreateActionRow::InputText(two_factor),
    ])
}
