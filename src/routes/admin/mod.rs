//! The admin side: sign-in, the article editor, history, the trash and accounts. Every page
//! here is for signed-in editors (the `Editor` extractor sends anyone else to the sign-in
//! page; `Admin` also refuses editors) and is never cached.

mod articles;
mod autosave;
mod conflict;
mod edit_page;
mod examples;
mod history;
mod list;
mod login;
mod review;
mod search_report;
mod suggest;
mod trash;
mod users;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::{Csrf, CurrentUser, MaybeUser};
use crate::extract::Form;
use crate::state::AppState;
use crate::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(list::list))
        .route("/admin/login", get(login::page).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route("/admin/articles/new", get(articles::new_form))
        .route("/admin/articles", post(articles::create))
        .route("/admin/articles/{id}/edit", get(articles::edit_form))
        .route("/admin/articles/{id}", post(articles::update))
        .route("/admin/preview", post(articles::preview))
        .route("/admin/articles/{id}/autosave", post(autosave::keep_edit))
        .route("/admin/articles/new/autosave", post(autosave::keep_new))
        .route("/admin/autosave/discard", post(autosave::discard))
        .route(
            "/admin/articles/{id}/from-theirs",
            post(conflict::from_theirs),
        )
        .route("/admin/articles/{id}/history", get(history::page))
        .route(
            "/admin/articles/{id}/restore/{revision}",
            post(history::restore),
        )
        .route(
            "/admin/articles/{id}/delete",
            get(trash::confirm).post(trash::delete),
        )
        .route("/admin/trash", get(trash::list))
        .route("/admin/search", get(search_report::page))
        .route("/admin/review", get(review::page))
        .route("/admin/articles/{id}/publish", post(review::publish))
        .route("/admin/articles/{id}/return", post(review::send_back))
        .route("/admin/suggest/topics", get(suggest::topics))
        .route("/admin/suggest/related", get(suggest::related))
        .route("/admin/trash/{id}/restore", post(trash::restore))
        .route("/admin/users", get(users::page).post(users::add))
        .route("/admin/users/{id}/password", post(users::password))
        .route("/admin/users/{id}/disable", post(users::disable))
        .route("/admin/users/{id}/enable", post(users::enable))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// The admin bar of every admin page: who is signed in, the sign-out button, and the links
/// their role may follow.
pub struct Nav {
    pub username: String,
    pub csrf_token: String,
    pub is_admin: bool,
}

impl From<&CurrentUser> for Nav {
    fn from(user: &CurrentUser) -> Self {
        Self {
            username: user.username.clone(),
            csrf_token: user.csrf_token.clone(),
            is_admin: user.role == crate::domain::Role::Admin,
        }
    }
}

/// The body of the small forms that carry nothing but their CSRF token (sign out, delete,
/// restore, enable, disable).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    pub csrf_token: String,
}

/// A form that carries the session's CSRF token in its `csrf_token` field.
pub trait CarriesCsrf {
    fn csrf_token(&self) -> &str;
}

/// A signed-in editor's form whose CSRF token and Origin are the session's: anything else is
/// refused (403, nothing changed) before the handler runs. Put it after `Editor` or `Admin`
/// in the handler's arguments, which read the session (kept in the request's extensions, so
/// it is read once). The article forms check their token themselves instead: a stale token
/// there brings the editor back with everything typed, not an error page.
pub struct CsrfForm<T>(pub T);

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + CarriesCsrf + Send,
{
    type Rejection = Error;

    async fn from_request(request: Request, state: &AppState) -> Result<Self> {
        let (mut parts, body) = request.into_parts();
        let MaybeUser(user) = MaybeUser::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let Form(form) = Form::<T>::from_request(Request::from_parts(parts, body), state).await?;
        match user {
            Some(user) => check_csrf(state, &headers, &user, form.csrf_token())?,
            None => return Err(expired()),
        }
        Ok(CsrfForm(form))
    }
}

macro_rules! carries_csrf {
    ($($form:ty),+) => {$(
        impl CarriesCsrf for $form {
            fn csrf_token(&self) -> &str {
                &self.csrf_token
            }
        }
    )+};
}

carries_csrf!(
    CsrfOnly,
    crate::editing::ArticleForm,
    autosave::DiscardForm,
    history::RestoreForm,
    users::AddForm,
    users::PasswordForm
);

/// Refuses (403, nothing changed) a form whose CSRF token or Origin is not the session's.
fn check_csrf(
    state: &AppState,
    headers: &HeaderMap,
    user: &CurrentUser,
    submitted: &str,
) -> Result<()> {
    if Csrf::accepts(state, headers, Some(user), submitted) {
        Ok(())
    } else {
        Err(expired())
    }
}

fn expired() -> Error {
    Error::Forbidden(
        "This form had expired (you may have signed out and in again), so nothing was \
         changed. Go back, reload the page and try again."
            .to_owned(),
    )
}
