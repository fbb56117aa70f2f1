//! Counters for `/metrics` in the Prometheus text format (served only with `PYKB_METRICS=1`),
//! kept and written by `prometheus-client`: requests by route and status, a latency histogram
//! by route, searches and searches that found nothing, page-cache hits and misses, and, read
//! at scrape time, each cache's size, the search memos' hits and misses, and the index lag.
//! Routes are the router's patterns (`/q/{slug}`), never raw paths, so the number of series
//! stays small.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::search::MemoStats;
use crate::state::AppState;
use crate::{Error, Result};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// A route pattern as a label: shared, so counting a request allocates nothing.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
struct Route(Arc<str>);

impl EncodeLabelValue for Route {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> std::fmt::Result {
        EncodeLabelValue::encode(&&*self.0, encoder)
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteStatus {
    route: Route,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteOnly {
    route: Route,
}

type LatencyFamily = Family<RouteOnly, Histogram, fn() -> Histogram>;

pub struct Metrics {
    started: Instant,
    registry: Registry,
    /// The route patterns seen, so each request's label is a clone of a shared one.
    routes: Mutex<HashSet<Arc<str>>>,
    requests: Family<RouteStatus, Counter>,
    latency: LatencyFamily,
    pub searches: Counter,
    pub searches_without_results: Counter,
    pub page_cache_hits: Counter,
    pub page_cache_misses: Counter,
    /// Example runs the verification worker made, and those that did not print what is shown
    /// on a Python the example is about.
    pub example_runs: Counter,
    pub example_run_failures: Counter,
}

/// A route's counters for its cached answers (see `Metrics::route_counters`).
#[derive(Clone)]
pub struct RouteCounters {
    ok: Counter,
    not_modified: Counter,
    latency: Histogram,
    hits: Counter,
}

impl RouteCounters {
    /// Counts a page-cache hit answered with `status` after `elapsed`.
    pub fn served_from_cache(&self, status: axum::http::StatusCode, elapsed: Duration) {
        self.hits.inc();
        self.latency.observe(elapsed.as_secs_f64());
        if status == axum::http::StatusCode::NOT_MODIFIED {
            self.not_modified.inc();
        } else {
            self.ok.inc();
        }
    }
}

/// What `/metrics` reads at scrape time rather than counts as it goes.
pub struct Scraped {
    pub index_lag: i64,
    /// Articles waiting for their examples to be run.
    pub verify_queue: i64,
    pub index_documents: u64,
    pub page_cache_entries: usize,
    pub page_cache_bytes: usize,
    pub search_memo: MemoStats,
    pub similar_memo: MemoStats,
    /// Example runs remembered by code and interpreter (`verify::engine`).
    pub example_memo: MemoStats,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RouteStatus, Counter>::default();
        registry.register(
            "pykb_http_requests",
            "HTTP requests by route pattern and status",
            requests.clone(),
        );
        let latency: LatencyFamily =
            Family::new_with_constructor(|| Histogram::new(BUCKETS.iter().copied()));
        registry.register(
            "pykb_http_request_duration_seconds",
            "Time to answer, by route pattern",
            latency.clone(),
        );
        let counter = |registry: &mut Registry, name: &str, help: &str| {
            let counter = Counter::default();
            registry.register(name, help, counter.clone());
            counter
        };
        Self {
            searches: counter(
                &mut registry,
                "pykb_search_queries",
                "Searches run (pages and API)",
            ),
            searches_without_results: counter(
                &mut registry,
                "pykb_search_zero_results",
                "Searches that found nothing",
            ),
            page_cache_hits: counter(
                &mut registry,
                "pykb_page_cache_hits",
                "Pages served from the page cache",
            ),
            page_cache_misses: counter(
                &mut registry,
                "pykb_page_cache_misses",
                "Pages rendered because the cache did not have them",
            ),
            example_runs: counter(
                &mut registry,
                "pykb_example_runs",
                "Python examples run by the verification worker (one example on one interpreter)",
            ),
            example_run_failures: counter(
                &mut registry,
                "pykb_example_run_failures",
                "Example runs that did not print the shown output on a Python the example is about",
            ),
            started: Instant::now(),
            registry,
            routes: Mutex::default(),
            requests,
            latency,
        }
    }

    /// The shared label of a route pattern (interned: counting allocates nothing).
    fn route(&self, route: &str) -> Route {
        Route(match self.routes.lock() {
            Ok(mut routes) => match routes.get(route) {
                Some(shared) => shared.clone(),
                None => {
                    let shared: Arc<str> = Arc::from(route);
                    routes.insert(shared.clone());
                    shared
                }
            },
            Err(_) => Arc::from(route),
        })
    }

    fn observe(&self, route: &str, status: u16, elapsed: Duration) {
        let route = self.route(route);
        self.latency
            .get_or_create(&RouteOnly {
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RouteStatus { route, status })
            .inc();
    }

    /// The series of a route's cached answers (200 and 304), held by each page-cache entry
    /// so that a hit answered before the router counts exactly as one through it.
    pub fn route_counters(&self, route: &str) -> RouteCounters {
        let route = self.route(route);
        let requests = |status| {
            self.requests
                .get_or_create(&RouteStatus {
                    route: route.clone(),
                    status,
                })
                .clone()
        };
        RouteCounters {
            ok: requests(200),
            not_modified: requests(304),
            latency: self
                .latency
                .get_or_create(&RouteOnly {
                    route: route.clone(),
                })
                .clone(),
            hits: self.page_cache_hits.clone(),
        }
    }

    /// A search ran; `found` is how many results it had.
    pub fn searched(&self, found: usize) {
        self.searches.inc();
        if found == 0 {
            self.searches_without_results.inc();
        }
    }

    /// The text format: the counters, then what was read at scrape time.
    fn render(&self, scraped: Scraped) -> std::result::Result<String, std::fmt::Error> {
        use prometheus_client::encoding::prometheus_text::encode;
        let mut out = String::new();
        encode(&mut out, &self.registry)?;
        let mut now = Registry::default();
        for (name, what, memo) in [
            ("pykb_search_memo", "search results", scraped.search_memo),
            (
                "pykb_similar_memo",
                "\"more like this\" lists",
                scraped.similar_memo,
            ),
            ("pykb_example_memo", "example runs", scraped.example_memo),
        ] {
            now.register(
                format!("{name}_hits"),
                format!("Requests for {what} answered from memory"),
                ConstCounter::new(memo.hits),
            );
            now.register(
                format!("{name}_misses"),
                format!("Requests for {what} that went to the index"),
                ConstCounter::new(memo.misses),
            );
            now.register(
                format!("{name}_entries"),
                format!("{what} held"),
                ConstGauge::new(gauge(memo.entries)),
            );
        }
        let gauges = [
            (
                "pykb_page_cache_entries",
                "Pages in the page cache",
                gauge(scraped.page_cache_entries),
            ),
            (
                "pykb_page_cache_bytes",
                "Bytes the page cache holds",
                gauge(scraped.page_cache_bytes),
            ),
            (
                "pykb_index_lag",
                "Changes written to the database that the search index has not applied yet",
                scraped.index_lag,
            ),
            (
                "pykb_verify_queue",
                "Articles waiting for their examples to be run",
                scraped.verify_queue,
            ),
            (
                "pykb_index_documents",
                "Articles in the search index",
                gauge(scraped.index_documents),
            ),
        ];
        for (name, help, value) in gauges {
            now.register(name, help, ConstGauge::new(value));
        }
        now.register(
            "pykb_uptime_seconds",
            "Seconds since the server started",
            ConstGauge::new(self.started.elapsed().as_secs_f64()),
        );
        encode(&mut out, &now)?;
        Ok(out)
    }
}

/// A size as a gauge's value (sizes here are far below `i64::MAX`).
fn gauge(value: impl TryInto<i64>) -> i64 {
    value.try_into().unwrap_or(i64::MAX)
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
    let lag = state.search.lag(&state.db).await?;
    let verify_queue = crate::db::verification::queue_length(&state.db).await?;
    let (search_memo, similar_memo) = state.search.memo_stats();
    let body = state
        .metrics
        .render(Scraped {
            index_lag: lag,
            verify_queue,
            index_documents: state.search.num_docs(),
            page_cache_entries: state.page_cache.len(),
            page_cache_bytes: state.page_cache.bytes(),
            search_memo,
            similar_memo,
            example_memo: state.verifier.memo_stats(),
        })
        .map_err(|err| Error::Internal(anyhow::anyhow!("writing the metrics failed: {err}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response())
}
