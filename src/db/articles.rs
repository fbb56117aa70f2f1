//! Queries over articles, their tags, related links and revisions.

use sqlx::SqlitePool;

use super::Conn;
use crate::domain::{ArticleDraft, Difficulty, Kind, Status, TagName};
use crate::render::RenderedBody;

/// One entry in a list (home page, tag page).
#[derive(Debug, Clone)]
pub struct Summary {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub updated_at: i64,
    /// Tag names, comma-separated, in the editor's order: the first is the main topic.
    pub tags: String,
}

/// A published article with everything its page shows, read in one query: pages are served far
/// more often than written, and each query is a hop to a database thread.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    /// JSON array of `render::Heading`, stored at save time.
    pub headings: String,
    /// The body's prose as a JSON string literal safe in `<script>`, stored at save time.
    pub answer_json: String,
    pub created_at: i64,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub updated_at: i64,
    /// Tag names, comma-separated, in the editor's order: the first is the main topic.
    pub tags: String,
    /// JSON array of `[slug, title, kind, difficulty]`: the published related entries in the
    /// editor's order.
    pub related: String,
    /// JSON array of `[slug, title, kind, difficulty]`: the published entries among the ids
    /// asked for ("more like this"), in the order asked.
    pub similar: String,
    /// JSON array of the slugs the body links to that are not published (now).
    pub unpublished_links: String,
    /// JSON `[previous, next]`, each `[slug, title, kind, difficulty]` or null: the
    /// neighbours of a question in its main topic (see `db::page_context`). NULL for
    /// other kinds.
    pub neighbours: Option<String>,
}

/// A link to another article. Page queries return lists of them as JSON arrays of
/// `[slug, title, kind, difficulty]`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(from = "(String, String, Kind, Difficulty)")]
pub struct Link {
    pub slug: String,
    pub title: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
}

impl From<(String, String, Kind, Difficulty)> for Link {
    fn from((slug, title, kind, difficulty): (String, String, Kind, Difficulty)) -> Self {
        Link {
            slug,
            title,
            kind,
            difficulty,
        }
    }
}

impl From<Summary> for Link {
    fn from(s: Summary) -> Self {
        Link {
            slug: s.slug,
            title: s.title,
            kind: s.kind,
            difficulty: s.difficulty,
        }
    }
}

pub async fn published_summaries(pool: &SqlitePool) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as!(
        Summary,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty", a.updated_at,
                  coalesce((SELECT group_concat(t.name, ',' ORDER BY at.position)
                            FROM article_tags at JOIN tags t ON t.id = at.tag_id
                            WHERE at.article_id = a.id), '') AS "tags!: String"
           FROM articles a
           WHERE a.status = 'published'
           ORDER BY a.title COLLATE NOCASE"#
    )
    .fetch_all(pool)
    .await
}

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
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body_html, ab.headings, ab.answer_json,
                  a.created_at, a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty",
                  a.updated_at,
                  coalesce(pc.tags, '') AS "tags!: String",
                  coalesce(pc.related, '[]') AS "related!: String",
                  (SELECT json_group_array(json_array(b.slug, b.title, b.kind, b.difficulty)
                                           ORDER BY wanted.key)
                   FROM json_each(?2) wanted CROSS JOIN articles b ON b.id = wanted.value
                   WHERE b.status = 'published') AS "similar!: String",
                  coalesce(pc.unpublished_links, '[]') AS "unpublished_links!: String",
                  pc.neighbours
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

/// The id and version of the article with this slug, whatever its status.
pub async fn id_and_version(conn: &mut Conn, slug: &str) -> sqlx::Result<Option<(i64, i64)>> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", version FROM articles WHERE slug = ?"#,
        slug
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.version)))
}

pub async fn version_of(conn: &mut Conn, id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("SELECT version FROM articles WHERE id = ?", id)
        .fetch_optional(conn)
        .await
}

/// Inserts a new article at version 1 and returns its id. Tags, related links and the
/// revision are written by the functions below, in the caller's transaction.
pub async fn insert(
    conn: &mut Conn,
    draft: &ArticleDraft,
    rendered: &RenderedBody,
    now: i64,
    author: Option<i64>,
) -> sqlx::Result<i64> {
    let slug = draft.slug.as_str();
    let id = sqlx::query_scalar!(
        r#"INSERT INTO articles
               (slug, title, summary, kind, difficulty, status, version, created_at, updated_at,
                updated_by)
           VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
           RETURNING id AS "id!""#,
        slug,
        draft.title,
        draft.summary,
        draft.kind,
        draft.difficulty,
        draft.status,
        now,
        now,
        author
    )
    .fetch_one(&mut *conn)
    .await?;
    set_body(conn, id, &draft.body, rendered).await?;
    Ok(id)
}

