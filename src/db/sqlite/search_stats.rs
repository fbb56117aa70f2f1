//! The SQLite side of [`crate::db::search_stats`].

use crate::db::search_stats::*;
use sqlx::{SqliteConnection, SqlitePool};

/// Adds `counts` to the row of (`day`, `query`). A query not yet seen that day gets a row only
/// while the day has fewer than `cap` distinct queries (`known` is how many it has; it grows
/// with each row added); returns whether the counts were kept.
pub async fn add(
    conn: &mut SqliteConnection,
    day: i64,
    query: &str,
    counts: Counts,
    cap: i64,
    known: &mut i64,
) -> sqlx::Result<bool> {
    let updated = sqlx::query!(
        "UPDATE search_queries
         SET searches = searches + ?3, zero_results = zero_results + ?4, clicks = clicks + ?5
         WHERE day = ?1 AND query = ?2",
        day,
        query,
        counts.searches,
        counts.zero_results,
        counts.clicks
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if updated > 0 {
        return Ok(true);
    }
    // A click on a result of a query nobody searched for today (a search before midnight)
    // has no row to count in: only searches start rows.
    if *known >= cap || counts.searches == 0 {
        return Ok(false);
    }
    sqlx::query!(
        "INSERT INTO search_queries (day, query, searches, zero_results, clicks)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        day,
        query,
        counts.searches,
        counts.zero_results,
        counts.clicks
    )
    .execute(&mut *conn)
    .await?;
    *known += 1;
    Ok(true)
}

/// Distinct queries kept for `day`.
pub async fn queries_on(conn: &mut SqliteConnection, day: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM search_queries WHERE day = ?"#,
        day
    )
    .fetch_one(conn)
    .await
}

/// Adds `clicks` openings of result `position` on `day`.
pub async fn add_clicks(
    conn: &mut SqliteConnection,
    day: i64,
    position: i64,
    clicks: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO search_clicks (day, position, clicks) VALUES (?1, ?2, ?3)
         ON CONFLICT (day, position) DO UPDATE SET clicks = clicks + excluded.clicks",
        day,
        position,
        clicks
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes every count from before `day`; returns how many rows went.
pub async fn delete_before(pool: &SqlitePool, day: i64) -> sqlx::Result<u64> {
    let mut tx = pool.begin().await?;
    let queries = sqlx::query!("DELETE FROM search_queries WHERE day < ?", day)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let clicks = sqlx::query!("DELETE FROM search_clicks WHERE day < ?", day)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(queries + clicks)
}

/// Searches, searches with no result and opened results, all queries together, since `day`.
pub async fn totals(pool: &SqlitePool, since: i64) -> sqlx::Result<Counts> {
    let row = sqlx::query!(
        r#"SELECT COALESCE(SUM(searches), 0) AS "searches!: i64",
                  COALESCE(SUM(zero_results), 0) AS "zero_results!: i64",
                  COALESCE(SUM(clicks), 0) AS "clicks!: i64"
           FROM search_queries WHERE day >= ?"#,
        since
    )
    .fetch_one(pool)
    .await?;
    Ok(Counts {
        searches: row.searches,
        zero_results: row.zero_results,
        clicks: row.clicks,
    })
}

/// The most searched queries since `day`, most first.
pub async fn top(pool: &SqlitePool, since: i64, limit: i64) -> sqlx::Result<Vec<QueryRow>> {
    sqlx::query_as!(
        QueryRow,
        r#"SELECT query AS "query!", SUM(searches) AS "searches!: i64",
                  SUM(zero_results) AS "zero_results!: i64", SUM(clicks) AS "clicks!: i64"
           FROM search_queries WHERE day >= ?1
           GROUP BY query ORDER BY 2 DESC, query LIMIT ?2"#,
        since,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Queries that found nothing since `day` (at least once), most often first.
pub async fn without_results(
    pool: &SqlitePool,
    since: i64,
    limit: i64,
) -> sqlx::Result<Vec<QueryRow>> {
    sqlx::query_as!(
        QueryRow,
        r#"SELECT query AS "query!", SUM(searches) AS "searches!: i64",
                  SUM(zero_results) AS "zero_results!: i64", SUM(clicks) AS "clicks!: i64"
           FROM search_queries WHERE day >= ?1
           GROUP BY query HAVING SUM(zero_results) > 0
           ORDER BY 3 DESC, query LIMIT ?2"#,
        since,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Queries that found results but whose results nobody opened since `day`, most searched
/// first.
pub async fn without_clicks(
    pool: &SqlitePool,
    since: i64,
    limit: i64,
) -> sqlx::Result<Vec<QueryRow>> {
    sqlx::query_as!(
        QueryRow,
        r#"SELECT query AS "query!", SUM(searches) AS "searches!: i64",
                  SUM(zero_results) AS "zero_results!: i64", SUM(clicks) AS "clicks!: i64"
           FROM search_queries WHERE day >= ?1
           GROUP BY query HAVING SUM(clicks) = 0 AND SUM(searches) > SUM(zero_results)
           ORDER BY 2 DESC, query LIMIT ?2"#,
        since,
        limit
    )
    .fetch_all(pool)
    .await
}

/// How often each result position was opened since `day`, by position.
pub async fn positions(pool: &SqlitePool, since: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT position AS "position!: i64", SUM(clicks) AS "clicks!: i64"
           FROM search_clicks WHERE day >= ? GROUP BY position ORDER BY position"#,
        since
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.position, r.clicks)).collect())
}
