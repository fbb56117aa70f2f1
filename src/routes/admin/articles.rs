//! The article list and the article editor: `GET /admin`, `GET /admin/articles/new`,
//! `POST /admin/articles`, `GET /admin/articles/{id}/edit`, `POST /admin/articles/{id}`,
//! `POST /admin/preview`. History and the trash are in their own modules.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Nav;
use crate::auth::{Csrf, CurrentUser, Editor, MaybeUser};
use crate::db::articles::{self, ForEdit};
use crate::domain::{Difficulty, Kind, Status};
use crate::editing::{ArticleForm, FieldErrors, NewTopics, Saved, save};
use crate::extract::{Form, Path, Query};
use crate::render::{HtmlTemplate, check_body, render_markdown_pooled, with_status};
use crate::state::AppState;
use crate::{Error, Result};

#[derive(Template)]
#[template(path = "admin/list.html")]
pub struct ListPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    pub rows: Vec<RowView>,
    pub total: i64,
    pub status: String,
    pub tag: String,
    pub q: String,
    pub examples: String,
    /// The column sorted by, and its direction.
    pub sort: String,
    pub descending: bool,
    pub page: i64,
    pub pages: i64,
    /// An article just moved to the trash (id, title), with an undo button.
    pub just_trashed: Option<(i64, String)>,
}

impl ListPage {
    /// This list with other sorting or another page, the filters kept.
    pub fn url(&self, sort: &str, descending: bool, page: i64) -> String {
        let mut url = format!(
            "/admin?sort={sort}&order={}",
            if descending { "desc" } else { "asc" }
        );
        for (name, value) in [
            ("status", &self.status),
            ("tag", &self.tag),
            ("q", &self.q),
            ("examples", &self.examples),
        ] {
            if !value.is_empty() {
                url.push_str(&format!("&{name}={}", crate::render::encode_query(value)));
            }
        }
        if page > 1 {
            url.push_str(&format!("&page={page}"));
        }
        url
    }

    /// A column header's link: sorts by it, or turns the order round if it is the current one.
    pub fn sort_url(&self, column: &str) -> String {
        let descending = if self.sort == column {
            !self.descending
        } else {
            column == "updated"
        };
        self.url(column, descending, 1)
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, column: &str) -> &'static str {
        match (self.sort == column, self.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }

    pub fn previous_url(&self) -> Option<String> {
        (self.page > 1).then(|| self.url(&self.sort, self.descending, self.page - 1))
    }

    pub fn next_url(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.url(&self.sort, self.descending, self.page + 1))
    }
}

pub struct RowView {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub status: Status,
    pub tags: Vec<String>,
    pub updated: String,
    pub updated_by: String,
    /// `pending`, `failing`, `ok` or `none` (see `AdminRow::examples`), or `off` for a
    /// page still waiting on a server that runs no examples (`PYKB_VERIFY=0`): no run will come.
    pub examples: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub status: String,
    pub tag: String,
    pub q: String,
    /// `failing`: only articles with an example that prints something else.
    pub examples: String,
    /// `title`, `status` or `updated` (the default).
    pub sort: String,
    /// `asc` or `desc`; by default titles and statuses ascend and dates descend.
    pub order: String,
    pub page: Option<String>,
    /// Set by the redirect after a move to the trash.
    pub trashed: Option<i64>,
}

/// Rows on one page of the admin list.
const ADMIN_PAGE_SIZE: i64 = 50;

