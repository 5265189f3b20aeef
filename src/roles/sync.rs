//! [`RoleSync`]: keeps linked members' managed roles in step with their plans.
//!
//! One member is synced right after a link, an unlink, a manager's
//! `/admin sync member` or a webhook naming them: two Nexudus calls at most
//! (their coworker, looked up once and stored; their active contracts). The
//! reconcile of everyone lists the active contracts of the whole space in
//! pages of 100 and compares each linked member with that list, so its
//! Nexudus cost is the number of pages plus the members whose coworker is
//! not known yet. A listing that fails part-way changes nothing: a partial
//! list would take roles from members whose page was never read.
//!
//! Nexudus calls go through the line as background work (members and
//! managers go first); Discord calls of a reconcile are spaced
//! ([`DISCORD_SPACING`]) so a pass over thousands of members never eats the
//! bot's global Discord budget that login DMs need.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use dashmap::DashMap;
use tracing::{info, warn};

use super::plan::{Plan, changes, wanted_roles};
use super::settings::RoleSettings;
use super::{RoleWriteError, RoleWriter};
use crate::metrics::{Metrics, RoleWrite, RoleWriteOutcome};
use crate::nexudus::{Contract, NexudusClient, NexudusError};
use crate::store::{LinkedMember, Store, unix_now};

/// Pages of active contracts a reconcile reads at most (100 000 plans).
const MAX_CONTRACT_PAGES: u32 = 1_000;
/// The gap between a reconcile's Discord calls: 25 a second, half of
/// Discord's global limit, so DMs and replies always have room.
pub const DISCORD_SPACING: Duration = Duration::from_millis(40);
/// A role Discord refused to write is reported this often at most.
const FORBIDDEN_REPORT_EVERY: Duration = Duration::from_secs(3600);
/// Webhook batches waiting for the worker at most; beyond, Nexudus is asked to retry.
pub const WEBHOOK_BACKLOG: usize = 64;

/// Where a role refusal is reported: the server's audit channel.
pub trait RoleAlerts: Send + Sync {
    /// Discord refused to write `role_id` in `guild_id` (50013).
    fn forbidden(&self, guild_id: u64, role_id: u64);
}

/// Which server each managed role belongs to, learnt at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    by_guild: BTreeMap<u64, BTreeSet<u64>>,
}

impl Placement {
    /// From `(role id, guild id)` pairs.
    pub fn new(role_guilds: impl IntoIterator<Item = (u64, u64)>) -> Placement {
        let mut by_guild: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
        for (role, guild) in role_guilds {
            by_guild.entry(guild).or_default().insert(role);
        }
        Placement { by_guild }
    }

    /// Every managed role that was found, in any server.
    pub fn roles(&self) -> BTreeSet<u64> {
        self.by_guild.values().flatten().copied().collect()
    }
}

/// Why a sync happened; it becomes the reason in the server's audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncCause {
    Linked,
    Unlinked,
    /// The reconcile, a manager's `/admin sync` or a webhook: plans are re-read.
    Plans,
}

/// The reasons the server's audit log shows for the bot's role changes, in
/// the bot's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleReasons {
    pub linked: String,
    pub unlinked: String,
    pub plans: String,
}

/// What one member's sync found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberSync {
    /// Their active plans, as Nexudus names them (paused ones included).
    pub plans: Vec<Plan>,
    /// Managed roles they hold now.
    pub held: Vec<u64>,
    pub added: Vec<u64>,
    pub removed: Vec<u64>,
    /// Managed roles Discord would not write (or read) this time.
    pub failed: Vec<u64>,
    /// They are in none of the servers holding managed roles.
    pub left: bool,
}

/// A member's plans and managed roles as the last sync saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownRoles {
    pub plans: Vec<Plan>,
    pub held: Vec<u64>,
    /// Unix seconds.
    pub at: i64,
}

/// Why a sync did not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("the member is not linked")]
    NotLinked,
    #[error("a reconcile is already running")]
    Busy,
    #[error("Nexudus failed: {0}")]
    Nexudus(#[from] NexudusError),
}

/// What a reconcile of everyone did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub members: usize,
    /// Role writes that went through.
    pub added: usize,
    pub removed: usize,
    /// Members whose roles were already right.
    pub unchanged: usize,
    /// Members with at least one role or lookup that failed (retried next time).
    pub failed: usize,
    /// Linked members no longer in the server: skipped.
    pub left: usize,
    pub nexudus_calls: usize,
    pub took: Duration,
}

