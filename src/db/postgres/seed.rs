//! The PostgreSQL side of [`crate::db::seed`].

use crate::db::postgres::Conn;
use crate::db::seed::*;

pub async fn get(conn: &mut Conn, seed_slug: &str) -> sqlx::Result<Option<SeedImport>> {
    sqlx::query_as!(
        SeedImport,
        "SELECT article_id, content_hash, article_version FROM seed_imports WHERE seed_slug = $1",
        seed_slug
    )
    .fetch_optional(conn)
    .await
}

pub async fn put(
    conn: &mut Conn,
    seed_slug: &str,
    article_id: i64,
    content_hash: &str,
    article_version: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO seed_imports (seed_slug, article_id, content_hash, article_version, imported_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (seed_slug) DO UPDATE SET
             article_id = excluded.article_id, content_hash = excluded.content_hash,
             article_version = excluded.article_version, imported_at = excluded.imported_at",
        seed_slug,
        article_id,
        content_hash,
        article_version,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}
