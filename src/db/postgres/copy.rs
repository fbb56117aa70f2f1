//! The PostgreSQL side of [`crate::db::copy`].

pub mod accounts;
pub mod content;
pub mod site;

use sqlx::PgConnection;

use crate::db::copy::Counts;

pub async fn counts(conn: &mut PgConnection) -> sqlx::Result<Counts> {
    sqlx::query_as!(
        Counts,
        r#"SELECT (SELECT count(*) FROM users) AS "users!: i64",
                  (SELECT count(*) FROM sessions) AS "sessions!: i64",
                  (SELECT count(*) FROM autosaves) AS "autosaves!: i64",
                  (SELECT count(*) FROM pending_changes) AS "pending_changes!: i64",
                  (SELECT count(*) FROM articles) AS "articles!: i64",
                  (SELECT count(*) FROM tags) AS "tags!: i64",
                  (SELECT count(*) FROM article_tags) AS "article_tags!: i64",
                  (SELECT count(*) FROM related_links) AS "related_links!: i64",
                  (SELECT count(*) FROM article_bodies) AS "article_bodies!: i64",
                  (SELECT count(*) FROM page_context) AS "page_context!: i64",
                  (SELECT count(*) FROM body_links) AS "body_links!: i64",
                  (SELECT count(*) FROM revisions) AS "revisions!: i64",
                  (SELECT count(*) FROM slug_redirects) AS "slug_redirects!: i64",
                  (SELECT count(*) FROM verify_queue) AS "verify_queue!: i64",
                  (SELECT count(*) FROM example_runs) AS "example_runs!: i64",
                  (SELECT count(*) FROM search_outbox) AS "search_outbox!: i64",
                  (SELECT count(*) FROM settings) AS "settings!: i64",
                  (SELECT count(*) FROM seed_imports) AS "seed_imports!: i64",
                  (SELECT count(*) FROM search_queries) AS "search_queries!: i64",
                  (SELECT count(*) FROM search_clicks) AS "search_clicks!: i64" -- PostgreSQL"#
    )
    .fetch_one(conn)
    .await
}

pub async fn finish(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!(
        "SELECT setval(pg_get_serial_sequence('users', 'id'),
                       coalesce((SELECT max(id) FROM users), 0) + 1, false) AS users,
                setval(pg_get_serial_sequence('articles', 'id'),
                       coalesce((SELECT max(id) FROM articles), 0) + 1, false) AS articles,
                setval(pg_get_serial_sequence('tags', 'id'),
                       coalesce((SELECT max(id) FROM tags), 0) + 1, false) AS tags,
                setval(pg_get_serial_sequence('revisions', 'id'),
                       coalesce((SELECT max(id) FROM revisions), 0) + 1, false) AS revisions,
                setval(pg_get_serial_sequence('search_outbox', 'id'),
                       coalesce((SELECT max(id) FROM search_outbox), 0) + 1, false) AS search_outbox"
    )
    .fetch_one(&mut *conn)
    .await?;
    // A database just filled has no statistics yet: without them the planner picks nested
    // scans for working out the page context (minutes at 100,000 articles, not seconds).
    sqlx::query!("ANALYZE").execute(conn).await?;
    Ok(())
}
