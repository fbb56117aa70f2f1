//! Read-only JSON about published articles: `GET /api/articles` (by title, in pages:
//! `?limit=` up to 1000, `?cursor=` from the previous page's `next`) and
//! `GET /api/articles/{slug}` (one, with its Markdown and its rendered, sanitized HTML).
//! Drafts and trashed articles are 404 here as everywhere.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;
use crate::db::articles::{self, Summary};
use crate::db::listing;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::page_cache::Shows;
use crate::routes::pages::{rfc3339, served_body, served_markdown};
use crate::state::AppState;

#[derive(Serialize)]
pub struct ApiArticle {
    pub slug: String,
    pub title: String,
    pub kind: &'static str,
    pub summary: String,
    pub tags: Vec<String>,
    pub difficulty: &'static str,
    /// RFC 3339, UTC.
    pub updated: String,
    /// The article's page.
    pub url: String,
}

impl ApiArticle {
    fn new(base_url: &str, s: Summary) -> Self {
        Self {
            url: format!("{base_url}/q/{}", s.slug),
            tags: s.tags.0,
            slug: s.slug,
            title: s.title,
            kind: s.kind.as_str(),
            summary: s.summary,
            difficulty: s.difficulty.as_str(),
            updated: rfc3339(s.updated_at),
        }
    }
}

#[derive(Serialize)]
pub struct ApiArticles {
    pub articles: Vec<ApiArticle>,
    /// The next page's address, or null on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// Articles per page unless `?limit=` says otherwise, and the most it may say.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

/// `GET /api/articles[?limit=N][&cursor=C]`: published articles by title, a page at a time.
/// The cursor is opaque to clients: the `next` URL carries it.
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<ApiArticles>, ApiError> {
    let limit = match params.limit.as_deref().map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                Error::BadRequest(format!("limit must be a number from 1 to {MAX_LIMIT}"))
            })?,
    };
    let after = match params.cursor.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            Error::BadRequest("cursor is not one this API gave out: follow `next`".into())
        })?),
    };
    let base = &state.config.base_url;
    let mut rows = listing::api_page(&state.db, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = more
        .then(|| {
            rows.last()
                .map(|last| format!("{base}/api/articles?limit={limit}&cursor={}", last.id))
        })
        .flatten();
    let articles = rows.into_iter().map(|s| ApiArticle::new(base, s)).collect();
    Ok(Json(ApiArticles { articles, next }))
}

#[derive(Serialize)]
pub struct ApiArticleFull {
    #[serde(flatten)]
    pub article: ApiArticle,
    /// The Markdown source.
    pub body: String,
    /// The rendered, sanitized HTML, as the page shows it.
    pub html: String,
    /// Each Python example's verification (see `verify::report`).
    pub examples: Vec<crate::verify::report::ExampleReport>,
}

/// `GET /api/articles/{slug}`.
pub async fn one(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Response, ApiError> {
    let page = articles::published_page(&state.db, &slug, "[]")
        .await?
        .ok_or(Error::NotFound)?;
    let body = articles::published_body(&state.db, page.id)
        .await?
        .ok_or(Error::NotFound)?;
    let html = served_body(page.body_html, &page.unpublished_links);
    let examples =
        crate::verify::report::for_body(&state.db, page.id, &html, state.config.verify).await?;
    let body = served_markdown(body, &page.unpublished_links);
    let summary = Summary {
        id: page.id,
        slug: page.slug,
        title: page.title,
        summary: page.summary,
        kind: page.kind,
        difficulty: page.difficulty,
        updated_at: page.updated_at,
        tags: page.tags,
    };
    let shows = Shows::Article {
        slug: summary.slug.clone(),
        also: Vec::new(),
    };
    let mut response = Json(ApiArticleFull {
        article: ApiArticle::new(&state.config.base_url, summary),
        body,
        html,
        examples,
    })
    .into_response();
    response.extensions_mut().insert(shows);
    Ok(response)
}