/// Overwrites an article's fields and increments its version, but only if its version is still
/// `expected_version`. Returns the new version, or `None` when someone saved in between.
pub async fn update(
    conn: &mut Conn,
    id: i64,
    expected_version: i64,
    draft: &ArticleDraft,
    rendered: &RenderedBody,
    now: i64,
    author: Option<i64>,
) -> sqlx::Result<Option<i64>> {
    let slug = draft.slug.as_str();
    let version = sqlx::query_scalar!(
        r#"UPDATE articles
           SET slug = ?, title = ?, summary = ?, kind = ?, difficulty = ?, status = ?,
               version = version + 1, updated_at = ?, updated_by = ?
           WHERE id = ? AND version = ?
           RETURNING version"#,
        slug,
        draft.title,
        draft.summary,
        draft.kind,
        draft.difficulty,
        draft.status,
        now,
        author,
        id,
        expected_version
    )
    .fetch_optional(&mut *conn)
    .await?;
    if version.is_some() {
        set_body(conn, id, &draft.body, rendered).await?;
    }
    Ok(version)
}

/// Writes an article's body with what was rendered from it.
async fn set_body(
    conn: &mut Conn,
    id: i64,
    body: &str,
    rendered: &RenderedBody,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO article_bodies (article_id, headings, links, answer_json, body_html, body)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (article_id) DO UPDATE
         SET headings = excluded.headings, links = excluded.links, answer_json = excluded.answer_json,
             body_html = excluded.body_html, body = excluded.body",
        id,
        rendered.headings,
        rendered.links,
        rendered.answer_json,
        rendered.html,
        body
    )
    .execute(&mut *conn)
    .await?;
    set_body_links(conn, id, &rendered.links).await
}

/// Rewrites `body_links` for an article from its body's `links` (a JSON array of slugs).
async fn set_body_links(conn: &mut Conn, id: i64, links: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM body_links WHERE article_id = ?", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT OR IGNORE INTO body_links (article_id, slug)
         SELECT ?, value FROM json_each(?)",
        id,
        links
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces an article's tags, creating tags on first use; the order is kept.
pub async fn set_tags(conn: &mut Conn, article_id: i64, tags: &[TagName]) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM article_tags WHERE article_id = ?", article_id)
        .execute(&mut *conn)
        .await?;
    for (position, tag) in (0_i64..).zip(tags) {
        let name = tag.as_str();
        sqlx::query!(
            "INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
            name
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "INSERT INTO article_tags (article_id, tag_id, position)
             SELECT ?, id, ? FROM tags WHERE name = ?",
            article_id,
            position,
            name
        )
        .execute(&mut *conn)
        .await?;
    }
    sync_topic_order(conn, article_id).await
}

