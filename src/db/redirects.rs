//! Old slugs of renamed articles, answered with a permanent redirect. They point at the
//! article's id, so a chain of renames always lands on the current slug in one hop.

use crate::db::{Conn, Db};

crate::db::store::dispatch! { redirects;
    /// Records that `old_slug` now means the article `article_id`.
    pub async fn add(conn: &mut Conn, old_slug: &str, article_id: i64, now: i64) -> sqlx::Result<()>;

    /// A live article's slug always wins: drops any redirect from it.
    pub async fn remove(conn: &mut Conn, slug: &str) -> sqlx::Result<()>;

    /// The current slug of the published article an old slug points to.
    pub async fn target(db: &Db, old_slug: &str) -> sqlx::Result<Option<String>>;
}
