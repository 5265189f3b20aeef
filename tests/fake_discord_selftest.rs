//! Proves the fake Discord works with the real serenity 0.12.5: an in-process
//! client, wired exactly like the bot (`HttpBuilder::proxy` + rate limiter off +
//! `ClientBuilder::new_with_http`), connects, gets interactions and answers them.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serenity::all::{
    ActionRowComponent, Client, ClientBuilder, Command, Context, CreateActionRow, CreateButton,
    CreateCommand, CreateCommandOption, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, CreateModal, EditInteractionResponse,
    EventHandler, GatewayError, GatewayIntents, Guild, GuildId, Http, HttpBuilder, HttpError,
    InputTextStyle, Interaction, Ready, ResolvedValue, RoleId, UserId,
};
use support::fake_discord::{
    BOT_ROLE_POSITION, FakeDiscord, FakeDiscordOptions, FakeMember, MANAGE_ROLES,
};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(5);

/// A minimal bot: notes what it sees (as text) and answers like nexudus-bot would.
struct Handler {
    notes: mpsc::UnboundedSender<String>,
}

impl Handler {
    fn note(&self, note: String) {
        let _ = self.notes.send(note);
    }
}

/// `ok`, or the HTTP status and Discord error code serenity reports.
fn outcome<T>(result: &serenity::Result<T>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(e))) => {
            format!("http {} code {}", e.status_code.as_u16(), e.error.code)
        }
        Err(e) => format!("error {e}"),
    }
}

fn ephemeral(content: &str) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(content)
            .ephemeral(true),
    )
}

fn commands() -> Vec<CreateCommand> {
    let member = CreateCommandOption::new(serenity::all::CommandOptionType::User, "member", "Who")
        .required(true);
    ["ping", "link", "slow", "twice", "edit-first"]
        .into_iter()
        .map(|name| CreateCommand::new(name).description(format!("The {name} command")))
        .chain([CreateCommand::new("whois")
            .description("Who is")
            .add_option(member)])
        .collect()
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.note("ready".into());
        for guild in &ready.guilds {
            let registered = guild.id.set_commands(&ctx.http, commands()).await;
            self.note(format!("registered {}", outcome(&registered)));
        }
    }

    async fn guild_create(&self, _ctx: Context, guild: Guild, _is_new: Option<bool>) {
        self.note(format!("guild_create {}", guild.id));
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let http = &ctx.http;
        match interaction {
            Interaction::Command(cmd) => match cmd.data.name.as_str() {
                "ping" => {
                    let deferred = cmd.defer_ephemeral(http).await;
                    self.note(format!("deferred {}", outcome(&deferred)));
                    let link = CreateButton::new_link("https://portal.example/en/user/login?t=x")
                        .label("Open the portal");
                    let dm = CreateMessage::new()
                        .content("Your login link")
                        .components(vec![CreateActionRow::Buttons(vec![link])]);
                    let mut sent = cmd.user.id.dm(http, dm.clone()).await;
                    if let Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(e))) = &sent
                        && e.status_code.as_u16() == 429
                    {
                        self.note(format!("dm first attempt {}", outcome(&sent)));
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        sent = cmd.user.id.dm(http, dm).await;
                    }
                    self.note(format!("dm {}", outcome(&sent)));
                    let reply = if sent.is_ok() {
                        "Check your DMs"
                    } else {
                        "Your DMs are closed"
                    };
                    let edited = cmd
                        .edit_response(http, EditInteractionResponse::new().content(reply))
                        .await;
                    self.note(format!("edited {}", outcome(&edited)));
                }
                "link" => {
                    let input = |label, id| {
                        CreateActionRow::InputText(CreateInputText::new(
                            InputTextStyle::Short,
                            label,
                            id,
                        ))
                    };
                    let modal = CreateModal::new("link-modal", "Link your account")
                        .components(vec![input("Email", "email"), input("Password", "password")]);
                    let opened = cmd
                        .create_response(http, CreateInteractionResponse::Modal(modal))
                        .await;
                    self.note(format!("modal opened {}", outcome(&opened)));
                }
                "whois" => {
                    for option in cmd.data.options() {
                        if let ResolvedValue::User(user, member) = option.value {
                            self.note(format!("whois {} member={}", user.name, member.is_some()));
                        }
                    }
                    let roles: Vec<u64> = cmd
                        .member
                        .as_ref()
                        .map(|m| m.roles.iter().map(|r| r.get()).collect())
                        .unwrap_or_default();
                    self.note(format!("caller roles {roles:?}"));
                    let _ = cmd.create_response(http, ephemeral("noted")).await;
                }
                "slow" => {
                    tokio::time::sleep(Duration::from_millis(3200)).await;
                    let late = cmd.create_response(http, ephemeral("too late")).await;
                    self.note(format!("slow {}", outcome(&late)));
                }
                "twice" => {
                    let _ = cmd.create_response(http, ephemeral("once")).await;
                    let again = cmd.create_response(http, ephemeral("twice")).await;
                    self.note(format!("twice {}", outcome(&again)));
                }
                "edit-first" => {
                    let early = cmd
                        .edit_response(http, EditInteractionResponse::new().content("early"))
                        .await;
                    self.note(format!("edit-first {}", outcome(&early)));
                }
                other => self.note(format!("unexpected command {other}")),
            },
            Interaction::Modal(modal) => {
                let fields: Vec<String> = modal
                    .data
                    .components
                    .iter()
                    .flat_map(|row| &row.components)
                    .filter_map(|c| match c {
                        ActionRowComponent::InputText(t) => Some(format!(
                            "{}={}",
                            t.custom_id,
                            t.value.as_deref().unwrap_or("")
                        )),
                        _ => None,
                    })
                    .collect();
                self.note(format!(
                    "modal {} by {} {}",
                    modal.data.custom_id,
                    modal.user.id,
                    fields.join(" ")
                ));
                let again = CreateButton::new("again").label("Again");
                let reply = CreateInteractionResponseMessage::new()
                    .content("Linked")
                    .ephemeral(true)
                    .components(vec![CreateActionRow::Buttons(vec![again])]);
                let _ = modal
                    .create_response(http, CreateInteractionResponse::Message(reply))
                    .await;
            }
            Interaction::Component(click) => {
                self.note(format!(
                    "button {} on message {}",
                    click.data.custom_id, click.message.id
                ));
                let _ = click
                    .create_response(http, CreateInteractionResponse::Acknowledge)
                    .await;
            }
            _ => self.note("unexpected interaction".into()),
        }
    }
}

