//! Routes gateway events and interactions to the service, and answers them.

use std::sync::Arc;

use async_trait::async_trait;
use secrecy::SecretString;
use serenity::all::{
    ActionRowComponent, ChannelId, CommandInteraction, ComponentInteraction, ConnectionStage,
    Context, CreateActionRow, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateModal, EventHandler, GuildId, Http, InputTextStyle,
    Interaction, InteractionId, ModalInteraction, Ready, ResolvedValue, RoleId,
    ShardStageUpdateEvent,
};
use tracing::{info, warn};

use super::admin;
use super::commands::{custom_ids, names};
use super::describe_error;
use super::render::{self, Reply};
use crate::config::DiscordSettings;
use crate::lifecycle::Lifecycle;
use crate::log_context;
use crate::messages as text;
use crate::request::{Request, RequestId};
use crate::service::Service;

/// The serenity event handler of the bot.
pub struct Handler {
    service: Arc<Service>,
    allowed_guilds: Vec<GuildId>,
    manager_roles: Vec<RoleId>,
    lifecycle: Arc<Lifecycle>,
}

impl Handler {
    pub fn new(
        service: Arc<Service>,
        discord: &DiscordSettings,
        lifecycle: Arc<Lifecycle>,
    ) -> Handler {
        Handler {
            service,
            allowed_guilds: discord.guild_ids.clone(),
            manager_roles: discord.manager_role_ids.clone(),
            lifecycle,
        }
    }

