//! The server's language, for what no single member asked for: the member
//! panel and audit-channel posts. `BOT_LOCALE` when set, else the
//! `guild_locale` interactions carry (the server's preferred locale), else English.

use std::sync::Arc;

use dashmap::DashMap;

use crate::i18n::Locale;
use crate::messages::Messages;

/// Shared by the handler (which learns each server's locale) and the audit feed.
#[derive(Debug, Clone, Default)]
pub struct ServerLanguage {
    fixed: Option<Locale>,
    seen: Arc<DashMap<u64, Locale>>,
}

impl ServerLanguage {
    pub fn new(bot_locale: Option<Locale>) -> ServerLanguage {
        ServerLanguage {
            fixed: bot_locale,
            seen: Arc::default(),
        }
    }

    /// Notes a server's `guild_locale` from one of its interactions.
    pub fn remember(&self, guild: u64, guild_locale: Option<&str>) {
        if self.fixed.is_none()
            && let Some(code) = guild_locale
        {
            let locale = Locale::from_discord(code);
            if self.seen.get(&guild).is_none_or(|known| *known != locale) {
                self.seen.insert(guild, locale);
            }
        }
    }

    /// The language for `guild` (`None`: the bot's own events, for every server).
    pub fn locale(&self, guild: Option<u64>) -> Locale {
        self.fixed
            .or_else(|| guild.and_then(|guild| self.seen.get(&guild).map(|known| *known)))
            .unwrap_or(Locale::FALLBACK)
    }

    pub fn messages(&self, guild: Option<u64>) -> Messages {
        Messages::new(self.locale(guild))
    }
}
