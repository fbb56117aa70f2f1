//! What the search index reads of articles.

use crate::db::Db;

use crate::db::CommaList;
use crate::domain::{Difficulty, Kind};

/// What the search index needs of an article.
#[derive(Debug, Clone)]
pub struct ForIndex {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub status: crate::domain::Status,
    /// Tag names in the editor's order.
    pub tags: CommaList,
}

crate::db::store::dispatch! { articles::index;
    /// Up to `limit` published articles after id `after`, by id: one batch of an index rebuild,
    /// so a rebuild holds a batch in memory, not the site.
    pub async fn published_for_index(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<ForIndex>>;

    /// The articles among `ids` (a JSON array), whatever their status (the caller removes
    /// unpublished ones, and those not returned are gone): one batch of an index catch-up.
    pub async fn for_index(db: &Db, ids: &str) -> sqlx::Result<Vec<ForIndex>>;
}
