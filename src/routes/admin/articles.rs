//! The article editor's handlers: `GET /admin/articles/new`, `POST /admin/articles`,
//! `GET /admin/articles/{id}/edit`, `POST /admin/articles/{id}`, `POST /admin/preview`. Its
//! page is `edit_page`; the list, history and the trash are in their own modules.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::edit_page::EditPage;
use crate::auth::{Csrf, CurrentUser, Editor, MaybeUser};
use crate::db::articles;
use crate::domain::Status;
use crate::editing::{ArticleForm, NewTopics, Saved, review, save};
use crate::extract::{Form, Path, Query};
use crate::render::{HtmlTemplate, check_body, render_markdown_pooled, with_status};
use crate::state::AppState;
use crate::{Error, Result};

/// `GET /admin/articles/new[?title=…]`: the title is filled in (the search report's "Write an
/// answer" passes the query that found nothing).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewParams {
    pub title: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    Editor(user): Editor,
    Query(params): Query<NewParams>,
) -> Result<HtmlTemplate<EditPage>> {
    let form = ArticleForm {
        title: params
            .title
            .trim()
            .chars()
            .take(MAX_PREFILLED_TITLE)
            .collect(),
        kind: "question".into(),
        difficulty: "intermediate".into(),
        status: "draft".into(),
        version: "0".into(),
        ..ArticleForm::default()
    };
    let token = user.csrf_token.clone();
    let mut page = EditPage::new(Some(&user), token, None, form);
    page.autosave = super::autosave::offer(
        &state,
        user.user_id,
        super::autosave::NEW_ARTICLE,
        &page.form,
    )
    .await?;
    Ok(HtmlTemplate(page))
}

/// The longest title taken from the address of the new-article form.
const MAX_PREFILLED_TITLE: usize = 200;

/// What the edit page confirms after a redirect to it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditParams {
    pub saved: Option<String>,
    /// Set after a change was sent for review.
    pub submitted: Option<String>,
    /// The version a restore went back to.
    pub restored: Option<i64>,
    pub untrashed: Option<String>,
}

/// `GET /admin/articles/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
    Query(params): Query<EditParams>,
) -> Result<HtmlTemplate<EditPage>> {
    let mut conn = state.db.acquire().await?;
    let article = articles::for_edit(&mut conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    let waiting = crate::db::pending::get(&mut conn, id).await?;
    drop(conn);
    let token = user.csrf_token.clone();
    // A change waiting for review (or returned) is what the editor goes on from; the form's
    // version stays the article's, so a change published meanwhile shows as a conflict.
    let form = match waiting
        .as_ref()
        .and_then(|w| serde_json::from_str::<ArticleForm>(&w.draft).ok())
    {
        Some(mut form) => {
            form.version = article.version.to_string();
            form.status = Status::Review.to_string();
            form.note.clear();
            form
        }
        None => ArticleForm::from_article(&article),
    };
    let mut page = EditPage::new(Some(&user), token, Some(id), form);
    if article.status == Status::Published {
        page.public_url = Some(format!("/q/{}", article.slug));
    }
    page.review = waiting.map(|w| super::edit_page::ReviewState {
        by: w.submitted_by_name.unwrap_or_else(|| "someone".to_owned()),
        when: crate::routes::pages::date_time(w.submitted_at),
        returned: w.returned_at.map(|_| {
            (
                w.returned_by_name
                    .unwrap_or_else(|| "a reviewer".to_owned()),
                w.return_note,
            )
        }),
        published: article.status == Status::Published,
    });
    page.notice = if params.submitted.is_some() {
        // The waiting change's own notice says the rest.
        Some("Sent for review.".to_owned())
    } else if params.saved.is_some() {
        Some(format!("Saved (version {}).", article.version))
    } else if let Some(old) = params.restored {
        Some(format!(
            "Restored the text of version {old} as the new version {}.",
            article.version
        ))
    } else if params.untrashed.is_some() {
        Some(format!("Taken out of the trash, as a {}.", article.status))
    } else {
        None
    };
    page.trashed = article.status == Status::Trashed;
    page.examples = super::examples::stored(&state, id, &article.body, &article.python).await?;
    page.autosave = super::autosave::offer(&state, user.user_id, id, &page.form).await?;
    Ok(HtmlTemplate(page))
}

/// `POST /admin/articles`.
pub async fn create(
    State(state): State<AppState>,
    user: std::result::Result<MaybeUser, Error>,
    headers: HeaderMap,
    Form(form): Form<ArticleForm>,
) -> Result<Response> {
    let user = match user {
        Ok(MaybeUser(user)) => user,
        Err(err) => return session_unknown(&state, &headers, None, form, err),
    };
    submit(&state, user, &headers, None, form, |id| {
        format!("/admin/articles/{id}/edit?saved=1")
    })
    .await
}

/// `POST /admin/articles/{id}`.
pub async fn update(
    State(state): State<AppState>,
    user: std::result::Result<MaybeUser, Error>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ArticleForm>,
) -> Result<Response> {
    let user = match user {
        Ok(MaybeUser(user)) => user,
        Err(err) => return session_unknown(&state, &headers, Some(id), form, err),
    };
    submit(&state, user, &headers, Some(id), form, |id| {
        format!("/admin/articles/{id}/edit?saved=1")
    })
    .await
}

/// The form back to the editor with everything they typed and why it came back.
pub(super) fn form_again(
    state: &AppState,
    headers: &HeaderMap,
    user: Option<&CurrentUser>,
    id: Option<i64>,
    form: ArticleForm,
    status: StatusCode,
    edit: impl FnOnce(&mut EditPage),
) -> Result<Response> {
    let csrf = Csrf::for_request(state, headers, user)?;
    let mut page = EditPage::new(user, csrf.token, id, form);
    edit(&mut page);
    let mut response = with_status(status, page);
    if let Some(cookie) = csrf.set_cookie {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, cookie);
    }
    Ok(response)
}

