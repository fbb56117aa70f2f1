//! The PostgreSQL side of [`crate::db::outbox`].

use sqlx::PgPool;

use crate::db::CommaList;
use crate::db::outbox::*;
use crate::db::postgres::Conn;

pub async fn record(
    conn: &mut Conn,
    article_id: i64,
    now: i64,
    pages: &str,
    slugs: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO search_outbox (article_id, created_at, pages, slugs) VALUES ($1, $2, $3, $4)",
        article_id,
        now,
        pages,
        slugs
    )
    .execute(&mut *conn)
    .await?;
    // Delivered when the transaction commits, once per transaction however many rows it logs.
    sqlx::query!("SELECT pg_notify($1, '')", CHANNEL)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn after(pool: &PgPool, after: i64, limit: i64) -> sqlx::Result<Vec<Change>> {
    sqlx::query_as!(
        Change,
        r#"SELECT id AS "id!", article_id, pages AS "pages: CommaList", slugs AS "slugs: CommaList"
           FROM search_outbox WHERE id > $1 ORDER BY id LIMIT $2"#,
        after,
        limit
    )
    .fetch_all(pool)
    .await
}

pub async fn last_id(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(max(id), 0) AS "id!: i64" FROM search_outbox -- PostgreSQL"#
    )
    .fetch_one(pool)
    .await
}

pub async fn first_id(pool: &PgPool) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(r#"SELECT min(id) AS "id: i64" FROM search_outbox -- PostgreSQL"#)
        .fetch_one(pool)
        .await
}

pub async fn count_after(pool: &PgPool, after: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM search_outbox WHERE id > $1"#,
        after
    )
    .fetch_one(pool)
    .await
}

pub async fn prune(pool: &PgPool, before: i64) -> sqlx::Result<u64> {
    let mut tx = pool.begin().await?;
    super::maintenance::one_writer(&mut tx).await?;
    let through = sqlx::query_scalar!(
        r#"SELECT max(id) AS "id: i64" FROM search_outbox
           WHERE created_at < $1 AND id < (SELECT max(id) FROM search_outbox)"#,
        before
    )
    .fetch_one(&mut *tx)
    .await?;
    let Some(through) = through else {
        return Ok(0);
    };
    let removed = sqlx::query!("DELETE FROM search_outbox WHERE id <= $1", through)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query!(
        "INSERT INTO settings (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        PRUNED_THROUGH,
        through.to_string()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(removed)
}

pub async fn pruned_through(pool: &PgPool) -> sqlx::Result<i64> {
    let value = sqlx::query_scalar!("SELECT value FROM settings WHERE name = $1", PRUNED_THROUGH)
        .fetch_optional(pool)
        .await?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}
