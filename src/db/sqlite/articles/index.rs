//! The SQLite side of [`crate::db::articles::index`].

use crate::db::articles::*;
use sqlx::SqlitePool;

use crate::db::CommaList;
use crate::domain::{Difficulty, Kind};

/// Up to `limit` published articles after id `after`, by id: one batch of an index rebuild,
/// so a rebuild holds a batch in memory, not the site.
pub async fn published_for_index(
    pool: &SqlitePool,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<ForIndex>> {
    sqlx::query_as!(
        ForIndex,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty",
                  a.status AS "status: crate::domain::Status",
                  l.tags AS "tags!: CommaList"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id
           WHERE a.status = 'published' AND a.id > ?1 ORDER BY a.id LIMIT ?2"#,
        after,
        limit
    )
    .fetch_all(pool)
    .await
}

/// The articles among `ids` (a JSON array), whatever their status (the caller removes
/// unpublished ones, and those not returned are gone): one batch of an index catch-up.
pub async fn for_index(pool: &SqlitePool, ids: &str) -> sqlx::Result<Vec<ForIndex>> {
    sqlx::query_as!(
        ForIndex,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty",
                  a.status AS "status: crate::domain::Status",
                  l.tags AS "tags!: CommaList"
           FROM json_each(?) wanted CROSS JOIN articles a ON a.id = wanted.value
           JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id"#,
        ids
    )
    .fetch_all(pool)
    .await
}
