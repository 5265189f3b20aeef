//! The Discord side of membership roles: read a member's roles, give and take
//! one role with an audit-log reason, find which server holds each managed
//! role, and tell a community manager what stops the bot from managing them.
//!
//! Discord's error codes become [`RoleWriteError`] here, so the roles layer
//! never sees a serenity type: 50013 (Missing Permissions) must not stop the
//! member's other roles, and 10007 (Unknown Member) is someone who left.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU64;
use std::sync::Arc;

use anyhow::Context as _;
use async_trait::async_trait;
use serenity::all::{GuildId, Http, Permissions, Role, RoleId, UserId};

use super::{describe_error, discord_error_code};
use crate::roles::{RoleWriteError, RoleWriter};

/// 50013 Missing Permissions.
const MISSING_PERMISSIONS: isize = 50013;
/// 10007 Unknown Member.
const UNKNOWN_MEMBER: isize = 10007;
/// 10011 Unknown Role.
const UNKNOWN_ROLE: isize = 10011;

/// [`RoleWriter`] over the Discord REST API.
pub struct DiscordRoles {
    http: Arc<Http>,
}

impl DiscordRoles {
    pub fn new(http: Arc<Http>) -> Self {
        Self { http }
    }
}

#[async_trait]
impl RoleWriter for DiscordRoles {
    async fn member_roles(
        &self,
        guild_id: u64,
        user_id: u64,
    ) -> Result<Option<Vec<u64>>, RoleWriteError> {
        let (guild, user) = (
            snowflake::<GuildId>(guild_id)?,
            snowflake::<UserId>(user_id)?,
        );
        match self.http.get_member(guild, user).await {
            Ok(member) => Ok(Some(member.roles.iter().map(|r| r.get()).collect())),
            Err(err) => match write_error(&err) {
                RoleWriteError::UnknownMember => Ok(None),
                other => Err(other),
            },
        }
    }

    async fn add_role(
        &self,
        guild_id: u64,
        user_id: u64,
        role_id: u64,
        reason: &str,
    ) -> Result<(), RoleWriteError> {
        let (guild, user, role) = ids(guild_id, user_id, role_id)?;
        self.http
            .add_member_role(guild, user, role, Some(reason))
            .await
            .map_err(|err| write_error(&err))
    }

    async fn remove_role(
        &self,
        guild_id: u64,
        user_id: u64,
        role_id: u64,
        reason: &str,
    ) -> Result<(), RoleWriteError> {
        let (guild, user, role) = ids(guild_id, user_id, role_id)?;
        self.http
            .remove_member_role(guild, user, role, Some(reason))
            .await
            .map_err(|err| write_error(&err))
    }
}

/// serenity's id constructors panic on 0; a 0 here is a bug upstream, not a panic.
fn snowflake<T: From<NonZeroU64>>(raw: u64) -> Result<T, RoleWriteError> {
    NonZeroU64::new(raw)
        .map(T::from)
        .ok_or_else(|| RoleWriteError::Failed("a Discord id of 0".to_owned()))
}

fn ids(guild: u64, user: u64, role: u64) -> Result<(GuildId, UserId, RoleId), RoleWriteError> {
    Ok((snowflake(guild)?, snowflake(user)?, snowflake(role)?))
}

/// The roles layer's view of a failed call; the description carries no URL or token.
fn write_error(err: &serenity::Error) -> RoleWriteError {
    match discord_error_code(err) {
        Some(MISSING_PERMISSIONS) => RoleWriteError::Forbidden,
        Some(UNKNOWN_MEMBER) => RoleWriteError::UnknownMember,
        Some(UNKNOWN_ROLE) => RoleWriteError::UnknownRole,
        _ => RoleWriteError::Failed(describe_error(err)),
    }
}

/// Where each managed role lives: its server and its name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMap {
    found: BTreeMap<u64, (u64, String)>,
    managed: Vec<u64>,
}

impl RoleMap {
    /// The server holding `role`, when it is a managed role that was found.
    pub fn guild_of(&self, role: u64) -> Option<u64> {
        self.found.get(&role).map(|(guild, _)| *guild)
    }

    /// The role's name in Discord, when it was found.
    pub fn name_of(&self, role: u64) -> Option<&str> {
        self.found.get(&role).map(|(_, name)| name.as_str())
    }

