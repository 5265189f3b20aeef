//! The role decision and the reconcile, in process: [`RoleSync`] against a
//! wiremock Nexudus and an in-memory Discord that records every write.
//! Asserts which roles members end up holding, what is written, and what it
//! costs in Nexudus calls.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use nexudus_bot::config::DatabasePath;
use nexudus_bot::metrics::Metrics;
use nexudus_bot::nexudus::NexudusClient;
use nexudus_bot::roles::settings::PlanRoles;
use nexudus_bot::roles::{
    Placement, RoleAlerts, RoleReasons, RoleSettings, RoleSync, RoleWriteError, RoleWriter,
    SyncCause, SyncError,
};
use nexudus_bot::store::{Link, Store};
use serde_json::{Value, json};
use support::nexudus::{
    active_contracts, contract, coworker_of_user, member_contracts, paged_list, settings,
};
use wiremock::{MockServer, ResponseTemplate};

const GUILD: u64 = 1_000;
const MEMBER_ROLE: u64 = 10;
const DESK_ROLE: u64 = 20;
const LOUNGE_ROLE: u64 = 30;
/// A role the bot does not manage.
const OTHER_ROLE: u64 = 99;

/// Discord in memory: each member's roles, roles it refuses, every write.
#[derive(Default)]
struct FakeRoles {
    members: Mutex<BTreeMap<u64, BTreeSet<u64>>>,
    forbidden: Mutex<BTreeSet<u64>>,
    writes: Mutex<Vec<(&'static str, u64, u64, String)>>,
}

impl FakeRoles {
    fn with_member(self, member: u64, roles: &[u64]) -> FakeRoles {
        self.members
            .lock()
            .unwrap()
            .insert(member, roles.iter().copied().collect());
        self
    }

    fn roles_of(&self, member: u64) -> Vec<u64> {
        self.members.lock().unwrap()[&member]
            .iter()
            .copied()
            .collect()
    }

    fn writes(&self) -> Vec<(&'static str, u64, u64)> {
        let writes = self.writes.lock().unwrap();
        writes.iter().map(|(op, m, r, _)| (*op, *m, *r)).collect()
    }

    fn write(
        &self,
        op: &'static str,
        user: u64,
        role: u64,
        reason: &str,
    ) -> Result<(), RoleWriteError> {
        if self.forbidden.lock().unwrap().contains(&role) {
            return Err(RoleWriteError::Forbidden);
        }
        let mut members = self.members.lock().unwrap();
        let roles = members
            .get_mut(&user)
            .ok_or(RoleWriteError::UnknownMember)?;
        if op == "add" {
            roles.insert(role);
        } else {
            roles.remove(&role);
        }
        self.writes
            .lock()
            .unwrap()
            .push((op, user, role, reason.to_owned()));
        Ok(())
    }
}

#[async_trait]
impl RoleWriter for FakeRoles {
    async fn member_roles(
        &self,
        guild: u64,
        user: u64,
    ) -> Result<Option<Vec<u64>>, RoleWriteError> {
        assert_eq!(guild, GUILD);
        let members = self.members.lock().unwrap();
        Ok(members
            .get(&user)
            .map(|roles| roles.iter().copied().collect()))
    }

    async fn add_role(
        &self,
        _: u64,
        user: u64,
        role: u64,
        reason: &str,
    ) -> Result<(), RoleWriteError> {
        self.write("add", user, role, reason)
    }