/// The roles feature at run time. Cheap to share behind an `Arc`.
pub struct RoleSync {
    settings: RoleSettings,
    placement: Placement,
    nexudus: NexudusClient,
    store: Store,
    discord: Arc<dyn RoleWriter>,
    alerts: Arc<dyn RoleAlerts>,
    metrics: Arc<Metrics>,
    reasons: RoleReasons,
    /// Held by the reconcile: one pass at a time.
    pass: tokio::sync::Mutex<()>,
    /// When each refused role was last reported.
    reported: Mutex<HashMap<u64, Instant>>,
    /// What the last sync saw of each linked member.
    known: DashMap<u64, KnownRoles>,
}

impl RoleSync {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        settings: RoleSettings,
        placement: Placement,
        nexudus: NexudusClient,
        store: Store,
        discord: Arc<dyn RoleWriter>,
        alerts: Arc<dyn RoleAlerts>,
        metrics: Arc<Metrics>,
        reasons: RoleReasons,
    ) -> RoleSync {
        RoleSync {
            settings,
            placement,
            nexudus,
            store,
            discord,
            alerts,
            metrics,
            reasons,
            pass: tokio::sync::Mutex::new(()),
            reported: Mutex::new(HashMap::new()),
            known: DashMap::new(),
        }
    }

    /// A member's plans and roles as the last sync saw them.
    pub fn known(&self, member: u64) -> Option<KnownRoles> {
        self.known.get(&member).map(|known| known.clone())
    }

    fn remember(&self, member: u64, plans: &[Plan], synced: &MemberSync) {
        if synced.left {
            self.known.remove(&member);
            return;
        }
        self.known.insert(
            member,
            KnownRoles {
                plans: plans.to_vec(),
                held: synced.held.clone(),
                at: unix_now(),
            },
        );
    }

    /// The client background syncs call Nexudus through.
    pub fn nexudus(&self) -> &NexudusClient {
        &self.nexudus
    }

    /// Re-reads one linked member's plans through `nexudus` (a turn in the
    /// line, or the background client) and writes the difference.
    pub async fn sync_member(
        &self,
        nexudus: &NexudusClient,
        discord_user_id: u64,
        cause: SyncCause,
    ) -> Result<MemberSync, SyncError> {
        let link = self
            .store
            .get_link(discord_user_id)
            .await
            .ok()
            .flatten()
            .ok_or(SyncError::NotLinked)?;
        let member = LinkedMember {
            discord_user_id,
            nexudus_user_id: link.nexudus_user_id,
            coworker_id: link.coworker_id,
        };
        let plans = match self.coworker_of(nexudus, member).await? {
            Some(coworker) => plans_of(nexudus.active_contracts_of(coworker).await?),
            // A user who was never a coworker has no plan.
            None => Vec::new(),
        };
        let wanted = wanted_roles(&self.settings, &plans);
        let mut synced = self.apply(discord_user_id, &wanted, cause, false).await;
        self.remember(discord_user_id, &plans, &synced);
        synced.plans = plans;
        Ok(synced)
    }

    /// Takes every managed role from a member who unlinked (their link is
    /// already gone; no Nexudus call).
    pub async fn clear_member(&self, discord_user_id: u64) -> MemberSync {
        self.known.remove(&discord_user_id);
        self.apply(
            discord_user_id,
            &BTreeSet::new(),
            SyncCause::Unlinked,
            false,
        )
        .await
    }

    /// Re-syncs the linked members behind these Nexudus coworkers (a
    /// webhook); unknown coworkers are ignored. Links whose coworker is not
    /// stored yet are left to the reconcile, which learns it.
    pub async fn sync_coworkers(&self, coworker_ids: &[u64]) {
        let wanted: BTreeSet<u64> = coworker_ids.iter().copied().collect();
        let members: Vec<u64> = self
            .store
            .linked_members()
            .into_iter()
            .filter(|m| m.coworker_id.is_some_and(|c| wanted.contains(&c)))
            .map(|m| m.discord_user_id)
            .collect();
        for member in members {
            let nexudus = self.nexudus.clone();
            if let Err(err) = self.sync_member(&nexudus, member, SyncCause::Plans).await {
                warn!(error = %err, "re-syncing a member named by a Nexudus webhook failed");
            }
        }
    }

    /// Compares every linked member with the space's active plans and
    /// writes the differences. Refused with [`SyncError::Busy`] while another
    /// pass runs.
    pub async fn reconcile(&self) -> Result<SyncReport, SyncError> {
        let _pass = self.pass.try_lock().map_err(|_| SyncError::Busy)?;
        let started = Instant::now();
        let mut report = SyncReport::default();
        let plans = self.active_plans(&mut report).await?;
        for member in self.store.linked_members() {
            report.members += 1;
            let coworker = self.coworker_of(&self.nexudus, member).await;
            if member.coworker_id.is_none() {
                report.nexudus_calls += 1;
            }
            let coworker = match coworker {
                Ok(coworker) => coworker,
                Err(err) => {
                    warn!(error = %err, "looking up a linked member's coworker failed");
                    report.failed += 1;
                    continue;
                }
            };
            if !self.still_linked(member).await {
                // Unlinked (or relinked) since the pass began: their roles are not ours to give.
                continue;
            }
            let none = Vec::new();
            let theirs = coworker.and_then(|c| plans.get(&c)).unwrap_or(&none);
            let wanted = wanted_roles(&self.settings, theirs);
            let synced = self
                .apply(member.discord_user_id, &wanted, SyncCause::Plans, true)
                .await;
            self.remember(member.discord_user_id, theirs, &synced);
            report.added += synced.added.len();
            report.removed += synced.removed.len();
            if synced.left {
                report.left += 1;
            } else if !synced.failed.is_empty() {
                report.failed += 1;
            } else if synced.added.is_empty() && synced.removed.is_empty() {
                report.unchanged += 1;
            }
        }
        report.took = started.elapsed();
        self.metrics.role_sync_run(report.took);
        info!(
            members = report.members,
            added = report.added,
            removed = report.removed,
            unchanged = report.unchanged,
            failed = report.failed,
            left = report.left,
            nexudus_calls = report.nexudus_calls,
            took_ms = report.took.as_millis() as u64,
            "membership roles reconciled"
        );
        Ok(report)
    }

    /// Reconciles now, then every `every`, in the background.
    pub fn spawn_interval(self: Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match self.reconcile().await {
                    Ok(_) => {}
                    Err(SyncError::Busy) => {
                        info!("a reconcile is still running; skipping this one")
                    }
                    Err(err) => {
                        warn!(error = %err, "reconciling membership roles failed; retrying at the next interval")
                    }
                }
            }
        })
    }

    /// Serves webhook batches (coworker ids) one after another.
    pub fn spawn_webhook_worker(
        self: Arc<Self>,
        mut batches: tokio::sync::mpsc::Receiver<Vec<u64>>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            while let Some(coworkers) = batches.recv().await {
                self.sync_coworkers(&coworkers).await;
            }
        })
    }

    /// Every active contract of the space, by coworker; all pages or an error.
    async fn active_plans(
        &self,
        report: &mut SyncReport,
    ) -> Result<HashMap<u64, Vec<Plan>>, NexudusError> {
        let mut by_coworker: HashMap<u64, Vec<Plan>> = HashMap::new();
        for page in 1..=MAX_CONTRACT_PAGES {
            let found = self.nexudus.active_contracts_page(page).await;
            report.nexudus_calls += 1;
            let found = found?;
            let last = !found.has_next_page || found.contracts.is_empty();
            for contract in found.contracts {
                by_coworker
                    .entry(contract.coworker_id)
                    .or_default()
                    .push(plan_of(contract));
            }
            if last {
                return Ok(by_coworker);
            }
        }
        warn!(
            pages = MAX_CONTRACT_PAGES,
            "more active contracts than a reconcile reads; the rest are treated as none"
        );
        Ok(by_coworker)
    }

    /// Whether `member`'s link is still the one the pass started from.
    async fn still_linked(&self, member: LinkedMember) -> bool {
        matches!(
            self.store.get_link(member.discord_user_id).await,
            Ok(Some(link)) if link.nexudus_user_id == member.nexudus_user_id
        )
    }

    /// The member's coworker id: stored, or looked up once and stored.
    async fn coworker_of(
        &self,
        nexudus: &NexudusClient,
        member: LinkedMember,
    ) -> Result<Option<u64>, NexudusError> {
        if let Some(coworker) = member.coworker_id {
            return Ok(Some(coworker));
        }
        let coworker = nexudus.coworker_for_user(member.nexudus_user_id).await?;
        if let Some(coworker) = coworker
            && let Err(err) = self
                .store
                .set_coworker_id(member.discord_user_id, member.nexudus_user_id, coworker)
                .await
        {
            warn!(error = %err, "storing a member's coworker id failed; it is looked up again next time");
        }
        Ok(coworker)
    }

    /// Writes, in every server holding managed roles, the difference between
    /// what the member holds and `wanted`.
    async fn apply(
        &self,
        member: u64,
        wanted: &BTreeSet<u64>,
        cause: SyncCause,
        paced: bool,
    ) -> MemberSync {
        let reason = match cause {
            SyncCause::Linked => &self.reasons.linked,
            SyncCause::Unlinked => &self.reasons.unlinked,
            SyncCause::Plans => &self.reasons.plans,
        };
        let mut synced = MemberSync::default();
        let mut in_a_server = false;
        for (&guild, managed) in &self.placement.by_guild {
            if paced {
                tokio::time::sleep(DISCORD_SPACING).await;
            }
            let current = match self.discord.member_roles(guild, member).await {
                Ok(Some(current)) => current,
                Ok(None) | Err(RoleWriteError::UnknownMember) => continue,
                Err(err) => {
                    warn!(guild, error = %err, "reading a member's roles failed");
                    in_a_server = true;
                    synced.failed.extend(managed.iter().copied());
                    continue;
                }
            };
            in_a_server = true;
            let diff = changes(managed, wanted, &current);
            let mut held: BTreeSet<u64> = current
                .iter()
                .filter(|role| managed.contains(role))
                .copied()
                .collect();
            for (role, write) in diff
                .add
                .iter()
                .map(|r| (*r, RoleWrite::Add))
                .chain(diff.remove.iter().map(|r| (*r, RoleWrite::Remove)))
            {
                if paced {
                    tokio::time::sleep(DISCORD_SPACING).await;
                }
                let written = match write {
                    RoleWrite::Add => self.discord.add_role(guild, member, role, reason).await,
                    RoleWrite::Remove => {
                        self.discord.remove_role(guild, member, role, reason).await
                    }
                };
                match written {
                    Ok(()) => {
                        self.metrics.role_change(write, RoleWriteOutcome::Ok);
                        match write {
                            RoleWrite::Add => {
                                held.insert(role);
                                synced.added.push(role);
                            }
                            RoleWrite::Remove => {
                                held.remove(&role);
                                synced.removed.push(role);
                            }
                        }
                    }
                    // They left between the read and the write.
                    Err(RoleWriteError::UnknownMember) => break,
                    Err(RoleWriteError::Forbidden) => {
                        self.metrics.role_change(write, RoleWriteOutcome::Forbidden);
                        self.report_forbidden(guild, role);
                        synced.failed.push(role);
                    }
                    Err(err) => {
                        self.metrics.role_change(write, RoleWriteOutcome::Error);
                        warn!(guild, role, error = %err, "writing a managed role failed; the next reconcile retries");
                        synced.failed.push(role);
                    }
                }
            }
            synced.held.extend(held);
        }
        synced.left = !in_a_server;
        synced
    }

    /// Tells the server's managers about a refused role, once an hour per role.
    fn report_forbidden(&self, guild: u64, role: u64) {
        let now = Instant::now();
        let mut reported = self.reported.lock().unwrap_or_else(PoisonError::into_inner);
        let due = reported
            .get(&role)
            .is_none_or(|last| now.duration_since(*last) >= FORBIDDEN_REPORT_EVERY);
        if due {
            reported.insert(role, now);
            drop(reported);
            warn!(
                guild,
                role,
                "Discord refused to write a managed role (50013): the bot needs Manage Roles and a role above it"
            );
            self.alerts.forbidden(guild, role);
        }
    }
}

fn plan_of(contract: Contract) -> Plan {
    Plan {
        name: contract.tariff_name,
        paused: contract.in_paused_period,
    }
}

fn plans_of(contracts: Vec<Contract>) -> Vec<Plan> {
    contracts.into_iter().map(plan_of).collect()
}
