//! The SQLite side of [`crate::db::outbox`].

use sqlx::SqlitePool;

use crate::db::CommaList;
use crate::db::outbox::*;
use crate::db::sqlite::Conn;

pub async fn record(
    conn: &mut Conn,
    article_id: i64,
    now: i64,
    pages: &str,
    slugs: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO search_outbox (article_id, created_at, pages, slugs) VALUES (?, ?, ?, ?)",
        article_id,
        now,
        pages,
        slugs
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn after(pool: &SqlitePool, after: i64, limit: i64) -> sqlx::Result<Vec<Change>> {
    sqlx::query_as!(
        Change,
        r#"SELECT id AS "id!", article_id, pages AS "pages: CommaList", slugs AS "slugs: CommaList"
           FROM search_outbox WHERE id > ? ORDER BY id LIMIT ?"#,
        after,
        limit
    )
    .fetch_all(pool)
    .await
}

pub async fn last_id(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT coalesce(max(id), 0) AS "id!: i64" FROM search_outbox"#)
        .fetch_one(pool)
        .await
}

pub async fn first_id(pool: &SqlitePool) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(r#"SELECT min(id) AS "id: i64" FROM search_outbox"#)
        .fetch_one(pool)
        .await
}

pub async fn count_after(pool: &SqlitePool, after: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM search_outbox WHERE id > ?"#,
        after
    )
    .fetch_one(pool)
    .await
}

pub async fn prune(pool: &SqlitePool, before: i64) -> sqlx::Result<u64> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let through = sqlx::query_scalar!(
        r#"SELECT max(id) AS "id: i64" FROM search_outbox
           WHERE created_at < ? AND id < (SELECT max(id) FROM search_outbox)"#,
        before
    )
    .fetch_one(&mut *tx)
    .await?;
    let Some(through) = through else {
        return Ok(0);
    };
    let removed = sqlx::query!("DELETE FROM search_outbox WHERE id <= ?", through)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let through = through.to_string();
    sqlx::query!(
        "INSERT INTO settings (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        PRUNED_THROUGH,
        through
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(removed)
}

pub async fn pruned_through(pool: &SqlitePool) -> sqlx::Result<i64> {
    let value = sqlx::query_scalar!("SELECT value FROM settings WHERE name = ?", PRUNED_THROUGH)
        .fetch_optional(pool)
        .await?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}
