//! The PostgreSQL side of [`crate::db::maintenance`].
//!
//! Backups (`pykb backup`, `pykb restore`, `inspect_backup`) are SQLite files: a PostgreSQL
//! site is backed up with PostgreSQL's own tools, and its server looks after its files.

use std::path::Path;

use sqlx::PgPool;

use crate::db::postgres::Conn;

/// Refuses: pykb writes backups as SQLite files, which a PostgreSQL database is not. The
/// database server makes consistent copies itself, while writers go on (`pg_dump`).
pub async fn vacuum_into(pool: &PgPool, target: &Path) -> sqlx::Result<()> {
    let _ = pool;
    Err(sqlx::Error::Configuration(
        format!(
            "the site runs on PostgreSQL, and `pykb backup` only copies a SQLite database: \
             back the PostgreSQL database up with `pg_dump` instead (for instance \
             `pg_dump --format=custom --file={} DATABASE_URL`) and restore it with `pg_restore`",
            target.display()
        )
        .into(),
    ))
}

/// Nothing to do: SQLite's write-ahead log must be copied into the database file by its
/// writer, while PostgreSQL's own checkpointer does that for its WAL in the background.
pub async fn checkpoint(pool: &PgPool) -> sqlx::Result<()> {
    let _ = pool;
    Ok(())
}

/// Whether the stored page context (`page_context`) is what the articles say it should be:
/// works it out again inside a transaction, compares, and rolls back, so nothing changes.
pub async fn page_context_is_current(pool: &PgPool) -> sqlx::Result<bool> {
    // SQLite's `BEGIN IMMEDIATE` held the write lock, so nothing changed between the two
    // readings. Here the lock on `page_context` makes the transactions that write it (every
    // change to articles) wait for that moment, as a SQLite writer would, while readers go
    // on; taken before the first query, it lets the REPEATABLE READ snapshot see every change
    // committed before it, and none after, in all three statements.
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ")
        .await?;
    sqlx::query("LOCK TABLE page_context IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let stored = page_context_rows(&mut tx).await?;
    super::page_context::refresh_all(&mut tx).await?;
    let expected = page_context_rows(&mut tx).await?;
    tx.rollback().await?;
    Ok(stored == expected)
}

async fn page_context_rows(conn: &mut Conn) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"SELECT json_build_array(article_id, tags, related, unpublished_links, neighbours)::text
               AS "row!: String"
           FROM page_context ORDER BY article_id"#
    )
    .fetch_all(conn)
    .await
}

/// Tags whose kept counts (`tags.entries`, `tags.main_questions`, kept by the triggers on
/// `article_tags`) differ from a count of their rows.
pub async fn miscounted_tags(pool: &PgPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"SELECT t.name FROM tags t
           WHERE t.entries != (SELECT count(*) FROM article_tags m
                               WHERE m.tag_id = t.id AND m.listed = 1)
              OR t.main_questions != (SELECT count(*) FROM article_tags m
                                      WHERE m.tag_id = t.id AND m.neighbour = 1
                                        AND m.position = 0)
           ORDER BY t.name -- PostgreSQL"#
    )
    .fetch_all(pool)
    .await
}

/// Copies every article's place in the topic order onto its tag rows again, then counts each
/// tag's rows again (`pykb reindex`): what `articles::sync_topic_order` and the triggers keep
/// as articles change, mended whole.
pub async fn recount_topics(conn: &mut Conn) -> sqlx::Result<()> {
    // `listed` and `neighbour` are 0/1 BIGINT (the triggers add them up), hence the CASEs.
    sqlx::query!(
        "UPDATE article_tags
         SET listed = CASE WHEN a.status = 'published' THEN 1 ELSE 0 END,
             neighbour = CASE WHEN a.status = 'published' AND a.kind = 'question'
                              THEN 1 ELSE 0 END,
             sort_level = CASE a.difficulty WHEN 'beginner' THEN 0
                                            WHEN 'intermediate' THEN 1 ELSE 2 END,
             sort_title = lower(a.title)
         FROM articles a
         WHERE a.id = article_tags.article_id"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"UPDATE tags
         SET entries = (SELECT count(*) FROM article_tags m
                        WHERE m.tag_id = tags.id AND m.listed = 1),
             main_questions = (SELECT count(*) FROM article_tags m
                               WHERE m.tag_id = tags.id AND m.neighbour = 1 AND m.position = 0) -- PostgreSQL"#
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// `["ok"]`: PostgreSQL has no whole-database check like SQLite's `PRAGMA integrity_check`
/// (its `amcheck` extension checks indexes one by one, and needs installing); the server
/// checksums its pages itself when the cluster was created with data checksums.
pub async fn integrity_check(conn: &mut Conn) -> sqlx::Result<Vec<String>> {
    let _ = conn;
    Ok(vec!["ok".to_owned()])
}

/// Always 0: PostgreSQL enforces foreign keys on every write, with no way to turn them off
/// as SQLite's `PRAGMA foreign_keys` can, so no row can point nowhere.
pub async fn foreign_key_problems(conn: &mut Conn) -> sqlx::Result<usize> {
    let _ = conn;
    Ok(0)
}

/// Ids of the published articles: what the search index must hold.
pub async fn published_ids(pool: &PgPool) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM articles WHERE status = 'published' ORDER BY id -- PostgreSQL"#
    )
    .fetch_all(pool)
    .await
}

/// How the database behind `conn` differs from one made by this pykb's migrations: its
/// migration history must be a prefix of ours (`migrations/postgres`), checksum for checksum.
///
/// Unlike the SQLite side, the schema itself is not compared object by object: SQLite keeps
/// each object's SQL text in `sqlite_master`, to compare with what the migrations make in an
/// in-memory database, but PostgreSQL has neither the stored text nor a scratch database to
/// hand. Backups, the files this check guards a restore against, are SQLite files.
pub async fn schema_problems(conn: &mut Conn) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let history: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?;
    let ours: Vec<_> = crate::db::POSTGRES_MIGRATOR.iter().collect();
    for (n, (version, checksum, success)) in history.iter().enumerate() {
        match ours.get(n) {
            Some(m) if m.version == *version => {
                if *m.checksum != checksum[..] {
                    problems.push(format!(
                        "migration {version} was recorded with another checksum than this \
                         pykb's: the file was changed after pykb wrote it"
                    ));
                }
                if !success {
                    problems.push(format!("migration {version} is recorded as failed"));
                }
            }
            _ => problems.push(format!(
                "migration {version} is not this pykb's migration number {}",
                n + 1
            )),
        }
    }
    Ok(problems)
}

pub async fn ping(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query_scalar!("SELECT 1::bigint AS \"one!: i64\"")
        .fetch_one(pool)
        .await
        .map(|_| ())
}

/// Waits (up to the connection's `lock_timeout`) for the site-wide writer lock, held until the
/// transaction ends (`Db::begin_write`). The key is an arbitrary constant of pykb's own.
pub async fn one_writer(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query!("SELECT pg_advisory_xact_lock(7406511301)")
        .execute(conn)
        .await
        .map(|_| ())
}
