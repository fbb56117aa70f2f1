//! Server-wide values kept across restarts.

use crate::db::{Conn, Db};

crate::db::store::dispatch! { settings;
    /// The value stored under `name`, storing `value` first if there is none. Safe against two
    /// starts racing: the first insert wins and both read it back.
    pub async fn get_or_insert(db: &Db, name: &str, value: &str) -> sqlx::Result<String>;

    pub async fn get(conn: &mut Conn, name: &str) -> sqlx::Result<Option<String>>;

    pub async fn set(conn: &mut Conn, name: &str, value: &str) -> sqlx::Result<()>;
}
