//! SQLite storage: account links, guild settings and an
//! append-only audit log.
//!
//! One connection, owned by one thread of its own (`sqlite`) that runs the
//! statements sent to it in order, so the async runtime never waits on disk.
//! The bot's write rate is a few statements per member command: one
//! connection is plenty, and it serialises writers without `SQLITE_BUSY`
//! dances. A dedicated thread rather than Tokio's blocking pool: under a burst
//! of a thousand commands the pool would start a thread per statement waiting
//! on the connection's lock (it grew past 500 in a stress run); here a
//! statement costs a channel send and one wake-up, and the thread count stays
//! fixed.
//!
//! Links are also kept in memory, written through by the database thread
//! after each commit: `/login` and `/account` read them before answering,
//! and in a burst that round trip to the thread was a large part of the
//! bot's time to first answer. A space has at most a few thousand members
//! (about 100 bytes each). Links changed outside the bot (an operator's
//! `sqlite3` shell) are seen after a restart.
//!
//! Discord and Nexudus ids are `u64`; SQLite integers are `i64`. Ids are stored
//! bit-for-bit ([`u64::cast_signed`]), so every `u64` round-trips (only ids
//! above `i64::MAX`, i.e. snowflakes from after 2084, would look negative in
//! the `sqlite3` shell).
//!
//! No secret ever reaches this module: no token, password or login URL is
//! stored, and the audit log only accepts [`MaskedEmail`]s.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dashmap::DashMap;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::config::DatabasePath;
use crate::email::MaskedEmail;
use crate::request::{Action, Detail, Outcome};

/// The schema's history, oldest first: entry `n` takes the database from
/// `PRAGMA user_version` `n` to `n + 1`. Append only; never edit a shipped entry.
pub const MIGRATIONS: &[&str] = &[
    // 1: links, guild settings, audit log.
    "CREATE TABLE links (
        discord_user_id INTEGER PRIMARY KEY NOT NULL,
        nexudus_user_id INTEGER NOT NULL UNIQUE,
        email           TEXT    NOT NULL,
        linked_at       INTEGER NOT NULL,
        linked_by       INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE guild_settings (
        guild_id         INTEGER PRIMARY KEY NOT NULL,
        audit_channel_id INTEGER
    ) STRICT;
    CREATE TABLE audit_log (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        at                  INTEGER NOT NULL,
        request_id          TEXT    NOT NULL,
        guild_id            INTEGER,
        actor_id            INTEGER NOT NULL,
        action              TEXT    NOT NULL,
        target_user_id      INTEGER,
        target_email_masked TEXT,
        outcome             TEXT    NOT NULL,
        detail              TEXT
    ) STRICT;
    CREATE INDEX audit_log_by_actor  ON audit_log (actor_id, at);
    CREATE INDEX audit_log_by_target ON audit_log (target_user_id, at);",
    // 2: the Nexudus coworker behind a link, learnt once for membership roles.
    "ALTER TABLE links ADD COLUMN coworker_id INTEGER;",
];

/// How long a statement waits for a lock held by another process (say an
/// operator's `sqlite3` shell) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A storage failure. Messages name the operation, never row data; the
/// source chain carries SQLite's own message (constraint names, no values).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the database folder {}", path.display())]
    CreateFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the database {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database migration to schema version {version} failed")]
    Migration {
        version: i64,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "the database has schema version {found}, which this build does not know \
         (it knows up to {known}): is it from a newer nexudus-bot?"
    )]
    UnknownSchema { found: i64, known: usize },
    #[error("database operation `{op}` failed")]
    Query {
        op: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot start the database thread")]
    Thread {
        #[source]
        source: std::io::Error,
    },
    /// The operation panicked (a bug, logged by the panic hook), or the
    /// database thread is gone.
    #[error("database operation `{op}` did not complete")]
    Interrupted { op: &'static str },
}

/// A Discord account linked to a Nexudus user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub discord_user_id: u64,
    pub nexudus_user_id: u64,
    /// The Nexudus account's email (used for `/reset-password` without `email`).
    pub email: String,
    /// Unix seconds.
    pub linked_at: i64,
    /// Who linked it: the member themself, or a manager (`/admin link`).
    pub linked_by: u64,
    /// The Nexudus coworker of this user, once membership roles looked it up.
    pub coworker_id: Option<u64>,
}