    /// Managed roles found in no configured server, in the order given.
    pub fn missing(&self) -> Vec<u64> {
        self.managed
            .iter()
            .copied()
            .filter(|role| !self.found.contains_key(role))
            .collect()
    }

    /// Servers holding at least one managed role, ascending.
    pub fn guilds(&self) -> Vec<u64> {
        let mut guilds: Vec<u64> = self.found.values().map(|(guild, _)| *guild).collect();
        guilds.sort_unstable();
        guilds.dedup();
        guilds
    }

    /// The managed roles in `guild`, ascending.
    pub fn roles_in(&self, guild: u64) -> Vec<u64> {
        self.found
            .iter()
            .filter(|(_, (g, _))| *g == guild)
            .map(|(role, _)| *role)
            .collect()
    }

    fn from_lists<'a>(
        managed: &[u64],
        lists: impl IntoIterator<Item = (u64, &'a [GuildRole])>,
    ) -> Self {
        let mut found = BTreeMap::new();
        for (guild, roles) in lists {
            for role in roles.iter().filter(|r| managed.contains(&r.id)) {
                found
                    .entry(role.id)
                    .or_insert_with(|| (guild, role.name.clone()));
            }
        }
        let mut unique = Vec::with_capacity(managed.len());
        for role in managed {
            if !unique.contains(role) {
                unique.push(*role);
            }
        }
        Self {
            found,
            managed: unique,
        }
    }
}

/// Reads each server's role list once (`GET /guilds/{g}/roles`) and finds the managed roles in them.
pub async fn locate_roles(
    http: &Http,
    guild_ids: &[u64],
    managed: &[u64],
) -> anyhow::Result<RoleMap> {
    let mut lists = Vec::with_capacity(guild_ids.len());
    for &guild in guild_ids {
        let roles = guild_roles(http, guild)
            .await
            .with_context(|| format!("reading the roles of server {guild} failed"))?;
        lists.push((guild, roles));
    }
    Ok(RoleMap::from_lists(
        managed,
        lists.iter().map(|(g, r)| (*g, r.as_slice())),
    ))
}

/// What stops the bot from managing a role, for `nexudus-bot check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleAccessProblem {
    /// The role is in none of the configured servers.
    UnknownRole { role: u64 },
    /// Neither @everyone nor any of the bot's roles grants Manage Roles (or Administrator).
    NoManageRoles { guild: u64 },
    /// The role is not strictly below the bot's highest role, so Discord refuses to assign it.
    RoleAboveBot {
        guild: u64,
        role: u64,
        role_name: String,
        bot_top_name: String,
    },
    /// Discord did not answer what the check needs.
    Unreadable { guild: u64, why: String },
}

impl fmt::Display for RoleAccessProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownRole { role } => write!(
                f,
                "role {role} is in none of the servers in DISCORD_GUILD_IDS: check \
                 MEMBER_ROLE_ID and PLAN_ROLES (with Developer Mode on, right-click the \
                 role in Server Settings ▸ Roles ▸ Copy Role ID)"
            ),
            Self::NoManageRoles { guild } => write!(
                f,
                "the bot lacks Manage Roles in server {guild}: give the bot's role Manage \
                 Roles in Server Settings ▸ Roles"
            ),
            Self::RoleAboveBot {
                guild,
                role,
                role_name,
                bot_top_name,
            } => write!(
                f,
                "role `{role_name}` ({role}) in server {guild} is not below the bot's highest \
                 role `{bot_top_name}`: drag the bot's role above `{role_name}` in Server \
                 Settings ▸ Roles"
            ),
            Self::Unreadable { guild, why } => {
                write!(
                    f,
                    "could not check the roles in server {guild} (is the bot in it?): {why}"
                )
            }
        }
    }
}