/// What the in-process bot noted, read in order.
struct Notes(mpsc::UnboundedReceiver<String>, Vec<String>);

impl Notes {
    /// Takes the oldest note starting with `prefix`, waiting for it if need be.
    async fn expect(&mut self, prefix: &str) -> String {
        if let Some(i) = self.1.iter().position(|n| n.starts_with(prefix)) {
            return self.1.remove(i);
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.0.recv()).await {
                Ok(Some(note)) if note.starts_with(prefix) => return note,
                Ok(Some(note)) => self.1.push(note),
                _ => panic!("the bot never noted {prefix:?}; it noted {:?}", self.1),
            }
        }
    }
}

async fn start_bot(
    fake: &FakeDiscord,
    token: &str,
) -> (Notes, tokio::task::JoinHandle<serenity::Result<()>>) {
    let http = HttpBuilder::new(token)
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    let (notes, rx) = mpsc::unbounded_channel();
    let mut client: Client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler { notes })
        .await
        .expect("serenity client");
    (
        Notes(rx, vec![]),
        tokio::spawn(async move { client.start().await }),
    )
}

/// A fake with a connected bot whose commands are registered.
async fn connected() -> (FakeDiscord, Notes, u64) {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let (notes, _client) = start_bot(&fake, &fake.options().token.clone()).await;
    fake.wait_commands_registered(WAIT).await;
    let guild = fake.options().guild_ids[0];
    (fake, notes, guild)
}

