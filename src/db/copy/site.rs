//! The site's own rows: its change log, settings, seed imports and search statistics. Rows as `pykb copy` moves them ([`super`]).

use crate::db::Conn;

/// A row of the change log, with its id: an index built from the source stays at its place in the log.
#[derive(Debug, Clone)]
pub struct LoggedChange {
    pub id: i64,
    pub article_id: i64,
    pub created_at: i64,
    pub pages: String,
    pub slugs: String,
}

/// A server-wide value (the CSRF key, how far the log was pruned).
#[derive(Debug, Clone)]
pub struct Setting {
    pub name: String,
    pub value: String,
}

/// Which article a seed file became.
#[derive(Debug, Clone)]
pub struct SeedImport {
    pub seed_slug: String,
    pub article_id: Option<i64>,
    pub content_hash: String,
    pub article_version: i64,
    pub imported_at: i64,
}

/// A day's count of one normalized query.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub day: i64,
    pub query: String,
    pub searches: i64,
    pub zero_results: i64,
    pub clicks: i64,
}

/// A day's clicks on one result position.
#[derive(Debug, Clone)]
pub struct SearchClick {
    pub day: i64,
    pub position: i64,
    pub clicks: i64,
}

crate::db::store::dispatch! { copy::site;
    /// Up to `limit` rows of `search_outbox` after `after` (from the first without), in key order.
    pub async fn read_search_outbox(conn: &mut Conn, after: Option<&LoggedChange>, limit: i64) -> sqlx::Result<Vec<LoggedChange>>;
    pub async fn write_search_outbox(conn: &mut Conn, rows: &[LoggedChange]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `settings` after `after` (from the first without), in key order.
    pub async fn read_settings(conn: &mut Conn, after: Option<&Setting>, limit: i64) -> sqlx::Result<Vec<Setting>>;
    pub async fn write_settings(conn: &mut Conn, rows: &[Setting]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `seed_imports` after `after` (from the first without), in key order.
    pub async fn read_seed_imports(conn: &mut Conn, after: Option<&SeedImport>, limit: i64) -> sqlx::Result<Vec<SeedImport>>;
    pub async fn write_seed_imports(conn: &mut Conn, rows: &[SeedImport]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `search_queries` after `after` (from the first without), in key order.
    pub async fn read_search_queries(conn: &mut Conn, after: Option<&SearchQuery>, limit: i64) -> sqlx::Result<Vec<SearchQuery>>;
    pub async fn write_search_queries(conn: &mut Conn, rows: &[SearchQuery]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `search_clicks` after `after` (from the first without), in key order.
    pub async fn read_search_clicks(conn: &mut Conn, after: Option<&SearchClick>, limit: i64) -> sqlx::Result<Vec<SearchClick>>;
    pub async fn write_search_clicks(conn: &mut Conn, rows: &[SearchClick]) -> sqlx::Result<()>;
}
