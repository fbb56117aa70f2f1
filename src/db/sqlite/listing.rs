//! The SQLite side of [`crate::db::listing`].

use crate::db::listing::*;
use sqlx::SqlitePool;

use crate::db::CommaList;
use crate::db::articles::Summary;
use crate::domain::{Difficulty, Kind};

/// Every tag of a published entry, with how many published entries have it (kept on the
/// tag row: `migrations/0007_topic_counts.sql`).
pub async fn topics(pool: &SqlitePool) -> sqlx::Result<Vec<TopicCount>> {
    sqlx::query_as!(
        TopicCount,
        r#"SELECT name, entries FROM tags WHERE entries > 0 ORDER BY name"#
    )
    .fetch_all(pool)
    .await
}

/// Every main topic of a published question, with its page's count.
pub async fn main_topics(pool: &SqlitePool) -> sqlx::Result<Vec<MainTopic>> {
    sqlx::query_as!(
        MainTopic,
        r#"SELECT id AS "id!", name, entries FROM tags WHERE main_questions > 0 ORDER BY name"#
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
           FROM articles a INDEXED BY articles_start_here
           LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE a.status = 'published' AND a.kind != 'question'
           ORDER BY a.kind = 'article' DESC, lower(a.title), a.id
           LIMIT ?"#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// The first `limit` published questions whose main topic is tag `tag_id`, in topic order:
/// a seek in the topic-order index (`migrations/0005_topic_order.sql`), whatever the
/// topic's size. The planner is told the index: it would otherwise sort the whole topic.
pub async fn first_of_topic(
    pool: &SqlitePool,
    tag_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: CommaList"
           FROM article_tags m INDEXED BY article_tags_topic_order
           CROSS JOIN articles a ON a.id = m.article_id
           LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE m.tag_id = ?1 AND m.neighbour = 1 AND m.position = 0
           ORDER BY m.sort_level, m.sort_title, m.article_id
           LIMIT ?2"#,
        tag_id,
        limit
    )
    .fetch_all(pool)
    .await
}

/// The first `limit` published questions without a tag, in topic order: from the partial
/// index of untagged page contexts (`migrations/0007_topic_counts.sql`), a few rows.
pub async fn untagged_questions(pool: &SqlitePool, limit: i64) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  '' AS "tags!: CommaList"
           FROM page_context pc INDEXED BY page_context_untagged
           CROSS JOIN articles a ON a.id = pc.article_id
           WHERE pc.tags = '' AND a.status = 'published' AND a.kind = 'question'
           ORDER BY CASE a.difficulty WHEN 'beginner' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END,
                    lower(a.title), a.id
           LIMIT ?"#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// How many published entries with `tag` there are at each difficulty.
pub async fn tag_difficulties(
    pool: &SqlitePool,
    tag: &str,
) -> sqlx::Result<Vec<(Difficulty, i64)>> {
    // From the listing index alone (`migrations/0007_topic_counts.sql`).
    let rows = sqlx::query!(
        r#"SELECT at.sort_level AS "level!: i64", count(*) AS "entries!: i64"
           FROM tags t CROSS JOIN article_tags at ON at.tag_id = t.id
           WHERE t.name = ? AND at.listed = 1
           GROUP BY at.sort_level"#,
        tag
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((difficulty_at(r.level)?, r.entries)))
        .collect())
}

/// One page of the published entries with `tag` (of one difficulty, or all), in topic order:
/// read in order from the listing index, so a page costs its offset, not the topic's size.
pub async fn tag_page(
    pool: &SqlitePool,
    tag: &str,
    difficulty: Option<Difficulty>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Summary>> {
    let level = difficulty.map(level_of);
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: CommaList"
           FROM tags wanted
           CROSS JOIN article_tags at INDEXED BY article_tags_listing
                ON at.tag_id = wanted.id AND at.listed = 1
           CROSS JOIN articles a ON a.id = at.article_id
           LEFT JOIN page_context pc ON pc.article_id = a.id
           WHERE wanted.name = ?1 AND (?2 IS NULL OR at.sort_level = ?2)
           ORDER BY at.sort_level, at.sort_title, at.article_id
           LIMIT ?4 OFFSET ?3"#,
        tag,
        level,
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
           FROM articles a INDEXED BY articles_published_by_title
           LEFT JOIN page_context pc ON pc.article_id = a.id
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

/// `limit` published articles' slugs and last changes from `offset`, by title (a seek in
/// `articles_published_by_title`): one sitemap file's, without what pages need.
pub async fn sitemap_articles(
    pool: &SqlitePool,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<SitemapEntry>> {
    sqlx::query_as!(
        SitemapEntry,
        r#"SELECT slug, updated_at FROM articles INDEXED BY articles_published_by_title
           WHERE status = 'published'
           ORDER BY title COLLATE NOCASE, id
           LIMIT ?2 OFFSET ?1"#,
        offset,
        limit
    )
    .fetch_all(pool)
    .await
}

/// The last change in each sitemap file: the published articles by title are numbered from
/// `first` (the URLs before them are the home page and the topics), `per_file` to a file;
/// element n is file n's newest `updated_at`. Reads the title index and each row's date.
pub async fn sitemap_file_dates(
    pool: &SqlitePool,
    first: i64,
    per_file: i64,
) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query!(
        r#"SELECT file AS "file!: i64", max(updated_at) AS "newest!: i64"
           FROM (SELECT (?1 + row_number() OVER (ORDER BY title COLLATE NOCASE, id) - 1) / ?2
                            AS file,
                        updated_at
                 FROM articles INDEXED BY articles_published_by_title
                 WHERE status = 'published')
           GROUP BY file ORDER BY file"#,
        first,
        per_file
    )
    .fetch_all(pool)
    .await?;
    let mut newest = Vec::new();
    for row in rows {
        let file = usize::try_from(row.file).unwrap_or(0);
        newest.resize(file + 1, 0);
        newest[file] = row.newest;
    }
    Ok(newest)
}

/// When a published article last changed (0 with none).
pub async fn newest_change(pool: &SqlitePool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(max(updated_at), 0) AS "newest!: i64"
           FROM articles WHERE status = 'published'"#
    )
    .fetch_one(pool)
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
