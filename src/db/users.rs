//! Accounts of editors and admins.

use sqlx::SqlitePool;

use super::Conn;
use crate::domain::Role;

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
}

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
    sqlx::query_scalar!(
        r#"INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)
           RETURNING id AS "id!""#,
        username,
        password_hash,
        role,
        now
    )
    .fetch_one(conn)
    .await
}

pub async fn by_name(pool: &SqlitePool, username: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", username, password_hash, role AS "role: Role",
                  disabled AS "disabled: bool"
           FROM users WHERE username = ?"#,
        username
    )
    .fetch_optional(pool)
    .await
}

/// Every account, by name.
pub async fn list(pool: &SqlitePool) -> sqlx::Result<Vec<User>> {
    sqlx::query_as!(
        User,
        r#"SELECT id AS "id!", username, password_hash, role AS "role: Role",
                  disabled AS "disabled: bool"
           FROM users ORDER BY username"#
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
