//! The SQLite side of [`crate::db::maintenance`].

use crate::db::maintenance::*;
use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection, SqlitePool};

/// Writes a consistent copy of the live database to `target` (which must not exist), without
/// stopping writers: SQLite's `VACUUM INTO` reads one snapshot.
pub async fn vacuum_into(pool: &SqlitePool, target: &Path) -> sqlx::Result<()> {
    let target = target.to_string_lossy();
    sqlx::query!("VACUUM INTO ?", target).execute(pool).await?;
    Ok(())
}

/// Copies the write-ahead log into the database file and empties it. After start-up's writes
/// (migrations, seed, renders) the whole database would otherwise live in the log, which
/// readers search page by page and cannot memory-map.
pub async fn checkpoint(pool: &SqlitePool) -> sqlx::Result<()> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await?;
    Ok(())
}

/// Whether the stored page context (`page_context`) is what the articles say it should be:
/// works it out again inside a transaction, compares, and rolls back, so nothing changes.
/// Holds the write lock for that moment (a server's writes wait, as for any writer).
pub async fn page_context_is_current(pool: &SqlitePool) -> sqlx::Result<bool> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let stored = page_context_rows(&mut tx).await?;
    super::page_context::refresh_all(&mut tx).await?;
    let expected = page_context_rows(&mut tx).await?;
    tx.rollback().await?;
    Ok(stored == expected)
}

async fn page_context_rows(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"SELECT json_array(article_id, tags, related, unpublished_links, neighbours)
               AS "row!: String"
           FROM page_context ORDER BY article_id"#
    )
    .fetch_all(conn)
    .await
}

/// Tags whose kept counts (`tags.entries`, `tags.main_questions`, kept by the triggers of
/// `migrations/0007_topic_counts.sql`) differ from a count of their rows.
pub async fn miscounted_tags(pool: &SqlitePool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"SELECT t.name FROM tags t
           WHERE t.entries != (SELECT count(*) FROM article_tags m
                               WHERE m.tag_id = t.id AND m.listed = 1)
              OR t.main_questions != (SELECT count(*) FROM article_tags m
                                      WHERE m.tag_id = t.id AND m.neighbour = 1
                                        AND m.position = 0)
           ORDER BY t.name"#
    )
    .fetch_all(pool)
    .await
}

/// Copies every article's place in the topic order onto its tag rows again, then counts each
/// tag's rows again (`pykb reindex`): what `articles::sync_topic_order` and the triggers keep
/// as articles change, mended whole.
pub async fn recount_topics(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE article_tags
         SET listed = (a.status = 'published'),
             neighbour = (a.status = 'published' AND a.kind = 'question'),
             sort_level = CASE a.difficulty WHEN 'beginner' THEN 0
                                            WHEN 'intermediate' THEN 1 ELSE 2 END,
             sort_title = lower(a.title)
         FROM articles a
         WHERE a.id = article_tags.article_id"
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE tags
         SET entries = (SELECT count(*) FROM article_tags m
                        WHERE m.tag_id = tags.id AND m.listed = 1),
             main_questions = (SELECT count(*) FROM article_tags m
                               WHERE m.tag_id = tags.id AND m.neighbour = 1 AND m.position = 0)"
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// `PRAGMA integrity_check`: `["ok"]` when the file is sound, else the problems it found.
pub async fn integrity_check(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar::<_, String>("PRAGMA integrity_check")
        .fetch_all(conn)
        .await
}

/// Rows whose foreign keys point nowhere (`PRAGMA foreign_key_check`).
pub async fn foreign_key_problems(conn: &mut SqliteConnection) -> sqlx::Result<usize> {
    sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(conn)
        .await
        .map(|rows| rows.len())
}

/// Ids of the published articles: what the search index must hold.
pub async fn published_ids(pool: &SqlitePool) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM articles WHERE status = 'published' ORDER BY id"#
    )
    .fetch_all(pool)
    .await
}

/// Every schema object but SQLite's own and sqlx's bookkeeping table, in a stable order.
async fn schema_objects(conn: &mut SqliteConnection) -> sqlx::Result<Vec<SchemaObject>> {
    sqlx::query_as(
        "SELECT type, name, tbl_name, sql FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%' AND name != '_sqlx_migrations' ORDER BY type, name",
    )
    .fetch_all(conn)
    .await
}

/// How the database behind `conn` differs from one made by this pykb's migrations: its
/// migration history must be a prefix of ours, checksum for checksum, and its schema exactly
/// what those migrations create (no table, index, trigger or view more, less or changed).
pub async fn schema_problems(conn: &mut SqliteConnection) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let history: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?;
    let ours: Vec<_> = crate::db::MIGRATOR.iter().collect();
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
    if !problems.is_empty() {
        return Ok(problems);
    }
    // What the same migrations make in an empty database.
    let mut fresh = SqliteConnection::connect("sqlite::memory:").await?;
    for migration in ours.iter().take(history.len()) {
        sqlx::raw_sql(migration.sql.clone())
            .execute(&mut fresh)
            .await?;
    }
    let expected = schema_objects(&mut fresh).await?;
    fresh.close().await.ok();
    let found = schema_objects(conn).await?;
    for object in &found {
        match expected.iter().find(|e| e.0 == object.0 && e.1 == object.1) {
            None => problems.push(format!(
                "it has a {} `{}` that pykb's migrations do not create",
                object.0, object.1
            )),
            Some(e) if e != object => problems.push(format!(
                "its {} `{}` differs from the one pykb's migrations create",
                object.0, object.1
            )),
            Some(_) => {}
        }
    }
    for object in &expected {
        if !found.iter().any(|f| f.0 == object.0 && f.1 == object.1) {
            problems.push(format!("its {} `{}` is missing", object.0, object.1));
        }
    }
    Ok(problems)
}

/// Opens `path` read-only and checks that it is a sound pykb database.
pub async fn inspect_backup(path: &Path) -> anyhow::Result<BackupInfo> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|err| anyhow::anyhow!("{} cannot be opened as SQLite: {err}", path.display()))?;
    let problems = integrity_check(&mut conn)
        .await
        .map_err(|err| anyhow::anyhow!("{} is not a SQLite database: {err}", path.display()))?;
    if problems != ["ok"] {
        anyhow::bail!(
            "{} fails SQLite's integrity check: {}",
            path.display(),
            problems.join("; ")
        );
    }
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await?;
    for table in ["_sqlx_migrations", "articles", "users", "revisions"] {
        if !tables.iter().any(|t| t == table) {
            anyhow::bail!(
                "{} is not a pykb database (it has no `{table}` table)",
                path.display()
            );
        }
    }
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&mut conn)
            .await?;
    let known: Vec<i64> = crate::db::MIGRATOR.iter().map(|m| m.version).collect();
    let unknown_migrations: Vec<i64> = applied.into_iter().filter(|v| !known.contains(v)).collect();
    let schema_problems = if unknown_migrations.is_empty() {
        schema_problems(&mut conn).await?
    } else {
        Vec::new()
    };
    let articles = sqlx::query_scalar("SELECT count(*) FROM articles")
        .fetch_one(&mut conn)
        .await?;
    let users = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await.ok();
    Ok(BackupInfo {
        articles,
        users,
        unknown_migrations,
        schema_problems,
    })
}

pub async fn ping(pool: &SqlitePool) -> sqlx::Result<()> {
    sqlx::query_scalar!("SELECT 1 AS \"one!: i64\"")
        .fetch_one(pool)
        .await
        .map(|_| ())
}
