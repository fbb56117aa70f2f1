//! The SQLite side of [`crate::db::page_context`].

use crate::db::page_context::*;
use crate::db::sqlite::Conn;

/// The articles whose page context shows something of article `id` as it stands now,
/// itself included.
pub async fn affected_by(conn: &mut Conn, id: i64) -> sqlx::Result<Vec<Affected>> {
    sqlx::query_as!(
        Affected,
        r#"WITH x AS (SELECT id, slug, kind, title AS own_title, lower(title) AS title,
                             CASE difficulty WHEN 'beginner' THEN 0
                                             WHEN 'intermediate' THEN 1 ELSE 2 END AS level
                      FROM articles WHERE id = ?1)
           SELECT a.id AS "id!: i64", a.slug FROM articles a WHERE a.id IN (
             SELECT id FROM (
               SELECT id FROM x
               UNION SELECT r.article_id FROM related_links r WHERE r.target_id = ?1
               UNION SELECT bl.article_id FROM x CROSS JOIN body_links bl ON bl.slug = x.slug
               UNION SELECT (SELECT m.article_id FROM article_tags m
                             WHERE m.tag_id = t.tag_id AND m.neighbour = 1
                               AND (m.sort_level, m.sort_title, m.article_id)
                                   < (x.level, x.title, x.id)
                             ORDER BY m.sort_level DESC, m.sort_title DESC, m.article_id DESC
                             LIMIT 1)
                     FROM x CROSS JOIN article_tags t ON t.article_id = x.id
               UNION SELECT (SELECT m.article_id FROM article_tags m
                             WHERE m.tag_id = t.tag_id AND m.neighbour = 1
                               AND (m.sort_level, m.sort_title, m.article_id)
                                   > (x.level, x.title, x.id)
                             ORDER BY m.sort_level, m.sort_title, m.article_id LIMIT 1)
                     FROM x CROSS JOIN article_tags t ON t.article_id = x.id
               UNION SELECT (SELECT b.id FROM articles b INDEXED BY articles_start_here
                             WHERE b.status = 'published' AND b.kind != 'question'
                               AND (b.kind, b.title COLLATE NOCASE, b.id)
                                   < (x.kind, x.own_title, x.id)
                             ORDER BY b.kind DESC, b.title COLLATE NOCASE DESC, b.id DESC
                             LIMIT 1)
                     FROM x WHERE x.kind != 'question'
               UNION SELECT (SELECT b.id FROM articles b INDEXED BY articles_start_here
                             WHERE b.status = 'published' AND b.kind != 'question'
                               AND (b.kind, b.title COLLATE NOCASE, b.id)
                                   > (x.kind, x.own_title, x.id)
                             ORDER BY b.kind, b.title COLLATE NOCASE, b.id LIMIT 1)
                     FROM x WHERE x.kind != 'question')
             WHERE id IS NOT NULL)"#,
        id
    )
    .fetch_all(conn)
    .await
}

