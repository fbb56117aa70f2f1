//! The change log (the `search_outbox` table, by its first job): one row per change to an
//! article, written in the change's own transaction with what it concerns. Every node follows
//! it (`crate::follow`): its search index applies the rows after the one its last commit
//! recorded, its page cache forgets the pages each row names. Rows are pruned by age, the
//! newest always kept; an index whose position was pruned away rebuilds from the database.
//!
//! Every write that logs a change holds the writers' lock (`Db::begin_write`; SQLite has one
//! writer anyway), so ids become visible in the order they were given: a node that has seen
//! id N never sees a smaller one appear later, and following by "after N" misses nothing.

use crate::db::{CommaList, Conn, Db};

/// Days a change stays in the log: a node stopped longer rebuilds its index when it starts.
pub const KEEP_DAYS: i64 = 7;

/// The PostgreSQL channel a logged change is announced on, at commit (`crate::follow`).
pub const CHANNEL: &str = "pykb_changes";

/// The `settings` row that says up to which id the log was pruned.
pub const PRUNED_THROUGH: &str = "change_log_pruned_through";

/// One change, as the nodes that follow the log read it.
#[derive(Debug, Clone)]
pub struct Change {
    pub id: i64,
    pub article_id: i64,
    /// Slugs of the articles whose pages show the change; `*` alone means every page.
    pub pages: CommaList,
    /// The changed article's own slugs (old and new).
    pub slugs: CommaList,
}

impl Change {
    /// Whether the change concerns every page (an import, a re-render's lists).
    pub fn everything(&self) -> bool {
        self.pages.iter().any(|page| page == "*")
    }
}

crate::db::store::dispatch! { outbox;
    /// Logs a change to `article_id`, in the caller's transaction: `pages` and `slugs` as
    /// comma-separated slugs (`*` for every page). On PostgreSQL it also signals the other
    /// nodes, at commit.
    pub async fn record(conn: &mut Conn, article_id: i64, now: i64, pages: &str, slugs: &str) -> sqlx::Result<()>;

    /// The changes after `after`, oldest first, at most `limit`.
    pub async fn after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<Change>>;

    /// The id of the newest change (0 when the log is empty).
    pub async fn last_id(db: &Db) -> sqlx::Result<i64>;

    /// The id of the oldest change kept, if any.
    pub async fn first_id(db: &Db) -> sqlx::Result<Option<i64>>;

    /// How many changes there are after `after`: a node's lag.
    pub async fn count_after(db: &Db, after: i64) -> sqlx::Result<i64>;

    /// Removes the changes logged before `before` (Unix seconds) but the newest, and records
    /// the last id removed under [`PRUNED_THROUGH`], in one transaction; how many went.
    pub async fn prune(db: &Db, before: i64) -> sqlx::Result<u64>;

    /// The last id pruned away (0 when none was).
    pub async fn pruned_through(db: &Db) -> sqlx::Result<i64>;
}
