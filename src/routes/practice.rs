//! Practice: `GET /api/practice?topic=…&difficulty=…&kind=flashcard|output`, the cards of a
//! topic (`practice.rs`) for the practice page and any other client; and `GET /practice`,
//! the page, which without JavaScript is a printable sheet of the cards with their answers
//! folded.

use askama::Template;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::db::practice;
use crate::domain::tag_label;
use crate::domain::{Difficulty, Kind, PythonRange};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::extract::Query;
use crate::practice::{Card, flashcard, output_cards};
use crate::render::HtmlTemplate;
use crate::routes::meta::Meta;
use crate::routes::pages::TagView;
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
    /// One page's cards (its slug), instead of a topic's: "Add to my practice".
    pub article: Option<String>,
    /// `1`: the pages added to "my practice" in this browser (the page asks for each).
    pub mine: Option<String>,
    /// A Python minor (`3.12`): only output cards verified on it.
    pub python: Option<String>,
}

#[derive(Serialize)]
pub struct Cards {
    pub cards: Vec<Card>,
}

/// What to practise, checked.
struct Selection {
    topic: Option<String>,
    article: Option<String>,
    python: Option<(u32, u32)>,
    difficulty: Option<Difficulty>,
    flashcards: bool,
    outputs: bool,
}

fn select(params: PracticeParams) -> Result<Selection, Error> {
    let non_empty = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
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
            )));
        }
    };
    let python = match non_empty(params.python) {
        Some(text) => Some(crate::domain::parse_minor(&text).ok_or_else(|| {
            Error::BadRequest(format!(
                "python={text:?} is not a Python version: use one like 3.12, or leave it out"
            ))
        })?),
        None => None,
    };
    Ok(Selection {
        python,
        article: non_empty(params.article),
        topic: non_empty(params.topic).map(|t| t.to_lowercase()),
        difficulty,
        flashcards,
        outputs,
    })
}

/// The cards of a selection, in the pages' order.
async fn load(state: &AppState, selection: &Selection) -> Result<Vec<Card>, Error> {
    let pool = &state.db;
    if let Some(topic) = &selection.topic
        && !practice::topic_exists(pool, topic).await?
    {
        return Err(Error::NotFound);
    }
    let rows = match &selection.article {
        Some(slug) => vec![
            practice::article(pool, slug)
                .await?
                .ok_or(Error::NotFound)?,
        ],
        None => {
            practice::articles(
                pool,
                selection.topic.as_deref(),
                selection.difficulty,
                PAGES_READ,
            )
            .await?
        }
    };
    let (flashcards, outputs, python) = (selection.flashcards, selection.outputs, selection.python);
    let runs = if outputs {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        // A list of integers always serializes.
        let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned());
        practice::runs_of(pool, &ids).await?
    } else {
        Vec::new()
    };
    // Each page's runs, found once rather than by a scan of all of them per page.
    let mut by_page: std::collections::HashMap<i64, Vec<_>> = std::collections::HashMap::new();
    for (id, run) in runs {
        by_page.entry(id).or_default().push(run);
    }
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
                    let mine = by_page.remove(&row.id).unwrap_or_default();
                    let range = PythonRange::parse(&row.python).unwrap_or_default();
                    let made = output_cards(&row.slug, &row.title, &row.body, &range, &mine);
                    cards.extend(made.into_iter().filter(|card| {
                        python.is_none_or(|wanted| {
                            card.python
                                .as_deref()
                                .unwrap_or_default()
                                .split(", ")
                                .any(|m| crate::domain::parse_minor(m) == Some(wanted))
                        })
                    }));
                }
            }
            cards
        })
        .await?;
    Ok(cards)
}

pub async fn api_practice(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<PracticeParams>,
) -> Result<Json<Cards>, ApiError> {
    let selection = select(params)?;
    let cards = load(&state, &selection).await?;
    Ok(Json(Cards { cards }))
}

#[derive(Template)]
#[template(path = "practice.html")]
pub struct PracticePage {
    pub meta: Meta,
    pub topics: Vec<TagView>,
    pub topic: Option<TagView>,
    pub difficulty: String,
    pub kind: String,
    pub cards: Vec<Card>,
    /// The pages this browser added to its practice (`?mine=1`; the script loads them).
    pub mine: bool,
    /// The Pythons the topic's output cards were verified on, and the one chosen.
    pub pythons: Vec<String>,
    pub python: String,
}

/// `GET /practice[?topic=…][&difficulty=…][&kind=…]`.
pub async fn page(
    State(state): State<AppState>,
    Query(params): Query<PracticeParams>,
) -> crate::Result<HtmlTemplate<PracticePage>> {
    let (difficulty, kind) = (
        params.difficulty.clone().unwrap_or_default(),
        params.kind.clone().unwrap_or_default(),
    );
    let mine = params.mine.as_deref() == Some("1");
    let python = params.python.clone().unwrap_or_default();
    let selection = select(params)?;
    let topics = crate::db::articles::published_tag_names(&state.db)
        .await?
        .into_iter()
        .map(|name| TagView {
            label: tag_label(&name),
            name,
        })
        .collect();
    let (cards, topic) = match &selection.topic {
        Some(name) => (
            load(&state, &selection).await?,
            Some(TagView {
                label: tag_label(name),
                name: name.clone(),
            }),
        ),
        None => (Vec::new(), None),
    };
    let (path, title) = match &topic {
        Some(t) => (
            format!("/practice?topic={}", crate::routes::encode_query(&t.name)),
            format!("Practice: {}", t.label),
        ),
        None => ("/practice".to_owned(), "Practice".to_owned()),
    };
    Ok(HtmlTemplate(PracticePage {
        meta: Meta::new(
            &state.config,
            &path,
            &title,
            "Practise for a Python interview: questions to answer, and programs whose output you predict, checked against verified runs.",
        ),
        topics,
        topic,
        difficulty,
        kind,
        pythons: pythons_of(&cards),
        cards,
        mine,
        python,
    }))
}

/// The Python minors output cards name, oldest first.
fn pythons_of(cards: &[Card]) -> Vec<String> {
    let mut found: Vec<String> = cards
        .iter()
        .filter_map(|c| c.python.as_deref())
        .flat_map(|p| p.split(", ").map(str::to_owned))
        .collect();
    found.sort_by_key(|m| crate::domain::parse_minor(m));
    found.dedup();
    found
}