/// The ids of one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkedMember {
    pub discord_user_id: u64,
    pub nexudus_user_id: u64,
    pub coworker_id: Option<u64>,
}

/// What [`Store::link`] changed besides storing the new link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkChange {
    /// The Discord account the Nexudus user was linked to before, now unlinked
    /// (one Discord account per Nexudus user).
    pub moved_from: Option<u64>,
    /// This Discord account's previous link, when it pointed at a different
    /// Nexudus user. Relinking the same Nexudus user just refreshes the row.
    pub replaced: Option<Link>,
}

/// Now, in Unix seconds (for [`Link::linked_at`] and [`NewAuditEntry::at`]).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// An audit event to append. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// Ties the entry to the logs and to the audit-channel post.
    pub request_id: String,
    pub guild_id: Option<u64>,
    /// Who ran the command.
    pub actor_id: u64,
    pub action: Action,
    /// The member acted on, when not the actor (or also the actor).
    pub target_user_id: Option<u64>,
    pub target_email_masked: Option<MaskedEmail>,
    pub outcome: Outcome,
    pub detail: Option<Detail>,
}

/// A stored audit event, as text: rows may come from other versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub request_id: String,
    pub guild_id: Option<u64>,
    pub actor_id: u64,
    pub action: String,
    pub target_user_id: Option<u64>,
    pub target_email_masked: Option<MaskedEmail>,
    pub outcome: String,
    pub detail: Option<String>,
}

/// Work for the database thread: runs with the connection and sends its
/// result back itself.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// The bot's database. Cloning is cheap and shares the connection; the
/// database thread ends, closing it, once the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    /// Every stored link by Discord user id; only the database thread writes it.
    links: Arc<DashMap<u64, Link>>,
}

impl Store {
    /// Opens (creating it and its folder if needed) and migrates the database.
    ///
    /// Blocking: call it at start-up, before serving, or on the blocking pool.
    pub fn open(path: &DatabasePath) -> Result<Store, StoreError> {
        let opened = match path {
            DatabasePath::Memory => {
                open_memory().map_err(|source| (PathBuf::from(":memory:"), source))
            }
            DatabasePath::File(file) => {
                create_parent_folder(file)?;
                open_file(file).map_err(|source| (file.clone(), source))
            }
        };
        let mut conn = opened.map_err(|(path, source)| StoreError::Open { path, source })?;
        migrate(&mut conn)?;
        let links = Arc::new(all_links(&conn).map_err(|source| StoreError::Query {
            op: "load links",
            source,
        })?);
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite".to_owned())
            .spawn(move || serve(conn, queue))
            .map_err(|source| StoreError::Thread { source })?;
        Ok(Store { jobs, links })
    }

