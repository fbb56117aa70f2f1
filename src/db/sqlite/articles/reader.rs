//! The SQLite side of [`crate::db::articles::reader`].

use crate::db::articles::*;
use sqlx::SqlitePool;
use sqlx::types::Json;

use crate::db::CommaList;
use crate::domain::{Difficulty, Kind};
use crate::render::Heading;

/// The published article `slug` with the parts its page shows; `similar_ids` is a JSON array of
/// article ids whose links to fetch ("more like this", from the search index). What depends on
/// other articles comes from `page_context` (see `db::page_context`).
///
/// The CROSS JOIN fixes the join order: SQLite would otherwise scan every published article
/// and probe the list for each.
pub async fn published_page(
    pool: &SqlitePool,
    slug: &str,
    similar_ids: &str,
) -> sqlx::Result<Option<Page>> {
    sqlx::query_as!(
        Page,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body_html,
                  ab.headings AS "headings: Json<Vec<Heading>>", ab.answer_json,
                  a.created_at, a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty",
                  a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: CommaList",
                  coalesce(pc.related, '[]') AS "related!: Json<Vec<Link>>",
                  (SELECT json_group_array(json(b.link) ORDER BY wanted.key)
                   FROM json_each(?2) wanted CROSS JOIN article_lists b ON b.article_id = wanted.value
                   WHERE b.status = 'published') AS "similar!: Json<Vec<Link>>",
                  coalesce(pc.unpublished_links, '[]') AS "unpublished_links!: Json<Vec<String>>",
                  pc.neighbours AS "neighbours: Json<Neighbours>"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE a.slug = ?1 AND a.status = 'published'"#,
        slug,
        similar_ids
    )
    .fetch_optional(pool)
    .await
}

/// The Markdown of a published article, for the JSON API.
pub async fn published_body(pool: &SqlitePool, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "SELECT ab.body FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
         WHERE a.id = ? AND a.status = 'published'",
        id
    )
    .fetch_optional(pool)
    .await
}

/// Published articles by id, in the order of `ids` (search results load what they show here).
pub async fn published_summaries_by_ids(
    pool: &SqlitePool,
    ids: &[i64],
) -> sqlx::Result<Vec<Summary>> {
    let ids_json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    // Driven by the list (CROSS JOIN keeps that order), with the tags from page_context: a
    // search results page asks this on every query.
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: CommaList"
           FROM json_each(?) wanted CROSS JOIN articles a ON a.id = wanted.value
           LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE a.status = 'published'
           ORDER BY wanted.key"#,
        ids_json
    )
    .fetch_all(pool)
    .await
}

/// Names of the tags that published articles carry, by how many carry them.
pub async fn published_tag_names(pool: &SqlitePool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(r#"SELECT name FROM tags WHERE entries > 0 ORDER BY entries DESC, name"#)
        .fetch_all(pool)
        .await
}

/// Slugs of every published article: which links inside bodies may be shown.
pub async fn published_slugs(pool: &SqlitePool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!("SELECT slug FROM articles WHERE status = 'published' ORDER BY slug")
        .fetch_all(pool)
        .await
}

/// The most recently updated published articles (those with `tag` only, if given).
pub async fn recently_updated(
    pool: &SqlitePool,
    tag: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<FeedEntry>> {
    sqlx::query_as!(
        FeedEntry,
        r#"SELECT a.slug, a.title, a.summary, ab.body_html, a.created_at, a.updated_at
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           WHERE a.status = 'published'
             AND (?1 IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                        WHERE at.article_id = a.id AND t.name = ?1))
           ORDER BY a.updated_at DESC, a.id DESC
           LIMIT ?2"#,
        tag,
        limit
    )
    .fetch_all(pool)
    .await
}
