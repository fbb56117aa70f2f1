//! Saving an article: one transaction writes the article, its tags and related links, a new
//! revision, a redirect from a changed slug, and the search-outbox row; then the index applies
//! the outbox before the editor's response returns.

use super::FieldErrors;
use super::Stores;
use crate::db::articles::{self, ForEdit};
use crate::db::{self, page_context, redirects, revisions, verification};
use crate::domain::ArticleDraft;
use crate::page_cache::Changed;
use crate::render::render_body_pooled;

/// What became of a save.
#[derive(Debug)]
pub enum Saved {
    /// Written; the article's id.
    Done { id: i64 },
    /// Refused for reasons the editor can fix in the form.
    Invalid(FieldErrors),
    /// Someone saved a newer version since the editor loaded the form: theirs is `current`.
    Conflict(Box<ForEdit>),
    /// The article does not exist (any more).
    Missing,
}

/// Creates (`id` None) or updates an article from a validated draft. `expected_version` is the
/// version the editor's form was loaded at; an update over a newer one is a conflict.
/// Whether a save may create topics that do not exist yet (a typo in a tag would otherwise
/// become a public topic page without a word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewTopics {
    /// Refused with a message naming them, until the editor confirms (`new_tags_ok=1`).
    AskFirst,
    Allowed,
}

pub async fn save(
    stores: Stores<'_>,
    id: Option<i64>,
    expected_version: i64,
    draft: &ArticleDraft,
    author: i64,
    new_topics: NewTopics,
    note: &str,
) -> anyhow::Result<Saved> {
    save_with(
        stores,
        id,
        expected_version,
        draft,
        author,
        new_topics,
        note,
        Review::None,
    )
    .await
}

/// What a save does for review (`editing::review`), in the save's own transaction.
#[derive(Debug, Clone, Copy)]
pub enum Review<'a> {
    None,
    /// The saved text is the editors' copy of a change sent for review: keep `form` (the
    /// submitted fields as JSON, with the status asked for) waiting for a reviewer.
    Submit {
        form: &'a str,
    },
    /// The save publishes the change waiting for this article: it leaves the queue, and the
    /// new revision records who published it.
    Publish {
        by: i64,
    },
}

/// `save`, with the review step `review` written in the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn save_with(
    stores: Stores<'_>,
    id: Option<i64>,
    expected_version: i64,
    draft: &ArticleDraft,
    author: i64,
    new_topics: NewTopics,
    note: &str,
    review: Review<'_>,
) -> anyhow::Result<Saved> {
    let now = db::now();
    let stored = match id {
        Some(id) => articles::stored_rendering(stores.db, id, &draft.body).await?,
        None => None,
    };
    let rendered = match stored {
        Some(rendered) => rendered,
        None => render_body_pooled(draft.body.clone()).await?,
    };
    // IMMEDIATE takes the write lock up front: two deferred transactions upgrading at once
    // would fail with SQLITE_BUSY instead of waiting.
    let mut tx = stores.db.begin_write().await?;
    let slug = draft.slug.as_str();
    if let Some(errors) = refused(&mut tx, id, draft, new_topics).await? {
        return Ok(Saved::Invalid(errors));
    }
    // What shows this article before the change: it may not show it after.
    let mut before = Vec::new();
    let id = match id {
        None => articles::insert(&mut tx, draft, &rendered, now, Some(author)).await?,
        Some(id) => {
            before = page_context::affected_by(&mut tx, id).await?;
            let Some(current) = articles::for_edit(&mut tx, id).await? else {
                return Ok(Saved::Missing);
            };
            if current.version != expected_version {
                return Ok(Saved::Conflict(Box::new(current)));
            }
            if articles::update(
                &mut tx,
                id,
                expected_version,
                draft,
                &rendered,
                now,
                Some(author),
            )
            .await?
            .is_none()
            {
                return Ok(Saved::Conflict(Box::new(current)));
            }
            if current.slug != slug {
                redirects::add(&mut tx, &current.slug, id, now).await?;
            }
            id
        }
    };
    redirects::remove(&mut tx, slug).await?;
    articles::set_tags(&mut tx, id, &draft.tags).await?;
    let missing = articles::set_related(&mut tx, id, &draft.related).await?;
    if !missing.is_empty() {
        return Ok(Saved::Invalid(unknown_related(&missing)));
    }
    match review {
        Review::None => {}
        Review::Submit { form } => {
            super::review::keep_pending(&mut tx, id, form, note, author, now).await?;
        }
        Review::Publish { .. } => crate::db::pending::remove(&mut tx, id).await?,
    }
    let published_by = match review {
        Review::Publish { by } => Some(by),
        _ => None,
    };
    commit_revision(stores, tx, id, before, author, now, note, published_by).await?;
    Ok(Saved::Done { id })
}