    /// Readiness probe: the database thread runs and answers `SELECT 1`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run("ping", |conn| conn.query_row("SELECT 1", [], |_| Ok(())))
            .await
    }

    /// The account's link, from memory (see the module docs).
    pub async fn get_link(&self, discord_user_id: u64) -> Result<Option<Link>, StoreError> {
        Ok(self
            .links
            .get(&discord_user_id)
            .map(|link| link.value().clone()))
    }

    /// Stores `link`, replacing this Discord account's link and moving the
    /// Nexudus user away from any other Discord account, in one transaction.
    pub async fn link(&self, link: Link) -> Result<LinkChange, StoreError> {
        let links = Arc::clone(&self.links);
        self.run("link", move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let previous = tx
                .query_row(
                    &format!("SELECT {LINK_COLUMNS} FROM links WHERE discord_user_id = ?1"),
                    [id_to_sql(link.discord_user_id)],
                    link_from_row,
                )
                .optional()?;
            let moved_from = tx
                .query_row(
                    "DELETE FROM links WHERE nexudus_user_id = ?1 AND discord_user_id <> ?2
                     RETURNING discord_user_id",
                    [
                        id_to_sql(link.nexudus_user_id),
                        id_to_sql(link.discord_user_id),
                    ],
                    |row| row.get(0).map(id_from_sql),
                )
                .optional()?;
            tx.execute(
                "INSERT INTO links (discord_user_id, nexudus_user_id, email, linked_at, linked_by, coworker_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (discord_user_id) DO UPDATE SET
                     nexudus_user_id = excluded.nexudus_user_id,
                     email = excluded.email,
                     linked_at = excluded.linked_at,
                     linked_by = excluded.linked_by,
                     coworker_id = excluded.coworker_id",
                params![
                    id_to_sql(link.discord_user_id),
                    id_to_sql(link.nexudus_user_id),
                    link.email,
                    link.linked_at,
                    id_to_sql(link.linked_by),
                    link.coworker_id.map(id_to_sql),
                ],
            )?;
            tx.commit()?;
            if let Some(moved_from) = moved_from {
                links.remove(&moved_from);
            }
            let replaced = previous.filter(|p| p.nexudus_user_id != link.nexudus_user_id);
            links.insert(link.discord_user_id, link);
            Ok(LinkChange {
                moved_from,
                replaced,
            })
        })
        .await
    }

    /// Forgets a Discord account's link; returns it if there was one.
    pub async fn unlink(&self, discord_user_id: u64) -> Result<Option<Link>, StoreError> {
        let links = Arc::clone(&self.links);
        self.run("unlink", move |conn| {
            let removed = conn
                .query_row(
                    &format!(
                        "DELETE FROM links WHERE discord_user_id = ?1 RETURNING {LINK_COLUMNS}"
                    ),
                    [id_to_sql(discord_user_id)],
                    link_from_row,
                )
                .optional()?;
            links.remove(&discord_user_id);
            Ok(removed)
        })
        .await
    }

    /// Remembers the Nexudus coworker behind a link (membership roles look it
    /// up once). Does nothing if the link is gone or now names another user.
    pub async fn set_coworker_id(
        &self,
        discord_user_id: u64,
        nexudus_user_id: u64,
        coworker_id: u64,
    ) -> Result<(), StoreError> {
        let links = Arc::clone(&self.links);
        self.run("set_coworker_id", move |conn| {
            let changed = conn.execute(
                "UPDATE links SET coworker_id = ?3
                 WHERE discord_user_id = ?1 AND nexudus_user_id = ?2",
                params![
                    id_to_sql(discord_user_id),
                    id_to_sql(nexudus_user_id),
                    id_to_sql(coworker_id)
                ],
            )?;
            if changed > 0
                && let Some(mut link) = links.get_mut(&discord_user_id)
            {
                link.coworker_id = Some(coworker_id);
            }
            Ok(())
        })
        .await
    }

    /// Who is linked to whom, from memory: what a reconcile walks (without
    /// the emails, so a pass over many members stays small).
    pub fn linked_members(&self) -> Vec<LinkedMember> {
        self.links
            .iter()
            .map(|link| LinkedMember {
                discord_user_id: link.discord_user_id,
                nexudus_user_id: link.nexudus_user_id,
                coworker_id: link.coworker_id,
            })
            .collect()
    }

    /// Number of linked members (for `/admin stats`).
    pub async fn count_links(&self) -> Result<u64, StoreError> {
        self.run("count_links", |conn| {
            conn.query_row("SELECT COUNT(*) FROM links", [], |row| row.get::<_, i64>(0))
        })
        .await
        // COUNT(*) is never negative.
        .map(|count| u64::try_from(count).unwrap_or_default())
    }

    /// Sets (`Some`) or clears (`None`) the guild's audit channel.
    pub async fn set_audit_channel(
        &self,
        guild_id: u64,
        channel_id: Option<u64>,
    ) -> Result<(), StoreError> {
        self.run("set_audit_channel", move |conn| {
            conn.execute(
                "INSERT INTO guild_settings (guild_id, audit_channel_id) VALUES (?1, ?2)
                 ON CONFLICT (guild_id) DO UPDATE SET audit_channel_id = excluded.audit_channel_id",
                params![id_to_sql(guild_id), channel_id.map(id_to_sql)],
            )
            .map(drop)
        })
        .await
    }

    /// The guild's audit channel, if one is set.
    pub async fn audit_channel(&self, guild_id: u64) -> Result<Option<u64>, StoreError> {
        self.run("audit_channel", move |conn| {
            conn.prepare_cached("SELECT audit_channel_id FROM guild_settings WHERE guild_id = ?1")?
                .query_row([id_to_sql(guild_id)], |row| row.get::<_, Option<i64>>(0))
                .optional()
                .map(|channel| channel.flatten().map(id_from_sql))
        })
        .await
    }

    /// Every configured audit channel (for the bot's own events, such as a Nexudus outage).
    pub async fn audit_channels(&self) -> Result<Vec<u64>, StoreError> {
        self.run("audit_channels", |conn| {
            conn.prepare_cached(
                "SELECT audit_channel_id FROM guild_settings WHERE audit_channel_id IS NOT NULL
                 ORDER BY guild_id",
            )?
            .query_map([], |row| row.get::<_, i64>(0).map(id_from_sql))?
            .collect()
        })
        .await
    }

    /// Appends an audit event; returns its id.
    pub async fn append_audit(&self, entry: NewAuditEntry) -> Result<i64, StoreError> {
        self.run("append_audit", move |conn| insert_audit(conn, entry))
            .await
    }

    /// Appends an audit event without waiting for the write, so a member's
    /// reply never waits on the disk. It is written after every operation
    /// queued before it and before any queued after it: a later read through
    /// this store (`/admin whois`) sees it. A failure is logged.
    pub fn queue_audit(&self, entry: NewAuditEntry) {
        let job: Job = Box::new(move |conn| {
            if let Err(err) = insert_audit(conn, entry) {
                // SQLite's message names constraints, never bound values.
                tracing::error!(error = %err, "writing the audit log failed");
            }
        });
        if self.jobs.send(job).is_err() {
            tracing::error!("writing the audit log failed: the database thread is gone");
        }
    }

    /// Frees SQLite's page cache, then gives the process's free heap back to
    /// the system ([`crate::heap::release_free_memory`]), on the database
    /// thread after the operations queued before it. For quiet moments:
    /// the next statements read their pages from disk (or the OS cache) again.
    pub fn release_memory(&self) {
        let job: Job = Box::new(|conn| {
            if let Err(err) = conn.release_memory() {
                tracing::warn!(error = %err, "freeing SQLite's page cache failed");
            }
            let trimmed = crate::heap::release_free_memory();
            tracing::debug!(trimmed, "memory released");
        });
        // Gone only while shutting down, when memory no longer matters.
        let _ = self.jobs.send(job);
    }

    /// Waits until every operation queued so far is done (queued audit rows
    /// included): call it before the process exits.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.run("flush", |_conn| Ok(())).await
    }

    /// Deletes audit rows written before `before` (UNIX seconds); returns how
    /// many went. Run once a day, so a full scan is cheap enough.
    pub async fn delete_audit_before(&self, before: i64) -> Result<usize, StoreError> {
        self.run("delete_audit_before", move |conn| {
            conn.execute("DELETE FROM audit_log WHERE at < ?1", params![before])
        })
        .await
    }

    /// The user's last `limit` audit events, as actor or as target, newest first.
    pub async fn recent_audit_for_user(
        &self,
        discord_user_id: u64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        self.run("recent_audit_for_user", move |conn| {
            // The OR is answered from both indexes (SQLite's multi-index OR).
            conn.prepare_cached(
                "SELECT id, at, request_id, guild_id, actor_id, action,
                        target_user_id, target_email_masked, outcome, detail
                 FROM audit_log
                 WHERE actor_id = ?1 OR target_user_id = ?1
                 ORDER BY at DESC, id DESC
                 LIMIT ?2",
            )?
            .query_map(params![id_to_sql(discord_user_id), limit], audit_from_row)?
            .collect()
        })
        .await
    }

    /// Runs `f` with the connection on the database thread, after the
    /// operations queued before it.
    ///
    /// Once queued, `f` runs even if the caller stops waiting (an audit row
    /// is written even when its request is cancelled).
    async fn run<T, F>(&self, op: &'static str, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            // The caller may have stopped waiting; the work is done either way.
            let _ = reply.send(f(conn).map_err(|source| StoreError::Query { op, source }));
        });
        self.jobs
            .send(job)
            .map_err(|_| StoreError::Interrupted { op })?;
        answer.await.map_err(|_| StoreError::Interrupted { op })?
    }
}

