//! The SQLite side of [`crate::db::verification`].

use crate::db::verification::*;
use sqlx::SqlitePool;

use crate::db::sqlite::Conn;

/// Queues an article's examples to be run (again); in the transaction of the change.
pub async fn enqueue(conn: &mut Conn, article_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO verify_queue (article_id, queued_at) VALUES (?1, ?2)
         ON CONFLICT (article_id)
         DO UPDATE SET queued_at = excluded.queued_at, generation = generation + 1",
        article_id,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The article waiting longest, and its queue generation (see `store`).
pub async fn next_queued(pool: &SqlitePool) -> sqlx::Result<Option<(i64, i64)>> {
    let row = sqlx::query!(
        r#"SELECT article_id AS "article_id!: i64", generation AS "generation!: i64"
           FROM verify_queue ORDER BY queued_at, article_id LIMIT 1"#
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.article_id, r.generation)))
}

/// How many articles wait.
pub async fn queue_length(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM verify_queue"#)
        .fetch_one(pool)
        .await
}

pub async fn published_body(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<ToVerify>> {
    sqlx::query_as!(
        ToVerify,
        "SELECT a.slug, ab.body, a.python FROM articles a
         JOIN article_bodies ab ON ab.article_id = a.id
         WHERE a.id = ? AND a.status = 'published'",
        id
    )
    .fetch_optional(pool)
    .await
}

/// Published articles after id `after`, by id, `limit` at a time (for `pykb verify`).
pub async fn published_after(
    pool: &SqlitePool,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<(i64, ToVerify)>> {
    let rows = sqlx::query!(
        r#"SELECT a.id AS "id!: i64", a.slug, ab.body, a.python FROM articles a
           JOIN article_bodies ab ON ab.article_id = a.id
           WHERE a.status = 'published' AND a.id > ? ORDER BY a.id LIMIT ?"#,
        after,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let article = ToVerify {
                slug: r.slug,
                body: r.body,
                python: r.python,
            };
            (r.id, article)
        })
        .collect())
}

/// An article's stored runs, by example and version.
pub async fn runs(pool: &SqlitePool, article_id: i64) -> sqlx::Result<Vec<StoredRun>> {
    sqlx::query_as!(
        StoredRun,
        r#"SELECT example, python, fingerprint, matches AS "matches: bool",
                  outside_range AS "outside_range: bool", output, problem, ran_at
           FROM example_runs WHERE article_id = ? ORDER BY example, python"#,
        article_id
    )
    .fetch_all(pool)
    .await
}

/// Replaces an article's runs with `runs` and takes it off the queue unless it was queued
/// again since `generation` was read: one transaction.
pub async fn store(
    pool: &SqlitePool,
    article_id: i64,
    generation: i64,
    runs: &[StoredRun],
    changed: Option<&str>,
) -> sqlx::Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query!("DELETE FROM example_runs WHERE article_id = ?", article_id)
        .execute(&mut *tx)
        .await?;
    for run in runs {
        sqlx::query!(
            "INSERT INTO example_runs
                 (article_id, example, python, fingerprint, matches, outside_range, output,
                  problem, ran_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            article_id,
            run.example,
            run.python,
            run.fingerprint,
            run.matches,
            run.outside_range,
            run.output,
            run.problem,
            run.ran_at
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "DELETE FROM verify_queue WHERE article_id = ? AND generation = ?",
        article_id,
        generation
    )
    .execute(&mut *tx)
    .await?;
    if let Some(slug) = changed {
        crate::db::sqlite::outbox::record(
            &mut tx,
            article_id,
            crate::db::verification::ran_at_or_now(runs),
            slug,
            slug,
        )
        .await?;
    }
    tx.commit().await
}

/// Takes an article off the queue with nothing to store (not published, or gone).
pub async fn dequeue(pool: &SqlitePool, article_id: i64, generation: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM verify_queue WHERE article_id = ? AND generation = ?",
        article_id,
        generation
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Queues every published article (for interpreters not seen before), in one statement;
/// articles already queued keep their place. Returns how many were queued.
pub async fn enqueue_all_published(conn: &mut Conn, now: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "INSERT INTO verify_queue (article_id, queued_at)
         SELECT id, ?1 FROM articles WHERE status = 'published'
         ON CONFLICT (article_id) DO NOTHING",
        now
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
