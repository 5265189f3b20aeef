//! Outcomes of the service turned into what the member sees.

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateInteractionResponseMessage,
    CreateMessage, EditInteractionResponse,
};

use crate::messages as text;
use crate::nexudus::LoginUrl;
use crate::pages::PortalPage;
use crate::service::{AccountOutcome, Failure, LinkOutcome, LoginOutcome, Refusal, ResetOutcome};

/// Discord refuses message content longer than this.
const MAX_CONTENT: usize = 2000;

/// A private reply: text, and optionally a button that opens a URL.
#[derive(Debug, Default)]
pub struct Reply {
    pub content: String,
    components: Vec<CreateActionRow>,
}

impl Reply {
    /// A text reply, cut to Discord's 2000-character limit.
    pub fn text(content: impl Into<String>) -> Reply {
        let mut content = content.into();
        if content.chars().count() > MAX_CONTENT {
            content = content.chars().take(MAX_CONTENT - 1).collect();
            content.push('…');
        }
        Reply {
            content,
            components: Vec::new(),
        }
    }

    fn with_link_button(mut self, label: &str, url: &LoginUrl) -> Reply {
        self.components = vec![link_button(label, url)];
        self
    }

    /// As the first response to an interaction: always ephemeral.
    pub fn into_message(self) -> CreateInteractionResponseMessage {
        CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .content(self.content)
            .components(self.components)
    }

    /// As the edit of a deferred (already ephemeral) response.
    pub fn into_edit(self) -> EditInteractionResponse {
        EditInteractionResponse::new()
            .content(self.content)
            .components(self.components)
    }
}

fn link_button(label: &str, url: &LoginUrl) -> CreateActionRow {
    CreateActionRow::Buttons(vec![CreateButton::new_link(url.expose()).label(label)])
}

/// The DM carrying a login link.
pub fn login_dm(url: &LoginUrl, page: &PortalPage) -> CreateMessage {
    CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title(text::LOGIN_DM_TITLE)
                .description(text::login_dm_body(page.label())),
        )
        .components(vec![link_button(text::LOGIN_BUTTON, url)])
}

/// The member panel a manager posts: an embed and three buttons with stable ids,
/// so they keep working after a restart.
pub fn panel_message() -> CreateMessage {
    use super::commands::custom_ids;
    let buttons = vec![
        CreateButton::new(custom_ids::PANEL_LOGIN)
            .label(text::PANEL_LOGIN)
            .style(ButtonStyle::Primary),
        CreateButton::new(custom_ids::PANEL_RESET)
            .label(text::PANEL_RESET)
            .style(ButtonStyle::Secondary),
        CreateButton::new(custom_ids::PANEL_LINK)
            .label(text::PANEL_LINK)
            .style(ButtonStyle::Secondary),
    ];
    CreateMessage::new()
        .embed(super::admin::panel_embed())
        .components(vec![CreateActionRow::Buttons(buttons)])
}

pub fn refusal(refusal: &Refusal) -> Reply {
    Reply::text(match refusal {
        Refusal::NotLinked => text::NOT_LINKED.to_owned(),
        Refusal::RateLimited { retry_at } => text::rate_limited(*retry_at),
        Refusal::AlreadyRunning => text::ALREADY_RUNNING.to_owned(),
        Refusal::UnknownPage => text::UNKNOWN_PAGE.to_owned(),
        Refusal::InvalidEmail(problem) => text::invalid_email(&problem.to_string()),
        Refusal::NeedEmail => text::RESET_NEEDS_EMAIL.to_owned(),
    })
}

pub fn failure(failure: &Failure) -> Reply {
    Reply::text(match failure {
        Failure::Nexudus(_) => text::NEXUDUS_UNAVAILABLE,
        Failure::Misconfigured => text::MISCONFIGURED,
        Failure::Internal => text::INTERNAL_ERROR,
    })
}

pub fn login(outcome: &LoginOutcome) -> Reply {
    match outcome {
        LoginOutcome::Delivered => Reply::text(text::LOGIN_CHECK_DMS),
        LoginOutcome::DmClosed(url) => {
            Reply::text(text::LOGIN_DMS_CLOSED).with_link_button(text::LOGIN_BUTTON, url)
        }
        LoginOutcome::DmFailed => Reply::text(text::LOGIN_DM_FAILED),
        LoginOutcome::LinkGone => Reply::text(text::LINK_GONE),
        LoginOutcome::Refused(r) => refusal(r),
        LoginOutcome::Failed(f) => failure(f),
    }
}

pub fn reset(outcome: &ResetOutcome) -> Reply {
    match outcome {
        ResetOutcome::Requested { email } => Reply::text(text::reset_sent(email)),
        ResetOutcome::Refused(r) => refusal(r),
        ResetOutcome::Failed(f) => failure(f),
    }
}

pub fn link(outcome: &LinkOutcome) -> Reply {
    match outcome {
        LinkOutcome::Linked { email, .. } => Reply::text(text::linked(email)),
        LinkOutcome::InvalidCredentials => Reply::text(text::LINK_INVALID_CREDENTIALS),
        LinkOutcome::AccountNotFound => Reply::text(text::LINK_ACCOUNT_NOT_FOUND),
        LinkOutcome::Refused(r) => refusal(r),
        LinkOutcome::Failed(f) => failure(f),
    }
}

pub fn account(outcome: &AccountOutcome) -> Reply {
    match outcome {
        AccountOutcome::Linked(link) => Reply::text(text::account(&link.email, link.linked_at)),
        AccountOutcome::Unlinked(link) => Reply::text(text::unlinked(&link.email)),
        AccountOutcome::NotLinked => Reply::text(text::NOT_LINKED),
        AccountOutcome::Failed(f) => failure(f),
    }
}

/// `/unlink` without a link says so, rather than pointing at `/link`.
pub fn unlink(outcome: &AccountOutcome) -> Reply {
    match outcome {
        AccountOutcome::NotLinked => Reply::text(text::NOTHING_TO_UNLINK),
        other => account(other),
    }
}
