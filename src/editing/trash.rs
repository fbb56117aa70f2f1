//! The trash: deleting an article moves it there (a new revision with status `trashed`), out
//! of the site, the search index, feeds and the API; taking it out restores the status it had.

use super::Stores;
use super::save::commit_revision;
use crate::db::{self, articles, page_context, revisions};
use crate::domain::Status;

/// An article that links to another, as the delete confirmation lists it.
#[derive(Debug, Clone)]
pub struct Backlink {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: Status,
    /// Named in its related questions (else linked from its body).
    pub in_related: bool,
}

/// Articles outside the trash that link to the article `id` (related list or body), whose
/// links stop being shown while it is gone.
pub async fn backlinks(stores: Stores<'_>, id: i64) -> anyhow::Result<Vec<Backlink>> {
    let referrers = articles::referrers(stores.db, id).await?;
    Ok(referrers
        .into_iter()
        .map(|r| Backlink {
            id: r.id,
            slug: r.slug,
            title: r.title,
            status: r.status,
            in_related: r.in_related,
        })
        .collect())
}

/// What a move into or out of the trash did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moved {
    Done,
    /// It was already where it was asked to go: nothing changed.
    AlreadyThere,
    Missing,
}

/// Moves the article to the trash.
pub async fn move_to_trash(stores: Stores<'_>, id: i64, author: i64) -> anyhow::Result<Moved> {
    let now = db::now();
    let mut tx = stores.db.begin_write().await?;
    match articles::status_of(&mut tx, id).await? {
        None => return Ok(Moved::Missing),
        Some(Status::Trashed) => return Ok(Moved::AlreadyThere),
        Some(_) => {}
    }
    let before = page_context::affected_by(&mut tx, id).await?;
    articles::set_status(&mut tx, id, Status::Trashed, now, Some(author)).await?;
    commit_revision(stores, tx, id, before, author, now, "", None).await?;
    Ok(Moved::Done)
}

/// Takes the article out of the trash with the status it had before (a draft when unknown).
pub async fn restore_from_trash(stores: Stores<'_>, id: i64, author: i64) -> anyhow::Result<Moved> {
    let now = db::now();
    let mut tx = stores.db.begin_write().await?;
    match articles::status_of(&mut tx, id).await? {
        None => return Ok(Moved::Missing),
        Some(Status::Trashed) => {}
        Some(_) => return Ok(Moved::AlreadyThere),
    }
    let before = revisions::status_before_trash(&mut tx, id).await?;
    let status = before.unwrap_or(Status::Draft);
    let before = page_context::affected_by(&mut tx, id).await?;
    articles::set_status(&mut tx, id, status, now, Some(author)).await?;
    commit_revision(stores, tx, id, before, author, now, "", None).await?;
    Ok(Moved::Done)
}
