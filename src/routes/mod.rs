//! The URL table. Each page family has its own module with its handlers and page structs;
//! the templates they render are named after them under `templates/`.

mod admin;
mod api;
mod feeds;
mod health;
pub mod meta;
pub(crate) mod pages;
mod practice;
mod search;

use axum::Router;
use axum::routing::{any, get, post};

use crate::page_cache::{self, CachedRoute};
use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    // Reader pages, answered from the page cache. Each names the query parameters its handler
    // reads: the only ones its cache key keeps (see `page_cache`).
    let cached = |params: &'static [&'static str]| {
        axum::middleware::from_fn_with_state(
            CachedRoute {
                state: state.clone(),
                params,
            },
            page_cache::serve,
        )
    };
    Router::new()
        .merge(admin::router())
        .route("/", get(pages::home).layer(cached(&[])))
        .route("/q/{slug}", get(pages::article).layer(cached(&[])))
        .route("/q/{slug}/", get(pages::article_with_slash))
        .route("/tags", get(pages::tags).layer(cached(&[])))
        .route(
            "/tags/{tag}",
            get(pages::tag).layer(cached(&["difficulty", "page"])),
        )
        .route(
            "/tags/{tag}/feed.xml",
            get(feeds::tag_feed).layer(cached(&[])),
        )
        .route("/feed.xml", get(feeds::site_feed).layer(cached(&[])))
        .route("/sitemap.xml", get(feeds::sitemap).layer(cached(&[])))
        .route(
            "/sitemaps/{file}",
            get(feeds::sitemap_file).layer(cached(&[])),
        )
        .route("/robots.txt", get(feeds::robots).layer(cached(&[])))
        .route(
            "/api/articles",
            get(api::list).layer(cached(&["limit", "cursor"])),
        )
        .route("/api/articles/{slug}", get(api::one).layer(cached(&[])))
        .route("/search", get(search::search_page))
        .route("/api/search", get(search::api_search))
        .route("/api/suggest", get(search::api_suggest))
        .route("/api/search/click", post(search::api_search_click))
        .route("/api/practice", get(practice::api_practice))
        .route("/practice", get(practice::page))
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

/// Kept here too: tests and older code name it `routes::encode_query`.
pub use crate::render::encode_query;
