//! Reader lists that stay small at any size: the home page's topics with their counts and
//! first entries, one page of a topic, every topic with its count, and the API's pages of
//! articles (a keyset cursor, so a deep page costs what a first one does).

use crate::db::Db;

use super::articles::Summary;
use crate::domain::Difficulty;

/// A topic as the home page and `/tags` list it.
#[derive(Debug, Clone)]
pub struct TopicCount {
    pub name: String,
    /// Published entries with the tag, at any position (what its page lists).
    pub entries: i64,
}

/// A tag that is the main topic (first tag) of published questions.
#[derive(Debug, Clone)]
pub struct MainTopic {
    pub id: i64,
    pub name: String,
    /// Published entries with the tag at any position (what its page lists).
    pub entries: i64,
}

/// A published article as the sitemap lists it.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    pub slug: String,
    pub updated_at: i64,
}

/// A difficulty's place in the topic order (`sort_level` on the tag rows).
pub(in crate::db) fn level_of(difficulty: Difficulty) -> i64 {
    match difficulty {
        Difficulty::Beginner => 0,
        Difficulty::Intermediate => 1,
        Difficulty::Advanced => 2,
    }
}

pub(in crate::db) fn difficulty_at(level: i64) -> Option<Difficulty> {
    [
        Difficulty::Beginner,
        Difficulty::Intermediate,
        Difficulty::Advanced,
    ]
    .into_iter()
    .find(|d| level_of(*d) == level)
}

crate::db::store::dispatch! { listing;
    /// Every tag of a published entry, with how many published entries have it (kept on the
    /// tag row: `migrations/0007_topic_counts.sql`).
    pub async fn topics(db: &Db) -> sqlx::Result<Vec<TopicCount>>;

    /// Every main topic of a published question, with its page's count.
    pub async fn main_topics(db: &Db) -> sqlx::Result<Vec<MainTopic>>;

    /// Published entries of every kind but `question` ("Start here" on the home page), by title;
    /// at most `limit`.
    pub async fn start_here(db: &Db, limit: i64) -> sqlx::Result<Vec<Summary>>;

    /// The first `limit` published questions whose main topic is tag `tag_id`, in topic order:
    /// a seek in the topic-order index (`migrations/0005_topic_order.sql`), whatever the
    /// topic's size. The planner is told the index: it would otherwise sort the whole topic.
    pub async fn first_of_topic(db: &Db, tag_id: i64, limit: i64) -> sqlx::Result<Vec<Summary>>;

    /// The first `limit` published questions without a tag, in topic order: from the partial
    /// index of untagged page contexts (`migrations/0007_topic_counts.sql`), a few rows.
    pub async fn untagged_questions(db: &Db, limit: i64) -> sqlx::Result<Vec<Summary>>;

    /// How many published entries with `tag` there are at each difficulty.
    pub async fn tag_difficulties(db: &Db, tag: &str) -> sqlx::Result<Vec<(Difficulty, i64)>>;

    /// One page of the published entries with `tag` (of one difficulty, or all), in topic order:
    /// read in order from the listing index, so a page costs its offset, not the topic's size.
    pub async fn tag_page(db: &Db, tag: &str, difficulty: Option<Difficulty>, offset: i64, limit: i64) -> sqlx::Result<Vec<Summary>>;

    /// Up to `limit` published articles by title (case-insensitive), then id, after the article
    /// `after` (the cursor: the last id of the previous page).
    pub async fn api_page(db: &Db, after: Option<i64>, limit: i64) -> sqlx::Result<Vec<Summary>>;

    /// How many entries are published.
    pub async fn published_count(db: &Db) -> sqlx::Result<i64>;

    /// `limit` published articles' slugs and last changes from `offset`, by title (a seek in
    /// `articles_published_by_title`): one sitemap file's, without what pages need.
    pub async fn sitemap_articles(db: &Db, offset: i64, limit: i64) -> sqlx::Result<Vec<SitemapEntry>>;

    /// The last change in each sitemap file: the published articles by title are numbered from
    /// `first` (the URLs before them are the home page and the topics), `per_file` to a file;
    /// element n is file n's newest `updated_at`. Reads the title index and each row's date.
    pub async fn sitemap_file_dates(db: &Db, first: i64, per_file: i64) -> sqlx::Result<Vec<i64>>;

    /// When a published article last changed (0 with none).
    pub async fn newest_change(db: &Db) -> sqlx::Result<i64>;

    /// Every topic of published articles with the last change among them, by name.
    pub async fn topic_last_changes(db: &Db) -> sqlx::Result<Vec<(String, i64)>>;
}
