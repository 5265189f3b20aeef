//! Every sentence a member or a community manager reads, in one place.
//!
//! Members are often on a phone and not technical: short sentences, say what
//! happened and what to do next, never a stack trace or an error code.
//!
//! The bot reaches its wording through one handle, [`Messages`], so that a
//! catalogue per locale can stand behind it without touching a caller. Below
//! the handle is the English text, which tests compare replies with.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::email::{EmailProblem, MaskedEmail};
use crate::metrics::LatencySummary;
use crate::ratelimit::LimitState;
use crate::request::Detail;
use crate::store::{AuditEntry, Link};

/// The bot's wording, in one language (today: English).
#[derive(Debug, Clone, Default)]
pub struct Messages {
    /// Keeps construction to [`Messages::default`], so a locale can be added.
    _private: (),
}

/// Sentences without placeholders: each method returns its constant below.
macro_rules! sentences {
    ($($method:ident => $text:ident),* $(,)?) => {
        impl Messages {
            $(
                #[doc = concat!("[`", stringify!($text), "`]")]
                pub fn $method(&self) -> String {
                    $text.to_owned()
                }
            )*
        }
    };
}

sentences! {
    login_description => LOGIN_DESCRIPTION,
    login_page_description => LOGIN_PAGE_DESCRIPTION,
    reset_description => RESET_DESCRIPTION,
    reset_email_description => RESET_EMAIL_DESCRIPTION,
    link_description => LINK_DESCRIPTION,
    unlink_description => UNLINK_DESCRIPTION,
    account_description => ACCOUNT_DESCRIPTION,
    login_dm_title => LOGIN_DM_TITLE,
    login_button => LOGIN_BUTTON,
    login_check_dms => LOGIN_CHECK_DMS,
    login_dms_closed => LOGIN_DMS_CLOSED,
    login_dm_failed => LOGIN_DM_FAILED,
    not_linked => NOT_LINKED,
    link_gone => LINK_GONE,
    unknown_page => UNKNOWN_PAGE,
    reset_needs_email => RESET_NEEDS_EMAIL,
    email_placeholder => EMAIL_PLACEHOLDER,
    link_modal_title => LINK_MODAL_TITLE,
    link_modal_email => LINK_MODAL_EMAIL,
    link_modal_password => LINK_MODAL_PASSWORD,
    link_modal_password_hint => LINK_MODAL_PASSWORD_HINT,
    link_invalid_credentials => LINK_INVALID_CREDENTIALS,
    link_account_not_found => LINK_ACCOUNT_NOT_FOUND,
    nothing_to_unlink => NOTHING_TO_UNLINK,
    already_running => ALREADY_RUNNING,
    nexudus_unavailable => NEXUDUS_UNAVAILABLE,
    misconfigured => MISCONFIGURED,
    wrong_guild => WRONG_GUILD,
    not_in_guild => NOT_IN_GUILD,
    shutting_down => SHUTTING_DOWN,
    internal_error => INTERNAL_ERROR,
    admin_description => ADMIN_DESCRIPTION,
    admin_link_description => ADMIN_LINK_DESCRIPTION,
    admin_unlink_description => ADMIN_UNLINK_DESCRIPTION,
    admin_whois_description => ADMIN_WHOIS_DESCRIPTION,
    admin_login_description => ADMIN_LOGIN_DESCRIPTION,
    admin_reset_description => ADMIN_RESET_DESCRIPTION,
    admin_limits_description => ADMIN_LIMITS_DESCRIPTION,
    admin_stats_description => ADMIN_STATS_DESCRIPTION,
    admin_audit_channel_description => ADMIN_AUDIT_CHANNEL_DESCRIPTION,
    admin_panel_description => ADMIN_PANEL_DESCRIPTION,
    admin_member_option => ADMIN_MEMBER_OPTION,
    admin_email_option => ADMIN_EMAIL_OPTION,
    admin_clear_option => ADMIN_CLEAR_OPTION,
    admin_channel_option => ADMIN_CHANNEL_OPTION,
    admin_refused => ADMIN_REFUSED,
    admin_unknown_page => ADMIN_UNKNOWN_PAGE,
    admin_nexudus_unavailable => ADMIN_NEXUDUS_UNAVAILABLE,
    admin_misconfigured => ADMIN_MISCONFIGURED,
    admin_audit_channel_cleared => ADMIN_AUDIT_CHANNEL_CLEARED,
    whois_no_requests => WHOIS_NO_REQUESTS,
    whois_recent => WHOIS_RECENT,
    stats_no_requests => STATS_NO_REQUESTS,
    stats_requests => STATS_REQUESTS,
    stats_latency_title => STATS_LATENCY_TITLE,
    panel_title => PANEL_TITLE,
    panel_body => PANEL_BODY,
    panel_login => PANEL_LOGIN,
    panel_reset => PANEL_RESET,
    panel_link => PANEL_LINK,
    reset_modal_title => RESET_MODAL_TITLE,
    reset_modal_email => RESET_MODAL_EMAIL,
}