const SESSION_EXPIRED: &str = "Your session has ended, so this was not saved. Your text is \
     kept below: sign in again in another tab (/admin/login), then come back and save.";
const STALE_TOKEN: &str = "This form's security token is out of date (you may have signed \
     out and in again), so nothing was saved. Your text is kept below: save again.";

/// The editor an article form came from, when the session and the form's CSRF token hold;
/// otherwise (`Ok(Err(..))`) the answer to give: the form back (403) with everything typed
/// and why. Every
/// handler of the article form (save, preview, "edit from theirs") asks this first.
pub(super) fn editor_of(
    state: &AppState,
    headers: &HeaderMap,
    user: Option<CurrentUser>,
    id: Option<i64>,
    form: ArticleForm,
) -> Result<std::result::Result<(CurrentUser, ArticleForm), Response>> {
    let refuse = |user: Option<&CurrentUser>, form, problem: &str| {
        form_again(
            state,
            headers,
            user,
            id,
            form,
            StatusCode::FORBIDDEN,
            |page| {
                page.problem = Some(problem.to_owned());
            },
        )
    };
    let Some(user) = user else {
        return refuse(None, form, SESSION_EXPIRED).map(Err);
    };
    if !Csrf::accepts(state, headers, Some(&user), &form.csrf_token) {
        return refuse(Some(&user), form, STALE_TOKEN).map(Err);
    }
    Ok(Ok((user, form)))
}

