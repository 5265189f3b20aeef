//! A loopback fake of Discord for end-to-end tests: REST under `/api/v10` and
//! the gateway websocket at `/gateway`, both on one `127.0.0.1` port. Point the
//! real bot at it with `DISCORD_API_BASE=fake.base_url()` (or an in-process
//! serenity client with `HttpBuilder::proxy(base).ratelimiter_disabled(true)`).
//! What it must do for serenity 0.12.5 to connect and accept its payloads is
//! written down beside each route below.
//!
//! The fake enforces the Discord rules a bot can get wrong (3-second callback
//! window, one callback per interaction, no edit or follow-up before it, valid
//! command definitions, authorized calls) and records each breach in
//! [`FakeDiscord::violations`]. Each configured guild has a role list (@everyone
//! and the bot's own role, `nexudus-bot`, holding Manage Roles at
//! [`BOT_ROLE_POSITION`]) and members with a role set per guild, which the
//! bot reads and writes like Discord's (hierarchy and Manage Roles enforced
//! with 50013). Every gateway dispatch is first checked against
//! serenity 0.12.5's own deserializer, because serenity silently drops a
//! dispatch it cannot parse (as `Event::Unknown`, logged at DEBUG only).
//!
//! ```text
//! let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
//! // spawn nexudus-bot with DISCORD_API_BASE=fake.base_url(),
//! // DISCORD_TOKEN=fake.options().token, DISCORD_GUILD_IDS=fake.options().guild_ids
//! fake.wait_commands_registered(WAIT).await;
//! let member = FakeMember::member(42);
//! let ix = fake.slash_command(&member, guild, "login", json!([])).await;
//! assert_eq!(ix.first_callback(WAIT).await.kind, 5); // deferred in time
//! let dm = fake.wait_dm(42, WAIT).await;
//! assert_eq!(fake.violations(), Vec::<String>::new());
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as AxumState;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::serve::ListenerExt;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

/// Discord's window for the first interaction callback.
pub const CALLBACK_WINDOW: Duration = Duration::from_secs(3);
/// The `MANAGE_GUILD` ("Manage Server") permission bit.
pub const MANAGE_GUILD: u64 = 1 << 5;
/// `VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS`.
pub const MEMBER_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31);
/// The `MANAGE_ROLES` permission bit.
pub const MANAGE_ROLES: u64 = 1 << 28;
/// The `ADMINISTRATOR` permission bit.
pub const ADMINISTRATOR: u64 = 1 << 3;
/// Where the bot's own role sits by default: above any role a test adds lower.
pub const BOT_ROLE_POSITION: u64 = 100;
const BOT_ROLE_BASE: u64 = 1 << 61;
const EPHEMERAL: u64 = 1 << 6;
const TIMESTAMP: &str = "2024-01-01T00:00:00.000000+00:00";
const DM_CHANNEL_BASE: u64 = 1 << 62;

/// How the fake presents itself. The application id and the bot user id differ
/// on purpose, so a bot that mixes them up fails.
#[derive(Clone, Debug)]
pub struct FakeDiscordOptions {
    /// The token the bot must present (`Bot ` prefix optional); serenity wants three dot-separated parts.
    pub token: String,
    pub application_id: u64,
    pub bot_user_id: u64,
    /// Guilds listed unavailable in READY, then each sent as GUILD_CREATE.
    pub guild_ids: Vec<u64>,
    /// The text channel interactions come from (the same id in every guild).
    pub channel_id: u64,
    /// The heartbeat interval announced in HELLO.
    pub heartbeat_interval_ms: u64,
    /// The server's preferred locale, sent as each interaction's `guild_locale`.
    pub guild_locale: String,
}

impl Default for FakeDiscordOptions {
    fn default() -> Self {
        Self {
            token: "MTIz.fake.token".into(),
            application_id: 111_111_111_111_111_111,
            bot_user_id: 222_222_222_222_222_222,
            guild_ids: vec![333_333_333_333_333_333],
            channel_id: 444_444_444_444_444_444,
            heartbeat_interval_ms: 41_250,
            guild_locale: "en-US".into(),
        }
    }
}

/// A guild member who sends interactions (and may be named in options).
#[derive(Clone, Debug)]
pub struct FakeMember {
    pub user_id: u64,
    pub username: String,
    pub roles: Vec<u64>,
    /// Permission bits, sent as the member's `permissions` string.
    pub permissions: u64,
    /// The member's Discord language, sent as each interaction's `locale`.
    pub locale: String,
}

impl FakeMember {
    /// An ordinary member: no roles, [`MEMBER_PERMISSIONS`].
    pub fn member(user_id: u64) -> Self {
        let username = format!("member{user_id}");
        Self {
            user_id,
            username,
            roles: vec![],
            permissions: MEMBER_PERMISSIONS,
            locale: "en-US".to_owned(),
        }
    }

    /// A community manager: an ordinary member plus [`MANAGE_GUILD`].
    pub fn manager(user_id: u64) -> Self {
        let username = format!("manager{user_id}");
        Self {
            username,
            permissions: MEMBER_PERMISSIONS | MANAGE_GUILD,
            ..Self::member(user_id)
        }
    }

    /// The same member with this Discord language (`fr`, `es-419`, `ja`).
    pub fn with_locale(mut self, locale: &str) -> Self {
        self.locale = locale.to_owned();
        self
    }

    /// The same member with these role ids.
    pub fn with_roles(mut self, roles: &[u64]) -> Self {
        self.roles = roles.to_vec();
        self
    }
}

/// One REST call the bot made, with the status the fake answered.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// The JSON body, or `Null` when empty or not JSON (multipart uploads).
    pub body: Value,
    /// The `X-Audit-Log-Reason` header, percent-decoded.
    pub reason: Option<String>,
    pub status: u16,
    pub at: Instant,
}

/// One interaction callback attempt (`POST /interactions/{id}/{token}/callback`).
#[derive(Clone, Debug)]
pub struct Callback {
    /// 4 reply, 5 defer, 6 deferred update, 7 update message, 9 modal.
    pub kind: u8,
    pub data: Value,
    pub received_at: Instant,
    /// 204 when accepted; otherwise the error status Discord would give.
    pub status: u16,
}

impl Callback {
    /// Whether the reply is ephemeral (`data.flags` has 64).
    pub fn is_ephemeral(&self) -> bool {
        self.data["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
    }
}

/// Gateway counters.
#[derive(Clone, Debug, Default)]
pub struct GatewayStats {
    pub connections: usize,
    pub identifies: usize,
    pub resumes: usize,
    pub heartbeats: usize,
    /// The intents of the last IDENTIFY.
    pub intents: Option<u64>,
}

/// The running fake. Dropping it stops accepting connections.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

/// An interaction the fake dispatched, to inspect how the bot answered it.
pub struct Interaction {
    pub id: u64,
    pub token: String,
    /// When the INTERACTION_CREATE was handed to the gateway connection.
    pub sent_at: Instant,
    label: String,
    shared: Arc<Shared>,
}

struct Shared {
    opts: FakeDiscordOptions,
    port: u16,
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Default)]
struct State {
    next_id: u64,
    gateway: Option<mpsc::UnboundedSender<(String, Value)>>,
    stats: GatewayStats,
    registrations: usize,
    /// Latest registered commands (as answered) per scope: `None` global, `Some(guild)`.
    commands: BTreeMap<Option<u64>, Vec<Value>>,
    interactions: HashMap<u64, Ix>,
    members: HashMap<u64, FakeMember>,
    open_dms: HashSet<u64>,
    closed_dms: HashSet<u64>,
    dm_rate_limits: HashMap<u64, f64>,
    forbidden_channels: HashSet<u64>,
    /// Accepted message bodies per channel (DM channels included).
    posts: HashMap<u64, Vec<Value>>,
    wait_cursor: HashMap<u64, usize>,
    /// Every message object the bot made visible, oldest first (to find clicked buttons).
    shown: Vec<Value>,
    requests: Vec<RecordedRequest>,
    violations: Vec<String>,
    /// Each configured guild's roles by id, @everyone and the bot's role included.
    roles: HashMap<u64, BTreeMap<u64, FakeRole>>,
    /// The bot's own roles in each guild.
    bot_roles: HashMap<u64, Vec<u64>>,
    /// Who is in which guild (`(guild, user)`), with their roles there.
    guild_members: HashMap<(u64, u64), GuildMember>,
    /// Role writes of these roles answer 403 50013.
    forbidden_roles: HashSet<u64>,
}

