//! The PostgreSQL side of [`crate::db::page_context`].
//!
//! The orders are those of the SQLite side: the topic order compares `sort_title` (lower() of
//! the "C" title, ASCII-only folding, byte order), and "Start here" compares `lower(title)`
//! where SQLite writes `title COLLATE NOCASE`, which `articles_start_here` indexes. PostgreSQL
//! takes no index hints (SQLite's `INDEXED BY`, `CROSS JOIN` as a join-order hint): the joins
//! here are plain joins and the planner picks the indexes.
//!
//! JSON is built with `json_build_array` / `json_agg` and stored as text (the columns are TEXT,
//! as in SQLite); PostgreSQL writes a space after each comma, which the Rust side parses alike.

use crate::db::page_context::*;
use crate::db::postgres::Conn;

/// The articles whose page context shows something of article `id` as it stands now,
/// itself included.
pub async fn affected_by(conn: &mut Conn, id: i64) -> sqlx::Result<Vec<Affected>> {
    sqlx::query_as!(
        Affected,
        r#"WITH x AS (SELECT id, slug, kind, lower(title) AS title,
                             CASE difficulty WHEN 'beginner' THEN 0
                                             WHEN 'intermediate' THEN 1 ELSE 2 END AS level
                      FROM articles WHERE id = $1)
           SELECT a.id AS "id!: i64", a.slug FROM articles a WHERE a.id IN (
             SELECT affected.id FROM (
               SELECT id FROM x
               UNION SELECT r.article_id FROM related_links r WHERE r.target_id = $1
               -- `body_links.slug` has the database's default collation and `x.slug` is
               -- "C": compared under "C", the equality (the same either way) could not use
               -- `body_links_by_slug`, and would scan every link.
               UNION SELECT bl.article_id FROM x
                     JOIN body_links bl ON bl.slug = x.slug COLLATE "default"
               UNION SELECT (SELECT m.article_id FROM article_tags m
                             WHERE m.tag_id = t.tag_id AND m.neighbour = 1
                               AND (m.sort_level, m.sort_title, m.article_id)
                                   < (x.level, x.title, x.id)
                             ORDER BY m.sort_level DESC, m.sort_title DESC, m.article_id DESC
                             LIMIT 1)
                     FROM x JOIN article_tags t ON t.article_id = x.id
               UNION SELECT (SELECT m.article_id FROM article_tags m
                             WHERE m.tag_id = t.tag_id AND m.neighbour = 1
                               AND (m.sort_level, m.sort_title, m.article_id)
                                   > (x.level, x.title, x.id)
                             ORDER BY m.sort_level, m.sort_title, m.article_id LIMIT 1)
                     FROM x JOIN article_tags t ON t.article_id = x.id
               -- "Start here": `x.title` is already lower(title), what SQLite's
               -- `b.title COLLATE NOCASE` compares the article's title as.
               UNION SELECT (SELECT b.id FROM articles b
                             WHERE b.status = 'published' AND b.kind <> 'question'
                               AND (b.kind, lower(b.title), b.id) < (x.kind, x.title, x.id)
                             ORDER BY b.kind DESC, lower(b.title) DESC, b.id DESC
                             LIMIT 1)
                     FROM x WHERE x.kind <> 'question'
               UNION SELECT (SELECT b.id FROM articles b
                             WHERE b.status = 'published' AND b.kind <> 'question'
                               AND (b.kind, lower(b.title), b.id) > (x.kind, x.title, x.id)
                             ORDER BY b.kind, lower(b.title), b.id LIMIT 1)
                     FROM x WHERE x.kind <> 'question') affected
             WHERE affected.id IS NOT NULL)"#,
        id
    )
    .fetch_all(conn)
    .await
}

