//! The SQLite side of [`crate::db::articles::admin`].

use crate::db::articles::*;
use sqlx::SqlitePool;

use crate::db::CommaList;
use crate::db::sqlite::Conn;
use crate::domain::{Difficulty, Kind, Status};

pub async fn for_edit(conn: &mut Conn, id: i64) -> sqlx::Result<Option<ForEdit>> {
    sqlx::query_as!(
        ForEdit,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body, a.kind AS "kind: Kind",
                  a.difficulty AS "difficulty: Difficulty", a.status AS "status: Status", a.version,
                  l.tags AS "tags!: String", l.related AS "related!: String",
                  a.python
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id WHERE a.id = ?"#,
        id
    )
    .fetch_optional(conn)
    .await
}

/// Every article whatever its status, as the edit form shows it, by slug: what an export
/// writes.
pub async fn all_for_export(pool: &SqlitePool) -> sqlx::Result<Vec<ForEdit>> {
    sqlx::query_as!(
        ForEdit,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body, a.kind AS "kind: Kind",
                  a.difficulty AS "difficulty: Difficulty", a.status AS "status: Status", a.version,
                  l.tags AS "tags!: String", l.related AS "related!: String", a.python
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id ORDER BY a.slug"#
    )
    .fetch_all(pool)
    .await
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
                  l.tags AS "tags!: CommaList",
                  a.updated_at, u.username AS "updated_by?: String",
                  CASE WHEN a.status = 'published'
                            AND EXISTS (SELECT 1 FROM verify_queue q WHERE q.article_id = a.id)
                       THEN 'pending'
                       WHEN EXISTS (SELECT 1 FROM example_runs r WHERE r.article_id = a.id
                                    AND r.matches = 0 AND r.outside_range = 0)
                       THEN 'failing'
                       WHEN EXISTS (SELECT 1 FROM example_runs r WHERE r.article_id = a.id)
                       THEN 'ok'
                       ELSE 'none' END AS "examples!: String",
                  EXISTS (SELECT 1 FROM pending_changes p
                          WHERE p.article_id = a.id AND p.returned_at IS NULL) AS "waiting!: bool"
           FROM articles a JOIN article_lists l ON l.article_id = a.id
           LEFT JOIN users u ON u.id = a.updated_by
           WHERE (?1 IS NULL AND a.status != 'trashed' OR a.status = ?1
                  OR ?1 = 'review' AND EXISTS (SELECT 1 FROM pending_changes p
                                               WHERE p.article_id = a.id AND p.returned_at IS NULL))
             AND (?2 IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                        WHERE at.article_id = a.id AND t.name = ?2))
             AND (?3 IS NULL OR instr(lower(a.title), lower(?3)) > 0)
             AND (?8 = 0 OR a.id IN (SELECT r.article_id FROM example_runs r
                                     WHERE r.matches = 0 AND r.outside_range = 0))
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
        offset,
        filter.failing_examples
    )
    .fetch_all(pool)
    .await
}

/// How many articles the admin list has with `filter`.
pub async fn admin_count(pool: &SqlitePool, filter: AdminFilter<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM articles a
           WHERE (?1 IS NULL AND a.status != 'trashed' OR a.status = ?1
                  OR ?1 = 'review' AND EXISTS (SELECT 1 FROM pending_changes p
                                               WHERE p.article_id = a.id AND p.returned_at IS NULL))
             AND (?2 IS NULL OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                                        WHERE at.article_id = a.id AND t.name = ?2))
             AND (?3 IS NULL OR instr(lower(a.title), lower(?3)) > 0)
             AND (?4 = 0 OR a.id IN (SELECT r.article_id FROM example_runs r
                                     WHERE r.matches = 0 AND r.outside_range = 0))"#,
        filter.status,
        filter.tag,
        filter.title_contains,
        filter.failing_examples
    )
    .fetch_one(pool)
    .await
}

/// Articles outside the trash whose related list or body links to the article `id`: two
/// index seeks (`related_links_target`, `body_links_by_slug`), whatever the site's size.
pub async fn referrers(pool: &SqlitePool, id: i64) -> sqlx::Result<Vec<Referrer>> {
    sqlx::query_as!(
        Referrer,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.status AS "status: Status",
                  EXISTS (SELECT 1 FROM related_links r
                          WHERE r.article_id = a.id AND r.target_id = ?1) AS "in_related!: bool"
           FROM articles a
           WHERE a.id IN (SELECT r.article_id FROM related_links r WHERE r.target_id = ?1
                          UNION
                          SELECT bl.article_id FROM articles t
                          CROSS JOIN body_links bl ON bl.slug = t.slug WHERE t.id = ?1)
             AND a.id != ?1 AND a.status != 'trashed'
           ORDER BY a.title COLLATE NOCASE"#,
        id
    )
    .fetch_all(pool)
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

pub async fn status_of(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Status>> {
    sqlx::query_scalar!(
        r#"SELECT status AS "status: Status" FROM articles WHERE id = ?"#,
        id
    )
    .fetch_optional(conn)
    .await
}

pub async fn count(conn: &mut Conn) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM articles"#)
        .fetch_one(conn)
        .await
}

/// Topics whose name starts with `prefix` (lowercase), those with the most entries first:
/// what the editor's tag field suggests. A prefix search on the unique index of names.
pub async fn topics_starting(
    pool: &SqlitePool,
    prefix: &str,
    limit: i64,
) -> sqlx::Result<Vec<(String, i64)>> {
    // The range [prefix, prefix + U+10FFFF) holds exactly the names that start with it.
    let end = format!("{prefix}\u{10FFFF}");
    let rows = sqlx::query!(
        r#"SELECT name, entries AS "entries!: i64" FROM tags
           WHERE name >= ?1 AND name < ?2
           ORDER BY entries DESC, name LIMIT ?3"#,
        prefix,
        end,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.entries)).collect())
}
