//! The SQLite side of [`crate::db::copy`].

pub mod accounts;
pub mod content;
pub mod site;

use sqlx::SqliteConnection;

use crate::db::copy::Counts;

pub async fn counts(conn: &mut SqliteConnection) -> sqlx::Result<Counts> {
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
                  (SELECT count(*) FROM search_clicks) AS "search_clicks!: i64""#
    )
    .fetch_one(conn)
    .await
}

pub async fn finish(_conn: &mut SqliteConnection) -> sqlx::Result<()> {
    Ok(())
}