#[derive(Clone, Debug)]
struct FakeRole {
    name: String,
    position: u64,
    permissions: u64,
}

/// A member's roles in one guild: what the test declared, with the bot's
/// writes since on top, so later interactions carry what the bot did.
#[derive(Clone, Debug, Default)]
struct GuildMember {
    declared: Vec<u64>,
    /// `true` added by the bot, `false` removed by it.
    writes: BTreeMap<u64, bool>,
}

impl GuildMember {
    fn roles(&self) -> Vec<u64> {
        let mut roles: Vec<u64> = self
            .declared
            .iter()
            .copied()
            .filter(|r| self.writes.get(r) != Some(&false))
            .chain(
                self.writes
                    .iter()
                    .filter(|(_, added)| **added)
                    .map(|(r, _)| *r),
            )
            .collect();
        roles.sort_unstable();
        roles.dedup();
        roles
    }
}

/// What the fake knows about one dispatched interaction.
struct Ix {
    token: String,
    label: String,
    kind: u8,
    user_id: u64,
    channel_id: u64,
    /// The message a component was clicked on.
    message_id: Option<u64>,
    dispatched_at: Instant,
    callbacks: Vec<Callback>,
    original_id: u64,
    /// The original response as the member sees it (callback data merged with edits).
    original: Value,
    edits: Vec<Value>,
    followups: Vec<Value>,
}

impl Ix {
    fn acked(&self) -> Option<&Callback> {
        self.callbacks.iter().find(|c| c.status == 204)
    }
}