/// Checks that every managed role is in a configured server, and that the bot
/// holds Manage Roles and a role above each managed role there. Empty when all is well.
pub async fn inspect_role_access(
    http: &Http,
    guild_ids: &[u64],
    managed: &[u64],
) -> Vec<RoleAccessProblem> {
    let mut problems = Vec::new();
    let mut lists = Vec::with_capacity(guild_ids.len());
    for &guild in guild_ids {
        match guild_roles(http, guild).await {
            Ok(roles) => lists.push((guild, roles)),
            Err(err) => problems.push(RoleAccessProblem::Unreadable {
                guild,
                why: format!("reading the server's roles failed: {err:#}"),
            }),
        }
    }
    let map = RoleMap::from_lists(managed, lists.iter().map(|(g, r)| (*g, r.as_slice())));
    // A role may be in a server that could not be read: only claim it is
    // nowhere when every server answered.
    if problems.is_empty() {
        problems.extend(
            map.missing()
                .into_iter()
                .map(|role| RoleAccessProblem::UnknownRole { role }),
        );
    }
    let holding = map.guilds();
    if holding.is_empty() {
        return problems;
    }
    let bot = match http.get_current_user().await {
        Ok(user) => user.id,
        Err(err) => {
            let why = format!(
                "asking Discord who the bot is failed: {}",
                describe_error(&err)
            );
            problems.extend(
                holding
                    .into_iter()
                    .map(|guild| RoleAccessProblem::Unreadable {
                        guild,
                        why: why.clone(),
                    }),
            );
            return problems;
        }
    };
    for (guild, roles) in &lists {
        let managed_here = map.roles_in(*guild);
        if managed_here.is_empty() {
            continue;
        }
        let Ok(guild_id) = snowflake::<GuildId>(*guild) else {
            continue;
        };
        match http.get_member(guild_id, bot).await {
            Ok(member) => {
                let bot_roles: Vec<u64> = member.roles.iter().map(|r| r.get()).collect();
                problems.extend(access_problems(*guild, roles, &bot_roles, &managed_here));
            }
            Err(err) => problems.push(RoleAccessProblem::Unreadable {
                guild: *guild,
                why: format!("reading the bot's member failed: {}", describe_error(&err)),
            }),
        }
    }
    problems
}

/// One role of a server, as far as the access check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GuildRole {
    id: u64,
    position: u16,
    permissions: u64,
    name: String,
}

impl From<&Role> for GuildRole {
    fn from(role: &Role) -> Self {
        Self {
            id: role.id.get(),
            position: role.position,
            permissions: role.permissions.bits(),
            name: role.name.clone(),
        }
    }
}

async fn guild_roles(http: &Http, guild: u64) -> anyhow::Result<Vec<GuildRole>> {
    let id = NonZeroU64::new(guild)
        .map(GuildId::from)
        .context("a server id of 0")?;
    let roles = http
        .get_guild_roles(id)
        .await
        .map_err(|err| anyhow::anyhow!(describe_error(&err)))?;
    Ok(roles.iter().map(GuildRole::from).collect())
}