/// Works out the page context of the published articles among `ids` again (and removes the
/// rows of those no longer published). Driven by the list (`CROSS JOIN` keeps SQLite from
/// scanning every published article and probing the list instead: 10 ms a save at 100,000). Each article's neighbours are two seeks in the topic
/// order index of its main topic (`migrations/0005_topic_order.sql`), where `refresh_all`
/// runs a window over whole topics; both give the same rows (`tests/app/writes.rs` checks it).
/// The tag list and the links come from the `article_lists` view; the related and
/// unpublished-links subqueries repeat `refresh_all`'s, which differ only in where the
/// neighbours come from.
pub async fn refresh(conn: &mut Conn, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // A list of integers always serializes.
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query!(
        "DELETE FROM page_context WHERE article_id IN (SELECT value FROM json_each(?1))",
        ids
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"WITH a AS (SELECT a.*, ab.links, l.tags, lower(a.title) AS sort_title,
                             CASE a.difficulty WHEN 'beginner' THEN 0
                                               WHEN 'intermediate' THEN 1 ELSE 2 END AS level,
                             (SELECT main.tag_id FROM article_tags main
                              WHERE main.article_id = a.id AND main.position = 0) AS main_tag
                      FROM (SELECT DISTINCT value AS id FROM json_each(?1)) wanted
                      CROSS JOIN articles a ON a.id = wanted.id
                      JOIN article_bodies ab ON ab.article_id = a.id
                      JOIN article_lists l ON l.article_id = a.id
                      WHERE a.status = 'published')
           INSERT INTO page_context (article_id, tags, related, unpublished_links, neighbours)
           SELECT a.id,
                  a.tags,
                  (SELECT json_group_array(json(b.link) ORDER BY r.position)
                   FROM related_links r CROSS JOIN article_lists b ON b.article_id = r.target_id
                   WHERE r.article_id = a.id AND b.status = 'published'),
                  (SELECT json_group_array(linked.value)
                   FROM json_each(a.links) linked
                   WHERE NOT EXISTS (SELECT 1 FROM articles b
                                     WHERE b.slug = linked.value AND b.status = 'published')),
                  CASE WHEN a.kind = 'question' THEN
                      json_array(
                          json((SELECT p.link
                                FROM article_tags m CROSS JOIN article_lists p
                                     ON p.article_id = m.article_id
                                WHERE m.tag_id = a.main_tag AND m.neighbour = 1
                                  AND (m.sort_level, m.sort_title, m.article_id)
                                      < (a.level, a.sort_title, a.id)
                                ORDER BY m.sort_level DESC, m.sort_title DESC, m.article_id DESC
                                LIMIT 1)),
                          json((SELECT p.link
                                FROM article_tags m CROSS JOIN article_lists p
                                     ON p.article_id = m.article_id
                                WHERE m.tag_id = a.main_tag AND m.neighbour = 1
                                  AND (m.sort_level, m.sort_title, m.article_id)
                                      > (a.level, a.sort_title, a.id)
                                ORDER BY m.sort_level, m.sort_title, m.article_id LIMIT 1)))
                  ELSE
                      json_array(
                          json((SELECT p.link
                                FROM articles b INDEXED BY articles_start_here
                                     CROSS JOIN article_lists p ON p.article_id = b.id
                                WHERE b.status = 'published' AND b.kind != 'question'
                                  AND (b.kind, b.title COLLATE NOCASE, b.id)
                                      < (a.kind, a.title, a.id)
                                ORDER BY b.kind DESC, b.title COLLATE NOCASE DESC, b.id DESC
                                LIMIT 1)),
                          json((SELECT p.link
                                FROM articles b INDEXED BY articles_start_here
                                     CROSS JOIN article_lists p ON p.article_id = b.id
                                WHERE b.status = 'published' AND b.kind != 'question'
                                  AND (b.kind, b.title COLLATE NOCASE, b.id)
                                      > (a.kind, a.title, a.id)
                                ORDER BY b.kind, b.title COLLATE NOCASE, b.id LIMIT 1)))
                  END
           FROM a"#,
        ids
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether every published article has its row (and no other article has one): what start-up
/// asks before it works them all out again, which at 100,000 articles takes seconds. Rows
/// that are there but wrong are `pykb check`'s to find and `pykb reindex`'s to mend.
pub async fn is_complete(conn: &mut Conn) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT (SELECT count(*) FROM page_context) =
                  (SELECT count(*) FROM page_context pc
                   JOIN articles a ON a.id = pc.article_id AND a.status = 'published')
              AND (SELECT count(*) FROM page_context) =
                  (SELECT count(*) FROM articles WHERE status = 'published')
           AS "complete!: bool""#
    )
    .fetch_one(conn)
    .await
}

/// Works out the page context of every published article again: after a batch write (seed,
/// import), at start-up when rows are missing (a database from before the table),
/// in `pykb reindex`, and in `pykb check` (rolled back).
/// The neighbours come from one window over every topic.
pub async fn refresh_all(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM page_context")
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        r#"INSERT INTO page_context (article_id, tags, related, unpublished_links, neighbours)
           SELECT a.id,
                  l.tags,
                  (SELECT json_group_array(json(b.link) ORDER BY r.position)
                   FROM related_links r CROSS JOIN article_lists b ON b.article_id = r.target_id
                   WHERE r.article_id = a.id AND b.status = 'published'),
                  (SELECT json_group_array(linked.value)
                   FROM json_each(ab.links) linked
                   WHERE NOT EXISTS (SELECT 1 FROM articles b
                                     WHERE b.slug = linked.value AND b.status = 'published')),
                  CASE WHEN a.kind = 'question' THEN
                      json_array(
                          json((SELECT p.link FROM article_lists p WHERE p.article_id = n.previous_id)),
                          json((SELECT p.link FROM article_lists p WHERE p.article_id = n.next_id)))
                  ELSE
                      json_array(
                          json((SELECT p.link FROM article_lists p WHERE p.article_id = s.previous_id)),
                          json((SELECT p.link FROM article_lists p WHERE p.article_id = s.next_id)))
                  END
           FROM articles a
           JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id
           LEFT JOIN (SELECT b.id, bt.position,
                             lag(b.id) OVER topic_order AS previous_id,
                             lead(b.id) OVER topic_order AS next_id
                      FROM article_tags bt JOIN articles b ON b.id = bt.article_id
                      WHERE b.status = 'published' AND b.kind = 'question'
                      WINDOW topic_order AS (
                          PARTITION BY bt.tag_id
                          ORDER BY CASE b.difficulty WHEN 'beginner' THEN 0
                                                     WHEN 'intermediate' THEN 1 ELSE 2 END,
                                   lower(b.title), b.id)) n
                  ON n.id = a.id AND n.position = 0
           LEFT JOIN (SELECT b.id,
                             lag(b.id) OVER start_here AS previous_id,
                             lead(b.id) OVER start_here AS next_id
                      FROM articles b
                      WHERE b.status = 'published' AND b.kind != 'question'
                      WINDOW start_here AS (ORDER BY b.kind, b.title COLLATE NOCASE, b.id)) s
                  ON s.id = a.id
           WHERE a.status = 'published'"#
    )
    .execute(conn)
    .await?;
    Ok(())
}