/// Sentences with placeholders: each method formats its function below.
impl Messages {
    pub fn login_dm_body(&self, page_label: &str) -> String {
        login_dm_body(page_label)
    }

    pub fn reset_sent(&self, email: &str) -> String {
        reset_sent(email)
    }

    pub fn invalid_email(&self, problem: EmailProblem) -> String {
        invalid_email(email_problem(problem))
    }

    pub fn linked(&self, email: &str) -> String {
        linked(email)
    }

    pub fn unlinked(&self, email: &str) -> String {
        unlinked(email)
    }

    pub fn account(&self, email: &str, linked_at: i64) -> String {
        account(email, linked_at)
    }

    pub fn rate_limited(&self, retry_at: SystemTime) -> String {
        rate_limited(retry_at)
    }

    pub fn admin_linked(&self, member: u64, email: &str, moved_from: Option<u64>) -> String {
        admin_linked(member, email, moved_from)
    }

    pub fn admin_no_such_user(&self, email: &str) -> String {
        admin_no_such_user(email)
    }

    pub fn admin_unlinked(&self, member: u64, email: &str) -> String {
        admin_unlinked(member, email)
    }

    pub fn admin_not_linked(&self, member: u64) -> String {
        admin_not_linked(member)
    }

    pub fn admin_login_delivered(&self, member: u64) -> String {
        admin_login_delivered(member)
    }

    pub fn admin_login_dm_closed(&self, member: u64) -> String {
        admin_login_dm_closed(member)
    }

    pub fn admin_login_failed(&self, member: u64) -> String {
        admin_login_failed(member)
    }

    pub fn admin_link_gone(&self, member: u64) -> String {
        admin_link_gone(member)
    }

    pub fn admin_reset_requested(&self, member: u64, email: &str) -> String {
        admin_reset_requested(member, email)
    }

    pub fn admin_member_rate_limited(&self, member: u64, retry_at: SystemTime) -> String {
        admin_member_rate_limited(member, retry_at)
    }

    pub fn admin_already_running(&self, member: u64) -> String {
        admin_already_running(member)
    }

    pub fn admin_audit_channel_set(&self, channel: u64) -> String {
        admin_audit_channel_set(channel)
    }

    pub fn admin_panel_posted(&self, channel: u64) -> String {
        admin_panel_posted(channel)
    }

    pub fn admin_panel_failed(&self, channel: u64) -> String {
        admin_panel_failed(channel)
    }

    pub fn whois_linked(&self, member: u64, link: &Link) -> String {
        whois_linked(member, link)
    }

    pub fn whois_request(&self, member: u64, entry: &AuditEntry) -> String {
        whois_request(member, entry)
    }

    pub fn limits_title(&self, member: u64, cleared: bool) -> String {
        limits_title(member, cleared)
    }

    pub fn limit_line(&self, name: &str, state: &LimitState) -> String {
        limit_line(name, state)
    }

    pub fn limit_reset_emails(&self, email: &str) -> String {
        limit_reset_emails(email)
    }

    pub fn stats_summary(&self, uptime: Duration, linked_members: Option<u64>) -> String {
        stats_summary(uptime, linked_members)
    }

    pub fn stats_refusals(&self, limiter_refusals: u64, dm_failures: u64) -> String {
        stats_refusals(limiter_refusals, dm_failures)
    }

    pub fn stats_request(&self, command: &str, outcome: &str, count: u64) -> String {
        stats_request(command, outcome, count)
    }

    pub fn stats_latency(&self, endpoint: &str, latency: &LatencySummary) -> String {
        stats_latency(endpoint, latency)
    }

    pub fn audit_summary(&self, actor: Option<u64>, action: &str, outcome: &str) -> String {
        audit_summary(actor, action, outcome)
    }

    pub fn audit_member(&self, member: u64) -> String {
        audit_member(member)
    }

    pub fn audit_email(&self, masked: &MaskedEmail) -> String {
        audit_email(masked)
    }

    pub fn audit_detail(&self, detail: &Detail) -> String {
        audit_detail(detail)
    }

    pub fn audit_footer(&self, request_id: &str) -> String {
        audit_footer(request_id)
    }
}

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

/// Why a typed email was refused, as a clause for [`invalid_email`].
pub fn email_problem(problem: EmailProblem) -> &'static str {
    match problem {
        EmailProblem::Empty => "it is empty",
        EmailProblem::TooLong => "it is longer than 254 characters",
        EmailProblem::At => "it needs exactly one @",
        EmailProblem::Local => "the part before the @ is missing or too long",
        EmailProblem::Domain => "the part after the @ needs a dot, like example.com",
        EmailProblem::Whitespace => "it contains spaces or invisible characters",
    }
}

