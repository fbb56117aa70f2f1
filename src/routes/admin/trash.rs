//! Deleting moves an article to the trash, from which it can be restored:
//! `GET /admin/articles/{id}/delete` (the confirmation, naming the articles that link to it),
//! `POST /admin/articles/{id}/delete`, `GET /admin/trash`, `POST /admin/trash/{id}/restore`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::{CsrfForm, CsrfOnly, Nav};
use crate::auth::Editor;
use crate::db::articles;
use crate::domain::Status;
use crate::editing::{Backlink, Moved, backlinks, move_to_trash, restore_from_trash};
use crate::extract::Path;
use crate::render::HtmlTemplate;
use crate::routes::pages::date_time;
use crate::state::AppState;
use crate::{Error, Result};

#[derive(Template)]
#[template(path = "admin/delete.html")]
pub struct ConfirmPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub already_trashed: bool,
    pub backlinks: Vec<Backlink>,
}

/// `GET /admin/articles/{id}/delete`: what deleting would affect, and the button.
pub async fn confirm(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
) -> Result<HtmlTemplate<ConfirmPage>> {
    let mut conn = state.db.acquire().await?;
    let article = articles::for_edit(&mut conn, id)
        .await?
        .ok_or(Error::NotFound)?;
    drop(conn);
    let backlinks = backlinks(state.stores(), id).await?;
    Ok(HtmlTemplate(ConfirmPage {
        nav: Some(Nav::from(&user)),
        csrf_token: user.csrf_token,
        id,
        already_trashed: article.status == Status::Trashed,
        title: article.title,
        slug: article.slug,
        backlinks,
    }))
}

/// `POST /admin/articles/{id}/delete`: to the trash, then back to the list (with an undo).
pub async fn delete(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response> {
    match move_to_trash(state.stores(), id, user.user_id).await? {
        Moved::Missing => Err(Error::NotFound),
        Moved::Done | Moved::AlreadyThere => {
            tracing::info!(article = id, user = ?user.username, "moved to the trash");
            Ok(Redirect::to(&format!("/admin?trashed={id}")).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "admin/trash.html")]
pub struct TrashPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    pub rows: Vec<TrashRow>,
}

pub struct TrashRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub when: String,
    pub by: String,
}

/// Trashed articles the trash page lists at most (the most recently trashed).
const TRASH_SHOWN: i64 = 500;

/// `GET /admin/trash`: trashed articles, most recent first.
pub async fn list(
    State(state): State<AppState>,
    Editor(user): Editor,
) -> Result<HtmlTemplate<TrashPage>> {
    let filter = articles::AdminFilter {
        status: Some(Status::Trashed),
        ..articles::AdminFilter::default()
    };
    let newest_first = articles::AdminSort {
        by: "updated",
        descending: true,
    };
    let rows = articles::admin_list(&state.db, filter, newest_first, 0, TRASH_SHOWN)
        .await?
        .into_iter()
        .map(|row| TrashRow {
            id: row.id,
            title: row.title,
            slug: row.slug,
            when: date_time(row.updated_at),
            by: row.updated_by.unwrap_or_else(|| "seed import".to_owned()),
        })
        .collect();
    Ok(HtmlTemplate(TrashPage {
        nav: Some(Nav::from(&user)),
        csrf_token: user.csrf_token,
        rows,
    }))
}

/// `POST /admin/trash/{id}/restore`: back with the status it had, then to its editor.
pub async fn restore(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<CsrfOnly>,
) -> Result<Response> {
    match restore_from_trash(state.stores(), id, user.user_id).await? {
        Moved::Missing => Err(Error::NotFound),
        Moved::Done => {
            tracing::info!(article = id, user = ?user.username, "taken out of the trash");
            Ok(Redirect::to(&format!("/admin/articles/{id}/edit?untrashed=1")).into_response())
        }
        Moved::AlreadyThere => {
            Ok(Redirect::to(&format!("/admin/articles/{id}/edit")).into_response())
        }
    }
}
