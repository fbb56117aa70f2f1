//! Accounts: users, their sessions, what they left unsaved and what waits for review. Rows as `pykb copy` moves them ([`super`]).

use crate::db::Conn;

/// An account (its role and `can_publish` as stored; `access` is generated).
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub disabled: bool,
    pub created_at: i64,
    pub can_publish: bool,
}

/// A signed-in session (`--sessions`).
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// What an editor typed and has not saved.
#[derive(Debug, Clone)]
pub struct Autosave {
    pub user_id: i64,
    pub article_id: i64,
    pub fields: String,
    pub saved_at: i64,
}

/// A change waiting for a reviewer.
#[derive(Debug, Clone)]
pub struct PendingChange {
    pub article_id: i64,
    pub base_version: i64,
    pub draft: String,
    pub note: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: i64,
    pub returned_by: Option<i64>,
    pub returned_at: Option<i64>,
    pub return_note: String,
}

crate::db::store::dispatch! { copy::accounts;
    /// Up to `limit` rows of `users` after `after` (from the first without), in key order.
    pub async fn read_users(conn: &mut Conn, after: Option<&User>, limit: i64) -> sqlx::Result<Vec<User>>;
    pub async fn write_users(conn: &mut Conn, rows: &[User]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `sessions` after `after` (from the first without), in key order.
    pub async fn read_sessions(conn: &mut Conn, after: Option<&Session>, limit: i64) -> sqlx::Result<Vec<Session>>;
    pub async fn write_sessions(conn: &mut Conn, rows: &[Session]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `autosaves` after `after` (from the first without), in key order.
    pub async fn read_autosaves(conn: &mut Conn, after: Option<&Autosave>, limit: i64) -> sqlx::Result<Vec<Autosave>>;
    pub async fn write_autosaves(conn: &mut Conn, rows: &[Autosave]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `pending_changes` after `after` (from the first without), in key order.
    pub async fn read_pending_changes(conn: &mut Conn, after: Option<&PendingChange>, limit: i64) -> sqlx::Result<Vec<PendingChange>>;
    pub async fn write_pending_changes(conn: &mut Conn, rows: &[PendingChange]) -> sqlx::Result<()>;
}
