//! Every sentence a member or a community manager reads, through one handle.
//!
//! Members are often on a phone and not technical: short sentences, say what
//! happened and what to do next, never a stack trace or an error code.
//!
//! [`Messages`] renders the Fluent catalogue under `locales/` in one locale:
//! each method names its message id and passes its arguments. The wording
//! itself lives only in the catalogue; adding a language adds a folder there.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::email::{EmailProblem, MaskedEmail};
use crate::i18n::{
    Catalogue, FluentArgs, FluentValue, Locale, Localizer, channel_mention, role_mention,
    user_mention,
};
use crate::metrics::LatencySummary;
use crate::ratelimit::LimitState;
use crate::request::Detail;
use crate::roles::{Plan, RoleReasons, SyncReport};
use crate::store::{AuditEntry, Link};

/// The bot's wording in one language.
#[derive(Debug, Clone, Copy)]
pub struct Messages {
    l10n: Localizer,
}

/// English, the catalogue's fallback.
impl Default for Messages {
    fn default() -> Messages {
        Messages::new(Locale::FALLBACK)
    }
}

/// Sentences without placeholders: each method renders its catalogue id.
macro_rules! sentences {
    ($($method:ident => $id:literal),* $(,)?) => {
        impl Messages {
            $(
                #[doc = concat!("`", $id, "`")]
                pub fn $method(&self) -> String {
                    self.l10n.text($id)
                }
            )*
        }
    };
}

sentences! {
    login_dm_title => "login-dm-title",
    login_button => "login-button",
    login_check_dms => "login-check-dms",
    login_dms_closed => "login-dms-closed",
    login_dm_failed => "login-dm-failed",
    not_linked => "not-linked",
    linked_no_plan => "linked-no-plan",
    linked_roles_later => "linked-roles-later",
    account_no_plans => "account-no-plans",
    admin_sync_off => "admin-sync-off",
    admin_sync_busy => "admin-sync-busy",
    whois_no_plans => "whois-no-plans",
    link_gone => "link-gone",
    unknown_page => "unknown-page",
    reset_needs_email => "reset-needs-email",
    email_placeholder => "email-placeholder",
    link_modal_title => "link-modal-title",
    link_modal_email => "link-modal-email",
    link_modal_password => "link-modal-password",
    link_modal_password_hint => "link-modal-password-hint",
    link_modal_two_factor => "link-modal-two-factor",
    link_modal_two_factor_hint => "link-modal-two-factor-hint",
    link_invalid_credentials => "link-invalid-credentials",
    link_two_factor_required => "link-two-factor-required",
    link_must_reset_password => "link-must-reset-password",
    link_account_not_found => "link-account-not-found",
    nothing_to_unlink => "nothing-to-unlink",
    already_running => "already-running",
    nexudus_unavailable => "nexudus-unavailable",
    misconfigured => "misconfigured",
    wrong_guild => "wrong-guild",
    not_in_guild => "not-in-guild",
    shutting_down => "shutting-down",
    internal_error => "internal-error",
    queue_restarting => "queue-restarting",
    admin_refused => "admin-refused",
    admin_unknown_page => "admin-unknown-page",
    admin_nexudus_unavailable => "admin-nexudus-unavailable",
    admin_misconfigured => "admin-misconfigured",
    admin_audit_channel_cleared => "admin-audit-channel-cleared",
    whois_no_requests => "whois-no-requests",
    whois_recent => "whois-recent-header",
    stats_no_requests => "stats-no-requests",
    stats_requests => "stats-requests-header",
    stats_latency_title => "stats-latency-header",
    panel_title => "panel-title",
    panel_body => "panel-body",
    panel_login => "panel-login",
    panel_reset => "panel-reset",
    panel_link => "panel-link",
    reset_modal_title => "reset-modal-title",
    reset_modal_email => "reset-modal-email",
}

/// Arguments for a message: `[("email", value.into()), ...]`.
fn args<'a, const N: usize>(pairs: [(&'a str, FluentValue<'a>); N]) -> FluentArgs<'a> {
    FluentArgs::from_iter(pairs)
}

