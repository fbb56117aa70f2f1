//! The PostgreSQL side of [`crate::db::users`].
//!
//! PostgreSQL has no NOCASE column: user names are unique on `lower(username)` (an ASCII-only
//! fold, the column being `COLLATE "C"`, as SQLite's NOCASE), and every lookup by name compares
//! `lower(username) = lower($1)`, which that unique index serves.

use crate::db::users::*;
use sqlx::PgPool;

use crate::db::postgres::Conn;
use crate::domain::Role;

pub async fn count(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM users -- PostgreSQL"#)
        .fetch_one(pool)
        .await
}

pub async fn insert(
    conn: &mut Conn,
    username: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> sqlx::Result<i64> {
    // A reviewer is an editor who may publish (`can_publish`; `access` reads both back as one).
    let (stored_role, can_publish) = match role {
        Role::Reviewer => (Role::Editor, true),
        other => (other, false),
    };
    sqlx::query_scalar!(
        r#"INSERT INTO users (username, password_hash, role, can_publish, created_at)
           VALUES ($1, $2, $3, $4, $5)
           RETURNING id AS "id!""#,
        username,
        password_hash,
        // `as _`: PostgreSQL types the parameter TEXT, which the macro would check against
        // `&str`; the role is bound as its text.
        stored_role as _,
        can_publish,
        now
    )
    .fetch_one(conn)
    .await
}

/// The account with this name, any case; on the pool or inside a transaction.
pub async fn by_name(conn: &mut Conn, username: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", username, password_hash, access AS "role!: Role",
                  disabled AS "disabled: bool"
           FROM users WHERE lower(username) = lower($1)"#,
        username
    )
    .fetch_optional(conn)
    .await
}

/// Every account, by name.
pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as!(
        Listed,
        r#"SELECT u.id AS "id!", u.username, u.access AS "role!: Role",
                  u.disabled AS "disabled: bool", u.created_at,
                  (SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id)
                      AS "last_seen_at?: i64"
           FROM users u ORDER BY lower(u.username)"#
    )
    .fetch_all(pool)
    .await
}

/// Sets a new password hash and ends the user's sessions; false when there is no such user.
pub async fn set_password(
    conn: &mut Conn,
    user_id: i64,
    password_hash: &str,
) -> sqlx::Result<bool> {
    let updated = sqlx::query!(
        "UPDATE users SET password_hash = $1 WHERE id = $2",
        password_hash,
        user_id
    )
    .execute(&mut *conn)
    .await?;
    super::sessions::delete_for_user(conn, user_id).await?;
    Ok(updated.rows_affected() == 1)
}

/// Disables (or re-enables) an account; disabling ends its sessions.
pub async fn set_disabled(conn: &mut Conn, user_id: i64, disabled: bool) -> sqlx::Result<bool> {
    let updated = sqlx::query!(
        "UPDATE users SET disabled = $1 WHERE id = $2",
        disabled,
        user_id
    )
    .execute(&mut *conn)
    .await?;
    if disabled {
        super::sessions::delete_for_user(conn, user_id).await?;
    }
    Ok(updated.rows_affected() == 1)
}

pub async fn by_id(conn: &mut Conn, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", username, password_hash, access AS "role!: Role",
                  disabled AS "disabled: bool"
           FROM users WHERE id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Enabled admins other than `user_id`: disabling the last one would lock everybody out of
/// account management.
pub async fn other_enabled_admins(conn: &mut Conn, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM users
           WHERE role = 'admin' AND NOT disabled AND id != $1"#,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Whether an enabled account other than `user_id` may publish (admins and reviewers): then
/// nobody publishes their own change under review.
pub async fn another_publisher(pool: &PgPool, user_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users
           WHERE id != $1 AND NOT disabled AND access IN ('admin', 'reviewer')) AS "yes!: bool""#,
        user_id
    )
    .fetch_one(pool)
    .await
}
