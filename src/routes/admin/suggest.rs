//! Suggestions for the article form's list fields as the editor types (admin.js): existing
//! topics for the tags, and entries by title for the related slugs. The fields stay plain
//! text without JavaScript.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::auth::Editor;
use crate::db::articles;
use crate::extract::Query;
use crate::search::{MAX_QUERY_CHARS, SearchRequest};
use crate::state::AppState;
use crate::{Error, Result};

/// Suggestions offered at most.
const SUGGESTIONS: usize = 8;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuggestParams {
    /// The list item being typed (after the last comma).
    pub q: String,
}

#[derive(Serialize)]
pub struct Suggestion {
    /// What goes into the field.
    pub value: String,
    /// What the editor reads.
    pub label: String,
}

#[derive(Serialize)]
pub struct Suggestions {
    pub suggestions: Vec<Suggestion>,
}

fn item(params: &SuggestParams) -> Result<String> {
    let q = params.q.trim();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::BadRequest(format!(
            "q is at most {MAX_QUERY_CHARS} characters"
        )));
    }
    Ok(q.to_lowercase())
}

/// `GET /admin/suggest/topics?q=…`: topics whose name starts with `q`, biggest first.
pub async fn topics(
    State(state): State<AppState>,
    Editor(_): Editor,
    Query(params): Query<SuggestParams>,
) -> Result<Json<Suggestions>> {
    let prefix = item(&params)?;
    let found = if prefix.is_empty() {
        Vec::new()
    } else {
        articles::topics_starting(&state.db, &prefix, SUGGESTIONS as i64).await?
    };
    Ok(Json(Suggestions {
        suggestions: found
            .into_iter()
            .map(|(name, entries)| Suggestion {
                label: format!("{name} ({entries})"),
                value: name,
            })
            .collect(),
    }))
}

/// `GET /admin/suggest/related?q=…`: published entries whose words match what is typed (the
/// last word as a prefix), as slugs with their titles.
pub async fn related(
    State(state): State<AppState>,
    Editor(_): Editor,
    Query(params): Query<SuggestParams>,
) -> Result<Json<Suggestions>> {
    let q = item(&params)?;
    if q.chars().count() < 2 {
        return Ok(Json(Suggestions {
            suggestions: Vec::new(),
        }));
    }
    let request = SearchRequest {
        query: q,
        limit: SUGGESTIONS,
        correct: true,
        as_you_type: true,
        ..SearchRequest::default()
    };
    let results = state.search.search(request).await?;
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let rows = articles::published_summaries_by_ids(&state.db, &ids).await?;
    let suggestions = ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.id == *id))
        .map(|row| Suggestion {
            label: format!("{} ({})", row.title, row.slug),
            value: row.slug.clone(),
        })
        .collect();
    Ok(Json(Suggestions { suggestions }))
}
