//! The URL table. Each page family has its own module with its handlers and page structs;
//! the templates they render are named after them under `templates/`.

mod admin;
mod api;
mod feeds;
mod health;
pub mod meta;
pub(crate) mod pages;
mod search;

use axum::Router;
use axum::routing::{any, get};

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(admin::router())
        .route("/", get(pages::home))
        .route("/q/{slug}", get(pages::article))
        .route("/tags/{tag}", get(pages::tag))
        .route("/tags/{tag}/feed.xml", get(feeds::tag_feed))
        .route("/feed.xml", get(feeds::site_feed))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/api/articles", get(api::list))
        .route("/api/articles/{slug}", get(api::one))
        .route("/search", get(search::search_page))
        .route("/api/search", get(search::api_search))
        .route("/api/suggest", get(search::api_suggest))
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .route("/opensearch.xml", get(search::opensearch))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(crate::metrics::endpoint))
        .route("/static/{file}", get(crate::assets::serve))
}

/// Anything unknown.
pub async fn not_found() -> crate::Error {
    crate::Error::NotFound
}

/// A known path with a method it does not take (axum adds the `Allow` header).
pub async fn method_not_allowed() -> crate::Error {
    crate::Error::MethodNotAllowed
}

/// Anything unknown under `/api`: the same 404, as JSON.
async fn api_not_found() -> crate::error::ApiError {
    crate::error::ApiError(crate::Error::NotFound)
}

/// Percent-encodes a query-string value.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
