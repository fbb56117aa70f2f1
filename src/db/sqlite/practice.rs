//! The SQLite side of [`crate::db::practice`].

use crate::db::practice::*;
use sqlx::SqlitePool;

use crate::db::verification::StoredRun;
use crate::domain::{Difficulty, Kind};

/// Published articles with the tag `topic` (any, when None) and the `difficulty` (any, when
/// None), by title, at most `limit`.
pub async fn articles(
    pool: &SqlitePool,
    topic: Option<&str>,
    difficulty: Option<Difficulty>,
    limit: i64,
) -> sqlx::Result<Vec<PracticeRow>> {
    sqlx::query_as!(
        PracticeRow,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body, a.python,
                  a.kind AS "kind: Kind"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           WHERE a.status = 'published'
             AND (?1 IS NULL OR EXISTS (SELECT 1 FROM article_tags at
                                        JOIN tags t ON t.id = at.tag_id
                                        WHERE at.article_id = a.id AND t.name = ?1))
             AND (?2 IS NULL OR a.difficulty = ?2)
           ORDER BY a.title COLLATE NOCASE, a.id
           LIMIT ?3"#,
        topic,
        difficulty,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Whether a topic of that name exists.
pub async fn topic_exists(pool: &SqlitePool, name: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM tags WHERE name = ?) AS "yes!: bool""#,
        name
    )
    .fetch_one(pool)
    .await
}

/// The stored runs of the articles `ids` (a JSON list), with their article's id.
pub async fn runs_of(pool: &SqlitePool, ids: &str) -> sqlx::Result<Vec<(i64, StoredRun)>> {
    let rows = sqlx::query!(
        r#"SELECT article_id, example, python, fingerprint, matches AS "matches: bool",
                  outside_range AS "outside_range: bool", output, problem, ran_at
           FROM example_runs
           WHERE article_id IN (SELECT value FROM json_each(?))
           ORDER BY article_id, example, python"#,
        ids
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.article_id,
                StoredRun {
                    example: r.example,
                    python: r.python,
                    fingerprint: r.fingerprint,
                    matches: r.matches,
                    outside_range: r.outside_range,
                    output: r.output,
                    problem: r.problem,
                    ran_at: r.ran_at,
                },
            )
        })
        .collect())
}

/// The published article with this slug, as cards are made from it.
pub async fn article(pool: &SqlitePool, slug: &str) -> sqlx::Result<Option<PracticeRow>> {
    sqlx::query_as!(
        PracticeRow,
        r#"SELECT a.id AS "id!", a.slug, a.title, a.summary, ab.body, a.python,
                  a.kind AS "kind: Kind"
           FROM articles a JOIN article_bodies ab ON ab.article_id = a.id
           WHERE a.slug = ? AND a.status = 'published'"#,
        slug
    )
    .fetch_optional(pool)
    .await
}
