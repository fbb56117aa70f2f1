//! `POST /admin/articles/{id}/from-theirs`: after a conflict (409), the editor chooses to start
//! again from the version saved meanwhile. The form comes back filled with theirs, at their
//! version, and the editor's own text is kept beside it to copy from: nothing typed is lost.
//! ("Keep mine" is the form's own Save: the conflict page already set it to save over theirs,
//! and their version stays in the history.)

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::articles::{editor_of, form_again};
use crate::auth::MaybeUser;
use crate::db::articles;
use crate::editing::ArticleForm;
use crate::extract::{Form, Path};
use crate::state::AppState;
use crate::{Error, Result};

pub async fn from_theirs(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ArticleForm>,
) -> Result<Response> {
    let (user, form) = match editor_of(&state, &headers, user, Some(id), form)? {
        Ok(editor) => editor,
        Err(refused) => return Ok(refused),
    };
    let mut conn = state.db.acquire().await?;
    let theirs = articles::for_edit(&mut conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    drop(conn);
    let yours = form.normalized_body();
    let theirs_form = ArticleForm::from_article(&theirs);
    form_again(
        &state,
        &headers,
        Some(&user),
        Some(id),
        theirs_form,
        StatusCode::OK,
        |page| {
            page.notice = Some(format!(
                "The form now holds version {}, saved meanwhile. Your text is kept below it: \
                 copy what you want to keep into the form, then save.",
                theirs.version
            ));
            page.yours = Some(yours);
        },
    )
}