/// The database thread: runs jobs in order until every [`Store`] is dropped.
fn serve(mut conn: Connection, queue: mpsc::Receiver<Job>) {
    for job in queue {
        // A panicking job fails its own caller (its reply is dropped) and no
        // other: the connection is still sound, since an open `Transaction`
        // rolls back when dropped during unwinding.
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut conn)));
    }
}

fn create_parent_folder(file: &Path) -> Result<(), StoreError> {
    match file
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        Some(folder) => {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::CreateFolder {
                path: folder.to_owned(),
                source,
            })
        }
        None => Ok(()),
    }
}

fn open_file(file: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(file)?;
    configure(&conn)?;
    // WAL: readers never block the writer. `synchronous = NORMAL` is the usual
    // WAL pairing: durable except for the last commits on power loss, never corrupt.
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(
            mode,
            "SQLite refused WAL mode; continuing with this journal mode"
        );
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

fn open_memory() -> rusqlite::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    Ok(conn)
}

/// Settings every connection gets, file or memory.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)
}

/// Applies the [`MIGRATIONS`] the database lacks, each in its own transaction.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|source| StoreError::Query {
            op: "read schema version",
            source,
        })?;
    let known = MIGRATIONS.len();
    let applied = usize::try_from(found)
        .ok()
        .filter(|&applied| applied <= known)
        .ok_or(StoreError::UnknownSchema { found, known })?;
    for (version, sql) in (1_i64..).zip(MIGRATIONS).skip(applied) {
        let apply = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()
        };
        apply(conn).map_err(|source| StoreError::Migration { version, source })?;
        tracing::info!(version, "database schema migrated");
    }
    Ok(())
}

