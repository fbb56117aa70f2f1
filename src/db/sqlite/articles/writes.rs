//! The SQLite side of [`crate::db::articles::writes`].

use crate::db::articles::*;
use crate::db::sqlite::Conn;
use crate::domain::{ArticleDraft, Status, TagName};
use crate::render::RenderedBody;

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
    let python = draft.python.to_string();
    let stored = draft.status.stored();
    let id = sqlx::query_scalar!(
        r#"INSERT INTO articles
               (slug, title, summary, kind, difficulty, status, python, version, created_at,
                updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
           RETURNING id AS "id!""#,
        slug,
        draft.title,
        draft.summary,
        draft.kind,
        draft.difficulty,
        stored,
        python,
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
    let python = draft.python.to_string();
    let stored = draft.status.stored();
    let version = sqlx::query_scalar!(
        r#"UPDATE articles
           SET slug = ?, title = ?, summary = ?, kind = ?, difficulty = ?, status = ?, python = ?,
               version = version + 1, updated_at = ?, updated_by = ?
           WHERE id = ? AND version = ?
           RETURNING version"#,
        slug,
        draft.title,
        draft.summary,
        draft.kind,
        draft.difficulty,
        stored,
        python,
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

/// What was rendered from article `id`'s body, if its body is still `body`: a save that leaves
/// the body as it was (a new title, other tags) renders nothing again. Stored renderings are
/// the current renderer's, or will be once the background re-render reaches them.
pub async fn stored_rendering(
    pool: &sqlx::SqlitePool,
    id: i64,
    body: &str,
) -> sqlx::Result<Option<RenderedBody>> {
    sqlx::query_as!(
        RenderedBody,
        "SELECT body_html AS html, headings, answer_json, links FROM article_bodies
         WHERE article_id = ? AND body = ?",
        id,
        body
    )
    .fetch_optional(pool)
    .await
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
/// The names among `tags` that no topic has yet: what a save would create.
pub async fn new_topics(conn: &mut Conn, tags: &[TagName]) -> sqlx::Result<Vec<String>> {
    // A list of strings always serializes.
    let names = serde_json::to_string(&tags.iter().map(TagName::as_str).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".to_owned());
    let existing: Vec<String> = sqlx::query_scalar!(
        "SELECT name FROM tags WHERE name IN (SELECT value FROM json_each(?1))",
        names
    )
    .fetch_all(conn)
    .await?;
    Ok(tags
        .iter()
        .map(TagName::as_str)
        .filter(|name| !existing.iter().any(|e| e == name))
        .map(str::to_owned)
        .collect())
}

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
/// `migrations/0005_topic_order.sql` and `0007_topic_counts.sql`, whose triggers keep the
/// tags' counts): after its tags, title, difficulty, kind or status change.
pub async fn sync_topic_order(conn: &mut Conn, article_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE article_tags
         SET listed = (a.status = 'published'),
             neighbour = (a.status = 'published' AND a.kind = 'question'),
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

/// Up to `limit` bodies of the articles after id `after`, by id: one batch of a re-render.
pub async fn bodies_after(
    conn: &mut Conn,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<StoredBody>> {
    sqlx::query_as!(
        StoredBody,
        r#"SELECT ab.article_id AS "id!", a.slug, ab.body
           FROM article_bodies ab JOIN articles a ON a.id = ab.article_id
           WHERE ab.article_id > ? ORDER BY ab.article_id LIMIT ?"#,
        after,
        limit
    )
    .fetch_all(conn)
    .await
}

/// How many articles come after id `after`: what a re-render has left.
pub async fn count_after(conn: &mut Conn, after: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM article_bodies WHERE article_id > ?"#,
        after
    )
    .fetch_one(conn)
    .await
}

/// Replaces what was rendered from a body, if the body is still `body` (a save in between
/// stored its own rendering, by the same renderer). Returns whether it did.
pub async fn set_rendered(
    conn: &mut Conn,
    id: i64,
    body: &str,
    rendered: &RenderedBody,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE article_bodies SET body_html = ?, headings = ?, answer_json = ?, links = ?
         WHERE article_id = ? AND body = ?",
        rendered.html,
        rendered.headings,
        rendered.answer_json,
        rendered.links,
        id,
        body
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    set_body_links(conn, id, &rendered.links).await?;
    Ok(true)
}

/// Which of `slugs` name no article other than `article_id` (a related list's check, without
/// writing it).
pub async fn missing_slugs(
    conn: &mut Conn,
    article_id: i64,
    slugs: &[impl AsRef<str>],
) -> sqlx::Result<Vec<String>> {
    let mut missing = Vec::new();
    for slug in slugs {
        let slug = slug.as_ref();
        let found = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ? AND id != ?) AS "yes!: bool""#,
            slug,
            article_id
        )
        .fetch_one(&mut *conn)
        .await?;
        if !found {
            missing.push(slug.to_owned());
        }
    }
    Ok(missing)
}
