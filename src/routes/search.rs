//! Search: the results page, the JSON API, as-you-type suggestions and the OpenSearch
//! description that lets browsers add the site as a search engine.

use std::time::Instant;

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::db::articles::{self, Summary};
use crate::domain::{Difficulty, tag_label};
use crate::error::{ApiError, Error, Result};
use crate::extract::{ApiQuery, Query};
use crate::render::{HtmlTemplate, escape_html, with_status};
use crate::routes::encode_query;
use crate::routes::meta::Meta;
use crate::routes::pages::TagView;
use crate::search::{Hit, MAX_QUERY_CHARS, SearchRequest, SearchResults};
use crate::state::AppState;

const PER_PAGE: usize = 10;
const MAX_PAGE: usize = 100;
const MAX_API_LIMIT: usize = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    pub q: Option<String>,
    pub page: Option<usize>,
    pub tag: Option<String>,
    pub difficulty: Option<String>,
    /// Set by the "search instead for" link: no spelling correction.
    pub exact: Option<String>,
}

/// A result as the page shows it.
pub struct ResultView {
    pub title: String,
    pub slug: String,
    /// 1 for the first result of the first page (reported when the reader opens it).
    pub position: usize,
    /// Where the reader lands: the matching section, or the page.
    pub url: String,
    /// The heading of the section `url` lands on, if any.
    pub section: Option<String>,
    pub snippet: String,
    /// Other sections of the page that match, each with its link and snippet.
    pub more_sections: Vec<SectionView>,
    pub tags: Vec<TagView>,
    pub difficulty: Difficulty,
}

pub struct SectionView {
    pub heading: String,
    pub url: String,
    /// Escaped, with `<mark>`s.
    pub snippet: String,
}

pub struct Facet {
    pub label: String,
    pub count: u64,
    pub url: String,
    pub selected: bool,
}

pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub meta: Meta,
    pub query: String,
    pub error: Option<String>,
    pub total: usize,
    pub results: Vec<ResultView>,
    pub tag_facets: Vec<Facet>,
    pub difficulty_facets: Vec<Facet>,
    pub corrected: Option<String>,
    pub original_url: String,
    pub suggestion: Option<(String, String)>,
    pub pages: Vec<PageLink>,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// Shown when there is no query or no result.
    pub topics: Vec<TagView>,
}

fn url_for(q: &str, tag: Option<&str>, difficulty: Option<&str>, page: usize) -> String {
    let mut pairs = vec![("q", q.to_owned())];
    if let Some(tag) = tag {
        pairs.push(("tag", tag.to_owned()));
    }
    if let Some(difficulty) = difficulty {
        pairs.push(("difficulty", difficulty.to_owned()));
    }
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_query(v)))
        .collect();
    format!("/search?{}", query.join("&"))
}

/// Checks the query and filters, with messages readers understand.
fn validate(q: &str, difficulty: Option<&str>) -> Result<(), String> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "Your search is {} characters long; the limit is {MAX_QUERY_CHARS}. Shorten it and try again.",
            q.chars().count()
        ));
    }
    if let Some(difficulty) = difficulty {
        difficulty.parse::<Difficulty>().map_err(|err| err.0)?;
    }
    Ok(())
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Loads what the hits show from the database, in the hits' order.
/// Each hit with its article's row, in rank order. A hit whose body holds none of the words
/// (it matched on the title or tags) shows the summary as its snippet.
async fn load(state: &AppState, hits: &[Hit]) -> Result<Vec<(Hit, Summary)>> {
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let rows = articles::published_summaries_by_ids(&state.db, &ids).await?;
    Ok(hits
        .iter()
        .filter_map(|hit| {
            let row = rows.iter().find(|row| row.id == hit.id)?;
            let mut hit = hit.clone();
            if hit.snippet.is_empty() {
                hit.snippet = escape_html(&row.summary);
            }
            Some((hit, row.clone()))
        })
        .collect())
}

