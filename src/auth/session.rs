//! Sessions: created only at sign-in, stored server-side, named by a random cookie whose hash
//! is the row's id. They end after a spell of inactivity or a fixed lifetime, whichever first.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::token::{random_token, sha256_hex};
use crate::db::{self, sessions};
use crate::domain::Role;
use crate::state::AppState;
use crate::{Error, Result};

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT_SECS: i64 = 8 * 60 * 60;
/// …and this long after sign-in in any case.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 7 * 24 * 60 * 60;
/// Last-seen times are written at most this often, so reading admin pages rarely writes.
const TOUCH_EVERY_SECS: i64 = 60;

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub session_id: String,
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub csrf_token: String,
}

/// The `__Host-` prefix makes browsers refuse the cookie unless it is Secure, host-only and
/// for the whole site; it needs https.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-pykb_session"
    } else {
        "pykb_session"
    }
}

/// The value of the named cookie in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value for an HttpOnly, SameSite=Strict cookie; `max_age` 0 deletes it.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    // Names and values are ours (hex tokens), so this is always a valid header value.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A cookie that only says "an editor signs in with this browser": no secret, readable by the
/// site's script, so public pages (cached, and the same for everyone) can reveal their
/// "Edit this page" link. The session cookie alone decides what anyone may do.
pub const SIGNED_IN_MARKER: &str = "pykb_editor";

/// The marker's `Set-Cookie` value: set for as long as a session can last, or deleted.
pub fn signed_in_marker(signed_in: bool, secure: bool) -> HeaderValue {
    let age = if signed_in { ABSOLUTE_TIMEOUT_SECS } else { 0 };
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{SIGNED_IN_MARKER}=1; Path=/; SameSite=Strict; Max-Age={age}{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Creates a session for `user_id` with a new id and CSRF token; returns its cookie.
pub async fn start_session(state: &AppState, user_id: i64) -> Result<HeaderValue> {
    let secret = random_token()?;
    let csrf = random_token()?;
    sessions::create(&state.db, &sha256_hex(&secret), user_id, &csrf, db::now()).await?;
    let https = state.config.is_https();
    Ok(set_cookie(
        session_cookie_name(https),
        &secret,
        Some(ABSOLUTE_TIMEOUT_SECS),
        https,
    ))
}

/// Deletes the session; returns the cookie that clears it in the browser.
pub async fn end_session(state: &AppState, user: &CurrentUser) -> Result<HeaderValue> {
    sessions::delete(&state.db, &user.session_id).await?;
    let https = state.config.is_https();
    Ok(set_cookie(session_cookie_name(https), "", Some(0), https))
}

/// The signed-in user, if the request carries a live session.
async fn current_user(state: &AppState, headers: &HeaderMap) -> Result<Option<CurrentUser>> {
    let Some(secret) = cookie(headers, session_cookie_name(state.config.is_https())) else {
        return Ok(None);
    };
    let id = sha256_hex(secret);
    let Some(session) = sessions::get(&state.db, &id).await? else {
        return Ok(None);
    };
    let now = db::now();
    if now - session.last_seen_at > IDLE_TIMEOUT_SECS
        || now - session.created_at > ABSOLUTE_TIMEOUT_SECS
    {
        sessions::delete(&state.db, &id).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY_SECS {
        sessions::touch(&state.db, &id, now).await?;
    }
    Ok(Some(CurrentUser {
        session_id: id,
        user_id: session.user_id,
        username: session.username,
        role: session.role,
        csrf_token: session.csrf_token,
    }))
}

/// The signed-in user or nobody; never rejects (but for a database failure).
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(MaybeUser(Some(user.clone())));
        }
        let user = current_user(state, &parts.headers).await?;
        if let Some(user) = &user {
            parts.extensions.insert(user.clone());
        }
        Ok(MaybeUser(user))
    }
}

/// A signed-in editor or admin. Anyone else is sent to the sign-in page (303), which brings
/// them back here afterwards.
pub struct Editor(pub CurrentUser);

impl FromRequestParts<AppState> for Editor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match MaybeUser::from_request_parts(parts, state).await {
            Ok(MaybeUser(Some(user))) => Ok(Editor(user)),
            Ok(MaybeUser(None)) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or("/admin", |pq| pq.as_str());
                let to = format!("/admin/login?next={}", crate::render::encode_query(next));
                Err(Redirect::to(&to).into_response())
            }
            Err(err) => Err(err.into_response()),
        }
    }
}

/// A signed-in admin. Anonymous visitors are sent to sign in; editors are refused (403).
pub struct Admin(pub CurrentUser);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Editor(user) = Editor::from_request_parts(parts, state).await?;
        if user.role == Role::Admin {
            Ok(Admin(user))
        } else {
            Err(Error::Forbidden(
                "Only admins manage accounts. Ask an admin if you need a new user or a password reset."
                    .to_owned(),
            )
            .into_response())
        }
    }
}

/// Removes expired sessions now and then, so the table holds live ones only (expired ones are
/// refused on use anyway).
pub async fn sweep_expired_sessions(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    loop {
        every.tick().await;
        let now = db::now();
        match sessions::delete_expired(
            &state.db,
            now - IDLE_TIMEOUT_SECS,
            now - ABSOLUTE_TIMEOUT_SECS,
        )
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "removed expired sessions"),
            Err(err) => tracing::warn!(error = %err, "cannot remove expired sessions"),
        }
        // Unsaved changes nobody came back to in 30 days.
        match db::autosaves::delete_older_than(&state.db, now - 30 * 24 * 60 * 60).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(autosaves = n, "removed old unsaved changes"),
            Err(err) => tracing::warn!(error = %err, "cannot remove old unsaved changes"),
        }
    }
}