fn content(message: &Value) -> &str {
    message["content"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_receives_ready_and_guild_create_registers_commands_and_heartbeats() {
    let opts = FakeDiscordOptions {
        guild_ids: vec![31, 32],
        heartbeat_interval_ms: 200,
        ..Default::default()
    };
    let fake = FakeDiscord::start(opts).await;
    let started = Instant::now();
    let (mut notes, _client) = start_bot(&fake, "MTIz.fake.token").await;
    fake.wait_identified(WAIT).await;
    notes.expect("ready").await;
    eprintln!(
        "READY latency (client build + connect + IDENTIFY + READY): {:?}",
        started.elapsed()
    );
    let mut guilds = vec![
        notes.expect("guild_create").await,
        notes.expect("guild_create").await,
    ];
    guilds.sort();
    assert_eq!(guilds, ["guild_create 31", "guild_create 32"]);

    let registered = fake.wait_commands_registered(WAIT).await;
    assert_eq!(registered.len(), 2 * commands().len());
    assert!(
        registered
            .iter()
            .all(|c| c["application_id"] == "111111111111111111" && c["id"].is_string())
    );
    assert!(
        registered
            .iter()
            .any(|c| c["name"] == "whois" && c["guild_id"] == "32")
    );
    assert_eq!(notes.expect("registered").await, "registered ok");
    assert_eq!(fake.registration_count(), 2);

    // serenity checks its heartbeat timer between reads (at most every 500 ms when idle); a
    // missing ack would make it reconnect, so two heartbeats on one connection prove the acks.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stats = fake.gateway_stats();
    assert!(stats.heartbeats >= 2, "heartbeats: {stats:?}");
    assert_eq!(
        (stats.connections, stats.identifies, stats.intents),
        (1, 1, Some(GatewayIntents::GUILDS.bits()))
    );
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slash_command_is_deferred_within_the_window_and_the_dm_is_recorded() {
    let (fake, mut notes, guild) = connected().await;
    let member = FakeMember::member(1001);
    let ix = fake.slash_command(&member, guild, "ping", json!([])).await;

    let callback = ix.first_callback(WAIT).await;
    eprintln!(
        "defer latency (dispatch -> callback): {:?}",
        callback.received_at - ix.sent_at
    );
    assert_eq!((callback.kind, callback.status), (5, 204));
    assert!(callback.is_ephemeral());
    assert!(callback.received_at - ix.sent_at < Duration::from_secs(3));

    let dm = fake.wait_dm(1001, WAIT).await;
    assert_eq!(content(&dm), "Your login link");
    assert_eq!(
        dm["components"][0]["components"][0]["url"],
        "https://portal.example/en/user/login?t=x"
    );
    assert_eq!(content(&ix.final_reply(WAIT).await), "Check your DMs");
    eprintln!("defer + DM + edit latency: {:?}", ix.sent_at.elapsed());
    assert_eq!(notes.expect("edited").await, "edited ok");

    let calls: Vec<String> = fake
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let position = |prefix: &str| {
        calls
            .iter()
            .position(|c| c.starts_with(prefix))
            .expect(prefix)
    };
    assert!(position("POST /api/v10/interactions/") < position("POST /api/v10/users/@me/channels"));
    assert_eq!(fake.dms_to(1001).len(), 1);
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_with_closed_dms_yields_a_serenity_error_with_code_50007() {
    let (fake, mut notes, guild) = connected().await;
    fake.close_dms(1002);
    let ix = fake
        .slash_command(&FakeMember::member(1002), guild, "ping", json!([]))
        .await;
    assert_eq!(notes.expect("dm").await, "dm http 403 code 50007");
    assert_eq!(content(&ix.final_reply(WAIT).await), "Your DMs are closed");
    assert!(fake.dms_to(1002).is_empty());
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_dm_answers_429_and_the_retry_is_delivered() {
    let (fake, mut notes, guild) = connected().await;
    fake.rate_limit_next_dm(1003, 0.05);
    fake.slash_command(&FakeMember::member(1003), guild, "ping", json!([]))
        .await;
    // Discord's 429 body has no `code`, so serenity reports -1; only the status tells.
    assert_eq!(
        notes.expect("dm first attempt").await,
        "dm first attempt http 429 code -1"
    );
    assert_eq!(notes.expect("dm").await, "dm ok");
    assert_eq!(fake.dms_to(1003).len(), 1);
    let statuses: Vec<u16> = fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/messages") && r.method == "POST")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modal_submit_and_a_button_click_deserialize_in_serenity() {
    let (fake, mut notes, guild) = connected().await;
    let member = FakeMember::member(1004);
    let opened = fake.slash_command(&member, guild, "link", json!([])).await;
    let modal = opened.first_callback(WAIT).await;
    assert_eq!(
        (modal.kind, &modal.data["custom_id"]),
        (9, &json!("link-modal"))
    );

    let submitted = fake
        .modal_submit(
            &member,
            guild,
            "link-modal",
            &[("email", "a@b.example"), ("password", "pw")],
        )
        .await;
    assert_eq!(
        notes.expect("modal link-modal").await,
        "modal link-modal by 1004 email=a@b.example password=pw"
    );
    let reply = submitted.final_reply(WAIT).await;
    assert_eq!(content(&reply), "Linked");

    let click = fake.button_click(&member, guild, "again").await;
    assert!(
        notes
            .expect("button")
            .await
            .starts_with("button again on message ")
    );
    assert_eq!(click.first_callback(WAIT).await.kind, 6);
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_option_arrives_resolved() {
    let (fake, mut notes, guild) = connected().await;
    fake.add_member(&FakeMember {
        username: "bob".into(),
        ..FakeMember::member(2002)
    });
    let options = json!([{"name": "member", "type": 6, "value": 2002}]);
    fake.slash_command(&FakeMember::manager(2001), guild, "whois", options)
        .await;
    assert_eq!(notes.expect("whois").await, "whois bob member=true");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_first_callback_is_refused_with_10062_and_reported() {
    let (fake, mut notes, guild) = connected().await;
    let ix = fake
        .slash_command(&FakeMember::member(1005), guild, "slow", json!([]))
        .await;
    assert_eq!(notes.expect("slow").await, "slow http 404 code 10062");
    assert_eq!(ix.callbacks()[0].status, 404);
    let violations = fake.violations();
    assert!(
        violations.len() == 1 && violations[0].contains("/slow: first callback"),
        "{violations:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_callback_is_refused_with_40060_and_reported() {
    let (fake, mut notes, guild) = connected().await;
    let ix = fake
        .slash_command(&FakeMember::member(1006), guild, "twice", json!([]))
        .await;
    assert_eq!(notes.expect("twice").await, "twice http 400 code 40060");
    assert_eq!(content(&ix.final_reply(WAIT).await), "once");
    let violations = fake.violations();
    assert!(
        violations.len() == 1 && violations[0].contains("/twice: second callback"),
        "{violations:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_before_any_callback_is_refused_with_10015() {
    let (fake, mut notes, guild) = connected().await;
    fake.slash_command(&FakeMember::member(1007), guild, "edit-first", json!([]))
        .await;
    assert_eq!(
        notes.expect("edit-first").await,
        "edit-first http 404 code 10015"
    );
    assert!(fake.violations()[0].contains("before any callback"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_is_closed_with_4004_and_the_client_stops() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let (_notes, client) = start_bot(&fake, "MTIz.wrong.token").await;
    let result = tokio::time::timeout(WAIT, client)
        .await
        .expect("client stops")
        .expect("client task");
    assert!(
        matches!(
            result,
            Err(serenity::Error::Gateway(
                GatewayError::InvalidAuthentication
            ))
        ),
        "{result:?}"
    );
    assert!(fake.violations().iter().any(|v| v.contains("wrong token")));
}

#[tokio::test]
async fn invalid_command_definitions_are_refused_with_50035() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let http = HttpBuilder::new("MTIz.fake.token")
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build();
    http.set_application_id(fake.options().application_id.into());
    let bad = CreateCommand::new("Bad Name").description("x");
    let result = GuildId::new(fake.options().guild_ids[0])
        .set_commands(&http, vec![bad])
        .await;
    assert_eq!(outcome(&result), "http 400 code 50035");
    let ok = Command::set_global_commands(&http, commands()).await;
    assert_eq!(outcome(&ok), "ok");
    assert!(fake.violations()[0].contains("invalid name \"Bad Name\""));
}

#[tokio::test]
#[should_panic(expected = "the bot never opened that modal")]
async fn submitting_a_modal_the_bot_never_opened_panics_with_a_clear_message() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    fake.modal_submit(&FakeMember::member(1), 333_333_333_333_333_333, "nope", &[])
        .await;
}

#[tokio::test]
#[should_panic(expected = "serenity 0.12.5 would drop /ping")]
async fn an_interaction_serenity_would_drop_panics_before_it_is_sent() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let data = json!({"name": "ping", "type": 1}); // no command `id`
    fake.send_interaction(
        2,
        &FakeMember::member(1),
        333_333_333_333_333_333,
        data,
        None,
    )
    .await;
}

/// A REST-only serenity client against the fake, wired like the bot's.
fn rest_client(fake: &FakeDiscord) -> Http {
    HttpBuilder::new(&fake.options().token)
        .proxy(fake.base_url())
        .ratelimiter_disabled(true)
        .build()
}

const MEMBERS_ROLE: u64 = 777_000_000_000_000_001;
const PLAN_ROLE: u64 = 777_000_000_000_000_002;

#[tokio::test]
async fn a_guild_lists_everyone_the_bots_role_and_the_roles_added() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let guild = fake.options().guild_ids[0];
    fake.add_role(guild, MEMBERS_ROLE, "Members", 3);
    let roles = rest_client(&fake)
        .get_guild_roles(GuildId::new(guild))
        .await
        .expect("serenity reads the role list");
    let mut seen: Vec<(u64, &str, u16)> = roles
        .iter()
        .map(|r| (r.id.get(), r.name.as_str(), r.position))
        .collect();
    seen.sort_by_key(|(_, _, position)| *position);
    let bot_role = FakeDiscord::bot_role_id(guild);
    assert_eq!(
        seen,
        vec![
            (guild, "@everyone", 0),
            (MEMBERS_ROLE, "Members", 3),
            (bot_role, "nexudus-bot", BOT_ROLE_POSITION as u16),
        ]
    );
    let bot = roles
        .iter()
        .find(|r| r.id.get() == bot_role)
        .expect("bot role");
    assert!(bot.permissions.manage_roles());
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_member_reads_with_their_roles_and_one_who_left_is_unknown_member_10007() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let guild = fake.options().guild_ids[0];
    fake.add_member(&FakeMember::member(3001).with_roles(&[MEMBERS_ROLE]));
    let http = rest_client(&fake);
    let member = http
        .get_member(GuildId::new(guild), UserId::new(3001))
        .await
        .expect("serenity reads the member");
    assert_eq!(member.roles, vec![RoleId::new(MEMBERS_ROLE)]);
    assert_eq!(member.user.id.get(), 3001);

    fake.remove_member(guild, 3001);
    let left = http
        .get_member(GuildId::new(guild), UserId::new(3001))
        .await;
    assert_eq!(outcome(&left), "http 404 code 10007");
    let stranger = http
        .get_member(GuildId::new(guild), UserId::new(3002))
        .await;
    assert_eq!(outcome(&stranger), "http 404 code 10007");
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn the_bot_reads_itself_as_a_member_holding_its_role() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let guild = fake.options().guild_ids[0];
    let http = rest_client(&fake);
    let me = http.get_current_user().await.expect("current user");
    let member = http
        .get_member(GuildId::new(guild), me.id)
        .await
        .expect("the bot's member");
    assert_eq!(
        member.roles,
        vec![RoleId::new(FakeDiscord::bot_role_id(guild))]
    );
    fake.set_bot_roles(guild, &[]);
    assert_eq!(fake.member_roles(guild, me.id.get()), Vec::<u64>::new());
}

#[tokio::test]
async fn role_writes_change_the_members_roles_and_record_the_decoded_reason() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let guild = fake.options().guild_ids[0];
    fake.add_role(guild, MEMBERS_ROLE, "Members", 1);
    fake.add_role(guild, PLAN_ROLE, "Hot desk", 2);
    fake.add_member(&FakeMember::member(3003).with_roles(&[PLAN_ROLE]));
    let http = rest_client(&fake);
    let (g, u) = (GuildId::new(guild), UserId::new(3003));
    let reason = "Nexudus plan: Hot desk ✓ (linked)";
    let added = http
        .add_member_role(g, u, RoleId::new(MEMBERS_ROLE), Some(reason))
        .await;
    assert_eq!(outcome(&added), "ok");
    let removed = http
        .remove_member_role(g, u, RoleId::new(PLAN_ROLE), Some("no active plan"))
        .await;
    assert_eq!(outcome(&removed), "ok");

    assert_eq!(fake.member_roles(guild, 3003), vec![MEMBERS_ROLE]);
    let writes: Vec<(String, u16, Option<String>)> = fake
        .role_writes()
        .into_iter()
        .map(|w| (w.method, w.status, w.reason))
        .collect();
    assert_eq!(
        writes,
        vec![
            ("PUT".into(), 204, Some(reason.into())),
            ("DELETE".into(), 204, Some("no active plan".into())),
        ]
    );
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn role_writes_are_refused_like_discord_refuses_them() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let guild = fake.options().guild_ids[0];
    fake.add_role(guild, MEMBERS_ROLE, "Members", 1);
    fake.add_role(guild, PLAN_ROLE, "Hot desk", BOT_ROLE_POSITION + 1);
    fake.add_member(&FakeMember::member(3004));
    let http = rest_client(&fake);
    let (g, u) = (GuildId::new(guild), UserId::new(3004));
    let add = |role: u64| http.add_member_role(g, u, RoleId::new(role), Some("sync"));

    assert_eq!(outcome(&add(12345).await), "http 404 code 10011");
    assert_eq!(outcome(&add(PLAN_ROLE).await), "http 403 code 50013");
    let stranger = http
        .add_member_role(
            g,
            UserId::new(3005),
            RoleId::new(MEMBERS_ROLE),
            Some("sync"),
        )
        .await;
    assert_eq!(outcome(&stranger), "http 404 code 10007");

    fake.forbid_role(MEMBERS_ROLE);
    assert_eq!(outcome(&add(MEMBERS_ROLE).await), "http 403 code 50013");

    let bot_role = FakeDiscord::bot_role_id(guild);
    fake.add_role(guild, PLAN_ROLE, "Hot desk", 2);
    assert_eq!(outcome(&add(PLAN_ROLE).await), "ok");
    fake.set_role_permissions(guild, bot_role, 0);
    let removed = http
        .remove_member_role(g, u, RoleId::new(PLAN_ROLE), Some("sync"))
        .await;
    assert_eq!(outcome(&removed), "http 403 code 50013");
    fake.set_role_permissions(guild, bot_role, MANAGE_ROLES);

    assert_eq!(fake.member_roles(guild, 3004), vec![PLAN_ROLE]);
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_role_write_without_an_audit_log_reason_is_a_violation() {
    let fake = FakeDiscord::start(FakeDiscordOptions::default()).await;
    let guild = fake.options().guild_ids[0];
    fake.add_role(guild, MEMBERS_ROLE, "Members", 1);
    fake.add_member(&FakeMember::member(3006));
    let added = rest_client(&fake)
        .add_member_role(
            GuildId::new(guild),
            UserId::new(3006),
            RoleId::new(MEMBERS_ROLE),
            None,
        )
        .await;
    assert_eq!(outcome(&added), "ok");
    let violations = fake.violations();
    assert!(
        violations.len() == 1 && violations[0].contains("without an X-Audit-Log-Reason"),
        "{violations:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn later_interactions_carry_the_roles_the_bot_gave() {
    let (fake, mut notes, guild) = connected().await;
    fake.add_role(guild, MEMBERS_ROLE, "Members", 1);
    let member = FakeMember::member(3007);
    fake.add_member(&member);
    let http = rest_client(&fake);
    let added = http
        .add_member_role(
            GuildId::new(guild),
            UserId::new(3007),
            RoleId::new(MEMBERS_ROLE),
            Some("linked"),
        )
        .await;
    assert_eq!(outcome(&added), "ok");
    let options = json!([{"name": "member", "type": 6, "value": 3007}]);
    fake.slash_command(&member, guild, "whois", options).await;
    assert_eq!(
        notes.expect("caller roles").await,
        format!("caller roles [{MEMBERS_ROLE}]")
    );
    assert_eq!(fake.violations(), Vec::<String>::new());
}
