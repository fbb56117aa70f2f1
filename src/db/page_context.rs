//! `page_context`: what each published article's page shows of other articles (related
//! entries, body links that lead to unpublished entries, neighbours in its main topic) and its
//! tags, kept as one row per article (see `migrations/0003_page_parts.sql`).
//!
//! A change to one article touches the rows of the articles that show it, and only those: its
//! own, those that name it in their related list, those whose body links to its slug, and its
//! neighbours in each of its topics, before and after the change (an article that leaves a
//! place in a topic order makes its two neighbours adjacent; one that arrives separates two).
//! `affected_by` finds them; a writer asks it before and after writing and `refresh`es both
//! sets, so the work of a save grows with the size of the article's topics, not the site's.
//!
//! Neighbours follow the topic order of `listing::tag_page`: difficulty, then the
//! title compared in ASCII lowercase (SQLite's `lower`), then id, among published questions.
//! The main topic is the tag at position 0 (`set_tags` numbers from 0). Articles and
//! collections have their neighbours among each other, in the order of "Start here" on the
//! home page: kind (articles first), title ignoring ASCII case, id: seeks in the
//! `articles_start_here` index, named, since on a fresh database the planner would rather
//! scan every published article.

use crate::db::Conn;

/// An article whose page shows something of a changed one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Affected {
    pub id: i64,
    pub slug: String,
}

crate::db::store::dispatch! { page_context;
    /// The articles whose page context shows something of article `id` as it stands now,
    /// itself included.
    pub async fn affected_by(conn: &mut Conn, id: i64) -> sqlx::Result<Vec<Affected>>;

    /// Works out the page context of the published articles among `ids` again (and removes the
    /// rows of those no longer published). Driven by the list (`CROSS JOIN` keeps SQLite from
    /// scanning every published article and probing the list instead: 10 ms a save at 100,000). Each article's neighbours are two seeks in the topic
    /// order index of its main topic (`migrations/0005_topic_order.sql`), where `refresh_all`
    /// runs a window over whole topics; both give the same rows (`tests/app/writes.rs` checks it).
    /// The tag list and the links come from the `article_lists` view; the related and
    /// unpublished-links subqueries repeat `refresh_all`'s, which differ only in where the
    /// neighbours come from.
    pub async fn refresh(conn: &mut Conn, ids: &[i64]) -> sqlx::Result<()>;

    /// Whether every published article has its row (and no other article has one): what start-up
    /// asks before it works them all out again, which at 100,000 articles takes seconds. Rows
    /// that are there but wrong are `pykb check`'s to find and `pykb reindex`'s to mend.
    pub async fn is_complete(conn: &mut Conn) -> sqlx::Result<bool>;

    /// Works out the page context of every published article again: after a batch write (seed,
    /// import), at start-up when rows are missing (a database from before the table),
    /// in `pykb reindex`, and in `pykb check` (rolled back).
    /// The neighbours come from one window over every topic.
    pub async fn refresh_all(conn: &mut Conn) -> sqlx::Result<()>;
}
