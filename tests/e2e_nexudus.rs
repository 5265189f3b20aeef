//! End to end: the real `nexudus-bot` binary against a Nexudus that answers
//! only one generation of member endpoints (today's, or the seed's), with the
//! members portal and the REST API on two servers, as in production.

mod support;

use nexudus_bot::messages::Messages;
use serde_json::{Value, json};
use support::bot::{GUILD, TOTP_CODE, WAIT, World, assert_no_secrets, assert_no_violations};
use support::fake_discord::{FakeMember, Interaction};
use support::nexudus_today::{
    self, FakeMember as NexudusMember, FakeNexudus, FakeSpace, MEMBER_TOKEN, Missing,
    SEED_USER_TOKEN, START_PASSWORD_RESET, form_fields,
};
use wiremock::MockServer;

const MEMBER: u64 = 555_000_000_000_000_101;
const ADA: &str = "ada@coolspace.example";
const ADA_ID: u64 = 4242;
/// Passwords typed into the `/link` form: must never appear in logs.
const ADA_PASSWORD: &str = "Ada-Pa55word-typed-in-a-modal";
const BO: &str = "bo@coolspace.example";
const BO_ID: u64 = 4343;
const BO_PASSWORD: &str = "Bo-Pa55word-two-factor";
const CY: &str = "cy@coolspace.example";
const CY_ID: u64 = 4444;
const CY_PASSWORD: &str = "Cy-Pa55word-to-renew";
const BUSINESS_ID: u64 = 9001;

fn members() -> Vec<NexudusMember> {
    vec![
        NexudusMember::new(ADA_ID, ADA, ADA_PASSWORD),
        NexudusMember::new(BO_ID, BO, BO_PASSWORD).with_totp(TOTP_CODE),
        NexudusMember::new(CY_ID, CY, CY_PASSWORD).must_reset_password(),
    ]
}

/// Every secret these flows handle, beyond the harness's own.
fn secrets() -> Vec<String> {
    let mut all: Vec<String> = [ADA_PASSWORD, BO_PASSWORD, CY_PASSWORD]
        .map(str::to_owned)
        .to_vec();
    for id in [ADA_ID, BO_ID, CY_ID] {
        all.push(nexudus_today::login_token_for(&id.to_string()));
        all.push(format!("member-jwt-{id}"));
    }
    all
}

/// A bot whose Nexudus is `fake`.
async fn world_on(fake: &FakeNexudus) -> World {
    let mut world = World::start().await;
    world.env.insert(
        "NEXUDUS_PORTAL_URL".to_owned(),
        fake.portal_url().to_string(),
    );
    world
        .env
        .insert("NEXUDUS_API_URL".to_owned(), fake.api_url().to_string());
    world
}

async fn today(home: &str) -> FakeNexudus {
    FakeNexudus::today(&FakeSpace::new(BUSINESS_ID, "Cool Space", home), &members()).await
}

async fn command(world: &World, name: &str, options: Value) -> Interaction {
    world
        .discord
        .slash_command(&FakeMember::member(MEMBER), GUILD, name, options)
        .await
}

fn text(reply: &Value) -> String {
    reply["content"].as_str().unwrap_or_default().to_owned()
}

/// [`MEMBER`] fills in the `/link` form; `code` goes into the two-factor field.
async fn link(world: &World, email: &str, password: &str, code: Option<&str>) -> String {
    let open = command(world, "link", json!([])).await;
    let form = open.first_callback(WAIT).await;
    assert_eq!(form.kind, 9, "/link answers with a modal: {form:?}");
    let ids: Vec<String> = form.data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|input| input["custom_id"].as_str().map(str::to_owned))
        .collect();
    let mut fields = vec![(ids[0].as_str(), email), (ids[1].as_str(), password)];
    if let Some(code) = code {
        fields.push((ids[2].as_str(), code));
    }
    let form_id = form.data["custom_id"].as_str().expect("a modal custom_id");
    let submitted = world
        .discord
        .modal_submit(&FakeMember::member(MEMBER), GUILD, form_id, &fields)
        .await;
    text(&submitted.final_reply(WAIT).await)
}

async fn reset(world: &World, email: &str) -> String {
    let ix = command(
        world,
        "reset-password",
        json!([{"name": "email", "type": 3, "value": email}]),
    )
    .await;
    text(&ix.final_reply(WAIT).await)
}

