//! The command line as an operator uses it: `check`, `healthcheck`, and a bad
//! configuration, each run as a real process.

mod support;

use std::collections::HashMap;
use std::net::TcpListener;

use serde_json::json;
use support::bot::{API_PASSWORD, API_USERNAME, Bot, GUILD, TOKEN, WAIT, World};
use support::nexudus::{find_user, user_list};
use support::nexudus_today::{
    FakeNexudus, FakeSpace, MEMBER_TOKEN, Missing, START_PASSWORD_RESET, form_fields,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

async fn run(args: &[&str], env: &HashMap<String, String>, world: &World) -> (i32, String) {
    let mut bot = Bot::spawn(args, env, world.dir.path());
    let status = bot
        .wait_exit(WAIT)
        .await
        .expect("the command should finish");
    (status.code().unwrap_or(-1), bot.output())
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_passes_with_good_credentials_and_says_so() {
    let world = World::start().await;
    find_user(API_USERNAME)
        .and(header(
            "authorization",
            "Basic Ym90QGNvb2xzcGFjZS5leGFtcGxlOnJlc3QtUGE1NXdvcmQtbmV2ZXItbG9nZ2Vk",
        ))
        .respond_with(user_list(json!([{"Id": 1, "Email": API_USERNAME}])))
        .expect(1)
        .mount(&world.nexudus)
        .await;
    let (code, output) = run(&["check"], &world.bot_env(), &world).await;
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("Nexudus REST credentials: OK"), "{output}");
    assert!(output.contains("Discord bot token: OK"), "{output}");
    assert!(
        output.contains(&format!("{GUILD}")) && output.contains("the bot is a member"),
        "{output}"
    );
    assert!(
        !output.contains(API_PASSWORD) && !output.contains(TOKEN),
        "{output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_explains_rejected_rest_credentials() {
    let world = World::start().await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&world.nexudus)
        .await;
    let (code, output) = run(&["check"], &world.bot_env(), &world).await;
    assert_ne!(code, 0, "{output}");
    assert!(
        output.contains("[FAIL] Nexudus REST credentials"),
        "{output}"
    );
    assert!(
        output.contains("API access") && output.contains("User-Edit"),
        "the fix-it hint is missing: {output}"
    );
    assert!(!output.contains(API_PASSWORD), "{output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_points_at_the_api_url_when_nothing_listens() {
    let world = World::start().await;
    let mut env = world.bot_env();
    let port = closed_port();
    env.insert(
        "NEXUDUS_API_URL".into(),
        format!("http://127.0.0.1:{port}/api"),
    );
    let (code, output) = run(&["check"], &env, &world).await;
    assert_ne!(code, 0, "{output}");
    assert!(
        output.contains("could not be reached") && output.contains("NEXUDUS_API_URL"),
        "{output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_reports_a_guild_the_bot_is_not_in() {
    let world = World::start().await;
    Mock::given(method("GET"))
        .and(path("/api/sys/users"))
        .respond_with(user_list(json!([])))
        .mount(&world.nexudus)
        .await;
    let mut env = world.bot_env();
    env.insert(
        "DISCORD_GUILD_IDS".into(),
        format!("{GUILD},999999999999999999"),
    );
    let (code, output) = run(&["check"], &env, &world).await;
    assert_ne!(code, 0, "{output}");
    assert!(
        output.contains("999999999999999999: the bot is not in this server"),
        "{output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_variables_stop_start_up_with_exit_code_2_listing_them_all() {
    let world = World::start().await;
    let env: HashMap<String, String> = [("RATE_LIMIT_LOGIN".to_owned(), "three".to_owned())].into();
    for verb in ["run", "check", "register"] {
        let (code, output) = run(&[verb], &env, &world).await;
        assert_eq!(code, 2, "{verb}: {output}");
        for name in [
            "DISCORD_TOKEN",
            "NEXUDUS_PORTAL_URL",
            "NEXUDUS_API_USERNAME",
            "NEXUDUS_API_PASSWORD",
            "RATE_LIMIT_LOGIN",
        ] {
            assert!(
                output.contains(name),
                "{verb}: {name} not named in {output}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthcheck_fails_when_nothing_answers() {
    let world = World::start().await;
    let env: HashMap<String, String> =
        [("OPS_ADDR".to_owned(), format!("0.0.0.0:{}", closed_port()))].into();
    let (code, output) = run(&["healthcheck"], &env, &world).await;
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("unhealthy"), "{output}");
}

/// A world whose Nexudus is `fake` (the REST user is a known user there).
fn env_on(world: &World, fake: &FakeNexudus) -> HashMap<String, String> {
    fake.add_users([(1, API_USERNAME.to_owned())]);
    let mut env = world.bot_env();
    env.insert(
        "NEXUDUS_PORTAL_URL".to_owned(),
        fake.portal_url().to_string(),
    );
    env.insert("NEXUDUS_API_URL".to_owned(), fake.api_url().to_string());
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_names_todays_space_and_its_login_links_and_sends_nothing() {
    let world = World::start().await;
    let home = "https://members.coolspace.example/fr";
    let fake = FakeNexudus::today(&FakeSpace::new(9001, "Cool Space", home), &[]).await;

    let (code, output) = run(&["check"], &env_on(&world, &fake), &world).await;

    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains(&format!(
            "[ok  ] Nexudus space: Cool Space (business 9001), login links at {home}"
        )),
        "{output}"
    );
    assert!(
        output.contains("[ok  ] Nexudus member login: today's endpoint answers"),
        "{output}"
    );
    assert!(
        output.contains("[ok  ] Nexudus password reset: not tried"),
        "{output}"
    );
    assert_eq!(
        fake.count("POST", START_PASSWORD_RESET).await,
        0,
        "no reset sent"
    );
    assert!(fake.seed_resets().await.is_empty());
    assert!(
        fake.requests()
            .await
            .iter()
            .all(|r| !r.url.path().ends_with("/token/refresh")),
        "no token minted"
    );
    let probes = fake.requests_to("POST", MEMBER_TOKEN).await;
    assert!(
        form_fields(&probes[0])
            .iter()
            .all(|(name, _)| name == "grant_type"),
        "the probe names no account"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_warns_but_passes_when_an_older_nexudus_announces_no_space() {
    let world = World::start().await;
    let fake = FakeNexudus::seed(&[], Missing::Html404).await;

    let (code, output) = run(&["check"], &env_on(&world, &fake), &world).await;

    assert_eq!(code, 0, "a warning is not a failure: {output}");
    assert!(
        output.contains("[warn] Nexudus space: not announced"),
        "{output}"
    );
    assert!(
        output.contains(&format!("Login links at {}en,", fake.portal_url())),
        "the fallback login base is named: {output}"
    );
    assert!(
        output.contains("[ok  ] Nexudus member login: the older endpoint answers"),
        "{output}"
    );
    assert!(fake.seed_resets().await.is_empty(), "no reset sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_fails_naming_a_managed_role_that_is_in_no_configured_server() {
    const KNOWN_ROLE: u64 = 700_000_000_000_000_001;
    const UNKNOWN_ROLE: u64 = 700_000_000_000_000_404;
    let world = World::start().await;
    world.discord.add_role(GUILD, KNOWN_ROLE, "Members", 1);
    find_user(API_USERNAME)
        .respond_with(user_list(json!([{"Id": 1, "Email": API_USERNAME}])))
        .mount(&world.nexudus)
        .await;
    for list in ["/api/spaces/coworkers", "/api/billing/coworkercontracts"] {
        Mock::given(method("GET"))
            .and(path(list))
            .respond_with(user_list(json!([])))
            .mount(&world.nexudus)
            .await;
    }
    let mut env = world.bot_env();
    env.insert("MEMBER_ROLE_ID".into(), KNOWN_ROLE.to_string());
    env.insert(
        "PLAN_ROLES".into(),
        format!("Dedicated Desk={UNKNOWN_ROLE}"),
    );
    let (code, output) = run(&["check"], &env, &world).await;
    assert_ne!(code, 0, "{output}");
    let failing: Vec<&str> = output.lines().filter(|l| l.contains("FAIL")).collect();
    assert_eq!(failing.len(), 1, "{output}");
    assert!(failing[0].contains(&UNKNOWN_ROLE.to_string()), "{output}");
    assert!(
        output.contains("Nexudus plans: the REST user may list coworkers"),
        "{output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_fails_when_the_rest_user_may_not_list_contracts() {
    const ROLE: u64 = 700_000_000_000_000_001;
    let world = World::start().await;
    world.discord.add_role(GUILD, ROLE, "Members", 1);
    find_user(API_USERNAME)
        .respond_with(user_list(json!([{"Id": 1, "Email": API_USERNAME}])))
        .mount(&world.nexudus)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/spaces/coworkers"))
        .respond_with(user_list(json!([])))
        .mount(&world.nexudus)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/billing/coworkercontracts"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&world.nexudus)
        .await;
    let mut env = world.bot_env();
    env.insert("MEMBER_ROLE_ID".into(), ROLE.to_string());
    let (code, output) = run(&["check"], &env, &world).await;
    assert_ne!(code, 0, "{output}");
    assert!(output.contains("CoworkerContract-List"), "{output}");
}
