//! The PostgreSQL side of [`crate::db::redirects`].

use sqlx::PgPool;

use crate::db::postgres::Conn;

/// Records that `old_slug` now means the article `article_id`.
pub async fn add(conn: &mut Conn, old_slug: &str, article_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO slug_redirects (old_slug, article_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (old_slug) DO UPDATE SET article_id = excluded.article_id,
                                              created_at = excluded.created_at",
        old_slug,
        article_id,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A live article's slug always wins: drops any redirect from it.
pub async fn remove(conn: &mut Conn, slug: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM slug_redirects WHERE old_slug = $1", slug)
        .execute(conn)
        .await?;
    Ok(())
}

/// The current slug of the published article an old slug points to.
pub async fn target(pool: &PgPool, old_slug: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "SELECT a.slug FROM slug_redirects r JOIN articles a ON a.id = r.article_id
         WHERE r.old_slug = $1 AND a.status = 'published'",
        old_slug
    )
    .fetch_optional(pool)
    .await
}
