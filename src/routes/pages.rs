//! The reader's pages: home, one article, one tag.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::db::articles::{self, Link, Summary};
use crate::domain::{Difficulty, Kind, tag_label, topic_rank};
use crate::error::{Error, Result};
use crate::extract::Path;
use crate::render::{HtmlTemplate, unlink_unpublished};

/// A tag as pages show it: its URL name and its label.
pub struct TagView {
    pub name: String,
    pub label: String,
}

impl TagView {
    pub fn list(csv: &str) -> Vec<TagView> {
        crate::db::split_list(csv)
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
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub tags: Vec<TagView>,
}

impl From<Summary> for Entry {
    fn from(s: Summary) -> Self {
        Entry {
            tags: TagView::list(&s.tags),
            slug: s.slug,
            title: s.title,
            summary: s.summary,
            kind: s.kind,
            difficulty: s.difficulty,
        }
    }
}

pub struct Topic {
    pub tag: TagView,
    pub entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub start_here: Vec<Entry>,
    pub topics: Vec<Topic>,
    pub total: usize,
}

/// `GET /`: every published entry once: articles and collections first, then questions
/// grouped by their main (first) tag; untagged ones under "Other".
pub async fn home(State(state): State<AppState>) -> Result<HtmlTemplate<HomePage>> {
    let summaries = articles::published_summaries(&state.db.pool).await?;
    let total = summaries.len();
    let mut start_here = Vec::new();
    let mut topics: Vec<Topic> = Vec::new();
    for summary in summaries {
        let entry = Entry::from(summary);
        if entry.kind != Kind::Question {
            start_here.push(entry);
            continue;
        }
        let main = entry
            .tags
            .first()
            .map_or("other", |t| t.name.as_str())
            .to_owned();
        match topics.iter_mut().find(|t| t.tag.name == main) {
            Some(topic) => topic.entries.push(entry),
            None => topics.push(Topic {
                tag: TagView {
                    label: if main == "other" {
                        "Other".into()
                    } else {
                        tag_label(&main)
                    },
                    name: main,
                },
                entries: vec![entry],
            }),
        }
    }
    start_here.sort_by_key(|e| (e.kind != Kind::Article, e.title.to_lowercase()));
    topics.sort_by_key(|t| {
        (
            t.tag.name == "other",
            topic_rank(&t.tag.name),
            t.tag.label.clone(),
        )
    });
    for topic in &mut topics {
        topic
            .entries
            .sort_by_key(|e| (e.difficulty, e.title.to_lowercase()));
    }
    Ok(HtmlTemplate(HomePage {
        start_here,
        topics,
        total,
    }))
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    /// The page's absolute URL, built from `PYKB_BASE_URL`, never the request's Host header.
    pub canonical: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub updated: String,
    pub updated_iso: String,
    pub tags: Vec<TagView>,
    pub related: Vec<Link>,
}

/// `GET /q/{slug}`: one entry of any kind.
pub async fn article(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let Some(page) = articles::published_page(&state.db.pool, &slug).await? else {
        // A renamed article: a permanent redirect to its current address. Built by hand
        // because axum's helpers answer 307/308.
        return match crate::db::redirects::target(&state.db.pool, &slug).await? {
            Some(current) => Ok((
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, format!("/q/{current}"))],
            )
                .into_response()),
            None => Err(Error::NotFound),
        };
    };
    let related = articles::published_related(&state.db.pool, page.id).await?;
    let published = articles::published_slugs(&state.db.pool).await?;
    let body_html = unlink_unpublished(&page.body_html, |slug| {
        published.binary_search_by(|s| s.as_str().cmp(slug)).is_ok()
    });
    let (updated, updated_iso) = dates(page.updated_at);
    Ok(HtmlTemplate(ArticlePage {
        tags: TagView::list(&page.tags),
        canonical: format!("{}/q/{}", state.config.base_url, page.slug),
        title: page.title,
        summary: page.summary,
        body_html,
        kind: page.kind,
        difficulty: page.difficulty,
        updated,
        updated_iso,
        related,
    })
    .into_response())
}

#[derive(Template)]
#[template(path = "tag.html")]
pub struct TagPage {
    pub tag: TagView,
    pub entries: Vec<Entry>,
}

/// `GET /tags/{tag}`: every published entry with the tag.
pub async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
) -> Result<HtmlTemplate<TagPage>> {
    let mut entries: Vec<Entry> = articles::published_with_tag(&state.db.pool, &tag)
        .await?
        .into_iter()
        .map(Entry::from)
        .collect();
    if entries.is_empty() {
        return Err(Error::NotFound);
    }
    entries.sort_by_key(|e| (e.difficulty, e.title.to_lowercase()));
    Ok(HtmlTemplate(TagPage {
        tag: TagView {
            label: tag_label(&tag),
            name: tag,
        },
        entries,
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
