//! Server-side sessions of signed-in users. The id stored is a hash of the cookie's secret, so
//! a copy of the database does not hand out live sessions.

use crate::db::{Conn, Db};

use crate::domain::Role;

/// A live session with its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

crate::db::store::dispatch! { sessions;
    pub async fn create(db: &Db, id: &str, user_id: i64, csrf_token: &str, now: i64) -> sqlx::Result<()>;

    /// The session with this id, if its user is still enabled.
    pub async fn get(db: &Db, id: &str) -> sqlx::Result<Option<Session>>;

    pub async fn touch(db: &Db, id: &str, now: i64) -> sqlx::Result<()>;

    pub async fn delete(db: &Db, id: &str) -> sqlx::Result<()>;

    pub async fn delete_for_user(conn: &mut Conn, user_id: i64) -> sqlx::Result<()>;

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub async fn delete_expired(db: &Db, idle_before: i64, created_before: i64) -> sqlx::Result<u64>;
}
