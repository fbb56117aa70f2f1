//! Reader lists that stay small at any size: the home page's topics with their counts and
//! first entries, one page of a topic, every topic with its count, and the API's pages of
//! articles (a keyset cursor, so a deep page costs what a first one does).

use sqlx::SqlitePool;

use super::CommaList;
use super::articles::Summary;
use crate::domain::{Difficulty, Kind};

/// A topic as the home page and `/tags` list it.
#[derive(Debug, Clone)]
pub struct TopicCount {
    pub name: String,
    /// Published entries with the tag, at any position (what its page lists).
    pub entries: i64,
}

/// Every tag of a published entry, with how many published entries have it.
pub async fn topics(pool: &SqlitePool) -> sqlx::Result<Vec<TopicCount>> {
    sqlx::query_as!(
        TopicCount,
        r#"SELECT t.name, count(*) AS "entries!: i64"
           FROM tags t
           JOIN article_tags at ON at.tag_id = t.id
           JOIN articles a ON a.id = at.article_id
           WHERE a.status = 'published'
           GROUP BY t.id
           ORDER BY t.name"#
    )
    .fetch_all(pool)
    .await
}

/// Published entries of every kind but `question` ("Start here" on the home page), by title;
/// at most `limit`.
pub async fn start_here(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: CommaList"
           FROM articles a LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE a.status = 'published' AND a.kind != 'question'
           ORDER BY a.kind = 'article' DESC, lower(a.title), a.id
           LIMIT ?"#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// The first `per_topic` published questions of each main topic (their first tag; "" for
/// none), in topic order, topic by topic.
pub async fn first_of_each_topic(
    pool: &SqlitePool,
    per_topic: i64,
) -> sqlx::Result<Vec<(String, Summary)>> {
    let rows = sqlx::query!(
        r#"SELECT main AS "main!: String", id AS "id!: i64", slug AS "slug!: String",
                  title AS "title!: String", summary AS "summary!: String",
                  kind AS "kind!: Kind", difficulty AS "difficulty!: Difficulty",
                  updated_at AS "updated_at!: i64", tags AS "tags!: CommaList"
           FROM (SELECT coalesce(t.name, '') AS main, a.id, a.slug, a.title, a.summary, a.kind,
                        a.difficulty, a.updated_at, coalesce(pc.tags, '') AS tags,
                        row_number() OVER (
                            PARTITION BY t.id
                            ORDER BY CASE a.difficulty WHEN 'beginner' THEN 0
                                                       WHEN 'intermediate' THEN 1 ELSE 2 END,
                                     lower(a.title), a.id) AS place
                 FROM articles a
                 LEFT JOIN article_tags at ON at.article_id = a.id AND at.position = 0
                 LEFT JOIN tags t ON t.id = at.tag_id
                 LEFT JOIN page_context pc ON pc.article_id = a.id
                 WHERE a.status = 'published' AND a.kind = 'question')
           WHERE place <= ?
           ORDER BY main, place"#,
        per_topic
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.main,
                Summary {
                    id: r.id,
                    slug: r.slug,
                    title: r.title,
                    summary: r.summary,
                    kind: r.kind,
                    difficulty: r.difficulty,
                    updated_at: r.updated_at,
                    tags: r.tags,
                },
            )
        })
        .collect())
}

/// How many published entries with `tag` there are at each difficulty.
pub async fn tag_difficulties(
    pool: &SqlitePool,
    tag: &str,
) -> sqlx::Result<Vec<(Difficulty, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT a.difficulty AS "difficulty: Difficulty", count(*) AS "entries!: i64"
           FROM tags t
           JOIN article_tags at ON at.tag_id = t.id
           JOIN articles a ON a.id = at.article_id
           WHERE t.name = ? AND a.status = 'published'
           GROUP BY a.difficulty"#,
        tag
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.difficulty, r.entries))
        .collect())
}

/// One page of the published entries with `tag` (of one difficulty, or all), in topic order.
pub async fn tag_page(
    pool: &SqlitePool,
    tag: &str,
    difficulty: Option<Difficulty>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: CommaList"
           FROM tags wanted
           CROSS JOIN article_tags at ON at.tag_id = wanted.id
           CROSS JOIN articles a ON a.id = at.article_id
           LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE wanted.name = ?1 AND a.status = 'published'
             AND (?2 IS NULL OR a.difficulty = ?2)
           ORDER BY CASE a.difficulty WHEN 'beginner' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END,
                    lower(a.title), a.id
           LIMIT ?4 OFFSET ?3"#,
        tag,
        difficulty,
        offset,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Up to `limit` published articles by title (case-insensitive), then id, after the article
/// `after` (the cursor: the last id of the previous page).
pub async fn api_page(
    pool: &SqlitePool,
    after: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: CommaList"
           FROM articles a LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE a.status = 'published'
             AND (?1 IS NULL OR (a.title COLLATE NOCASE, a.id) >
                  (SELECT c.title COLLATE NOCASE, c.id FROM articles c WHERE c.id = ?1))
           ORDER BY a.title COLLATE NOCASE, a.id
           LIMIT ?2"#,
        after,
        limit
    )
    .fetch_all(pool)
    .await
}

/// How many entries are published.
pub async fn published_count(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM articles WHERE status = 'published'"#)
        .fetch_one(pool)
        .await
}

/// A published article as the sitemap lists it.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    pub slug: String,
    pub updated_at: i64,
}

/// Every published article's slug and last change, by title (`articles_published_by_title`):
/// what the sitemap lists, without the summaries and tag lists pages need.
pub async fn sitemap_articles(pool: &SqlitePool) -> sqlx::Result<Vec<SitemapEntry>> {
    sqlx::query_as!(
        SitemapEntry,
        r#"SELECT slug, updated_at FROM articles WHERE status = 'published'
           ORDER BY title COLLATE NOCASE, id"#
    )
    .fetch_all(pool)
    .await
}

/// Every topic of published articles with the last change among them, by name.
pub async fn topic_last_changes(pool: &SqlitePool) -> sqlx::Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT t.name AS "name!", max(a.updated_at) AS "latest!: i64"
           FROM tags t JOIN article_tags at ON at.tag_id = t.id
           JOIN articles a ON a.id = at.article_id AND a.status = 'published'
           GROUP BY t.id ORDER BY t.name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.latest)).collect())
}