/// Works out the page context of the published articles among `ids` again (and removes the
/// rows of those no longer published). Driven by the list: `ids` is bound as a `bigint[]`
/// (SQLite, without arrays, reads it as a JSON list). Each article's neighbours are two seeks
/// in the topic order index of its main topic (`article_tags_topic_order`), where
/// `refresh_all` runs a window over whole topics; both give the same rows
/// (`tests/app/writes.rs` checks it). The tag list and the links come from the
/// `article_lists` view; the related and unpublished-links subqueries repeat `refresh_all`'s,
/// which differ only in where the neighbours come from.
pub async fn refresh(conn: &mut Conn, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "DELETE FROM page_context WHERE article_id = ANY($1::bigint[])",
        ids
    )
    .execute(&mut *conn)
    .await?;
    // `link` is text holding JSON (see the view): `::json` nests it as JSON, as SQLite's
    // `json()` does; a missing neighbour is SQL NULL, which `json_build_array` writes `null`.
    // `json_agg` of no rows is NULL where SQLite's `json_group_array` gives `[]`, hence the
    // coalesce. The unpublished links keep the order of the body's `links` array (WITH
    // ORDINALITY), the order SQLite's `json_each` reads them in.
    //
    // ON CONFLICT: SQLite runs one writer at a time, so after the DELETE no row is left. Under
    // PostgreSQL's READ COMMITTED, another transaction refreshing the same article can commit
    // its row after this DELETE has run; the upsert then replaces that row (the last writer
    // wins, as it would in SQLite) where a plain INSERT would fail the save with a duplicate
    // key. Without a concurrent writer it never fires.
    sqlx::query!(
        r#"WITH a AS (SELECT a.*, ab.links, l.tags, lower(a.title) AS sort_title,
                             CASE a.difficulty WHEN 'beginner' THEN 0
                                               WHEN 'intermediate' THEN 1 ELSE 2 END AS level,
                             (SELECT main.tag_id FROM article_tags main
                              WHERE main.article_id = a.id AND main.position = 0) AS main_tag
                      FROM (SELECT DISTINCT unnest($1::bigint[]) AS id) wanted
                      JOIN articles a ON a.id = wanted.id
                      JOIN article_bodies ab ON ab.article_id = a.id
                      JOIN article_lists l ON l.article_id = a.id
                      WHERE a.status = 'published')
           INSERT INTO page_context (article_id, tags, related, unpublished_links, neighbours)
           SELECT a.id,
                  a.tags,
                  (SELECT coalesce(json_agg(b.link::json ORDER BY r.position), '[]')::text
                   FROM related_links r JOIN article_lists b ON b.article_id = r.target_id
                   WHERE r.article_id = a.id AND b.status = 'published'),
                  (SELECT coalesce(json_agg(linked.value ORDER BY linked.n), '[]')::text
                   FROM json_array_elements_text(a.links::json) WITH ORDINALITY
                        AS linked(value, n)
                   WHERE NOT EXISTS (SELECT 1 FROM articles b
                                     WHERE b.slug = linked.value AND b.status = 'published')),
                  CASE WHEN a.kind = 'question' THEN
                      json_build_array(
                          (SELECT p.link
                           FROM article_tags m JOIN article_lists p
                                ON p.article_id = m.article_id
                           WHERE m.tag_id = a.main_tag AND m.neighbour = 1
                             AND (m.sort_level, m.sort_title, m.article_id)
                                 < (a.level, a.sort_title, a.id)
                           ORDER BY m.sort_level DESC, m.sort_title DESC, m.article_id DESC
                           LIMIT 1)::json,
                          (SELECT p.link
                           FROM article_tags m JOIN article_lists p
                                ON p.article_id = m.article_id
                           WHERE m.tag_id = a.main_tag AND m.neighbour = 1
                             AND (m.sort_level, m.sort_title, m.article_id)
                                 > (a.level, a.sort_title, a.id)
                           ORDER BY m.sort_level, m.sort_title, m.article_id LIMIT 1)::json
                      )::text
                  ELSE
                      -- "Start here" order: `a.sort_title` is lower(title), what SQLite's
                      -- `b.title COLLATE NOCASE` compares the article's title as.
                      json_build_array(
                          (SELECT p.link
                           FROM articles b JOIN article_lists p ON p.article_id = b.id
                           WHERE b.status = 'published' AND b.kind <> 'question'
                             AND (b.kind, lower(b.title), b.id) < (a.kind, a.sort_title, a.id)
                           ORDER BY b.kind DESC, lower(b.title) DESC, b.id DESC
                           LIMIT 1)::json,
                          (SELECT p.link
                           FROM articles b JOIN article_lists p ON p.article_id = b.id
                           WHERE b.status = 'published' AND b.kind <> 'question'
                             AND (b.kind, lower(b.title), b.id) > (a.kind, a.sort_title, a.id)
                           ORDER BY b.kind, lower(b.title), b.id LIMIT 1)::json
                      )::text
                  END
           FROM a
           ON CONFLICT (article_id) DO UPDATE
               SET tags = excluded.tags, related = excluded.related,
                   unpublished_links = excluded.unpublished_links,
                   neighbours = excluded.neighbours"#,
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
           AS "complete!: bool" -- PostgreSQL"#
    )
    .fetch_one(conn)
    .await
}

/// Works out the page context of every published article again: after a batch write (seed,
/// import), at start-up when rows are missing (a database from before the table),
/// in `pykb reindex`, and in `pykb check` (rolled back).
/// The neighbours come from one window over every topic.
pub async fn refresh_all(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query!(r#"DELETE FROM page_context -- PostgreSQL"#)
        .execute(&mut *conn)
        .await?;
    // The JSON is built, and a concurrent writer's row replaced, as in `refresh` (see there).
    sqlx::query!(
        r#"INSERT INTO page_context (article_id, tags, related, unpublished_links, neighbours)
           SELECT a.id,
                  l.tags,
                  (SELECT coalesce(json_agg(b.link::json ORDER BY r.position), '[]')::text
                   FROM related_links r JOIN article_lists b ON b.article_id = r.target_id
                   WHERE r.article_id = a.id AND b.status = 'published'),
                  (SELECT coalesce(json_agg(linked.value ORDER BY linked.n), '[]')::text
                   FROM json_array_elements_text(ab.links::json) WITH ORDINALITY
                        AS linked(value, n)
                   WHERE NOT EXISTS (SELECT 1 FROM articles b
                                     WHERE b.slug = linked.value AND b.status = 'published')),
                  CASE WHEN a.kind = 'question' THEN
                      json_build_array(
                          (SELECT p.link FROM article_lists p
                           WHERE p.article_id = n.previous_id)::json,
                          (SELECT p.link FROM article_lists p
                           WHERE p.article_id = n.next_id)::json)::text
                  ELSE
                      json_build_array(
                          (SELECT p.link FROM article_lists p
                           WHERE p.article_id = s.previous_id)::json,
                          (SELECT p.link FROM article_lists p
                           WHERE p.article_id = s.next_id)::json)::text
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
                      WHERE b.status = 'published' AND b.kind <> 'question'
                      WINDOW start_here AS (ORDER BY b.kind, lower(b.title), b.id)) s
                  ON s.id = a.id
           WHERE a.status = 'published'
           ON CONFLICT (article_id) DO UPDATE
               SET tags = excluded.tags, related = excluded.related,
                   unpublished_links = excluded.unpublished_links,
                   neighbours = excluded.neighbours"#
    )
    .execute(conn)
    .await?;
    Ok(())
}
