//! For search engines and feed readers: `/sitemap.xml`, `/robots.txt`, the Atom feeds
//! `/feed.xml` and `/tags/{tag}/feed.xml`. Every absolute link comes from `PYKB_BASE_URL`.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::db::articles;
use crate::domain::tag_label;
use crate::extract::Path;
use crate::routes::pages::{Visible, rfc3339};
use crate::state::AppState;
use crate::{Error, Result};

/// Entries in a feed: the most recently updated ones.
const FEED_ENTRIES: i64 = 50;

fn xml(template: &impl Template, content_type: &'static str) -> Result<Response> {
    let body = template.render().map_err(|e| Error::Internal(e.into()))?;
    // Text saved before control characters were refused must not make the document invalid.
    let body = crate::render::without_non_xml_chars(body);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
pub struct Sitemap {
    pub urls: Vec<SitemapUrl>,
}

pub struct SitemapUrl {
    pub loc: String,
    /// W3C date (YYYY-MM-DD).
    pub lastmod: String,
}

/// `GET /sitemap.xml`: the home page, every topic and every published article.
pub async fn sitemap(State(state): State<AppState>) -> Result<Response> {
    let base = &state.config.base_url;
    let summaries = articles::published_summaries(&state.db.pool).await?;
    let date = |unix: i64| rfc3339(unix).get(..10).unwrap_or_default().to_owned();
    let newest = summaries.iter().map(|s| s.updated_at).max().unwrap_or(0);
    let mut urls = vec![SitemapUrl {
        loc: format!("{base}/"),
        lastmod: date(newest),
    }];
    let mut tags: Vec<(String, i64)> = Vec::new();
    for summary in &summaries {
        for tag in crate::db::split_list(&summary.tags) {
            match tags.iter_mut().find(|(name, _)| name == tag) {
                Some((_, latest)) => *latest = (*latest).max(summary.updated_at),
                None => tags.push((tag.to_owned(), summary.updated_at)),
            }
        }
    }
    tags.sort();
    urls.extend(tags.into_iter().map(|(tag, latest)| SitemapUrl {
        loc: format!("{base}/tags/{tag}"),
        lastmod: date(latest),
    }));
    urls.extend(summaries.iter().map(|s| SitemapUrl {
        loc: format!("{base}/q/{}", s.slug),
        lastmod: date(s.updated_at),
    }));
    xml(&Sitemap { urls }, "application/xml; charset=utf-8")
}

/// `GET /robots.txt`: everything but the admin pages and search results, and where the
/// sitemap is.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /admin\nDisallow: /search\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n",
        state.config.base_url
    );
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    // It names no article: no change to one makes it stale.
    response
        .extensions_mut()
        .insert(crate::page_cache::Shows::Nothing);
    response
}

#[derive(Template)]
#[template(path = "feed.xml")]
pub struct Feed {
    pub base_url: String,
    pub title: String,
    pub self_url: String,
    pub page_url: String,
    pub updated: String,
    pub entries: Vec<FeedItem>,
}

pub struct FeedItem {
    pub title: String,
    pub url: String,
    pub summary: String,
    /// The body's HTML (escaped once more by the template, as Atom's `type="html"` wants).
    pub html: String,
    pub published: String,
    pub updated: String,
}

async fn feed(state: &AppState, tag: Option<&str>) -> Result<Response> {
    let base = &state.config.base_url;
    let rows = articles::recently_updated(&state.db.pool, tag, FEED_ENTRIES).await?;
    if tag.is_some() && rows.is_empty() {
        return Err(Error::NotFound);
    }
    let visible = Visible::load(&state.db.pool).await?;
    let (title, self_url, page_url) = match tag {
        Some(tag) => (
            format!("pykb: {}", tag_label(tag)),
            format!("{base}/tags/{tag}/feed.xml"),
            format!("{base}/tags/{tag}"),
        ),
        None => (
            "pykb: Python interview questions".to_owned(),
            format!("{base}/feed.xml"),
            format!("{base}/"),
        ),
    };
    let updated = rows.iter().map(|r| r.updated_at).max().unwrap_or(0);
    let entries = rows
        .into_iter()
        .map(|row| FeedItem {
            url: format!("{base}/q/{}", row.slug),
            html: visible.unlink(&row.body_html),
            title: row.title,
            summary: row.summary,
            published: rfc3339(row.created_at),
            updated: rfc3339(row.updated_at),
        })
        .collect();
    let feed = Feed {
        base_url: base.clone(),
        title,
        self_url,
        page_url,
        updated: rfc3339(updated),
        entries,
    };
    xml(&feed, "application/atom+xml; charset=utf-8")
}

/// `GET /feed.xml`: new and updated articles.
pub async fn site_feed(State(state): State<AppState>) -> Result<Response> {
    feed(&state, None).await
}

/// `GET /tags/{tag}/feed.xml`: the same for one topic.
pub async fn tag_feed(State(state): State<AppState>, Path(tag): Path<String>) -> Result<Response> {
    feed(&state, Some(&tag)).await
}
