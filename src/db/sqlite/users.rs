//! The SQLite side of [`crate::db::users`].

use crate::db::users::*;
use sqlx::SqlitePool;

use crate::db::sqlite::Conn;
use crate::domain::Role;

pub async fn count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM users"#)
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
    // A reviewer is an editor who may publish (`migrations/0013_review.sql`).
    let (stored_role, can_publish) = match role {
        Role::Reviewer => (Role::Editor, true),
        other => (other, false),
    };
    sqlx::query_scalar!(
        r#"INSERT INTO users (username, password_hash, role, can_publish, created_at)
           VALUES (?, ?, ?, ?, ?)
           RETURNING id AS "id!""#,
        username,
        password_hash,
        stored_role,
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
           FROM users WHERE username = ?"#,
        username
    )
    .fetch_optional(conn)
    .await
}

/// Every account, by name.
pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as!(
        Listed,
        r#"SELECT u.id AS "id!", u.username, u.access AS "role!: Role",
                  u.disabled AS "disabled: bool", u.created_at,
                  (SELECT max(s.last_seen_at) FROM sessions s WHERE s.user_id = u.id)
                      AS "last_seen_at?: i64"
           FROM users u ORDER BY u.username COLLATE NOCASE"#
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
        "UPDATE users SET password_hash = ? WHERE id = ?",
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
        "UPDATE users SET disabled = ? WHERE id = ?",
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
           FROM users WHERE id = ?"#,
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
           WHERE role = 'admin' AND disabled = 0 AND id != ?"#,
        user_id
    )
    .fetch_one(conn)
    .await
}

/// Whether an enabled account other than `user_id` may publish (admins and reviewers): then
/// nobody publishes their own change under review.
pub async fn another_publisher(pool: &SqlitePool, user_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users
           WHERE id != ? AND disabled = 0 AND access IN ('admin', 'reviewer')) AS "yes!: bool""#,
        user_id
    )
    .fetch_one(pool)
    .await
}
