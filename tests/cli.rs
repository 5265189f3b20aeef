//! The command line as an operator uses it: `check`, `healthcheck`, and a bad
//! configuration, each run as a real process.

mod support;

use std::collections::HashMap;
use std::net::TcpListener;

use serde_json::json;
use support::bot::{API_PASSWORD, API_USERNAME, Bot, GUILD, TOKEN, WAIT, World};
use support::nexudus::{find_user, user_list};
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
