//! The admin side: sign-in and the article editor. Every page here is for signed-in editors
//! (the `Editor` extractor sends anyone else to the sign-in page) and is never cached.

mod articles;
mod login;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(articles::list))
        .route("/admin/login", get(login::page).post(login::submit))
        .route("/admin/logout", post(login::logout))
        .route("/admin/articles/new", get(articles::new_form))
        .route("/admin/articles", post(articles::create))
        .route("/admin/articles/{id}/edit", get(articles::edit_form))
        .route("/admin/articles/{id}", post(articles::update))
        .route("/admin/preview", post(articles::preview))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}