    /// Why this interaction may not be served here, if it may not.
    fn refusal(&self, guild_id: Option<GuildId>) -> Option<&'static str> {
        if self.lifecycle.shutting_down() {
            return Some(text::SHUTTING_DOWN);
        }
        match guild_id {
            None => Some(text::NOT_IN_GUILD),
            Some(guild)
                if !self.allowed_guilds.is_empty() && !self.allowed_guilds.contains(&guild) =>
            {
                Some(text::WRONG_GUILD)
            }
            Some(_) => None,
        }
    }

    async fn command(&self, http: &Http, cmd: &CommandInteraction, request: Request) {
        let respond = Responder::new(http, cmd.id, &cmd.token);
        let service = &self.service;
        match cmd.data.name.as_str() {
            names::LOGIN => {
                self.login(
                    &respond,
                    request,
                    string_option(cmd, names::PAGE).as_deref(),
                )
                .await
            }
            names::RESET_PASSWORD => {
                self.reset(
                    &respond,
                    request,
                    string_option(cmd, names::EMAIL).as_deref(),
                )
                .await
            }
            names::LINK => self.open_link_form(&respond, request.user_id).await,
            admin::names::ADMIN => self.admin(http, cmd, request).await,
            names::UNLINK => {
                respond
                    .reply(render::unlink(&service.unlink(request).await))
                    .await
            }
            names::ACCOUNT => {
                respond
                    .reply(render::account(&service.account(request).await))
                    .await
            }
            other => {
                // A command from an older registration: answer rather than let Discord show "failed".
                warn!(command = other, "unknown command");
                respond.reply(Reply::text(text::INTERNAL_ERROR)).await;
            }
        }
    }

    /// `/login` and the panel's login button.
    async fn login(&self, respond: &Responder<'_>, request: Request, page: Option<&str>) {
        match self.service.prepare_login(request, page).await {
            Err(outcome) => respond.reply(render::login(&outcome)).await,
            Ok(ticket) => {
                if respond.defer().await {
                    let outcome = self.service.login(ticket).await;
                    respond.edit(render::login(&outcome)).await;
                }
            }
        }
    }

    /// `/reset-password` and the panel's reset form.
    async fn reset(&self, respond: &Responder<'_>, request: Request, email: Option<&str>) {
        match self.service.prepare_reset(request, email).await {
            Err(outcome) => respond.reply(render::reset(&outcome)).await,
            Ok(ticket) => {
                if respond.defer().await {
                    let outcome = self.service.reset(ticket).await;
                    respond.edit(render::reset(&outcome)).await;
                }
            }
        }
    }

    /// `/link` and the panel's link button: the form, unless the member is rate limited.
    async fn open_link_form(&self, respond: &Responder<'_>, user_id: u64) {
        match self.service.link_form_allowed(user_id) {
            Err(refusal) => respond.reply(render::refusal(&refusal)).await,
            Ok(()) => respond.modal(link_modal()).await,
        }
    }

    async fn modal(&self, http: &Http, modal: &ModalInteraction, request: Request) {
        let respond = Responder::new(http, modal.id, &modal.token);
        match modal.data.custom_id.as_str() {
            custom_ids::LINK_MODAL => {
                let email = modal_field(modal, custom_ids::LINK_EMAIL).unwrap_or_default();
                let password = SecretString::from(
                    modal_field(modal, custom_ids::LINK_PASSWORD).unwrap_or_default(),
                );
                match self.service.prepare_link(request, &email, password).await {
                    Err(outcome) => respond.reply(render::link(&outcome)).await,
                    Ok(ticket) => {
                        if respond.defer().await {
                            let outcome = self.service.link(ticket).await;
                            respond.edit(render::link(&outcome)).await;
                        }
                    }
                }
            }
            custom_ids::RESET_MODAL => {
                let email = modal_field(modal, custom_ids::RESET_EMAIL).unwrap_or_default();
                self.reset(&respond, request, Some(&email)).await;
            }
            other => {
                warn!(custom_id = other, "unknown modal");
                respond.reply(Reply::text(text::INTERNAL_ERROR)).await;
            }
        }
    }

    /// The member panel's buttons: the same flows as the slash commands, for the clicking member.
    async fn component(&self, http: &Http, component: &ComponentInteraction, request: Request) {
        let respond = Responder::new(http, component.id, &component.token);
        match component.data.custom_id.as_str() {
            custom_ids::PANEL_LOGIN => self.login(&respond, request, None).await,
            custom_ids::PANEL_LINK => self.open_link_form(&respond, request.user_id).await,
            custom_ids::PANEL_RESET => {
                // Prefilled with the linked email, when there is one, so a linked member just confirms.
                let linked = self
                    .service
                    .store()
                    .get_link(request.user_id)
                    .await
                    .ok()
                    .flatten();
                respond
                    .modal(reset_modal(linked.map(|link| link.email)))
                    .await;
            }
            other => {
                warn!(custom_id = other, "unknown button");
                respond.reply(Reply::text(text::INTERNAL_ERROR)).await;
            }
        }
    }

    async fn admin(&self, http: &Http, cmd: &CommandInteraction, request: Request) {
        let respond = Responder::new(http, cmd.id, &cmd.token);
        let service = &self.service;
        let invocation = admin::Invocation::of(cmd);
        let subcommand = invocation.as_ref().map_or("?", |inv| inv.name);
        if !admin::is_manager(cmd, &self.manager_roles) {
            service.admin_refused(request, subcommand).await;
            respond.reply(Reply::text(text::ADMIN_REFUSED)).await;
            return;
        }
        let Some(inv) = invocation else {
            respond.reply(Reply::text(text::INTERNAL_ERROR)).await;
            return;
        };
        let member = inv.member();
        let guild_id = request.guild_id.unwrap_or_default();
        match (inv.name, member) {
            (admin::names::LINK, Some(member)) => {
                let email = inv.string(admin::names::EMAIL).unwrap_or_default();
                if respond.defer().await {
                    let outcome = service.admin_link(request, member, email).await;
                    respond.edit(admin::link(member, email, &outcome)).await;
                }
            }
            (admin::names::UNLINK, Some(member)) => {
                respond
                    .reply(admin::unlink(
                        member,
                        &service.admin_unlink(request, member).await,
                    ))
                    .await;
            }
            (admin::names::WHOIS, Some(member)) => {
                let reply = match service.whois(request, member).await {
                    Ok(whois) => admin::whois(&whois),
                    Err(failure) => Reply::text(admin::failure(&failure)),
                };
                respond.reply(reply).await;
            }
            (admin::names::LOGIN, Some(member)) => {
                let page = inv.string(admin::names::PAGE);
                match service.prepare_admin_login(request, member, page).await {
                    Err(outcome) => respond.reply(admin::login(member, &outcome)).await,
                    Ok(ticket) => {
                        if respond.defer().await {
                            respond
                                .edit(admin::login(member, &service.login(ticket).await))
                                .await;
                        }
                    }
                }
            }
            (admin::names::RESET_PASSWORD, Some(member)) => {
                match service.prepare_admin_reset(request, member).await {
                    Err(outcome) => respond.reply(admin::reset(member, &outcome)).await,
                    Ok(ticket) => {
                        if respond.defer().await {
                            respond
                                .edit(admin::reset(member, &service.reset(ticket).await))
                                .await;
                        }
                    }
                }
            }
            (admin::names::LIMITS, Some(member)) => {
                let reply = match service
                    .limits_of(request, member, inv.flag(admin::names::CLEAR))
                    .await
                {
                    Ok(view) => admin::limits(&view),
                    Err(failure) => Reply::text(admin::failure(&failure)),
                };
                respond.reply(reply).await;
            }
            (admin::names::STATS, _) => {
                respond
                    .reply(admin::stats(&service.stats(request).await))
                    .await
            }
            (admin::names::AUDIT_CHANNEL, _) => {
                let channel = inv.channel();
                let reply = match service.set_audit_channel(request, guild_id, channel).await {
                    Ok(()) => Reply::text(channel.map_or_else(
                        || text::ADMIN_AUDIT_CHANNEL_CLEARED.to_owned(),
                        text::admin_audit_channel_set,
                    )),
                    Err(failure) => Reply::text(admin::failure(&failure)),
                };
                respond.reply(reply).await;
            }
            (admin::names::PANEL, _) => {
                let Some(channel) = inv.channel() else {
                    respond.reply(Reply::text(text::INTERNAL_ERROR)).await;
                    return;
                };
                // Posting is a Discord call that can be slow: acknowledge first.
                if !respond.defer().await {
                    return;
                }
                let posted = match ChannelId::new(channel)
                    .send_message(http, render::panel_message())
                    .await
                {
                    Ok(_) => true,
                    Err(err) => {
                        warn!(channel, error = %describe_error(&err), "posting the member panel failed");
                        false
                    }
                };
                service.panel_posted(request, channel, posted).await;
                let reply = if posted {
                    text::admin_panel_posted(channel)
                } else {
                    text::admin_panel_failed(channel)
                };
                respond.edit(Reply::text(reply)).await;
            }
            (other, _) => {
                warn!(subcommand = other, "admin subcommand without its options");
                respond.reply(Reply::text(text::INTERNAL_ERROR)).await;
            }
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        self.lifecycle.set_gateway_connected(true);
        info!(
            guilds = ready.guilds.len(),
            "connected to the Discord gateway"
        );
    }

    async fn shard_stage_update(&self, _ctx: Context, event: ShardStageUpdateEvent) {
        self.lifecycle
            .set_gateway_connected(matches!(event.new, ConnectionStage::Connected));
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let _tracked = self.lifecycle.track();
        let (id, token, guild_id, user_id, name) = match &interaction {
            Interaction::Command(cmd) => (
                cmd.id,
                &cmd.token,
                cmd.guild_id,
                cmd.user.id,
                cmd.data.name.clone(),
            ),
            Interaction::Modal(modal) => (
                modal.id,
                &modal.token,
                modal.guild_id,
                modal.user.id,
                modal.data.custom_id.clone(),
            ),
            Interaction::Component(component) => (
                component.id,
                &component.token,
                component.guild_id,
                component.user.id,
                component.data.custom_id.clone(),
            ),
            _ => return,
        };
        let request = Request {
            id: RequestId::from_interaction(id.get()),
            guild_id: guild_id.map(GuildId::get),
            user_id: user_id.get(),
        };
        let context = log_context::Interaction {
            command: name,
            user_id: user_id.get(),
            interaction_id: id.get(),
            request_id: request.id.to_string(),
        };
        let serve = async {
            if let Some(refusal) = self.refusal(guild_id) {
                Responder::new(&ctx.http, id, token)
                    .reply(Reply::text(refusal))
                    .await;
                return;
            }
            match &interaction {
                Interaction::Command(cmd) => self.command(&ctx.http, cmd, request).await,
                Interaction::Modal(modal) => self.modal(&ctx.http, modal, request).await,
                Interaction::Component(component) => {
                    self.component(&ctx.http, component, request).await
                }
                _ => {}
            }
        };
        log_context::scope(context, serve).await;
    }
}

