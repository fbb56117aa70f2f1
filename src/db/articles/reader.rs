//! What readers' pages read: lists of published entries, an article's page, feeds.

use crate::db::Db;
use sqlx::types::Json;

use super::Link;
use crate::db::CommaList;
use crate::domain::{Difficulty, Kind};
use crate::render::Heading;

/// One entry in a list (home page, tag page).
#[derive(Debug, Clone)]
pub struct Summary {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub updated_at: i64,
    /// Tag names in the editor's order: the first is the main topic.
    pub tags: CommaList,
}

/// A published article with everything its page shows, read in one query: pages are served far
/// more often than written, and each query is a hop to a database thread.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    /// The body's headings, stored at save time.
    pub headings: Json<Vec<Heading>>,
    /// The body's prose as a JSON string literal safe in `<script>`, stored at save time.
    pub answer_json: String,
    pub created_at: i64,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub updated_at: i64,
    /// Tag names in the editor's order: the first is the main topic.
    pub tags: CommaList,
    /// The published related entries in the editor's order.
    pub related: Json<Vec<Link>>,
    /// The published entries among the ids asked for ("more like this"), in the order asked.
    pub similar: Json<Vec<Link>>,
    /// The slugs the body links to that are not published (now).
    pub unpublished_links: Json<Vec<String>>,
    /// `[previous, next]`: the neighbours of a question in its main topic (see
    /// `db::page_context`). NULL for other kinds.
    pub neighbours: Option<Json<Neighbours>>,
}

/// The entries before and after a question in its main topic's order.
pub type Neighbours = (Option<Link>, Option<Link>);

/// A published article as a feed entry.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub created_at: i64,
    pub updated_at: i64,
}

crate::db::store::dispatch! { articles::reader;
    /// The published article `slug` with the parts its page shows; `similar_ids` is a JSON array of
    /// article ids whose links to fetch ("more like this", from the search index). What depends on
    /// other articles comes from `page_context` (see `db::page_context`).
    ///
    /// The CROSS JOIN fixes the join order: SQLite would otherwise scan every published article
    /// and probe the list for each.
    pub async fn published_page(db: &Db, slug: &str, similar_ids: &str) -> sqlx::Result<Option<Page>>;

    /// The Markdown of a published article, for the JSON API.
    pub async fn published_body(db: &Db, id: i64) -> sqlx::Result<Option<String>>;

    /// Published articles by id, in the order of `ids` (search results load what they show here).
    pub async fn published_summaries_by_ids(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<Summary>>;

    /// Names of the tags that published articles carry, by how many carry them.
    pub async fn published_tag_names(db: &Db) -> sqlx::Result<Vec<String>>;

    /// Slugs of every published article: which links inside bodies may be shown.
    pub async fn published_slugs(db: &Db) -> sqlx::Result<Vec<String>>;

    /// The most recently updated published articles (those with `tag` only, if given).
    pub async fn recently_updated(db: &Db, tag: Option<&str>, limit: i64) -> sqlx::Result<Vec<FeedEntry>>;
}
