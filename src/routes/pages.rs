//! The reader's pages: home, one article, one tag.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::db::articles::{self, Link, Summary};
use crate::db::listing;
use crate::domain::{Difficulty, Kind, tag_label, topic_rank};
use crate::error::{Error, Result};
use crate::extract::{Path, Query};
use crate::page_cache::Shows;
use crate::render::{
    Heading, HtmlTemplate, render_sized, unlink_unpublished, unlink_unpublished_markdown,
};
use crate::routes::meta::{Meta, QaPage};
use crate::state::AppState;

/// A tag as pages show it: its URL name and its label.
pub struct TagView {
    pub name: String,
    pub label: String,
}

impl TagView {
    pub fn list(names: &crate::db::CommaList) -> Vec<TagView> {
        names
            .iter()
            .map(|name| TagView {
                name: name.to_owned(),
                label: tag_label(name),
            })
            .collect()
    }
}

/// An entry in a list of articles.
pub struct Entry {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub difficulty: Difficulty,
}

impl From<Summary> for Entry {
    fn from(s: Summary) -> Self {
        Entry {
            slug: s.slug,
            title: s.title,
            summary: s.summary,
            difficulty: s.difficulty,
        }
    }
}

pub struct Topic {
    pub tag: TagView,
    pub entries: Vec<Entry>,
    /// Entries its own page lists (every published entry with the tag); 0 for "Other".
    pub count: i64,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub meta: Meta,
    pub start_here: Vec<Entry>,
    pub topics: Vec<Topic>,
    pub total: i64,
}

/// Entries the home page shows of each topic, and topics it shows at most: it stays small
/// however large the site grows; each topic links to its own page, and `/tags` lists all.
const HOME_PER_TOPIC: i64 = 10;
const HOME_TOPICS: usize = 40;
const HOME_START_HERE: i64 = 20;

/// `GET /`: articles and collections first ("Start here"), then each main topic with its
/// first questions in topic order (the order of its page, and of previous/next), its count
/// and a link to its page; untagged questions under "Other".
pub async fn home(State(state): State<AppState>) -> Result<HtmlTemplate<HomePage>> {
    let pool = &state.db;
    let start_here = listing::start_here(pool, HOME_START_HERE)
        .await?
        .into_iter()
        .map(Entry::from)
        .collect();
    // The topics shown are chosen first, by rank then label, so only their first entries
    // are read: a few index seeks each, however many topics and entries the site has.
    let mut main_topics = listing::main_topics(pool).await?;
    main_topics.sort_by_cached_key(|t| (topic_rank(&t.name), tag_label(&t.name)));
    main_topics.truncate(HOME_TOPICS);
    let mut topics: Vec<Topic> = Vec::with_capacity(main_topics.len() + 1);
    for main in main_topics {
        let entries = listing::first_of_topic(pool, main.id, HOME_PER_TOPIC).await?;
        topics.push(Topic {
            tag: TagView {
                label: tag_label(&main.name),
                name: main.name,
            },
            entries: entries.into_iter().map(Entry::from).collect(),
            count: main.entries,
        });
    }
    // Questions without a tag come last, under "Other", when there is room for them.
    if topics.len() < HOME_TOPICS {
        let untagged = listing::untagged_questions(pool, HOME_PER_TOPIC).await?;
        if !untagged.is_empty() {
            topics.push(Topic {
                tag: TagView {
                    label: "Other".into(),
                    name: "other".into(),
                },
                entries: untagged.into_iter().map(Entry::from).collect(),
                count: 0,
            });
        }
    }
    Ok(HtmlTemplate(HomePage {
        meta: Meta::new(
            &state.config,
            "/",
            "Python interview questions",
            crate::routes::meta::SITE_DESCRIPTION,
        ),
        start_here,
        topics,
        total: listing::published_count(pool).await?,
    }))
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub meta: Meta,
    /// For the editors' "Edit this page" link (hidden; shown by script when signed in).
    pub id: i64,
    /// The breadcrumb's topic: the entry's main tag, whatever its kind.
    pub main_tag: Option<TagView>,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub updated: String,
    pub updated_iso: String,
    pub tags: Vec<TagView>,
    /// The body's sections with their subsections, when there are enough to need a table of
    /// contents.
    pub toc: Vec<TocEntry>,
    pub related: Vec<Link>,
    /// Found by the search index; none of them already in `related`.
    pub more_like_this: Vec<Link>,
    /// Neighbours in the main topic, in the order its page lists them.
    pub previous: Option<Link>,
    pub next: Option<Link>,
    /// The topic `previous` and `next` walk through.
    pub topic: Option<TagView>,
    /// schema.org data for question pages, already safe to put inside `<script>`.
    pub json_ld: Option<String>,
}

