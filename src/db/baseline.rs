//! A plain SQLite FTS5 index over the same pages, ranked by bm25: the baseline our search is
//! measured against (relevance test and benchmarks). Not used by the site.
//!
//! The statements are checked at run time: the FTS5 table is created on the fly in a scratch
//! database, so there is nothing for compile-time checks to describe.

use sqlx::SqlitePool;

/// Creates the FTS5 table and fills it with the published articles of `source`.
pub async fn build(scratch: &SqlitePool, source: &super::Db) -> sqlx::Result<usize> {
    sqlx::query("CREATE VIRTUAL TABLE IF NOT EXISTS baseline USING fts5(slug UNINDEXED, title, summary, body)")
        .execute(scratch)
        .await?;
    let mut tx = scratch.begin().await?;
    let (mut count, mut after) = (0, 0);
    loop {
        let rows = super::articles::published_for_index(source, after, 500).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        (count, after) = (count + rows.len(), last);
        for row in &rows {
            sqlx::query("INSERT INTO baseline (slug, title, summary, body) VALUES (?, ?, ?, ?)")
                .bind(&row.slug)
                .bind(&row.title)
                .bind(&row.summary)
                .bind(&row.body)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(count)
}

/// The slugs FTS5 ranks best for the query's words (any of them), best first.
pub async fn search(scratch: &SqlitePool, query: &str, limit: i64) -> sqlx::Result<Vec<String>> {
    // FTS5's own syntax is not for users: quote each word, join them with OR.
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_scalar(
        "SELECT slug FROM baseline WHERE baseline MATCH ? ORDER BY bm25(baseline) LIMIT ?",
    )
    .bind(words.join(" OR "))
    .bind(limit)
    .fetch_all(scratch)
    .await
}
