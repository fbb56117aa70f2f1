//! Read-only JSON about published articles: `GET /api/articles` (all of them, not paginated:
//! the knowledge base is small) and `GET /api/articles/{slug}` (one, with its Markdown and
//! its rendered, sanitized HTML). Drafts and trashed articles are 404 here as everywhere.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;
use crate::db::articles::{self, Summary};
use crate::error::ApiError;
use crate::extract::ApiPath;
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
            tags: crate::db::split_list(&s.tags).map(str::to_owned).collect(),
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
}

/// `GET /api/articles`: every published article, by title.
pub async fn list(State(state): State<AppState>) -> Result<Json<ApiArticles>, ApiError> {
    let base = &state.config.base_url;
    let articles = articles::published_summaries(&state.db.pool)
        .await?
        .into_iter()
        .map(|s| ApiArticle::new(base, s))
        .collect();
    Ok(Json(ApiArticles { articles }))
}

#[derive(Serialize)]
pub struct ApiArticleFull {
    #[serde(flatten)]
    pub article: ApiArticle,
    /// The Markdown source.
    pub body: String,
    /// The rendered, sanitized HTML, as the page shows it.
    pub html: String,
}

/// `GET /api/articles/{slug}`.
pub async fn one(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Response, ApiError> {
    let page = articles::published_page(&state.db.pool, &slug, "[]")
        .await?
        .ok_or(Error::NotFound)?;
    let body = articles::published_body(&state.db.pool, page.id)
        .await?
        .ok_or(Error::NotFound)?;
    let html = served_body(page.body_html, &page.unpublished_links)?;
    let body = served_markdown(body, &page.unpublished_links)?;
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
    })
    .into_response();
    response.extensions_mut().insert(shows);
    Ok(response)
}
