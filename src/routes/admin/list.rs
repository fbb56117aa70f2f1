//! `GET /admin`: the articles, filtered by status, tag, title and examples, sorted by a column,
//! fifty to a page.

use askama::Template;
use axum::extract::State;
use serde::Deserialize;

use super::Nav;
use crate::auth::Editor;
use crate::db::articles;
use crate::domain::Status;
use crate::extract::Query;
use crate::render::HtmlTemplate;
use crate::state::AppState;
use crate::{Error, Result};

#[derive(Template)]
#[template(path = "admin/list.html")]
pub struct ListPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    pub rows: Vec<RowView>,
    pub total: i64,
    pub status: String,
    pub tag: String,
    pub q: String,
    pub examples: String,
    /// The column sorted by, and its direction.
    pub sort: String,
    pub descending: bool,
    pub page: i64,
    pub pages: i64,
    /// An article just moved to the trash (id, title), with an undo button.
    pub just_trashed: Option<(i64, String)>,
}

impl ListPage {
    /// This list with other sorting or another page, the filters kept.
    pub fn url(&self, sort: &str, descending: bool, page: i64) -> String {
        let mut url = format!(
            "/admin?sort={sort}&order={}",
            if descending { "desc" } else { "asc" }
        );
        for (name, value) in [
            ("status", &self.status),
            ("tag", &self.tag),
            ("q", &self.q),
            ("examples", &self.examples),
        ] {
            if !value.is_empty() {
                url.push_str(&format!("&{name}={}", crate::render::encode_query(value)));
            }
        }
        if page > 1 {
            url.push_str(&format!("&page={page}"));
        }
        url
    }

    /// A column header's link: sorts by it, or turns the order round if it is the current one.
    pub fn sort_url(&self, column: &str) -> String {
        let descending = if self.sort == column {
            !self.descending
        } else {
            column == "updated"
        };
        self.url(column, descending, 1)
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, column: &str) -> &'static str {
        match (self.sort == column, self.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }

    pub fn previous_url(&self) -> Option<String> {
        (self.page > 1).then(|| self.url(&self.sort, self.descending, self.page - 1))
    }

    pub fn next_url(&self) -> Option<String> {
        (self.page < self.pages).then(|| self.url(&self.sort, self.descending, self.page + 1))
    }
}

pub struct RowView {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub status: Status,
    pub tags: Vec<String>,
    pub updated: String,
    pub updated_by: String,
    /// `pending`, `failing`, `ok` or `none` (see `AdminRow::examples`), or `off` for a
    /// page still waiting on a server that runs no examples (`PYKB_VERIFY=0`): no run will come.
    pub examples: String,
    /// A change of it waits for a reviewer.
    pub waiting: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub status: String,
    pub tag: String,
    pub q: String,
    /// `failing`: only articles with an example that prints something else.
    pub examples: String,
    /// `title`, `status` or `updated` (the default).
    pub sort: String,
    /// `asc` or `desc`; by default titles and statuses ascend and dates descend.
    pub order: String,
    pub page: Option<String>,
    /// Set by the redirect after a move to the trash.
    pub trashed: Option<i64>,
}

/// Rows on one page of the admin list.
const ADMIN_PAGE_SIZE: i64 = 50;

/// `GET /admin`: the articles, filtered by status and tag, found by title, sorted by a
/// column, fifty to a page.
pub async fn list(
    State(state): State<AppState>,
    Editor(user): Editor,
    Query(params): Query<ListParams>,
) -> Result<HtmlTemplate<ListPage>> {
    let status = match params.status.as_str() {
        "" => None,
        text => Some(text.parse::<Status>().map_err(|e| Error::BadRequest(e.0))?),
    };
    let sort = match params.sort.as_str() {
        "title" | "status" => params.sort.clone(),
        _ => "updated".to_owned(),
    };
    let descending = match params.order.as_str() {
        "asc" => false,
        "desc" => true,
        _ => sort == "updated",
    };
    let page = crate::extract::page_number(params.page.as_deref())?;
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let (tag, q) = (non_empty(&params.tag), non_empty(&params.q));
    let failing_examples = match params.examples.as_str() {
        "" => false,
        "failing" => true,
        other => {
            return Err(Error::BadRequest(format!(
                "examples={other:?} is not a filter: use examples=failing, or leave it out"
            )));
        }
    };
    let filter = articles::AdminFilter {
        status,
        tag: tag.as_deref(),
        title_contains: q.as_deref(),
        failing_examples,
    };
    let total = articles::admin_count(&state.db, filter).await?;
    let pages = ((total + ADMIN_PAGE_SIZE - 1) / ADMIN_PAGE_SIZE).max(1);
    let rows = articles::admin_list(
        &state.db,
        filter,
        articles::AdminSort {
            by: &sort,
            descending,
        },
        (page.min(pages) - 1) * ADMIN_PAGE_SIZE,
        ADMIN_PAGE_SIZE,
    )
    .await?;
    let rows = rows
        .into_iter()
        .map(|row| RowView {
            id: row.id,
            title: row.title,
            slug: row.slug,
            status: row.status,
            tags: row.tags.0,
            updated: crate::routes::pages::dates(row.updated_at).0,
            updated_by: row.updated_by.unwrap_or_else(|| "seed import".to_owned()),
            waiting: row.waiting,
            examples: if row.examples == "pending" && !state.config.verify {
                "off".to_owned()
            } else {
                row.examples
            },
        })
        .collect();
    let just_trashed = match params.trashed {
        Some(id) => {
            let mut conn = state.db.acquire().await?;
            articles::for_edit(&mut conn, id)
                .await?
                .filter(|a| a.status == Status::Trashed)
                .map(|a| (a.id, a.title))
        }
        None => None,
    };
    Ok(HtmlTemplate(ListPage {
        just_trashed,
        nav: Some(Nav::from(&user)),
        csrf_token: user.csrf_token,
        rows,
        total,
        status: params.status,
        tag: params.tag,
        q: params.q,
        examples: params.examples,
        sort,
        descending,
        page: page.min(pages),
        pages,
    }))
}
