//! The names Discord knows the bot's commands and components by.
//!
//! Command and option names are part of the product (docs and managers rely
//! on them); custom ids sit in posted panels and open forms, so they must stay
//! stable across restarts and versions. A leaf: it imports nothing.

/// Top-level slash commands.
pub mod command {
    pub const LOGIN: &str = "login";
    pub const RESET_PASSWORD: &str = "reset-password";
    pub const LINK: &str = "link";
    pub const UNLINK: &str = "unlink";
    pub const ACCOUNT: &str = "account";
    pub const ADMIN: &str = "admin";
}

/// Subcommands of `/admin`.
pub mod admin {
    pub const LINK: &str = "link";
    pub const UNLINK: &str = "unlink";
    pub const WHOIS: &str = "whois";
    pub const LOGIN: &str = "login";
    pub const RESET_PASSWORD: &str = "reset-password";
    pub const LIMITS: &str = "limits";
    pub const STATS: &str = "stats";
    pub const AUDIT_CHANNEL: &str = "audit-channel";
    pub const PANEL: &str = "panel";
    pub const SYNC: &str = "sync";
}

/// Options, of member commands and `/admin` subcommands alike.
pub mod option {
    pub const PAGE: &str = "page";
    pub const EMAIL: &str = "email";
    pub const MEMBER: &str = "member";
    pub const CLEAR: &str = "clear";
    pub const CHANNEL: &str = "channel";
}

/// Custom ids of the forms and buttons the bot creates.
pub mod custom {
    pub const LINK_MODAL: &str = "link:form";
    pub const LINK_EMAIL: &str = "link:email";
    pub const LINK_PASSWORD: &str = "link:password";
    pub const LINK_TWO_FACTOR: &str = "link:two_factor";
    pub const RESET_MODAL: &str = "reset:form";
    pub const RESET_EMAIL: &str = "reset:email";
    pub const PANEL_LOGIN: &str = "panel:login";
    pub const PANEL_RESET: &str = "panel:reset";
    pub const PANEL_LINK: &str = "panel:link";
}