/// Answers one interaction; Discord errors are logged, never shown or propagated.
struct Responder<'a> {
    http: &'a Http,
    id: InteractionId,
    token: &'a str,
}

impl<'a> Responder<'a> {
    fn new(http: &'a Http, id: InteractionId, token: &'a str) -> Responder<'a> {
        Responder { http, id, token }
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

    async fn reply(&self, reply: Reply) {
        self.respond(CreateInteractionResponse::Message(reply.into_message()))
            .await;
    }

    /// Acknowledges within Discord's 3 s, privately; false when Discord refused it.
    async fn defer(&self) -> bool {
        let private = CreateInteractionResponseMessage::new().ephemeral(true);
        self.respond(CreateInteractionResponse::Defer(private))
            .await
    }

    async fn modal(&self, modal: CreateModal) {
        self.respond(CreateInteractionResponse::Modal(modal)).await;
    }

    async fn edit(&self, reply: Reply) {
        if let Err(err) = self
            .http
            .edit_original_interaction_response(self.token, &reply.into_edit(), Vec::new())
            .await
        {
            warn!(error = %describe_error(&err), "editing the reply failed");
        }
    }
}

/// The reset form of the panel, prefilled with the linked email.
fn reset_modal(linked_email: Option<String>) -> CreateModal {
    let mut email = CreateInputText::new(
        InputTextStyle::Short,
        text::RESET_MODAL_EMAIL,
        custom_ids::RESET_EMAIL,
    )
    .placeholder("you@example.com")
    .max_length(254)
    .required(true);
    if let Some(linked) = linked_email {
        email = email.value(linked);
    }
    CreateModal::new(custom_ids::RESET_MODAL, text::RESET_MODAL_TITLE)
        .components(vec![CreateActionRow::InputText(email)])
}

