//! The SQLite side of [`crate::db::autosaves`].

use sqlx::SqlitePool;

/// Keeps (or replaces) what `user_id` typed in the form of `article_id`.
pub async fn put(
    pool: &SqlitePool,
    user_id: i64,
    article_id: i64,
    fields: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO autosaves (user_id, article_id, fields, saved_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user_id, article_id)
         DO UPDATE SET fields = excluded.fields, saved_at = excluded.saved_at",
        user_id,
        article_id,
        fields,
        now
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// What `user_id` left unsaved in the form of `article_id`, and when.
pub async fn get(
    pool: &SqlitePool,
    user_id: i64,
    article_id: i64,
) -> sqlx::Result<Option<(String, i64)>> {
    let row = sqlx::query!(
        "SELECT fields, saved_at FROM autosaves WHERE user_id = ? AND article_id = ?",
        user_id,
        article_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.fields, r.saved_at)))
}

pub async fn delete(pool: &SqlitePool, user_id: i64, article_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM autosaves WHERE user_id = ? AND article_id = ?",
        user_id,
        article_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Removes what was kept longer ago than `before`; returns how many.
pub async fn delete_older_than(pool: &SqlitePool, before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!("DELETE FROM autosaves WHERE saved_at < ?", before)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
