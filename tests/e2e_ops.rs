//! End to end, as the operator sees the running container: health, readiness,
//! metrics, the healthcheck verb, graceful shutdown and JSON logs.

mod support;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use nexudus_bot::app::App;
use nexudus_bot::config::Config;
use nexudus_bot::messages::Messages;
use serde_json::{Value, json};
use support::bot::{Bot, GUILD, LOGIN_TOKEN, WAIT, World, assert_no_secrets, assert_no_violations};
use support::fake_discord::FakeMember;
use support::nexudus::ok_envelope;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MEMBER: u64 = 555_000_000_000_000_007;

/// Lets the system pick the ops server's port; the bot's start-up line names it.
const ANY_PORT: &str = "127.0.0.1:0";

/// GETs `path` on the ops server: (status, body).
async fn get(port: u16, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("http://127.0.0.1:{port}{path}"))
        .await
        .expect("the ops server answers");
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

/// Waits until `path` answers `status`.
async fn wait_for(port: u16, path: &str, status: u16) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(response) = reqwest::get(format!("http://127.0.0.1:{port}{path}")).await
            && response.status().as_u16() == status
        {
            return response.text().await.unwrap_or_default();
        }
        assert!(Instant::now() < deadline, "{path} never answered {status}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The value of one sample line of the Prometheus exposition, 0 when absent.
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn linked_world() -> World {
    let mut world = World::start().await;
    world.env.insert("OPS_ADDR".into(), ANY_PORT.into());
    world.seed_link(MEMBER, 4242, "ada@coolspace.example").await;
    world
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_waits_for_the_gateway_while_health_answers_at_once() {
    // A Discord whose REST works but whose gateway accepts connections and never says anything.
    let silent_gateway = TcpListener::bind("127.0.0.1:0").unwrap();
    let gateway_url = format!("ws://{}", silent_gateway.local_addr().unwrap());
    let discord = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v10/oauth2/applications/@me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "111111111111111111", "name": "bot", "icon": null, "description": "", "bot_public": false,
            "bot_require_code_grant": false, "verify_key": "00", "flags": 0
        })))
        .mount(&discord)
        .await;
    Mock::given(method("PUT"))
        .and(path_regex("/commands$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&discord)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/api/v10/gateway"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"url": gateway_url})))
        .mount(&discord)
        .await;

    let mut world = World::start().await;
    world.env.insert("DISCORD_API_BASE".into(), discord.uri());
    world.env.insert("OPS_ADDR".into(), ANY_PORT.into());
    let env = world.bot_env();
    let bot = Bot::spawn(&["run"], &env, world.dir.path());
    let port = bot.ops_port().await;
    assert_eq!(wait_for(port, "/healthz", 200).await, "ok\n");
    let (status, reason) = get(port, "/readyz").await;
    assert_eq!(status, 503, "{reason}");
    assert!(reason.contains("gateway"), "{reason}");
    drop(silent_gateway);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_built_app_holds_the_ops_port_the_system_picked_for_port_0() {
    let mut world = World::start().await;
    world.env.insert("OPS_ADDR".into(), ANY_PORT.into());
    let config = Config::from_map(&world.bot_env()).expect("the world's configuration");

    let app = App::build(config).await.expect("the app builds");

    let addr = app.ops_addr().expect("an ops address");
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0);
    assert!(
        TcpListener::bind(addr).is_err(),
        "{addr} is not held by the app"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_turns_green_after_ready_and_metrics_count_a_login() {
    let world = linked_world().await;
    world.nexudus_mints(4242, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;
    let port = bot.ops_port().await;
    wait_for(port, "/readyz", 200).await;

    let (_, before) = get(port, "/metrics").await;
    let series = r#"nexudus_bot_interactions_total{command="login",outcome="dm_sent"}"#;
    assert_eq!(sample(&before, series), 0.0);
    let login = world
        .discord
        .slash_command(&FakeMember::member(MEMBER), GUILD, "login", json!([]))
        .await;
    login.final_reply(WAIT).await;
    let (status, after) = get(port, "/metrics").await;
    assert_eq!(status, 200);
    assert_eq!(sample(&after, series), 1.0, "{after}");
    assert_eq!(
        sample(
            &after,
            r#"nexudus_bot_nexudus_requests_total{endpoint="login_token",status="ok"}"#
        ),
        1.0
    );
    assert_eq!(sample(&after, "nexudus_bot_linked_members"), 1.0, "{after}");
    assert_eq!(
        sample(&after, "nexudus_bot_gateway_connected"),
        1.0,
        "{after}"
    );
    assert!(
        after.contains("nexudus_bot_nexudus_request_duration_seconds_bucket"),
        "{after}"
    );
    assert!(
        !after.contains(&MEMBER.to_string()) && !after.contains("ada@"),
        "personal data in labels: {after}"
    );

    // The container HEALTHCHECK: the verb probes the same server.
    let mut probe = Bot::spawn(
        &["healthcheck"],
        &[("OPS_ADDR".to_owned(), format!("0.0.0.0:{port}"))].into(),
        world.dir.path(),
    );
    assert_eq!(
        probe.wait_exit(WAIT).await.and_then(|s| s.code()),
        Some(0),
        "{}",
        probe.output()
    );
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_slow_login_finish_turns_new_requests_away_and_exits_zero() {
    let world = linked_world().await;
    world
        .seed_link(MEMBER + 1, 4343, "grace@coolspace.example")
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/api/sys/users/\d+/token/refresh$"))
        .respond_with(ok_envelope(json!(LOGIN_TOKEN)).set_delay(Duration::from_millis(1500)))
        .mount(&world.nexudus)
        .await;
    let mut bot = world.spawn_bot().await;
    let port = bot.ops_port().await;
    wait_for(port, "/readyz", 200).await;

    let slow = world
        .discord
        .slash_command(&FakeMember::member(MEMBER), GUILD, "login", json!([]))
        .await;
    assert_eq!(
        slow.first_callback(WAIT).await.kind,
        5,
        "the login should be deferred first"
    );
    let stopped_at = Instant::now();
    bot.terminate();
    wait_for(port, "/readyz", 503).await;

    let late = world
        .discord
        .slash_command(&FakeMember::member(MEMBER + 1), GUILD, "login", json!([]))
        .await;
    let late_reply = late.final_reply(WAIT).await;
    assert_eq!(late_reply["content"], Messages::default().shutting_down());

    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    assert!(
        dm.to_string().contains(LOGIN_TOKEN),
        "the in-flight member still gets their link"
    );
    assert!(
        slow.final_reply(WAIT).await["content"]
            .as_str()
            .unwrap()
            .contains("direct messages")
    );
    let status = bot
        .wait_exit(Duration::from_secs(15))
        .await
        .expect("the bot exits within 15 s of SIGTERM");
    assert!(status.success(), "exit status {status:?}\n{}", bot.output());
    assert!(stopped_at.elapsed() < Duration::from_secs(15));
    assert_no_violations(&world);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_json_object_per_line() {
    let mut world = World::start().await;
    world.env.insert("LOG_FORMAT".into(), "json".into());
    world.env.insert("OPS_ADDR".into(), ANY_PORT.into());
    world.seed_link(MEMBER, 4242, "ada@coolspace.example").await;
    world.nexudus_mints(4242, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;
    // The start-up line names the port the system picked, in JSON too.
    let port = bot.ops_port().await;
    assert_eq!(wait_for(port, "/healthz", 200).await, "ok\n");
    let login = world
        .discord
        .slash_command(&FakeMember::member(MEMBER), GUILD, "login", json!([]))
        .await;
    login.final_reply(WAIT).await;
    let output = bot.stop().await;
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() > 3, "{output}");
    let mut saw_outcome = false;
    for line in lines {
        let parsed: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            parsed["timestamp"].is_string()
                && parsed["level"].is_string()
                && parsed["target"].is_string(),
            "{line}"
        );
        if parsed["fields"]["outcome"] == "dm_sent" {
            saw_outcome = true;
            assert_eq!(parsed["span"]["command"], "login", "{line}");
            assert!(parsed["span"]["request_id"].is_string(), "{line}");
        }
    }
    assert!(
        saw_outcome,
        "the login's outcome line is missing:\n{output}"
    );
    assert_no_secrets(&output, &[]);
}
