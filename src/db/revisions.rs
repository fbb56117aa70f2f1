//! Revisions: the full text of every saved version of an article, so any two can be compared
//! and any one restored.

use crate::db::{Conn, Db};

use crate::domain::{Difficulty, Kind, Status};

/// One line of an article's history.
#[derive(Debug, Clone)]
pub struct Entry {
    pub version: i64,
    pub title: String,
    pub status: Status,
    /// `None` for the seed import (or a deleted account).
    pub author: Option<String>,
    pub created_at: i64,
    /// What the author said of the change (may be empty).
    pub note: String,
    /// The reviewer who published it, when it went through review.
    pub published_by: Option<String>,
}

/// A revision's whole text.
#[derive(Debug, Clone)]
pub struct Revision {
    pub version: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub status: Status,
    /// Comma-separated, in order.
    pub tags: String,
    /// Comma-separated slugs, in order.
    pub related: String,
    /// The Pythons the page is about, as stored (`domain::PythonRange`).
    pub python: String,
    pub author: Option<String>,
    pub created_at: i64,
}

crate::db::store::dispatch! { revisions;
    /// Records the article as it now stands (fields, tags, related slugs) as a revision, with the
    /// author's `note` on the change.
    pub async fn record(conn: &mut Conn, article_id: i64, author: Option<i64>, now: i64, note: &str) -> sqlx::Result<()>;

    /// An article's revisions, newest first.
    pub async fn list(db: &Db, article_id: i64) -> sqlx::Result<Vec<Entry>>;

    /// The revision that recorded `version` of the article.
    pub async fn get(conn: &mut Conn, article_id: i64, version: i64) -> sqlx::Result<Option<Revision>>;

    /// The status the article had before it went to the trash (what taking it out restores).
    pub async fn status_before_trash(conn: &mut Conn, article_id: i64) -> sqlx::Result<Option<Status>>;
}
