//! The review queue (`PYKB_REVIEW=on`; `editing::review`): `GET /admin/review` lists the
//! changes waiting for a reviewer, each with its word diff against what readers see;
//! `POST /admin/articles/{id}/publish` and `POST /admin/articles/{id}/return` (with a note to
//! the author) are for reviewers and admins.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::history::fields_of_current;
use super::{CarriesCsrf, CsrfForm, CsrfOnly, Nav};
use crate::auth::{CurrentUser, Editor};
use crate::db::{articles, pending};
use crate::domain::{Difficulty, Kind, Status};
use crate::editing::review::{self, Published};
use crate::editing::{ArticleForm, DiffLine, VersionFields, diff_lines, revision_text};
use crate::extract::{Path, Query};
use crate::render::with_status;
use crate::routes::pages::date_time;
use crate::state::AppState;
use crate::{Error, Result};

/// Changes listed at most (oldest first).
const LISTED: i64 = 50;
/// The longest note a reviewer may send back.
pub const MAX_RETURN_NOTE: usize = 500;

pub struct WaitingView {
    pub id: i64,
    pub title: String,
    pub slug: String,
    /// Readers see a published version meanwhile; false for an article never published.
    pub published: bool,
    pub by: String,
    pub when: String,
    pub note: String,
    /// The reviewer looking sent it (and may not publish it while another reviewer exists).
    pub own: bool,
    pub diff: Vec<DiffLine>,
}

#[derive(Template)]
#[template(path = "admin/review.html")]
pub struct ReviewPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    pub review_on: bool,
    pub can_publish: bool,
    pub waiting: Vec<WaitingView>,
    pub notice: Option<String>,
    pub problem: Option<String>,
    /// A return note that came back (too long), with the article it was for.
    pub kept_note: Option<(i64, String)>,
}

impl ReviewPage {
    pub fn kept_note_for(&self, id: &i64) -> &str {
        match &self.kept_note {
            Some((for_id, note)) if for_id == id => note,
            _ => "",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewParams {
    pub published: Option<i64>,
    pub returned: Option<i64>,
}

/// The submitted form's fields as the diff reads them.
fn fields_of_form(form: &ArticleForm) -> VersionFields<'_> {
    VersionFields {
        title: &form.title,
        slug: &form.slug,
        summary: &form.summary,
        tags: &form.tags,
        related: &form.related,
        kind: form.kind.parse().unwrap_or(Kind::Question),
        difficulty: form.difficulty.parse().unwrap_or(Difficulty::Intermediate),
        status: Status::Published,
        body: &form.body,
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    status: StatusCode,
    edit: impl FnOnce(&mut ReviewPage),
) -> Result<Response> {
    let rows = pending::waiting(&state.db, LISTED).await?;
    // Each change against what readers see (nothing, for an article never published).
    let mut texts = Vec::with_capacity(rows.len());
    let mut conn = state.db.acquire().await?;
    for row in &rows {
        let live = articles::for_edit(&mut conn, row.article_id).await?;
        let old = match &live {
            Some(live) if live.status == Status::Published => {
                revision_text(&fields_of_current(live))
            }
            _ => String::new(),
        };
        let new = serde_json::from_str::<ArticleForm>(&row.draft)
            .map(|form| revision_text(&fields_of_form(&form)))
            .unwrap_or_default();
        texts.push((old, new));
    }
    drop(conn);
    let diffs = crate::cpu::RENDER
        .run(move || {
            texts
                .iter()
                .map(|(old, new)| diff_lines(old, new))
                .collect::<Vec<_>>()
        })
        .await?;
    let waiting = rows
        .into_iter()
        .zip(diffs)
        .map(|(row, diff)| WaitingView {
            id: row.article_id,
            title: row.title,
            slug: row.slug,
            published: row.status == Status::Published.as_str(),
            by: row
                .submitted_by_name
                .unwrap_or_else(|| "someone".to_owned()),
            when: date_time(row.submitted_at),
            note: row.note,
            own: row.submitted_by == Some(user.user_id),
            diff,
        })
        .collect();
    let mut page = ReviewPage {
        nav: Some(Nav::from(user)),
        csrf_token: user.csrf_token.clone(),
        review_on: state.config.review,
        can_publish: user.role.can_publish(),
        waiting,
        notice: None,
        problem: None,
        kept_note: None,
    };
    edit(&mut page);
    Ok(with_status(status, page))
}

/// `GET /admin/review`.
pub async fn page(
    State(state): State<AppState>,
    Editor(user): Editor,
    Query(params): Query<ReviewParams>,
) -> Result<Response> {
    let mut conn = state.db.acquire().await?;
    let title_of = |a: Option<crate::db::articles::ForEdit>| a.map(|a| a.title);
    let notice = match (params.published, params.returned) {
        (Some(id), _) => title_of(articles::for_edit(&mut conn, id).await?)
            .map(|t| format!("Published “{t}”: readers see it now.")),
        (_, Some(id)) => title_of(articles::for_edit(&mut conn, id).await?)
            .map(|t| format!("Returned “{t}” to its author with your note.")),
        _ => None,
    };
    drop(conn);
    render(&state, &user, StatusCode::OK, |page| page.notice = notice).await
}

fn reviewer(user: &CurrentUser) -> Result<()> {
    if user.role.can_publish() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Only reviewers and admins publish or return changes under review.".into(),
        ))
    }
}