/// Saves the form (a create when `id` is None) for `user`, checking the session and the CSRF
/// token first; on success answers 303 to `done(id)`, otherwise gives the form back with
/// everything typed and why.
pub(super) async fn submit(
    state: &AppState,
    user: Option<CurrentUser>,
    headers: &HeaderMap,
    id: Option<i64>,
    form: ArticleForm,
    done: impl FnOnce(i64) -> String,
) -> Result<Response> {
    let (user, form) = match editor_of(state, headers, user, id, form)? {
        Ok(editor) => editor,
        Err(refused) => return Ok(refused),
    };
    // Validating parses the body (the nesting check): CPU work for the render pool.
    let checked = {
        let form = form.clone();
        crate::cpu::RENDER
            .run(move || {
                form.version()
                    .and_then(|version| Ok((version, form.validate()?)))
            })
            .await
    };
    let checked = match checked {
        Ok(checked) => checked,
        Err(busy) => {
            return try_again_later(state, headers, Some(&user), id, form, &busy.to_string());
        }
    };
    // A form that does not validate and a save the database refuses come back the same way.
    let new_topics = if form.new_tags_ok.trim() == "1" {
        NewTopics::Allowed
    } else {
        NewTopics::AskFirst
    };
    let mut submitted = false;
    let saved = match checked {
        Ok((version, draft)) => {
            let route = review::route(
                &state.db,
                state.config.review,
                user.user_id,
                user.role,
                draft.status,
            )
            .await?;
            submitted = route == review::Route::Submit;
            let note = form.note.trim();
            let result = match route {
                review::Route::Save => {
                    save(
                        state.stores(),
                        id,
                        version,
                        &draft,
                        user.user_id,
                        new_topics,
                        note,
                    )
                    .await
                }
                review::Route::Submit => {
                    review::submit(
                        state.stores(),
                        id,
                        version,
                        &draft,
                        &form,
                        user.user_id,
                        new_topics,
                        note,
                    )
                    .await
                }
            };
            match result {
                Ok(saved) => saved,
                Err(err) => return busy_or_full(state, headers, &user, id, form, err),
            }
        }
        Err(errors) => Saved::Invalid(errors),
    };
    match saved {
        Saved::Done { id: saved } => {
            // Saved: the unsaved changes kept for this form are not unsaved any more.
            let kept_as = id.unwrap_or(super::autosave::NEW_ARTICLE);
            crate::db::autosaves::delete(&state.db, user.user_id, kept_as).await?;
            if submitted {
                return Ok(
                    Redirect::to(&format!("/admin/articles/{saved}/edit?submitted=1"))
                        .into_response(),
                );
            }
            Ok(Redirect::to(&done(saved)).into_response())
        }
        Saved::Invalid(errors) => form_again(
            state,
            headers,
            Some(&user),
            id,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
            |page| {
                page.errors = errors;
                page.problem =
                    Some("Nothing was saved yet: fix the fields marked below.".to_owned());
            },
        ),
        Saved::Conflict(current) => {
            // What they changed since the version this editor started from.
            let started = form.version().unwrap_or_default();
            let mut conn = state.db.acquire().await?;
            let from = crate::db::revisions::get(&mut conn, current.id, started).await?;
            drop(conn);
            let theirs = match from {
                Some(from) => {
                    let old =
                        crate::editing::revision_text(&super::history::fields_of_revision(&from));
                    let new =
                        crate::editing::revision_text(&super::history::fields_of_current(&current));
                    match crate::cpu::RENDER
                        .run(move || crate::editing::diff_lines(&old, &new))
                        .await
                    {
                        Ok(diff) => diff,
                        Err(busy) => {
                            return try_again_later(
                                state,
                                headers,
                                Some(&user),
                                id,
                                form,
                                &busy.to_string(),
                            );
                        }
                    }
                }
                None => Vec::new(),
            };
            let mut form = form;
            // Saving again from this page means "mine, merged, over theirs".
            form.version = current.version.to_string();
            form_again(
                state,
                headers,
                Some(&user),
                id,
                form,
                StatusCode::CONFLICT,
                |page| {
                    page.problem = Some(format!(
                        "Someone saved this article (version {}) after you opened it, so your \
                     changes were not saved. Your text is in the form; theirs is shown beside \
                     it. Merge what you want to keep into the form and save again.",
                        current.version
                    ));
                    page.conflict = Some(current);
                    page.conflict_diff = theirs;
                    page.conflict_from = started;
                },
            )
        }
        Saved::Missing => Err(Error::NotFound),
    }
}

