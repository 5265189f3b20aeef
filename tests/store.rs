//! The SQLite store against real files in temporary folders.

use std::path::Path;

use nexudus_bot::config::DatabasePath;
use nexudus_bot::email::MaskedEmail;
use nexudus_bot::request::{Action, Detail, Outcome};
use nexudus_bot::store::{Link, LinkChange, MIGRATIONS, NewAuditEntry, Store, StoreError};
use rusqlite::Connection;

fn file(path: &Path) -> DatabasePath {
    DatabasePath::File(path.to_owned())
}

fn link(discord_user_id: u64, nexudus_user_id: u64, email: &str) -> Link {
    Link {
        discord_user_id,
        nexudus_user_id,
        email: email.to_owned(),
        linked_at: 1_700_000_000,
        linked_by: discord_user_id,
        coworker_id: None,
    }
}

fn audit(at: i64, actor_id: u64, action: Action, target_user_id: Option<u64>) -> NewAuditEntry {
    NewAuditEntry {
        at,
        request_id: format!("req-{at}"),
        guild_id: Some(42),
        actor_id,
        action,
        target_user_id,
        target_email_masked: Some(MaskedEmail::new("member@example.com")),
        outcome: Outcome::DmSent,
        detail: None,
    }
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}

#[tokio::test]
async fn migrations_create_the_file_and_its_missing_parent_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/nested/nexudus-bot.db");
    let store = Store::open(&file(&path)).unwrap();
    assert!(path.is_file());
    store.ping().await.unwrap();
    assert_eq!(store.count_links().await.unwrap(), 0);
    assert_eq!(user_version(&path), MIGRATIONS.len() as i64);
    let mode: String = Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn links_survive_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    let ann = Link {
        linked_by: 999, // linked by a manager
        coworker_id: None,
        ..link(u64::MAX - 1, 7, "ann@example.com")
    };
    {
        let store = Store::open(&file(&path)).unwrap();
        assert_eq!(
            store.link(ann.clone()).await.unwrap(),
            LinkChange::default()
        );
    }
    let store = Store::open(&file(&path)).unwrap();
    assert_eq!(store.get_link(u64::MAX - 1).await.unwrap(), Some(ann));
    assert_eq!(store.get_link(1).await.unwrap(), None);
    assert_eq!(store.count_links().await.unwrap(), 1);
}

#[tokio::test]
async fn relinking_a_nexudus_user_to_another_discord_account_moves_it_and_reports_moved_from() {
    let store = Store::open(&DatabasePath::Memory).unwrap();
    store.link(link(1, 7, "ann@example.com")).await.unwrap();
    store.link(link(2, 8, "bob@example.com")).await.unwrap();

    // Discord account 2 now claims Nexudus user 7: it leaves account 1, and
    // account 2's own previous link (user 8) is replaced.
    let outcome = store.link(link(2, 7, "ann@example.com")).await.unwrap();
    assert_eq!(
        outcome,
        LinkChange {
            moved_from: Some(1),
            replaced: Some(link(2, 8, "bob@example.com")),
        }
    );
    assert_eq!(store.get_link(1).await.unwrap(), None);
    assert_eq!(
        store.get_link(2).await.unwrap(),
        Some(link(2, 7, "ann@example.com"))
    );
    assert_eq!(store.count_links().await.unwrap(), 1);

    // Relinking the same Nexudus user refreshes the row and reports nothing.
    let refreshed = Link {
        email: "ann@new.example.com".to_owned(),
        ..link(2, 7, "")
    };
    assert_eq!(
        store.link(refreshed.clone()).await.unwrap(),
        LinkChange::default()
    );
    assert_eq!(store.get_link(2).await.unwrap(), Some(refreshed));
}

#[tokio::test]
async fn unlink_returns_the_removed_link() {
    let store = Store::open(&DatabasePath::Memory).unwrap();
    store.link(link(1, 7, "ann@example.com")).await.unwrap();
    assert_eq!(
        store.unlink(1).await.unwrap(),
        Some(link(1, 7, "ann@example.com"))
    );
    assert_eq!(store.unlink(1).await.unwrap(), None);
    assert_eq!(store.get_link(1).await.unwrap(), None);
    // The Nexudus user is free to link again.
    store.link(link(3, 7, "ann@example.com")).await.unwrap();
}

#[tokio::test]
async fn the_audit_log_appends_and_returns_a_users_last_n_newest_first() {
    let store = Store::open(&DatabasePath::Memory).unwrap();
    let first = store
        .append_audit(audit(100, 1, Action::Login, None))
        .await
        .unwrap();
    let second = store
        .append_audit(audit(200, 9, Action::AdminLink, Some(1)))
        .await
        .unwrap();
    assert!(second > first);
    store
        .append_audit(audit(300, 2, Action::Login, None))
        .await
        .unwrap();
    store
        .append_audit(audit(300, 1, Action::ResetPassword, None))
        .await
        .unwrap();
    let moved = NewAuditEntry {
        detail: Some(Detail::MovedFrom(5)),
        ..audit(400, 1, Action::Link, Some(1))
    };
    store.append_audit(moved.clone()).await.unwrap();

    let recent = store.recent_audit_for_user(1, 3).await.unwrap();
    let actions: Vec<_> = recent.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["link", "reset_password", "admin_link"]);
    let newest = &recent[0];
    assert_eq!(
        (
            newest.at,
            newest.request_id.as_str(),
            newest.guild_id,
            newest.actor_id,
            newest.target_user_id,
            newest.outcome.as_str(),
            newest.detail.as_deref(),
        ),
        (
            400,
            "req-400",
            Some(42),
            1,
            Some(1),
            "dm_sent",
            Some("moved from Discord user 5")
        )
    );
    assert_eq!(
        newest.target_email_masked.as_ref().map(MaskedEmail::as_str),
        Some("m***@e***.com")
    );
    // Entries where the user is only the target count too.
    assert_eq!(recent[2].actor_id, 9);
    assert_eq!(store.recent_audit_for_user(1, 10).await.unwrap().len(), 4);
    assert!(
        store
            .recent_audit_for_user(77, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_concurrent_writes_and_reads_all_complete_from_one_connection() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&file(&dir.path().join("bot.db"))).unwrap();
    store.link(link(1, 10, "one@example.com")).await.unwrap();

    let tasks: Vec<_> = (0..500)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .append_audit(audit(i, 1, Action::Login, None))
                    .await
                    .unwrap();
                store.get_link(1).await.unwrap()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().map(|l| l.nexudus_user_id), Some(10));
    }

    assert_eq!(
        store.recent_audit_for_user(1, 1000).await.unwrap().len(),
        500
    );
}

