//! What the search index reads of articles.

use sqlx::SqlitePool;

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

pub async fn published_for_index(pool: &SqlitePool) -> sqlx::Result<Vec<ForIndex>> {
    sqlx::query_as!(
        ForIndex,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty",
                  a.status AS "status: crate::domain::Status",
                  l.tags AS "tags!: CommaList"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id
           WHERE a.status = 'published' ORDER BY a.id"#
    )
    .fetch_all(pool)
    .await
}

/// One article for the index, whatever its status (the caller removes unpublished ones).
pub async fn for_index(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<ForIndex>> {
    sqlx::query_as!(
        ForIndex,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty",
                  a.status AS "status: crate::domain::Status",
                  l.tags AS "tags!: CommaList"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id WHERE a.id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await
}