fn insert_audit(conn: &Connection, entry: NewAuditEntry) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, request_id, guild_id, actor_id, action,
             target_user_id, target_email_masked, outcome, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .insert(params![
        entry.at,
        entry.request_id,
        entry.guild_id.map(id_to_sql),
        id_to_sql(entry.actor_id),
        entry.action.as_str(),
        entry.target_user_id.map(id_to_sql),
        entry.target_email_masked.map(MaskedEmail::into_string),
        entry.outcome.as_str(),
        entry.detail.map(|detail| detail.to_string()),
    ])
}

/// Every link, for the in-memory copy.
fn all_links(conn: &Connection) -> rusqlite::Result<DashMap<u64, Link>> {
    conn.prepare(&format!("SELECT {LINK_COLUMNS} FROM links"))?
        .query_map([], link_from_row)?
        .map(|link| link.map(|link| (link.discord_user_id, link)))
        .collect()
}

const LINK_COLUMNS: &str =
    "discord_user_id, nexudus_user_id, email, linked_at, linked_by, coworker_id";

fn link_from_row(row: &Row<'_>) -> rusqlite::Result<Link> {
    Ok(Link {
        discord_user_id: id_from_sql(row.get(0)?),
        nexudus_user_id: id_from_sql(row.get(1)?),
        email: row.get(2)?,
        linked_at: row.get(3)?,
        linked_by: id_from_sql(row.get(4)?),
        coworker_id: row.get::<_, Option<i64>>(5)?.map(id_from_sql),
    })
}

fn audit_from_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        request_id: row.get(2)?,
        guild_id: row.get::<_, Option<i64>>(3)?.map(id_from_sql),
        actor_id: id_from_sql(row.get(4)?),
        action: row.get(5)?,
        target_user_id: row.get::<_, Option<i64>>(6)?.map(id_from_sql),
        target_email_masked: row
            .get::<_, Option<String>>(7)?
            .map(MaskedEmail::already_masked),
        outcome: row.get(8)?,
        detail: row.get(9)?,
    })
}

/// Ids are stored bit-for-bit; see the module docs.
fn id_to_sql(id: u64) -> i64 {
    id.cast_signed()
}

fn id_from_sql(id: i64) -> u64 {
    id.cast_unsigned()
}
