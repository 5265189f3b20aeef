//! End to end: community managers' `/admin` commands, the audit channel and the
//! member panel, with the real `nexudus-bot` binary against a loopback Discord
//! and a wiremock Nexudus. Asserts what the manager and the member see.

mod support;

use std::time::{Duration, Instant, SystemTime};

use nexudus_bot::messages::Messages;
use nexudus_bot::request::RequestId;
use serde_json::{Value, json};
use support::bot::{GUILD, LOGIN_TOKEN, WAIT, World, assert_no_secrets, assert_no_violations};
use support::fake_discord::{FakeDiscord, FakeMember, Interaction};
use support::nexudus::token_refresh;
use wiremock::ResponseTemplate;

const MANAGER: u64 = 666_000_000_000_000_001;
const MEMBER: u64 = 555_000_000_000_000_001;
const OTHER_MEMBER: u64 = 555_000_000_000_000_002;
const MANAGER_ROLE: u64 = 777_000_000_000_000_001;
const NEXUDUS_USER: u64 = 4242;
const EMAIL: &str = "ada@coolspace.example";
/// How the audit channel shows [`EMAIL`].
const EMAIL_MASKED: &str = "a***@c***.example";
const AUDIT_CHANNEL: u64 = 888_000_000_000_000_001;
const PANEL_CHANNEL: u64 = 888_000_000_000_000_002;

// ---- helpers ----

fn manager() -> FakeMember {
    FakeMember::manager(MANAGER)
}

fn member() -> FakeMember {
    FakeMember::member(MEMBER)
}

/// The `member` option of an `/admin` subcommand.
fn member_option(user_id: u64) -> Value {
    json!({"name": "member", "type": 6, "value": user_id.to_string()})
}

/// The `channel` option of an `/admin` subcommand.
fn channel_option(channel_id: u64) -> Value {
    json!({"name": "channel", "type": 7, "value": channel_id.to_string()})
}

/// Sends `/admin <subcommand>` with these options.
async fn admin(world: &World, who: &FakeMember, subcommand: &str, options: Value) -> Interaction {
    let options = json!([{"name": subcommand, "type": 1, "options": options}]);
    world
        .discord
        .slash_command(who, GUILD, "admin", options)
        .await
}

/// Sends a member command with these options.
async fn command(world: &World, who: &FakeMember, name: &str, options: Value) -> Interaction {
    world.discord.slash_command(who, GUILD, name, options).await
}

/// The text the invoker finally sees.
async fn text_of(ix: &Interaction) -> String {
    let reply = ix.final_reply(WAIT).await;
    reply["content"]
        .as_str()
        .unwrap_or_else(|| panic!("a reply without text: {reply}"))
        .to_owned()
}

/// Runs `/admin <subcommand>` and returns the manager's final text, checking it was private.
async fn admin_says(world: &World, who: &FakeMember, subcommand: &str, options: Value) -> String {
    let ix = admin(world, who, subcommand, options).await;
    let text = text_of(&ix).await;
    assert!(
        ix.first_callback(WAIT).await.is_ephemeral(),
        "/admin {subcommand} answered publicly: {text}"
    );
    text
}

/// Runs a member command and returns the member's final text.
async fn member_says(world: &World, who: &FakeMember, name: &str, options: Value) -> String {
    text_of(&command(world, who, name, options).await).await
}

/// Everything the invoker of `ix` was shown: every callback, edit and follow-up, as JSON text.
fn everything_shown(ix: &Interaction) -> String {
    let mut all: Vec<Value> = ix.callbacks().into_iter().map(|c| c.data).collect();
    all.extend(ix.edits());
    all.extend(ix.followups());
    Value::Array(all).to_string()
}

/// The request id of an interaction, as logs and audit posts show it.
fn request_id(ix: &Interaction) -> String {
    RequestId::from_interaction(ix.id).to_string()
}

