//! End to end: the real `nexudus-bot` binary against a loopback Discord and a
//! wiremock Nexudus, asserting what a member sees.

mod support;

use support::bot::{GUILD, LOGIN_TOKEN, WAIT, World, assert_no_secrets};
use support::fake_discord::FakeMember;
use serde_json::json;

const MEMBER: u64 = 555_000_000_000_000_001;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_of_a_linked_member_dms_a_one_time_portal_link_to_the_chosen_page() {
    let world = World::start().await;
    world.seed_link(MEMBER, 4242, "ada@coolspace.example").await;
    world.nexudus_mints(4242, LOGIN_TOKEN).await;
    let bot = world.spawn_bot().await;

    let member = FakeMember::member(MEMBER);
    let login = world
        .discord
        .slash_command(&member, GUILD, "login", json!([{"name": "page", "type": 3, "value": "Bookings"}]))
        .await;
    let reply = login.final_reply(WAIT).await;
    assert!(reply["content"].as_str().unwrap().contains("Check your direct messages"), "{reply}");
    let first = login.first_callback(WAIT).await;
    assert!(first.is_ephemeral(), "the first answer must be private");

    let dm = world.discord.wait_dm(MEMBER, WAIT).await;
    let button = &dm["components"][0]["components"][0];
    let url = url::Url::parse(button["url"].as_str().unwrap()).unwrap();
    assert_eq!(url.path(), "/en/user/login");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["t"], LOGIN_TOKEN);
    assert_eq!(query["redirectUrl"], "/en/bookings");
    assert!(world.discord.violations().is_empty(), "{:?}", world.discord.violations());

    let logs = bot.stop().await;
    assert_no_secrets(&logs, &[]);
}
