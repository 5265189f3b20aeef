//! Answering one interaction: what a command's code gets ([`Ctx`]), the private
//! [`Reply`] it builds, and the [`Responder`] that sends it.

use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use serenity::all::{
    CreateActionRow, CreateButton, CreateInteractionResponse, CreateInteractionResponseMessage,
    CreateModal, EditInteractionResponse, Http, InteractionId,
};
use tracing::warn;

use super::{describe_error, discord_status};
use crate::messages::Messages;
use crate::nexudus::{LoginUrl, NexudusError};
use crate::service::{Failure, Place, Progress, Refusal, Service};

/// Discord refuses message content longer than this.
const MAX_CONTENT: usize = 2000;

/// What a command's code needs to serve one interaction.
pub struct Ctx<'a> {
    pub service: &'a Service,
    /// The wording, in the language of the member who asked.
    pub text: Messages,
    /// The server's wording (`BOT_LOCALE`, else the server's), for the panel everyone reads.
    pub server_text: Messages,
    pub respond: Responder<'a>,
}

impl Ctx<'_> {
    /// Answers a use case of two steps: its refusal at once, or else an
    /// acknowledgement, the work, and the final answer in its place.
    ///
    /// `run` gets the member's place in line edited in while it waits by
    /// passing [`place_edits`](Self::place_edits) to the service, which
    /// finishes any such edit before it returns: the final answer is always
    /// the last edit.
    pub async fn two_step<T, O>(
        &self,
        prepared: Result<T, O>,
        run: impl AsyncFnOnce(T) -> O,
        render: impl Fn(&Messages, &O) -> Reply,
    ) {
        match prepared {
            Err(outcome) => self.respond.reply(render(&self.text, &outcome)).await,
            Ok(ticket) => {
                if self.respond.defer().await {
                    let outcome = run(ticket).await;
                    self.respond.edit(render(&self.text, &outcome)).await;
                }
            }
        }
    }

    /// Edits this interaction's deferred reply to the member's place in line.
    pub fn place_edits(&self) -> PlaceEdits<'_> {
        PlaceEdits {
            respond: &self.respond,
            text: &self.text,
            stopped: AtomicBool::new(false),
        }
    }

    /// For what should not happen (a stale command, a forged id): an answer
    /// rather than Discord's "interaction failed".
    pub async fn internal_error(&self) {
        let reply = Reply::text(self.text.internal_error());
        self.respond.reply(reply).await;
    }
}

/// Edits the deferred reply to the member's place in line. The first failed
/// edit (a 429 above all) stops the edits: they are a courtesy, never retried.
pub struct PlaceEdits<'a> {
    respond: &'a Responder<'a>,
    text: &'a Messages,
    stopped: AtomicBool,
}

#[async_trait]
impl Progress for PlaceEdits<'_> {
    async fn waiting(&self, place: Place) {
        if self.stopped.load(Ordering::Relaxed) {
            return;
        }
        let reply = Reply::text(self.text.queue_place(place.number, place.wait));
        if let Err(err) = self.respond.try_edit(reply).await {
            self.stopped.store(true, Ordering::Relaxed);
            if discord_status(&err) == Some(429) {
                tracing::debug!("Discord asked to slow down; no more place-in-line edits");
            } else {
                warn!(error = %describe_error(&err), "editing the place in line failed");
            }
        }
    }
}

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

    pub fn with_link_button(mut self, label: String, url: &LoginUrl) -> Reply {
        self.components = vec![link_button(label, url)];
        self
    }

    /// The member's answer to a refusal, whatever they asked.
    pub fn refused(text: &Messages, refusal: &Refusal) -> Reply {
        Reply::text(match refusal {
            Refusal::NotLinked => text.not_linked(),
            Refusal::RateLimited { retry_at } => text.rate_limited(*retry_at),
            Refusal::AlreadyRunning => text.already_running(),
            Refusal::UnknownPage => text.unknown_page(),
            Refusal::InvalidEmail(problem) => text.invalid_email(*problem),
            Refusal::NeedEmail => text.reset_needs_email(),
            Refusal::QueueFull { retry_at } => text.queue_full(*retry_at),
            Refusal::ShuttingDown => text.queue_restarting(),
        })
    }

    /// The member's answer to a failure, whatever they asked.
    pub fn failed(text: &Messages, failure: &Failure) -> Reply {
        Reply::text(match failure {
            Failure::Nexudus(NexudusError::HourlyBudgetSpent { retry_at }) => {
                text.hourly_budget_spent(*retry_at)
            }
            Failure::Nexudus(_) => text.nexudus_unavailable(),
            Failure::Misconfigured => text.misconfigured(),
            Failure::Internal => text.internal_error(),
        })
    }

    /// As the first response to an interaction: always ephemeral.
    fn into_message(self) -> CreateInteractionResponseMessage {
        CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .content(self.content)
            .components(self.components)
    }

    /// As the edit of a deferred (already ephemeral) response.
    fn into_edit(self) -> EditInteractionResponse {
        EditInteractionResponse::new()
            .content(self.content)
            .components(self.components)
    }
}

/// A row with one button that opens `url` (a login link: never logged).
pub fn link_button(label: String, url: &LoginUrl) -> CreateActionRow {
    CreateActionRow::Buttons(vec![CreateButton::new_link(url.expose()).label(label)])
}

/// Answers one interaction; Discord errors are logged, never shown or propagated.
pub struct Responder<'a> {
    http: &'a Http,
    id: InteractionId,
    token: &'a str,
}

impl<'a> Responder<'a> {
    pub fn new(http: &'a Http, id: InteractionId, token: &'a str) -> Responder<'a> {
        Responder { http, id, token }
    }

    /// The REST client, for what is not an answer (posting the panel).
    pub fn http(&self) -> &'a Http {
        self.http
    }

    async fn respond(&self, response: CreateInteractionResponse) -> bool {
        match self
            .http
            .create_interaction_response(self.id, self.token, &response, Vec::new())
            .await
        {
            Ok(()) => true,
            Err(err) => {
                warn!(error = %describe_error(&err), "answering the interaction failed");
                false
            }
        }
    }

    pub async fn reply(&self, reply: Reply) {
        self.respond(CreateInteractionResponse::Message(reply.into_message()))
            .await;
    }

    /// Acknowledges within Discord's 3 s, privately; false when Discord refused it.
    pub async fn defer(&self) -> bool {
        let private = CreateInteractionResponseMessage::new().ephemeral(true);
        self.respond(CreateInteractionResponse::Defer(private))
            .await
    }

    pub async fn modal(&self, modal: CreateModal) {
        self.respond(CreateInteractionResponse::Modal(modal)).await;
    }

    pub async fn edit(&self, reply: Reply) {
        if let Err(err) = self.try_edit(reply).await {
            warn!(error = %describe_error(&err), "editing the reply failed");
        }
    }

    async fn try_edit(&self, reply: Reply) -> Result<(), serenity::Error> {
        self.http
            .edit_original_interaction_response(self.token, &reply.into_edit(), Vec::new())
            .await
            .map(drop)
    }
}
