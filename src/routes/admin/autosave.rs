//! Autosave: while an editor types, the editor's page sends the form every few seconds
//! (`static/admin.js`) to `POST /admin/articles/{id}/autosave` (`/admin/articles/new/autosave`
//! for a new article); it is kept per user and article, apart from the revisions
//! (`db::autosaves`). The next time that user opens the form, in any session, the page offers
//! it back: the offer carries the unsaved fields itself, so restoring works without
//! JavaScript (it posts them to the preview, which gives the form back filled). A save or
//! `POST /admin/autosave/discard` removes it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::CsrfForm;
use crate::auth::MaybeUser;
use crate::db::{self, articles, autosaves};
use crate::editing::ArticleForm;
use crate::extract::Path;
use crate::state::AppState;
use crate::{Error, Result};

/// The key of the new-article form's autosave.
pub const NEW_ARTICLE: i64 = 0;

/// `POST /admin/articles/{id}/autosave`: 204 once kept.
pub async fn keep_edit(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> Result<Response> {
    let mut conn = state.db.acquire().await?;
    articles::version_of(&mut conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    drop(conn);
    keep(&state, user, id, form).await
}

/// `POST /admin/articles/new/autosave`.
pub async fn keep_new(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> Result<Response> {
    keep(&state, user, NEW_ARTICLE, form).await
}

async fn keep(
    state: &AppState,
    user: Option<crate::auth::CurrentUser>,
    article_id: i64,
    mut form: ArticleForm,
) -> Result<Response> {
    // CsrfForm has checked the session; without one it refused already.
    let user =
        user.ok_or_else(|| Error::Forbidden("Sign in again to keep your changes.".into()))?;
    form.csrf_token.clear();
    let fields = serde_json::to_string(&form)
        .map_err(|err| Error::Internal(anyhow::anyhow!("cannot keep the form: {err}")))?;
    autosaves::put(&state.db, user.user_id, article_id, &fields, db::now()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DiscardForm {
    pub csrf_token: String,
    /// The article's id; empty for the new-article form.
    pub id: String,
}

/// `POST /admin/autosave/discard`: forgets the unsaved changes; 303 back to the form.
pub async fn discard(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    CsrfForm(form): CsrfForm<DiscardForm>,
) -> Result<Response> {
    let user = user.ok_or_else(|| Error::Forbidden("Sign in again.".into()))?;
    let id = form.id.trim().parse::<i64>().unwrap_or(NEW_ARTICLE);
    autosaves::delete(&state.db, user.user_id, id).await?;
    let back = if id == NEW_ARTICLE {
        "/admin/articles/new".to_owned()
    } else {
        format!("/admin/articles/{id}/edit")
    };
    Ok(Redirect::to(&back).into_response())
}

/// What the form offers back: the unsaved fields and when they were kept, when they differ
/// from what the form shows.
pub struct Offer {
    pub fields: ArticleForm,
    pub when: String,
}

impl Offer {
    /// The fields to carry in the restore form, as (name, value), the CSRF token left out.
    pub fn hidden_fields(&self) -> Vec<(&'static str, &str)> {
        let f = &self.fields;
        vec![
            ("title", &f.title),
            ("slug", &f.slug),
            ("summary", &f.summary),
            ("tags", &f.tags),
            ("related", &f.related),
            ("kind", &f.kind),
            ("difficulty", &f.difficulty),
            ("status", &f.status),
            ("python", &f.python),
            ("body", &f.body),
            ("version", &f.version),
            ("id", &f.id),
            ("note", &f.note),
            ("new_tags_ok", &f.new_tags_ok),
        ]
        .into_iter()
        .map(|(name, value)| (name, value.as_str()))
        .collect()
    }
}

/// The offer for `user_id` on the form of `article_id` that now shows `shown`.
pub async fn offer(
    state: &AppState,
    user_id: i64,
    article_id: i64,
    shown: &ArticleForm,
) -> sqlx::Result<Option<Offer>> {
    let Some((fields, saved_at)) = autosaves::get(&state.db, user_id, article_id).await? else {
        return Ok(None);
    };
    // Kept by an older version of the form, or broken: nothing to offer.
    let Ok(fields) = serde_json::from_str::<ArticleForm>(&fields) else {
        return Ok(None);
    };
    let same = fields.title == shown.title
        && fields.summary == shown.summary
        && fields.tags == shown.tags
        && fields.related == shown.related
        && fields.body.replace("\r\n", "\n") == shown.body.replace("\r\n", "\n");
    Ok((!same).then(|| Offer {
        fields,
        when: crate::routes::pages::date_time(saved_at),
    }))
}
