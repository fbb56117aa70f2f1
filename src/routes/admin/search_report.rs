//! `GET /admin/search?days=7|30|90`: what readers look for (`search_log`): the most searched
//! queries, those that found nothing (each with "Write an answer"), those whose results
//! nobody opened, and which result positions readers open. Charts are SVG drawn here, each
//! beside a table of the same figures, so the page needs no script and reads without sight.

use askama::Template;
use axum::extract::State;
use serde::Deserialize;

use super::Nav;
use crate::auth::Editor;
use crate::db::search_stats::{self, Counts, QueryRow};
use crate::extract::Query;
use crate::render::{HtmlTemplate, escape_html};
use crate::routes::encode_query;
use crate::search_log::{LAST_POSITION, today};
use crate::state::AppState;
use crate::{Error, Result};

/// Rows in each table.
const ROWS: i64 = 25;
/// Bars in the top-queries chart.
const BARS: usize = 10;
/// The periods offered, in days.
const PERIODS: [i64; 3] = [7, 30, 90];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportParams {
    pub days: String,
}

pub struct Period {
    pub days: i64,
    pub current: bool,
}

pub struct QueryView {
    pub query: String,
    pub searches: i64,
    pub zero_results: i64,
    pub clicks: i64,
    /// The results page for the query, as readers saw it.
    pub search_url: String,
    /// The new-article form with the query as its title.
    pub write_url: String,
}

impl From<QueryRow> for QueryView {
    fn from(row: QueryRow) -> Self {
        QueryView {
            search_url: format!("/search?q={}", encode_query(&row.query)),
            write_url: format!("/admin/articles/new?title={}", encode_query(&row.query)),
            query: row.query,
            searches: row.searches,
            zero_results: row.zero_results,
            clicks: row.clicks,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/search.html")]
pub struct SearchReport {
    pub nav: Option<Nav>,
    pub days: i64,
    pub periods: Vec<Period>,
    pub totals: Counts,
    pub top: Vec<QueryView>,
    pub without_results: Vec<QueryView>,
    pub without_clicks: Vec<QueryView>,
    /// (position label, openings), first result first.
    pub positions: Vec<(String, i64)>,
    /// SVG markup, escaped here.
    pub top_chart: String,
    pub positions_chart: String,
}

pub async fn page(
    State(state): State<AppState>,
    Editor(user): Editor,
    Query(params): Query<ReportParams>,
) -> Result<HtmlTemplate<SearchReport>> {
    let days = match params.days.as_str() {
        "" => 7,
        text => text
            .parse::<i64>()
            .ok()
            .filter(|d| PERIODS.contains(d))
            .ok_or_else(|| {
                Error::BadRequest(format!(
                    "days={text:?} is not a period: use days=7, days=30 or days=90"
                ))
            })?,
    };
    // What was searched a moment ago is still waiting in memory: write it first.
    state.search_log.write(&state.db).await?;
    let pool = &state.db;
    let since = today() - days + 1;
    let totals = search_stats::totals(pool, since).await?;
    let top: Vec<QueryView> = search_stats::top(pool, since, ROWS)
        .await?
        .into_iter()
        .map(QueryView::from)
        .collect();
    let without_results = search_stats::without_results(pool, since, ROWS)
        .await?
        .into_iter()
        .map(QueryView::from)
        .collect();
    let without_clicks = search_stats::without_clicks(pool, since, ROWS)
        .await?
        .into_iter()
        .map(QueryView::from)
        .collect();
    let positions: Vec<(String, i64)> = search_stats::positions(pool, since)
        .await?
        .into_iter()
        .map(|(position, clicks)| {
            let label = if position >= i64::from(LAST_POSITION) {
                format!("{LAST_POSITION}+")
            } else {
                position.to_string()
            };
            (label, clicks)
        })
        .collect();
    let top_bars: Vec<(String, i64)> = top
        .iter()
        .take(BARS)
        .map(|q| (q.query.clone(), q.searches))
        .collect();
    Ok(HtmlTemplate(SearchReport {
        nav: Some(Nav::from(&user)),
        top_chart: bar_chart(
            &format!(
                "The {} most searched queries of the last {days} days, by searches; the table beside it has the figures.",
                top_bars.len()
            ),
            &top_bars,
        ),
        positions_chart: bar_chart(
            &format!(
                "Results opened by their position in the list, last {days} days; the table beside it has the figures."
            ),
            &positions,
        ),
        days,
        periods: PERIODS
            .iter()
            .map(|&d| Period {
                days: d,
                current: d == days,
            })
            .collect(),
        totals,
        top,
        without_results,
        without_clicks,
        positions,
    }))
}

/// A horizontal bar chart of `bars` (label, value) as SVG, labelled by `description`; empty
/// when there is nothing to draw. Colours come from the stylesheet (`.chart`), so it follows
/// the light and dark themes.
fn bar_chart(description: &str, bars: &[(String, i64)]) -> String {
    const LABEL: f64 = 200.0;
    const BAR: f64 = 250.0;
    const ROW: f64 = 24.0;
    let Some(most) = bars.iter().map(|(_, v)| *v).max().filter(|m| *m > 0) else {
        return String::new();
    };
    let height = ROW * bars.len() as f64 + 4.0;
    let width = LABEL + BAR + 60.0;
    let mut svg = format!(
        r#"<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {width} {height}" width="{width}" height="{height}">"#,
        escape_html(description)
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i as f64 * ROW + 2.0;
        let length = (BAR * *value as f64 / most as f64).max(2.0);
        let shown: String = if label.chars().count() > 30 {
            label.chars().take(29).chain(['…']).collect()
        } else {
            label.clone()
        };
        svg.push_str(&format!(
            r#"<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text><rect class="chart-bar" x="{LABEL}" y="{}" width="{length:.1}" height="{}" rx="2"></rect><text class="chart-value" x="{}" y="{}">{value}</text>"#,
            LABEL - 8.0,
            y + ROW * 0.68,
            escape_html(&shown),
            y + 3.0,
            ROW - 6.0,
            LABEL + length + 6.0,
            y + ROW * 0.68,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::bar_chart;

    #[test]
    fn bars_scale_to_the_largest_and_labels_are_escaped() {
        let svg = bar_chart(
            "a <chart>",
            &[("<script>".to_owned(), 10), ("b".to_owned(), 5)],
        );
        assert!(svg.contains(r#"aria-label="a &lt;chart&gt;""#), "{svg}");
        assert!(
            svg.contains("&lt;script&gt;") && !svg.contains("<script>"),
            "{svg}"
        );
        assert!(
            svg.contains(r#"width="250.0""#) && svg.contains(r#"width="125.0""#),
            "{svg}"
        );
        assert_eq!(bar_chart("empty", &[]), "");
        assert_eq!(bar_chart("zeros", &[("a".to_owned(), 0)]), "");
    }
}