/// `/login` to the Bookings page; returns the DM's button URL.
async fn login_url(world: &World) -> url::Url {
    let ix = command(
        world,
        "login",
        json!([{"name": "page", "type": 3, "value": "Bookings"}]),
    )
    .await;
    ix.final_reply(WAIT).await;
    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    let button = &dm["components"][0]["components"][0];
    url::Url::parse(button["url"].as_str().expect("a link button")).expect("a URL")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_todays_nexudus_link_reset_and_login_work_end_to_end() {
    // No usable home announced: links stay on the portal, in `en`.
    let fake = today("").await;
    let world = world_on(&fake).await;
    let bot = world.spawn_bot().await;

    assert_eq!(
        link(&world, ADA, "not-her-password", None).await,
        Messages::default().link_invalid_credentials()
    );
    assert_eq!(
        link(&world, ADA, ADA_PASSWORD, None).await,
        Messages::default().linked(ADA)
    );
    let sent = fake.requests_to("POST", MEMBER_TOKEN).await;
    let fields = form_fields(&sent[1]);
    assert!(fields.contains(&("grant_type".to_owned(), "password".to_owned())));
    assert!(fields.contains(&("username".to_owned(), ADA.to_owned())));
    assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 0);

    assert_eq!(
        reset(&world, ADA).await,
        Messages::default().reset_sent(ADA)
    );
    let resets = fake.requests_to("POST", START_PASSWORD_RESET).await;
    assert_eq!(
        resets[0].body_json::<Value>().unwrap(),
        json!({"email": ADA, "businessId": BUSINESS_ID}),
        "the reset names the discovered space"
    );
    assert!(fake.seed_resets().await.is_empty());

    let url = login_url(&world).await;
    assert_eq!(url.origin(), fake.portal_url().origin());
    assert_eq!(url.path(), "/en/user/login");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(
        query["t"],
        nexudus_today::login_token_for(&ADA_ID.to_string())
    );
    assert_eq!(query["redirectUrl"], "/en/bookings");
    assert_no_violations(&world);

    let logs = bot.stop().await;
    let extra = secrets();
    assert_no_secrets(&logs, &extra.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_factor_account_is_asked_for_its_code_then_links_with_it() {
    let fake = today("").await;
    let world = world_on(&fake).await;
    let bot = world.spawn_bot().await;

    assert_eq!(
        link(&world, BO, BO_PASSWORD, None).await,
        Messages::default().link_two_factor_required()
    );
    let account = command(&world, "account", json!([])).await;
    assert_eq!(
        text(&account.first_callback(WAIT).await.data),
        Messages::default().not_linked(),
        "nothing is linked without the code"
    );
    assert_eq!(
        link(&world, BO, BO_PASSWORD, Some("731 904")).await,
        Messages::default().linked(BO)
    );
    let sent = fake.requests_to("POST", MEMBER_TOKEN).await;
    assert!(form_fields(sent.last().unwrap()).contains(&("totp".to_owned(), TOTP_CODE.to_owned())));
    assert_no_violations(&world);

    let logs = bot.stop().await;
    let extra = secrets();
    assert_no_secrets(&logs, &extra.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_that_must_choose_a_new_password_is_sent_to_reset_password_and_not_linked() {
    let fake = today("").await;
    let world = world_on(&fake).await;
    let bot = world.spawn_bot().await;

    assert_eq!(
        link(&world, CY, CY_PASSWORD, None).await,
        Messages::default().link_must_reset_password()
    );
    let account = command(&world, "account", json!([])).await;
    assert_eq!(
        text(&account.first_callback(WAIT).await.data),
        Messages::default().not_linked()
    );
    assert_no_violations(&world);

    let logs = bot.stop().await;
    let extra = secrets();
    assert_no_secrets(&logs, &extra.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_links_start_at_the_custom_domain_and_language_nexudus_announces() {
    let custom_domain = MockServer::start().await;
    let home = format!("{}/fr", custom_domain.uri());
    let fake = today(&home).await;
    let world = world_on(&fake).await;
    let bot = world.spawn_bot().await;

    assert_eq!(
        link(&world, ADA, ADA_PASSWORD, None).await,
        Messages::default().linked(ADA)
    );
    let url = login_url(&world).await;
    assert!(
        url.as_str().starts_with(&format!("{home}/user/login?")),
        "{url}"
    );
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(
        query["redirectUrl"], "/fr/bookings",
        "{{lang}} in the portal pages is the space's language"
    );
    assert!(
        custom_domain.received_requests().await.unwrap().is_empty(),
        "the bot never opens a login link itself"
    );
    assert_no_violations(&world);

    let logs = bot.stop().await;
    let extra = secrets();
    assert_no_secrets(&logs, &extra.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_the_seeds_nexudus_link_reset_and_login_work_end_to_end() {
    let fake = FakeNexudus::seed(&members(), Missing::Html404).await;
    let world = world_on(&fake).await;
    let bot = world.spawn_bot().await;

    assert_eq!(
        link(&world, ADA, "not-her-password", None).await,
        Messages::default().link_invalid_credentials()
    );
    assert_eq!(
        link(&world, ADA, ADA_PASSWORD, None).await,
        Messages::default().linked(ADA)
    );
    assert_eq!(
        fake.count("POST", MEMBER_TOKEN).await,
        1,
        "today's login is tried once, then the seed's is remembered"
    );
    assert_eq!(fake.count("POST", SEED_USER_TOKEN).await, 2);

    assert_eq!(
        reset(&world, ADA).await,
        Messages::default().reset_sent(ADA)
    );
    assert_eq!(
        reset(&world, "nobody@elsewhere.example").await,
        Messages::default().reset_sent("nobody@elsewhere.example"),
        "the same reply for an unknown email"
    );
    let resets = fake.seed_resets().await;
    assert_eq!(resets.len(), 2);
    assert_eq!(resets[0].url.path(), "/en/user/resetPassword");

    let url = login_url(&world).await;
    assert_eq!(url.origin(), fake.portal_url().origin());
    assert_eq!(url.path(), "/en/user/login");
    assert!(
        bot.output().contains("Nexudus does not announce its space"),
        "one warning names the fallback"
    );
    assert_no_violations(&world);

    let logs = bot.stop().await;
    let extra = secrets();
    assert_no_secrets(&logs, &extra.iter().map(String::as_str).collect::<Vec<_>>());
}
