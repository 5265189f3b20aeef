//! Membership roles: Discord roles that follow Nexudus plans, for linked
//! members only.
//!
//! Off unless `MEMBER_ROLE_ID` or `PLAN_ROLES` is set. The *managed* roles are
//! those two settings together; the bot adds and removes only them, writes
//! only differences, and never touches another role. What a member should
//! hold is decided from their active plans alone (`plan.rs`); the reconcile
//! (`sync.rs`) reads every active plan in pages, so one pass over every
//! linked member costs a handful of Nexudus calls, not one per member.
//! Webhooks from Nexudus (`webhook.rs`) only say *who* to look at again.

pub mod plan;
pub mod settings;
pub mod sync;
pub mod webhook;

use async_trait::async_trait;

pub use plan::Plan;
pub use settings::RoleSettings;
pub use sync::{
    KnownRoles, MemberSync, Placement, RoleAlerts, RoleReasons, RoleSync, SyncCause, SyncError,
    SyncReport,
};

/// What the roles feature needs of Discord; `src/discord/roles.rs` is the real
/// one. Ids are plain snowflakes so this layer never sees a serenity type.
#[async_trait]
pub trait RoleWriter: Send + Sync {
    /// The member's current role ids in `guild_id`; `Ok(None)` when they are
    /// not in the server (10007 Unknown Member).
    async fn member_roles(
        &self,
        guild_id: u64,
        user_id: u64,
    ) -> Result<Option<Vec<u64>>, RoleWriteError>;

    /// Gives `role_id` to the member, with `reason` in the server's audit log.
    async fn add_role(
        &self,
        guild_id: u64,
        user_id: u64,
        role_id: u64,
        reason: &str,
    ) -> Result<(), RoleWriteError>;

    /// Takes `role_id` from the member, with `reason` in the server's audit log.
    async fn remove_role(
        &self,
        guild_id: u64,
        user_id: u64,
        role_id: u64,
        reason: &str,
    ) -> Result<(), RoleWriteError>;
}

/// Why Discord did not read or change a member's roles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleWriteError {
    /// 50013 Missing Permissions: the bot lacks Manage Roles, or the role is
    /// above the bot's highest role.
    #[error("Discord refused: missing permissions (50013)")]
    Forbidden,
    /// 10007 Unknown Member: they left the server.
    #[error("the member is not in the server (10007)")]
    UnknownMember,
    /// 10011 Unknown Role: the role was deleted.
    #[error("the role does not exist (10011)")]
    UnknownRole,
    /// Anything else (network, 5xx); worth retrying at the next reconcile.
    #[error("Discord failed: {0}")]
    Failed(String),
}
