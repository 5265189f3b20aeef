//! End to end: the member reads the bot in their Discord language; the
//! commands carry their descriptions in every catalogue language.

mod support;

use nexudus_bot::i18n::{Catalogue, Locale};
use nexudus_bot::messages::Messages;
use serde_json::{Value, json};
use support::bot::{GUILD, LOGIN_TOKEN, WAIT, World, assert_no_secrets, assert_no_violations};
use support::fake_discord::FakeMember;

const MEMBER: u64 = 555_000_000_000_000_021;
const EMAIL: &str = "ines@coolspace.example";

/// A world where [`MEMBER`] is linked and Nexudus mints login tokens.
async fn linked_world() -> World {
    let world = World::start().await;
    world.seed_link(MEMBER, 4242, EMAIL).await;
    world.nexudus_mints(4242, LOGIN_TOKEN).await;
    world
}

/// [`MEMBER`], in `locale`, runs `/login`; returns the final reply's text and the DM.
async fn login_in(world: &World, locale: &str) -> (String, Value) {
    let member = FakeMember::member(MEMBER).with_locale(locale);
    let login = world
        .discord
        .slash_command(&member, GUILD, "login", json!([]))
        .await;
    let reply = login.final_reply(WAIT).await;
    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    (reply["content"].as_str().unwrap_or_default().to_owned(), dm)
}

fn dm_title(dm: &Value) -> &str {
    dm["embeds"][0]["title"].as_str().unwrap_or_default()
}

fn dm_button(dm: &Value) -> &str {
    dm["components"][0]["components"][0]["label"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_member_gets_the_login_reply_and_the_dm_in_french() {
    let world = linked_world().await;
    let bot = world.spawn_bot().await;

    let (reply, dm) = login_in(&world, "fr").await;
    let french = Messages::new(Locale::Fr);
    assert_eq!(reply, french.login_check_dms());
    assert_ne!(reply, Messages::default().login_check_dms());
    assert_eq!(dm_title(&dm), french.login_dm_title());
    assert_eq!(dm_button(&dm), french.login_button());
    let body = dm["embeds"][0]["description"].as_str().unwrap_or_default();
    assert_eq!(body, french.login_dm_body("Home"), "{dm}");
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[LOGIN_TOKEN]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_latin_american_spanish_member_gets_spanish() {
    let world = linked_world().await;
    let bot = world.spawn_bot().await;

    let (reply, dm) = login_in(&world, "es-419").await;
    let spanish = Messages::new(Locale::Es);
    assert_eq!(reply, spanish.login_check_dms());
    assert_eq!(dm_title(&dm), spanish.login_dm_title());
    assert_ne!(dm_title(&dm), Messages::default().login_dm_title());
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[LOGIN_TOKEN]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_in_a_language_without_a_catalogue_gets_english() {
    let world = linked_world().await;
    let bot = world.spawn_bot().await;

    let (reply, dm) = login_in(&world, "ja").await;
    let english = Messages::default();
    assert_eq!(reply, english.login_check_dms());
    assert_eq!(dm_title(&dm), english.login_dm_title());
    assert_eq!(dm_button(&dm), english.login_button());
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[LOGIN_TOKEN]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_link_form_is_titled_and_labelled_in_the_members_language() {
    let world = World::start().await;
    let bot = world.spawn_bot().await;

    let member = FakeMember::member(MEMBER).with_locale("fr");
    let open = world
        .discord
        .slash_command(&member, GUILD, "link", json!([]))
        .await;
    let form = open.first_callback(WAIT).await;
    assert_eq!(form.kind, 9, "/link answers with a modal: {form:?}");
    let french = Messages::new(Locale::Fr);
    assert_eq!(form.data["title"], french.link_modal_title());
    let labels: Vec<&str> = form.data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|input| input["label"].as_str())
        .collect();
    assert!(
        labels.contains(&french.link_modal_email().as_str()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&french.link_modal_password().as_str()),
        "{labels:?}"
    );
    assert!(!labels.contains(&Messages::default().link_modal_password().as_str()));
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registered_login_command_carries_its_description_in_every_catalogue_language() {
    let world = World::start().await;
    let bot = world.spawn_bot().await;
    world.discord.wait_commands_registered(WAIT).await;

    let put = world
        .discord
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .expect("the commands were registered with a PUT");
    let login = put.body.as_array().into_iter().flatten();
    let login = login
        .into_iter()
        .find(|command| command["name"] == "login")
        .expect("/login is registered");
    assert_eq!(
        login["description"],
        Catalogue::get().format(Locale::En, "cmd-login-description", None)
    );
    let localized = &login["description_localizations"];
    let catalogue = Catalogue::get();
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::En) {
        let expected = catalogue.format(locale, "cmd-login-description", None);
        for code in locale.discord_codes() {
            assert_eq!(localized[code], expected, "{code}: {login}");
        }
    }
    let page = &login["options"][0];
    assert_eq!(page["name"], "page", "names stay English");
    assert_eq!(
        page["description_localizations"]["fr"],
        catalogue.format(Locale::Fr, "cmd-login-page-description", None)
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panel_speaks_bot_locale_while_the_manager_reads_their_own_language() {
    const PANEL_CHANNEL: u64 = 888_000_000_000_000_012;
    let mut world = World::start().await;
    world.env.insert("BOT_LOCALE".into(), "de".into());
    let bot = world.spawn_bot().await;

    let manager = FakeMember::manager(555_000_000_000_000_022).with_locale("en-GB");
    let options = json!([{"name": "panel", "type": 1, "options": [
        {"name": "channel", "type": 7, "value": PANEL_CHANNEL.to_string()}
    ]}]);
    let posted = world
        .discord
        .slash_command(&manager, GUILD, "admin", options)
        .await;
    let said = posted.final_reply(WAIT).await;
    assert_eq!(
        said["content"],
        Messages::default().admin_panel_posted(PANEL_CHANNEL)
    );
    let panels = world.discord.channel_messages(PANEL_CHANNEL);
    let german = Messages::new(Locale::De);
    assert_eq!(panels[0]["embeds"][0]["title"], german.panel_title());
    assert_eq!(
        panels[0]["components"][0]["components"][0]["label"],
        german.panel_login()
    );
    assert_no_violations(&world);
    assert_no_secrets(&bot.stop().await, &[]);
}