struct Reply {
    status: u16,
    body: Option<Value>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn ok(body: Value) -> Self {
        Self {
            status: 200,
            body: Some(body),
            headers: vec![],
        }
    }
    fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            headers: vec![],
        }
    }
    fn error(status: u16, code: u64, message: &str) -> Self {
        Self {
            status,
            body: Some(json!({"code": code, "message": message})),
            headers: vec![],
        }
    }
    fn into_response(self) -> Response {
        let mut builder = Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(*name, value);
        }
        match self.body {
            Some(v) => builder
                .header("content-type", "application/json")
                .body(Body::from(v.to_string())),
            None => builder.body(Body::empty()),
        }
        .expect("valid response")
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    /// Starts the fake on `127.0.0.1:0`.
    pub async fn start(opts: FakeDiscordOptions) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake Discord");
        let port = listener.local_addr().expect("local addr").port();
        // Without TCP_NODELAY, a websocket frame written in two segments waits for
        // the client's delayed ACK: every dispatch would arrive ~40 ms late.
        let listener = listener.tap_io(|tcp| drop(tcp.set_nodelay(true)));
        let mut state = State {
            next_id: 900_000_000_000_000_000,
            ..State::default()
        };
        for &guild in &opts.guild_ids {
            let bot_role = FakeDiscord::bot_role_id(guild);
            let everyone = FakeRole {
                name: "@everyone".into(),
                position: 0,
                permissions: MEMBER_PERMISSIONS,
            };
            let bot = FakeRole {
                name: "nexudus-bot".into(),
                position: BOT_ROLE_POSITION,
                permissions: MEMBER_PERMISSIONS | MANAGE_ROLES,
            };
            let roles = BTreeMap::from([(guild, everyone), (bot_role, bot)]);
            state.roles.insert(guild, roles);
            state.bot_roles.insert(guild, vec![bot_role]);
        }
        let shared = Arc::new(Shared {
            opts,
            port,
            state: Mutex::new(state),
            changed: Notify::new(),
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .fallback(rest)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake Discord server")
        });
        FakeDiscord { shared, server }
    }

    /// `http://127.0.0.1:PORT`: the bot's `DISCORD_API_BASE`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.shared.port)
    }

    /// The options the fake runs with.
    pub fn options(&self) -> &FakeDiscordOptions {
        &self.shared.opts
    }

    /// The DM channel id the fake gives `user_id` (deterministic).
    pub fn dm_channel_id(user_id: u64) -> u64 {
        DM_CHANNEL_BASE + user_id
    }

    /// Waits until the bot has IDENTIFY'd with the right token and received READY.
    pub async fn wait_identified(&self, timeout: Duration) {
        let what = "the bot to IDENTIFY on the gateway and receive READY";
        self.shared
            .wait_for(what, timeout, |st| st.gateway.as_ref().map(drop))
            .await
    }

    /// Gateway counters (connections, identifies, heartbeats, intents).
    pub fn gateway_stats(&self) -> GatewayStats {
        self.shared.st().stats.clone()
    }

    /// Waits until commands are registered globally or in every guild of the
    /// options, and returns the registered commands as the fake answered them
    /// (`id`, `application_id`, `guild_id` for guild commands, `version`, ...),
    /// latest registration per scope, global first.
    pub async fn wait_commands_registered(&self, timeout: Duration) -> Vec<Value> {
        let guilds = self.shared.opts.guild_ids.clone();
        let what = format!(
            "command registration (PUT .../commands) globally or in every guild of {guilds:?}"
        );
        self.shared
            .wait_for(what, timeout, |st| {
                let done = st.commands.contains_key(&None)
                    || guilds.iter().all(|g| st.commands.contains_key(&Some(*g)));
                done.then(|| st.commands.values().flatten().cloned().collect())
            })
            .await
    }

    /// How many command registrations (PUT .../commands) succeeded.
    pub fn registration_count(&self) -> usize {
        self.shared.st().registrations
    }

    /// Puts the member in every configured guild with exactly `member.roles`
    /// (forgetting the bot's earlier writes, as if a manager set them by
    /// hand), and registers their name so options naming them resolve to it.
    /// A member who sends an interaction joins its guild automatically, keeping
    /// the bot's writes.
    pub fn add_member(&self, member: &FakeMember) {
        let mut st = self.shared.st();
        st.members.insert(member.user_id, member.clone());
        for &guild in &self.shared.opts.guild_ids {
            let joined = GuildMember {
                declared: member.roles.clone(),
                writes: BTreeMap::new(),
            };
            st.guild_members.insert((guild, member.user_id), joined);
        }
    }

    /// The member left this guild: reading them or writing their roles answers 404 10007.
    pub fn remove_member(&self, guild_id: u64, user_id: u64) {
        self.shared.st().guild_members.remove(&(guild_id, user_id));
    }

    /// The member's roles in this guild now (the bot's writes included), ascending;
    /// empty when they are not in it. For the bot's own user id, the bot's roles.
    pub fn member_roles(&self, guild_id: u64, user_id: u64) -> Vec<u64> {
        let st = self.shared.st();
        if user_id == self.shared.opts.bot_user_id {
            return st.bot_roles.get(&guild_id).cloned().unwrap_or_default();
        }
        st.guild_members
            .get(&(guild_id, user_id))
            .map(GuildMember::roles)
            .unwrap_or_default()
    }

    /// The id of the bot's own role (`nexudus-bot`) in this guild.
    pub fn bot_role_id(guild_id: u64) -> u64 {
        BOT_ROLE_BASE + guild_id
    }

    /// Adds a role to a configured guild's role list, or renames and moves an
    /// existing one (the bot's own role included, to put it below others).
    /// New roles grant no permission. Positions must fit serenity's `u16`.
    pub fn add_role(&self, guild_id: u64, role_id: u64, name: &str, position: u64) {
        let mut st = self.shared.st();
        let Some(roles) = st.roles.get_mut(&guild_id) else {
            panic!("fake Discord: add_role in guild {guild_id}, which is not configured");
        };
        let role = roles.entry(role_id).or_insert_with(|| FakeRole {
            name: String::new(),
            position: 0,
            permissions: 0,
        });
        role.name = name.to_owned();
        role.position = position;
    }

    /// Sets a role's permission bits (e.g. take [`MANAGE_ROLES`] from the bot's role).
    pub fn set_role_permissions(&self, guild_id: u64, role_id: u64, permissions: u64) {
        let mut st = self.shared.st();
        match st
            .roles
            .get_mut(&guild_id)
            .and_then(|r| r.get_mut(&role_id))
        {
            Some(role) => role.permissions = permissions,
            None => {
                panic!("fake Discord: set_role_permissions: no role {role_id} in guild {guild_id}")
            }
        }
    }

    /// Sets the roles the bot itself holds in this guild (by default its own role).
    pub fn set_bot_roles(&self, guild_id: u64, roles: &[u64]) {
        self.shared.st().bot_roles.insert(guild_id, roles.to_vec());
    }

    /// From now on, adding or removing this role answers 403 code 50013
    /// (Missing Permissions), whatever the bot's permissions and role order
    /// (which the fake also enforces).
    pub fn forbid_role(&self, role_id: u64) {
        self.shared.st().forbidden_roles.insert(role_id);
    }

    /// The bot's role writes so far (`PUT`/`DELETE /guilds/{g}/members/{u}/roles/{r}`), in order.
    pub fn role_writes(&self) -> Vec<RecordedRequest> {
        let is_write = |r: &RecordedRequest| {
            let seg: Vec<&str> = r.path.split('/').collect();
            matches!(r.method.as_str(), "PUT" | "DELETE")
                && matches!(
                    seg.as_slice(),
                    ["", "api", "v10", "guilds", _, "members", _, "roles", _]
                )
        };
        self.shared
            .st()
            .requests
            .iter()
            .filter(|r| is_write(r))
            .cloned()
            .collect()
    }

    /// Sends `/name` as a slash command. `options` is the Discord options array
    /// (`[{name, type, value}]`, a subcommand being `{name, type: 1, options}`);
    /// user, channel, role and mentionable options get `resolved` filled in.
    pub async fn slash_command(
        &self,
        member: &FakeMember,
        guild_id: u64,
        name: &str,
        options: Value,
    ) -> Interaction {
        let data = {
            let st = self.shared.st();
            let registered = [Some(guild_id), None].into_iter().find_map(|scope| {
                st.commands
                    .get(&scope)?
                    .iter()
                    .find(|c| c["name"] == name)
                    .cloned()
            });
            let mut options = if options.is_null() {
                json!([])
            } else {
                options
            };
            let mut resolved = json!({});
            resolve(&st, guild_id, &mut options, &mut resolved);
            let mut data = json!({"id": "1", "name": name, "type": 1, "options": options, "resolved": resolved});
            if let Some(cmd) = registered {
                data["id"] = cmd["id"].clone();
                if !cmd["guild_id"].is_null() {
                    data["guild_id"] = cmd["guild_id"].clone();
                }
            }
            data
        };
        self.send_interaction(2, member, guild_id, data, None).await
    }

    /// Clicks the button `custom_id` on the newest message the bot showed that
    /// carries it; panics if the bot never showed such a button.
    pub async fn button_click(
        &self,
        member: &FakeMember,
        guild_id: u64,
        custom_id: &str,
    ) -> Interaction {
        let message = {
            let st = self.shared.st();
            let found = st
                .shown
                .iter()
                .rev()
                .find(|m| custom_ids(&m["components"]).iter().any(|c| c == custom_id));
            found.cloned().unwrap_or_else(|| {
                let shown: Vec<String> = st.shown.iter().flat_map(|m| custom_ids(&m["components"])).collect();
                panic!("fake Discord: button_click({custom_id:?}): the bot never showed a button with that custom_id; custom_ids shown: {shown:?}")
            })
        };
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.send_interaction(3, member, guild_id, data, Some(message))
            .await
    }

    /// Submits the modal `custom_id` the bot opened (callback type 9) for this
    /// member, with these text input values; panics if no such modal was opened,
    /// a field is not in it, or a required field is missing.
    pub async fn modal_submit(
        &self,
        member: &FakeMember,
        guild_id: u64,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Interaction {
        let modal = {
            let st = self.shared.st();
            let opened = st
                .interactions
                .values()
                .filter(|ix| ix.user_id == member.user_id)
                .flat_map(|ix| &ix.callbacks);
            let opened: Vec<&Callback> =
                opened.filter(|c| c.kind == 9 && c.status == 204).collect();
            let modal = opened
                .iter()
                .filter(|c| c.data["custom_id"] == custom_id)
                .max_by_key(|c| c.received_at);
            modal.map(|c| c.data.clone()).unwrap_or_else(|| {
                let ids: Vec<&Value> = opened.iter().map(|c| &c.data["custom_id"]).collect();
                panic!("fake Discord: modal_submit({custom_id:?}): the bot never opened that modal for user {}; modals opened: {ids:?}", member.user_id)
            })
        };
        let inputs: Vec<&Value> = modal["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().into_iter().flatten())
            .collect();
        let names: Vec<&str> = inputs
            .iter()
            .filter_map(|i| i["custom_id"].as_str())
            .collect();
        for (name, _) in fields {
            assert!(
                names.contains(name),
                "fake Discord: modal {custom_id:?} has no field {name:?}; its fields: {names:?}"
            );
        }
        let rows: Vec<Value> = inputs
            .iter()
            .map(|input| {
                let name = input["custom_id"].as_str().unwrap_or_default();
                let value = fields.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
                let required = input["required"].as_bool().unwrap_or(true);
                assert!(value.is_some() || !required, "fake Discord: modal {custom_id:?} requires field {name:?}");
                json!({"type": 1, "components": [{"type": 4, "custom_id": name, "value": value.unwrap_or("")}]})
            })
            .collect();
        let data = json!({"custom_id": custom_id, "components": rows});
        self.send_interaction(5, member, guild_id, data, None).await
    }

    /// Dispatches an interaction of `kind` (2 command, 3 component, 5 modal
    /// submit) with this `data` (and `message` for components) as is, for
    /// forged interactions the helpers above refuse to build. Panics if
    /// serenity 0.12.5 could not deserialize the result.
    pub async fn send_interaction(
        &self,
        kind: u8,
        member: &FakeMember,
        guild_id: u64,
        data: Value,
        message: Option<Value>,
    ) -> Interaction {
        let sh = &self.shared;
        let label = match kind {
            2 => {
                let sub = data["options"]
                    .get(0)
                    .filter(|o| matches!(o["type"].as_u64(), Some(1 | 2)));
                let sub = sub
                    .and_then(|o| o["name"].as_str())
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                format!("/{}{sub}", data["name"].as_str().unwrap_or("?"))
            }
            3 => format!("button {}", data["custom_id"]),
            _ => format!("modal {}", data["custom_id"]),
        };
        let (id, token, member) = {
            let mut st = sh.st();
            st.members.insert(member.user_id, member.clone());
            let joined = st
                .guild_members
                .entry((guild_id, member.user_id))
                .or_default();
            joined.declared = member.roles.clone();
            let member = FakeMember {
                roles: joined.roles(),
                ..member.clone()
            };
            let id = st.next_id();
            (id, format!("fake-interaction-token-{id}"), member)
        };
        let member = &member;
        let channel_id = sh.opts.channel_id;
        let (guild, channel) = (guild_id.to_string(), channel_id.to_string());
        let mut payload = json!({
            "id": id.to_string(), "application_id": sh.opts.application_id.to_string(),
            "type": kind, "token": token, "version": 1, "guild_id": guild, "channel_id": channel,
            "channel": {
                "id": channel, "type": 0, "name": "general", "guild_id": guild, "nsfw": false,
                "parent_id": null, "permissions": member.permissions.to_string(),
            },
            "member": member_json(member, Some(user_json(member.user_id, &member.username))),
            "app_permissions": (MEMBER_PERMISSIONS | (1 << 14)).to_string(),
            "locale": member.locale, "guild_locale": sh.opts.guild_locale, "entitlements": [],
            "authorizing_integration_owners": {"0": guild}, "context": 0,
            "attachment_size_limit": 10_485_760, "data": data,
        });
        let message_id = message.as_ref().and_then(|m| id_of(&m["id"]));
        if let Some(message) = message {
            payload["message"] = message;
        }
        if let Err(e) = serenity_accepts("INTERACTION_CREATE", &payload) {
            panic!("fake Discord: serenity 0.12.5 would drop {label} ({e}); payload: {payload:#}");
        }
        let what = format!("the bot to be connected to the gateway (READY) before sending {label}");
        let gateway = sh
            .wait_for(what, Duration::from_secs(10), |st| st.gateway.clone())
            .await;
        let sent_at = Instant::now();
        let ix = Ix {
            token: token.clone(),
            label: label.clone(),
            kind,
            user_id: member.user_id,
            channel_id,
            message_id,
            dispatched_at: sent_at,
            callbacks: vec![],
            original_id: 0,
            original: Value::Null,
            edits: vec![],
            followups: vec![],
        };
        sh.update(|st| drop(st.interactions.insert(id, ix)));
        let event = ("INTERACTION_CREATE".to_owned(), payload);
        gateway
            .send(event)
            .expect("fake Discord: the gateway connection closed");
        Interaction {
            id,
            token,
            sent_at,
            label,
            shared: Arc::clone(sh),
        }
    }

    /// Sends any gateway dispatch (e.g. `GUILD_DELETE`) to the connected bot.
    pub async fn dispatch_event(&self, event: &str, data: Value) {
        let what = format!("the bot to be connected to the gateway before dispatching {event}");
        let gateway = self
            .shared
            .wait_for(what, Duration::from_secs(10), |st| st.gateway.clone())
            .await;
        gateway
            .send((event.into(), data))
            .expect("fake Discord: the gateway connection closed");
    }

    /// From now on, messages to this user's DM channel answer 403 code 50007.
    pub fn close_dms(&self, user_id: u64) {
        self.shared.st().closed_dms.insert(user_id);
    }

    /// The next message to this user's DM channel answers 429 (Discord's JSON
    /// body and `Retry-After`/`X-RateLimit-*` headers) with this `retry_after`.
    pub fn rate_limit_next_dm(&self, user_id: u64, retry_after_secs: f64) {
        self.shared
            .st()
            .dm_rate_limits
            .insert(user_id, retry_after_secs);
    }

    /// From now on, posts to this channel answer 403 code 50013 (Missing Permissions).
    pub fn forbid_channel(&self, channel_id: u64) {
        self.shared.st().forbidden_channels.insert(channel_id);
    }

    /// Bodies of the messages delivered to this user's DM channel, oldest first.
    pub fn dms_to(&self, user_id: u64) -> Vec<Value> {
        self.channel_messages(Self::dm_channel_id(user_id))
    }

    /// Waits for the next DM delivered to this user that no earlier `wait_dm` returned.
    pub async fn wait_dm(&self, user_id: u64, timeout: Duration) -> Value {
        let what = format!("a DM to user {user_id}");
        self.wait_next_post(Self::dm_channel_id(user_id), what, timeout)
            .await
    }

    /// Bodies of the messages posted to this channel, oldest first.
    pub fn channel_messages(&self, channel_id: u64) -> Vec<Value> {
        self.shared
            .st()
            .posts
            .get(&channel_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Waits for the next message posted to this channel that no earlier wait returned.
    pub async fn wait_channel_message(&self, channel_id: u64, timeout: Duration) -> Value {
        self.wait_next_post(
            channel_id,
            format!("a message in channel {channel_id}"),
            timeout,
        )
        .await
    }

    async fn wait_next_post(&self, channel_id: u64, what: String, timeout: Duration) -> Value {
        self.shared
            .wait_for(what, timeout, |st| {
                let seen = st.wait_cursor.get(&channel_id).copied().unwrap_or(0);
                let next = st.posts.get(&channel_id)?.get(seen)?.clone();
                st.wait_cursor.insert(channel_id, seen + 1);
                Some(next)
            })
            .await
    }

    /// Every REST call so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.st().requests.clone()
    }

    /// Breaches of Discord's rules (and calls the fake does not model), in order.
    pub fn violations(&self) -> Vec<String> {
        self.shared.st().violations.clone()
    }
}

impl Interaction {
    /// Waits for the bot's first callback attempt (accepted or not).
    pub async fn first_callback(&self, timeout: Duration) -> Callback {
        let what = format!("{}: the bot's first interaction callback", self.label);
        self.shared
            .wait_for(what, timeout, |st| {
                st.interactions[&self.id].callbacks.first().cloned()
            })
            .await
    }

    /// Every callback attempt so far.
    pub fn callbacks(&self) -> Vec<Callback> {
        self.shared.st().interactions[&self.id].callbacks.clone()
    }

    /// What the member finally sees. Waits until it exists: after an edit of
    /// `@original`, the original response with the edits applied; else the
    /// data of a type 4/7/9 callback; else (deferred) the latest follow-up.
    pub async fn final_reply(&self, timeout: Duration) -> Value {
        let what = format!(
            "{}: the bot's final reply (callback 4/7/9, or edit/follow-up after a defer)",
            self.label
        );
        self.shared
            .wait_for(what, timeout, |st| {
                let ix = &st.interactions[&self.id];
                let cb = ix.acked()?;
                let edited = (!ix.edits.is_empty()).then(|| ix.original.clone());
                edited
                    .or_else(|| matches!(cb.kind, 4 | 7 | 9).then(|| cb.data.clone()))
                    .or_else(|| ix.followups.last().cloned())
            })
            .await
    }

    /// Bodies of the accepted `PATCH .../messages/@original` edits.
    pub fn edits(&self) -> Vec<Value> {
        self.shared.st().interactions[&self.id].edits.clone()
    }

    /// Bodies of the accepted follow-up messages.
    pub fn followups(&self) -> Vec<Value> {
        self.shared.st().interactions[&self.id].followups.clone()
    }
}

impl State {
    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn violation(&mut self, what: String) {
        eprintln!("fake Discord violation: {what}");
        self.violations.push(what);
    }

    fn user(&self, id: u64) -> Value {
        let name = self
            .members
            .get(&id)
            .map_or_else(|| format!("user{id}"), |m| m.username.clone());
        user_json(id, &name)
    }

    /// The guild's roles as Discord lists them, lowest position first.
    fn roles_json(&self, guild: u64) -> Vec<Value> {
        let mut roles: Vec<(&u64, &FakeRole)> =
            self.roles.get(&guild).into_iter().flatten().collect();
        roles.sort_by_key(|(id, r)| (r.position, **id));
        roles
            .into_iter()
            .map(|(id, r)| role_json(*id, &r.name, r.permissions, r.position))
            .collect()
    }

    /// Why Discord would refuse the bot writing `role` in `guild`: Manage Roles
    /// (or Administrator) through @everyone or its roles, and `role` strictly
    /// below its highest role.
    fn bot_may_not_write(&self, guild: u64, role: u64) -> Option<String> {
        if self.forbidden_roles.contains(&role) {
            return Some(format!("role {role} is forbidden (forbid_role)"));
        }
        let roles = self.roles.get(&guild)?;
        let held = self.bot_roles.get(&guild).into_iter().flatten();
        let held: Vec<&FakeRole> = held.filter_map(|r| roles.get(r)).collect();
        let permissions = roles.get(&guild).into_iter().chain(held.iter().copied());
        let permissions = permissions.fold(0, |bits, r| bits | r.permissions);
        if permissions & (MANAGE_ROLES | ADMINISTRATOR) == 0 {
            return Some(format!("the bot lacks Manage Roles in guild {guild}"));
        }
        let top = held.iter().map(|r| r.position).max().unwrap_or(0);
        let position = roles.get(&role).map_or(0, |r| r.position);
        (position >= top).then(|| {
            format!("role {role} (position {position}) is not below the bot's highest role (position {top})")
        })
    }

    fn summary(&self) -> String {
        let first = self.requests.len().saturating_sub(15);
        let calls: Vec<String> = self.requests[first..]
            .iter()
            .map(|r| format!("  {} {} -> {}", r.method, r.path, r.status))
            .collect();
        format!(
            "gateway: {:?}\nlast REST calls:\n{}\nviolations: {:#?}",
            self.stats,
            calls.join("\n"),
            self.violations
        )
    }
}

impl Shared {
    fn st(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.st());
        self.changed.notify_waiters();
    }

    /// Polls `f` on every state change until it yields, or panics saying what was awaited.
    async fn wait_for<T>(
        &self,
        what: impl std::fmt::Display,
        timeout: Duration,
        mut f: impl FnMut(&mut State) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.changed.notified();
            if let Some(v) = f(&mut self.st()) {
                return v;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                if let Some(v) = f(&mut self.st()) {
                    return v;
                }
                let summary = self.st().summary();
                panic!("fake Discord: timed out after {timeout:?} waiting for {what}\n{summary}");
            }
        }
    }

    fn gateway_url(&self) -> String {
        format!("ws://127.0.0.1:{}/gateway", self.port)
    }

    fn bot_user(&self) -> Value {
        let mut user = user_json(self.opts.bot_user_id, "fake-bot");
        user["bot"] = true.into();
        user["verified"] = true.into();
        user
    }

    /// A complete Message object serenity deserializes, echoing the body's content, embeds, components and flags.
    fn message_json(
        &self,
        id: u64,
        channel_id: u64,
        body: &Value,
        from_interaction: bool,
    ) -> Value {
        let app = self.opts.application_id.to_string();
        json!({
            "id": id.to_string(), "channel_id": channel_id.to_string(), "author": self.bot_user(),
            "content": body["content"].as_str().unwrap_or_default(), "timestamp": TIMESTAMP, "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "mention_channels": [],
            "attachments": [], "embeds": array_or_empty(&body["embeds"]), "components": array_or_empty(&body["components"]),
            "reactions": [], "pinned": false, "type": if from_interaction { 20 } else { 0 },
            "flags": body["flags"].as_u64().unwrap_or(0), "application_id": app,
            "webhook_id": if from_interaction { Value::from(app) } else { Value::Null },
        })
    }

    fn route(
        &self,
        st: &mut State,
        method: &str,
        path: &str,
        authorized: bool,
        reason: Option<&str>,
        body: &Value,
    ) -> Reply {
        let Some(rest) = path.strip_prefix("/api/v10/") else {
            return unmodelled(st, method, path);
        };
        let seg: Vec<&str> = rest.split('/').collect();
        let needs_auth = !matches!(
            seg.as_slice(),
            ["gateway"] | ["interactions", ..] | ["webhooks", ..]
        );
        if needs_auth && !authorized {
            st.violation(format!(
                "{method} {path} without `Authorization: Bot <token>`"
            ));
            return Reply::error(401, 0, "401: Unauthorized");
        }
        match (method, seg.as_slice()) {
            ("GET", ["gateway"]) => Reply::ok(json!({"url": self.gateway_url()})),
            ("GET", ["gateway", "bot"]) => Reply::ok(json!({
                "url": self.gateway_url(), "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
            })),
            ("GET", ["users", "@me"]) => Reply::ok(self.bot_user()),
            ("GET", ["users", id]) => id.parse().map_or_else(
                |_| Reply::error(404, 10013, "Unknown User"),
                |id| Reply::ok(st.user(id)),
            ),
            ("GET", ["applications", "@me"] | ["oauth2", "applications", "@me"]) => {
                Reply::ok(json!({
                    "id": self.opts.application_id.to_string(), "name": "fake-bot", "icon": null, "description": "",
                    "bot_public": false, "bot_require_code_grant": false, "verify_key": "00", "flags": 0, "bot": self.bot_user(),
                }))
            }
            ("GET", ["guilds", guild]) => match guild.parse() {
                Ok(guild) if self.opts.guild_ids.contains(&guild) => {
                    Reply::ok(guild_json(guild, st.roles_json(guild)))
                }
                _ => Reply::error(404, 10004, "Unknown Guild"),
            },
            ("GET", ["guilds", guild, "roles"]) => match guild.parse() {
                Ok(guild) if self.opts.guild_ids.contains(&guild) => {
                    Reply::ok(Value::Array(st.roles_json(guild)))
                }
                _ => Reply::error(404, 10004, "Unknown Guild"),
            },
            ("GET", ["guilds", guild, "members", user]) => self.member(st, guild, user),
            ("PUT" | "DELETE", ["guilds", guild, "members", user, "roles", role]) => {
                self.write_role(st, method, [guild, user, role], reason)
            }
            ("PUT", ["applications", app, "commands"]) => self.register(st, app, None, body),
            ("PUT", ["applications", app, "guilds", guild, "commands"]) => match guild.parse() {
                Ok(guild) if self.opts.guild_ids.contains(&guild) => {
                    self.register(st, app, Some(guild), body)
                }
                _ => {
                    st.violation(format!(
                        "command registration in guild {guild}, which the bot is not in"
                    ));
                    Reply::error(403, 50001, "Missing Access")
                }
            },
            ("POST", ["users", "@me", "channels"]) => match id_of(&body["recipient_id"]) {
                Some(user) => {
                    st.open_dms.insert(user);
                    let id = FakeDiscord::dm_channel_id(user).to_string();
                    Reply::ok(
                        json!({"id": id, "type": 1, "last_message_id": null, "flags": 0, "recipients": [st.user(user)]}),
                    )
                }
                None => Reply::error(400, 50035, "Invalid Form Body"),
            },
            ("POST", ["channels", channel, "messages"]) => match channel.parse() {
                Ok(channel) => self.post_message(st, channel, body),
                Err(_) => Reply::error(404, 10003, "Unknown Channel"),
            },
            ("POST", ["interactions", id, token, "callback"]) => self.callback(st, id, token, body),
            (_, ["webhooks", app, token, rest @ ..]) => {
                self.webhook(st, method, app, token, rest, body)
            }
            _ => unmodelled(st, method, path),
        }
    }

    /// `GET /guilds/{g}/members/{u}`: a member of that guild (the bot included), else 10007.
    fn member(&self, st: &mut State, guild: &str, user: &str) -> Reply {
        let Some(guild) = guild
            .parse()
            .ok()
            .filter(|g| self.opts.guild_ids.contains(g))
        else {
            return Reply::error(404, 10004, "Unknown Guild");
        };
        let Ok(user) = user.parse::<u64>() else {
            return Reply::error(404, 10013, "Unknown User");
        };
        if user == self.opts.bot_user_id {
            let bot = FakeMember {
                username: "fake-bot".into(),
                roles: st.bot_roles.get(&guild).cloned().unwrap_or_default(),
                ..FakeMember::member(user)
            };
            return Reply::ok(member_json(&bot, Some(self.bot_user())));
        }
        let Some(joined) = st.guild_members.get(&(guild, user)) else {
            return Reply::error(404, 10007, "Unknown Member");
        };
        let member = FakeMember {
            roles: joined.roles(),
            ..st.members
                .get(&user)
                .cloned()
                .unwrap_or_else(|| FakeMember::member(user))
        };
        Reply::ok(member_json(&member, Some(st.user(user))))
    }

    /// `PUT`/`DELETE /guilds/{g}/members/{u}/roles/{r}`: 204 and the member's
    /// role set updated, or Discord's 404/403 for an unknown member, an unknown
    /// role, or a role the bot may not manage.
    fn write_role(
        &self,
        st: &mut State,
        method: &str,
        [guild, user, role]: [&str; 3],
        reason: Option<&str>,
    ) -> Reply {
        let Some(guild) = guild
            .parse()
            .ok()
            .filter(|g| self.opts.guild_ids.contains(g))
        else {
            return Reply::error(404, 10004, "Unknown Guild");
        };
        let (Ok(user), Ok(role)) = (user.parse::<u64>(), role.parse::<u64>()) else {
            return Reply::error(404, 10013, "Unknown User");
        };
        if reason.is_none_or(str::is_empty) {
            st.violation(format!(
                "{method} role {role} of member {user} in guild {guild} without an X-Audit-Log-Reason"
            ));
        }
        if !st.guild_members.contains_key(&(guild, user)) {
            return Reply::error(404, 10007, "Unknown Member");
        }
        if !st.roles.get(&guild).is_some_and(|r| r.contains_key(&role)) {
            return Reply::error(404, 10011, "Unknown Role");
        }
        if st.bot_may_not_write(guild, role).is_some() {
            return Reply::error(403, 50013, "Missing Permissions");
        }
        if let Some(joined) = st.guild_members.get_mut(&(guild, user)) {
            joined.writes.insert(role, method == "PUT");
        }
        Reply::no_content()
    }

    fn register(&self, st: &mut State, app: &str, guild: Option<u64>, body: &Value) -> Reply {
        if app.parse::<u64>().ok() != Some(self.opts.application_id) {
            st.violation(format!(
                "command registration for application {app}, not {}",
                self.opts.application_id
            ));
            return Reply::error(
                403,
                20012,
                "You are not authorized to perform this action on this application",
            );
        }
        let commands = body.as_array().cloned().unwrap_or_default();
        let errors = validate_commands(body);
        if !errors.is_empty() {
            let listed: Vec<String> = errors
                .iter()
                .map(|(path, what)| format!("{path}: {what}"))
                .collect();
            st.violation(format!(
                "invalid command definitions (Discord answers 400 50035): {}",
                listed.join("; ")
            ));
            let mut reply = Reply::error(400, 50035, "Invalid Form Body");
            reply.body.as_mut().expect("body")["errors"] = form_errors(&errors);
            return reply;
        }
        let mut answered = Vec::new();
        for mut cmd in commands {
            let previous = st
                .commands
                .get(&guild)
                .and_then(|l| l.iter().find(|c| c["name"] == cmd["name"]));
            let id = match previous.map(|c| c["id"].clone()) {
                Some(id) => id,
                None => st.next_id().to_string().into(),
            };
            let version = st.next_id().to_string();
            let obj = cmd.as_object_mut().expect("validated as an object");
            obj.insert("id".into(), id);
            obj.insert(
                "application_id".into(),
                self.opts.application_id.to_string().into(),
            );
            obj.insert("version".into(), version.into());
            obj.insert("guild_id".into(), guild.map(|g| g.to_string()).into());
            for (key, default) in [
                ("type", json!(1)),
                ("description", json!("")),
                ("default_member_permissions", Value::Null),
                ("nsfw", json!(false)),
            ] {
                obj.entry(key).or_insert(default);
            }
            answered.push(cmd);
        }
        st.commands.insert(guild, answered.clone());
        st.registrations += 1;
        Reply::ok(Value::Array(answered))
    }

    fn post_message(&self, st: &mut State, channel: u64, body: &Value) -> Reply {
        if let Some(user) = channel.checked_sub(DM_CHANNEL_BASE) {
            if !st.open_dms.contains(&user) {
                st.violation(format!(
                    "message to DM channel {channel}, which was never opened"
                ));
                return Reply::error(404, 10003, "Unknown Channel");
            }
            if st.closed_dms.contains(&user) {
                return Reply::error(403, 50007, "Cannot send messages to this user");
            }
            if let Some(secs) = st.dm_rate_limits.remove(&user) {
                return rate_limited(secs);
            }
        } else if st.forbidden_channels.contains(&channel) {
            return Reply::error(403, 50013, "Missing Permissions");
        }
        if let Some(reply) = check_message(st, &format!("message to channel {channel}"), body) {
            return reply;
        }
        let message = self.message_json(st.next_id(), channel, body, false);
        st.posts.entry(channel).or_default().push(body.clone());
        st.shown.push(message.clone());
        Reply::ok(message)
    }

    fn callback(&self, st: &mut State, id: &str, token: &str, body: &Value) -> Reply {
        let now = Instant::now();
        let kind = body["type"].as_u64().unwrap_or(0) as u8;
        let data = body["data"].clone();
        let fresh_id = st.next_id();
        let Some(ix) = id
            .parse()
            .ok()
            .and_then(|id: u64| st.interactions.get_mut(&id))
            .filter(|ix| ix.token == token)
        else {
            st.violation(format!("callback for unknown interaction {id}"));
            return Reply::error(404, 10062, "Unknown interaction");
        };
        let elapsed = now - ix.dispatched_at;
        let allowed: &[u8] = match ix.kind {
            2 => &[4, 5, 9],
            3 => &[4, 5, 6, 7, 9],
            _ => &[4, 5, 6, 7],
        };
        let refusal = if ix.acked().is_some() {
            Some((
                400,
                40060,
                "Interaction has already been acknowledged.",
                format!("second callback (type {kind})"),
            ))
        } else if elapsed > CALLBACK_WINDOW {
            Some((
                404,
                10062,
                "Unknown interaction",
                format!(
                    "first callback {:.2}s after dispatch, past the 3 s window",
                    elapsed.as_secs_f64()
                ),
            ))
        } else if !allowed.contains(&kind) {
            Some((
                400,
                50035,
                "Invalid Form Body",
                format!(
                    "callback type {kind} is not valid for interaction type {}",
                    ix.kind
                ),
            ))
        } else {
            None
        };
        let status = refusal.as_ref().map_or(204, |r| r.0);
        ix.callbacks.push(Callback {
            kind,
            data: data.clone(),
            received_at: now,
            status,
        });
        if let Some((status, code, message, what)) = refusal {
            let what = format!("{}: {what}; Discord answers {status} code {code}", ix.label);
            st.violation(what);
            return Reply::error(status, code, message);
        }
        if kind != 9 {
            ix.original_id = if matches!(kind, 6 | 7) {
                ix.message_id.unwrap_or(fresh_id)
            } else {
                fresh_id
            };
            ix.original = if matches!(kind, 4 | 5 | 7) {
                data
            } else {
                json!({})
            };
        }
        if matches!(kind, 4 | 7) {
            let (original_id, channel_id) = (ix.original_id, ix.channel_id);
            let message = self.message_json(original_id, channel_id, &ix.original.clone(), true);
            st.shown.push(message);
        }
        Reply::no_content()
    }

    fn webhook(
        &self,
        st: &mut State,
        method: &str,
        app: &str,
        token: &str,
        rest: &[&str],
        body: &Value,
    ) -> Reply {
        let found = st
            .interactions
            .iter()
            .find(|(_, ix)| ix.token == token)
            .map(|(id, _)| *id);
        let Some(id) = found.filter(|_| app.parse::<u64>().ok() == Some(self.opts.application_id))
        else {
            st.violation(format!(
                "{method} /webhooks/{app}/{token}/{}: unknown webhook (application id or token)",
                rest.join("/")
            ));
            return Reply::error(404, 10015, "Unknown Webhook");
        };
        let fresh_id = st.next_id();
        let ix = &st.interactions[&id];
        let (label, channel_id) = (ix.label.clone(), ix.channel_id);
        let Some(acked) = ix.acked().map(|c| c.kind) else {
            st.violation(format!("{label}: {method} on the interaction webhook before any callback; Discord answers 404 code 10015"));
            return Reply::error(404, 10015, "Unknown Webhook");
        };
        if acked == 9 && rest == ["messages", "@original"] {
            st.violation(format!("{label}: {method} @original after answering with a modal: there is no original message"));
            return Reply::error(404, 10008, "Unknown Message");
        }
        match (method, rest) {
            ("PATCH", ["messages", "@original"]) => {
                let ix = st.interactions.get_mut(&id).expect("interaction");
                for (key, value) in body.as_object().into_iter().flatten() {
                    ix.original[key] = value.clone();
                }
                ix.edits.push(body.clone());
                let message =
                    self.message_json(ix.original_id, channel_id, &ix.original.clone(), true);
                st.shown.push(message.clone());
                Reply::ok(message)
            }
            ("GET", ["messages", "@original"]) => {
                Reply::ok(self.message_json(ix.original_id, channel_id, &ix.original, true))
            }
            ("DELETE", ["messages", "@original"]) => Reply::no_content(),
            ("POST", []) => {
                if let Some(reply) = check_message(st, &format!("{label}: follow-up"), body) {
                    return reply;
                }
                st.interactions
                    .get_mut(&id)
                    .expect("interaction")
                    .followups
                    .push(body.clone());
                let message = self.message_json(fresh_id, channel_id, body, true);
                st.shown.push(message.clone());
                Reply::ok(message)
            }
            _ => unmodelled(
                st,
                method,
                &format!("/webhooks/{app}/{token}/{}", rest.join("/")),
            ),
        }
    }
}

