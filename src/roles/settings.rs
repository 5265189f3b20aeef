//! What the roles feature is told: which roles it manages, how often it
//! reconciles, and the webhook secret. Read from the environment by
//! `config.rs`; parsed here so the rules sit beside the code that uses them.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use secrecy::SecretString;

use crate::ratelimit::span_secs;

/// At most this many `PLAN_ROLES` entries (one Discord select menu's worth).
pub const MAX_PLAN_ROLES: usize = 25;
/// `ROLE_SYNC_INTERVAL` when unset.
pub const DEFAULT_SYNC_INTERVAL: &str = "1h";
/// The shortest `ROLE_SYNC_INTERVAL`: a pass over every member costs Nexudus calls.
pub const MIN_SYNC_INTERVAL: Duration = Duration::from_secs(10);

/// The roles configuration; [`enabled`](RoleSettings::enabled) only when a
/// role is named.
#[derive(Debug, Clone, Default)]
pub struct RoleSettings {
    /// `MEMBER_ROLE_ID`: for a linked member with an active plan that is not paused.
    pub member_role: Option<u64>,
    /// `PLAN_ROLES`.
    pub plan_roles: PlanRoles,
    /// `ROLE_SYNC_INTERVAL`; `None` is `off` (only links, `/admin sync` and webhooks sync).
    pub sync_interval: Option<Duration>,
    /// `NEXUDUS_WEBHOOK_SECRET`: enables `POST /webhooks/nexudus`.
    pub webhook_secret: Option<SecretString>,
}

impl RoleSettings {
    /// Whether any role is managed; without one the feature does nothing at all.
    pub fn enabled(&self) -> bool {
        self.member_role.is_some() || !self.plan_roles.is_empty()
    }

    /// Every role the bot may add or remove: the member role and the plan roles.
    pub fn managed(&self) -> BTreeSet<u64> {
        self.member_role
            .into_iter()
            .chain(self.plan_roles.entries.iter().map(|entry| entry.role))
            .collect()
    }
}

/// `Plan name=role id` pairs, matched on the plan name trimmed, with inner
/// spaces collapsed, case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanRoles {
    entries: Vec<PlanRole>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlanRole {
    key: String,
    role: u64,
}

impl PlanRoles {
    /// Parses `Dedicated Desk=123,Hot Desk=456`; the message names every bad entry.
    pub fn parse(spec: &str) -> Result<PlanRoles, String> {
        let mut entries: Vec<PlanRole> = Vec::new();
        let mut problems = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let Some((name, role)) = item.rsplit_once('=') else {
                problems.push(format!("`{item}` is not `Plan name=role id`"));
                continue;
            };
            let key = plan_key(name);
            let role = role.trim().parse::<u64>().ok().filter(|id| *id > 0);
            match (key.is_empty(), role) {
                (true, _) => problems.push(format!("`{item}` names no plan")),
                (_, None) => problems.push(format!(
                    "`{item}`: the role is not a Discord id (Server Settings ▸ Roles ▸ Copy Role ID)"
                )),
                (false, Some(_)) if entries.iter().any(|e| e.key == key) => {
                    problems.push(format!("plan `{}` is named twice", name.trim()));
                }
                (false, Some(role)) => entries.push(PlanRole { key, role }),
            }
        }
        if entries.len() > MAX_PLAN_ROLES {
            problems.push(format!("{} plans; at most {MAX_PLAN_ROLES}", entries.len()));
        }
        if problems.is_empty() {
            Ok(PlanRoles { entries })
        } else {
            Err(problems.join("; "))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The role for a plan called `tariff_name`, if one is configured.
    pub fn role_for(&self, tariff_name: &str) -> Option<u64> {
        let key = plan_key(tariff_name);
        self.entries
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| entry.role)
    }
}

/// A plan name as it is matched: trimmed, inner runs of whitespace as one
/// space, lower case. "Dedicated  Desk " and "dedicated desk" are one plan.
pub fn plan_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Parses `ROLE_SYNC_INTERVAL`: `off`, or a span such as `30m`, at least 10 s.
pub fn parse_sync_interval(raw: &str) -> Result<Option<Duration>, String> {
    if raw.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let secs = span_secs(raw).ok_or_else(|| {
        "must be a span such as 30m, 1h or 1d (units s, m, h, d), or off".to_owned()
    })?;
    let interval = Duration::from_secs(secs);
    if interval < MIN_SYNC_INTERVAL {
        return Err("must be at least 10s (or off)".to_owned());
    }
    Ok(Some(interval))
}

impl fmt::Display for PlanRoles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self
            .entries
            .iter()
            .map(|entry| format!("{}={}", entry.key, entry.role))
            .collect();
        f.write_str(&shown.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_names_that_differ_only_in_case_or_spaces_are_one_plan() {
        let roles = PlanRoles::parse(" Dedicated  Desk =11, Hot Desk=22").unwrap();
        assert_eq!(roles.role_for("dedicated desk"), Some(11));
        assert_eq!(roles.role_for("DEDICATED DESK  "), Some(11));
        assert_eq!(roles.role_for("Hot\tDesk"), Some(22));
        assert_eq!(roles.role_for("Hot Desks"), None);
    }

    #[test]
    fn every_bad_plan_role_entry_is_named_at_once() {
        let why = PlanRoles::parse("Desk=abc,=5,Lounge,desk=7,DESK=8").unwrap_err();
        assert!(why.contains("`Desk=abc`"), "{why}");
        assert!(why.contains("`=5` names no plan"), "{why}");
        assert!(why.contains("`Lounge` is not"), "{why}");
        assert!(why.contains("`DESK` is named twice"), "{why}");
    }

    #[test]
    fn more_than_twenty_five_plan_roles_are_refused() {
        let spec: Vec<String> = (1..=26).map(|n| format!("Plan {n}={n}")).collect();
        let why = PlanRoles::parse(&spec.join(",")).unwrap_err();
        assert!(why.contains("26 plans; at most 25"), "{why}");
    }

    #[test]
    fn the_sync_interval_is_a_span_of_at_least_ten_seconds_or_off() {
        assert_eq!(
            parse_sync_interval("1h").unwrap(),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            parse_sync_interval("10s").unwrap(),
            Some(Duration::from_secs(10))
        );
        assert_eq!(parse_sync_interval("OFF").unwrap(), None);
        assert!(parse_sync_interval("9s").is_err());
        assert!(parse_sync_interval("hourly").is_err());
    }

    #[test]
    fn managed_roles_are_the_member_role_and_every_plan_role() {
        let settings = RoleSettings {
            member_role: Some(5),
            plan_roles: PlanRoles::parse("A=7,B=5").unwrap(),
            ..RoleSettings::default()
        };
        assert!(settings.enabled());
        assert_eq!(settings.managed().into_iter().collect::<Vec<_>>(), [5, 7]);
        assert!(!RoleSettings::default().enabled());
    }
}