    async fn remove_role(
        &self,
        _: u64,
        user: u64,
        role: u64,
        reason: &str,
    ) -> Result<(), RoleWriteError> {
        self.write("remove", user, role, reason)
    }
}

#[derive(Default)]
struct Alerts(Mutex<Vec<(u64, u64)>>);

impl RoleAlerts for Alerts {
    fn forbidden(&self, guild_id: u64, role_id: u64) {
        self.0.lock().unwrap().push((guild_id, role_id));
    }
}

struct Harness {
    nexudus: MockServer,
    client: NexudusClient,
    store: Store,
    discord: Arc<FakeRoles>,
    alerts: Arc<Alerts>,
    sync: RoleSync,
}

fn role_settings() -> RoleSettings {
    RoleSettings {
        member_role: Some(MEMBER_ROLE),
        plan_roles: PlanRoles::parse("Dedicated Desk=20,Lounge=30").unwrap(),
        ..RoleSettings::default()
    }
}

async fn harness(discord: FakeRoles) -> Harness {
    let nexudus = MockServer::start().await;
    let client = NexudusClient::new(&settings(&nexudus.uri())).unwrap();
    let store = Store::open(&DatabasePath::Memory).unwrap();
    let discord = Arc::new(discord);
    let alerts = Arc::new(Alerts::default());
    let sync = RoleSync::new(
        role_settings(),
        Placement::new([MEMBER_ROLE, DESK_ROLE, LOUNGE_ROLE].map(|role| (role, GUILD))),
        client.clone(),
        store.clone(),
        Arc::clone(&discord) as Arc<dyn RoleWriter>,
        Arc::clone(&alerts) as Arc<dyn RoleAlerts>,
        Arc::new(Metrics::new()),
        RoleReasons {
            linked: "linked".into(),
            unlinked: "unlinked".into(),
            plans: "plans changed".into(),
        },
    );
    Harness {
        nexudus,
        client,
        store,
        discord,
        alerts,
        sync,
    }
}

impl Harness {
    /// A linked member whose coworker is already known (or not, with `None`).
    async fn linked(&self, member: u64, user: u64, coworker: Option<u64>) {
        self.store
            .link(Link {
                discord_user_id: member,
                nexudus_user_id: user,
                email: format!("{member}@example.com"),
                linked_at: 1_700_000_000,
                linked_by: member,
                coworker_id: coworker,
            })
            .await
            .unwrap();
    }

    /// Nexudus: `user` is `coworker`, with these plans.
    async fn plans(&self, user: u64, coworker: u64, plans: &[(&str, bool)]) {
        coworker_of_user(user)
            .respond_with(paged_list(json!([{"Id": coworker, "UserId": user}]), false))
            .mount(&self.nexudus)
            .await;
        let records: Vec<Value> = plans
            .iter()
            .map(|(name, paused)| contract(coworker, name, *paused))
            .collect();
        member_contracts(coworker)
            .respond_with(paged_list(Value::Array(records), false))
            .mount(&self.nexudus)
            .await;
    }

    async fn sync_one(&self, member: u64) -> Vec<u64> {
        let synced = self
            .sync
            .sync_member(&self.client, member, SyncCause::Plans)
            .await
            .unwrap();
        synced.held
    }

