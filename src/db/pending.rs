//! Changes waiting for a reviewer (`migrations/0013_review.sql`, `editing::review`): one per
//! article, the submitted form as JSON, who sent it and, once returned, the reviewer's note.

use crate::db::{Conn, Db};

/// A change waiting for review (or returned to its author).
#[derive(Debug, Clone)]
pub struct Pending {
    pub article_id: i64,
    /// The article's version the change was made from.
    pub base_version: i64,
    /// The submitted form (`editing::ArticleForm`) as JSON.
    pub draft: String,
    pub note: String,
    pub submitted_by: Option<i64>,
    pub submitted_by_name: Option<String>,
    pub submitted_at: i64,
    pub returned_by_name: Option<String>,
    pub returned_at: Option<i64>,
    pub return_note: String,
}

/// A waiting change as the review queue lists it, with the article as readers see it.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub article_id: i64,
    pub slug: String,
    pub title: String,
    /// The article's status now (`draft` for an article never published).
    pub status: String,
    pub version: i64,
    pub base_version: i64,
    pub draft: String,
    pub note: String,
    pub submitted_by: Option<i64>,
    pub submitted_by_name: Option<String>,
    pub submitted_at: i64,
}

crate::db::store::dispatch! { pending;
    /// Keeps `draft` as the change waiting for `article_id`, replacing an earlier one (returned
    /// or not). `base_version` None: the article's version as it stands now in this transaction.
    pub async fn put(conn: &mut Conn, article_id: i64, base_version: Option<i64>, draft: &str, note: &str, submitted_by: Option<i64>, now: i64) -> sqlx::Result<()>;

    pub async fn get(conn: &mut Conn, article_id: i64) -> sqlx::Result<Option<Pending>>;

    pub async fn remove(conn: &mut Conn, article_id: i64) -> sqlx::Result<()>;

    /// Returns the waiting change of `article_id` to its author with `note`; false when none waits.
    pub async fn send_back(db: &Db, article_id: i64, by: i64, note: &str, now: i64) -> sqlx::Result<bool>;

    /// The changes waiting for a reviewer, oldest first (at most `limit`).
    pub async fn waiting(db: &Db, limit: i64) -> sqlx::Result<Vec<Waiting>>;

    /// How many changes wait for a reviewer.
    pub async fn count_waiting(db: &Db) -> sqlx::Result<i64>;

    /// Marks the revision `version` of `article_id` as published by `by` (after review).
    pub async fn set_published_by(conn: &mut Conn, article_id: i64, version: i64, by: i64) -> sqlx::Result<()>;
}
