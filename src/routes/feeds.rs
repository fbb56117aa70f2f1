//! For search engines and feed readers: `/sitemap.xml`, `/robots.txt`, the Atom feeds
//! `/feed.xml` and `/tags/{tag}/feed.xml`. Every absolute link comes from `PYKB_BASE_URL`.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::db::{articles, listing};
use crate::domain::tag_label;
use crate::extract::Path;
use crate::routes::pages::{Visible, rfc3339};
use crate::state::AppState;
use crate::{Error, Result};

/// Entries in a feed: the most recently updated ones.
const FEED_ENTRIES: i64 = 50;

async fn xml(
    template: impl Template + Send + 'static,
    content_type: &'static str,
) -> Result<Response> {
    // A sitemap file is 50,000 URLs: CPU work for the render pool, not an async worker.
    let body = crate::cpu::RENDER
        .run(move || template.render())
        .await?
        .map_err(|e| Error::Internal(e.into()))?;
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

/// URLs in one sitemap file at most (the protocol's limit); past them `/sitemap.xml` becomes
/// an index of files `/sitemaps/{n}.xml`.
const SITEMAP_URLS: usize = 50_000;

#[derive(Template)]
#[template(path = "sitemap_index.xml")]
pub struct SitemapIndex {
    pub files: Vec<SitemapUrl>,
}

/// The sitemap's URLs are the home page, every topic, then every published article by
/// title; file `n` (from 0) holds those numbered `n * SITEMAP_URLS` up to the next file's.
/// Each file reads only its own articles (a seek in the title index), so no request reads
/// the whole site.
async fn sitemap_file_urls(
    state: &AppState,
    n: usize,
    topics: &[listing::TopicCount],
) -> Result<Vec<SitemapUrl>> {
    let base = &state.config.base_url;
    let pool = &state.db;
    let (start, end) = (n * SITEMAP_URLS, (n + 1) * SITEMAP_URLS);
    let first_article = 1 + topics.len();
    let mut urls = Vec::new();
    if start == 0 {
        urls.push(SitemapUrl {
            loc: format!("{base}/"),
            lastmod: w3c_date(listing::newest_change(pool).await?),
        });
    }
    if start < first_article {
        let dates = listing::topic_last_changes(pool).await?;
        urls.extend(
            dates
                .into_iter()
                .skip(start.saturating_sub(1))
                .take(end.min(first_article) - start.max(1))
                .map(|(tag, latest)| SitemapUrl {
                    loc: format!("{base}/tags/{tag}"),
                    lastmod: w3c_date(latest),
                }),
        );
    }
    if end > first_article {
        let offset = start.saturating_sub(first_article);
        let limit = end - start.max(first_article);
        let entries = listing::sitemap_articles(pool, as_i64(offset), as_i64(limit)).await?;
        // Up to 50,000 URLs and dates to format: CPU work for the render pool.
        let base = base.clone();
        let formatted = crate::cpu::RENDER
            .run(move || {
                entries
                    .into_iter()
                    .map(|e| SitemapUrl {
                        loc: format!("{base}/q/{}", e.slug),
                        lastmod: w3c_date(e.updated_at),
                    })
                    .collect::<Vec<_>>()
            })
            .await?;
        urls.extend(formatted);
    }
    Ok(urls)
}

/// A sitemap's `lastmod`: the W3C date (YYYY-MM-DD) of a Unix time.
fn w3c_date(unix: i64) -> String {
    rfc3339(unix).get(..10).unwrap_or_default().to_owned()
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// How many URLs the sitemap has, and the topics among them.
async fn sitemap_size(state: &AppState) -> Result<(usize, Vec<listing::TopicCount>)> {
    let topics = listing::topics(&state.db).await?;
    let articles = listing::published_count(&state.db).await?;
    let total = 1 + topics.len() + usize::try_from(articles).unwrap_or(0);
    Ok((total, topics))
}

/// The files of a sitemap index over `total` URLs, `per_file` to a file, dated by
/// `newest(file)`; `None` when one file holds them all.
fn index_files(
    total: usize,
    per_file: usize,
    base: &str,
    newest: impl Fn(usize) -> String,
) -> Option<Vec<SitemapUrl>> {
    (total > per_file).then(|| {
        (0..total.div_ceil(per_file))
            .map(|n| SitemapUrl {
                loc: format!("{base}/sitemaps/{}.xml", n + 1),
                lastmod: newest(n),
            })
            .collect()
    })
}

/// `GET /sitemap.xml`: the home page, every topic and every published article; past 50,000
/// URLs, an index of the files that list them.
pub async fn sitemap(State(state): State<AppState>) -> Result<Response> {
    let (total, topics) = sitemap_size(&state).await?;
    if total <= SITEMAP_URLS {
        let urls = sitemap_file_urls(&state, 0, &topics).await?;
        return xml(Sitemap { urls }, "application/xml; charset=utf-8").await;
    }
    let newest =
        listing::sitemap_file_dates(&state.db, as_i64(1 + topics.len()), as_i64(SITEMAP_URLS))
            .await?;
    let everything = newest.iter().copied().max().unwrap_or(0);
    let files = index_files(total, SITEMAP_URLS, &state.config.base_url, |n| {
        // The first file also holds the home page and the topics: as new as anything.
        let unix = if n == 0 {
            everything
        } else {
            newest.get(n).copied().unwrap_or(everything)
        };
        w3c_date(unix)
    })
    .unwrap_or_default();
    xml(SitemapIndex { files }, "application/xml; charset=utf-8").await
}

/// `GET /sitemaps/{n}.xml`: the n-th file of the sitemap index.
pub async fn sitemap_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response> {
    let n = file
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .ok_or(Error::NotFound)?;
    let (total, topics) = sitemap_size(&state).await?;
    if total <= SITEMAP_URLS || (n - 1) * SITEMAP_URLS >= total {
        return Err(Error::NotFound);
    }
    let urls = sitemap_file_urls(&state, n - 1, &topics).await?;
    xml(Sitemap { urls }, "application/xml; charset=utf-8").await
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
    let rows = articles::recently_updated(&state.db, tag, FEED_ENTRIES).await?;
    if tag.is_some() && rows.is_empty() {
        return Err(Error::NotFound);
    }
    let visible = Visible::load(&state.db).await?;
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
    xml(feed, "application/atom+xml; charset=utf-8").await
}

/// `GET /feed.xml`: new and updated articles.
pub async fn site_feed(State(state): State<AppState>) -> Result<Response> {
    feed(&state, None).await
}

/// `GET /tags/{tag}/feed.xml`: the same for one topic.
pub async fn tag_feed(State(state): State<AppState>, Path(tag): Path<String>) -> Result<Response> {
    feed(&state, Some(&tag)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_sitemap_becomes_an_index_of_files() {
        let newest = |n: usize| format!("2026-01-{:02}", n + 1);
        assert!(index_files(5, 5, "https://x", newest).is_none());
        let files = index_files(5, 2, "https://x", newest).unwrap();
        let locs: Vec<&str> = files.iter().map(|f| f.loc.as_str()).collect();
        assert_eq!(
            locs,
            [
                "https://x/sitemaps/1.xml",
                "https://x/sitemaps/2.xml",
                "https://x/sitemaps/3.xml"
            ]
        );
        assert_eq!(files[2].lastmod, "2026-01-03");
        let index = SitemapIndex { files }.render().unwrap();
        assert!(roxmltree::Document::parse(&index).is_ok(), "{index}");
        assert!(index.contains("<sitemapindex"), "{index}");
    }
}
