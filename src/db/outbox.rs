//! The search outbox: article ids whose index entry must be refreshed. Rows are written in the
//! same transaction as the article change and removed once the index has committed them.

use crate::db::Db;

#[derive(Debug, Clone, Copy)]
pub struct Pending {
    pub id: i64,
    pub article_id: i64,
}

crate::db::store::dispatch! { outbox;
    pub async fn pending(db: &Db) -> sqlx::Result<Vec<Pending>>;

    /// Removes the rows up to `last_id`, once their changes are committed to the index.
    pub async fn clear_through(db: &Db, last_id: i64) -> sqlx::Result<()>;

    /// How many changes the index has not applied yet.
    pub async fn lag(db: &Db) -> sqlx::Result<i64>;
}
