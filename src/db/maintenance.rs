//! What the operator commands ask of the database: consistent copies, integrity checks, and
//! a look inside a backup before it replaces anything.

use crate::db::{Conn, Db};
use std::path::Path;

/// What a backup file holds, read without changing it.
#[derive(Debug, Clone)]
pub struct BackupInfo {
    pub articles: i64,
    pub users: i64,
    /// Migrations it has that this version of pykb does not know (it comes from a newer one).
    pub unknown_migrations: Vec<i64>,
    /// Why it is not exactly what pykb's own migrations make (tampered history, a changed
    /// table, a trigger or view of its own); empty when it is.
    pub schema_problems: Vec<String>,
}

/// One object of a schema as `sqlite_master` records it: (type, name, table, SQL).
pub(in crate::db) type SchemaObject = (String, String, String, Option<String>);

crate::db::store::dispatch! { maintenance;
    /// Answers once the database can run a query.
    pub async fn ping(db: &Db) -> sqlx::Result<()>;

    /// Writes a consistent copy of the live database to `target` (which must not exist), without
    /// stopping writers: SQLite's `VACUUM INTO` reads one snapshot.
    pub async fn vacuum_into(db: &Db, target: &Path) -> sqlx::Result<()>;

    /// Copies the write-ahead log into the database file and empties it. After start-up's writes
    /// (migrations, seed, renders) the whole database would otherwise live in the log, which
    /// readers search page by page and cannot memory-map.
    pub async fn checkpoint(db: &Db) -> sqlx::Result<()>;

    /// Whether the stored page context (`page_context`) is what the articles say it should be:
    /// works it out again inside a transaction, compares, and rolls back, so nothing changes.
    /// Holds the write lock for that moment (a server's writes wait, as for any writer).
    pub async fn page_context_is_current(db: &Db) -> sqlx::Result<bool>;

    /// Tags whose kept counts (`tags.entries`, `tags.main_questions`, kept by the triggers of
    /// `migrations/0007_topic_counts.sql`) differ from a count of their rows.
    pub async fn miscounted_tags(db: &Db) -> sqlx::Result<Vec<String>>;

    /// Copies every article's place in the topic order onto its tag rows again, then counts each
    /// tag's rows again (`pykb reindex`): what `articles::sync_topic_order` and the triggers keep
    /// as articles change, mended whole.
    pub async fn recount_topics(conn: &mut Conn) -> sqlx::Result<()>;

    /// `PRAGMA integrity_check`: `["ok"]` when the file is sound, else the problems it found.
    pub async fn integrity_check(conn: &mut Conn) -> sqlx::Result<Vec<String>>;

    /// Rows whose foreign keys point nowhere (`PRAGMA foreign_key_check`).
    pub async fn foreign_key_problems(conn: &mut Conn) -> sqlx::Result<usize>;

    /// Ids of the published articles: what the search index must hold.
    pub async fn published_ids(db: &Db) -> sqlx::Result<Vec<i64>>;

    /// How the database behind `conn` differs from one made by this pykb's migrations: its
    /// migration history must be a prefix of ours, checksum for checksum, and its schema exactly
    /// what those migrations create (no table, index, trigger or view more, less or changed).
    pub async fn schema_problems(conn: &mut Conn) -> anyhow::Result<Vec<String>>;

}

/// Opens `path` read-only and checks that it is a sound pykb database (backups are SQLite
/// files, whatever the site runs on).
pub async fn inspect_backup(path: &Path) -> anyhow::Result<BackupInfo> {
    #[cfg(not(pykb_sqlx = "postgres"))]
    return super::sqlite::maintenance::inspect_backup(path).await;
    // `.ci/sqlx-prepare`'s PostgreSQL build leaves the SQLite module out, and never runs.
    #[cfg(pykb_sqlx = "postgres")]
    anyhow::bail!("{} cannot be read by this build", path.display())
}