/// What keeps the bot, holding `bot_roles`, from managing `managed_here` in
/// `guild`. Permissions come from @everyone (the role whose id is the
/// server's) and the bot's roles; Administrator implies Manage Roles, but
/// not the right to touch a role at or above the bot's highest.
fn access_problems(
    guild: u64,
    roles: &[GuildRole],
    bot_roles: &[u64],
    managed_here: &[u64],
) -> Vec<RoleAccessProblem> {
    let everyone = roles.iter().find(|r| r.id == guild);
    let held: Vec<&GuildRole> = roles.iter().filter(|r| bot_roles.contains(&r.id)).collect();
    let permissions = everyone
        .into_iter()
        .chain(held.iter().copied())
        .fold(0, |bits, role| bits | role.permissions);
    let mut problems = Vec::new();
    let granted = Permissions::MANAGE_ROLES.bits() | Permissions::ADMINISTRATOR.bits();
    if permissions & granted == 0 {
        problems.push(RoleAccessProblem::NoManageRoles { guild });
    }
    let top = held.iter().copied().max_by_key(|r| r.position);
    let (top_position, top_name) = top.map_or((0, "@everyone"), |r| (r.position, r.name.as_str()));
    for &role in managed_here {
        let Some(managed) = roles.iter().find(|r| r.id == role) else {
            continue;
        };
        if managed.position >= top_position {
            problems.push(RoleAccessProblem::RoleAboveBot {
                guild,
                role,
                role_name: managed.name.clone(),
                bot_top_name: top_name.to_owned(),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: u64 = 100;
    const BOT_ROLE: u64 = 200;
    const MEMBERS: u64 = 300;
    const PLAN: u64 = 400;
    const MANAGE_ROLES: u64 = 1 << 28;
    const ADMINISTRATOR: u64 = 1 << 3;

    fn role(id: u64, position: u16, permissions: u64, name: &str) -> GuildRole {
        GuildRole {
            id,
            position,
            permissions,
            name: name.to_owned(),
        }
    }

    fn server(bot_permissions: u64, bot_position: u16) -> Vec<GuildRole> {
        vec![
            role(GUILD, 0, 1 << 10, "@everyone"),
            role(MEMBERS, 1, 0, "Members"),
            role(PLAN, 2, 0, "Hot desk"),
            role(BOT_ROLE, bot_position, bot_permissions, "nexudus-bot"),
        ]
    }

    #[test]
    fn a_bot_with_manage_roles_above_every_managed_role_has_no_problem() {
        let roles = server(MANAGE_ROLES, 5);
        let problems = access_problems(GUILD, &roles, &[BOT_ROLE], &[MEMBERS, PLAN]);
        assert_eq!(problems, vec![]);
    }

    #[test]
    fn administrator_counts_as_manage_roles() {
        let roles = server(ADMINISTRATOR, 5);
        assert_eq!(
            access_problems(GUILD, &roles, &[BOT_ROLE], &[MEMBERS]),
            vec![]
        );
    }

    #[test]
    fn manage_roles_granted_to_everyone_counts() {
        let mut roles = server(0, 5);
        roles[0].permissions |= MANAGE_ROLES;
        assert_eq!(
            access_problems(GUILD, &roles, &[BOT_ROLE], &[MEMBERS]),
            vec![]
        );
    }

    #[test]
    fn a_bot_without_manage_roles_is_told_to_get_it() {
        let roles = server(1 << 10, 5);
        let problems = access_problems(GUILD, &roles, &[BOT_ROLE], &[MEMBERS]);
        assert_eq!(
            problems,
            vec![RoleAccessProblem::NoManageRoles { guild: GUILD }]
        );
        assert!(problems[0].to_string().contains("Manage Roles"));
    }

    #[test]
    fn a_managed_role_above_or_level_with_the_bot_is_named_with_the_fix() {
        let roles = server(MANAGE_ROLES, 2);
        let problems = access_problems(GUILD, &roles, &[BOT_ROLE], &[MEMBERS, PLAN]);
        let expected = RoleAccessProblem::RoleAboveBot {
            guild: GUILD,
            role: PLAN,
            role_name: "Hot desk".into(),
            bot_top_name: "nexudus-bot".into(),
        };
        assert_eq!(problems, vec![expected]);
        assert!(
            problems[0]
                .to_string()
                .contains("drag the bot's role above `Hot desk` in Server Settings ▸ Roles"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn a_bot_with_no_role_is_below_everything_and_lacks_manage_roles() {
        let roles = server(MANAGE_ROLES, 5);
        let problems = access_problems(GUILD, &roles, &[], &[MEMBERS]);
        assert_eq!(
            problems,
            vec![
                RoleAccessProblem::NoManageRoles { guild: GUILD },
                RoleAccessProblem::RoleAboveBot {
                    guild: GUILD,
                    role: MEMBERS,
                    role_name: "Members".into(),
                    bot_top_name: "@everyone".into(),
                },
            ]
        );
    }

    #[test]
    fn the_highest_of_the_bots_roles_decides() {
        let mut roles = server(0, 1);
        roles.push(role(500, 9, MANAGE_ROLES, "Staff"));
        assert_eq!(
            access_problems(GUILD, &roles, &[BOT_ROLE, 500], &[MEMBERS, PLAN]),
            vec![]
        );
    }

    #[test]
    fn a_role_map_finds_each_roles_server_and_lists_the_missing() {
        let first = server(MANAGE_ROLES, 5);
        let second = vec![role(7, 0, 0, "@everyone"), role(900, 1, 0, "Night owls")];
        let map = RoleMap::from_lists(
            &[MEMBERS, 900, 42, MEMBERS],
            [(GUILD, first.as_slice()), (7, second.as_slice())],
        );
        assert_eq!(map.guild_of(MEMBERS), Some(GUILD));
        assert_eq!(map.guild_of(900), Some(7));
        assert_eq!(map.name_of(900), Some("Night owls"));
        assert_eq!(map.guild_of(PLAN), None, "not managed, so not mapped");
        assert_eq!(map.missing(), vec![42]);
        assert_eq!(map.guilds(), vec![7, GUILD]);
        assert_eq!(map.roles_in(GUILD), vec![MEMBERS]);
    }

    #[test]
    fn an_id_of_zero_is_a_failure_not_a_panic() {
        assert!(matches!(
            snowflake::<GuildId>(0),
            Err(RoleWriteError::Failed(_))
        ));
    }
}
