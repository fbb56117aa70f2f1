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

pub async fn write_search_outbox(
    conn: &mut PgConnection,
    rows: &[LoggedChange],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO search_outbox (id, article_id, created_at, pages, slugs) VALUES ($1, $2, $3,
             $4, $5)",
            row.id,
            row.article_id,
            row.created_at,
            row.pages,
            row.slugs,
        )
        .execute(&mut *conn)
        .await?;
    }
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

pub async fn write_settings(conn: &mut PgConnection, rows: &[Setting]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO settings (name, value) VALUES ($1, $2)",
            row.name,
            row.value,
        )
        .execute(&mut *conn)
        .await?;
    }
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

pub async fn write_seed_imports(conn: &mut PgConnection, rows: &[SeedImport]) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO seed_imports (seed_slug, article_id, content_hash, article_version,
             imported_at) VALUES ($1, $2, $3, $4, $5)",
            row.seed_slug,
            row.article_id,
            row.content_hash,
            row.article_version,
            row.imported_at,
        )
        .execute(&mut *conn)
        .await?;
    }
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

pub async fn write_search_queries(
    conn: &mut PgConnection,
    rows: &[SearchQuery],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO search_queries (day, query, searches, zero_results, clicks) VALUES ($1, $2,
             $3, $4, $5)",
            row.day,
            row.query,
            row.searches,
            row.zero_results,
            row.clicks,
        )
        .execute(&mut *conn)
        .await?;
    }
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

pub async fn write_search_clicks(
    conn: &mut PgConnection,
    rows: &[SearchClick],
) -> sqlx::Result<()> {
    for row in rows {
        sqlx::query!(
            "INSERT INTO search_clicks (day, position, clicks) VALUES ($1, $2, $3)",
            row.day,
            row.position,
            row.clicks,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
