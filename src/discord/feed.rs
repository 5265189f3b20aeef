//! Audit events posted to each guild's audit channel.

use std::sync::Arc;

use serenity::all::{ChannelId, CreateEmbed, CreateEmbedFooter, CreateMessage, Http, Timestamp};
use tracing::warn;

use super::describe_error;
use super::language::ServerLanguage;
use crate::messages::Messages;
use crate::service::{AuditFeed, BOT_ACTOR};
use crate::store::{NewAuditEntry, Store};

/// Posts audit events as compact embeds; failures are logged and never reach the member.
pub struct ChannelFeed {
    http: Arc<Http>,
    store: Store,
    language: ServerLanguage,
}

impl ChannelFeed {
    pub fn new(http: Arc<Http>, store: Store, language: ServerLanguage) -> ChannelFeed {
        ChannelFeed {
            http,
            store,
            language,
        }
    }
}

impl AuditFeed for ChannelFeed {
    fn publish(&self, entry: NewAuditEntry) {
        let (http, store) = (Arc::clone(&self.http), self.store.clone());
        let embed = audit_embed(&self.language.messages(entry.guild_id), &entry);
        tokio::spawn(async move {
            // A guild's event goes to its channel; the bot's own events (outages) to every channel.
            let channels = match entry.guild_id {
                Some(guild) => store
                    .audit_channel(guild)
                    .await
                    .map(|c| c.into_iter().collect()),
                None => store.audit_channels().await,
            };
            let channels: Vec<u64> = match channels {
                Ok(channels) => channels,
                Err(err) => {
                    warn!(error = %err, "reading the audit channel failed");
                    return;
                }
            };
            for channel in channels {
                let post = CreateMessage::new().embed(embed.clone());
                if let Err(err) = ChannelId::new(channel).send_message(&*http, post).await {
                    warn!(channel, error = %describe_error(&err), "posting to the audit channel failed");
                }
            }
        });
    }
}

/// One audit event: who, what, outcome, masked email, request id, time. Never a secret.
pub fn audit_embed(text: &Messages, entry: &NewAuditEntry) -> CreateEmbed {
    let actor = (entry.actor_id != BOT_ACTOR).then_some(entry.actor_id);
    let mut lines = vec![text.audit_summary(actor, entry.action.as_str(), entry.outcome.as_str())];
    if let Some(target) = entry
        .target_user_id
        .filter(|target| *target != entry.actor_id)
    {
        lines.push(text.audit_member(target));
    }
    if let Some(email) = &entry.target_email_masked {
        lines.push(text.audit_email(email));
    }
    if let Some(detail) = &entry.detail {
        lines.push(text.audit_detail(detail));
    }
    let footer = CreateEmbedFooter::new(text.audit_footer(&entry.request_id));
    let mut embed = CreateEmbed::new()
        .description(lines.join("\n"))
        .footer(footer);
    if let Ok(at) = Timestamp::from_unix_timestamp(entry.at) {
        embed = embed.timestamp(at);
    }
    embed
}
