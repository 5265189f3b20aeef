//! `/login`: the member's one-time portal link, by DM (or in the reply when
//! DMs are closed). The panel's login button runs the same [`run`].

use serenity::all::{
    CommandInteraction, CommandOptionType, CreateCommand, CreateCommandOption, CreateEmbed,
    CreateMessage,
};

use super::describe::Describe;
use super::ids::{command, option};
use super::input::string_option;
use super::reply::{Ctx, Reply, link_button};
use crate::messages::Messages;
use crate::nexudus::LoginUrl;
use crate::pages::{PortalPage, PortalPages};
use crate::request::Request;
use crate::service::LoginOutcome;

pub fn definition(pages: &PortalPages) -> CreateCommand {
    let page = page_option(pages).required(false);
    CreateCommand::new(command::LOGIN)
        .describe("cmd-login-description")
        .add_option(page)
}

/// The `page` option: one choice per configured portal page (also `/admin login`'s).
pub fn page_option(pages: &PortalPages) -> CreateCommandOption {
    pages.iter().fold(
        CreateCommandOption::new(CommandOptionType::String, option::PAGE, "")
            .describe("cmd-login-page-description"),
        |option, page| option.add_string_choice(page.label(), page.label()),
    )
}

/// `/login [page]`.
pub async fn command(ctx: &Ctx<'_>, cmd: &CommandInteraction, request: Request) {
    run(ctx, request, string_option(cmd, option::PAGE).as_deref()).await;
}

/// A login for the member who asked, opening `page` (or the first configured page).
pub async fn run(ctx: &Ctx<'_>, request: Request, page: Option<&str>) {
    let prepared = ctx.service.prepare_login(request, page).await;
    let progress = ctx.place_edits();
    let run = async |ticket| ctx.service.login(ticket, &progress).await;
    ctx.two_step(prepared, run, reply).await;
}

fn reply(text: &Messages, outcome: &LoginOutcome) -> Reply {
    match outcome {
        LoginOutcome::Delivered => Reply::text(text.login_check_dms()),
        LoginOutcome::DmClosed(url) => {
            Reply::text(text.login_dms_closed()).with_link_button(text.login_button(), url)
        }
        LoginOutcome::DmFailed => Reply::text(text.login_dm_failed()),
        LoginOutcome::LinkGone => Reply::text(text.link_gone()),
        LoginOutcome::Refused(r) => Reply::refused(text, r),
        LoginOutcome::Failed(f) => Reply::failed(text, f),
    }
}

/// The DM carrying a login link.
pub fn dm(text: &Messages, url: &LoginUrl, page: &PortalPage) -> CreateMessage {
    CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title(text.login_dm_title())
                .description(text.login_dm_body(page.label())),
        )
        .components(vec![link_button(text.login_button(), url)])
}