/// `GET /admin`: the articles, filtered by status and tag, found by title, sorted by a
/// column, fifty to a page.
pub async fn list(
    State(state): State<AppState>,
    Editor(user): Editor,
    Query(params): Query<ListParams>,
) -> Result<HtmlTemplate<ListPage>> {
    let status = match params.status.as_str() {
        "" => None,
        text => Some(text.parse::<Status>().map_err(|e| Error::BadRequest(e.0))?),
    };
    let sort = match params.sort.as_str() {
        "title" | "status" => params.sort.clone(),
        _ => "updated".to_owned(),
    };
    let descending = match params.order.as_str() {
        "asc" => false,
        "desc" => true,
        _ => sort == "updated",
    };
    let page = crate::extract::page_number(params.page.as_deref())?;
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let (tag, q) = (non_empty(&params.tag), non_empty(&params.q));
    let failing_examples = match params.examples.as_str() {
        "" => false,
        "failing" => true,
        other => {
            return Err(Error::BadRequest(format!(
                "examples={other:?} is not a filter: use examples=failing, or leave it out"
            )));
        }
    };
    let filter = articles::AdminFilter {
        status,
        tag: tag.as_deref(),
        title_contains: q.as_deref(),
        failing_examples,
    };
    let total = articles::admin_count(&state.db.pool, filter).await?;
    let pages = ((total + ADMIN_PAGE_SIZE - 1) / ADMIN_PAGE_SIZE).max(1);
    let rows = articles::admin_list(
        &state.db.pool,
        filter,
        articles::AdminSort {
            by: &sort,
            descending,
        },
        (page.min(pages) - 1) * ADMIN_PAGE_SIZE,
        ADMIN_PAGE_SIZE,
    )
    .await?;
    let rows = rows
        .into_iter()
        .map(|row| RowView {
            id: row.id,
            title: row.title,
            slug: row.slug,
            status: row.status,
            tags: row.tags.0,
            updated: crate::routes::pages::dates(row.updated_at).0,
            updated_by: row.updated_by.unwrap_or_else(|| "seed import".to_owned()),
            examples: if row.examples == "pending" && !state.config.verify {
                "off".to_owned()
            } else {
                row.examples
            },
        })
        .collect();
    let just_trashed = match params.trashed {
        Some(id) => {
            let mut conn = state.db.pool.acquire().await?;
            articles::for_edit(&mut conn, id)
                .await?
                .filter(|a| a.status == Status::Trashed)
                .map(|a| (a.id, a.title))
        }
        None => None,
    };
    Ok(HtmlTemplate(ListPage {
        just_trashed,
        nav: Some(Nav::from(&user)),
        csrf_token: user.csrf_token,
        rows,
        total,
        status: params.status,
        tag: params.tag,
        q: params.q,
        examples: params.examples,
        sort,
        descending,
        page: page.min(pages),
        pages,
    }))
}

#[derive(Template)]
#[template(path = "admin/edit.html")]
pub struct EditPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    /// The article being edited; `None` while creating.
    pub id: Option<i64>,
    pub form: ArticleForm,
    pub errors: FieldErrors,
    /// A confirmation (e.g. "Saved").
    pub notice: Option<String>,
    /// Why the form came back (expired session, stale token, conflict).
    pub problem: Option<String>,
    pub preview_html: Option<String>,
    /// The previewed body's examples, run now.
    pub preview_examples: Option<super::examples::ExamplesView>,
    /// The saved body's examples, from the stored runs.
    pub examples: Option<super::examples::ExamplesView>,
    /// The newer version someone else saved, shown beside the editor's text.
    pub conflict: Option<Box<ForEdit>>,
    /// The editor's own text, kept beside theirs after choosing to edit from theirs.
    pub yours: Option<String>,
    /// Changes this editor typed here and did not save, offered back.
    pub autosave: Option<super::autosave::Offer>,
    /// Their changes since the version this editor started from (`conflict_from`), words
    /// marked.
    pub conflict_diff: Vec<crate::editing::DiffLine>,
    pub conflict_from: i64,
    /// The public address, when the article is published.
    pub public_url: Option<String>,
    /// The article is in the trash (saving takes it out).
    pub trashed: bool,
}

impl EditPage {
    fn new(
        user: Option<&CurrentUser>,
        csrf_token: String,
        id: Option<i64>,
        form: ArticleForm,
    ) -> Self {
        Self {
            nav: user.map(Nav::from),
            csrf_token,
            id,
            form,
            errors: FieldErrors::default(),
            notice: None,
            problem: None,
            preview_html: None,
            preview_examples: None,
            examples: None,
            conflict: None,
            yours: None,
            autosave: None,
            conflict_diff: Vec::new(),
            conflict_from: 0,
            public_url: None,
            trashed: false,
        }
    }