    async fn calls(&self) -> usize {
        self.nexudus.received_requests().await.unwrap().len()
    }
}

#[tokio::test]
async fn an_active_plan_gives_the_member_role_and_its_plan_role_and_keeps_other_roles() {
    let h = harness(FakeRoles::default().with_member(1, &[OTHER_ROLE])).await;
    h.linked(1, 100, None).await;
    h.plans(100, 500, &[("Dedicated Desk", false)]).await;

    assert_eq!(h.sync_one(1).await, [MEMBER_ROLE, DESK_ROLE]);
    assert_eq!(h.discord.roles_of(1), [MEMBER_ROLE, DESK_ROLE, OTHER_ROLE]);
    let reasons: Vec<String> = h
        .discord
        .writes
        .lock()
        .unwrap()
        .iter()
        .map(|w| w.3.clone())
        .collect();
    assert_eq!(reasons, ["plans changed", "plans changed"]);
}

#[tokio::test]
async fn a_paused_plan_takes_its_roles_away() {
    let h =
        harness(FakeRoles::default().with_member(1, &[MEMBER_ROLE, DESK_ROLE, OTHER_ROLE])).await;
    h.linked(1, 100, None).await;
    h.plans(100, 500, &[("Dedicated Desk", true)]).await;

    assert_eq!(h.sync_one(1).await, Vec::<u64>::new());
    assert_eq!(h.discord.roles_of(1), [OTHER_ROLE]);
}

#[tokio::test]
async fn several_plans_give_every_plan_role_once() {
    let h = harness(FakeRoles::default().with_member(1, &[])).await;
    h.linked(1, 100, None).await;
    h.plans(
        100,
        500,
        &[
            ("Dedicated Desk", false),
            ("Lounge", false),
            ("Lounge", false),
        ],
    )
    .await;

    assert_eq!(h.sync_one(1).await, [MEMBER_ROLE, DESK_ROLE, LOUNGE_ROLE]);
    assert_eq!(h.discord.writes().len(), 3);
}

#[tokio::test]
async fn a_plan_mapped_to_no_role_gives_only_the_member_role() {
    let h = harness(FakeRoles::default().with_member(1, &[DESK_ROLE])).await;
    h.linked(1, 100, None).await;
    h.plans(100, 500, &[("Virtual Office", false)]).await;

    assert_eq!(h.sync_one(1).await, [MEMBER_ROLE]);
    assert_eq!(
        h.discord.writes(),
        [("add", 1, MEMBER_ROLE), ("remove", 1, DESK_ROLE)]
    );
}

#[tokio::test]
async fn plan_names_that_differ_only_in_case_or_spaces_still_give_their_role() {
    let h = harness(FakeRoles::default().with_member(1, &[])).await;
    h.linked(1, 100, None).await;
    h.plans(100, 500, &[("  dedicated   DESK ", false)]).await;

    assert_eq!(h.sync_one(1).await, [MEMBER_ROLE, DESK_ROLE]);
}

#[tokio::test]
async fn a_member_who_left_the_server_is_skipped_without_a_write() {
    let h = harness(FakeRoles::default()).await;
    h.linked(1, 100, Some(500)).await;
    h.plans(100, 500, &[("Lounge", false)]).await;

    let synced = h
        .sync
        .sync_member(&h.client, 1, SyncCause::Plans)
        .await
        .unwrap();
    assert!(synced.left);
    assert!(h.discord.writes().is_empty());
}

#[tokio::test]
async fn a_member_who_is_not_linked_is_not_synced() {
    let h = harness(FakeRoles::default().with_member(1, &[])).await;
    let refused = h.sync.sync_member(&h.client, 1, SyncCause::Plans).await;
    assert_eq!(refused.unwrap_err(), SyncError::NotLinked);
    assert_eq!(h.calls().await, 0);
}

#[tokio::test]
async fn clearing_a_member_takes_only_the_managed_roles() {
    let h =
        harness(FakeRoles::default().with_member(1, &[MEMBER_ROLE, LOUNGE_ROLE, OTHER_ROLE])).await;
    let cleared = h.sync.clear_member(1).await;
    assert_eq!(cleared.removed, [MEMBER_ROLE, LOUNGE_ROLE]);
    assert_eq!(h.discord.roles_of(1), [OTHER_ROLE]);
    assert_eq!(h.calls().await, 0, "no Nexudus call");
}

#[tokio::test]
async fn a_reconcile_writes_only_differences_and_costs_one_call_per_page_plus_unknown_coworkers() {
    let h = harness(
        FakeRoles::default()
            .with_member(1, &[MEMBER_ROLE, DESK_ROLE])
            .with_member(2, &[MEMBER_ROLE, LOUNGE_ROLE, OTHER_ROLE])
            .with_member(3, &[])
            .with_member(4, &[OTHER_ROLE]),
    )
    .await;
    h.linked(1, 100, Some(501)).await;
    h.linked(2, 200, Some(502)).await;
    h.linked(3, 300, None).await;
    h.linked(4, 400, Some(504)).await;
    coworker_of_user(300)
        .respond_with(paged_list(json!([{"Id": 503, "UserId": 300}]), false))
        .mount(&h.nexudus)
        .await;
    // Two pages: 1 keeps the desk, 2 ends the lounge (no record), 3 starts a lounge; 4 has none.
    active_contracts(1)
        .respond_with(paged_list(
            json!([contract(501, "Dedicated Desk", false)]),
            true,
        ))
        .mount(&h.nexudus)
        .await;
    active_contracts(2)
        .respond_with(paged_list(json!([contract(503, "Lounge", false)]), false))
        .mount(&h.nexudus)
        .await;

    let report = h.sync.reconcile().await.unwrap();
    assert_eq!(report.nexudus_calls, 3, "2 pages + 1 unknown coworker");
    assert_eq!(h.calls().await, 3);
    assert_eq!((report.added, report.removed), (2, 2));
    assert_eq!(
        (report.members, report.unchanged, report.failed, report.left),
        (4, 2, 0, 0)
    );
    assert_eq!(h.discord.roles_of(1), [MEMBER_ROLE, DESK_ROLE]);
    assert_eq!(h.discord.roles_of(2), [OTHER_ROLE]);
    assert_eq!(h.discord.roles_of(3), [MEMBER_ROLE, LOUNGE_ROLE]);
    assert_eq!(h.discord.roles_of(4), [OTHER_ROLE]);

    // The coworker learnt is kept: the next pass reads the pages only.
    let again = h.sync.reconcile().await.unwrap();
    assert_eq!(again.nexudus_calls, 2);
    assert_eq!((again.added, again.removed, again.unchanged), (0, 0, 4));
}

#[tokio::test]
async fn a_reconcile_whose_listing_fails_part_way_changes_nothing() {
    let h = harness(FakeRoles::default().with_member(1, &[MEMBER_ROLE, DESK_ROLE])).await;
    h.linked(1, 100, Some(501)).await;
    // Page 1 does not name member 1; their desk might be on the page that fails.
    active_contracts(1)
        .respond_with(paged_list(json!([contract(777, "Lounge", false)]), true))
        .mount(&h.nexudus)
        .await;
    active_contracts(2)
        .respond_with(ResponseTemplate::new(503))
        .mount(&h.nexudus)
        .await;

    assert!(matches!(
        h.sync.reconcile().await,
        Err(SyncError::Nexudus(_))
    ));
    assert!(
        h.discord.writes().is_empty(),
        "a partial list must not take roles"
    );
}

#[tokio::test]
async fn a_role_discord_refuses_is_reported_once_and_the_others_still_go_through() {
    let discord = FakeRoles::default().with_member(1, &[]).with_member(2, &[]);
    discord.forbidden.lock().unwrap().insert(DESK_ROLE);
    let h = harness(discord).await;
    h.linked(1, 100, Some(501)).await;
    h.linked(2, 200, Some(502)).await;
    active_contracts(1)
        .respond_with(paged_list(
            json!([
                contract(501, "Dedicated Desk", false),
                contract(502, "Dedicated Desk", false)
            ]),
            false,
        ))
        .mount(&h.nexudus)
        .await;

    let report = h.sync.reconcile().await.unwrap();
    assert_eq!(h.discord.roles_of(1), [MEMBER_ROLE]);
    assert_eq!(h.discord.roles_of(2), [MEMBER_ROLE]);
    assert_eq!(report.failed, 2);
    assert_eq!(
        *h.alerts.0.lock().unwrap(),
        [(GUILD, DESK_ROLE)],
        "one report per role per hour"
    );
}

#[tokio::test]
async fn a_second_reconcile_while_one_runs_is_refused() {
    let h = harness(FakeRoles::default().with_member(1, &[])).await;
    h.linked(1, 100, Some(501)).await;
    active_contracts(1)
        .respond_with(paged_list(json!([]), false).set_delay(std::time::Duration::from_millis(300)))
        .mount(&h.nexudus)
        .await;
    let (first, second) = tokio::join!(h.sync.reconcile(), async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        h.sync.reconcile().await
    });
    assert!(first.is_ok());
    assert_eq!(second.unwrap_err(), SyncError::Busy);
}
