//! `GET /api/practice?topic=…&difficulty=…&kind=flashcard|output`: the practice cards of a
//! topic (`practice.rs`), for the practice page and any other client.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::db::practice;
use crate::domain::{Difficulty, Kind, PythonRange};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::practice::{Card, flashcard, output_cards};
use crate::state::AppState;

/// Pages read for one answer at most: a topic of thousands gives its first ones by title.
const PAGES_READ: i64 = 200;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PracticeParams {
    pub topic: Option<String>,
    pub difficulty: Option<String>,
    /// `flashcard` or `output`; both when absent.
    pub kind: Option<String>,
}

#[derive(Serialize)]
pub struct Cards {
    pub cards: Vec<Card>,
}

pub async fn api_practice(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<PracticeParams>,
) -> Result<Json<Cards>, ApiError> {
    let non_empty = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let topic = non_empty(params.topic).map(|t| t.to_lowercase());
    let difficulty = match non_empty(params.difficulty) {
        Some(text) => Some(
            text.parse::<Difficulty>()
                .map_err(|e| Error::BadRequest(e.0))?,
        ),
        None => None,
    };
    let (flashcards, outputs) = match non_empty(params.kind).as_deref() {
        None => (true, true),
        Some("flashcard") => (true, false),
        Some("output") => (false, true),
        Some(other) => {
            return Err(Error::BadRequest(format!(
                "kind={other:?} is not a kind of card: use flashcard or output, or leave it out"
            ))
            .into());
        }
    };
    if let Some(topic) = &topic
        && !practice::topic_exists(&state.db.pool, topic).await?
    {
        return Err(Error::NotFound.into());
    }
    let pool = &state.db.pool;
    let rows = practice::articles(pool, topic.as_deref(), difficulty, PAGES_READ).await?;
    let runs = if outputs {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        // A list of integers always serializes.
        let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned());
        practice::runs_of(pool, &ids).await?
    } else {
        Vec::new()
    };
    // Reading the examples parses every body: CPU work for the render pool.
    let cards = crate::cpu::RENDER
        .run(move || {
            let mut cards = Vec::new();
            for row in &rows {
                if flashcards
                    && row.kind == Kind::Question
                    && let Some(card) = flashcard(&row.slug, &row.title, &row.summary)
                {
                    cards.push(card);
                }
                if outputs {
                    let mine: Vec<_> = runs
                        .iter()
                        .filter(|(id, _)| *id == row.id)
                        .map(|(_, run)| run.clone())
                        .collect();
                    let range = PythonRange::parse(&row.python).unwrap_or_default();
                    cards.extend(output_cards(
                        &row.slug, &row.title, &row.body, &range, &mine,
                    ));
                }
            }
            cards
        })
        .await
        .map_err(Error::from)?;
    Ok(Json(Cards { cards }))
}
