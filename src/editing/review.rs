//! Review before publishing (`PYKB_REVIEW=on`). A save that would publish goes to a reviewer
//! instead, unless its author may publish and nobody else can review it (a one-person site);
//! readers keep seeing what is published until a reviewer publishes the change. A change to a
//! published article leaves the article as it is and waits in `pending_changes`; a new or
//! never-published article is saved as the editors' draft, and the change waits beside it.
//! Publishing is a save of the waiting text (the revision keeps its author and records its
//! reviewer); returning it keeps it with the reviewer's note for its author.

use super::save::{Review, refused, save_with, unknown_related};
use super::{ArticleForm, FieldErrors, NewTopics, Saved, Stores};
use crate::db::{self, articles, pending, users};
use crate::domain::{ArticleDraft, Role, Status};

/// Where a save goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Saved (and published, if asked) at once.
    Save,
    /// Kept for a reviewer.
    Submit,
}

/// Where a save asking for `status` by `user_id` (of `role`) goes.
pub async fn route(
    db: &crate::db::Db,
    review_on: bool,
    user_id: i64,
    role: Role,
    status: Status,
) -> sqlx::Result<Route> {
    if !review_on {
        return Ok(Route::Save);
    }
    match status {
        Status::Review => Ok(Route::Submit),
        Status::Published => {
            // Nobody publishes their own change while someone else could review it.
            if role.can_publish() && !users::another_publisher(db, user_id).await? {
                Ok(Route::Save)
            } else {
                Ok(Route::Submit)
            }
        }
        Status::Draft | Status::Trashed => Ok(Route::Save),
    }
}

/// Sends a change for review: `form` is what the editor submitted (kept to be published as
/// it is, or given back), `draft` its validated fields.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    stores: Stores<'_>,
    id: Option<i64>,
    expected_version: i64,
    draft: &ArticleDraft,
    form: &ArticleForm,
    author: i64,
    new_topics: NewTopics,
    note: &str,
) -> anyhow::Result<Saved> {
    // The fields as they will be stored (trimmed, newlines normalized, lists as parsed), so the
    // review queue compares like with like and publishing saves exactly what was reviewed.
    let mut wanted = form.clone();
    wanted.title = draft.title.clone();
    wanted.slug = draft.slug.as_str().to_owned();
    wanted.summary = draft.summary.clone();
    wanted.body = draft.body.clone();
    wanted.tags = draft
        .tags
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    wanted.related = draft
        .related
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    wanted.status = Status::Published.to_string();
    wanted.csrf_token.clear();
    wanted.note = note.to_owned();
    let wanted = serde_json::to_string(&wanted)?;
    let live = match id {
        Some(id) => {
            let mut conn = stores.db.acquire().await?;
            articles::for_edit(&mut conn, id)
                .await?
                .filter(|a| a.status == Status::Published)
        }
        None => None,
    };
    let Some(live) = live else {
        // Never published: the text is the editors' draft, and the change waits beside it.
        let mut as_draft = draft.clone();
        as_draft.status = Status::Draft;
        return save_with(
            stores,
            id,
            expected_version,
            &as_draft,
            author,
            new_topics,
            note,
            Review::Submit { form: &wanted },
        )
        .await;
    };
    // Published: readers keep the article as it is; only the waiting change is written.
    let mut tx = stores.db.begin_write().await?;
    let Some(current) = articles::for_edit(&mut tx, live.id).await? else {
        return Ok(Saved::Missing);
    };
    if current.version != expected_version {
        return Ok(Saved::Conflict(Box::new(current)));
    }
    if let Some(errors) = refused(&mut tx, Some(current.id), draft, new_topics).await? {
        return Ok(Saved::Invalid(errors));
    }
    let missing = articles::missing_slugs(&mut tx, current.id, &draft.related).await?;
    if !missing.is_empty() {
        return Ok(Saved::Invalid(unknown_related(&missing)));
    }
    let now = db::now();
    pending::put(
        &mut tx,
        current.id,
        Some(current.version),
        &wanted,
        note,
        Some(author),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Saved::Done { id: current.id })
}

/// Keeps the change waiting beside the draft `save_with` just wrote (`Review::Submit`).
pub(super) async fn keep_pending(
    tx: &mut db::Conn,
    id: i64,
    form: &str,
    note: &str,
    author: i64,
    now: i64,
) -> sqlx::Result<()> {
    pending::put(tx, id, None, form, note, Some(author), now).await
}

/// What became of a reviewer's "Publish".
#[derive(Debug)]
pub enum Published {
    Done {
        id: i64,
    },
    /// No change waits for this article (published or returned meanwhile).
    NothingWaiting,
    /// The reviewer sent it, and another reviewer exists.
    OwnChange,
    /// The article changed since the change was made from it: its author should start again
    /// from what is published now.
    Stale,
    /// The waiting text no longer passes the form's checks (a slug taken meanwhile, say).
    Invalid(FieldErrors),
    Missing,
}

/// Publishes the change waiting for `id`, as `reviewer`.
pub async fn publish(stores: Stores<'_>, id: i64, reviewer: i64) -> anyhow::Result<Published> {
    let mut conn = stores.db.acquire().await?;
    let Some(waiting) = pending::get(&mut conn, id)
        .await?
        .filter(|p| p.returned_at.is_none())
    else {
        return Ok(Published::NothingWaiting);
    };
    let Some(current) = articles::for_edit(&mut conn, id).await? else {
        return Ok(Published::Missing);
    };
    drop(conn);
    if waiting.submitted_by == Some(reviewer)
        && users::another_publisher(stores.db, reviewer).await?
    {
        return Ok(Published::OwnChange);
    }
    if current.version != waiting.base_version {
        return Ok(Published::Stale);
    }
    let form: ArticleForm = serde_json::from_str(&waiting.draft)?;
    let checked = crate::cpu::RENDER.run(move || form.validate()).await?;
    let mut draft = match checked {
        Ok(draft) => draft,
        Err(errors) => return Ok(Published::Invalid(errors)),
    };
    draft.status = Status::Published;
    let author = waiting.submitted_by.unwrap_or(reviewer);
    let saved = save_with(
        stores,
        Some(id),
        current.version,
        &draft,
        author,
        NewTopics::Allowed,
        &waiting.note,
        Review::Publish { by: reviewer },
    )
    .await?;
    Ok(match saved {
        Saved::Done { id } => Published::Done { id },
        Saved::Conflict(_) => Published::Stale,
        Saved::Invalid(errors) => Published::Invalid(errors),
        Saved::Missing => Published::Missing,
    })
}

/// Gives the change waiting for `id` back to its author with `note`; false when none waits.
pub async fn send_back(db: &db::Db, id: i64, reviewer: i64, note: &str) -> anyhow::Result<bool> {
    Ok(pending::send_back(db, id, reviewer, note, db::now()).await?)
}
