//! The Discord side of membership roles against the fake Discord: what
//! `DiscordRoles` reads and writes, how Discord's refusals come back, and what
//! `check` is told about the bot's role setup.

mod support;

use std::sync::Arc;

use nexudus_bot::discord::roles::{
    DiscordRoles, RoleAccessProblem, inspect_role_access, locate_roles,
};
use nexudus_bot::roles::{RoleWriteError, RoleWriter};
use serenity::all::{Http, HttpBuilder};
use support::fake_discord::{BOT_ROLE_POSITION, FakeDiscord, FakeDiscordOptions, FakeMember};

const GUILD: u64 = 333_333_333_333_333_333;
const OTHER_GUILD: u64 = 555_555_555_555_555_555;
const MEMBERS: u64 = 777_000_000_000_000_001;
const HOT_DESK: u64 = 777_000_000_000_000_002;
const NIGHT_OWLS: u64 = 777_000_000_000_000_003;
const NOWHERE: u64 = 777_000_000_000_000_009;
const ALICE: u64 = 4001;

async fn fake() -> FakeDiscord {
    let opts = FakeDiscordOptions {
        guild_ids: vec![GUILD, OTHER_GUILD],
        ..FakeDiscordOptions::default()
    };
    let fake = FakeDiscord::start(opts).await;
    fake.add_role(GUILD, MEMBERS, "Members", 1);
    fake.add_role(GUILD, HOT_DESK, "Hot desk", 2);
    fake.add_role(OTHER_GUILD, NIGHT_OWLS, "Night owls", 1);
    fake
}

fn http(fake: &FakeDiscord) -> Arc<Http> {
    Arc::new(
        HttpBuilder::new(&fake.options().token)
            .proxy(fake.base_url())
            .ratelimiter_disabled(true)
            .build(),
    )
}

#[tokio::test]
async fn roles_are_added_and_removed_with_the_reason_in_the_audit_log() {
    let fake = fake().await;
    fake.add_member(&FakeMember::member(ALICE).with_roles(&[HOT_DESK]));
    let roles = DiscordRoles::new(http(&fake));

    let reason = "Nexudus: active plan Hot desk";
    roles.add_role(GUILD, ALICE, MEMBERS, reason).await.unwrap();
    roles
        .remove_role(GUILD, ALICE, HOT_DESK, "Nexudus: plan ended")
        .await
        .unwrap();

    assert_eq!(
        roles.member_roles(GUILD, ALICE).await,
        Ok(Some(vec![MEMBERS]))
    );
    let reasons: Vec<Option<String>> = fake.role_writes().into_iter().map(|w| w.reason).collect();
    assert_eq!(
        reasons,
        vec![
            Some(reason.to_owned()),
            Some("Nexudus: plan ended".to_owned())
        ]
    );
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_forbidden_role_fails_as_forbidden_while_another_role_still_goes_through() {
    let fake = fake().await;
    fake.add_member(&FakeMember::member(ALICE));
    fake.forbid_role(HOT_DESK);
    let roles = DiscordRoles::new(http(&fake));

    let refused = roles.add_role(GUILD, ALICE, HOT_DESK, "sync").await;
    let given = roles.add_role(GUILD, ALICE, MEMBERS, "sync").await;

    assert_eq!(refused, Err(RoleWriteError::Forbidden));
    assert_eq!(given, Ok(()));
    assert_eq!(fake.member_roles(GUILD, ALICE), vec![MEMBERS]);
}

#[tokio::test]
async fn a_member_who_left_reads_as_absent_and_writes_fail_as_unknown_member() {
    let fake = fake().await;
    fake.add_member(&FakeMember::member(ALICE));
    fake.remove_member(GUILD, ALICE);
    let roles = DiscordRoles::new(http(&fake));

    assert_eq!(roles.member_roles(GUILD, ALICE).await, Ok(None));
    assert_eq!(
        roles.add_role(GUILD, ALICE, MEMBERS, "sync").await,
        Err(RoleWriteError::UnknownMember)
    );
    assert_eq!(
        roles.remove_role(GUILD, ALICE, MEMBERS, "sync").await,
        Err(RoleWriteError::UnknownMember)
    );
}

#[tokio::test]
async fn a_deleted_role_fails_as_unknown_role() {
    let fake = fake().await;
    fake.add_member(&FakeMember::member(ALICE));
    let roles = DiscordRoles::new(http(&fake));
    assert_eq!(
        roles.add_role(GUILD, ALICE, NOWHERE, "sync").await,
        Err(RoleWriteError::UnknownRole)
    );
}

#[tokio::test]
async fn an_unreachable_discord_fails_without_the_token_in_the_error() {
    let fake = fake().await;
    let token = fake.options().token.clone();
    let http = HttpBuilder::new(&token)
        .proxy("http://127.0.0.1:1")
        .ratelimiter_disabled(true)
        .build();
    let roles = DiscordRoles::new(Arc::new(http));
    let err = roles.add_role(GUILD, ALICE, MEMBERS, "sync").await;
    let Err(RoleWriteError::Failed(why)) = err else {
        panic!("expected a failure, got {err:?}");
    };
    assert!(!why.contains(&token), "{why}");
    assert!(!why.contains("fake.token"), "{why}");
}

#[tokio::test]
async fn managed_roles_are_found_in_their_servers_and_the_missing_are_named() {
    let fake = fake().await;
    let map = locate_roles(
        &http(&fake),
        &[GUILD, OTHER_GUILD],
        &[MEMBERS, NIGHT_OWLS, NOWHERE],
    )
    .await
    .unwrap();

    assert_eq!(map.guild_of(MEMBERS), Some(GUILD));
    assert_eq!(map.guild_of(NIGHT_OWLS), Some(OTHER_GUILD));
    assert_eq!(map.name_of(NIGHT_OWLS), Some("Night owls"));
    assert_eq!(map.guild_of(NOWHERE), None);
    assert_eq!(map.missing(), vec![NOWHERE]);
    assert_eq!(map.guilds(), vec![GUILD, OTHER_GUILD]);
    assert_eq!(map.roles_in(GUILD), vec![MEMBERS]);
    let role_lists = fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/roles"))
        .count();
    assert_eq!(role_lists, 2, "one role list per server");
}

#[tokio::test]
async fn locating_roles_in_a_server_the_bot_is_not_in_fails_naming_the_server() {
    let fake = fake().await;
    let err = locate_roles(&http(&fake), &[GUILD, 666], &[MEMBERS])
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("server 666"), "{err:#}");
}

