//! Runs the real `nexudus-bot` binary against a loopback fake Discord and a
//! wiremock Nexudus, and captures everything it writes.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nexudus_bot::config::DatabasePath;
use nexudus_bot::store::{Link, Store};
use serde_json::json;
use tempfile::TempDir;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::fake_discord::{FakeDiscord, FakeDiscordOptions};
use super::nexudus::{find_user, ok_envelope, reset_password, token_refresh, user_list};

/// The fake bot token (serenity checks it has three dot-separated parts).
pub const TOKEN: &str = "MTIz.fake.token";
/// The Nexudus REST user the harness configures (`NEXUDUS_API_USERNAME`).
pub const API_USERNAME: &str = "bot@coolspace.example";
/// The Nexudus REST user's password: must never appear in logs.
pub const API_PASSWORD: &str = "rest-Pa55word-never-logged";
/// The guild the fake Discord serves.
pub const GUILD: u64 = 222_222_222_222_222_222;
/// A one-time login token Nexudus mints in these tests: must never appear in logs.
pub const LOGIN_TOKEN: &str = "one-time-TOKEN-4f9a2c";
/// A member's two-factor code, typed into the `/link` form: must never appear in logs.
pub const TOTP_CODE: &str = "731904";
/// The Nexudus webhook secret, when a test sets one: must never appear in logs.
pub const WEBHOOK_SECRET: &str = "hook-SECRET-5e1d7b0c9a";
/// How long a test waits for anything the bot should do.
pub const WAIT: Duration = Duration::from_secs(10);

/// The world a bot runs in: fake Discord, fake Nexudus, a database folder.
pub struct World {
    pub discord: FakeDiscord,
    pub nexudus: MockServer,
    pub dir: TempDir,
    /// Extra variables for the next spawn (override the defaults).
    pub env: HashMap<String, String>,
}

impl World {
    pub async fn start() -> World {
        let discord = FakeDiscord::start(FakeDiscordOptions {
            token: TOKEN.to_owned(),
            guild_ids: vec![GUILD],
            ..FakeDiscordOptions::default()
        })
        .await;
        let nexudus = MockServer::start().await;
        World {
            discord,
            nexudus,
            dir: tempfile::tempdir().expect("temp dir"),
            env: HashMap::new(),
        }
    }

    pub fn database_file(&self) -> PathBuf {
        self.dir.path().join("data").join("bot.db")
    }

    /// Stores a link directly, as if the member had run `/link` earlier.
    pub async fn seed_link(&self, discord_user: u64, nexudus_user: u64, email: &str) {
        let store =
            Store::open(&DatabasePath::File(self.database_file())).expect("open the database");
        store
            .link(Link {
                discord_user_id: discord_user,
                nexudus_user_id: nexudus_user,
                email: email.to_owned(),
                linked_at: 1_700_000_000,
                linked_by: discord_user,
                coworker_id: None,
            })
            .await
            .expect("seed the link");
    }

    /// Nexudus mints `token` for `user_id` (GET, the current API).
    pub async fn nexudus_mints(&self, user_id: u64, token: &str) {
        token_refresh(user_id)
            .respond_with(ok_envelope(json!(token)))
            .mount(&self.nexudus)
            .await;
    }

    /// Nexudus mints `token` for `user_id`, answering only after `delay`.
    pub async fn nexudus_mints_after(&self, user_id: u64, token: &str, delay: Duration) {
        token_refresh(user_id)
            .respond_with(ok_envelope(json!(token)).set_delay(delay))
            .mount(&self.nexudus)
            .await;
    }

    /// The password-reset endpoint answers "sent" for `known` and 404 for anyone else.
    pub async fn nexudus_resets(&self, known: &str) {
        reset_password(known)
            .respond_with(ok_envelope(json!(null)))
            .with_priority(1)
            .mount(&self.nexudus)
            .await;
        Mock::given(method("GET"))
            .and(path("/en/user/resetPassword"))
            .respond_with(ResponseTemplate::new(404).set_body_string("Not found"))
            .with_priority(5)
            .mount(&self.nexudus)
            .await;
    }

    /// Requests Nexudus received, but for the bot's one question at start-up
    /// (which space this is).
    pub async fn nexudus_requests_after_start(&self) -> Vec<wiremock::Request> {
        let all = self.nexudus.received_requests().await.unwrap_or_default();
        all.into_iter()
            .filter(|r| r.url.path() != "/api/public/businesses/current")
            .collect()
    }