/// Copies an article's place in the topic order onto its tag rows (see
/// `migrations/0005_topic_order.sql`): after its tags, title, difficulty, kind or status change.
pub async fn sync_topic_order(conn: &mut Conn, article_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE article_tags
         SET neighbour = (a.status = 'published' AND a.kind = 'question'),
             sort_level = CASE a.difficulty WHEN 'beginner' THEN 0
                                            WHEN 'intermediate' THEN 1 ELSE 2 END,
             sort_title = lower(a.title)
         FROM articles a
         WHERE a.id = article_tags.article_id AND article_tags.article_id = ?",
        article_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces an article's related links, in order. Returns the slugs that matched no article
/// (they are skipped), so the caller can refuse or report them.
pub async fn set_related(
    conn: &mut Conn,
    article_id: i64,
    related: &[impl AsRef<str>],
) -> sqlx::Result<Vec<String>> {
    sqlx::query!("DELETE FROM related_links WHERE article_id = ?", article_id)
        .execute(&mut *conn)
        .await?;
    let mut missing = Vec::new();
    for (position, slug) in (0_i64..).zip(related) {
        let slug = slug.as_ref();
        let inserted = sqlx::query!(
            "INSERT INTO related_links (article_id, target_id, position)
             SELECT ?, id, ? FROM articles WHERE slug = ? AND id != ?
             ON CONFLICT DO NOTHING",
            article_id,
            position,
            slug,
            article_id
        )
        .execute(&mut *conn)
        .await?;
        if inserted.rows_affected() == 0 {
            missing.push(slug.to_owned());
        }
    }
    Ok(missing)
}

/// Queues the article for the search index, in the same transaction as the change.
pub async fn enqueue_for_index(conn: &mut Conn, article_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO search_outbox (article_id, created_at) VALUES (?, ?)",
        article_id,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn count(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM articles"#)
        .fetch_one(conn)
        .await
}

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
    pub tags: String,
}

pub async fn published_for_index(pool: &SqlitePool) -> sqlx::Result<Vec<ForIndex>> {
    sqlx::query_as!(
        ForIndex,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body,
                  a.kind AS "kind: Kind", a.difficulty AS "difficulty: Difficulty",
                  a.status AS "status: crate::domain::Status",
                  coalesce((SELECT group_concat(t.name, ',' ORDER BY at.position)
                            FROM article_tags at JOIN tags t ON t.id = at.tag_id
                            WHERE at.article_id = a.id), '') AS "tags!: String"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
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
                  coalesce((SELECT group_concat(t.name, ',' ORDER BY at.position)
                            FROM article_tags at JOIN tags t ON t.id = at.tag_id
                            WHERE at.article_id = a.id), '') AS "tags!: String"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id WHERE a.id = ?"#,
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
                  coalesce(pc.tags, '') AS "tags!: String"
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
    sqlx::query_scalar!(
        r#"SELECT t.name AS "name!"
           FROM tags t JOIN article_tags at ON at.tag_id = t.id
           JOIN articles a ON a.id = at.article_id AND a.status = 'published'
           GROUP BY t.id ORDER BY count(*) DESC, t.name"#
    )
    .fetch_all(pool)
    .await
}

/// An article as the edit form shows it, whatever its status.
#[derive(Debug, Clone)]
pub struct ForEdit {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub status: Status,
    pub version: i64,
    /// Comma-separated, in order.
    pub tags: String,
    /// Comma-separated slugs, in order.
    pub related: String,
}

pub async fn for_edit(conn: &mut Conn, id: i64) -> sqlx::Result<Option<ForEdit>> {
    sqlx::query_as!(
        ForEdit,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body, a.kind AS "kind: Kind",
                  a.difficulty AS "difficulty: Difficulty", a.status AS "status: Status", a.version,
                  coalesce((SELECT group_concat(t.name, ',' ORDER BY at.position)
                            FROM article_tags at JOIN tags t ON t.id = at.tag_id
                            WHERE at.article_id = a.id), '') AS "tags!: String",
                  coalesce((SELECT group_concat(target.slug, ',' ORDER BY r.position)
                            FROM related_links r JOIN articles target ON target.id = r.target_id
                            WHERE r.article_id = a.id), '') AS "related!: String"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id WHERE a.id = ?"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// A row of the admin's article list.
#[derive(Debug, Clone)]
pub struct AdminRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub tags: String,
    pub updated_at: i64,
    pub updated_by: Option<String>,
}

/// What the admin list shows: a status (else everything but the trash), a tag, a piece of
/// title.
#[derive(Debug, Clone, Copy, Default)]
pub struct AdminFilter<'a> {
    pub status: Option<Status>,
    pub tag: Option<&'a str>,
    pub title_contains: Option<&'a str>,
}

/// How the admin list is sorted: `title`, `status` or `updated` (anything else), ascending
/// or descending; ties go to the most recently updated.
#[derive(Debug, Clone, Copy)]
pub struct AdminSort<'a> {
    pub by: &'a str,
    pub descending: bool,
}

/// One page of the admin list.
pub async fn admin_list(
    pool: &SqlitePool,
    filter: AdminFilter<'_>,
    sort: AdminSort<'_>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<AdminRow>> {
    let descending = i64::from(sort.descending);
    sqlx::query_as!(
        AdminRow,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.status AS "status: Status",
                  coalesce((SELECT group_concat(t.name, ',' ORDER BY at.position)
                            FROM article_tags at JOIN tags t ON t.id = at.tag_id
                            WHERE at.article_id = a.id), '') AS "tags!: String",
                  a.updated_at, u.username AS "updated_by?: String"
           FROM articles a LEFT JOIN users u ON u.id = a.updated_by
           WHERE (?1 IS NULL AND a.status != 'trashed' OR a.status = ?1)
             AND (?2 IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                        WHERE at.article_id = a.id AND t.name = ?2))
             AND (?3 IS NULL OR instr(lower(a.title), lower(?3)) > 0)
           ORDER BY CASE WHEN ?4 = 'title' AND ?5 = 0 THEN lower(a.title) END ASC,
                    CASE WHEN ?4 = 'title' AND ?5 = 1 THEN lower(a.title) END DESC,
                    CASE WHEN ?4 = 'status' AND ?5 = 0 THEN a.status END ASC,
                    CASE WHEN ?4 = 'status' AND ?5 = 1 THEN a.status END DESC,
                    CASE WHEN ?4 NOT IN ('title', 'status') AND ?5 = 0 THEN a.updated_at END ASC,
                    a.updated_at DESC, a.id DESC
           LIMIT ?6 OFFSET ?7"#,
        filter.status,
        filter.tag,
        filter.title_contains,
        sort.by,
        descending,
        limit,
        offset
    )
    .fetch_all(pool)
    .await
}

