//! `/login`: the member's one-time portal link, by DM (or in the reply when
//! DMs are closed). The panel's login button runs the same [`run`].

use serenity::all::{
    CommandInteraction, CommandOptionType, CreateCommand, CreateCommandOption, CreateEmbed,
    CreateMessage,
};

use super::ids::{command, option};
use super::input::string_option;
use super::reply::{Ctx, Reply, link_button};
use crate::messages as text;
use crate::nexudus::LoginUrl;
use crate::pages::{PortalPage, PortalPages};
use crate::request::Request;
use crate::service::LoginOutcome;

pub fn definition(pages: &PortalPages) -> CreateCommand {
    let page = page_option(pages).required(false);
    CreateCommand::new(command::LOGIN)
        .description(text::LOGIN_DESCRIPTION)
        .add_option(page)
}

/// The `page` option: one choice per configured portal page (also `/admin login`'s).
pub fn page_option(pages: &PortalPages) -> CreateCommandOption {
    pages.iter().fold(
        CreateCommandOption::new(
            CommandOptionType::String,
            option::PAGE,
            text::LOGIN_PAGE_DESCRIPTION,
        ),
        |option, page| option.add_string_choice(page.label(), page.label()),
    )
}

/// `/login [page]`.
pub async fn command(ctx: &Ctx<'_>, cmd: &CommandInteraction, request: Request) {
    run(ctx, request, string_option(cmd, option::PAGE).as_deref()).await;
}

/// A login for the member who asked, opening `page` (or the first configured page).
pub async fn run(ctx: &Ctx<'_>, request: Request, page: Option<&str>) {
    let service = ctx.service;
    let prepared = service.prepare_login(request, page).await;
    ctx.respond
        .two_step(prepared, async |ticket| service.login(ticket).await, reply)
        .await;
}

fn reply(outcome: &LoginOutcome) -> Reply {
    match outcome {
        LoginOutcome::Delivered => Reply::text(text::LOGIN_CHECK_DMS),
        LoginOutcome::DmClosed(url) => {
            Reply::text(text::LOGIN_DMS_CLOSED).with_link_button(text::LOGIN_BUTTON, url)
        }
        LoginOutcome::DmFailed => Reply::text(text::LOGIN_DM_FAILED),
        LoginOutcome::LinkGone => Reply::text(text::LINK_GONE),
        LoginOutcome::Refused(r) => Reply::refused(r),
        LoginOutcome::Failed(f) => Reply::failed(f),
    }
}

/// The DM carrying a login link.
pub fn dm(url: &LoginUrl, page: &PortalPage) -> CreateMessage {
    CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title(text::LOGIN_DM_TITLE)
                .description(text::login_dm_body(page.label())),
        )
        .components(vec![link_button(text::LOGIN_BUTTON, url)])
}