async fn rest(
    AxumState(sh): AxumState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let path = uri.path().to_owned();
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let authorized = auth.strip_prefix("Bot ") == Some(sh.opts.token.as_str());
    let reason = headers
        .get("x-audit-log-reason")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        });
    let mut reply = None;
    sh.update(|st| {
        let answer = sh.route(
            st,
            method.as_str(),
            &path,
            authorized,
            reason.as_deref(),
            &body,
        );
        let (method, status, at) = (method.to_string(), answer.status, Instant::now());
        st.requests.push(RecordedRequest {
            method,
            path,
            body,
            reason,
            status,
            at,
        });
        reply = Some(answer);
    });
    reply.expect("routed").into_response()
}

async fn gateway(AxumState(sh): AxumState<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| run_gateway(sh, socket))
}

/// One gateway connection: HELLO, then IDENTIFY/RESUME/heartbeats from the bot
/// and dispatches (from [`FakeDiscord`]) to it, each with an increasing `s`.
async fn run_gateway(sh: Arc<Shared>, mut ws: WebSocket) {
    sh.update(|st| st.stats.connections += 1);
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, Value)>();
    let mut seq = 0;
    let hello = json!({"op": 10, "d": {"heartbeat_interval": sh.opts.heartbeat_interval_ms}});
    if send(&mut ws, &hello).await.is_err() {
        return;
    }
    loop {
        let frame: Value = tokio::select! {
            incoming = ws.recv() => match incoming {
                Some(Ok(WsMessage::Text(text))) => serde_json::from_str(text.as_str()).unwrap_or(Value::Null),
                Some(Ok(WsMessage::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => continue,
            },
            Some((event, data)) = rx.recv() => {
                if dispatch(&sh, &mut ws, &mut seq, &event, data).await.is_err() {
                    break;
                }
                continue;
            }
        };
        let d = &frame["d"];
        let sent = match frame["op"].as_u64() {
            Some(1) => {
                sh.update(|st| st.stats.heartbeats += 1);
                send(&mut ws, &json!({"op": 11})).await
            }
            Some(2) => {
                let token = d["token"].as_str().unwrap_or_default();
                if token.strip_prefix("Bot ").unwrap_or(token) != sh.opts.token {
                    sh.update(|st| {
                        st.violation("IDENTIFY with a wrong token; closed with 4004".into())
                    });
                    let close = CloseFrame {
                        code: 4004,
                        reason: "Authentication failed.".into(),
                    };
                    let _ = ws.send(WsMessage::Close(Some(close))).await;
                    break;
                }
                seq = 0;
                let ready = ready_json(&sh, d["shard"].clone());
                let mut sent = dispatch(&sh, &mut ws, &mut seq, "READY", ready).await;
                for guild in &sh.opts.guild_ids {
                    if sent.is_ok() {
                        let guild = guild_json(*guild, sh.st().roles_json(*guild));
                        sent = dispatch(&sh, &mut ws, &mut seq, "GUILD_CREATE", guild).await;
                    }
                }
                sh.update(|st| {
                    st.stats.identifies += 1;
                    st.stats.intents = d["intents"].as_u64();
                    st.gateway = Some(tx.clone());
                });
                sent
            }
            Some(6) => {
                seq = d["seq"].as_u64().unwrap_or(0);
                let sent = dispatch(&sh, &mut ws, &mut seq, "RESUMED", json!({})).await;
                sh.update(|st| {
                    st.stats.resumes += 1;
                    st.gateway = Some(tx.clone());
                });
                sent
            }
            _ => Ok(()),
        };
        if sent.is_err() {
            break;
        }
    }
    sh.update(|st| {
        if st.gateway.as_ref().is_some_and(|g| g.same_channel(&tx)) {
            st.gateway = None;
        }
    });
}

async fn send(ws: &mut WebSocket, frame: &Value) -> Result<(), axum::Error> {
    ws.send(WsMessage::Text(frame.to_string().into())).await
}

async fn dispatch(
    sh: &Shared,
    ws: &mut WebSocket,
    seq: &mut u64,
    event: &str,
    data: Value,
) -> Result<(), axum::Error> {
    *seq += 1;
    let frame = json!({"op": 0, "t": event, "s": *seq, "d": data});
    if let Err(e) = serenity_accepts(event, &frame["d"]) {
        sh.update(|st| {
            st.violation(format!(
                "fake Discord bug: serenity 0.12.5 would drop this {event}: {e}"
            ))
        });
    }
    send(ws, &frame).await
}

/// Whether serenity 0.12.5 turns this dispatch into the event it names. One it
/// cannot parse (a missing field) becomes `Event::Unknown`, which serenity drops
/// with only a DEBUG log; a frame that is not a gateway event at all is a WARN.
fn serenity_accepts(event: &str, data: &Value) -> Result<(), String> {
    use serde_json::from_value;
    use serenity::model::event::{Event, GatewayEvent, GuildCreateEvent};
    let frame = json!({"op": 0, "s": 1, "t": event, "d": data});
    match from_value::<GatewayEvent>(frame) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => {
            let d = data.clone();
            let why = match event {
                "READY" => from_value::<serenity::model::gateway::Ready>(d).err(),
                "GUILD_CREATE" => from_value::<GuildCreateEvent>(d).err(),
                "INTERACTION_CREATE" => from_value::<serenity::all::Interaction>(d).err(),
                _ => None,
            };
            Err(why.map_or_else(
                || "an event serenity does not know".into(),
                |e| e.to_string(),
            ))
        }
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

fn ready_json(sh: &Shared, shard: Value) -> Value {
    let guilds: Vec<Value> = sh
        .opts
        .guild_ids
        .iter()
        .map(|g| json!({"id": g.to_string(), "unavailable": true}))
        .collect();
    json!({
        "v": 10, "user": sh.bot_user(), "guilds": guilds, "session_id": "fake-session",
        "resume_gateway_url": sh.gateway_url(), "shard": if shard.is_null() { json!([0, 1]) } else { shard },
        "application": {"id": sh.opts.application_id.to_string(), "flags": 0},
        "private_channels": [], "relationships": [], "presences": [], "user_settings": {}, "_trace": ["fake-discord"],
    })
}

/// A GUILD_CREATE payload with every field serenity's `Guild` requires (no cache
/// needed); optional fields are left out.
fn guild_json(id: u64, roles: Vec<Value>) -> Value {
    json!({
        "id": id.to_string(), "name": format!("Fake guild {id}"), "owner_id": "1",
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "roles": roles,
        "emojis": [], "features": [], "mfa_level": 0, "system_channel_flags": 0, "premium_tier": 0,
        "preferred_locale": "en-US", "nsfw_level": 0, "stickers": [],
        "premium_progress_bar_enabled": false, "joined_at": TIMESTAMP, "large": false,
        "unavailable": false, "member_count": 2, "voice_states": [], "members": [], "channels": [],
        "threads": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
    })
}

fn user_json(id: u64, username: &str) -> Value {
    json!({"id": id.to_string(), "username": username, "discriminator": "0", "global_name": username, "avatar": null, "public_flags": 0})
}

/// A guild member object; `user` is left out where Discord leaves it out (resolved members).
fn member_json(member: &FakeMember, user: Option<Value>) -> Value {
    let roles: Vec<String> = member.roles.iter().map(u64::to_string).collect();
    let mut m = json!({
        "roles": roles, "nick": null, "avatar": null, "deaf": false, "mute": false, "flags": 0, "pending": false,
        "joined_at": TIMESTAMP, "premium_since": null, "communication_disabled_until": null,
        "permissions": member.permissions.to_string(),
    });
    if let Some(user) = user {
        m["user"] = user;
    }
    m
}

fn role_json(id: u64, name: &str, permissions: u64, position: u64) -> Value {
    json!({
        "id": id.to_string(), "name": name, "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false, "icon": null, "unicode_emoji": null, "position": position,
        "permissions": permissions.to_string(), "managed": false, "mentionable": false, "flags": 0, "tags": {},
    })
}

/// Turns user/channel/role/mentionable option values into id strings and fills `resolved` for them.
fn resolve(st: &State, guild_id: u64, options: &mut Value, resolved: &mut Value) {
    for option in options.as_array_mut().into_iter().flatten() {
        if let Some(nested) = option.get_mut("options") {
            resolve(st, guild_id, nested, resolved);
        }
        let (Some(kind @ 6..=9), Some(id)) = (option["type"].as_u64(), id_of(&option["value"]))
        else {
            continue;
        };
        option["value"] = id.to_string().into();
        let key = id.to_string();
        match kind {
            6 | 9 => {
                let mut member = st.members.get(&id).cloned().unwrap_or_else(|| FakeMember {
                    username: format!("user{id}"),
                    ..FakeMember::member(id)
                });
                if let Some(joined) = st.guild_members.get(&(guild_id, id)) {
                    member.roles = joined.roles();
                }
                resolved["users"][&key] = user_json(id, &member.username);
                resolved["members"][&key] = member_json(&member, None);
            }
            7 => {
                resolved["channels"][&key] = json!({"id": key, "name": format!("channel-{id}"), "type": 0, "permissions": MEMBER_PERMISSIONS.to_string()})
            }
            _ => {
                let role = st.roles.get(&guild_id).and_then(|r| r.get(&id));
                resolved["roles"][&key] = match role {
                    Some(r) => role_json(id, &r.name, r.permissions, r.position),
                    None => role_json(id, &format!("role-{id}"), 0, 0),
                }
            }
        }
    }
}

/// Discord's command-definition checks (a subset): names, descriptions, counts, option order.
fn validate_commands(body: &Value) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    let Some(commands) = body.as_array() else {
        return vec![(String::new(), "expected an array of commands".into())];
    };
    if commands.len() > 100 {
        errors.push((String::new(), "more than 100 commands".into()));
    }
    let mut names = HashSet::new();
    for (i, command) in commands.iter().enumerate() {
        if !command.is_object() {
            errors.push((i.to_string(), "not an object".into()));
            continue;
        }
        let chat_input = command["type"].as_u64().unwrap_or(1) == 1;
        if !names.insert((command["type"].as_u64(), command["name"].clone())) {
            errors.push((format!("{i}.name"), "duplicate command name".into()));
        }
        check_named(&mut errors, &i.to_string(), command, chat_input);
        if chat_input {
            check_options(&mut errors, &i.to_string(), command);
        }
    }
    errors
}

fn check_named(errors: &mut Vec<(String, String)>, path: &str, item: &Value, chat_input: bool) {
    let name = item["name"].as_str().unwrap_or_default();
    let valid_char = |c: char| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-' || c == '_';
    if !(1..=32).contains(&name.chars().count()) || (chat_input && !name.chars().all(valid_char)) {
        errors.push((
            format!("{path}.name"),
            format!("invalid name {name:?} (1-32 lowercase letters, digits, - or _)"),
        ));
    }
    let description = item["description"]
        .as_str()
        .unwrap_or_default()
        .chars()
        .count();
    if chat_input && !(1..=100).contains(&description) {
        errors.push((
            format!("{path}.description"),
            "description must be 1-100 characters".into(),
        ));
    }
}

fn check_options(errors: &mut Vec<(String, String)>, path: &str, item: &Value) {
    let options = item["options"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if options.len() > 25 {
        errors.push((format!("{path}.options"), "more than 25 options".into()));
    }
    let mut optional_seen = false;
    for (i, option) in options.iter().enumerate() {
        let path = format!("{path}.options.{i}");
        check_named(errors, &path, option, true);
        if matches!(option["type"].as_u64(), Some(1 | 2)) {
            check_options(errors, &path, option);
            continue;
        }
        let required = option["required"].as_bool().unwrap_or(false);
        if required && optional_seen {
            errors.push((
                format!("{path}.required"),
                "required options must come before optional ones".into(),
            ));
        }
        optional_seen |= !required;
        let choices = option["choices"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if choices.len() > 25 {
            errors.push((format!("{path}.choices"), "more than 25 choices".into()));
        }
        for (j, choice) in choices.iter().enumerate() {
            let name = choice["name"].as_str().unwrap_or_default().chars().count();
            let value_ok = choice["value"]
                .as_str()
                .is_none_or(|v| v.chars().count() <= 100);
            if !(1..=100).contains(&name) || !value_ok {
                errors.push((
                    format!("{path}.choices.{j}"),
                    "choice name must be 1-100 characters, a string value at most 100".into(),
                ));
            }
        }
    }
}

/// Discord's nested `errors` object: `{"0": {"name": {"_errors": [{code, message}]}}}`.
fn form_errors(errors: &[(String, String)]) -> Value {
    let mut root = json!({});
    for (path, message) in errors {
        let mut node = &mut root;
        for key in path.split('.').filter(|k| !k.is_empty()) {
            node = &mut node[key];
        }
        let list = &mut node["_errors"];
        if list.is_null() {
            *list = json!([]);
        }
        list.as_array_mut()
            .expect("array")
            .push(json!({"code": "INVALID", "message": message}));
    }
    root
}

/// Discord refuses empty messages (50006) and content over 2000 characters (50035).
fn check_message(st: &mut State, what: &str, body: &Value) -> Option<Reply> {
    let content = body["content"].as_str().unwrap_or_default();
    let has = |key: &str| body[key].as_array().is_some_and(|a| !a.is_empty());
    let (status, code, message) = if content.chars().count() > 2000 {
        (400, 50035, "Invalid Form Body")
    } else if content.is_empty()
        && !has("embeds")
        && !has("components")
        && !has("attachments")
        && !has("sticker_ids")
        && !body.is_null()
    {
        (400, 50006, "Cannot send an empty message")
    } else {
        return None;
    };
    st.violation(format!("{what}: {message} (code {code})"));
    Some(Reply::error(status, code, message))
}

fn rate_limited(secs: f64) -> Reply {
    let body =
        json!({"message": "You are being rate limited.", "retry_after": secs, "global": false});
    let headers = vec![
        ("retry-after", secs.ceil().to_string()),
        ("x-ratelimit-limit", "5".into()),
        ("x-ratelimit-remaining", "0".into()),
        ("x-ratelimit-reset-after", format!("{secs:.3}")),
        ("x-ratelimit-bucket", "fake-dm-bucket".into()),
        ("x-ratelimit-scope", "user".into()),
    ];
    Reply {
        status: 429,
        body: Some(body),
        headers,
    }
}

fn unmodelled(st: &mut State, method: &str, path: &str) -> Reply {
    st.violation(format!(
        "the fake does not model {method} {path}; answered 404"
    ));
    Reply::error(404, 0, "404: Not Found")
}

/// A snowflake given as a string or a number.
fn id_of(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| value.as_str()?.parse().ok())
}

fn array_or_empty(value: &Value) -> Value {
    if value.is_array() {
        value.clone()
    } else {
        json!([])
    }
}

/// The `custom_id`s of the components in these action rows.
fn custom_ids(rows: &Value) -> Vec<String> {
    let components = rows
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten());
    components
        .filter_map(|c| c["custom_id"].as_str().map(str::to_owned))
        .collect()
}
