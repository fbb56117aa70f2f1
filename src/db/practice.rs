//! What practice cards are made from (`practice.rs`): published articles of a topic, with
//! their bodies, and their stored example runs.

use crate::db::Db;

use super::verification::StoredRun;
use crate::domain::{Difficulty, Kind};

#[derive(Debug, Clone)]
pub struct PracticeRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The Pythons the page is about, as stored (`domain::PythonRange`).
    pub python: String,
    pub kind: Kind,
}

crate::db::store::dispatch! { practice;
    /// Published articles with the tag `topic` (any, when None) and the `difficulty` (any, when
    /// None), by title, at most `limit`.
    pub async fn articles(db: &Db, topic: Option<&str>, difficulty: Option<Difficulty>, limit: i64) -> sqlx::Result<Vec<PracticeRow>>;

    /// Whether a topic of that name exists.
    pub async fn topic_exists(db: &Db, name: &str) -> sqlx::Result<bool>;

    /// The stored runs of the articles `ids` (a JSON list), with their article's id.
    pub async fn runs_of(db: &Db, ids: &str) -> sqlx::Result<Vec<(i64, StoredRun)>>;

    /// The published article with this slug, as cards are made from it.
    pub async fn article(db: &Db, slug: &str) -> sqlx::Result<Option<PracticeRow>>;
}
