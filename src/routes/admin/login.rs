//! `GET/POST /admin/login`, `POST /admin/logout`.

use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{CsrfOnly, check_csrf};
use crate::Result;
use crate::accounts::{MAX_PASSWORD_CHARS, check_username};
use crate::auth::{ClientAddr, Csrf, MaybeUser, end_session, start_session, verify_password};
use crate::db::users;
use crate::extract::{Form, Query};
use crate::render::with_status;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/login.html")]
pub struct LoginPage {
    /// Nobody is signed in on this page: no admin bar.
    pub nav: Option<super::Nav>,
    pub username: String,
    pub next: String,
    pub csrf_token: String,
    pub message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginParams {
    pub next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    pub csrf_token: String,
    pub next: String,
}

/// Where to go after sign-in: a path on this site, never another site (`//evil`, `/\evil`).
fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if ok { next } else { "/admin" }
}

fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    username: String,
    next: String,
    message: Option<String>,
) -> Result<Response> {
    let csrf = Csrf::for_request(state, headers, None)?;
    let page = LoginPage {
        nav: None,
        username,
        next,
        csrf_token: csrf.token,
        message,
    };
    let mut response = with_status(status, page);
    if let Some(cookie) = csrf.set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// The form again with the name kept, a status the client may retry after and `Retry-After`.
fn retry_later(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    username: String,
    next: String,
    message: String,
    seconds: u64,
) -> Result<Response> {
    let mut response = login_page(state, headers, status, username, next, Some(message))?;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, seconds.into());
    Ok(response)
}

/// `GET /admin/login`: the sign-in form (or straight on, for someone signed in).
pub async fn page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Query(params): Query<LoginParams>,
) -> Result<Response> {
    if user.is_some() {
        return Ok(Redirect::to(safe_next(&params.next)).into_response());
    }
    login_page(
        &state,
        &headers,
        StatusCode::OK,
        String::new(),
        params.next,
        None,
    )
}

/// `POST /admin/login`.
pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let username = form.username.trim().to_owned();
    if !Csrf::accepts(&state, &headers, None, &form.csrf_token) {
        let message = "This sign-in form had expired. It has been renewed: please sign in again.";
        return login_page(
            &state,
            &headers,
            StatusCode::FORBIDDEN,
            username,
            form.next,
            Some(message.to_owned()),
        );
    }
    let throttle = &state.sign_in_throttle;
    if let Err(wait) = throttle.begin(&username, client, Instant::now()) {
        // Whole seconds, rounded up: a client that waits as told is never refused again.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        tracing::info!(?username, %client, seconds, "sign-in throttled");
        let message = format!(
            "Too many failed sign-ins for this account or from this network. Wait {seconds} \
             second{} and try again; if you forgot your password, ask an admin to reset it.",
            if seconds == 1 { "" } else { "s" }
        );
        return retry_later(
            &state,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            username,
            form.next,
            message,
            seconds,
        );
    }
    // A name no account can have, or a password longer than any account's, is answered like a
    // wrong password without the database or Argon2.
    let plausible =
        check_username(&username).is_ok() && form.password.chars().count() <= MAX_PASSWORD_CHARS;
    let user = if plausible {
        users::by_name(&mut state.db.acquire().await?, &username)
            .await?
            .filter(|user| !user.disabled)
    } else {
        None
    };
    let verified = if plausible {
        let hash = user.as_ref().map(|user| user.password_hash.clone());
        match verify_password(form.password, hash).await {
            Ok(verified) => verified,
            Err(busy) => {
                tracing::warn!(?username, %client, "sign-in refused: too many password checks at once");
                return retry_later(
                    &state,
                    &headers,
                    StatusCode::SERVICE_UNAVAILABLE,
                    username,
                    form.next,
                    busy.to_string(),
                    5,
                );
            }
        }
    } else {
        false
    };
    let Some(user) = user.filter(|_| verified) else {
        tracing::info!(?username, %client, "failed sign-in");
        // The same words and status whether the user exists or not.
        let message = "The user name or the password is wrong.";
        return login_page(
            &state,
            &headers,
            StatusCode::UNAUTHORIZED,
            username,
            form.next,
            Some(message.to_owned()),
        );
    };
    throttle.succeeded(&username, client);
    let cookie = start_session(&state, user.id).await?;
    tracing::info!(username = ?user.username, "signed in");
    let mut response = Redirect::to(safe_next(&form.next)).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::auth::signed_in_marker(true, state.config.is_https()),
    );
    response
        .headers_mut()
        .append(header::SET_COOKIE, Csrf::clear_visitor_cookie(&state));
    Ok(response)
}

/// `POST /admin/logout`.
pub async fn logout(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response> {
    let Some(user) = user else {
        return Ok(Redirect::to("/admin/login").into_response());
    };
    check_csrf(&state, &headers, &user, &form.csrf_token)?;
    let cookie = end_session(&state, &user).await?;
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response.headers_mut().append(
        header::SET_COOKIE,
        crate::auth::signed_in_marker(false, state.config.is_https()),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next("/admin/articles/3/edit?x=1"),
            "/admin/articles/3/edit?x=1"
        );
        for evil in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "admin",
        ] {
            assert_eq!(safe_next(evil), "/admin", "{evil}");
        }
    }
}