/// Where a hit lands, as an absolute URL, and the section it lands on (`None`: the page).
fn landing(base_url: &str, slug: &str, hit: &Hit) -> (String, Option<ApiSectionLink>) {
    let url = |anchor: Option<&str>| format!("{base_url}{}", article_url(slug, anchor));
    let section = hit.section.as_ref().map(|s| ApiSectionLink {
        title: s.heading.clone(),
        url: url(Some(&s.anchor)),
    });
    (
        url(hit.section.as_ref().map(|s| s.anchor.as_str())),
        section,
    )
}

fn article_url(slug: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(anchor) => format!("/q/{slug}#{anchor}"),
        None => format!("/q/{slug}"),
    }
}

/// `GET /search?q=…&page=N&tag=…&difficulty=…`.
pub async fn search_page(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response> {
    let q = params.q.clone().unwrap_or_default().trim().to_owned();
    let tag = non_empty(params.tag);
    let difficulty = non_empty(params.difficulty);
    let page = params.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let topics = topics(&state).await?;
    let (path, title) = if q.is_empty() {
        ("/search".to_owned(), "Search".to_owned())
    } else {
        (url_for(&q, None, None, 1), format!("{q} – search"))
    };
    let mut view = SearchPage {
        meta: Meta::new(
            &state.config,
            &path,
            &title,
            "Search the Python interview questions by words, names and code.",
        ),
        query: q.clone(),
        error: None,
        total: 0,
        results: Vec::new(),
        tag_facets: Vec::new(),
        difficulty_facets: Vec::new(),
        corrected: None,
        original_url: String::new(),
        suggestion: None,
        pages: Vec::new(),
        prev_url: None,
        next_url: None,
        topics,
    };
    if let Err(message) = validate(&q, difficulty.as_deref()) {
        view.error = Some(message);
        return Ok(with_status(StatusCode::BAD_REQUEST, view));
    }
    if q.is_empty() {
        return Ok(HtmlTemplate(view).into_response());
    }
    let request = SearchRequest {
        query: q.clone(),
        tag: tag.clone(),
        difficulty: difficulty.clone(),
        offset: (page - 1) * PER_PAGE,
        limit: PER_PAGE,
        correct: params.exact.is_none(),
        facets: true,
        as_you_type: false,
    };
    let results: SearchResults = state.search.search(request).await?;
    state.metrics.searched(results.total);
    if page == 1 && tag.is_none() && difficulty.is_none() {
        state.search_log.searched(&q, results.total);
    }
    let shown_query = results.corrected.clone().unwrap_or_else(|| q.clone());
    for (i, (hit, row)) in load(&state, &results.hits).await?.into_iter().enumerate() {
        let landing = hit.section.as_ref().map(|s| s.anchor.as_str());
        view.results.push(ResultView {
            slug: row.slug.clone(),
            position: (page - 1) * PER_PAGE + i + 1,
            url: article_url(&row.slug, landing),
            section: hit.section.as_ref().map(|s| s.heading.clone()),
            more_sections: hit
                .sections
                .iter()
                .filter(|s| Some(s.anchor.as_str()) != landing)
                .map(|s| SectionView {
                    heading: s.heading.clone(),
                    url: article_url(&row.slug, Some(&s.anchor)),
                    snippet: s.snippet.clone(),
                })
                .collect(),
            title: row.title,
            snippet: hit.snippet,
            tags: TagView::list(&row.tags),
            difficulty: row.difficulty,
        });
    }
    view.total = results.total;
    view.tag_facets = results
        .tag_counts
        .iter()
        .map(|(name, count)| Facet {
            label: tag_label(name),
            count: *count,
            selected: tag.as_deref() == Some(name),
            url: url_for(
                &shown_query,
                (tag.as_deref() != Some(name)).then_some(name),
                difficulty.as_deref(),
                1,
            ),
        })
        .collect();
    view.difficulty_facets = Difficulty::ALL
        .iter()
        .filter_map(|d| {
            results
                .difficulty_counts
                .iter()
                .find(|(name, _)| name == d.as_str())
                .map(|(_, n)| (d, *n))
        })
        .map(|(d, count)| Facet {
            label: d.label().to_owned(),
            count,
            selected: difficulty.as_deref() == Some(d.as_str()),
            url: url_for(
                &shown_query,
                tag.as_deref(),
                (difficulty.as_deref() != Some(d.as_str())).then_some(d.as_str()),
                1,
            ),
        })
        .collect();
    if let Some(corrected) = &results.corrected {
        view.corrected = Some(corrected.clone());
        view.original_url = format!(
            "{}&exact=1",
            url_for(&q, tag.as_deref(), difficulty.as_deref(), 1)
        );
    }
    view.suggestion = results.suggestion.map(|s| (url_for(&s, None, None, 1), s));
    let pages = results.total.div_ceil(PER_PAGE).min(MAX_PAGE);
    if pages > 1 {
        let link = |n: usize| url_for(&shown_query, tag.as_deref(), difficulty.as_deref(), n);
        view.pages = (1..=pages)
            .map(|n| PageLink {
                number: n,
                url: link(n),
                current: n == page,
            })
            .collect();
        view.prev_url = (page > 1).then(|| link(page - 1));
        view.next_url = (page < pages).then(|| link(page + 1));
    }
    Ok(HtmlTemplate(view).into_response())
}

async fn topics(state: &AppState) -> Result<Vec<TagView>> {
    let names = articles::published_tag_names(&state.db).await?;
    Ok(names
        .into_iter()
        .map(|name| TagView {
            label: tag_label(&name),
            name,
        })
        .collect())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApiSearchParams {
    pub q: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub tag: Option<String>,
    pub difficulty: Option<String>,
}

#[derive(Serialize)]
pub struct ApiHit {
    pub slug: String,
    pub title: String,
    /// Where the reader should land: the matching section, or the page.
    pub url: String,
    pub snippet: String,
    pub score: f32,
    pub tags: Vec<String>,
    /// The section `url` lands on; `null` when it is the page itself.
    pub section: Option<ApiSectionLink>,
    /// Up to three sections that match, best first.
    pub sections: Vec<ApiSection>,
}

#[derive(Serialize)]
pub struct ApiSectionLink {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct ApiSection {
    pub title: String,
    pub url: String,
    pub snippet: String,
}

#[derive(Serialize)]
pub struct ApiResults {
    pub query: String,
    pub total: usize,
    pub took_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
    pub hits: Vec<ApiHit>,
}

/// `GET /api/search?q=…&limit=…&offset=…&tag=…`.
pub async fn api_search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ApiSearchParams>,
) -> Result<Json<ApiResults>, ApiError> {
    let started = Instant::now();
    let q = params.q.unwrap_or_default().trim().to_owned();
    let difficulty = non_empty(params.difficulty);
    validate(&q, difficulty.as_deref()).map_err(Error::BadRequest)?;
    if q.is_empty() {
        return Err(Error::BadRequest("Add a query: /api/search?q=your+words".into()).into());
    }
    let limit = params.limit.unwrap_or(10);
    if limit == 0 || limit > MAX_API_LIMIT {
        return Err(
            Error::BadRequest(format!("limit must be between 1 and {MAX_API_LIMIT}")).into(),
        );
    }
    let offset = params.offset.unwrap_or(0);
    if offset > crate::search::MAX_RESULTS {
        return Err(Error::BadRequest(format!(
            "offset must be at most {}",
            crate::search::MAX_RESULTS
        ))
        .into());
    }
    let request = SearchRequest {
        query: q.clone(),
        tag: non_empty(params.tag),
        difficulty,
        offset,
        limit,
        correct: true,
        facets: false,
        as_you_type: false,
    };
    let results = state.search.search(request).await?;
    state.metrics.searched(results.total);
    if offset == 0 {
        state.search_log.searched(&q, results.total);
    }
    let hits = load(&state, &results.hits)
        .await?
        .into_iter()
        .map(|(hit, row)| {
            let base = &state.config.base_url;
            let (url, section) = landing(base, &row.slug, &hit);
            ApiHit {
                url,
                section,
                sections: hit
                    .sections
                    .iter()
                    .map(|s| ApiSection {
                        title: s.heading.clone(),
                        url: format!("{base}{}", article_url(&row.slug, Some(&s.anchor))),
                        snippet: s.snippet.clone(),
                    })
                    .collect(),
                snippet: hit.snippet,
                score: hit.score,
                tags: row.tags.0,
                slug: row.slug,
                title: row.title,
            }
        })
        .collect();
    Ok(Json(ApiResults {
        query: q,
        total: results.total,
        took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
        corrected: results.corrected,
        hits,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuggestParams {
    pub q: Option<String>,
    /// `opensearch` answers in the OpenSearch suggestions format browsers read:
    /// `[query, [titles], [descriptions], [urls]]`.
    pub format: Option<String>,
}

#[derive(Serialize)]
pub struct ApiSuggestion {
    pub slug: String,
    pub title: String,
    /// Where the reader lands: the matching section, or the page.
    pub url: String,
    /// The section `url` lands on, when one matched better than the page as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<ApiSectionLink>,
    /// A short passage with the matches marked (escaped HTML).
    pub snippet: String,
}

/// Results shown as the reader types: the header's dropdown shows this many.
const SUGGESTIONS: usize = 8;
/// Length of a suggestion's snippet, in characters.
const SUGGESTION_SNIPPET_CHARS: usize = 120;

#[derive(Serialize)]
pub struct ApiSuggestions {
    pub query: String,
    pub suggestions: Vec<ApiSuggestion>,
}

/// `GET /api/suggest?q=…[&format=opensearch]`: titles whose words start with what was typed
/// so far.
pub async fn api_suggest(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SuggestParams>,
) -> Result<Response, ApiError> {
    let q = params.q.unwrap_or_default();
    validate(&q, None).map_err(Error::BadRequest)?;
    let hits = if q.trim().is_empty() {
        Vec::new()
    } else {
        let request = SearchRequest {
            query: q.clone(),
            limit: SUGGESTIONS,
            correct: true,
            as_you_type: true,
            ..SearchRequest::default()
        };
        let results = state.search.search(request).await?;
        load(&state, &results.hits).await?
    };
    let suggestions: Vec<ApiSuggestion> = hits
        .into_iter()
        .map(|(hit, row)| {
            let (url, section) = landing(&state.config.base_url, &row.slug, &hit);
            ApiSuggestion {
                url,
                section,
                snippet: shorten_snippet(&hit.snippet, SUGGESTION_SNIPPET_CHARS),
                slug: row.slug,
                title: row.title,
            }
        })
        .collect();
    match params.format.as_deref() {
        None | Some("json") => Ok(Json(ApiSuggestions {
            query: q,
            suggestions,
        })
        .into_response()),
        Some("opensearch") => {
            let titles: Vec<&str> = suggestions.iter().map(|s| s.title.as_str()).collect();
            let descriptions = vec![""; titles.len()];
            let urls: Vec<&str> = suggestions.iter().map(|s| s.url.as_str()).collect();
            let body = serde_json::to_string(&(&q, titles, descriptions, urls))
                .map_err(|e| Error::Internal(e.into()))?;
            Ok((
                [(header::CONTENT_TYPE, "application/x-suggestions+json")],
                body,
            )
                .into_response())
        }
        Some(other) => Err(Error::BadRequest(format!(
            "unknown format {other:?}: use json (the default) or opensearch"
        ))
        .into()),
    }
}

/// The first `max` characters of an escaped snippet with `<mark>`s, cut after a whole word
/// and never inside a tag or an entity, with the marks kept balanced.
fn shorten_snippet(snippet: &str, max: usize) -> String {
    let mut out = String::new();
    let (mut shown, mut open, mut chars) = (0, false, snippet.char_indices().peekable());
    while let Some((at, c)) = chars.next() {
        let rest = &snippet[at..];
        if let Some(tag) = ["<mark>", "</mark>"].iter().find(|t| rest.starts_with(**t)) {
            open = *tag == "<mark>";
            out.push_str(tag);
            for _ in 1..tag.len() {
                chars.next();
            }
            continue;
        }
        if c == '&' {
            let entity = rest.find(';').map_or(1, |end| end + 1);
            out.push_str(&rest[..entity]);
            for _ in 1..entity {
                chars.next();
            }
        } else {
            if shown >= max && c.is_whitespace() {
                if open {
                    out.push_str("</mark>");
                }
                out.push('…');
                return out;
            }
            out.push(c);
        }
        shown += 1;
    }
    out
}

/// What a browser reports when a reader opens a result (`navigator.sendBeacon`).
#[derive(Debug, Deserialize)]
pub struct Click {
    pub q: String,
    /// The result's article; checked for its form only (nothing is kept per article).
    pub slug: String,
    /// 1 for the first result.
    pub position: u32,
    /// `suggest` for the results shown as the reader types (not counted as searches yet).
    #[serde(default)]
    pub from: Option<String>,
}

/// The largest click report accepted, in bytes.
const MAX_CLICK_BYTES: usize = 1024;

/// `POST /api/search/click`: a reader opened result `position` of the search `q`. Takes the
/// JSON as `application/json` or as the `text/plain` body `sendBeacon` sends; answers 204.
/// Only this site's pages may report (a foreign `Origin` is refused); nothing about the
/// reader is looked at or kept.
pub async fn api_search_click(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: std::result::Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<StatusCode, ApiError> {
    if !crate::auth::origin_is_ours(&state, &headers) {
        return Err(
            Error::Forbidden("clicks are reported by this site's pages only".into()).into(),
        );
    }
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if !matches!(
        kind.as_deref(),
        None | Some("application/json" | "text/plain")
    ) {
        return Err(Error::BadRequest(
            "send the click as JSON, with Content-Type application/json or text/plain".into(),
        )
        .into());
    }
    let body = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            Error::TooLarge(format!("a click report is at most {MAX_CLICK_BYTES} bytes"))
        }
        _ => Error::BadRequest(e.body_text()),
    })?;
    if body.len() > MAX_CLICK_BYTES {
        return Err(
            Error::TooLarge(format!("a click report is at most {MAX_CLICK_BYTES} bytes")).into(),
        );
    }
    let click: Click = serde_json::from_slice(&body).map_err(|e| {
        Error::BadRequest(format!(
            "expected {{\"q\": \"…\", \"slug\": \"…\", \"position\": 1}}: {e}"
        ))
    })?;
    if click.q.trim().is_empty() || click.q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::BadRequest(format!(
            "q must be the search, 1 to {MAX_QUERY_CHARS} characters"
        ))
        .into());
    }
    if crate::domain::Slug::parse(&click.slug).is_err() {
        return Err(Error::BadRequest(format!("{:?} is not an article's slug", click.slug)).into());
    }
    if !(1..=crate::search::MAX_RESULTS as u32).contains(&click.position) {
        return Err(Error::BadRequest(format!(
            "position must be 1 to {}",
            crate::search::MAX_RESULTS
        ))
        .into());
    }
    if !state.search_log.allow_click() {
        return Err(Error::TooManyRequests {
            message: "too many clicks reported at once; this one is not counted".into(),
            retry_after: 1,
        }
        .into());
    }
    let as_you_type = click.from.as_deref() == Some("suggest");
    state
        .search_log
        .opened(&click.q, click.position, as_you_type);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Template)]
#[template(path = "opensearch.xml")]
pub struct OpenSearch {
    pub base_url: String,
}

/// `GET /opensearch.xml`.
pub async fn opensearch(State(state): State<AppState>) -> Result<Response> {
    let xml = OpenSearch {
        base_url: state.config.base_url.clone(),
    }
    .render()
    .map_err(|e| Error::Internal(e.into()))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/opensearchdescription+xml; charset=utf-8",
        )],
        xml,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::shorten_snippet;

    #[test]
    fn shortened_snippets_keep_marks_and_entities_whole() {
        let snippet = "a <mark>gen</mark>erator &amp; <mark>yield</mark> then more words here";
        assert_eq!(shorten_snippet(snippet, 100), snippet);
        assert_eq!(
            shorten_snippet(snippet, 12),
            "a <mark>gen</mark>erator &amp;…"
        );
        assert_eq!(
            shorten_snippet("<mark>abc def</mark> g", 2),
            "<mark>abc</mark>…"
        );
    }
}