#[tokio::test]
async fn a_bot_set_up_right_has_no_role_problem() {
    let fake = fake().await;
    let problems = inspect_role_access(
        &http(&fake),
        &[GUILD, OTHER_GUILD],
        &[MEMBERS, HOT_DESK, NIGHT_OWLS],
    )
    .await;
    assert_eq!(problems, vec![]);
}

#[tokio::test]
async fn check_names_a_role_in_no_server() {
    let fake = fake().await;
    let problems = inspect_role_access(&http(&fake), &[GUILD], &[MEMBERS, NOWHERE]).await;
    assert_eq!(
        problems,
        vec![RoleAccessProblem::UnknownRole { role: NOWHERE }]
    );
    assert!(problems[0].to_string().contains(&NOWHERE.to_string()));
}

#[tokio::test]
async fn check_flags_a_bot_without_manage_roles_and_a_role_above_the_bot() {
    let fake = fake().await;
    let bot_role = FakeDiscord::bot_role_id(GUILD);
    fake.set_role_permissions(GUILD, bot_role, 0);
    fake.add_role(GUILD, HOT_DESK, "Hot desk", BOT_ROLE_POSITION + 1);

    let problems = inspect_role_access(&http(&fake), &[GUILD], &[MEMBERS, HOT_DESK]).await;

    assert_eq!(
        problems,
        vec![
            RoleAccessProblem::NoManageRoles { guild: GUILD },
            RoleAccessProblem::RoleAboveBot {
                guild: GUILD,
                role: HOT_DESK,
                role_name: "Hot desk".into(),
                bot_top_name: "nexudus-bot".into(),
            },
        ]
    );
    let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(said[0].contains("Manage Roles"), "{}", said[0]);
    assert!(
        said[1].contains("drag the bot's role above `Hot desk`"),
        "{}",
        said[1]
    );
    assert_eq!(fake.violations(), Vec::<String>::new());
}

#[tokio::test]
async fn check_only_looks_at_servers_holding_a_managed_role() {
    let fake = fake().await;
    fake.set_bot_roles(OTHER_GUILD, &[]);
    let problems = inspect_role_access(&http(&fake), &[GUILD, OTHER_GUILD], &[MEMBERS]).await;
    assert_eq!(problems, vec![]);
}

#[tokio::test]
async fn check_reports_a_server_it_cannot_read_and_claims_no_role_missing() {
    let fake = fake().await;
    let problems = inspect_role_access(&http(&fake), &[GUILD, 666], &[MEMBERS, NOWHERE]).await;
    assert!(
        matches!(
            problems.as_slice(),
            [RoleAccessProblem::Unreadable { guild: 666, why }] if why.contains("10004")
        ),
        "{problems:?}"
    );
}
