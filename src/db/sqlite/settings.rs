//! The SQLite side of [`crate::db::settings`].

use sqlx::SqlitePool;

use crate::db::sqlite::Conn;

/// The value stored under `name`, storing `value` first if there is none. Safe against two
/// starts racing: the first insert wins and both read it back.
pub async fn get_or_insert(pool: &SqlitePool, name: &str, value: &str) -> sqlx::Result<String> {
    sqlx::query!(
        "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        name,
        value
    )
    .execute(pool)
    .await?;
    sqlx::query_scalar!("SELECT value FROM settings WHERE name = ?", name)
        .fetch_one(pool)
        .await
}

pub async fn get(conn: &mut Conn, name: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("SELECT value FROM settings WHERE name = ?", name)
        .fetch_optional(conn)
        .await
}

pub async fn set(conn: &mut Conn, name: &str, value: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO settings (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        name,
        value
    )
    .execute(conn)
    .await?;
    Ok(())
}
