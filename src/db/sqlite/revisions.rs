//! The SQLite side of [`crate::db::revisions`].

use crate::db::revisions::*;
use sqlx::SqlitePool;

use crate::db::sqlite::Conn;
use crate::domain::{Difficulty, Kind, Status};

/// Records the article as it now stands (fields, tags, related slugs) as a revision, with the
/// author's `note` on the change.
pub async fn record(
    conn: &mut Conn,
    article_id: i64,
    author: Option<i64>,
    now: i64,
    note: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO revisions
               (article_id, version, slug, title, summary, body, kind, difficulty, status,
                tags, related, python, author_id, created_at, note)
           SELECT a.id, a.version, a.slug, a.title, a.summary, ab.body, a.kind, a.difficulty,
                  a.status,
                  l.tags, l.related, a.python,
                  ?, ?, ?
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           JOIN article_lists l ON l.article_id = a.id WHERE a.id = ?"#,
        author,
        now,
        note,
        article_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An article's revisions, newest first.
pub async fn list(pool: &SqlitePool, article_id: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"SELECT r.version, r.title, r.status AS "status: Status",
                  u.username AS "author?: String", r.created_at, r.note,
                  p.username AS "published_by?: String"
           FROM revisions r LEFT JOIN users u ON u.id = r.author_id
           LEFT JOIN users p ON p.id = r.published_by
           WHERE r.article_id = ? ORDER BY r.version DESC"#,
        article_id
    )
    .fetch_all(pool)
    .await
}

/// The revision that recorded `version` of the article.
pub async fn get(conn: &mut Conn, article_id: i64, version: i64) -> sqlx::Result<Option<Revision>> {
    sqlx::query_as!(
        Revision,
        r#"SELECT r.version, r.slug, r.title, r.summary, r.body, r.kind AS "kind: Kind",
                  r.difficulty AS "difficulty: Difficulty", r.status AS "status: Status",
                  r.tags, r.related, r.python, u.username AS "author?: String", r.created_at
           FROM revisions r LEFT JOIN users u ON u.id = r.author_id
           WHERE r.article_id = ? AND r.version = ?"#,
        article_id,
        version
    )
    .fetch_optional(conn)
    .await
}

/// The status the article had before it went to the trash (what taking it out restores).
pub async fn status_before_trash(conn: &mut Conn, article_id: i64) -> sqlx::Result<Option<Status>> {
    sqlx::query_scalar!(
        r#"SELECT status AS "status: Status" FROM revisions
           WHERE article_id = ? AND status != 'trashed' ORDER BY version DESC LIMIT 1"#,
        article_id
    )
    .fetch_optional(conn)
    .await
}