/// The text of a rate-limit refusal before its `<t:…:R>` timestamp.
fn rate_limited_prefix() -> String {
    let sample = Messages::default().rate_limited(SystemTime::UNIX_EPOCH);
    sample.split("<t:").next().expect("a prefix").to_owned()
}

/// An audit post's embed description.
fn description(post: &Value) -> &str {
    post["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
}

/// Polls `check` until it yields, or panics after [`WAIT`] with `what` and `context()`.
async fn eventually<T>(
    what: &str,
    mut check: impl FnMut() -> Option<T>,
    context: impl Fn() -> String,
) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}\n{}",
            context()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits for a post in `channel` that satisfies `wanted`.
async fn wait_post(
    world: &World,
    channel: u64,
    what: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let posts = || world.discord.channel_messages(channel);
    eventually(
        what,
        || posts().into_iter().find(|post| wanted(post)),
        || format!("posts in channel {channel}: {:#}", Value::Array(posts())),
    )
    .await
}

/// Waits for the audit post of the request behind `ix` (its footer names the request id).
async fn audit_post_of(world: &World, ix: &Interaction) -> Value {
    let footer = format!("request {}", request_id(ix));
    wait_post(
        world,
        AUDIT_CHANNEL,
        &format!("the audit post of {footer}"),
        |post| post["embeds"][0]["footer"]["text"] == footer.as_str(),
    )
    .await
}

/// Posts in `channel` whose embed description contains every one of `parts`.
fn posts_with(world: &World, channel: u64, parts: &[&str]) -> usize {
    let posts = world.discord.channel_messages(channel);
    posts
        .iter()
        .filter(|post| parts.iter().all(|part| description(post).contains(part)))
        .count()
}

