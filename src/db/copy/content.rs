//! Content: articles and everything stored about each. Rows as `pykb copy` moves them ([`super`]).

use crate::db::Conn;

/// An article's row (its body is an [`ArticleBody`]).
#[derive(Debug, Clone)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: String,
    pub difficulty: String,
    pub status: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
    pub python: String,
}

/// A topic. Its counts are not copied: the target's triggers count its `article_tags` rows as they arrive.
#[derive(Debug, Clone)]
pub struct Tag {
    pub id: i64,
    pub name: String,
}

/// An article's topic, with its place in the topic order.
#[derive(Debug, Clone)]
pub struct ArticleTag {
    pub article_id: i64,
    pub tag_id: i64,
    pub position: i64,
    pub neighbour: i64,
    pub sort_level: i64,
    pub sort_title: String,
    pub listed: i64,
}

/// A "related questions" link.
#[derive(Debug, Clone)]
pub struct RelatedLink {
    pub article_id: i64,
    pub target_id: i64,
    pub position: i64,
}

/// An article's body, its HTML and the parts worked out from it.
#[derive(Debug, Clone)]
pub struct ArticleBody {
    pub article_id: i64,
    pub headings: String,
    pub links: String,
    pub answer_json: String,
    pub body_html: String,
    pub body: String,
}

/// An entry a body links to.
#[derive(Debug, Clone)]
pub struct BodyLink {
    pub article_id: i64,
    pub slug: String,
}

/// A saved version of an article.
#[derive(Debug, Clone)]
pub struct Revision {
    pub id: i64,
    pub article_id: i64,
    pub version: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: String,
    pub difficulty: String,
    pub status: String,
    pub tags: String,
    pub related: String,
    pub author_id: Option<i64>,
    pub created_at: i64,
    pub python: String,
    pub note: String,
    pub published_by: Option<i64>,
}

/// An old slug of a renamed article.
#[derive(Debug, Clone)]
pub struct SlugRedirect {
    pub old_slug: String,
    pub article_id: i64,
    pub created_at: i64,
}

/// An article whose examples wait to be run.
#[derive(Debug, Clone)]
pub struct VerifyQueued {
    pub article_id: i64,
    pub queued_at: i64,
    pub generation: i64,
}

/// The latest run of an example on one Python.
#[derive(Debug, Clone)]
pub struct ExampleRun {
    pub article_id: i64,
    pub example: i64,
    pub python: String,
    pub fingerprint: String,
    pub matches: bool,
    pub outside_range: bool,
    pub output: String,
    pub problem: Option<String>,
    pub ran_at: i64,
}

crate::db::store::dispatch! { copy::content;
    /// Up to `limit` rows of `articles` after `after` (from the first without), in key order.
    pub async fn read_articles(conn: &mut Conn, after: Option<&Article>, limit: i64) -> sqlx::Result<Vec<Article>>;
    pub async fn write_articles(conn: &mut Conn, rows: &[Article]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `tags` after `after` (from the first without), in key order.
    pub async fn read_tags(conn: &mut Conn, after: Option<&Tag>, limit: i64) -> sqlx::Result<Vec<Tag>>;
    pub async fn write_tags(conn: &mut Conn, rows: &[Tag]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `article_tags` after `after` (from the first without), in key order.
    pub async fn read_article_tags(conn: &mut Conn, after: Option<&ArticleTag>, limit: i64) -> sqlx::Result<Vec<ArticleTag>>;
    pub async fn write_article_tags(conn: &mut Conn, rows: &[ArticleTag]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `related_links` after `after` (from the first without), in key order.
    pub async fn read_related_links(conn: &mut Conn, after: Option<&RelatedLink>, limit: i64) -> sqlx::Result<Vec<RelatedLink>>;
    pub async fn write_related_links(conn: &mut Conn, rows: &[RelatedLink]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `article_bodies` after `after` (from the first without), in key order.
    pub async fn read_article_bodies(conn: &mut Conn, after: Option<&ArticleBody>, limit: i64) -> sqlx::Result<Vec<ArticleBody>>;
    pub async fn write_article_bodies(conn: &mut Conn, rows: &[ArticleBody]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `body_links` after `after` (from the first without), in key order.
    pub async fn read_body_links(conn: &mut Conn, after: Option<&BodyLink>, limit: i64) -> sqlx::Result<Vec<BodyLink>>;
    pub async fn write_body_links(conn: &mut Conn, rows: &[BodyLink]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `revisions` after `after` (from the first without), in key order.
    pub async fn read_revisions(conn: &mut Conn, after: Option<&Revision>, limit: i64) -> sqlx::Result<Vec<Revision>>;
    pub async fn write_revisions(conn: &mut Conn, rows: &[Revision]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `slug_redirects` after `after` (from the first without), in key order.
    pub async fn read_slug_redirects(conn: &mut Conn, after: Option<&SlugRedirect>, limit: i64) -> sqlx::Result<Vec<SlugRedirect>>;
    pub async fn write_slug_redirects(conn: &mut Conn, rows: &[SlugRedirect]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `verify_queue` after `after` (from the first without), in key order.
    pub async fn read_verify_queue(conn: &mut Conn, after: Option<&VerifyQueued>, limit: i64) -> sqlx::Result<Vec<VerifyQueued>>;
    pub async fn write_verify_queue(conn: &mut Conn, rows: &[VerifyQueued]) -> sqlx::Result<()>;

    /// Up to `limit` rows of `example_runs` after `after` (from the first without), in key order.
    pub async fn read_example_runs(conn: &mut Conn, after: Option<&ExampleRun>, limit: i64) -> sqlx::Result<Vec<ExampleRun>>;
    pub async fn write_example_runs(conn: &mut Conn, rows: &[ExampleRun]) -> sqlx::Result<()>;
}