/// The `/link` form.
fn link_modal() -> CreateModal {
    let email = CreateInputText::new(
        InputTextStyle::Short,
        text::LINK_MODAL_EMAIL,
        custom_ids::LINK_EMAIL,
    )
    .placeholder("you@example.com")
    .max_length(254)
    .required(true);
    let password = CreateInputText::new(
        InputTextStyle::Short,
        text::LINK_MODAL_PASSWORD,
        custom_ids::LINK_PASSWORD,
    )
    .placeholder(text::LINK_MODAL_PASSWORD_HINT)
    .max_length(256)
    .required(true);
    CreateModal::new(custom_ids::LINK_MODAL, text::LINK_MODAL_TITLE).components(vec![
        CreateActionRow::InputText(email),
        CreateActionRow::InputText(password),
    ])
}

fn string_option(cmd: &CommandInteraction, name: &str) -> Option<String> {
    cmd.data
        .options()
        .into_iter()
        .find_map(|option| match option.value {
            ResolvedValue::String(value) if option.name == name => Some(value.to_owned()),
            _ => None,
        })
}

fn modal_field(modal: &ModalInteraction, custom_id: &str) -> Option<String> {
    modal
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|component| match component {
            ActionRowComponent::InputText(input) if input.custom_id == custom_id => {
                input.value.clone()
            }
            _ => None,
        })
}
