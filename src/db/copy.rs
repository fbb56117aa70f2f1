//! Reading and writing every table row for row, with ids kept: what `pykb copy` moves a site
//! between databases with (`crate::commands::copy`), either way between SQLite and PostgreSQL.
//! Each group's module has a row type per table and a pair of functions: `read_TABLE`, a page
//! of rows in key order after a given row (a keyset, so a long table is read in bounded
//! batches), and `write_TABLE`, which inserts rows as they are.

pub mod accounts;
pub mod content;
pub mod site;

use crate::db::Conn;

/// How many rows each table holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub users: i64,
    pub sessions: i64,
    pub autosaves: i64,
    pub pending_changes: i64,
    pub articles: i64,
    pub tags: i64,
    pub article_tags: i64,
    pub related_links: i64,
    pub article_bodies: i64,
    pub page_context: i64,
    pub body_links: i64,
    pub revisions: i64,
    pub slug_redirects: i64,
    pub verify_queue: i64,
    pub example_runs: i64,
    pub search_outbox: i64,
    pub settings: i64,
    pub seed_imports: i64,
    pub search_queries: i64,
    pub search_clicks: i64,
}

impl Counts {
    /// Each table's name and count.
    pub fn by_table(&self) -> [(&'static str, i64); 20] {
        [
            ("users", self.users),
            ("sessions", self.sessions),
            ("autosaves", self.autosaves),
            ("pending_changes", self.pending_changes),
            ("articles", self.articles),
            ("tags", self.tags),
            ("article_tags", self.article_tags),
            ("related_links", self.related_links),
            ("article_bodies", self.article_bodies),
            ("page_context", self.page_context),
            ("body_links", self.body_links),
            ("revisions", self.revisions),
            ("slug_redirects", self.slug_redirects),
            ("verify_queue", self.verify_queue),
            ("example_runs", self.example_runs),
            ("search_outbox", self.search_outbox),
            ("settings", self.settings),
            ("seed_imports", self.seed_imports),
            ("search_queries", self.search_queries),
            ("search_clicks", self.search_clicks),
        ]
    }
}

crate::db::store::dispatch! { copy;
    /// How many rows each table holds, in one statement (one snapshot in a transaction).
    pub async fn counts(conn: &mut Conn) -> sqlx::Result<Counts>;

    /// Readies the target once its rows are in: new rows of the tables whose ids were copied
    /// take ids after the copied ones (PostgreSQL's identity sequences do not move when a row
    /// names its id; SQLite takes the largest id + 1 by itself), and PostgreSQL gathers the
    /// statistics its planner needs.
    pub async fn finish(conn: &mut Conn) -> sqlx::Result<()>;
}
