//! Bookkeeping for the seed import: which article each seed file became, from which text.

use crate::db::Conn;

#[derive(Debug, Clone)]
pub struct SeedImport {
    pub article_id: Option<i64>,
    pub content_hash: String,
    pub article_version: i64,
}

crate::db::store::dispatch! { seed;
    pub async fn get(conn: &mut Conn, seed_slug: &str) -> sqlx::Result<Option<SeedImport>>;

    pub async fn put(conn: &mut Conn, seed_slug: &str, article_id: i64, content_hash: &str, article_version: i64, now: i64) -> sqlx::Result<()>;
}
