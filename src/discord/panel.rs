//! The member panel a manager posts (`/admin panel`): an embed with three
//! buttons that start the member flows for whoever clicks. The buttons' ids
//! are stable, so a panel posted long ago keeps working.

use serenity::all::{
    ButtonStyle, ComponentInteraction, CreateActionRow, CreateButton, CreateEmbed, CreateMessage,
};
use tracing::warn;

use super::ids::custom;
use super::reply::Ctx;
use super::{link, login, reset};
use crate::messages::Messages;
use crate::request::Request;

/// The panel's message.
pub fn message(text: &Messages) -> CreateMessage {
    let buttons = vec![
        CreateButton::new(custom::PANEL_LOGIN)
            .label(text.panel_login())
            .style(ButtonStyle::Primary),
        CreateButton::new(custom::PANEL_RESET)
            .label(text.panel_reset())
            .style(ButtonStyle::Secondary),
        CreateButton::new(custom::PANEL_LINK)
            .label(text.panel_link())
            .style(ButtonStyle::Secondary),
    ];
    let embed = CreateEmbed::new()
        .title(text.panel_title())
        .description(text.panel_body());
    CreateMessage::new()
        .embed(embed)
        .components(vec![CreateActionRow::Buttons(buttons)])
}

/// A click on one of the panel's buttons: the same flow as the slash command.
pub async fn button(ctx: &Ctx<'_>, component: &ComponentInteraction, request: Request) {
    match component.data.custom_id.as_str() {
        custom::PANEL_LOGIN => login::run(ctx, request, None).await,
        custom::PANEL_LINK => link::open_form(ctx, request).await,
        custom::PANEL_RESET => reset::open_form(ctx, request).await,
        other => {
            warn!(custom_id = other, "unknown button");
            ctx.internal_error().await;
        }
    }
}