/// A Discord mention or id as a Fluent string (Fluent numbers are floats and would round it).
fn mention(id: u64) -> FluentValue<'static> {
    FluentValue::from(user_mention(id))
}

/// Sentences with placeholders.
impl Messages {
    pub fn new(locale: Locale) -> Messages {
        Messages {
            l10n: Localizer::new(locale),
        }
    }

    /// For an interaction's `locale` (or a server's `preferred_locale`).
    pub fn for_discord(code: &str) -> Messages {
        Messages::new(Locale::from_discord(code))
    }

    pub fn locale(&self) -> Locale {
        self.l10n.locale()
    }

    fn format<const N: usize>(&self, id: &str, pairs: [(&str, FluentValue<'_>); N]) -> String {
        self.l10n.format(id, &args(pairs))
    }

    /// The DM's body: what the link does and why it must not be shared.
    pub fn login_dm_body(&self, page_label: &str) -> String {
        self.format("login-dm-body", [("page", page_label.into())])
    }

    /// Same wording whether or not an account exists: it must not reveal who is a member.
    pub fn reset_sent(&self, email: &str) -> String {
        self.format("reset-sent", [("email", email.into())])
    }

    /// Why a typed email was refused, as a clause for [`Messages::invalid_email`].
    pub fn email_problem(&self, problem: EmailProblem) -> String {
        self.l10n.text(match problem {
            EmailProblem::Empty => "email-problem-empty",
            EmailProblem::TooLong => "email-problem-too-long",
            EmailProblem::At => "email-problem-at",
            EmailProblem::Local => "email-problem-local",
            EmailProblem::Domain => "email-problem-domain",
            EmailProblem::Whitespace => "email-problem-whitespace",
        })
    }

    pub fn invalid_email(&self, problem: EmailProblem) -> String {
        let reason = self.email_problem(problem);
        self.format("invalid-email", [("reason", reason.into())])
    }

    pub fn linked(&self, email: &str) -> String {
        self.format("linked", [("email", email.into())])
    }

    pub fn unlinked(&self, email: &str) -> String {
        self.format("unlinked", [("email", email.into())])
    }

    /// What the server's audit log says of the bot's role changes.
    pub fn role_reasons(&self) -> RoleReasons {
        RoleReasons {
            linked: self.l10n.text("role-reason-linked"),
            unlinked: self.l10n.text("role-reason-unlinked"),
            plans: self.l10n.text("role-reason-plans"),
        }
    }

    /// The managed roles a member holds after `/link`.
    pub fn linked_roles(&self, roles: &[u64]) -> String {
        self.format("linked-roles", [("roles", self.roles_list(roles).into())])
    }

    pub fn account_plans(&self, plans: &[Plan]) -> String {
        self.format("account-plans", [("plans", self.plans_list(plans).into())])
    }

    pub fn whois_plans(&self, plans: &[Plan]) -> String {
        self.format("whois-plans", [("plans", self.plans_list(plans).into())])
    }

    pub fn whois_roles(&self, roles: &[u64], seen_at: i64) -> String {
        let at = UNIX_EPOCH + Duration::from_secs(u64::try_from(seen_at).unwrap_or(0));
        self.format(
            "whois-roles",
            [
                ("roles", self.roles_list(roles).into()),
                ("when", relative_time(at).into()),
            ],
        )
    }

    /// `/admin sync member`: what they hold now and what changed.
    pub fn admin_sync_member(
        &self,
        member: u64,
        held: &[u64],
        added: &[u64],
        removed: &[u64],
    ) -> String {
        self.format(
            "admin-sync-member",
            [
                ("member", mention(member)),
                ("roles", self.roles_list(held).into()),
                ("added", self.roles_list(added).into()),
                ("removed", self.roles_list(removed).into()),
            ],
        )
    }

    pub fn admin_sync_refused(&self, roles: &[u64]) -> String {
        self.format(
            "admin-sync-refused",
            [("roles", self.roles_list(roles).into())],
        )
    }

    pub fn admin_sync_left(&self, member: u64) -> String {
        self.format("admin-sync-left", [("member", mention(member))])
    }

    pub fn admin_sync_everyone(&self, report: &SyncReport) -> String {
        self.format(
            "admin-sync-everyone",
            [
                ("members", report.members.into()),
                ("added", report.added.into()),
                ("removed", report.removed.into()),
                ("unchanged", report.unchanged.into()),
                ("failed", report.failed.into()),
                ("left", report.left.into()),
            ],
        )
    }

    /// Role mentions, comma-separated, or "none".
    fn roles_list(&self, roles: &[u64]) -> String {
        if roles.is_empty() {
            return self.l10n.text("roles-none");
        }
        roles
            .iter()
            .map(|role| role_mention(*role))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Plan names as Nexudus spells them, paused ones marked.
    fn plans_list(&self, plans: &[Plan]) -> String {
        plans
            .iter()
            .map(|plan| {
                if plan.paused {
                    self.format("plan-paused", [("plan", plan.name.as_str().into())])
                } else {
                    plan.name.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn account(&self, email: &str, linked_at: i64) -> String {
        let since = full_time(linked_at);
        self.format(
            "account",
            [("email", email.into()), ("since", since.into())],
        )
    }

    pub fn rate_limited(&self, retry_at: SystemTime) -> String {
        self.format("rate-limited", [("retry", relative_time(retry_at).into())])
    }

    /// Nexudus' hourly call budget is spent; it refills at `retry_at`.
    pub fn hourly_budget_spent(&self, retry_at: SystemTime) -> String {
        let retry = relative_time(retry_at);
        self.format("hourly-budget-spent", [("retry", retry.into())])
    }

    /// The member's place in the line for Nexudus, and about how long it takes.
    pub fn queue_place(&self, place: usize, wait: Duration) -> String {
        self.format(
            "queue-place",
            [
                ("place", FluentValue::from(place)),
                ("seconds", FluentValue::from(wait.as_secs())),
            ],
        )
    }

    pub fn queue_full(&self, retry_at: SystemTime) -> String {
        self.format("queue-full", [("retry", relative_time(retry_at).into())])
    }

    pub fn admin_linked(&self, member: u64, email: &str, moved_from: Option<u64>) -> String {
        let linked = self.format(
            "admin-linked",
            [("member", mention(member)), ("email", email.into())],
        );
        match moved_from {
            None => linked,
            Some(previous) => {
                let moved = self.format("admin-link-moved", [("previous", mention(previous))]);
                format!("{linked}\n{moved}")
            }
        }
    }

    pub fn admin_no_such_user(&self, email: &str) -> String {
        self.format("admin-no-such-user", [("email", email.into())])
    }

    pub fn admin_unlinked(&self, member: u64, email: &str) -> String {
        self.format(
            "admin-unlinked",
            [("member", mention(member)), ("email", email.into())],
        )
    }

    pub fn admin_not_linked(&self, member: u64) -> String {
        self.format("admin-not-linked", [("member", mention(member))])
    }

    pub fn admin_login_delivered(&self, member: u64) -> String {
        self.format("admin-login-delivered", [("member", mention(member))])
    }

    pub fn admin_login_dm_closed(&self, member: u64) -> String {
        self.format("admin-login-dm-closed", [("member", mention(member))])
    }

    pub fn admin_login_failed(&self, member: u64) -> String {
        self.format("admin-login-failed", [("member", mention(member))])
    }

    pub fn admin_link_gone(&self, member: u64) -> String {
        self.format("admin-link-gone", [("member", mention(member))])
    }

    pub fn admin_reset_requested(&self, member: u64, email: &str) -> String {
        self.format(
            "admin-reset-requested",
            [("member", mention(member)), ("email", email.into())],
        )
    }

    pub fn admin_member_rate_limited(&self, member: u64, retry_at: SystemTime) -> String {
        self.format(
            "admin-member-rate-limited",
            [
                ("member", mention(member)),
                ("retry", relative_time(retry_at).into()),
            ],
        )
    }

    pub fn admin_hourly_budget_spent(&self, retry_at: SystemTime) -> String {
        let retry = relative_time(retry_at);
        self.format("admin-hourly-budget-spent", [("retry", retry.into())])
    }

    pub fn admin_already_running(&self, member: u64) -> String {
        self.format("admin-already-running", [("member", mention(member))])
    }

    pub fn admin_audit_channel_set(&self, channel: u64) -> String {
        let channel = channel_mention(channel);
        self.format("admin-audit-channel-set", [("channel", channel.into())])
    }

    pub fn admin_panel_posted(&self, channel: u64) -> String {
        let channel = channel_mention(channel);
        self.format("admin-panel-posted", [("channel", channel.into())])
    }

    pub fn admin_panel_failed(&self, channel: u64) -> String {
        let channel = channel_mention(channel);
        self.format("admin-panel-failed", [("channel", channel.into())])
    }

    pub fn whois_linked(&self, member: u64, link: &Link) -> String {
        self.format(
            "whois-linked",
            [
                ("member", mention(member)),
                ("email", link.email.as_str().into()),
                ("user", link.nexudus_user_id.to_string().into()),
                ("since", full_time(link.linked_at).into()),
                ("by", mention(link.linked_by)),
            ],
        )
    }

    /// One of `member`'s recent requests; who asked is named when it was not them.
    pub fn whois_request(&self, member: u64, entry: &AuditEntry) -> String {
        let at = UNIX_EPOCH + Duration::from_secs(u64::try_from(entry.at).unwrap_or(0));
        let when = relative_time(at);
        let outcome = self.outcome_words(&entry.outcome);
        let (action, request) = (entry.action.as_str(), entry.request_id.as_str());
        if entry.actor_id == member {
            self.format(
                "whois-entry",
                [
                    ("when", when.into()),
                    ("action", action.into()),
                    ("outcome", outcome.into()),
                    ("request", request.into()),
                ],
            )
        } else {
            self.format(
                "whois-entry-by",
                [
                    ("when", when.into()),
                    ("action", action.into()),
                    ("actor", mention(entry.actor_id)),
                    ("outcome", outcome.into()),
                    ("request", request.into()),
                ],
            )
        }
    }

    pub fn limits_title(&self, member: u64, cleared: bool) -> String {
        let id = if cleared {
            "limits-header-cleared"
        } else {
            "limits-header"
        };
        self.format(id, [("member", mention(member))])
    }

    /// One limiter of a member: what is left, and when the next try frees up.
    pub fn limit_line(&self, name: &str, state: &LimitState) -> String {
        let (id, retry) = match state.next_slot_in {
            Some(wait) if state.remaining == 0 => ("limits-line-blocked", Some(wait)),
            Some(wait) => ("limits-line-refilling", Some(wait)),
            None => ("limits-line", None),
        };
        let retry = retry.map_or_else(String::new, |wait| relative_time(SystemTime::now() + wait));
        self.format(
            id,
            [
                ("name", name.into()),
                ("remaining", FluentValue::from(state.remaining)),
                ("count", FluentValue::from(state.limit.count.get())),
                ("limit", state.limit.to_string().into()),
                ("retry", retry.into()),
            ],
        )
    }

    pub fn limit_reset_emails(&self, email: &str) -> String {
        self.format("limits-reset-emails", [("email", email.into())])
    }

    pub fn stats_summary(&self, uptime: Duration, linked_members: Option<u64>) -> String {
        let secs = uptime.as_secs();
        let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
        let time = [
            ("days", FluentValue::from(days)),
            ("hours", FluentValue::from(hours)),
            ("minutes", FluentValue::from(minutes)),
        ];
        match linked_members {
            Some(linked) => {
                let [d, h, m] = time;
                self.format("stats-uptime", [d, h, m, ("linked", linked.into())])
            }
            None => self.format("stats-uptime-linked-unknown", time),
        }
    }

    pub fn stats_refusals(&self, limiter_refusals: u64, dm_failures: u64) -> String {
        self.format(
            "stats-refusals",
            [
                ("refusals", limiter_refusals.into()),
                ("failures", dm_failures.into()),
            ],
        )
    }

    pub fn stats_request(&self, command: &str, outcome: &str, count: u64) -> String {
        self.format(
            "stats-request-line",
            [
                ("command", command.into()),
                ("outcome", self.outcome_words(outcome).into()),
                ("count", count.into()),
            ],
        )
    }

    pub fn stats_latency(&self, endpoint: &str, latency: &LatencySummary) -> String {
        let millis =
            |d: Duration| FluentValue::from(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.format(
            "stats-latency-line",
            [
                ("endpoint", endpoint.into()),
                ("p50", millis(latency.p50)),
                ("p95", millis(latency.p95)),
                ("calls", latency.calls.into()),
            ],
        )
    }

    /// Nexudus calls the bot may still make this hour (`NEXUDUS_MAX_PER_HOUR`).
    pub fn stats_hourly_budget(&self, left: u32, limit: u32) -> String {
        self.format(
            "stats-hourly-budget",
            [
                ("left", thousands(left).into()),
                ("limit", thousands(limit).into()),
            ],
        )
    }

    /// The longest wait in the Nexudus line over the last hour.
    pub fn stats_longest_wait(&self, wait: Duration) -> String {
        self.format("stats-longest-wait", [("seconds", wait.as_secs().into())])
    }

    /// Who did what, and how it ended; `actor` is `None` for the bot itself.
    pub fn audit_summary(&self, actor: Option<u64>, action: &str, outcome: &str) -> String {
        let who = actor.map_or_else(|| self.l10n.text("audit-the-bot"), user_mention);
        self.format(
            "audit-summary",
            [
                ("who", who.into()),
                ("action", action.into()),
                ("outcome", self.outcome_words(outcome).into()),
            ],
        )
    }

    pub fn audit_member(&self, member: u64) -> String {
        self.format("audit-member", [("member", mention(member))])
    }

    pub fn audit_email(&self, masked: &MaskedEmail) -> String {
        self.format("audit-email", [("email", masked.to_string().into())])
    }

    /// The post's line for an audit detail (the audit log stores its own form).
    pub fn audit_detail(&self, detail: &Detail) -> String {
        match detail {
            Detail::MovedFrom(previous) => self.format(
                "audit-detail-moved",
                [("previous", previous.to_string().into())],
            ),
            Detail::Channel(channel) => self.format(
                "audit-detail-channel",
                [("channel", channel.to_string().into())],
            ),
            Detail::Subcommand(name) => self.format(
                "audit-detail-subcommand",
                [("subcommand", name.to_string().into())],
            ),
            Detail::Cause(outcome) => self.outcome_words(outcome.as_str()),
            Detail::Role(role) => {
                self.format("audit-detail-role", [("role", role_mention(*role).into())])
            }
            Detail::Synced {
                added,
                removed,
                unchanged,
                failed,
            } => self.format(
                "audit-detail-synced",
                [
                    ("added", (*added).into()),
                    ("removed", (*removed).into()),
                    ("unchanged", (*unchanged).into()),
                    ("failed", (*failed).into()),
                ],
            ),
        }
    }

    pub fn audit_footer(&self, request_id: &str) -> String {
        self.format("audit-footer", [("request", request_id.into())])
    }

    /// An outcome label (`dm_sent`) as words (`DM sent`): its `outcome-…`
    /// message, or the label itself for one the catalogue does not know yet.
    fn outcome_words(&self, label: &str) -> String {
        let id = format!("outcome-{}", label.replace('_', "-"));
        if Catalogue::get().has(Locale::FALLBACK, &id) {
            self.l10n.text(&id)
        } else {
            label.replace('_', " ")
        }
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

/// `4380` as `4 380`: budgets read at a glance, whatever the language.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}
