//! End to end: membership roles with the real `nexudus-bot` binary against
//! the loopback Discord (its member-role routes) and a wiremock Nexudus.
//! Asserts which roles members end up holding and what managers are told.

mod support;

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use support::bot::{GUILD, WAIT, WEBHOOK_SECRET, World, assert_no_secrets, assert_no_violations};
use support::fake_discord::{FakeMember, Interaction};
use support::nexudus::{
    active_contracts, contract, coworker_of_user, member_contracts, ok_envelope, paged_list,
    user_token,
};
use wiremock::matchers::body_partial_json;

const MANAGER: u64 = 666_000_000_000_000_001;
const MEMBER: u64 = 555_000_000_000_000_001;
const OTHER_MEMBER: u64 = 555_000_000_000_000_002;
const NEXUDUS_USER: u64 = 4242;
const OTHER_NEXUDUS_USER: u64 = 4343;
const COWORKER: u64 = 9_001;
const OTHER_COWORKER: u64 = 9_002;
const EMAIL: &str = "ada@coolspace.example";
/// Managed: the member role and two plan roles.
const MEMBER_ROLE: u64 = 700_000_000_000_000_001;
const DESK_ROLE: u64 = 700_000_000_000_000_002;
const LOUNGE_ROLE: u64 = 700_000_000_000_000_003;
/// Not managed: a role the member holds for other reasons.
const VOLUNTEER_ROLE: u64 = 700_000_000_000_000_009;
const AUDIT_CHANNEL: u64 = 888_000_000_000_000_001;

// ---- helpers ----

/// A world whose server holds the managed roles and whose bot manages them.
async fn roles_world(interval: &str) -> World {
    let mut world = World::start().await;
    world.discord.add_role(GUILD, MEMBER_ROLE, "Members", 1);
    world
        .discord
        .add_role(GUILD, DESK_ROLE, "Dedicated Desk", 2);
    world.discord.add_role(GUILD, LOUNGE_ROLE, "Lounge", 3);
    world
        .discord
        .add_role(GUILD, VOLUNTEER_ROLE, "Volunteers", 4);
    world
        .discord
        .add_member(&member().with_roles(&[VOLUNTEER_ROLE]));
    world.discord.add_member(&FakeMember::member(OTHER_MEMBER));
    world.discord.add_member(&manager());
    world
        .env
        .insert("MEMBER_ROLE_ID".into(), MEMBER_ROLE.to_string());
    world.env.insert(
        "PLAN_ROLES".into(),
        format!("Dedicated Desk={DESK_ROLE}, lounge ={LOUNGE_ROLE}"),
    );
    world
        .env
        .insert("ROLE_SYNC_INTERVAL".into(), interval.to_owned());
    world
}

fn manager() -> FakeMember {
    FakeMember::manager(MANAGER)
}

fn member() -> FakeMember {
    FakeMember::member(MEMBER)
}

/// Nexudus knows `user` as `coworker` with these active plans.
async fn nexudus_plans(world: &World, user: u64, coworker: u64, plans: &[(&str, bool)]) {
    coworker_of_user(user)
        .respond_with(paged_list(json!([{"Id": coworker, "UserId": user}]), false))
        .mount(&world.nexudus)
        .await;
    let records: Vec<Value> = plans
        .iter()
        .map(|(plan, paused)| contract(coworker, plan, *paused))
        .collect();
    member_contracts(coworker)
        .respond_with(paged_list(Value::Array(records), false))
        .mount(&world.nexudus)
        .await;
}

/// The whole space's active contracts, on one page; replaces earlier answers.
async fn nexudus_all_plans(world: &World, records: Vec<Value>, priority: u8) {
    active_contracts(1)
        .respond_with(paged_list(Value::Array(records), false))
        .with_priority(priority)
        .mount(&world.nexudus)
        .await;
}

async fn admin(world: &World, subcommand: &str, options: Value) -> Interaction {
    let options = json!([{"name": subcommand, "type": 1, "options": options}]);
    world
        .discord
        .slash_command(&manager(), GUILD, "admin", options)
        .await
}

/// A manager's `/admin link member:MEMBER email:EMAIL`; the reply's text.
async fn admin_links_member(world: &World) -> String {
    let options = json!([member_option(MEMBER), {"name": "email", "type": 3, "value": EMAIL}]);
    text_of(&admin(world, "link", options).await).await
}

