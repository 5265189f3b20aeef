//! Every sentence a member or a community manager reads, in one place.
//!
//! Members are often on a phone and not technical: short sentences, say what
//! happened and what to do next, never a stack trace or an error code.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `<t:UNIX:R>`: Discord renders it as "in 5 minutes" in the reader's language.
pub fn relative_time(at: SystemTime) -> String {
    let unix = at
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    format!("<t:{unix}:R>")
}

/// `<t:UNIX:f>`: a full date and time in the reader's time zone.
pub fn full_time(unix: i64) -> String {
    format!("<t:{unix}:f>")
}

// ---- command and option descriptions (shown in Discord's command picker) ----

pub const LOGIN_DESCRIPTION: &str = "Get a one-time link that logs you into the member portal";
pub const LOGIN_PAGE_DESCRIPTION: &str = "Which portal page to open";
pub const RESET_DESCRIPTION: &str = "Get an email with a link to reset your member portal password";
pub const RESET_EMAIL_DESCRIPTION: &str =
    "Your member portal email (leave empty to use your linked account)";
pub const LINK_DESCRIPTION: &str = "Connect your Discord account to your member portal account";
pub const UNLINK_DESCRIPTION: &str = "Disconnect your Discord account from the member portal";
pub const ACCOUNT_DESCRIPTION: &str = "Show which member portal account is linked to you";

// ---- /login ----

pub const LOGIN_DM_TITLE: &str = "Your member portal login link";
pub const LOGIN_BUTTON: &str = "Open the member portal";

/// The DM's body: what the link does and why it must not be shared.
pub fn login_dm_body(page_label: &str) -> String {
    format!(
        "Tap the button to log in and open **{page_label}**.\n\
         The link works **once** and expires soon. Don't share it: anyone with it can open your account."
    )
}

pub const LOGIN_CHECK_DMS: &str = "Check your direct messages: your login link is there. 📬";

pub const LOGIN_DMS_CLOSED: &str = "I couldn't send you a direct message, so here is your link. \
It works once and expires soon; don't share it.\n\
Tip: to get links by DM next time, allow direct messages from server members \
(Server name ▸ Privacy Settings ▸ Direct Messages).";

pub const LOGIN_DM_FAILED: &str =
    "I couldn't deliver your login link right now. Please try again in a minute.";

pub const NOT_LINKED: &str = "Your Discord account isn't linked to a member portal account yet.\n\
Use `/link` once with your portal email and password, then `/login` works with one tap.";

pub const LINK_GONE: &str = "Your linked member portal account no longer exists. \
Use `/link` again with your current portal email and password.";

pub const UNKNOWN_PAGE: &str =
    "That page isn't one of the choices. Pick a page from the list, or leave it empty.";

// ---- /reset-password ----

/// Same wording whether or not an account exists: it must not reveal who is a member.
pub fn reset_sent(email: &str) -> String {
    format!(
        "If **{email}** belongs to a member portal account, a password reset email is on its way. \
         Check your inbox (and the spam folder) in a few minutes."
    )
}

pub const RESET_NEEDS_EMAIL: &str = "Tell me which email to send the reset link to: \
use `/reset-password email:you@example.com`.\n\
Tip: after `/link`, `/reset-password` needs no email.";

pub fn invalid_email(reason: &str) -> String {
    format!("That doesn't look like an email address ({reason}). Please check it and try again.")
}

// ---- /link ----

pub const LINK_MODAL_TITLE: &str = "Link your member portal account";
pub const LINK_MODAL_EMAIL: &str = "Member portal email";
pub const LINK_MODAL_PASSWORD: &str = "Member portal password";
pub const LINK_MODAL_PASSWORD_HINT: &str = "Sent only to Nexudus to check it; never stored";

pub fn linked(email: &str) -> String {
    format!(
        "Done: your Discord account is now linked to **{email}**. `/login` now sends you a login link with one tap."
    )
}

pub const LINK_INVALID_CREDENTIALS: &str = "The email or password is not valid. Please check both and try `/link` again. \
     Forgot your password? Use `/reset-password`.";

pub const LINK_ACCOUNT_NOT_FOUND: &str = "Nexudus accepted your sign-in but I couldn't find your member record. \
Please ask a community manager to link your account.";

// ---- /unlink, /account ----

pub fn unlinked(email: &str) -> String {
    format!("Your Discord account is no longer linked to **{email}**.")
}

pub const NOTHING_TO_UNLINK: &str =
    "Your Discord account isn't linked to a member portal account, so there is nothing to unlink.";

pub fn account(email: &str, linked_at: i64) -> String {
    format!(
        "Your Discord account is linked to **{email}** (since {}).\nUse `/unlink` to disconnect it.",
        full_time(linked_at)
    )
}

// ---- shared refusals and failures ----

pub fn rate_limited(retry_at: SystemTime) -> String {
    format!(
        "You've asked for this a few times in a short while. You can try again {}.",
        relative_time(retry_at)
    )
}

pub const ALREADY_RUNNING: &str = "Your previous request is already on its way. Give it a moment.";

pub const NEXUDUS_UNAVAILABLE: &str =
    "I couldn't reach the member portal just now. Please try again in a few minutes.";

pub const MISCONFIGURED: &str = "The bot can't talk to the member portal because of a setup problem. \
The community managers have been told; please try again later.";

pub const WRONG_GUILD: &str = "This bot only works in its coworking community's server.";

pub const NOT_IN_GUILD: &str =
    "Please use this command in the community server, not in a direct message.";

pub const SHUTTING_DOWN: &str = "The bot is restarting. Please try again in a minute.";