    /// Requests Nexudus received whose path matches `pattern`.
    pub async fn nexudus_calls(&self, pattern: &str) -> usize {
        let re = regex_lite(pattern);
        self.nexudus
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| re(r.url.path()))
            .count()
    }

    /// The variables a bot in this world starts with: the fakes, a database in
    /// [`World::dir`], no ops server, then [`World::env`].
    pub fn bot_env(&self) -> HashMap<String, String> {
        let mut env: HashMap<String, String> = [
            ("DISCORD_TOKEN", TOKEN.to_owned()),
            ("DISCORD_API_BASE", self.discord.base_url()),
            ("DISCORD_GUILD_IDS", GUILD.to_string()),
            ("NEXUDUS_PORTAL_URL", self.nexudus.uri()),
            ("NEXUDUS_API_URL", format!("{}/api", self.nexudus.uri())),
            ("NEXUDUS_API_USERNAME", API_USERNAME.to_owned()),
            ("NEXUDUS_API_PASSWORD", API_PASSWORD.to_owned()),
            ("NEXUDUS_TIMEOUT_SECS", "2".to_owned()),
            ("NEXUDUS_MAX_RPS", "50".to_owned()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", self.database_file().display()),
            ),
            ("OPS_ADDR", String::new()),
            ("RUST_LOG", "debug".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        env.extend(self.env.clone());
        env
    }

    /// Spawns `nexudus-bot run` and waits until it registered its commands and identified.
    pub async fn spawn_bot(&self) -> Bot {
        let registrations = self.discord.registration_count();
        let bot = Bot::spawn(&["run"], &self.bot_env(), self.dir.path());
        let deadline = Instant::now() + WAIT;
        while self.discord.registration_count() == registrations {
            assert!(
                Instant::now() < deadline,
                "the bot never registered its commands; its output:\n{}",
                bot.output()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.discord.wait_identified(WAIT).await;
        bot
    }
}

/// A tiny matcher for the few path patterns tests use: `*` matches one segment.
fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool {
    let parts: Vec<String> = pattern.split('/').map(str::to_owned).collect();
    move |p: &str| {
        let segs: Vec<&str> = p.split('/').collect();
        segs.len() == parts.len()
            && segs
                .iter()
                .zip(&parts)
                .all(|(s, want)| want == "*" || s == want)
    }
}

/// A running `nexudus-bot` process; killed when dropped.
pub struct Bot {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Bot {
    /// Starts the binary with exactly `env` (plus PATH), in `dir` so no developer `.env` is read.
    pub fn spawn(args: &[&str], env: &HashMap<String, String>, dir: &Path) -> Bot {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nexudus-bot"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn nexudus-bot");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let sink = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut all = sink.lock().unwrap();
                    all.push_str(&line);
                    all.push('\n');
                }
            });
        }
        Bot { child, output }
    }

    /// The ops server's port, as the bot's start-up line names it (start the bot
    /// with `OPS_ADDR=127.0.0.1:0` to let the system pick a free one).
    pub async fn ops_port(&self) -> u16 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(port) = self.output().lines().find_map(ops_port_in) {
                return port;
            }
            assert!(
                Instant::now() < deadline,
                "the bot never said where its ops server listens; its output:\n{}",
                self.output()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Everything the process wrote so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM, as `docker stop` does.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for the process to exit, up to `limit`.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Give the reader threads a moment to drain the pipes.
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops the process and returns its whole output.
    pub async fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.wait_exit(WAIT).await;
        self.output()
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port of an `ops server listening` line, pretty (`addr=127.0.0.1:41234`) or JSON.
fn ops_port_in(line: &str) -> Option<u16> {
    if !line.contains("ops server listening") {
        return None;
    }
    let addr = match serde_json::from_str::<serde_json::Value>(line) {
        Ok(parsed) => parsed["fields"]["addr"].as_str()?.to_owned(),
        Err(_) => line
            .split_whitespace()
            .find_map(|field| field.strip_prefix("addr="))?
            .to_owned(),
    };
    addr.parse::<std::net::SocketAddr>()
        .ok()
        .map(|addr| addr.port())
}

/// Asserts that the bot broke none of Discord's rules the fake checks.
pub fn assert_no_violations(world: &World) {
    let violations = world.discord.violations();
    assert!(
        violations.is_empty(),
        "Discord rules broken: {violations:#?}"
    );
}

/// Asserts that none of the secrets of these tests appears in `text`.
pub fn assert_no_secrets(text: &str, extra: &[&str]) {
    for secret in [TOKEN, API_PASSWORD, LOGIN_TOKEN, TOTP_CODE, WEBHOOK_SECRET]
        .iter()
        .chain(extra)
    {
        assert!(
            !text.contains(secret),
            "a secret ({secret}) leaked into:\n{text}"
        );
    }
}

/// Nexudus user-list answers (the `User_Email` lookup), for `/admin link` and `/link`.
impl World {
    /// The user list finds `email` as user `user_id`, only when asked with the
    /// REST credentials (HTTP Basic); without them the request is not matched.
    pub async fn nexudus_finds_user(&self, email: &str, user_id: u64) {
        find_user(email)
            .and(wiremock::matchers::basic_auth(API_USERNAME, API_PASSWORD))
            .respond_with(user_list(json!([{"Id": user_id, "Email": email}])))
            .mount(&self.nexudus)
            .await;
    }

    /// The user list has nobody with `email` (an empty `Records`).
    pub async fn nexudus_finds_nobody(&self, email: &str) {
        find_user(email)
            .respond_with(user_list(json!([])))
            .mount(&self.nexudus)
            .await;
    }
}
