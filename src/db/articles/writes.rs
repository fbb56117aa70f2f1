//! Writes of an article and of what is derived from it in the same table set (its body's
//! rendering and links, its tags and their topic order, its related links, its place in the
//! search outbox). Each runs in the caller's transaction.

use crate::db::{Conn, Db};
use crate::domain::{ArticleDraft, Status, TagName};
use crate::render::RenderedBody;

/// A stored body to render again.
#[derive(Debug, Clone)]
pub struct StoredBody {
    pub id: i64,
    pub slug: String,
    pub body: String,
}

crate::db::store::dispatch! { articles::writes;
    /// Inserts a new article at version 1 and returns its id. Tags, related links and the
    /// revision are written by the functions below, in the caller's transaction.
    pub async fn insert(conn: &mut Conn, draft: &ArticleDraft, rendered: &RenderedBody, now: i64, author: Option<i64>) -> sqlx::Result<i64>;

    /// Overwrites an article's fields and increments its version, but only if its version is still
    /// `expected_version`. Returns the new version, or `None` when someone saved in between.
    pub async fn update(conn: &mut Conn, id: i64, expected_version: i64, draft: &ArticleDraft, rendered: &RenderedBody, now: i64, author: Option<i64>) -> sqlx::Result<Option<i64>>;

    /// What was rendered from article `id`'s body, if its body is still `body`: a save that leaves
    /// the body as it was (a new title, other tags) renders nothing again. Stored renderings are
    /// the current renderer's, or will be once the background re-render reaches them.
    pub async fn stored_rendering(db: &Db, id: i64, body: &str) -> sqlx::Result<Option<RenderedBody>>;

    /// Replaces an article's tags, creating tags on first use; the order is kept.
    /// The names among `tags` that no topic has yet: what a save would create.
    pub async fn new_topics(conn: &mut Conn, tags: &[TagName]) -> sqlx::Result<Vec<String>>;

    pub async fn set_tags(conn: &mut Conn, article_id: i64, tags: &[TagName]) -> sqlx::Result<()>;

    /// Copies an article's place in the topic order onto its tag rows (see
    /// `migrations/0005_topic_order.sql` and `0007_topic_counts.sql`, whose triggers keep the
    /// tags' counts): after its tags, title, difficulty, kind or status change.
    pub async fn sync_topic_order(conn: &mut Conn, article_id: i64) -> sqlx::Result<()>;

    /// Replaces an article's related links, in order. Returns the slugs that matched no article
    /// (they are skipped), so the caller can refuse or report them.
    pub async fn set_related(conn: &mut Conn, article_id: i64, related: &[impl AsRef<str>]) -> sqlx::Result<Vec<String>>;


    /// Sets an article's status (trash and back) as a new version. Returns the new version, or
    /// `None` when there is no such article.
    pub async fn set_status(conn: &mut Conn, id: i64, status: Status, now: i64, author: Option<i64>) -> sqlx::Result<Option<i64>>;

    /// Up to `limit` bodies of the articles after id `after`, by id: one batch of a re-render.
    pub async fn bodies_after(conn: &mut Conn, after: i64, limit: i64) -> sqlx::Result<Vec<StoredBody>>;

    /// How many articles come after id `after`: what a re-render has left.
    pub async fn count_after(conn: &mut Conn, after: i64) -> sqlx::Result<i64>;

    /// Replaces what was rendered from a body, if the body is still `body` (a save in between
    /// stored its own rendering, by the same renderer). Returns whether it did.
    pub async fn set_rendered(conn: &mut Conn, id: i64, body: &str, rendered: &RenderedBody) -> sqlx::Result<bool>;

    /// Which of `slugs` name no article other than `article_id` (a related list's check, without
    /// writing it).
    pub async fn missing_slugs(conn: &mut Conn, article_id: i64, slugs: &[impl AsRef<str>]) -> sqlx::Result<Vec<String>>;
}