/// A table of contents appears from this many top-level sections on.
const TOC_MIN_SECTIONS: usize = 3;
/// How many "more like this" links a page shows.
const MORE_LIKE_THIS: usize = 5;

/// `GET /q/{slug}`: one entry of any kind. One query reads the article with everything around
/// it (tags, related entries, neighbours, "more like this" titles, which links went dead); the
/// parts that depend on the body alone were worked out when it was saved.
pub async fn article(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    // A slug typed with capitals answers at its canonical address, as documentation sites do.
    if slug.bytes().any(|b| b.is_ascii_uppercase()) {
        return canonical_slug(&slug);
    }
    let remembered = state.search.similar_remembered(&slug, SIMILAR_ASKED);
    // Serializing integers cannot fail.
    let similar_ids = serde_json::to_string(remembered.as_deref().unwrap_or_default())
        .unwrap_or_else(|_| "[]".to_owned());
    let Some(mut page) = articles::published_page(&state.db, &slug, &similar_ids).await? else {
        // A renamed article: a permanent redirect to its current address. Built by hand
        // because axum's helpers answer 307/308.
        return match crate::db::redirects::target(&state.db, &slug).await? {
            Some(current) => Ok(moved_permanently(&format!("/q/{current}"))),
            None => Err(Error::NotFound),
        };
    };
    let similar: Vec<Link> = match remembered {
        Some(_) => std::mem::take(&mut page.similar.0),
        None => similar_links(&state, &page).await?,
    };
    let related: Vec<Link> = std::mem::take(&mut page.related.0);
    let more_like_this: Vec<Link> = similar
        .into_iter()
        .filter(|link| link.slug != page.slug && !related.iter().any(|r| r.slug == link.slug))
        .take(MORE_LIKE_THIS)
        .collect();
    // What the page cache must know: this page names these entries besides its own context.
    let shows = Shows::Article {
        slug: page.slug.clone(),
        also: more_like_this
            .iter()
            .map(|l: &Link| l.slug.clone())
            .collect(),
    };
    let body_html = served_body(page.body_html, &page.unpublished_links);
    let reports =
        crate::verify::report::for_body(&state.db, page.id, &body_html, state.config.verify)
            .await?;
    let body_html = if reports.is_empty() {
        body_html
    } else {
        crate::verify::report::mark_page(&body_html, &reports)
    };
    let toc = table_of_contents(std::mem::take(&mut page.headings.0));
    let tags = TagView::list(&page.tags);
    let (previous, next) = page.neighbours.take().map(|n| n.0).unwrap_or_default();
    let topic = tags
        .first()
        .filter(|_| page.kind == Kind::Question)
        .map(|main| TagView {
            name: main.name.clone(),
            label: main.label.clone(),
        });
    let (updated, updated_iso) = dates(page.updated_at);
    let meta = Meta::new(
        &state.config,
        &format!("/q/{}", page.slug),
        &page.title,
        &page.summary,
    )
    .article();
    let json_ld = (page.kind == Kind::Question).then(|| {
        QaPage {
            url: &meta.canonical,
            question: &page.title,
            details: &page.summary,
            answer_json: &page.answer_json,
            created_iso: &rfc3339(page.created_at),
            updated_iso: &rfc3339(page.updated_at),
        }
        .to_json_ld()
    });
    let body_len = body_html.len();
    let more_like_this: Vec<Link> = more_like_this;
    let main_tag = tags.first().map(|main| TagView {
        name: main.name.clone(),
        label: main.label.clone(),
    });
    let page = ArticlePage {
        meta,
        id: page.id,
        main_tag,
        tags,
        title: page.title,
        summary: page.summary,
        body_html,
        kind: page.kind,
        difficulty: page.difficulty,
        updated,
        updated_iso,
        toc,
        related,
        more_like_this,
        previous,
        next,
        topic,
        json_ld,
    };
    let mut response = render_sized(&page, body_len);
    response.extensions_mut().insert(shows);
    Ok(response)
}