/// A save the database could not take just now (busy, disk full) gives the form back with
/// everything typed, 503 and `Retry-After`; anything else is a real error.
fn busy_or_full(
    state: &AppState,
    headers: &HeaderMap,
    user: &CurrentUser,
    id: Option<i64>,
    form: ArticleForm,
    err: anyhow::Error,
) -> Result<Response> {
    let message = if let Some(busy) = err.downcast_ref::<crate::cpu::Busy>() {
        busy.to_string()
    } else if let Some(transient) = crate::db::transient_failure(err.as_ref()) {
        transient.message().to_owned()
    } else {
        return Err(err.into());
    };
    tracing::warn!(error = format!("{err:#}"), "save refused for now");
    try_again_later(state, headers, Some(user), id, form, &message)
}

/// The session could not be looked up (the database is away): the form back with everything
/// typed and 503, as for a save the database refused, rather than an error page that would
/// lose the text. Any other failure is the error it is.
fn session_unknown(
    state: &AppState,
    headers: &HeaderMap,
    id: Option<i64>,
    form: ArticleForm,
    err: Error,
) -> Result<Response> {
    match err {
        Error::Unavailable(why) => try_again_later(state, headers, None, id, form, &why),
        other => Err(other),
    }
}

/// The form back with everything typed, 503 and `Retry-After`: the server could not take it
/// just now (`why`), and saving again in a moment will do.
pub(super) fn try_again_later(
    state: &AppState,
    headers: &HeaderMap,
    user: Option<&CurrentUser>,
    id: Option<i64>,
    form: ArticleForm,
    why: &str,
) -> Result<Response> {
    let mut response = form_again(
        state,
        headers,
        user,
        id,
        form,
        StatusCode::SERVICE_UNAVAILABLE,
        |page| {
            page.problem = Some(format!(
                "{why} Your text is kept below: try again in a moment."
            ));
        },
    )?;
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("5"),
    );
    Ok(response)
}

/// `POST /admin/preview`: the form again, with the body rendered as the public page would.
/// Only for a signed-in editor with the form's CSRF token, like a save, and with the same
/// body checks, so nobody can make the server render what it would not store. Whatever comes
/// back keeps everything typed.
/// `POST /admin/preview[?live=1]`. `live=1` is the preview updated as the editor types: it
/// renders only, and leaves running the examples to the Preview button.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreviewParams {
    pub live: String,
}

pub async fn preview(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Query(params): Query<PreviewParams>,
    Form(form): Form<ArticleForm>,
) -> Result<Response> {
    let id = form.id.trim().parse::<i64>().ok();
    let (user, form) = match editor_of(&state, &headers, user, id, form)? {
        Ok(editor) => editor,
        Err(refused) => return Ok(refused),
    };
    let body = form.normalized_body();
    let checked = {
        let body = body.clone();
        crate::cpu::RENDER.run(move || check_body(&body)).await
    };
    let checked = match checked {
        Ok(checked) => checked,
        Err(busy) => {
            return try_again_later(&state, &headers, Some(&user), id, form, &busy.to_string());
        }
    };
    if let Err(problem) = checked {
        return form_again(
            &state,
            &headers,
            Some(&user),
            id,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
            |page| {
                page.errors.add("body", problem.message);
                page.problem = Some("Nothing to preview yet: fix the body first.".to_owned());
            },
        );
    }
    let html = match render_markdown_pooled(body.clone()).await {
        Ok(html) => html,
        Err(busy) => {
            return try_again_later(&state, &headers, Some(&user), id, form, &busy.to_string());
        }
    };
    let shown = if params.live == "1" {
        Ok((html, None))
    } else {
        super::examples::preview(&state, id, &body, &form.python, html).await
    };
    let (html, examples) = match shown {
        Ok(shown) => shown,
        Err(Error::Unavailable(why)) => {
            return try_again_later(&state, &headers, Some(&user), id, form, &why);
        }
        Err(err) => return Err(err),
    };
    form_again(
        &state,
        &headers,
        Some(&user),
        id,
        form,
        StatusCode::OK,
        |page| {
            page.preview_html = Some(html);
            page.preview_examples = examples;
        },
    )
}