#[tokio::test]
async fn a_store_keeps_working_after_the_runtime_that_opened_it_is_gone() {
    let store = Store::open(&DatabasePath::Memory).unwrap();
    std::thread::spawn({
        let store = store.clone();
        move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime
                .block_on(store.link(link(1, 10, "one@example.com")))
                .unwrap();
        }
    })
    .join()
    .unwrap();

    assert_eq!(store.count_links().await.unwrap(), 1);
}

#[tokio::test]
async fn the_audit_channel_can_be_set_changed_and_cleared() {
    let store = Store::open(&DatabasePath::Memory).unwrap();
    assert_eq!(store.audit_channel(42).await.unwrap(), None);
    store.set_audit_channel(42, Some(1000)).await.unwrap();
    store.set_audit_channel(43, Some(2000)).await.unwrap();
    store.set_audit_channel(42, Some(1001)).await.unwrap();
    assert_eq!(store.audit_channel(42).await.unwrap(), Some(1001));
    assert_eq!(store.audit_channels().await.unwrap(), [1001, 2000]);
    store.set_audit_channel(42, None).await.unwrap();
    assert_eq!(store.audit_channel(42).await.unwrap(), None);
    assert_eq!(store.audit_channel(43).await.unwrap(), Some(2000));
    assert_eq!(store.audit_channels().await.unwrap(), [2000]);
}

#[tokio::test]
async fn opening_a_database_written_by_an_older_migration_level_upgrades_it() {
    for level in 0..=MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // What an older build would have left behind.
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..level] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", level as i64)
                .unwrap();
            if level >= 1 {
                conn.execute(
                    "INSERT INTO links (discord_user_id, nexudus_user_id, email, linked_at, linked_by)
                     VALUES (1, 7, 'ann@example.com', 1700000000, 1)",
                    [],
                )
                .unwrap();
            }
        }
        let store = Store::open(&file(&path)).unwrap();
        assert_eq!(
            user_version(&path),
            MIGRATIONS.len() as i64,
            "from level {level}"
        );
        store
            .append_audit(audit(1, 1, Action::Login, None))
            .await
            .unwrap();
        if level >= 1 {
            assert_eq!(
                store.get_link(1).await.unwrap(),
                Some(link(1, 7, "ann@example.com"))
            );
        }
    }
}

#[test]
fn a_database_from_a_newer_build_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    let future = MIGRATIONS.len() as i64 + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", future)
        .unwrap();
    let error = Store::open(&file(&path)).unwrap_err();
    assert!(matches!(error, StoreError::UnknownSchema { found, .. } if found == future));
    assert_eq!(user_version(&path), future);
}

#[test]
fn an_unusable_folder_is_reported_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "").unwrap();
    let error = Store::open(&file(&blocker.join("bot.db"))).unwrap_err();
    assert!(
        matches!(error, StoreError::CreateFolder { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn sweeping_the_audit_log_deletes_only_rows_older_than_the_cutoff() {
    let store = Store::open(&DatabasePath::Memory).unwrap();
    for at in [100, 199, 200, 300] {
        store
            .append_audit(audit(at, 1, Action::Login, None))
            .await
            .unwrap();
    }

    assert_eq!(store.delete_audit_before(200).await.unwrap(), 2);

    let kept: Vec<i64> = store
        .recent_audit_for_user(1, 10)
        .await
        .unwrap()
        .iter()
        .map(|entry| entry.at)
        .collect();
    assert_eq!(kept, [300, 200]);
    assert_eq!(
        store.delete_audit_before(200).await.unwrap(),
        0,
        "a second sweep finds nothing"
    );
}

#[tokio::test]
async fn a_coworker_id_is_kept_with_its_link_and_forgotten_when_the_link_changes_user() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bot.db");
    {
        let store = Store::open(&file(&path)).unwrap();
        store.link(link(1, 7, "ann@example.com")).await.unwrap();
        store.set_coworker_id(1, 7, 900).await.unwrap();
        // A coworker learnt for a user the link no longer names is not stored.
        store.set_coworker_id(1, 8, 901).await.unwrap();
        assert_eq!(
            store.get_link(1).await.unwrap().unwrap().coworker_id,
            Some(900)
        );
        store.flush().await.unwrap();
    }
    let store = Store::open(&file(&path)).unwrap();
    assert_eq!(
        store.linked_members(),
        [nexudus_bot::store::LinkedMember {
            discord_user_id: 1,
            nexudus_user_id: 7,
            coworker_id: Some(900),
        }],
        "the coworker id survives a restart"
    );
    store.link(link(1, 8, "ann@new.example.com")).await.unwrap();
    assert_eq!(store.get_link(1).await.unwrap().unwrap().coworker_id, None);
}