pub const INTERNAL_ERROR: &str = "Something went wrong on my side. Please try again in a minute.";

// ---- /admin (community managers) ----

pub const ADMIN_DESCRIPTION: &str = "Community manager tools for the member portal bot";
pub const ADMIN_LINK_DESCRIPTION: &str =
    "Link a member to the Nexudus account with this email (no password needed)";
pub const ADMIN_UNLINK_DESCRIPTION: &str = "Remove a member's link";
pub const ADMIN_WHOIS_DESCRIPTION: &str = "Show a member's link and their last requests";
pub const ADMIN_LOGIN_DESCRIPTION: &str =
    "DM a member a one-time login link (you never see the link)";
pub const ADMIN_RESET_DESCRIPTION: &str =
    "Send the password reset email to a member's linked email";
pub const ADMIN_LIMITS_DESCRIPTION: &str = "Show a member's rate limits, or clear them";
pub const ADMIN_STATS_DESCRIPTION: &str = "Counts since start, Nexudus latency, linked members";
pub const ADMIN_AUDIT_CHANNEL_DESCRIPTION: &str =
    "Set the channel where audit events are posted (empty: stop posting)";
pub const ADMIN_PANEL_DESCRIPTION: &str = "Post the member self-service panel in a channel";
pub const ADMIN_MEMBER_OPTION: &str = "The member";
pub const ADMIN_EMAIL_OPTION: &str = "Their Nexudus (member portal) email";
pub const ADMIN_CLEAR_OPTION: &str = "Reset their limits now";
pub const ADMIN_CHANNEL_OPTION: &str = "The channel";

pub const ADMIN_REFUSED: &str =
    "Only community managers (Manage Server, or a manager role) can use `/admin`.";

pub fn admin_linked(member: u64, email: &str, moved_from: Option<u64>) -> String {
    let moved = moved_from
        .map(|previous| {
            format!(
                "\nThis Nexudus account was linked to <@{previous}> before; that link was removed."
            )
        })
        .unwrap_or_default();
    format!("<@{member}> is now linked to **{email}**.{moved}")
}

pub fn admin_no_such_user(email: &str) -> String {
    format!(
        "No Nexudus user has the email **{email}**. Check the spelling, or the member's profile in Nexudus."
    )
}

pub fn admin_unlinked(member: u64, email: &str) -> String {
    format!("<@{member}> is no longer linked (was **{email}**).")
}

pub fn admin_not_linked(member: u64) -> String {
    format!("<@{member}> isn't linked to a Nexudus account. Use `/admin link` to link them.")
}

pub fn admin_login_delivered(member: u64) -> String {
    format!("A one-time login link was sent to <@{member}> by DM.")
}

pub fn admin_login_dm_closed(member: u64) -> String {
    format!(
        "<@{member}> doesn't accept direct messages from this server, so the link was not sent. \
         Ask them to run `/login` themselves: the link then appears privately to them."
    )
}

pub fn admin_login_failed(member: u64) -> String {
    format!("Discord didn't deliver the DM to <@{member}>. Try again in a minute.")
}

pub fn admin_link_gone(member: u64) -> String {
    format!(
        "<@{member}>'s linked Nexudus user no longer exists. Link them again with `/admin link` (or ask them to `/link`)."
    )
}

pub fn admin_reset_requested(member: u64, email: &str) -> String {
    format!(
        "Nexudus was asked to email a password reset link to **{email}** (<@{member}>'s linked email)."
    )
}

pub fn admin_member_rate_limited(member: u64, retry_at: SystemTime) -> String {
    format!(
        "<@{member}>'s limit for this is used up; it frees up {}. `/admin limits member:… clear:true` resets it.",
        relative_time(retry_at)
    )
}

pub fn admin_already_running(member: u64) -> String {
    format!("A request for <@{member}> is already on its way.")
}

pub const ADMIN_UNKNOWN_PAGE: &str = "That page isn't one of the configured choices.";

pub const ADMIN_NEXUDUS_UNAVAILABLE: &str =
    "Nexudus could not be reached (down, slow or throttling). Try again in a few minutes.";

pub const ADMIN_MISCONFIGURED: &str = "Nexudus rejected the bot's REST credentials. The operator should run \
`nexudus-bot check` and verify NEXUDUS_API_USERNAME/NEXUDUS_API_PASSWORD, API access and the User-Edit and User-List roles.";

pub fn admin_audit_channel_set(channel: u64) -> String {
    format!("Audit events will be posted in <#{channel}>.")
}

pub const ADMIN_AUDIT_CHANNEL_CLEARED: &str =
    "Audit events will no longer be posted in a channel (they are still kept in the audit log).";

pub fn admin_panel_posted(channel: u64) -> String {
    format!("The member panel is posted in <#{channel}>.")
}

pub fn admin_panel_failed(channel: u64) -> String {
    format!(
        "I couldn't post in <#{channel}>. Check that I can view the channel, send messages and embed links there."
    )
}

// ---- the member panel ----

pub const PANEL_TITLE: &str = "Member portal";
pub const PANEL_BODY: &str = "Log in to the member portal without typing a password, get a password reset email, \
or link your Discord account once so the rest is one tap. Everything I send is visible only to you.";
pub const PANEL_LOGIN: &str = "Log in to the portal";
pub const PANEL_RESET: &str = "Reset password";
pub const PANEL_LINK: &str = "Link account";
pub const RESET_MODAL_TITLE: &str = "Reset your portal password";
pub const RESET_MODAL_EMAIL: &str = "Member portal email";