/// `GET /q/{slug}/`: the entry's address has no trailing slash.
pub async fn article_with_slash(Path(slug): Path<String>) -> Result<Response> {
    canonical_slug(&slug)
}

/// A permanent redirect to `/q/{slug}` in lowercase, when that is a slug at all.
fn canonical_slug(slug: &str) -> Result<Response> {
    let lower = slug.to_ascii_lowercase();
    crate::domain::Slug::parse(&lower).map_err(|_| Error::NotFound)?;
    Ok(moved_permanently(&format!("/q/{lower}")))
}

/// 301 to `location` (axum's own helpers answer 307/308).
fn moved_permanently(location: &str) -> Response {
    (
        StatusCode::MOVED_PERMANENTLY,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// How many "more like this" ids a page asks the index for: enough to fill its list after
/// leaving out up to ten related entries the index also finds. One number for every page,
/// since the answer is remembered before the page's related list is read; a page with more
/// related entries among them shows fewer.
const SIMILAR_ASKED: usize = MORE_LIKE_THIS + 10;

/// Asks the index what is like `page` (remembered for the next views, which read the links
/// through the page query). A search index that is still opening only means the list is empty
/// for now.
async fn similar_links(state: &AppState, page: &articles::Page) -> Result<Vec<Link>> {
    let ids = match state
        .search
        .similar(&page.slug, page.id, page.title.clone(), SIMILAR_ASKED)
        .await
    {
        Ok(ids) => ids,
        Err(err) => {
            tracing::debug!(error = %err, "no \"more like this\" for now");
            return Ok(Vec::new());
        }
    };
    let rows = articles::published_summaries_by_ids(&state.db, &ids).await?;
    Ok(rows.into_iter().map(Link::from).collect())
}

/// An entry of the table of contents: a section and its subsections.
pub struct TocEntry {
    pub heading: Heading,
    pub children: Vec<Heading>,
}

/// Sections (h2) with their subsections (h3); empty when there are too few sections to need
/// one. Deeper headings are left out.
fn table_of_contents(headings: Vec<Heading>) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for heading in headings {
        match (heading.level, toc.last_mut()) {
            (2, _) => toc.push(TocEntry {
                heading,
                children: Vec::new(),
            }),
            (3, Some(section)) => section.children.push(heading),
            _ => {}
        }
    }
    if toc.len() < TOC_MIN_SECTIONS {
        toc.clear();
    }
    toc
}

/// A body's stored HTML as readers get it: links to entries that are not published now
/// (`unpublished`, a JSON array of slugs from the page query) become plain text.
pub(crate) fn served_body(body_html: String, unpublished: &[String]) -> String {
    if unpublished.is_empty() {
        return body_html;
    }
    unlink_unpublished(&body_html, |slug| !unpublished.iter().any(|u| u == slug))
}

/// The Markdown source as the API serves it: like `served_body`, links to entries readers
/// cannot see are plain text, so the source names no unpublished slug either.
pub(crate) fn served_markdown(markdown: String, unpublished: &[String]) -> String {
    if unpublished.is_empty() {
        return markdown;
    }
    unlink_unpublished_markdown(&markdown, |slug| !unpublished.iter().any(|u| u == slug))
}

#[derive(Template)]
#[template(path = "tag.html")]
pub struct TagPage {
    pub meta: Meta,
    pub tag: TagView,
    pub entries: Vec<Entry>,
    /// "All" then each difficulty present, with its count and whether it is the one shown.
    pub filters: Vec<DifficultyFilter>,
    /// Every entry with the tag, whatever the filter.
    pub total: i64,
    pub pager: Pager,
}

pub struct DifficultyFilter {
    pub label: String,
    pub url: String,
    pub count: i64,
    pub current: bool,
}

/// Links between the pages of a list (`?page=N`), as `rel="prev"`/`rel="next"`.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TagParams {
    pub difficulty: String,
    pub page: Option<String>,
}

/// Entries on one page of a topic.
pub const TOPIC_PAGE_SIZE: i64 = 50;