/// The text inputs of a modal callback's data.
fn modal_inputs(data: &Value) -> Vec<Value> {
    let rows = data["components"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// Password-reset requests Nexudus received, as the `email` query values.
async fn reset_emails(world: &World) -> Vec<String> {
    let requests = world.nexudus.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|r| r.url.path() == "/en/user/resetPassword")
        .filter_map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "email")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

/// Sets the audit channel with `/admin audit-channel` and checks the answer.
async fn set_audit_channel(world: &World) {
    let said = admin_says(
        world,
        &manager(),
        "audit-channel",
        json!([channel_option(AUDIT_CHANNEL)]),
    )
    .await;
    assert_eq!(
        said,
        Messages::default().admin_audit_channel_set(AUDIT_CHANNEL)
    );
}

// ---- who may use /admin ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_admin_link_from_a_plain_member_is_refused_and_links_nothing() {
    let world = World::start().await;
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    let bot = world.spawn_bot().await;

    // Discord hides /admin from members (Manage Server), but an interaction can be forged.
    let intruder = FakeMember::member(OTHER_MEMBER);
    let options = json!([member_option(MEMBER), {"name": "email", "type": 3, "value": EMAIL}]);
    let said = admin_says(&world, &intruder, "link", options).await;
    assert_eq!(said, Messages::default().admin_refused());

    let requests = world.nexudus_requests_after_start().await;
    assert!(
        requests.is_empty(),
        "a refused /admin still called Nexudus: {requests:?}"
    );
    assert_eq!(
        member_says(&world, &member(), "account", json!([])).await,
        Messages::default().not_linked()
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_with_a_manager_role_but_without_manage_server_may_use_admin() {
    let mut world = World::start().await;
    world
        .env
        .insert("MANAGER_ROLE_IDS".into(), format!("123,{MANAGER_ROLE}"));
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    let bot = world.spawn_bot().await;

    let role_manager = FakeMember::member(MANAGER).with_roles(&[MANAGER_ROLE]);
    let stats = admin_says(&world, &role_manager, "stats", json!([])).await;
    assert_ne!(stats, Messages::default().admin_refused());
    assert!(stats.contains("**linked members**: 0"), "{stats}");

    let options = json!([member_option(MEMBER), {"name": "email", "type": 3, "value": EMAIL}]);
    let said = admin_says(&world, &role_manager, "link", options).await;
    assert_eq!(said, Messages::default().admin_linked(MEMBER, EMAIL, None));

    // Another role does not make a manager.
    let other_role = FakeMember::member(OTHER_MEMBER).with_roles(&[MANAGER_ROLE + 1]);
    assert_eq!(
        admin_says(&world, &other_role, "stats", json!([])).await,
        Messages::default().admin_refused()
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

// ---- link, unlink, whois ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_link_links_a_member_by_email_without_a_password_and_their_login_then_works() {
    let world = World::start().await;
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    world.nexudus_finds_nobody("nobody@coolspace.example").await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let options = json!([member_option(MEMBER), {"name": "email", "type": 3, "value": EMAIL}]);
    assert_eq!(
        admin_says(&world, &manager(), "link", options).await,
        Messages::default().admin_linked(MEMBER, EMAIL, None)
    );
    // No password was involved: only the REST user lookup.
    assert_eq!(world.nexudus_calls("/api/sys/users/token").await, 0);
    assert_eq!(world.nexudus_calls("/api/sys/users").await, 1);

    assert_eq!(
        member_says(&world, &member(), "login", json!([])).await,
        Messages::default().login_check_dms()
    );
    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    let url = dm["components"][0]["components"][0]["url"]
        .as_str()
        .expect("a link button")
        .to_owned();
    assert!(url.contains(&format!("t={LOGIN_TOKEN}")), "{url}");

    // An email Nexudus does not know links nobody.
    let options = json!([member_option(OTHER_MEMBER), {"name": "email", "type": 3, "value": "nobody@coolspace.example"}]);
    assert_eq!(
        admin_says(&world, &manager(), "link", options).await,
        Messages::default().admin_no_such_user("nobody@coolspace.example")
    );
    let other = FakeMember::member(OTHER_MEMBER);
    assert_eq!(
        member_says(&world, &other, "account", json!([])).await,
        Messages::default().not_linked()
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_link_of_an_account_linked_to_someone_else_moves_it_and_says_so() {
    let world = World::start().await;
    world.seed_link(OTHER_MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    let bot = world.spawn_bot().await;
    set_audit_channel(&world).await;

    let options = json!([member_option(MEMBER), {"name": "email", "type": 3, "value": EMAIL}]);
    let ix = admin(&world, &manager(), "link", options).await;
    assert_eq!(
        text_of(&ix).await,
        Messages::default().admin_linked(MEMBER, EMAIL, Some(OTHER_MEMBER))
    );
    let post = audit_post_of(&world, &ix).await;
    let moved = format!("moved from Discord user {OTHER_MEMBER}");
    assert!(
        description(&post).contains(&moved),
        "the audit post must say the link moved: {post:#}"
    );

    let other = FakeMember::member(OTHER_MEMBER);
    assert_eq!(
        member_says(&world, &other, "account", json!([])).await,
        Messages::default().not_linked()
    );
    assert!(
        member_says(&world, &member(), "account", json!([]))
            .await
            .contains(EMAIL)
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_unlink_removes_the_members_link() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    let bot = world.spawn_bot().await;

    let said = admin_says(&world, &manager(), "unlink", json!([member_option(MEMBER)])).await;
    assert_eq!(said, Messages::default().admin_unlinked(MEMBER, EMAIL));
    assert_eq!(
        member_says(&world, &member(), "account", json!([])).await,
        Messages::default().not_linked()
    );
    // Unlinking again says there is nothing to remove.
    let again = admin_says(&world, &manager(), "unlink", json!([member_option(MEMBER)])).await;
    assert_eq!(again, Messages::default().admin_not_linked(MEMBER));
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_whois_shows_the_link_who_made_it_and_the_last_requests_with_outcomes() {
    let mut world = World::start().await;
    world.env.insert("RATE_LIMIT_LOGIN".into(), "1/10m".into());
    world.nexudus_finds_user(EMAIL, NEXUDUS_USER).await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let options = json!([member_option(MEMBER), {"name": "email", "type": 3, "value": EMAIL}]);
    admin_says(&world, &manager(), "link", options).await;
    let sent = command(&world, &member(), "login", json!([])).await;
    assert_eq!(text_of(&sent).await, Messages::default().login_check_dms());
    let refused = command(&world, &member(), "login", json!([])).await;
    assert!(text_of(&refused).await.starts_with(&rate_limited_prefix()));

    let whois = admin_says(&world, &manager(), "whois", json!([member_option(MEMBER)])).await;
    for part in [
        format!("<@{MEMBER}> is linked to **{EMAIL}**"),
        format!("Nexudus user {NEXUDUS_USER}"),
        format!("by <@{MANAGER}>."),
        format!("`login`: **rate limited** (`{}`)", request_id(&refused)),
        format!("`login`: **DM sent** (`{}`)", request_id(&sent)),
        format!("`admin_link` by <@{MANAGER}>: **linked**"),
    ] {
        assert!(whois.contains(&part), "whois lacks {part:?}:\n{whois}");
    }
    let newest_first = whois.find("rate limited") < whois.find("DM sent");
    assert!(
        newest_first,
        "whois must list the newest request first:\n{whois}"
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

// ---- login, reset-password, limits, stats ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_login_dms_the_member_and_never_shows_the_link_to_the_manager() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let ix = admin(&world, &manager(), "login", json!([member_option(MEMBER)])).await;
    assert_eq!(
        text_of(&ix).await,
        Messages::default().admin_login_delivered(MEMBER)
    );
    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    assert!(
        dm.to_string().contains(LOGIN_TOKEN),
        "the member's DM lacks the link: {dm}"
    );
    let shown = everything_shown(&ix);
    assert!(
        !shown.contains(LOGIN_TOKEN) && !shown.contains("user/login?t="),
        "{shown}"
    );

    // DMs closed: the manager is told, still without the link.
    world.discord.close_dms(MEMBER);
    let closed = admin(&world, &manager(), "login", json!([member_option(MEMBER)])).await;
    assert_eq!(
        text_of(&closed).await,
        Messages::default().admin_login_dm_closed(MEMBER)
    );
    let shown = everything_shown(&closed);
    assert!(
        !shown.contains(LOGIN_TOKEN) && !shown.contains("user/login?t="),
        "{shown}"
    );

    // The token went nowhere but the member's DM channel.
    let dm_channel = format!(
        "/api/v10/channels/{}/messages",
        FakeDiscord::dm_channel_id(MEMBER)
    );
    for request in world
        .discord
        .requests()
        .iter()
        .filter(|r| r.path != dm_channel)
    {
        let seen = format!("{} {}", request.path, request.body);
        assert!(
            !seen.contains(LOGIN_TOKEN),
            "the login token reached Discord outside the DM: {seen}"
        );
    }
    assert_eq!(world.discord.dms_to(MEMBER).len(), 1);
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_login_with_a_forged_page_is_refused_and_mints_no_token() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let options =
        json!([member_option(MEMBER), {"name": "page", "type": 3, "value": "Admin area"}]);
    assert_eq!(
        admin_says(&world, &manager(), "login", options).await,
        Messages::default().admin_unknown_page()
    );
    assert_eq!(
        world.nexudus_calls("/api/sys/users/*/token/refresh").await,
        0
    );
    assert!(world.discord.dms_to(MEMBER).is_empty());
    // A member who is not linked: the manager is told how to link them.
    let unlinked = admin_says(
        &world,
        &manager(),
        "login",
        json!([member_option(OTHER_MEMBER)]),
    )
    .await;
    assert_eq!(unlinked, Messages::default().admin_not_linked(OTHER_MEMBER));
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_reset_password_emails_the_linked_address_and_counts_against_that_emails_limit() {
    let mut world = World::start().await;
    world.env.insert("RATE_LIMIT_RESET".into(), "1/1h".into());
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_resets(EMAIL).await;
    let bot = world.spawn_bot().await;

    let said = admin_says(
        &world,
        &manager(),
        "reset-password",
        json!([member_option(MEMBER)]),
    )
    .await;
    assert_eq!(
        said,
        Messages::default().admin_reset_requested(MEMBER, EMAIL)
    );
    assert_eq!(reset_emails(&world).await, vec![EMAIL.to_owned()]);

    // The inbox's limit is used up, whoever asked: the member's own request is refused.
    let own = member_says(&world, &member(), "reset-password", json!([])).await;
    assert!(
        own.starts_with(&rate_limited_prefix()) && own.contains("<t:"),
        "{own}"
    );
    assert_eq!(
        reset_emails(&world).await.len(),
        1,
        "a refused reset still called Nexudus"
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_limits_shows_a_members_limits_and_clearing_them_lets_a_refused_login_through() {
    let mut world = World::start().await;
    world.env.insert("RATE_LIMIT_LOGIN".into(), "1/10m".into());
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    assert_eq!(
        member_says(&world, &member(), "login", json!([])).await,
        Messages::default().login_check_dms()
    );
    let refused = member_says(&world, &member(), "login", json!([])).await;
    assert!(refused.starts_with(&rate_limited_prefix()), "{refused}");

    let limits = admin_says(&world, &manager(), "limits", json!([member_option(MEMBER)])).await;
    assert!(
        limits.starts_with(&format!("Limits of <@{MEMBER}>:")),
        "{limits}"
    );
    assert!(
        limits.contains("/login: 0 of 1 left (limit 1/10m), next allowed <t:"),
        "{limits}"
    );
    assert!(
        limits.contains(&format!("reset emails to {EMAIL}")),
        "{limits}"
    );

    let options = json!([member_option(MEMBER), {"name": "clear", "type": 5, "value": true}]);
    let cleared = admin_says(&world, &manager(), "limits", options).await;
    assert!(
        cleared.starts_with(&format!("Limits of <@{MEMBER}> cleared.")),
        "{cleared}"
    );
    assert!(
        cleared.contains("/login: 1 of 1 left (limit 1/10m)"),
        "{cleared}"
    );

    assert_eq!(
        member_says(&world, &member(), "login", json!([])).await,
        Messages::default().login_check_dms()
    );
    world.discord.wait_dm(MEMBER, WAIT).await;
    world.discord.wait_dm(MEMBER, WAIT).await;
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_stats_counts_requests_by_outcome_and_linked_members() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    assert_eq!(
        member_says(&world, &member(), "login", json!([])).await,
        Messages::default().login_check_dms()
    );
    let stats = admin_says(&world, &manager(), "stats", json!([])).await;
    for part in [
        "**linked members**: 1",
        "• `login` DM sent: 1",
        "**Nexudus latency**",
    ] {
        assert!(stats.contains(part), "stats lack {part:?}:\n{stats}");
    }
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

// ---- the audit channel ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_channel_gets_posts_with_masked_emails_and_request_ids_and_never_a_token() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_resets(EMAIL).await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;
    set_audit_channel(&world).await;

    let reset = command(&world, &member(), "reset-password", json!([])).await;
    assert_eq!(text_of(&reset).await, Messages::default().reset_sent(EMAIL));
    let post = audit_post_of(&world, &reset).await;
    let text = description(&post);
    for part in [
        format!("<@{MEMBER}>"),
        "`reset_password` → **reset requested**".into(),
        format!("email: {EMAIL_MASKED}"),
    ] {
        assert!(
            text.contains(&part),
            "the audit post lacks {part:?}: {post:#}"
        );
    }

    let login = admin(&world, &manager(), "login", json!([member_option(MEMBER)])).await;
    assert_eq!(
        text_of(&login).await,
        Messages::default().admin_login_delivered(MEMBER)
    );
    let post = audit_post_of(&world, &login).await;
    let text = description(&post);
    for part in [
        format!("<@{MANAGER}>"),
        "`admin_login` → **DM sent**".into(),
        format!("member: <@{MEMBER}>"),
    ] {
        assert!(
            text.contains(&part),
            "the audit post lacks {part:?}: {post:#}"
        );
    }

    let all = Value::Array(world.discord.channel_messages(AUDIT_CHANNEL)).to_string();
    for secret in [EMAIL, LOGIN_TOKEN, "user/login?t="] {
        assert!(
            !all.contains(secret),
            "the audit channel shows {secret:?}: {all}"
        );
    }

    // Cleared: nothing more is posted.
    assert_eq!(
        admin_says(&world, &manager(), "audit-channel", json!([])).await,
        Messages::default().admin_audit_channel_cleared()
    );
    let posted = world.discord.channel_messages(AUDIT_CHANNEL).len();
    assert!(
        member_says(&world, &member(), "account", json!([]))
            .await
            .contains(EMAIL)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        world.discord.channel_messages(AUDIT_CHANNEL).len(),
        posted,
        "posted after the channel was cleared"
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_audit_channel_does_not_break_the_members_flow() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_resets(EMAIL).await;
    let bot = world.spawn_bot().await;
    set_audit_channel(&world).await;
    world.discord.forbid_channel(AUDIT_CHANNEL);

    let reset = command(&world, &member(), "reset-password", json!([])).await;
    assert_eq!(text_of(&reset).await, Messages::default().reset_sent(EMAIL));
    // The bot did try to post, and Discord refused.
    let audit_path = format!("/api/v10/channels/{AUDIT_CHANNEL}/messages");
    eventually(
        "a refused post to the audit channel",
        || {
            world
                .discord
                .requests()
                .iter()
                .any(|r| r.path == audit_path && r.status == 403)
                .then_some(())
        },
        || format!("{:#?}", world.discord.requests()),
    )
    .await;
    // And the member can carry on.
    assert!(
        member_says(&world, &member(), "account", json!([]))
            .await
            .contains(EMAIL)
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

/// That an outage is announced once per start and end is the service's to
/// decide (tests/service.rs); here, the announcements reach the audit channel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nexudus_outage_and_its_end_are_posted_in_the_audit_channel() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    token_refresh(NEXUDUS_USER)
        .respond_with(
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&world.nexudus)
        .await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;
    set_audit_channel(&world).await;

    for _ in 0..2 {
        let said = member_says(&world, &member(), "login", json!([])).await;
        assert_eq!(said, Messages::default().nexudus_unavailable());
    }
    let started = ["the bot", "`nexudus_outage` → **started**"];
    wait_post(&world, AUDIT_CHANNEL, "the outage start", |p| {
        started.iter().all(|s| description(p).contains(s))
    })
    .await;
    let failed = ["`login` → **unavailable**"];
    eventually(
        "both failed logins in the audit channel",
        || (posts_with(&world, AUDIT_CHANNEL, &failed) == 2).then_some(()),
        || {
            format!(
                "{:#}",
                Value::Array(world.discord.channel_messages(AUDIT_CHANNEL))
            )
        },
    )
    .await;

    assert_eq!(
        member_says(&world, &member(), "login", json!([])).await,
        Messages::default().login_check_dms()
    );
    let ended = ["the bot", "`nexudus_outage` → **ended**"];
    wait_post(&world, AUDIT_CHANNEL, "the outage end", |p| {
        ended.iter().all(|s| description(p).contains(s))
    })
    .await;
    assert_eq!(
        posts_with(&world, AUDIT_CHANNEL, &started),
        1,
        "the second failed login announced the outage again"
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

// ---- the member panel ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_member_panel_posted_by_a_manager_keeps_working_after_a_restart() {
    let world = World::start().await;
    world.seed_link(MEMBER, NEXUDUS_USER, EMAIL).await;
    world.nexudus_mints(NEXUDUS_USER, LOGIN_TOKEN).await;
    world.nexudus_resets(EMAIL).await;
    let bot = world.spawn_bot().await;

    let said = admin_says(
        &world,
        &manager(),
        "panel",
        json!([channel_option(PANEL_CHANNEL)]),
    )
    .await;
    assert_eq!(said, Messages::default().admin_panel_posted(PANEL_CHANNEL));
    let panels = world.discord.channel_messages(PANEL_CHANNEL);
    assert_eq!(panels.len(), 1, "{panels:#?}");
    let panel = &panels[0];
    assert_eq!(
        panel["embeds"][0]["title"],
        Messages::default().panel_title()
    );
    let buttons = panel["components"][0]["components"]
        .as_array()
        .expect("a row of buttons");
    let ids: Vec<&str> = buttons
        .iter()
        .filter_map(|b| b["custom_id"].as_str())
        .collect();
    assert_eq!(ids, ["panel:login", "panel:reset", "panel:link"]);
    let labels: Vec<&str> = buttons.iter().filter_map(|b| b["label"].as_str()).collect();
    assert_eq!(
        labels,
        [
            Messages::default().panel_login(),
            Messages::default().panel_reset(),
            Messages::default().panel_link()
        ]
    );
    assert_no_secrets(&bot.stop().await, &[]);

    // A new process: the buttons' ids are all it has to go on.
    let bot = world.spawn_bot().await;
    let identified_again = || (world.discord.gateway_stats().identifies >= 2).then_some(());
    eventually("the new process on the gateway", identified_again, || {
        format!("{:?}", world.discord.gateway_stats())
    })
    .await;
    let login = world
        .discord
        .button_click(&member(), GUILD, "panel:login")
        .await;
    assert_eq!(text_of(&login).await, Messages::default().login_check_dms());
    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    assert!(dm.to_string().contains(LOGIN_TOKEN), "{dm}");

    let reset = world
        .discord
        .button_click(&member(), GUILD, "panel:reset")
        .await;
    let modal = reset.first_callback(WAIT).await;
    assert_eq!((modal.kind, modal.status), (9, 204), "{:?}", modal.data);
    assert_eq!(modal.data["custom_id"], "reset:form");
    let inputs = modal_inputs(&modal.data);
    assert_eq!(inputs.len(), 1, "{inputs:?}");
    assert_eq!(
        (inputs[0]["custom_id"].as_str(), inputs[0]["value"].as_str()),
        (Some("reset:email"), Some(EMAIL))
    );
    let submitted = world
        .discord
        .modal_submit(&member(), GUILD, "reset:form", &[("reset:email", EMAIL)])
        .await;
    assert_eq!(
        text_of(&submitted).await,
        Messages::default().reset_sent(EMAIL)
    );
    assert_eq!(reset_emails(&world).await, vec![EMAIL.to_owned()]);

    let link = world
        .discord
        .button_click(&member(), GUILD, "panel:link")
        .await;
    let modal = link.first_callback(WAIT).await;
    assert_eq!((modal.kind, modal.status), (9, 204), "{:?}", modal.data);
    assert_eq!(modal.data["custom_id"], "link:form");
    let fields: Vec<Value> = modal_inputs(&modal.data)
        .iter()
        .map(|i| i["custom_id"].clone())
        .collect();
    assert_eq!(
        fields,
        [
            json!("link:email"),
            json!("link:password"),
            json!("link:two_factor")
        ]
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panel_the_bot_cannot_post_tells_the_manager_why() {
    let world = World::start().await;
    let bot = world.spawn_bot().await;
    world.discord.forbid_channel(PANEL_CHANNEL);

    let said = admin_says(
        &world,
        &manager(),
        "panel",
        json!([channel_option(PANEL_CHANNEL)]),
    )
    .await;
    assert_eq!(said, Messages::default().admin_panel_failed(PANEL_CHANNEL));
    assert!(world.discord.channel_messages(PANEL_CHANNEL).is_empty());
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}