pub fn invalid_email(reason: &str) -> String {
    format!("That doesn't look like an email address ({reason}). Please check it and try again.")
}

// ---- /link ----

pub const EMAIL_PLACEHOLDER: &str = "you@example.com";

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

// ---- /admin whois, limits, stats ----

pub fn whois_linked(member: u64, link: &Link) -> String {
    format!(
        "<@{member}> is linked to **{}** (Nexudus user {}), since {} by <@{}>.",
        link.email,
        link.nexudus_user_id,
        full_time(link.linked_at),
        link.linked_by
    )
}

pub const WHOIS_NO_REQUESTS: &str = "No requests recorded yet.";
pub const WHOIS_RECENT: &str = "**Last requests** (newest first):";

/// One of `member`'s recent requests; who asked is named when it was not them.
pub fn whois_request(member: u64, entry: &AuditEntry) -> String {
    let at = UNIX_EPOCH + Duration::from_secs(u64::try_from(entry.at).unwrap_or(0));
    let by = if entry.actor_id == member {
        String::new()
    } else {
        format!(" by <@{}>", entry.actor_id)
    };
    format!(
        "• {} `{}`{by}: **{}** (`{}`)",
        relative_time(at),
        entry.action,
        outcome_words(&entry.outcome),
        entry.request_id
    )
}

pub fn limits_title(member: u64, cleared: bool) -> String {
    if cleared {
        format!("Limits of <@{member}> cleared. Now:")
    } else {
        format!("Limits of <@{member}>:")
    }
}

/// One limiter of a member: what is left, and when the next try frees up.
pub fn limit_line(name: &str, state: &LimitState) -> String {
    let refill = match state.next_slot_in {
        Some(wait) if state.remaining == 0 => {
            format!(", next allowed {}", relative_time(SystemTime::now() + wait))
        }
        Some(wait) => format!(", a slot frees {}", relative_time(SystemTime::now() + wait)),
        None => String::new(),
    };
    format!(
        "• {name}: {} of {} left (limit {}){refill}",
        state.remaining, state.limit.count, state.limit
    )
}

pub fn limit_reset_emails(email: &str) -> String {
    format!("reset emails to {email}")
}

pub fn stats_summary(uptime: Duration, linked_members: Option<u64>) -> String {
    let secs = uptime.as_secs();
    format!(
        "**Up for** {}d {}h {}m · **linked members**: {}",
        secs / 86_400,
        secs % 86_400 / 3_600,
        secs % 3_600 / 60,
        linked_members.map_or_else(|| "unknown".to_owned(), |n| n.to_string())
    )
}

pub fn stats_refusals(limiter_refusals: u64, dm_failures: u64) -> String {
    format!("**Rate-limit refusals**: {limiter_refusals} · **DM failures**: {dm_failures}")
}

pub const STATS_NO_REQUESTS: &str = "No requests since start.";
pub const STATS_REQUESTS: &str = "**Requests since start**";

pub fn stats_request(command: &str, outcome: &str, count: u64) -> String {
    format!("• `{command}` {}: {count}", outcome_words(outcome))
}

pub const STATS_LATENCY_TITLE: &str = "**Nexudus latency** (recent calls)";

pub fn stats_latency(endpoint: &str, latency: &LatencySummary) -> String {
    format!(
        "• {endpoint}: p50 {} ms, p95 {} ms over {} calls",
        latency.p50.as_millis(),
        latency.p95.as_millis(),
        latency.calls
    )
}

/// An outcome label (`dm_sent`) as words (`dm sent`).
fn outcome_words(label: &str) -> String {
    label.replace('_', " ")
}

// ---- audit-channel posts ----

/// Who did what, and how it ended; `actor` is `None` for the bot itself.
pub fn audit_summary(actor: Option<u64>, action: &str, outcome: &str) -> String {
    let who = actor.map_or_else(|| "the bot".to_owned(), |actor| format!("<@{actor}>"));
    format!("{who} · `{action}` → **{}**", outcome_words(outcome))
}

pub fn audit_member(member: u64) -> String {
    format!("member: <@{member}>")
}

pub fn audit_email(masked: &MaskedEmail) -> String {
    format!("email: {masked}")
}

/// The post's line for an audit detail (the audit log stores its own form).
pub fn audit_detail(detail: &Detail) -> String {
    match detail {
        Detail::MovedFrom(previous) => format!("moved from Discord user {previous}"),
        Detail::Channel(channel) => format!("channel {channel}"),
        Detail::Subcommand(name) => format!("subcommand {name}"),
        Detail::Cause(outcome) => outcome.as_str().to_owned(),
    }
}

pub fn audit_footer(request_id: &str) -> String {
    format!("request {request_id}")
}
