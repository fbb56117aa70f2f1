//! The PostgreSQL side of [`crate::db::sessions`].

use crate::db::sessions::*;
use sqlx::PgPool;

use crate::db::postgres::Conn;
use crate::domain::Role;

pub async fn create(
    pool: &PgPool,
    id: &str,
    user_id: i64,
    csrf_token: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5)",
        id,
        user_id,
        csrf_token,
        now,
        now
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The session with this id, if its user is still enabled.
pub async fn get(pool: &PgPool, id: &str) -> sqlx::Result<Option<Session>> {
    sqlx::query_as!(
        Session,
        r#"SELECT s.id AS "id!", s.user_id, u.username, u.access AS "role!: Role", s.csrf_token,
                  s.created_at, s.last_seen_at
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.id = $1 AND NOT u.disabled"#,
        id
    )
    .fetch_optional(pool)
    .await
}

pub async fn touch(pool: &PgPool, id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
        now,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn delete(pool: &PgPool, id: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM sessions WHERE id = $1", id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete_for_user(conn: &mut Conn, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM sessions WHERE user_id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes sessions idle since `idle_before` or created before `created_before`.
pub async fn delete_expired(
    pool: &PgPool,
    idle_before: i64,
    created_before: i64,
) -> sqlx::Result<u64> {
    let deleted = sqlx::query!(
        "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
        idle_before,
        created_before
    )
    .execute(pool)
    .await?;
    Ok(deleted.rows_affected())
}
