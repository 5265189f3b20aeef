//! End to end: the real `nexudus-bot` binary against a loopback Discord and a
//! wiremock Nexudus, asserting what a member sees.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nexudus_bot::email::EmailProblem;
use nexudus_bot::messages::Messages;
use serde_json::{Value, json};
use support::bot::{GUILD, LOGIN_TOKEN, WAIT, World, assert_no_secrets, assert_no_violations};
use support::fake_discord::{CALLBACK_WINDOW, Callback, FakeDiscord, FakeMember, Interaction};
use support::nexudus::{ok_envelope, token_refresh, user_token, wrong_credentials};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const MEMBER: u64 = 555_000_000_000_000_001;
/// The member's Nexudus user id and email.
const USER_ID: u64 = 4242;
const EMAIL: &str = "ada@coolspace.example";
/// The member's portal password, typed into the `/link` form: must never appear in logs.
const PASSWORD: &str = "Member-Pa55word-typed-in-a-modal";
/// The member JWT Nexudus answers to a right password: must never appear in logs.
const MEMBER_JWT: &str = "eyJhbGciOiJIUzI1NiJ9.member-jwt.c2lnbmF0dXJl";
/// The path of the token-refresh call for the member.
const REFRESH: &str = "/api/sys/users/4242/token/refresh";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_of_a_linked_member_dms_a_one_time_portal_link_to_the_chosen_page() {
    let world = World::start().await;
    world.seed_link(MEMBER, 4242, "ada@coolspace.example").await;
    world.nexudus_mints(4242, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let member = FakeMember::member(MEMBER);
    let login = world
        .discord
        .slash_command(
            &member,
            GUILD,
            "login",
            json!([{"name": "page", "type": 3, "value": "Bookings"}]),
        )
        .await;
    let reply = login.final_reply(WAIT).await;
    assert!(
        reply["content"]
            .as_str()
            .unwrap()
            .contains("Check your direct messages"),
        "{reply}"
    );
    let first = login.first_callback(WAIT).await;
    assert!(first.is_ephemeral(), "the first answer must be private");

    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    let button = &dm["components"][0]["components"][0];
    let url = url::Url::parse(button["url"].as_str().unwrap()).unwrap();
    assert_eq!(url.path(), "/en/user/login");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["t"], LOGIN_TOKEN);
    assert_eq!(query["redirectUrl"], "/en/bookings");
    assert_no_violations(&world);

    let logs = bot.stop().await;
    assert_no_secrets(&logs, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_of_an_unlinked_member_explains_link_at_once_without_asking_nexudus() {
    let world = World::start().await;
    let bot = world.spawn_bot().await;

    let login = command(&world, "login", json!([])).await;
    let answer = immediate_reply(&login).await;
    assert_eq!(text(&answer.data), Messages::default().not_linked());
    assert_eq!(
        nexudus_requests(&world).await,
        0,
        "nothing to ask Nexudus for an unlinked member"
    );
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_checks_the_password_with_nexudus_then_account_and_login_work() {
    let world = World::start().await;
    nexudus_knows_member(&world).await;
    world.nexudus_mints(USER_ID, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let linked = link(&world, EMAIL, PASSWORD).await;
    assert_eq!(text(&linked), Messages::default().linked(EMAIL));
    assert_eq!(world.nexudus_calls("/api/sys/users/token").await, 1);
    assert_eq!(
        world.nexudus_calls("/api/sys/users").await,
        1,
        "the user id is looked up by email"
    );

    let account = command(&world, "account", json!([])).await;
    let shown = immediate_reply(&account).await;
    assert!(text(&shown.data).contains(EMAIL), "{}", text(&shown.data));
    assert_ne!(text(&shown.data), Messages::default().not_linked());

    let login = command(&world, "login", json!([])).await;
    assert_eq!(
        text(&login.final_reply(WAIT).await),
        Messages::default().login_check_dms()
    );
    assert_eq!(
        login_token_in(&world.discord.wait_dm(MEMBER, WAIT).await),
        LOGIN_TOKEN
    );
    assert_no_violations(&world);

    // RUST_LOG=debug: serenity would print the raw modal submission, password included.
    assert_no_secrets(&bot.stop().await, &[PASSWORD, MEMBER_JWT]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_with_a_wrong_password_says_not_valid_and_stores_nothing() {
    let world = World::start().await;
    nexudus_knows_member(&world).await;
    let bot = world.spawn_bot().await;

    let wrong = "Not-the-Pa55word-either";
    let answer = link(&world, EMAIL, wrong).await;
    assert_eq!(
        text(&answer),
        Messages::default().link_invalid_credentials()
    );
    assert_eq!(world.nexudus_calls("/api/sys/users/token").await, 1);
    assert_eq!(
        world.nexudus_calls("/api/sys/users").await,
        0,
        "no lookup after a refused password"
    );

    let account = command(&world, "account", json!([])).await;
    assert_eq!(
        text(&immediate_reply(&account).await.data),
        Messages::default().not_linked()
    );
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[wrong, PASSWORD, MEMBER_JWT]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_password_gives_the_same_reply_whether_or_not_the_email_has_an_account() {
    let world = World::start().await;
    world.nexudus_resets(EMAIL).await;
    let bot = world.spawn_bot().await;

    let stranger = "nobody@elsewhere.example";
    let known = command(
        &world,
        "reset-password",
        json!([{"name": "email", "type": 3, "value": EMAIL}]),
    )
    .await;
    let known = known.final_reply(WAIT).await;
    let unknown = command(
        &world,
        "reset-password",
        json!([{"name": "email", "type": 3, "value": stranger}]),
    )
    .await;
    let unknown = unknown.final_reply(WAIT).await;

    assert_eq!(text(&known), Messages::default().reset_sent(EMAIL));
    assert_eq!(text(&unknown), Messages::default().reset_sent(stranger));
    assert_eq!(
        text(&known).replace(EMAIL, "<email>"),
        text(&unknown).replace(stranger, "<email>"),
        "the reply must not reveal who has an account"
    );
    assert_eq!(known["components"], unknown["components"]);
    assert_eq!(
        world.nexudus_calls("/en/user/resetPassword").await,
        2,
        "Nexudus is asked for both"
    );
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_password_with_a_bad_or_missing_email_is_answered_at_once_without_asking_nexudus() {
    let world = World::start().await;
    world.nexudus_resets(EMAIL).await;
    let bot = world.spawn_bot().await;

    let typo = command(
        &world,
        "reset-password",
        json!([{"name": "email", "type": 3, "value": "not-an-email"}]),
    )
    .await;
    let typo = immediate_reply(&typo).await;
    assert_eq!(
        text(&typo.data),
        Messages::default().invalid_email(EmailProblem::At)
    );

    // Not linked, and no email given: explain the option and `/link`.
    let nothing = command(&world, "reset-password", json!([])).await;
    let nothing = immediate_reply(&nothing).await;
    assert_eq!(text(&nothing.data), Messages::default().reset_needs_email());

    assert_eq!(nexudus_requests(&world).await, 0);
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_password_while_nexudus_fails_says_try_again_later() {
    let world = World::start().await;
    Mock::given(method("GET"))
        .and(path("/en/user/resetPassword"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_string("<html><body>Service Unavailable</body></html>"),
        )
        .mount(&world.nexudus)
        .await;
    let bot = world.spawn_bot().await;

    let reset = command(
        &world,
        "reset-password",
        json!([{"name": "email", "type": 3, "value": EMAIL}]),
    )
    .await;
    let reply = reset.final_reply(WAIT).await;
    assert_eq!(text(&reply), Messages::default().nexudus_unavailable());
    assert_ne!(text(&reply), Messages::default().reset_sent(EMAIL));
    assert_eq!(
        reset.first_callback(WAIT).await.kind,
        5,
        "Nexudus is called only after a defer"
    );
    assert_eq!(world.nexudus_calls("/en/user/resetPassword").await, 1);
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_refused_by_the_rate_limit_says_when_to_retry_and_does_not_call_nexudus() {
    let mut world = linked_world().await;
    world.nexudus_mints(USER_ID, LOGIN_TOKEN).await;
    world.env.insert("RATE_LIMIT_LOGIN".into(), "1/10m".into());
    let bot = world.spawn_bot().await;

    let first = command(&world, "login", json!([])).await;
    assert_eq!(
        text(&first.final_reply(WAIT).await),
        Messages::default().login_check_dms()
    );
    let second = command(&world, "login", json!([])).await;
    let refused = immediate_reply(&second).await;
    let refused = text(&refused.data);

    let wording = Messages::default().rate_limited(UNIX_EPOCH);
    let (before, _) = wording
        .split_once("<t:")
        .expect("a Discord timestamp in the wording");
    assert!(refused.starts_with(before), "{refused}");
    let retry_at = discord_timestamp(refused).expect("a <t:UNIX:R> timestamp");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        (now..=now + 601).contains(&retry_at),
        "retry at {retry_at}, now {now}"
    );
    assert_eq!(
        world.nexudus_calls(REFRESH).await,
        1,
        "the refused login must not reach Nexudus"
    );
    assert_eq!(world.discord.dms_to(MEMBER).len(), 1);
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_closed_dms_puts_the_link_button_in_the_private_reply() {
    let world = linked_world().await;
    world.nexudus_mints(USER_ID, LOGIN_TOKEN).await;
    world.discord.close_dms(MEMBER);
    let bot = world.spawn_bot().await;

    let login = command(&world, "login", json!([])).await;
    let reply = login.final_reply(WAIT).await;
    assert_eq!(text(&reply), Messages::default().login_dms_closed());
    assert_eq!(login_token_in(&reply), LOGIN_TOKEN);
    assert!(
        login.first_callback(WAIT).await.is_ephemeral(),
        "the link is shown to the member only"
    );
    assert!(world.discord.dms_to(MEMBER).is_empty());
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_dm_answered_429_is_retried_after_discords_retry_after_and_still_delivered() {
    let world = linked_world().await;
    world.nexudus_mints(USER_ID, LOGIN_TOKEN).await;
    // Longer than the courier's own 1 s wait: only Discord's retry_after explains the gap.
    world.discord.rate_limit_next_dm(MEMBER, 1.5);
    let bot = world.spawn_bot().await;

    let login = command(&world, "login", json!([])).await;
    assert_eq!(
        text(&login.final_reply(WAIT).await),
        Messages::default().login_check_dms()
    );
    assert_eq!(
        login_token_in(&world.discord.wait_dm(MEMBER, WAIT).await),
        LOGIN_TOKEN
    );
    let dm_channel = format!(
        "/api/v10/channels/{}/messages",
        FakeDiscord::dm_channel_id(MEMBER)
    );
    let posts: Vec<_> = world
        .discord
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == dm_channel)
        .collect();
    let statuses: Vec<u16> = posts.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200], "one 429, then one retry");
    let waited = posts[1].at.duration_since(posts[0].at);
    assert!(
        waited >= Duration::from_millis(1500),
        "the retry came {waited:?} after the 429, before Discord's retry_after of 1.5 s"
    );
    assert_eq!(
        world.nexudus_calls(REFRESH).await,
        1,
        "the token is minted once"
    );
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_while_nexudus_hangs_is_deferred_within_3_seconds_then_says_try_again_later() {
    let world = linked_world().await;
    world
        .nexudus_mints_after(USER_ID, LOGIN_TOKEN, Duration::from_secs(60))
        .await;
    let bot = world.spawn_bot().await;

    let login = command(&world, "login", json!([])).await;
    let first = login.first_callback(WAIT).await;
    assert_eq!(first.kind, 5, "deferred before calling Nexudus");
    assert!(first.is_ephemeral());
    let waited = first.received_at - login.sent_at;
    assert!(
        waited < CALLBACK_WINDOW,
        "deferred {waited:?} after dispatch"
    );
    assert_eq!(
        text(&login.final_reply(WAIT).await),
        Messages::default().nexudus_unavailable()
    );
    assert!(world.discord.dms_to(MEMBER).is_empty());
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_made_with_link_survive_a_restart() {
    let world = World::start().await;
    nexudus_knows_member(&world).await;
    world.nexudus_mints(USER_ID, LOGIN_TOKEN).await;

    let first_run = world.spawn_bot().await;
    assert_eq!(
        text(&link(&world, EMAIL, PASSWORD).await),
        Messages::default().linked(EMAIL)
    );
    assert_no_secrets(&first_run.stop().await, &[PASSWORD, MEMBER_JWT]);

    let second_run = world.spawn_bot().await;
    let account = command(&world, "account", json!([])).await;
    let shown = immediate_reply(&account).await;
    assert!(text(&shown.data).contains(EMAIL), "{}", text(&shown.data));
    let login = command(&world, "login", json!([])).await;
    assert_eq!(
        text(&login.final_reply(WAIT).await),
        Messages::default().login_check_dms()
    );
    assert_eq!(
        login_token_in(&world.discord.wait_dm(MEMBER, WAIT).await),
        LOGIN_TOKEN
    );
    assert_eq!(
        world.nexudus_calls("/api/sys/users/token").await,
        1,
        "no second /link was needed"
    );
    assert_no_violations(&world);

    assert_no_secrets(&second_run.stop().await, &[PASSWORD, MEMBER_JWT]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_login_while_the_first_is_running_is_told_already_on_its_way() {
    let world = linked_world().await;
    world
        .nexudus_mints_after(USER_ID, LOGIN_TOKEN, Duration::from_secs(1))
        .await;
    let bot = world.spawn_bot().await;

    let a = command(&world, "login", json!([])).await;
    let b = command(&world, "login", json!([])).await;
    let mut replies = [
        text(&a.final_reply(WAIT).await).to_owned(),
        text(&b.final_reply(WAIT).await).to_owned(),
    ];
    replies.sort();
    let mut expected = [
        Messages::default().already_running().to_owned(),
        Messages::default().login_check_dms().to_owned(),
    ];
    expected.sort();
    assert_eq!(replies, expected);
    assert_eq!(world.nexudus_calls(REFRESH).await, 1, "the login ran once");
    assert_eq!(world.discord.dms_to(MEMBER).len(), 1, "one DM");
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_from_another_guild_is_refused_without_asking_nexudus() {
    let world = linked_world().await;
    world.nexudus_mints(USER_ID, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let elsewhere = 999_999_999_999_999_999;
    let member = FakeMember::member(MEMBER);
    let login = world
        .discord
        .slash_command(&member, elsewhere, "login", json!([]))
        .await;
    let answer = immediate_reply(&login).await;
    assert_eq!(text(&answer.data), Messages::default().wrong_guild());
    assert_eq!(nexudus_requests(&world).await, 0);
    assert!(world.discord.dms_to(MEMBER).is_empty());
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_a_forged_page_is_refused_and_mints_no_token() {
    let world = linked_world().await;
    world.nexudus_mints(USER_ID, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let forged = json!([{"name": "page", "type": 3, "value": "Admin Panel"}]);
    let login = command(&world, "login", forged).await;
    let answer = immediate_reply(&login).await;
    assert_eq!(text(&answer.data), Messages::default().unknown_page());
    assert_eq!(nexudus_requests(&world).await, 0, "no token minted");
    assert!(world.discord.dms_to(MEMBER).is_empty());
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_when_nexudus_rejects_the_rest_credentials_says_there_is_a_setup_problem() {
    let world = linked_world().await;
    token_refresh(USER_ID)
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .mount(&world.nexudus)
        .await;
    let bot = world.spawn_bot().await;

    let login = command(&world, "login", json!([])).await;
    assert_eq!(
        text(&login.final_reply(WAIT).await),
        Messages::default().misconfigured()
    );
    assert!(world.discord.dms_to(MEMBER).is_empty());
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlink_forgets_the_link_so_account_says_not_linked() {
    let world = linked_world().await;
    let bot = world.spawn_bot().await;

    let unlink = command(&world, "unlink", json!([])).await;
    assert_eq!(
        text(&immediate_reply(&unlink).await.data),
        Messages::default().unlinked(EMAIL)
    );
    let account = command(&world, "account", json!([])).await;
    assert_eq!(
        text(&immediate_reply(&account).await.data),
        Messages::default().not_linked()
    );
    let again = command(&world, "unlink", json!([])).await;
    assert_eq!(
        text(&immediate_reply(&again).await.data),
        Messages::default().nothing_to_unlink()
    );
    assert_eq!(nexudus_requests(&world).await, 0);
    assert_no_violations(&world);

    assert_no_secrets(&bot.stop().await, &[]);
}

// ---- helpers ----

/// A world where [`MEMBER`] is already linked to [`USER_ID`] / [`EMAIL`].
async fn linked_world() -> World {
    let world = World::start().await;
    world.seed_link(MEMBER, USER_ID, EMAIL).await;
    world
}

/// [`MEMBER`] sends `/name` in the configured guild.
async fn command(world: &World, name: &str, options: Value) -> Interaction {
    world
        .discord
        .slash_command(&FakeMember::member(MEMBER), GUILD, name, options)
        .await
}

/// The text content of a reply.
fn text(reply: &Value) -> &str {
    reply["content"].as_str().unwrap_or_default()
}

/// The first callback, which must be an immediate (type 4), private reply.
async fn immediate_reply(ix: &Interaction) -> Callback {
    let first = ix.first_callback(WAIT).await;
    assert_eq!(
        first.kind, 4,
        "an immediate reply was expected, got callback {first:?}"
    );
    assert!(first.is_ephemeral(), "replies are private: {first:?}");
    first
}

/// How many requests Nexudus received for members, whatever they were (the
/// bot's one question at start-up, which space this is, aside).
async fn nexudus_requests(world: &World) -> usize {
    world
        .nexudus
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() != "/api/public/businesses/current")
        .count()
}

/// The `t` of the login link carried by the first button of a message.
fn login_token_in(message: &Value) -> String {
    let button = &message["components"][0]["components"][0];
    let url = url::Url::parse(button["url"].as_str().expect("a link button")).expect("a URL");
    assert_eq!(url.path(), "/en/user/login");
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "t")
        .map(|(_, v)| v.into_owned());
    token.expect("a t= parameter")
}

/// The UNIX time of the first `<t:UNIX:R>` in `text`.
fn discord_timestamp(text: &str) -> Option<u64> {
    let (_, rest) = text.split_once("<t:")?;
    let (unix, _) = rest.split_once(":R>")?;
    unix.parse().ok()
}

/// Nexudus knows [`EMAIL`] with [`PASSWORD`] (any other password is refused the
/// way Nexudus refuses it: `WasSuccessful:false`, `Status:500`, HTTP 200), and
/// the REST user list finds [`USER_ID`] by that email.
async fn nexudus_knows_member(world: &World) {
    user_token()
        .and(body_partial_json(
            json!({"email": EMAIL, "password": PASSWORD}),
        ))
        .respond_with(ok_envelope(json!(MEMBER_JWT)))
        .with_priority(1)
        .mount(&world.nexudus)
        .await;
    user_token()
        .respond_with(wrong_credentials())
        .with_priority(5)
        .mount(&world.nexudus)
        .await;
    world.nexudus_finds_user(EMAIL, USER_ID).await;
}

/// [`MEMBER`] runs `/link`, checks the form the bot opens, fills it in and
/// submits it; returns what the member finally sees.
async fn link(world: &World, email: &str, password: &str) -> Value {
    let member = FakeMember::member(MEMBER);
    let open = command(world, "link", json!([])).await;
    let form = open.first_callback(WAIT).await;
    assert_eq!(form.kind, 9, "/link answers with a modal: {form:?}");
    let inputs: Vec<&Value> = form.data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .collect();
    let labels: Vec<&str> = inputs.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(
        labels,
        [
            Messages::default().link_modal_email(),
            Messages::default().link_modal_password(),
            Messages::default().link_modal_two_factor()
        ]
    );
    assert_eq!(
        inputs[2]["required"],
        json!(false),
        "the two-factor code is optional"
    );
    let field = |i: usize| {
        inputs[i]["custom_id"]
            .as_str()
            .expect("a text input custom_id")
    };
    let form_id = form.data["custom_id"].as_str().expect("a modal custom_id");
    let submitted = world
        .discord
        .modal_submit(
            &member,
            GUILD,
            form_id,
            &[(field(0), email), (field(1), password)],
        )
        .await;
    let reply = submitted.final_reply(WAIT).await;
    let first = submitted.first_callback(WAIT).await;
    assert!(
        first.is_ephemeral(),
        "the answer to the form is private: {first:?}"
    );
    reply
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_logins_at_two_calls_a_second_all_get_their_dm_and_the_late_ones_see_their_place_in_line()
 {
    let mut world = World::start().await;
    world
        .env
        .insert("NEXUDUS_MAX_RPS".to_owned(), "2".to_owned());
    let members: Vec<u64> = (0..30).map(|i| MEMBER + i).collect();
    for (i, member) in members.iter().enumerate() {
        let user_id = 7000 + i as u64;
        world
            .seed_link(*member, user_id, &format!("m{i}@coolspace.example"))
            .await;
        world.nexudus_mints(user_id, LOGIN_TOKEN).await;
    }
    let bot = world.spawn_bot().await;

    let mut logins = Vec::new();
    for member in &members {
        let login = world
            .discord
            .slash_command(&FakeMember::member(*member), GUILD, "login", json!([]))
            .await;
        logins.push(login);
    }

    // 30 calls 0.525 s apart: the last one leaves after about 16 s.
    let patience = Duration::from_secs(40);
    for (member, login) in members.iter().zip(&logins) {
        world.discord.wait_dm(*member, patience).await;
        let answered = final_edit(login, patience).await;
        assert!(
            answered.contains("Check your direct messages"),
            "{answered}"
        );
    }
    // The last ten waited well over 3 s: each was told its place before the answer.
    for login in &logins[20..] {
        let edits = login.edits();
        assert!(edits.len() >= 2, "{edits:?}");
        let first = edits[0]["content"].as_str().unwrap_or_default();
        assert!(first.contains("in line"), "{first}");
        let last = edits[edits.len() - 1]["content"]
            .as_str()
            .unwrap_or_default();
        assert!(last.contains("Check your direct messages"), "{last}");
    }
    assert_no_violations(&world);
    let logs = bot.stop().await;
    assert_no_secrets(&logs, &[]);
}

/// The content of the last edit once it is no longer a place in line.
async fn final_edit(login: &Interaction, patience: Duration) -> String {
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        let last = login
            .edits()
            .last()
            .and_then(|edit| edit["content"].as_str().map(str::to_owned))
            .unwrap_or_default();
        if !last.is_empty() && !last.contains("in line") {
            return last;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no final answer; last edit: {last}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
