//! The PostgreSQL side of [`crate::db::pending`].

use crate::db::pending::*;
use sqlx::PgPool;

use crate::db::postgres::Conn;

/// Keeps `draft` as the change waiting for `article_id`, replacing an earlier one (returned
/// or not). `base_version` None: the article's version as it stands now in this transaction.
pub async fn put(
    conn: &mut Conn,
    article_id: i64,
    base_version: Option<i64>,
    draft: &str,
    note: &str,
    submitted_by: Option<i64>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO pending_changes
               (article_id, base_version, draft, note, submitted_by, submitted_at)
           VALUES ($1, COALESCE($2, (SELECT version FROM articles WHERE id = $1)), $3, $4, $5, $6)
           ON CONFLICT (article_id) DO UPDATE SET
               base_version = excluded.base_version, draft = excluded.draft,
               note = excluded.note, submitted_by = excluded.submitted_by,
               submitted_at = excluded.submitted_at,
               returned_by = NULL, returned_at = NULL, return_note = ''"#,
        article_id,
        base_version,
        draft,
        note,
        submitted_by,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, article_id: i64) -> sqlx::Result<Option<Pending>> {
    sqlx::query_as!(
        Pending,
        r#"SELECT p.article_id AS "article_id!", p.base_version, p.draft, p.note,
                  p.submitted_by, s.username AS "submitted_by_name?", p.submitted_at,
                  r.username AS "returned_by_name?", p.returned_at, p.return_note
           FROM pending_changes p
           LEFT JOIN users s ON s.id = p.submitted_by
           LEFT JOIN users r ON r.id = p.returned_by
           WHERE p.article_id = $1"#,
        article_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn remove(conn: &mut Conn, article_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM pending_changes WHERE article_id = $1",
        article_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Returns the waiting change of `article_id` to its author with `note`; false when none waits.
pub async fn send_back(
    pool: &PgPool,
    article_id: i64,
    by: i64,
    note: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE pending_changes SET returned_by = $1, returned_at = $2, return_note = $3
         WHERE article_id = $4 AND returned_at IS NULL",
        by,
        now,
        note,
        article_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The changes waiting for a reviewer, oldest first (at most `limit`).
pub async fn waiting(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<Waiting>> {
    sqlx::query_as!(
        Waiting,
        r#"SELECT p.article_id AS "article_id!", a.slug, a.title, a.status, a.version,
                  p.base_version, p.draft, p.note, p.submitted_by,
                  s.username AS "submitted_by_name?", p.submitted_at
           FROM pending_changes p
           JOIN articles a ON a.id = p.article_id
           LEFT JOIN users s ON s.id = p.submitted_by
           WHERE p.returned_at IS NULL
           ORDER BY p.submitted_at, p.article_id
           LIMIT $1"#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// How many changes wait for a reviewer.
pub async fn count_waiting(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM pending_changes WHERE returned_at IS NULL -- PostgreSQL"#
    )
    .fetch_one(pool)
    .await
}

/// Marks the revision `version` of `article_id` as published by `by` (after review).
pub async fn set_published_by(
    conn: &mut Conn,
    article_id: i64,
    version: i64,
    by: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE revisions SET published_by = $1 WHERE article_id = $2 AND version = $3",
        by,
        article_id,
        version
    )
    .execute(conn)
    .await?;
    Ok(())
}
