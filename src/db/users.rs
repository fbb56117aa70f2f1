//! Accounts of editors and admins.

use crate::db::{Conn, Db};

use crate::domain::Role;

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
}

/// An account as the users page lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: i64,
    /// When the account last used a live session, if it has one.
    pub last_seen_at: Option<i64>,
}

crate::db::store::dispatch! { users;
    pub async fn count(db: &Db) -> sqlx::Result<i64>;

    pub async fn insert(conn: &mut Conn, username: &str, password_hash: &str, role: Role, now: i64) -> sqlx::Result<i64>;

    /// The account with this name, any case; on the pool or inside a transaction.
    pub async fn by_name(conn: &mut Conn, username: &str) -> sqlx::Result<Option<User>>;

    /// Every account, by name.
    pub async fn list(db: &Db) -> sqlx::Result<Vec<Listed>>;

    /// Sets a new password hash and ends the user's sessions; false when there is no such user.
    pub async fn set_password(conn: &mut Conn, user_id: i64, password_hash: &str) -> sqlx::Result<bool>;

    /// Disables (or re-enables) an account; disabling ends its sessions.
    pub async fn set_disabled(conn: &mut Conn, user_id: i64, disabled: bool) -> sqlx::Result<bool>;

    pub async fn by_id(conn: &mut Conn, id: i64) -> sqlx::Result<Option<User>>;

    /// Enabled admins other than `user_id`: disabling the last one would lock everybody out of
    /// account management.
    pub async fn other_enabled_admins(conn: &mut Conn, user_id: i64) -> sqlx::Result<i64>;

    /// Whether an enabled account other than `user_id` may publish (admins and reviewers): then
    /// nobody publishes their own change under review.
    pub async fn another_publisher(db: &Db, user_id: i64) -> sqlx::Result<bool>;
}