/// How many articles the admin list has with `filter`.
pub async fn admin_count(pool: &SqlitePool, filter: AdminFilter<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM articles a
           WHERE (?1 IS NULL AND a.status != 'trashed' OR a.status = ?1)
             AND (?2 IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                        WHERE at.article_id = a.id AND t.name = ?2))
             AND (?3 IS NULL OR instr(lower(a.title), lower(?3)) > 0)"#,
        filter.status,
        filter.tag,
        filter.title_contains
    )
    .fetch_one(pool)
    .await
}

/// Slugs of every published article: which links inside bodies may be shown.
pub async fn published_slugs(pool: &SqlitePool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!("SELECT slug FROM articles WHERE status = 'published' ORDER BY slug")
        .fetch_all(pool)
        .await
}

pub async fn status_of(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Status>> {
    sqlx::query_scalar!(
        r#"SELECT status AS "status: Status" FROM articles WHERE id = ?"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Sets an article's status (trash and back) as a new version. Returns the new version, or
/// `None` when there is no such article.
pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    status: Status,
    now: i64,
    author: Option<i64>,
) -> sqlx::Result<Option<i64>> {
    let version = sqlx::query_scalar!(
        "UPDATE articles SET status = ?, version = version + 1, updated_at = ?, updated_by = ?
         WHERE id = ? RETURNING version",
        status,
        now,
        author,
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    sync_topic_order(conn, id).await?;
    Ok(version)
}

/// An article that links to another: its related list names it (`in_related`), or else its
/// body links to it.
#[derive(Debug, Clone)]
pub struct Referrer {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub in_related: bool,
}

/// Articles outside the trash whose related list or body links to the article `id`.
pub async fn referrers(pool: &SqlitePool, id: i64) -> sqlx::Result<Vec<Referrer>> {
    sqlx::query_as!(
        Referrer,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.status AS "status: Status",
                  EXISTS (SELECT 1 FROM related_links r
                          WHERE r.article_id = a.id AND r.target_id = t.id) AS "in_related!: bool"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           JOIN articles t ON t.id = ?
           WHERE a.id != t.id AND a.status != 'trashed'
             AND (EXISTS (SELECT 1 FROM related_links r
                          WHERE r.article_id = a.id AND r.target_id = t.id)
                  OR EXISTS (SELECT 1 FROM json_each(ab.links) linked
                             WHERE linked.value = t.slug))
           ORDER BY a.title COLLATE NOCASE"#,
        id
    )
    .fetch_all(pool)
    .await
}

/// Every article's id and Markdown body, to render them again.
pub async fn all_bodies(conn: &mut Conn) -> sqlx::Result<Vec<(i64, String)>> {
    let rows =
        sqlx::query!(r#"SELECT article_id AS "id!", body FROM article_bodies ORDER BY article_id"#)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.body)).collect())
}

/// Replaces what was rendered from a body (the text and the version stay as they are).
pub async fn set_rendered(conn: &mut Conn, id: i64, rendered: &RenderedBody) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE article_bodies SET body_html = ?, headings = ?, answer_json = ?, links = ?
         WHERE article_id = ?",
        rendered.html,
        rendered.headings,
        rendered.answer_json,
        rendered.links,
        id
    )
    .execute(&mut *conn)
    .await?;
    set_body_links(conn, id, &rendered.links).await
}

/// A published article as a feed entry.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub created_at: i64,
    pub updated_at: i64,
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

/// Every article whatever its status, as the edit form shows it, by slug: what an export
/// writes.
pub async fn all_for_export(pool: &SqlitePool) -> sqlx::Result<Vec<ForEdit>> {
    sqlx::query_as!(
        ForEdit,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body, a.kind AS "kind: Kind",
                  a.difficulty AS "difficulty: Difficulty", a.status AS "status: Status", a.version,
                  coalesce((SELECT group_concat(t.name, ',' ORDER BY at.position)
                            FROM article_tags at JOIN tags t ON t.id = at.tag_id
                            WHERE at.article_id = a.id), '') AS "tags!: String",
                  coalesce((SELECT group_concat(target.slug, ',' ORDER BY r.position)
                            FROM related_links r JOIN articles target ON target.id = r.target_id
                            WHERE r.article_id = a.id), '') AS "related!: String"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id ORDER BY a.slug"#
    )
    .fetch_all(pool)
    .await
}