/// `GET /tags/{tag}[?difficulty=…][&page=N]`: the published entries with the tag, easiest
/// first, fifty to a page.
pub async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(params): Query<TagParams>,
) -> Result<HtmlTemplate<TagPage>> {
    let wanted = match params.difficulty.as_str() {
        "" => None,
        text => Some(
            text.parse::<Difficulty>()
                .map_err(|e| Error::BadRequest(e.0))?,
        ),
    };
    let page = crate::extract::page_number(params.page.as_deref())?;
    let counts = listing::tag_difficulties(&state.db, &tag).await?;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return Err(Error::NotFound);
    }
    let base = format!("/tags/{tag}");
    let mut filters = vec![DifficultyFilter {
        label: "All".to_owned(),
        url: base.clone(),
        count: total,
        current: wanted.is_none(),
    }];
    for level in Difficulty::ALL {
        let count = counts
            .iter()
            .find(|(d, _)| d == level)
            .map_or(0, |(_, n)| *n);
        if count > 0 {
            filters.push(DifficultyFilter {
                label: level.label().to_owned(),
                url: format!("{base}?difficulty={level}"),
                count,
                current: wanted == Some(*level),
            });
        }
    }
    let shown = filters.iter().find(|f| f.current).map_or(0, |f| f.count);
    let pages = ((shown + TOPIC_PAGE_SIZE - 1) / TOPIC_PAGE_SIZE).max(1);
    if page > pages {
        return Err(Error::NotFound);
    }
    let entries = listing::tag_page(
        &state.db,
        &tag,
        wanted,
        (page - 1) * TOPIC_PAGE_SIZE,
        TOPIC_PAGE_SIZE,
    )
    .await?
    .into_iter()
    .map(Entry::from)
    .collect();
    let page_url = |n: i64| {
        let mut url = base.clone();
        let mut separator = '?';
        if let Some(level) = wanted {
            url.push_str(&format!("?difficulty={level}"));
            separator = '&';
        }
        if n > 1 {
            url.push_str(&format!("{separator}page={n}"));
        }
        url
    };
    let pager = Pager {
        page,
        pages,
        previous: (page > 1).then(|| page_url(page - 1)),
        next: (page < pages).then(|| page_url(page + 1)),
    };
    let label = tag_label(&tag);
    let meta = Meta::new(
        &state.config,
        &page_url(page),
        &label,
        &format!(
            "Python interview questions about {label}, from beginner to advanced, with verified answers."
        ),
    );
    Ok(HtmlTemplate(TagPage {
        meta,
        tag: TagView { label, name: tag },
        entries,
        filters,
        total,
        pager,
    }))
}

#[derive(Template)]
#[template(path = "tags.html")]
pub struct TagsPage {
    pub meta: Meta,
    pub topics: Vec<(TagView, i64)>,
}

/// `GET /tags`: every topic with its number of entries.
pub async fn tags(State(state): State<AppState>) -> Result<HtmlTemplate<TagsPage>> {
    let mut topics: Vec<(TagView, i64)> = listing::topics(&state.db)
        .await?
        .into_iter()
        .map(|t| {
            (
                TagView {
                    label: tag_label(&t.name),
                    name: t.name,
                },
                t.entries,
            )
        })
        .collect();
    topics.sort_by_key(|(t, _)| (topic_rank(&t.name), t.label.clone()));
    Ok(HtmlTemplate(TagsPage {
        meta: Meta::new(
            &state.config,
            "/tags",
            "All topics",
            "Every topic of the Python interview questions, with its number of answers.",
        ),
        topics,
    }))
}

/// A Unix timestamp as a date for people ("23 November 2026") and for machines ("2026-11-23").
pub(crate) fn dates(unix: i64) -> (String, String) {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp(unix) else {
        return (String::new(), String::new());
    };
    let human = at
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .unwrap_or_default();
    let iso = at
        .format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default();
    (human, iso)
}

/// The slugs readers can see. Bodies are rendered at save time, but whether a linked entry is
/// published can change later, so links to the others become plain text when served.
pub(crate) struct Visible(Vec<String>);

impl Visible {
    pub async fn load(db: &crate::db::Db) -> sqlx::Result<Self> {
        articles::published_slugs(db).await.map(Visible)
    }

    pub fn unlink(&self, html: &str) -> String {
        unlink_unpublished(html, |slug| {
            self.0.binary_search_by(|s| s.as_str().cmp(slug)).is_ok()
        })
    }
}

/// A Unix timestamp as RFC 3339 ("2026-12-01T10:54:00Z"), for feeds, sitemaps and JSON.
pub(crate) fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// A Unix timestamp as a date and time for people: "1 December 2026, 10:54 UTC".
pub(crate) fn date_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|at| {
            at.format(time::macros::format_description!(
                "[day padding:none] [month repr:long] [year], [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}
