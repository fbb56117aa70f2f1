//! The PostgreSQL side of [`crate::db::copy::site`].

use sqlx::PgConnection;

use crate::db::copy::site::{LoggedChange, SearchClick, SearchQuery, SeedImport, Setting};

pub async fn read_search_outbox(
    conn: &mut PgConnection,
    after: Option<&LoggedChange>,
    limit: i64,
) -> sqlx::Result<Vec<LoggedChange>> {
    let id = after.map_or(i64::MIN, |row| row.id);
    sqlx::query_as!(
        LoggedChange,
        r#"SELECT id AS "id!", article_id AS "article_id!", created_at AS "created_at!", pages AS
           "pages!", slugs AS "slugs!" FROM search_outbox WHERE id > $1 ORDER BY id LIMIT $2"#,
        id,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_search_outbox(
    conn: &mut PgConnection,
    rows: &[LoggedChange],
) -> sqlx::Result<()> {
    let id: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let article_id: Vec<i64> = rows.iter().map(|row| row.article_id).collect();
    let created_at: Vec<i64> = rows.iter().map(|row| row.created_at).collect();
    let pages: Vec<String> = rows.iter().map(|row| row.pages.clone()).collect();
    let slugs: Vec<String> = rows.iter().map(|row| row.slugs.clone()).collect();
    sqlx::query!(
        "INSERT INTO search_outbox (id, article_id, created_at, pages, slugs) SELECT * FROM
         UNNEST($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::text[])",
        &id,
        &article_id,
        &created_at,
        &pages,
        &slugs,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_settings(
    conn: &mut PgConnection,
    after: Option<&Setting>,
    limit: i64,
) -> sqlx::Result<Vec<Setting>> {
    let name = after.map_or_else(String::new, |row| row.name.clone());
    sqlx::query_as!(
        Setting,
        r#"SELECT name AS "name!", value AS "value!" FROM settings WHERE name > $1 ORDER BY name
           LIMIT $2"#,
        name,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_settings(conn: &mut PgConnection, rows: &[Setting]) -> sqlx::Result<()> {
    let name: Vec<String> = rows.iter().map(|row| row.name.clone()).collect();
    let value: Vec<String> = rows.iter().map(|row| row.value.clone()).collect();
    sqlx::query!(
        "INSERT INTO settings (name, value) SELECT * FROM UNNEST($1::text[], $2::text[])",
        &name,
        &value,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_seed_imports(
    conn: &mut PgConnection,
    after: Option<&SeedImport>,
    limit: i64,
) -> sqlx::Result<Vec<SeedImport>> {
    let seed_slug = after.map_or_else(String::new, |row| row.seed_slug.clone());
    sqlx::query_as!(
        SeedImport,
        r#"SELECT seed_slug AS "seed_slug!", article_id AS "article_id?", content_hash AS
           "content_hash!", article_version AS "article_version!", imported_at AS "imported_at!"
           FROM seed_imports WHERE seed_slug > $1 ORDER BY seed_slug LIMIT $2"#,
        seed_slug,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
/// (sqlx's check knows arrays without NULLs only: a column that may hold one is passed
/// `as &[Option<_>]`, which PostgreSQL receives as an array with NULLs.)
pub async fn write_seed_imports(conn: &mut PgConnection, rows: &[SeedImport]) -> sqlx::Result<()> {
    let seed_slug: Vec<String> = rows.iter().map(|row| row.seed_slug.clone()).collect();
    let article_id: Vec<Option<i64>> = rows.iter().map(|row| row.article_id).collect();
    let content_hash: Vec<String> = rows.iter().map(|row| row.content_hash.clone()).collect();
    let article_version: Vec<i64> = rows.iter().map(|row| row.article_version).collect();
    let imported_at: Vec<i64> = rows.iter().map(|row| row.imported_at).collect();
    sqlx::query!(
        "INSERT INTO seed_imports (seed_slug, article_id, content_hash, article_version,
         imported_at) SELECT * FROM UNNEST($1::text[], $2::int8[], $3::text[], $4::int8[],
         $5::int8[])",
        &seed_slug,
        &article_id as &[Option<i64>],
        &content_hash,
        &article_version,
        &imported_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_search_queries(
    conn: &mut PgConnection,
    after: Option<&SearchQuery>,
    limit: i64,
) -> sqlx::Result<Vec<SearchQuery>> {
    let day = after.map_or(i64::MIN, |row| row.day);
    let query = after.map_or_else(String::new, |row| row.query.clone());
    sqlx::query_as!(
        SearchQuery,
        r#"SELECT day AS "day!", query AS "query!", searches AS "searches!", zero_results AS
           "zero_results!", clicks AS "clicks!" FROM search_queries WHERE (day, query) > ($1, $2)
           ORDER BY day, query LIMIT $3"#,
        day,
        query,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_search_queries(
    conn: &mut PgConnection,
    rows: &[SearchQuery],
) -> sqlx::Result<()> {
    let day: Vec<i64> = rows.iter().map(|row| row.day).collect();
    let query: Vec<String> = rows.iter().map(|row| row.query.clone()).collect();
    let searches: Vec<i64> = rows.iter().map(|row| row.searches).collect();
    let zero_results: Vec<i64> = rows.iter().map(|row| row.zero_results).collect();
    let clicks: Vec<i64> = rows.iter().map(|row| row.clicks).collect();
    sqlx::query!(
        "INSERT INTO search_queries (day, query, searches, zero_results, clicks) SELECT * FROM
         UNNEST($1::int8[], $2::text[], $3::int8[], $4::int8[], $5::int8[])",
        &day,
        &query,
        &searches,
        &zero_results,
        &clicks,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn read_search_clicks(
    conn: &mut PgConnection,
    after: Option<&SearchClick>,
    limit: i64,
) -> sqlx::Result<Vec<SearchClick>> {
    let day = after.map_or(i64::MIN, |row| row.day);
    let position = after.map_or(i64::MIN, |row| row.position);
    sqlx::query_as!(
        SearchClick,
        r#"SELECT day AS "day!", position AS "position!", clicks AS "clicks!" FROM search_clicks
           WHERE (day, position) > ($1, $2) ORDER BY day, position LIMIT $3"#,
        day,
        position,
        limit
    )
    .fetch_all(conn)
    .await
}

/// One statement for the whole batch: a round trip per row would take most of a copy.
pub async fn write_search_clicks(
    conn: &mut PgConnection,
    rows: &[SearchClick],
) -> sqlx::Result<()> {
    let day: Vec<i64> = rows.iter().map(|row| row.day).collect();
    let position: Vec<i64> = rows.iter().map(|row| row.position).collect();
    let clicks: Vec<i64> = rows.iter().map(|row| row.clicks).collect();
    sqlx::query!(
        "INSERT INTO search_clicks (day, position, clicks) SELECT * FROM UNNEST($1::int8[],
         $2::int8[], $3::int8[])",
        &day,
        &position,
        &clicks,
    )
    .execute(conn)
    .await?;
    Ok(())
}
