//! The search report's tables (`migrations/0012_search_stats.sql`): counts written in batches
//! by `search_log`, and the report `/admin/search` reads.

use crate::db::{Conn, Db};

/// Counts for one query on one day.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub searches: i64,
    pub zero_results: i64,
    pub clicks: i64,
}

/// A query's counts over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRow {
    pub query: String,
    pub searches: i64,
    pub zero_results: i64,
    pub clicks: i64,
}

crate::db::store::dispatch! { search_stats;
    /// Adds `counts` to the row of (`day`, `query`). A query not yet seen that day gets a row only
    /// while the day has fewer than `cap` distinct queries (`known` is how many it has; it grows
    /// with each row added); returns whether the counts were kept.
    pub async fn add(conn: &mut Conn, day: i64, query: &str, counts: Counts, cap: i64, known: &mut i64) -> sqlx::Result<bool>;

    /// Distinct queries kept for `day`.
    pub async fn queries_on(conn: &mut Conn, day: i64) -> sqlx::Result<i64>;

    /// Adds `clicks` openings of result `position` on `day`.
    pub async fn add_clicks(conn: &mut Conn, day: i64, position: i64, clicks: i64) -> sqlx::Result<()>;

    /// Removes every count from before `day`; returns how many rows went.
    pub async fn delete_before(db: &Db, day: i64) -> sqlx::Result<u64>;

    /// Searches, searches with no result and opened results, all queries together, since `day`.
    pub async fn totals(db: &Db, since: i64) -> sqlx::Result<Counts>;

    /// The most searched queries since `day`, most first.
    pub async fn top(db: &Db, since: i64, limit: i64) -> sqlx::Result<Vec<QueryRow>>;

    /// Queries that found nothing since `day` (at least once), most often first.
    pub async fn without_results(db: &Db, since: i64, limit: i64) -> sqlx::Result<Vec<QueryRow>>;

    /// Queries that found results but whose results nobody opened since `day`, most searched
    /// first.
    pub async fn without_clicks(db: &Db, since: i64, limit: i64) -> sqlx::Result<Vec<QueryRow>>;

    /// How often each result position was opened since `day`, by position.
    pub async fn positions(db: &Db, since: i64) -> sqlx::Result<Vec<(i64, i64)>>;
}