    /// Where the page sends the form while the editor types (`static/admin.js`).
    pub fn autosave_url(&self) -> String {
        match self.id {
            Some(id) => format!("/admin/articles/{id}/autosave"),
            None => "/admin/articles/new/autosave".to_owned(),
        }
    }

    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/admin/articles/{id}"),
            None => "/admin/articles".to_owned(),
        }
    }

    pub fn heading(&self) -> String {
        match self.id {
            Some(_) => format!("Edit “{}”", self.form.title),
            None => "New article".to_owned(),
        }
    }

    pub fn error(&self, field: &str) -> String {
        self.errors.get(field).unwrap_or_default().to_owned()
    }

    /// The one-line fields, in form order.
    pub fn text_fields(&self) -> Vec<TextField> {
        let form = &self.form;
        [
            (
                "title",
                "Title",
                &form.title,
                "The question as a candidate would ask it.",
            ),
            (
                "slug",
                "Slug",
                &form.slug,
                "The address /q/…; left empty, it is made from the title.",
            ),
            (
                "summary",
                "Summary",
                &form.summary,
                "One sentence that answers the question (optional).",
            ),
            (
                "tags",
                "Tags",
                &form.tags,
                "Comma-separated; the first is the main topic (optional).",
            ),
            (
                "related",
                "Related",
                &form.related,
                "Comma-separated slugs of related questions, in order (optional).",
            ),
            (
                "python",
                "Pythons",
                &form.python,
                "The Python versions the page is about, like >=3.10 or >=3.10,<3.13 (optional: \
                 empty means every version). Examples run on every Python the site has; a \
                 result outside these versions is shown, never a failure.",
            ),
        ]
        .into_iter()
        .map(|(name, label, value, hint)| TextField {
            name,
            label,
            value: value.clone(),
            hint,
            error: self.error(name),
        })
        .collect()
    }

    pub fn kinds(&self) -> &'static [Kind] {
        Kind::ALL
    }

    pub fn difficulties(&self) -> &'static [Difficulty] {
        Difficulty::ALL
    }

    pub fn selected_kind(&self) -> &str {
        Some(self.form.kind.as_str())
            .filter(|k| !k.is_empty())
            .unwrap_or("question")
    }

    pub fn selected_difficulty(&self) -> &str {
        Some(self.form.difficulty.as_str())
            .filter(|d| !d.is_empty())
            .unwrap_or("intermediate")
    }

    pub fn is_published(&self) -> bool {
        self.form.status == "published"
    }
}

pub struct TextField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub hint: &'static str,
    pub error: String,
}

impl TextField {
    /// Rows for a field shown as a textarea: enough for its text (about 80 characters a row,
    /// at least 2, at most 8), so nothing typed is cut off from view.
    pub fn rows(&self) -> usize {
        let chars = self.value.chars().count();
        let lines = self.value.lines().count();
        (chars / 80 + 1).max(lines).clamp(2, 8)
    }
}

/// `GET /admin/articles/new`.
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
    let mut conn = state.db.pool.acquire().await?;
    let article = articles::for_edit(&mut conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    let token = user.csrf_token.clone();
    let mut page = EditPage::new(
        Some(&user),
        token,
        Some(id),
        ArticleForm::from_article(&article),
    );
    if article.status == Status::Published {
        page.public_url = Some(format!("/q/{}", article.slug));
    }
    page.notice = if params.saved.is_some() {
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
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Form(form): Form<ArticleForm>,
) -> Result<Response> {
    submit(&state, user, &headers, None, form, |id| {
        format!("/admin/articles/{id}/edit?saved=1")
    })
    .await
}

/// `POST /admin/articles/{id}`.
pub async fn update(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ArticleForm>,
) -> Result<Response> {
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
        Err(busy) => return try_again_later(state, headers, &user, id, form, &busy.to_string()),
    };
    // A form that does not validate and a save the database refuses come back the same way.
    let saved = match checked {
        Ok((version, draft)) => match save(
            state.stores(),
            id,
            version,
            &draft,
            user.user_id,
            if form.new_tags_ok.trim() == "1" {
                NewTopics::Allowed
            } else {
                NewTopics::AskFirst
            },
            form.note.trim(),
        )
        .await
        {
            Ok(saved) => saved,
            Err(err) => return busy_or_full(state, headers, &user, id, form, err),
        },
        Err(errors) => Saved::Invalid(errors),
    };
    match saved {
        Saved::Done { id: saved } => {
            // Saved: the unsaved changes kept for this form are not unsaved any more.
            let kept_as = id.unwrap_or(super::autosave::NEW_ARTICLE);
            crate::db::autosaves::delete(&state.db.pool, user.user_id, kept_as).await?;
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
            let mut conn = state.db.pool.acquire().await?;
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
                                &user,
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
    try_again_later(state, headers, user, id, form, &message)
}

/// The form back with everything typed, 503 and `Retry-After`: the server could not take it
/// just now (`why`), and saving again in a moment will do.
pub(super) fn try_again_later(
    state: &AppState,
    headers: &HeaderMap,
    user: &CurrentUser,
    id: Option<i64>,
    form: ArticleForm,
    why: &str,
) -> Result<Response> {
    let mut response = form_again(
        state,
        headers,
        Some(user),
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
        Err(busy) => return try_again_later(&state, &headers, &user, id, form, &busy.to_string()),
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
        Err(busy) => return try_again_later(&state, &headers, &user, id, form, &busy.to_string()),
    };
    let shown = if params.live == "1" {
        Ok((html, None))
    } else {
        super::examples::preview(&state, id, &body, &form.python, html).await
    };
    let (html, examples) = match shown {
        Ok(shown) => shown,
        Err(Error::Unavailable(why)) => {
            return try_again_later(&state, &headers, &user, id, form, &why);
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
