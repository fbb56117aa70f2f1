//! What the admin reads: the edit form, the article list, who links to an article, exports.

use crate::db::{Conn, Db};

use crate::db::CommaList;
use crate::domain::{Difficulty, Kind, Status};

/// An article as the edit form shows it, whatever its status.
#[derive(Debug, Clone)]
pub struct ForEdit {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub status: Status,
    pub version: i64,
    /// Comma-separated, in order.
    pub tags: String,
    /// Comma-separated slugs, in order.
    pub related: String,
    /// The Pythons the page is about, as stored (`domain::PythonRange`).
    pub python: String,
}

/// A row of the admin's article list.
#[derive(Debug, Clone)]
pub struct AdminRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub tags: CommaList,
    pub updated_at: i64,
    pub updated_by: Option<String>,
    /// How its examples stand: `pending` (queued to run), `failing` (one prints something
    /// else on a Python its page is about), `ok` (every stored run matches) or `none` (no
    /// runs: no examples, a draft, or verification off).
    pub examples: String,
    /// A change of it waits for a reviewer (`pending_changes`, not returned).
    pub waiting: bool,
}

/// What the admin list shows: a status (else everything but the trash; `review`: those with a
/// change waiting for a reviewer), a tag, a piece of title.
#[derive(Debug, Clone, Copy, Default)]
pub struct AdminFilter<'a> {
    pub status: Option<Status>,
    pub tag: Option<&'a str>,
    pub title_contains: Option<&'a str>,
    /// Only articles with an example that prints something else (`example_runs_failing`).
    pub failing_examples: bool,
}

/// How the admin list is sorted: `title`, `status` or `updated` (anything else), ascending
/// or descending; ties go to the most recently updated.
#[derive(Debug, Clone, Copy)]
pub struct AdminSort<'a> {
    pub by: &'a str,
    pub descending: bool,
}

/// An article that links to another: its related list names it (`in_related`), or else its
/// body links to it.
#[derive(Debug, Clone)]
pub struct Referrer {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: Status,
    pub in_related: bool,
}

crate::db::store::dispatch! { articles::admin;
    pub async fn for_edit(conn: &mut Conn, id: i64) -> sqlx::Result<Option<ForEdit>>;

    /// Every article whatever its status, as the edit form shows it, by slug: what an export
    /// writes.
    pub async fn all_for_export(db: &Db) -> sqlx::Result<Vec<ForEdit>>;

    /// One page of the admin list.
    pub async fn admin_list(db: &Db, filter: AdminFilter<'_>, sort: AdminSort<'_>, offset: i64, limit: i64) -> sqlx::Result<Vec<AdminRow>>;

    /// How many articles the admin list has with `filter`.
    pub async fn admin_count(db: &Db, filter: AdminFilter<'_>) -> sqlx::Result<i64>;

    /// Articles outside the trash whose related list or body links to the article `id`: two
    /// index seeks (`related_links_target`, `body_links_by_slug`), whatever the site's size.
    pub async fn referrers(db: &Db, id: i64) -> sqlx::Result<Vec<Referrer>>;

    /// The id and version of the article with this slug, whatever its status.
    pub async fn id_and_version(conn: &mut Conn, slug: &str) -> sqlx::Result<Option<(i64, i64)>>;

    pub async fn version_of(conn: &mut Conn, id: i64) -> sqlx::Result<Option<i64>>;

    pub async fn status_of(conn: &mut Conn, id: i64) -> sqlx::Result<Option<Status>>;

    pub async fn count(conn: &mut Conn) -> sqlx::Result<i64>;

    /// Topics whose name starts with `prefix` (lowercase), those with the most entries first:
    /// what the editor's tag field suggests. A prefix search on the unique index of names.
    pub async fn topics_starting(db: &Db, prefix: &str, limit: i64) -> sqlx::Result<Vec<(String, i64)>>;
}