fn member_option(user_id: u64) -> Value {
    json!({"name": "member", "type": 6, "value": user_id.to_string()})
}

async fn text_of(ix: &Interaction) -> String {
    let reply = ix.final_reply(WAIT).await;
    reply["content"]
        .as_str()
        .unwrap_or_else(|| panic!("a reply without text: {reply}"))
        .to_owned()
}

fn mention(role: u64) -> String {
    format!("<@&{role}>")
}

fn sorted(mut roles: Vec<u64>) -> Vec<u64> {
    roles.sort_unstable();
    roles
}

/// Waits until `member` holds exactly `roles` in the guild.
async fn eventually_holds(world: &World, member: u64, roles: &[u64], within: Duration) {
    let want = sorted(roles.to_vec());
    let deadline = Instant::now() + within;
    loop {
        let held = sorted(world.discord.member_roles(GUILD, member));
        if held == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "member {member} holds {held:?}, expected {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn sign(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

async fn post_webhook(port: u16, body: &[u8], signature: Option<&str>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/webhooks/nexudus"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("X-Nexudus-Hook-Signature", signature);
    }
    request.send().await.unwrap().status().as_u16()
}

// ---- tests ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_link_gives_the_roles_of_the_members_plans_and_names_them_in_the_reply() {
    let world = roles_world("off").await;
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    nexudus_plans(&world, NEXUDUS_USER, COWORKER, &[("Dedicated Desk", false)]).await;
    let bot = world.spawn_bot().await;

    let said = admin_links_member(&world).await;
    assert!(said.contains(&mention(MEMBER_ROLE)), "{said}");
    assert!(said.contains(&mention(DESK_ROLE)), "{said}");
    assert!(!said.contains(&mention(LOUNGE_ROLE)), "{said}");
    assert_eq!(
        sorted(world.discord.member_roles(GUILD, MEMBER)),
        sorted(vec![VOLUNTEER_ROLE, MEMBER_ROLE, DESK_ROLE]),
        "the plan's roles are added and the volunteer role is kept"
    );
    let writes = world.discord.role_writes();
    assert_eq!(writes.len(), 2, "only the two missing roles are written");
    assert!(writes.iter().all(|w| w.reason.is_some()), "{writes:?}");

    // The coworker is looked up once and kept: a sync later asks only for the plans.
    let said = text_of(&admin(&world, "sync", json!([member_option(MEMBER)])).await).await;
    assert!(said.contains(&mention(DESK_ROLE)), "{said}");
    assert_eq!(world.nexudus_calls("/api/spaces/coworkers").await, 1);
    assert_eq!(
        world.discord.role_writes().len(),
        2,
        "nothing changed: nothing written"
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_without_an_active_plan_gives_no_role_and_says_so() {
    let world = roles_world("off").await;
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    nexudus_plans(&world, NEXUDUS_USER, COWORKER, &[("Dedicated Desk", true)]).await;
    let bot = world.spawn_bot().await;

    let said = admin_links_member(&world).await;
    assert!(
        said.contains(&nexudus_bot::messages::Messages::default().linked_no_plan()),
        "{said}"
    );
    assert_eq!(
        world.discord.member_roles(GUILD, MEMBER),
        vec![VOLUNTEER_ROLE]
    );
    assert!(world.discord.role_writes().is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_still_succeeds_when_nexudus_plans_fail_and_says_roles_will_follow() {
    let world = roles_world("off").await;
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    coworker_of_user(NEXUDUS_USER)
        .respond_with(wiremock::ResponseTemplate::new(503))
        .mount(&world.nexudus)
        .await;
    let bot = world.spawn_bot().await;

    let said = admin_links_member(&world).await;
    assert!(
        said.contains(&nexudus_bot::messages::Messages::default().linked_roles_later()),
        "{said}"
    );
    let whois = text_of(&admin(&world, "whois", json!([member_option(MEMBER)])).await).await;
    assert!(whois.contains(EMAIL), "the link was stored: {whois}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlink_takes_the_managed_roles_and_keeps_the_others() {
    let world = roles_world("off").await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    let holding = member().with_roles(&[VOLUNTEER_ROLE, MEMBER_ROLE, DESK_ROLE]);
    world.discord.add_member(&holding);
    let bot = world.spawn_bot().await;

    let ix = world
        .discord
        .slash_command(&holding, GUILD, "unlink", json!([]))
        .await;
    text_of(&ix).await;
    eventually_holds(&world, MEMBER, &[VOLUNTEER_ROLE], WAIT).await;
    assert_eq!(
        world.nexudus_requests_after_start().await.len(),
        0,
        "an unlink asks Nexudus nothing"
    );
    bot.stop().await;
}

/// Links `MEMBER` and `OTHER_MEMBER`, each to a Nexudus user whose coworker
/// Nexudus names when asked.
async fn link_two_coworkers(world: &World) {
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world
        .seed_link(OTHER_MEMBER, OTHER_NEXUDUS_USER, "bo@coolspace.example")
        .await;
    for (user, coworker) in [
        (NEXUDUS_USER, COWORKER),
        (OTHER_NEXUDUS_USER, OTHER_COWORKER),
    ] {
        coworker_of_user(user)
            .respond_with(paged_list(json!([{"Id": coworker, "UserId": user}]), false))
            .mount(&world.nexudus)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interval_reconcile_follows_ended_and_new_plans() {
    let world = roles_world("10s").await;
    link_two_coworkers(&world).await;
    nexudus_all_plans(&world, vec![contract(COWORKER, "Dedicated Desk", false)], 5).await;
    let bot = world.spawn_bot().await;

    // The first pass runs at start.
    eventually_holds(
        &world,
        MEMBER,
        &[VOLUNTEER_ROLE, MEMBER_ROLE, DESK_ROLE],
        WAIT,
    )
    .await;
    assert!(world.discord.member_roles(GUILD, OTHER_MEMBER).is_empty());

    // The desk plan ends; the other member starts a lounge plan.
    nexudus_all_plans(&world, vec![contract(OTHER_COWORKER, "Lounge", false)], 1).await;
    let next_pass = Duration::from_secs(20);
    eventually_holds(&world, MEMBER, &[VOLUNTEER_ROLE], next_pass).await;
    eventually_holds(&world, OTHER_MEMBER, &[MEMBER_ROLE, LOUNGE_ROLE], next_pass).await;
    // Coworkers are looked up once each, whatever the number of passes.
    assert_eq!(world.nexudus_calls("/api/spaces/coworkers").await, 2);
    assert_no_violations(&world);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sync_of_everyone_reports_the_counts() {
    let world = roles_world("off").await;
    link_two_coworkers(&world).await;
    nexudus_all_plans(&world, vec![contract(COWORKER, "Lounge", false)], 5).await;
    let bot = world.spawn_bot().await;

    let said = text_of(&admin(&world, "sync", json!([])).await).await;
    let report = nexudus_bot::roles::SyncReport {
        members: 2,
        added: 2,
        removed: 0,
        unchanged: 1,
        failed: 0,
        left: 0,
        ..Default::default()
    };
    assert_eq!(
        said,
        nexudus_bot::messages::Messages::default().admin_sync_everyone(&report)
    );
    eventually_holds(
        &world,
        MEMBER,
        &[VOLUNTEER_ROLE, MEMBER_ROLE, LOUNGE_ROLE],
        WAIT,
    )
    .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_webhook_re_syncs_the_named_member_within_seconds() {
    let mut world = roles_world("off").await;
    world.env.insert("OPS_ADDR".into(), "127.0.0.1:0".into());
    world
        .env
        .insert("NEXUDUS_WEBHOOK_SECRET".into(), WEBHOOK_SECRET.into());
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    nexudus_plans(&world, NEXUDUS_USER, COWORKER, &[]).await;
    let bot = world.spawn_bot().await;
    let port = bot.ops_port().await;

    // A sync stores the coworker id, as the reconcile or the link would.
    text_of(&admin(&world, "sync", json!([member_option(MEMBER)])).await).await;
    assert_eq!(
        world.discord.member_roles(GUILD, MEMBER),
        vec![VOLUNTEER_ROLE]
    );

    // The member starts a desk plan; Nexudus calls the webhook.
    member_contracts(COWORKER)
        .respond_with(paged_list(
            json!([contract(COWORKER, "Dedicated Desk", false)]),
            false,
        ))
        .with_priority(1)
        .mount(&world.nexudus)
        .await;
    let body =
        json!([{"Id": 77, "CoworkerId": COWORKER, "TariffName": "Dedicated Desk"}]).to_string();
    assert_eq!(
        post_webhook(port, body.as_bytes(), Some(&sign(body.as_bytes()))).await,
        202
    );
    eventually_holds(
        &world,
        MEMBER,
        &[VOLUNTEER_ROLE, MEMBER_ROLE, DESK_ROLE],
        Duration::from_secs(5),
    )
    .await;
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_wrongly_signed_and_oversized_webhooks_are_refused_with_no_nexudus_call() {
    let mut world = roles_world("off").await;
    world.env.insert("OPS_ADDR".into(), "127.0.0.1:0".into());
    world
        .env
        .insert("NEXUDUS_WEBHOOK_SECRET".into(), WEBHOOK_SECRET.into());
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    let bot = world.spawn_bot().await;
    let port = bot.ops_port().await;

    let body = json!([{"CoworkerId": COWORKER}]).to_string();
    assert_eq!(post_webhook(port, body.as_bytes(), None).await, 401);
    assert_eq!(
        post_webhook(port, body.as_bytes(), Some(&sign(b"another body"))).await,
        401
    );
    let huge = vec![b' '; 64 * 1024 + 1];
    assert_eq!(post_webhook(port, &huge, Some(&sign(&huge))).await, 413);
    assert_eq!(
        post_webhook(port, b"{not json", Some(&sign(b"{not json"))).await,
        400
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(world.nexudus_requests_after_start().await.is_empty());
    assert!(world.discord.role_writes().is_empty());
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_discord_refuses_is_reported_in_the_audit_channel_and_the_others_still_go_through() {
    let world = roles_world("off").await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    nexudus_plans(&world, NEXUDUS_USER, COWORKER, &[("Dedicated Desk", false)]).await;
    world.discord.forbid_role(DESK_ROLE);
    let bot = world.spawn_bot().await;
    let set = admin(
        &world,
        "audit-channel",
        json!([{"name": "channel", "type": 7, "value": AUDIT_CHANNEL.to_string()}]),
    )
    .await;
    text_of(&set).await;

    let said = text_of(&admin(&world, "sync", json!([member_option(MEMBER)])).await).await;
    assert!(
        said.contains("Manage Roles"),
        "the manager is told the fix: {said}"
    );
    assert_eq!(
        sorted(world.discord.member_roles(GUILD, MEMBER)),
        sorted(vec![VOLUNTEER_ROLE, MEMBER_ROLE])
    );
    let deadline = Instant::now() + WAIT;
    let post = loop {
        let found = world
            .discord
            .channel_messages(AUDIT_CHANNEL)
            .into_iter()
            .find(|post| post.to_string().contains(&mention(DESK_ROLE)));
        if let Some(post) = found {
            break post;
        }
        assert!(
            Instant::now() < deadline,
            "no audit post names the refused role"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(post.to_string().contains("Manage Roles"), "{post}");

    // A second refusal within the hour is not posted again.
    text_of(&admin(&world, "sync", json!([member_option(MEMBER)])).await).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let posts = world
        .discord
        .channel_messages(AUDIT_CHANNEL)
        .into_iter()
        .filter(|post| post.to_string().contains(&mention(DESK_ROLE)))
        .count();
    assert_eq!(posts, 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_who_left_the_server_is_skipped() {
    let world = roles_world("off").await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    nexudus_plans(&world, NEXUDUS_USER, COWORKER, &[("Dedicated Desk", false)]).await;
    world.discord.remove_member(GUILD, MEMBER);
    let bot = world.spawn_bot().await;

    let said = text_of(&admin(&world, "sync", json!([member_option(MEMBER)])).await).await;
    assert_eq!(
        said,
        nexudus_bot::messages::Messages::default().admin_sync_left(MEMBER)
    );
    assert!(world.discord.role_writes().is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_configured_role_nothing_about_roles_happens() {
    let world = World::start().await;
    world.discord.add_role(GUILD, MEMBER_ROLE, "Members", 1);
    world.discord.add_member(&member());
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    let bot = world.spawn_bot().await;

    let said = admin_links_member(&world).await;
    assert!(!said.contains("<@&"), "{said}");
    let sync = text_of(&admin(&world, "sync", json!([])).await).await;
    assert_eq!(
        sync,
        nexudus_bot::messages::Messages::default().admin_sync_off()
    );
    assert_eq!(world.nexudus_calls("/api/spaces/coworkers").await, 0);
    assert_eq!(
        world.nexudus_calls("/api/billing/coworkercontracts").await,
        0
    );
    let role_calls = world
        .discord
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/roles"))
        .count();
    assert_eq!(role_calls, 0, "no role was read or written");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_by_the_member_gives_their_roles_and_account_and_whois_show_the_plans() {
    const PASSWORD: &str = "member-Pa55-never-logged";
    let world = roles_world("off").await;
    user_token()
        .and(body_partial_json(
            json!({"email": EMAIL, "password": PASSWORD}),
        ))
        .respond_with(ok_envelope(json!("member.jwt.value")))
        .mount(&world.nexudus)
        .await;
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    nexudus_plans(
        &world,
        NEXUDUS_USER,
        COWORKER,
        &[("Lounge", false), ("Dedicated Desk", true)],
    )
    .await;
    let bot = world.spawn_bot().await;

    let holding = member().with_roles(&[VOLUNTEER_ROLE]);
    let open = world
        .discord
        .slash_command(&holding, GUILD, "link", json!([]))
        .await;
    assert_eq!(open.first_callback(WAIT).await.kind, 9, "a form opens");
    let submitted = world
        .discord
        .modal_submit(
            &holding,
            GUILD,
            "link:form",
            &[("link:email", EMAIL), ("link:password", PASSWORD)],
        )
        .await;
    let said = text_of(&submitted).await;
    assert!(said.contains(&mention(MEMBER_ROLE)), "{said}");
    assert!(said.contains(&mention(LOUNGE_ROLE)), "{said}");
    assert!(
        !said.contains(&mention(DESK_ROLE)),
        "a paused plan gives no role: {said}"
    );
    assert_eq!(
        sorted(world.discord.member_roles(GUILD, MEMBER)),
        sorted(vec![VOLUNTEER_ROLE, MEMBER_ROLE, LOUNGE_ROLE])
    );

    let account = world
        .discord
        .slash_command(&holding, GUILD, "account", json!([]))
        .await;
    let account = text_of(&account).await;
    let plans = [
        nexudus_bot::roles::Plan {
            name: "Lounge".into(),
            paused: false,
        },
        nexudus_bot::roles::Plan {
            name: "Dedicated Desk".into(),
            paused: true,
        },
    ];
    let text = nexudus_bot::messages::Messages::default();
    assert!(account.contains(&text.account_plans(&plans)), "{account}");

    let whois = text_of(&admin(&world, "whois", json!([member_option(MEMBER)])).await).await;
    assert!(whois.contains(&text.whois_plans(&plans)), "{whois}");
    assert!(whois.contains(&mention(LOUNGE_ROLE)), "{whois}");
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[PASSWORD]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_changes_and_reconciles_are_counted_in_the_metrics() {
    let mut world = roles_world("1h").await;
    world.env.insert("OPS_ADDR".into(), "127.0.0.1:0".into());
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    coworker_of_user(NEXUDUS_USER)
        .respond_with(paged_list(
            json!([{"Id": COWORKER, "UserId": NEXUDUS_USER}]),
            false,
        ))
        .mount(&world.nexudus)
        .await;
    nexudus_all_plans(&world, vec![contract(COWORKER, "Lounge", false)], 5).await;
    world.discord.forbid_role(LOUNGE_ROLE);
    let bot = world.spawn_bot().await;
    let port = bot.ops_port().await;

    eventually_holds(&world, MEMBER, &[VOLUNTEER_ROLE, MEMBER_ROLE], WAIT).await;
    let deadline = Instant::now() + WAIT;
    let metrics = loop {
        let metrics = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if metrics.contains("nexudus_bot_role_sync_runs_total 1") {
            break metrics;
        }
        assert!(
            Instant::now() < deadline,
            "no reconcile counted:\n{metrics}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        metrics.contains(r#"nexudus_bot_role_changes_total{action="add",outcome="ok"} 1"#),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"nexudus_bot_role_changes_total{action="add",outcome="forbidden"} 1"#),
        "{metrics}"
    );
    assert!(
        metrics.contains("nexudus_bot_role_sync_duration_seconds_count 1"),
        "{metrics}"
    );
    bot.stop().await;
}
