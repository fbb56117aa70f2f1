//! The PostgreSQL side of [`crate::db::outbox`].

use crate::db::outbox::*;
use sqlx::PgPool;

pub async fn pending(pool: &PgPool) -> sqlx::Result<Vec<Pending>> {
    sqlx::query_as!(
        Pending,
        r#"SELECT id AS "id!", article_id FROM search_outbox ORDER BY id -- PostgreSQL"#
    )
    .fetch_all(pool)
    .await
}

/// Removes the rows up to `last_id`, once their changes are committed to the index.
pub async fn clear_through(pool: &PgPool, last_id: i64) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM search_outbox WHERE id <= $1", last_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// How many changes the index has not applied yet.
pub async fn lag(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM search_outbox -- PostgreSQL"#)
        .fetch_one(pool)
        .await
}
