//! `GET /admin/articles/{id}/history`: every revision with who saved it and when, and a diff
//! between any two revisions (by default the last change), words marked inside lines. `POST /admin/articles/{id}/restore/{revision}`
//! saves an old revision's text as a new revision.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::articles::submit;
use super::{CsrfForm, Nav};
use crate::auth::Editor;
use crate::db::articles::{self, ForEdit};
use crate::db::revisions::{self, Revision};
use crate::domain::Status;
use crate::editing::{ArticleForm, DiffLine, VersionFields, diff_lines, revision_text};
use crate::extract::{Path, Query};
use crate::render::HtmlTemplate;
use crate::routes::pages::date_time;
use crate::state::AppState;
use crate::{Error, Result};

#[derive(Template)]
#[template(path = "admin/history.html")]
pub struct HistoryPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    pub id: i64,
    pub title: String,
    pub current_version: i64,
    pub entries: Vec<EntryView>,
    /// The revision compared from, if any (`from`, or `compare` as links had it before).
    pub compare: Option<i64>,
    /// The revision compared to: the current one unless `to` names another.
    pub compare_to: i64,
    pub diff: Vec<DiffLine>,
}

pub struct EntryView {
    pub version: i64,
    pub title: String,
    pub note: String,
    pub status: Status,
    pub author: String,
    pub when: String,
    /// The reviewer who published it, when it went through review.
    pub published_by: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HistoryParams {
    /// The older side; `compare` is its first name, kept for links that use it.
    pub from: Option<i64>,
    pub compare: Option<i64>,
    /// The newer side; the current version by default.
    pub to: Option<i64>,
}

pub(super) fn fields_of_current(a: &ForEdit) -> VersionFields<'_> {
    VersionFields {
        title: &a.title,
        slug: &a.slug,
        summary: &a.summary,
        tags: &a.tags,
        related: &a.related,
        kind: a.kind,
        difficulty: a.difficulty,
        status: a.status,
        body: &a.body,
    }
}

pub(super) fn fields_of_revision(r: &Revision) -> VersionFields<'_> {
    VersionFields {
        title: &r.title,
        slug: &r.slug,
        summary: &r.summary,
        tags: &r.tags,
        related: &r.related,
        kind: r.kind,
        difficulty: r.difficulty,
        status: r.status,
        body: &r.body,
    }
}

/// `GET /admin/articles/{id}/history[?from=N][&to=M]` (`compare=N` is `from=N`): by default
/// the last change is shown.
pub async fn page(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
    Query(params): Query<HistoryParams>,
) -> Result<HtmlTemplate<HistoryPage>> {
    let mut conn = state.db.acquire().await?;
    let current = articles::for_edit(&mut conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    let entries = revisions::list(&state.db, id).await?;
    let compare_to = params.to.unwrap_or(current.version);
    let compare = params
        .from
        .or(params.compare)
        .or_else(|| entries.iter().map(|e| e.version).find(|v| *v < compare_to));
    let diff = match compare {
        Some(version) => {
            let old = revisions::get(&mut conn, id, version)
                .await?
                .ok_or(Error::NotFound)?;
            let new_text = if compare_to == current.version {
                revision_text(&fields_of_current(&current))
            } else {
                let new = revisions::get(&mut conn, id, compare_to)
                    .await?
                    .ok_or(Error::NotFound)?;
                revision_text(&fields_of_revision(&new))
            };
            let old_text = revision_text(&fields_of_revision(&old));
            // Two long texts can take the whole diff budget: off the async workers.
            crate::cpu::RENDER
                .run(move || diff_lines(&old_text, &new_text))
                .await
                .map_err(Error::from)?
        }
        None => Vec::new(),
    };
    Ok(HtmlTemplate(HistoryPage {
        nav: Some(Nav::from(&user)),
        csrf_token: user.csrf_token,
        id,
        title: current.title,
        current_version: current.version,
        entries: entries
            .into_iter()
            .map(|e| EntryView {
                version: e.version,
                title: e.title,
                note: e.note,
                status: e.status,
                author: e.author.unwrap_or_else(|| "seed import".to_owned()),
                when: date_time(e.created_at),
                published_by: e.published_by,
            })
            .collect(),
        compare,
        compare_to,
        diff,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RestoreForm {
    pub csrf_token: String,
    /// The current version the history page showed; a restore over a later save is a conflict.
    pub version: String,
}

/// `POST /admin/articles/{id}/restore/{revision}`: the old text goes through the same save as
/// the form, so it is validated, becomes a new revision, and a conflict or a slug now taken
/// brings up the editor with that text instead of losing it.
pub async fn restore(
    State(state): State<AppState>,
    Editor(user): Editor,
    headers: HeaderMap,
    Path((id, revision)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<Response> {
    let mut conn = state.db.acquire().await?;
    let current = articles::for_edit(&mut conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    let old = revisions::get(&mut conn, id, revision)
        .await?
        .ok_or(Error::NotFound)?;
    drop(conn);
    let version = match form.version.trim() {
        "" => current.version.to_string(),
        given => given.to_owned(),
    };
    // The revision's text in the form the editor would have submitted: the same builder as
    // the edit page.
    let mut fields = ArticleForm::from_article(&ForEdit {
        id,
        slug: old.slug,
        title: old.title,
        summary: old.summary,
        body: old.body,
        kind: old.kind,
        difficulty: old.difficulty,
        // A revision saved in the trash comes back as a draft: restoring text is not publishing.
        status: match old.status {
            Status::Published => Status::Published,
            Status::Draft | Status::Trashed | Status::Review => Status::Draft,
        },
        version: current.version,
        tags: old.tags,
        related: old.related,
        python: old.python,
    });
    fields.version = version;
    fields.csrf_token = form.csrf_token;
    // Restoring old tags is deliberate: a topic that has gone since is made again.
    fields.new_tags_ok = "1".into();
    fields.note = format!("Restored the text of version {revision}.");
    submit(&state, Some(user), &headers, Some(id), fields, |id| {
        format!("/admin/articles/{id}/edit?restored={revision}")
    })
    .await
}
