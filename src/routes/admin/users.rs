//! `GET /admin/users` and its forms, for admins only: add an account, set a password (which
//! ends that user's sessions), disable or enable an account.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{CsrfForm, CsrfOnly, Nav};
use crate::accounts::{self, AccountError};
use crate::auth::{Admin, CurrentUser};
use crate::db::users;
use crate::domain::{MIN_PASSWORD_CHARS, Role};
use crate::extract::{Path, Query};
use crate::render::with_status;
use crate::routes::pages::date_time;
use crate::state::AppState;
use crate::{Error, Result};

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    pub user_id: i64,
    pub users: Vec<UserRow>,
    /// The add-user form as typed (the password is never sent back).
    pub new_username: String,
    pub new_role: String,
    pub notice: Option<String>,
    pub problem: Option<String>,
    /// The field of the add-user form at fault.
    pub problem_field: &'static str,
    pub min_password_chars: usize,
}

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub disabled: bool,
    pub created: String,
    pub last_seen: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsersParams {
    pub done: String,
    pub name: String,
}

async fn render(
    state: &AppState,
    admin: &CurrentUser,
    status: StatusCode,
    edit: impl FnOnce(&mut UsersPage),
) -> Result<Response> {
    let users = users::list(&state.db)
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            username: u.username,
            role: u.role,
            disabled: u.disabled,
            created: date_time(u.created_at),
            last_seen: u.last_seen_at.map(date_time).unwrap_or_default(),
        })
        .collect();
    let mut page = UsersPage {
        nav: Some(Nav::from(admin)),
        csrf_token: admin.csrf_token.clone(),
        user_id: admin.user_id,
        users,
        new_username: String::new(),
        new_role: "editor".to_owned(),
        notice: None,
        problem: None,
        problem_field: "",
        min_password_chars: MIN_PASSWORD_CHARS,
    };
    edit(&mut page);
    Ok(with_status(status, page))
}

/// `GET /admin/users`.
pub async fn page(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Query(params): Query<UsersParams>,
) -> Result<Response> {
    let name = params.name;
    let notice = match params.done.as_str() {
        "added" => Some(format!(
            "Added {name}. Give them their password in person or over a channel you trust."
        )),
        "password" => Some(format!(
            "Changed the password of {name}; their sessions have ended."
        )),
        "disabled" => Some(format!("Disabled {name}; their sessions have ended.")),
        "enabled" => Some(format!("Enabled {name}.")),
        _ => None,
    };
    render(&state, &admin, StatusCode::OK, |page| page.notice = notice).await
}

impl From<AccountError> for Error {
    fn from(err: AccountError) -> Self {
        match err {
            AccountError::NoSuchUser(_) => Error::NotFound,
            AccountError::Internal(cause) => Error::from(cause),
            other => Error::BadRequest(other.to_string()),
        }
    }
}

/// Where a successful change goes: the users page, saying what was done.
fn done(what: &str, name: &str) -> Response {
    let to = format!(
        "/admin/users?done={what}&name={}",
        crate::routes::encode_query(name)
    );
    Redirect::to(&to).into_response()
}

/// A refused change comes back on the users page with the reason and its status.
async fn refused(
    state: &AppState,
    admin: &CurrentUser,
    err: AccountError,
    keep: impl FnOnce(&mut UsersPage),
) -> Result<Response> {
    let (status, field) = match &err {
        AccountError::Invalid { field, .. } => (StatusCode::UNPROCESSABLE_ENTITY, *field),
        AccountError::LastAdmin(_) => (StatusCode::CONFLICT, ""),
        AccountError::NoSuchUser(_) | AccountError::Internal(_) => return Err(err.into()),
    };
    let message = err.to_string();
    render(state, admin, status, |page| {
        keep(page);
        page.problem = Some(message);
        page.problem_field = field;
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AddForm {
    pub username: String,
    pub password: String,
    pub role: String,
    pub csrf_token: String,
}

/// `POST /admin/users`: a new account.
pub async fn add(
    State(state): State<AppState>,
    Admin(admin): Admin,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<Response> {
    let keep = |page: &mut UsersPage| {
        page.new_username = form.username.clone();
        page.new_role = form.role.clone();
    };
    let role = match form.role.parse::<Role>() {
        Ok(role) => role,
        Err(err) => {
            let err = AccountError::Invalid {
                field: "role",
                message: err.0,
            };
            return refused(&state, &admin, err, keep).await;
        }
    };
    match accounts::add(&state.db, &form.username, &form.password, role).await {
        Ok(_) => {
            tracing::info!(user = ?form.username.trim(), %role, by = ?admin.username, "account added");
            Ok(done("added", form.username.trim()))
        }
        Err(err) => refused(&state, &admin, err, keep).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub password: String,
    pub csrf_token: String,
}

async fn name_of(state: &AppState, id: i64) -> Result<String> {
    let mut conn = state.db.acquire().await?;
    users::by_id(&mut conn, id)
        .await?
        .map(|u| u.username)
        .ok_or(Error::NotFound)
}

/// `POST /admin/users/{id}/password`.
pub async fn password(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response> {
    let name = name_of(&state, id).await?;
    match accounts::set_password(&state.db, id, &form.password).await {
        Ok(()) => {
            tracing::info!(user = ?name, by = ?admin.username, "password changed");
            Ok(done("password", &name))
        }
        Err(AccountError::Invalid { message, .. }) => {
            let err = AccountError::Invalid {
                field: "",
                message: format!("The password of {name} was not changed: {message}"),
            };
            refused(&state, &admin, err, |_| {}).await
        }
        Err(err) => refused(&state, &admin, err, |_| {}).await,
    }
}

/// `POST /admin/users/{id}/disable`: ends their sessions; never your own account.
pub async fn disable(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response> {
    set_disabled(&state, &admin, id, true).await
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response> {
    set_disabled(&state, &admin, id, false).await
}

async fn set_disabled(
    state: &AppState,
    admin: &CurrentUser,
    id: i64,
    disabled: bool,
) -> Result<Response> {
    let name = name_of(state, id).await?;
    if disabled && id == admin.user_id {
        return render(state, admin, StatusCode::CONFLICT, |page| {
            page.problem = Some(
                "You cannot disable the account you are signed in with; ask another admin."
                    .to_owned(),
            );
        })
        .await;
    }
    match accounts::set_disabled(&state.db, id, disabled).await {
        Ok(()) => {
            let what = if disabled { "disabled" } else { "enabled" };
            tracing::info!(user = ?name, by = ?admin.username, "account {what}");
            Ok(done(what, &name))
        }
        Err(err) => refused(state, admin, err, |_| {}).await,
    }
}
