//! Counters for `/metrics` in the Prometheus text format (served only with `PYKB_METRICS=1`):
//! requests by route and status, a latency histogram by route, searches and searches that
//! found nothing, page-cache hits, and at scrape time the index lag. Routes are the router's
//! patterns (`/q/{slug}`), never raw paths, so the number of series stays small.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::{Error, Result};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    started: Option<Instant>,
    /// Route pattern, then status. Looked up by `&str`, so counting allocates nothing.
    requests: Mutex<HashMap<String, HashMap<u16, u64>>>,
    latency: Mutex<HashMap<String, Histogram>>,
    pub searches: AtomicU64,
    pub searches_without_results: AtomicU64,
    pub page_cache_hits: AtomicU64,
    pub page_cache_misses: AtomicU64,
}

impl Metrics {
    pub fn new() -> Self {
        Self {
            started: Some(Instant::now()),
            ..Self::default()
        }
    }

    fn observe(&self, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            let by_status = match requests.get_mut(route) {
                Some(by_status) => by_status,
                None => requests.entry(route.to_owned()).or_default(),
            };
            *by_status.entry(status).or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let histogram = match latency.get_mut(route) {
                Some(histogram) => histogram,
                None => latency.entry(route.to_owned()).or_default(),
            };
            let seconds = elapsed.as_secs_f64();
            for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
                if seconds <= *bound {
                    *count += 1;
                }
            }
            histogram.count += 1;
            histogram.sum += seconds;
        }
    }

    /// A search ran; `found` is how many results it had.
    pub fn searched(&self, found: usize) {
        self.searches.fetch_add(1, Ordering::Relaxed);
        if found == 0 {
            self.searches_without_results
                .fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The text format, with the gauges read at scrape time.
    fn render(
        &self,
        index_lag: i64,
        indexed: u64,
        page_cache: (usize, usize),
        memos: (crate::search::MemoStats, crate::search::MemoStats),
    ) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        let _ = writeln!(
            out,
            "# HELP pykb_http_requests_total HTTP requests by route pattern and status.\n# TYPE pykb_http_requests_total counter"
        );
        if let Ok(requests) = self.requests.lock() {
            let sorted: BTreeMap<(&str, u16), u64> = requests
                .iter()
                .flat_map(|(route, by_status)| {
                    by_status
                        .iter()
                        .map(move |(status, n)| ((route.as_str(), *status), *n))
                })
                .collect();
            for ((route, status), n) in sorted {
                let _ = writeln!(
                    out,
                    "pykb_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP pykb_http_request_duration_seconds Time to answer, by route pattern.\n# TYPE pykb_http_request_duration_seconds histogram"
        );
        if let Ok(latency) = self.latency.lock() {
            let sorted: BTreeMap<&str, &Histogram> = latency
                .iter()
                .map(|(route, h)| (route.as_str(), h))
                .collect();
            for (route, h) in sorted {
                let route = escape(route);
                for (bound, count) in BUCKETS.iter().zip(h.counts.iter()) {
                    let _ = writeln!(
                        out,
                        "pykb_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                    );
                }
                let _ = writeln!(
                    out,
                    "pykb_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\npykb_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\npykb_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        counter(
            &mut out,
            "pykb_search_queries_total",
            "Searches run (pages and API).",
            self.searches.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "pykb_search_zero_results_total",
            "Searches that found nothing.",
            self.searches_without_results.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "pykb_page_cache_hits_total",
            "Pages served from the page cache.",
            self.page_cache_hits.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "pykb_page_cache_misses_total",
            "Pages rendered because the cache did not have them.",
            self.page_cache_misses.load(Ordering::Relaxed),
        );
        for (name, what, memo) in [
            ("search_memo", "search results", memos.0),
            ("similar_memo", "\"more like this\" lists", memos.1),
        ] {
            counter(
                &mut out,
                &format!("pykb_{name}_hits_total"),
                &format!("Requests for {what} answered from memory."),
                memo.hits,
            );
            counter(
                &mut out,
                &format!("pykb_{name}_misses_total"),
                &format!("Requests for {what} that went to the index."),
                memo.misses,
            );
            let _ = writeln!(
                out,
                "# HELP pykb_{name}_entries {what} held.\n# TYPE pykb_{name}_entries gauge\npykb_{name}_entries {}",
                memo.entries
            );
        }
        let (cached_pages, cached_bytes) = page_cache;
        let _ = writeln!(
            out,
            "# HELP pykb_page_cache_entries Pages in the page cache.\n# TYPE pykb_page_cache_entries gauge\npykb_page_cache_entries {cached_pages}\n# HELP pykb_page_cache_bytes Bytes the page cache holds.\n# TYPE pykb_page_cache_bytes gauge\npykb_page_cache_bytes {cached_bytes}"
        );
        let _ = writeln!(
            out,
            "# HELP pykb_index_lag Changes written to the database that the search index has not applied yet.\n# TYPE pykb_index_lag gauge\npykb_index_lag {index_lag}"
        );
        let _ = writeln!(
            out,
            "# HELP pykb_index_documents Articles in the search index.\n# TYPE pykb_index_documents gauge\npykb_index_documents {indexed}"
        );
        let uptime = self.started.map_or(0.0, |s| s.elapsed().as_secs_f64());
        let _ = writeln!(
            out,
            "# HELP pykb_uptime_seconds Seconds since the server started.\n# TYPE pykb_uptime_seconds gauge\npykb_uptime_seconds {uptime:.3}"
        );
        out
    }
}

/// Label values are our route patterns; escape anyway, as the format requires.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: counts every request and its time under its route pattern.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // MatchedPath is a cheap clone (an Arc), unlike the pattern copied into a String.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.observe(
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// `GET /metrics`, when `PYKB_METRICS=1`; otherwise it does not exist (404).
pub async fn endpoint(State(state): State<AppState>) -> Result<Response> {
    if !state.config.metrics {
        return Err(Error::NotFound);
    }
    let lag = crate::db::outbox::pending(&state.db.pool).await?.len() as i64;
    let cache = (state.page_cache.len(), state.page_cache.bytes());
    let body = state.metrics.render(
        lag,
        state.search.num_docs(),
        cache,
        state.search.memo_stats(),
    );
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response())
}
