//! Gateway events, and the routing of each interaction to its command family.
//! What a command does and says lives in that family's file.

use std::sync::Arc;

use async_trait::async_trait;
use serenity::all::{
    CommandInteraction, ComponentInteraction, ConnectionStage, Context, EventHandler, GuildId,
    Http, Interaction, InteractionId, ModalInteraction, Ready, RoleId, ShardStageUpdateEvent,
};
use tracing::{info, warn};

use super::ids::{command, custom};
use super::language::ServerLanguage;
use super::reply::{Ctx, Reply, Responder};
use super::{account, admin, link, login, panel, reset};
use crate::config::DiscordSettings;
use crate::i18n::Locale;
use crate::lifecycle::Lifecycle;
use crate::log_context;
use crate::messages::Messages;
use crate::request::{Request, RequestId};
use crate::service::Service;

/// The serenity event handler of the bot.
pub struct Handler {
    service: Arc<Service>,
    allowed_guilds: Vec<GuildId>,
    manager_roles: Vec<RoleId>,
    lifecycle: Arc<Lifecycle>,
    language: ServerLanguage,
}

impl Handler {
    pub fn new(
        service: Arc<Service>,
        discord: &DiscordSettings,
        lifecycle: Arc<Lifecycle>,
        language: ServerLanguage,
    ) -> Handler {
        Handler {
            service,
            allowed_guilds: discord.guild_ids.clone(),
            manager_roles: discord.manager_role_ids.clone(),
            lifecycle,
            language,
        }
    }

    /// Why this interaction may not be served here, if it may not.
    fn refusal(&self, text: &Messages, guild_id: Option<GuildId>) -> Option<String> {
        if self.lifecycle.shutting_down() {
            return Some(text.shutting_down());
        }
        match guild_id {
            None => Some(text.not_in_guild()),
            Some(guild)
                if !self.allowed_guilds.is_empty() && !self.allowed_guilds.contains(&guild) =>
            {
                Some(text.wrong_guild())
            }
            Some(_) => None,
        }
    }

    fn ctx<'a>(
        &'a self,
        http: &'a Http,
        id: InteractionId,
        token: &'a str,
        request: &Request,
    ) -> Ctx<'a> {
        Ctx {
            service: &self.service,
            text: Messages::new(request.locale),
            server_text: self.language.messages(request.guild_id),
            respond: Responder::new(http, id, token),
        }
    }

    async fn command(&self, http: &Http, cmd: &CommandInteraction, request: Request) {
        let ctx = self.ctx(http, cmd.id, &cmd.token, &request);
        match cmd.data.name.as_str() {
            command::LOGIN => login::command(&ctx, cmd, request).await,
            command::RESET_PASSWORD => reset::command(&ctx, cmd, request).await,
            command::LINK => link::open_form(&ctx, request).await,
            command::UNLINK => account::unlink(&ctx, request).await,
            command::ACCOUNT => account::show(&ctx, request).await,
            command::ADMIN => admin::command(&ctx, cmd, request, &self.manager_roles).await,
            other => {
                // A command from an older registration: answer rather than let Discord show "failed".
                warn!(command = other, "unknown command");
                ctx.internal_error().await;
            }
        }
    }

    async fn modal(&self, http: &Http, modal: &ModalInteraction, request: Request) {
        let ctx = self.ctx(http, modal.id, &modal.token, &request);
        match modal.data.custom_id.as_str() {
            custom::LINK_MODAL => link::form_submitted(&ctx, modal, request).await,
            custom::RESET_MODAL => reset::form_submitted(&ctx, modal, request).await,
            other => {
                warn!(custom_id = other, "unknown modal");
                ctx.internal_error().await;
            }
        }
    }

    /// Buttons: the member panel's are the only ones with an id.
    async fn component(&self, http: &Http, component: &ComponentInteraction, request: Request) {
        let ctx = self.ctx(http, component.id, &component.token, &request);
        panel::button(&ctx, component, request).await;
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
        let (id, token, guild_id, user_id, name, locale, guild_locale) = match &interaction {
            Interaction::Command(cmd) => (
                cmd.id,
                &cmd.token,
                cmd.guild_id,
                cmd.user.id,
                cmd.data.name.clone(),
                &cmd.locale,
                &cmd.guild_locale,
            ),
            Interaction::Modal(modal) => (
                modal.id,
                &modal.token,
                modal.guild_id,
                modal.user.id,
                modal.data.custom_id.clone(),
                &modal.locale,
                &modal.guild_locale,
            ),
            Interaction::Component(component) => (
                component.id,
                &component.token,
                component.guild_id,
                component.user.id,
                component.data.custom_id.clone(),
                &component.locale,
                &component.guild_locale,
            ),
            _ => return,
        };
        if let Some(guild) = guild_id {
            self.language.remember(guild.get(), guild_locale.as_deref());
        }
        let request = Request {
            id: RequestId::from_interaction(id.get()),
            guild_id: guild_id.map(GuildId::get),
            user_id: user_id.get(),
            locale: Locale::from_discord(locale),
        };
        let context = log_context::Interaction {
            command: name,
            user_id: user_id.get(),
            interaction_id: id.get(),
            request_id: request.id.to_string(),
        };
        let serve = async {
            if let Some(refusal) = self.refusal(&Messages::new(request.locale), guild_id) {
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
