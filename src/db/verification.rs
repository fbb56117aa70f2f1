//! The verification queue and the stored results of examples (`migrations/0008`): what the
//! worker in `verify::worker` reads and writes, and what pages show.

use crate::db::{Conn, Db};

/// What the worker needs of a queued article, when it is published.
pub struct ToVerify {
    pub slug: String,
    pub body: String,
    /// The Pythons the page is about, as stored (`domain::PythonRange`).
    pub python: String,
}

/// One stored run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRun {
    pub example: i64,
    pub python: String,
    pub fingerprint: String,
    pub matches: bool,
    pub outside_range: bool,
    pub output: String,
    pub problem: Option<String>,
    /// When it ran (Unix seconds); a run kept because its example did not change keeps it.
    pub ran_at: i64,
}

crate::db::store::dispatch! { verification;
    /// Queues an article's examples to be run (again); in the transaction of the change.
    pub async fn enqueue(conn: &mut Conn, article_id: i64, now: i64) -> sqlx::Result<()>;

    /// The article waiting longest, and its queue generation (see `store`).
    pub async fn next_queued(db: &Db) -> sqlx::Result<Option<(i64, i64)>>;

    /// How many articles wait.
    pub async fn queue_length(db: &Db) -> sqlx::Result<i64>;

    pub async fn published_body(db: &Db, id: i64) -> sqlx::Result<Option<ToVerify>>;

    /// Published articles after id `after`, by id, `limit` at a time (for `pykb verify`).
    pub async fn published_after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<(i64, ToVerify)>>;

    /// An article's stored runs, by example and version.
    pub async fn runs(db: &Db, article_id: i64) -> sqlx::Result<Vec<StoredRun>>;

    /// Replaces an article's runs with `runs` and takes it off the queue unless it was queued
    /// again since `generation` was read: one transaction.
    /// With `changed` (the article's slug, when something ran) the change is logged too, so
    /// every node forgets the page that shows the results (`db::outbox`).
    pub async fn store(db: &Db, article_id: i64, generation: i64, runs: &[StoredRun], changed: Option<&str>) -> sqlx::Result<()>;

    /// Takes an article off the queue with nothing to store (not published, or gone).
    pub async fn dequeue(db: &Db, article_id: i64, generation: i64) -> sqlx::Result<()>;

    /// Queues every published article (for interpreters not seen before), in one statement;
    /// articles already queued keep their place. Returns how many were queued.
    pub async fn enqueue_all_published(conn: &mut Conn, now: i64) -> sqlx::Result<u64>;
}

/// When a set of results was made: its newest run's time (a run always has one), for the change
/// it logs.
pub(in crate::db) fn ran_at_or_now(runs: &[StoredRun]) -> i64 {
    runs.iter()
        .map(|run| run.ran_at)
        .max()
        .unwrap_or_else(crate::db::now)
}