/// The form's answer to related slugs that name no other article.
pub(super) fn unknown_related(missing: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add(
        "related",
        format!(
            "No other article has the slug {}; check the spelling or remove it.",
            missing.join(", ")
        ),
    );
    errors
}

/// Why the draft cannot be saved as it is, checked in the save's transaction: its slug is
/// another article's, or it names new topics the editor has not confirmed.
pub(super) async fn refused(
    tx: &mut db::Conn,
    id: Option<i64>,
    draft: &ArticleDraft,
    new_topics: NewTopics,
) -> anyhow::Result<Option<FieldErrors>> {
    let slug = draft.slug.as_str();
    if let Some((other, _)) = articles::id_and_version(&mut *tx, slug).await?
        && Some(other) != id
    {
        let mut errors = FieldErrors::default();
        errors.add(
            "slug",
            format!("Another article already uses the address /q/{slug}; choose another slug."),
        );
        return Ok(Some(errors));
    }
    if new_topics == NewTopics::AskFirst {
        let new = articles::new_topics(&mut *tx, &draft.tags).await?;
        if !new.is_empty() {
            let mut errors = FieldErrors::default();
            let names = new
                .iter()
                .map(|n| format!("“{n}”"))
                .collect::<Vec<_>>()
                .join(", ");
            errors.add(
                "tags",
                format!(
                    "{names} would be a new topic with a page of its own that readers see. \
                     Check the spelling, or tick “Create the new topics” and save again."
                ),
            );
            errors.add("new_tags_ok", new.join(", "));
            return Ok(Some(errors));
        }
    }
    Ok(None)
}

/// The last steps of every change to an article, whoever makes it (the form, a restore, the
/// trash): work out the page context of the articles that showed it before the change
/// (`before`, from `page_context::affected_by` before the first write) or show it now, record
/// the article as it stands as a revision, queue it for the search index, commit, let the
/// index catch up, and only then forget the cached pages that show it, so no page is cached
/// with what the index said before the change.
#[allow(clippy::too_many_arguments)]
pub(super) async fn commit_revision(
    stores: Stores<'_>,
    mut tx: db::Conn,
    id: i64,
    before: Vec<page_context::Affected>,
    author: i64,
    now: i64,
    note: &str,
    published_by: Option<i64>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let after = page_context::affected_by(&mut tx, id).await?;
    // The article's own slugs, before and after (a rename changes it).
    let article: Vec<String> = before
        .iter()
        .chain(&after)
        .filter(|a| a.id == id)
        .map(|a| a.slug.clone())
        .collect();
    let mut affected = before;
    affected.extend(after);
    affected.sort_unstable();
    affected.dedup();
    let ids: Vec<i64> = affected.iter().map(|a| a.id).collect();
    page_context::refresh(&mut tx, &ids).await?;
    revisions::record(&mut tx, id, Some(author), now, note).await?;
    if let Some(by) = published_by {
        let version = articles::version_of(&mut tx, id).await?.unwrap_or_default();
        crate::db::pending::set_published_by(&mut tx, id, version, by).await?;
    }
    let changed = Changed {
        pages: affected.into_iter().map(|a| a.slug).collect(),
        article,
        everything: false,
    };
    crate::db::outbox::record(
        &mut tx,
        id,
        now,
        &changed.pages.join(","),
        &changed.article.join(","),
    )
    .await?;
    verification::enqueue(&mut tx, id, now).await?;
    let derived = started.elapsed();
    tx.commit().await?;
    stores.verify_wake.notify_one();
    let committed = started.elapsed();
    // The edit is safe in the database now; should the index fail, the outbox keeps the change
    // for the next catch-up and /healthz reports the lag.
    if let Err(err) = stores.search.catch_up(stores.db).await {
        tracing::error!(
            error = format!("{err:#}"),
            article = id,
            "search index update failed"
        );
    }
    let indexed = started.elapsed();
    let pages = changed.pages.len();
    stores.pages.forget(&changed);
    tracing::debug!(
        article = id,
        pages,
        derived_ms = derived.as_secs_f64() * 1e3,
        commit_ms = (committed - derived).as_secs_f64() * 1e3,
        index_ms = (indexed - committed).as_secs_f64() * 1e3,
        forget_ms = (started.elapsed() - indexed).as_secs_f64() * 1e3,
        "article change committed"
    );
    Ok(())
}