/// `POST /admin/articles/{id}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response> {
    reviewer(&user)?;
    let problem = |status, message: String| {
        let state = state.clone();
        let user = user.clone();
        async move { render(&state, &user, status, |page| page.problem = Some(message)).await }
    };
    match review::publish(state.stores(), id, user.user_id).await? {
        Published::Done { id } => {
            tracing::info!(article = id, reviewer = ?user.username, "published after review");
            Ok(Redirect::to(&format!("/admin/review?published={id}")).into_response())
        }
        Published::Missing => Err(Error::NotFound),
        Published::NothingWaiting => {
            problem(
                StatusCode::CONFLICT,
                "No change of this article waits for review any more (published or returned \
                 meanwhile)."
                    .into(),
            )
            .await
        }
        Published::OwnChange => {
            problem(
                StatusCode::FORBIDDEN,
                "You sent this change: another reviewer publishes it.".into(),
            )
            .await
        }
        Published::Stale => {
            problem(
                StatusCode::CONFLICT,
                "The article changed since this change was made from it. Return it, so its \
                 author can make it again from what is published now."
                    .into(),
            )
            .await
        }
        Published::Invalid(errors) => {
            let why = errors
                .0
                .iter()
                .map(|(field, message)| format!("{field}: {message}"))
                .collect::<Vec<_>>()
                .join(" ");
            problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "This change cannot be published as it is ({why}). Return it to its author."
                ),
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReturnForm {
    pub csrf_token: String,
    pub note: String,
}

impl CarriesCsrf for ReturnForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// `POST /admin/articles/{id}/return`: back to its author, with `note`.
pub async fn send_back(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReturnForm>,
) -> Result<Response> {
    reviewer(&user)?;
    let note = form.note.trim().to_owned();
    if note.chars().count() > MAX_RETURN_NOTE {
        let kept = form.note.clone();
        return render(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, |page| {
            page.problem = Some(format!(
                "Keep the note to {MAX_RETURN_NOTE} characters; nothing was returned yet."
            ));
            page.kept_note = Some((id, kept));
        })
        .await;
    }
    if review::send_back(&state.db, id, user.user_id, &note).await? {
        Ok(Redirect::to(&format!("/admin/review?returned={id}")).into_response())
    } else {
        render(&state, &user, StatusCode::CONFLICT, |page| {
            page.problem = Some(
                "No change of this article waits for review any more (published or returned \
                 meanwhile)."
                    .into(),
            );
        })
        .await
    }
}
