//! Rendered public pages kept in memory, with their gzip and brotli forms, so a page read
//! thousands of times per edit is rendered once. Entries carry a strong ETag: a client that
//! has the page gets 304.
//!
//! Each entry knows what it shows (`Shows`, set by its handler): an article's page names its
//! article and the entries of its "more like this" list; lists (home, topics, feeds, sitemap,
//! the API's list) show everything. A change to an article forgets the lists, the pages of
//! the articles whose page context shows it (`db::page_context::affected_by`) and the pages
//! whose "more like this" names it; every other page stays cached. A generation number keeps a
//! page rendered before a change from being stored after it.
//!
//! Which routes are cached, and which query parameters each one reads, is declared where the
//! routes are (`routes::router`); the key is the path plus those parameters only, so junk in a
//! query string (`?cachebust=N`) finds the same entry instead of making a new one. The cache
//! is bounded by bytes (`PYKB_PAGE_CACHE_MB`, bodies and their compressed forms counted): the
//! least recently used pages go first. Only successful GET/HEAD answers are kept, never
//! anything that sets a cookie. `PYKB_PAGE_CACHE=0` switches it off.
//!
//! Two ways in: `serve`, the middleware of each cached route, renders and stores on a miss;
//! `front`, ahead of the router in the accept loop, answers a plain hit (no query string, no
//! body) from the entry's prebuilt headers without going through the middleware stack.

mod entry;
pub mod front;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use entry::{Encoding, Entry, Wants};

/// Entries kept at most, whatever their size (each costs a key and a map slot besides).
const MAX_ENTRIES: usize = 65_536;
/// Bodies larger than this are served but not kept (the full feed can be a few megabytes).
const MAX_BODY: usize = 8 << 20;

/// What a cached page shows of the articles, so that a change forgets only the pages it
/// concerns. A handler puts it into its response's extensions; a page without it counts as
/// showing everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Shows {
    /// Lists of articles: forgotten on any change.
    #[default]
    Everything,
    /// The page of one article (by slug), and the other articles it names besides those of
    /// its page context ("more like this").
    Article { slug: String, also: Vec<String> },
    /// Nothing that articles change (robots.txt).
    Nothing,
}

/// What an article change concerns: the slugs of the articles whose pages show it (its own,
/// old and new, among them), and its own slugs; or every page (an import).
#[derive(Debug, Clone, Default)]
pub struct Changed {
    pub pages: Vec<String>,
    pub article: Vec<String>,
    pub everything: bool,
}

impl Changed {
    /// What a change read from the change log concerns (`db::outbox`).
    pub fn logged(change: &crate::db::outbox::Change) -> Self {
        Changed {
            pages: change.pages.iter().map(str::to_owned).collect(),
            article: change.slugs.iter().map(str::to_owned).collect(),
            everything: change.everything(),
        }
    }
}

impl Shows {
    fn concerned_by(&self, change: &Changed) -> bool {
        match self {
            Shows::Everything => true,
            Shows::Nothing => false,
            Shows::Article { slug, also } => {
                change.everything
                    || change.pages.contains(slug)
                    || also.iter().any(|s| change.article.contains(s))
            }
        }
    }
}

#[derive(Default)]
struct Entries {
    map: HashMap<Box<str>, Arc<Entry>>,
    bytes: usize,
}

#[derive(Default)]
pub struct PageCache {
    enabled: bool,
    max_bytes: usize,
    generation: AtomicU64,
    /// Counts lookups; an entry remembers the count of its last use.
    clock: AtomicU64,
    entries: RwLock<Entries>,
}

impl PageCache {
    pub fn new(enabled: bool, max_bytes: usize) -> Self {
        Self {
            enabled: enabled && max_bytes > 0,
            max_bytes,
            ..Self::default()
        }
    }

    /// Forgets the pages an article change concerns.
    pub fn forget(&self, change: &Changed) {
        self.forget_where(|shows| shows.concerned_by(change));
    }

    /// Forgets the cached pages of these articles only (not the lists that name them): for a
    /// change to their rendered bodies alone, which no list shows (feeds do: see
    /// `editing::rerender`).
    pub fn forget_articles(&self, slugs: &[String]) {
        self.forget_where(
            |shows| matches!(shows, Shows::Article { slug, .. } if slugs.contains(slug)),
        );
    }

    fn forget_where(&self, concerned: impl Fn(&Shows) -> bool) {
        // Bump first: a page being rendered now must not be stored after the change.
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut entries) = self.entries.write() {
            let entries = &mut *entries;
            let mut freed = 0;
            entries.map.retain(|_, entry| {
                let keep = !concerned(&entry.shows);
                if !keep {
                    freed += entry.counted.load(Ordering::Relaxed);
                }
                keep
            });
            entries.bytes -= freed;
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entry = self.entries.read().ok()?.map.get(key).cloned()?;
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        entry.last_used.store(now, Ordering::Relaxed);
        Some(entry)
    }

    fn insert(&self, generation: u64, entry: Arc<Entry>) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let size = entry.size();
        if size > self.max_bytes {
            return;
        }
        entry.counted.store(size, Ordering::Relaxed);
        entry.last_used.store(
            self.clock.fetch_add(1, Ordering::Relaxed),
            Ordering::Relaxed,
        );
        entries.bytes += size;
        if let Some(old) = entries.map.insert(entry.key.clone(), entry) {
            entries.bytes -= old.counted.load(Ordering::Relaxed);
        }
        self.evict(&mut entries);
    }

    /// Counts the compressed forms an entry has gained since it was stored, if it still is.
    fn grown(&self, entry: &Arc<Entry>) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if !entries
            .map
            .get(&entry.key)
            .is_some_and(|stored| Arc::ptr_eq(stored, entry))
        {
            return;
        }
        let size = entry.size();
        let before = entry.counted.swap(size, Ordering::Relaxed);
        entries.bytes = entries.bytes + size - before;
        self.evict(&mut entries);
    }

    /// Drops the least recently used entries until the cache is within its bounds, and then
    /// some (down to three quarters), so that a full cache does not sort on every insert.
    fn evict(&self, entries: &mut Entries) {
        if entries.bytes <= self.max_bytes && entries.map.len() <= MAX_ENTRIES {
            return;
        }
        let mut by_age: Vec<(u64, Box<str>)> = entries
            .map
            .values()
            .map(|e| (e.last_used.load(Ordering::Relaxed), e.key.clone()))
            .collect();
        by_age.sort_unstable();
        let (byte_goal, count_goal) = (self.max_bytes / 4 * 3, MAX_ENTRIES / 4 * 3);
        for (_, key) in by_age {
            if entries.bytes <= byte_goal && entries.map.len() <= count_goal {
                break;
            }
            if let Some(old) = entries.map.remove(&key) {
                entries.bytes -= old.counted.load(Ordering::Relaxed);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.map.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes the cache holds (bodies, compressed forms, keys and overhead).
    pub fn bytes(&self) -> usize {
        self.entries.read().map(|e| e.bytes).unwrap_or(0)
    }
}

/// One cached route: the state and the query parameters its handler reads.
#[derive(Clone)]
pub struct CachedRoute {
    pub state: AppState,
    pub params: &'static [&'static str],
}

/// The cache key: the path, then the parameters the route reads, decoded and written again
/// in the route's order, so that `?b=2&a=1`, `?a=%31&b=2&junk` and `?a=1&b=2` are one page.
fn key<'a>(path: &'a str, query: Option<&str>, params: &[&str]) -> Cow<'a, str> {
    let Some(query) = query.filter(|_| !params.is_empty()) else {
        return Cow::Borrowed(path);
    };
    let mut key = String::with_capacity(path.len() + 32);
    key.push_str(path);
    let mut separator = '?';
    for param in params {
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if name == *param {
                key.push(separator);
                separator = '&';
                key.extend(form_urlencoded::byte_serialize(name.as_bytes()));
                key.push('=');
                key.extend(form_urlencoded::byte_serialize(value.as_bytes()));
            }
        }
    }
    Cow::Owned(key)
}

/// Middleware of a cached route: answers from the cache, or renders, stores and answers.
pub async fn serve(State(route): State<CachedRoute>, request: Request, next: Next) -> Response {
    let state = &route.state;
    let cache = &state.page_cache;
    let method = request.method();
    if !cache.enabled || !(method == Method::GET || method == Method::HEAD) {
        return next.run(request).await;
    }
    let wants = Wants::of(&request);
    let key = key(request.uri().path(), request.uri().query(), route.params);
    if let Some(entry) = cache.get(&key) {
        state.metrics.page_cache_hits.inc();
        return answer(cache, &entry, wants).await;
    }
    // Owned before the request is handed on (the key borrows from its URI).
    let key = key.into_owned();
    let route_pattern = request.extensions().get::<MatchedPath>().cloned();
    state.metrics.page_cache_misses.inc();
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let shows = parts.extensions.get::<Shows>().cloned().unwrap_or_default();
    let counters = state.metrics.route_counters(
        route_pattern
            .as_ref()
            .map_or("unmatched", MatchedPath::as_str),
    );
    // Our own handler's body, already in memory: reading it whole cannot run away.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(error = %err, path = ?key, "cannot read a page body for the cache");
            return crate::Error::Internal(anyhow::anyhow!("reading a page body: {err}"))
                .into_response();
        }
    };
    if bytes.len() > MAX_BODY {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Some(entry) = Entry::new(
        &key,
        shows,
        counters,
        &state.site_headers,
        &parts.headers,
        bytes.clone(),
    ) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let entry = Arc::new(entry);
    cache.insert(generation, Arc::clone(&entry));
    answer(cache, &entry, wants).await
}

/// Answers from an entry, compressing it first (in the render pool, off the async workers)
/// if the client wants a form it does not have yet; when the pool is full the page goes out
/// uncompressed rather than late.
async fn answer(cache: &PageCache, entry: &Arc<Entry>, mut wants: Wants) -> Response {
    if entry.needs_compressing(&wants) {
        let encoding = wants.encoding;
        let job = Arc::clone(entry);
        match crate::cpu::RENDER.run(move || job.compress(encoding)).await {
            Ok(()) => cache.grown(entry),
            Err(_) => wants.encoding = Encoding::Identity,
        }
    }
    entry.respond(&wants)
}

#[cfg(test)]
mod tests {
    use super::entry::accepted;
    use super::*;
    use axum::body::Bytes;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    fn entry(key: &str, shows: Shows, body: impl Into<Bytes>) -> Entry {
        Entry::new(
            key,
            shows,
            crate::metrics::Metrics::new().route_counters("/test"),
            &crate::site_headers::SiteHeaders::new(false),
            &headers(&[("content-type", "text/html; charset=utf-8")]),
            body.into(),
        )
        .unwrap()
    }

    #[test]
    fn the_best_accepted_encoding_wins_and_q0_refuses() {
        assert!(matches!(
            accepted(&headers(&[("accept-encoding", "gzip, deflate, br")])),
            Encoding::Brotli
        ));
        assert!(matches!(
            accepted(&headers(&[("accept-encoding", "gzip, br;q=0")])),
            Encoding::Gzip
        ));
        assert!(matches!(
            accepted(&headers(&[("accept-encoding", "identity")])),
            Encoding::Identity
        ));
        assert!(matches!(
            accepted(&headers(&[("accept-encoding", "GZIP")])),
            Encoding::Gzip
        ));
        assert!(matches!(accepted(&HeaderMap::new()), Encoding::Identity));
    }

    #[test]
    fn compressed_forms_decode_to_the_page() {
        use std::io::Read as _;
        let page = "<p>hello</p>".repeat(500);
        let entry = entry("/", Shows::Everything, page.clone());
        let mut gunzipped = String::new();
        flate2::read::GzDecoder::new(&entry.body(Encoding::Gzip)[..])
            .read_to_string(&mut gunzipped)
            .unwrap();
        assert_eq!(gunzipped, page);
        let mut unbrotlied = Vec::new();
        let brotli = entry.body(Encoding::Brotli);
        brotli::BrotliDecompress(&mut &brotli[..], &mut unbrotlied).unwrap();
        assert_eq!(String::from_utf8(unbrotlied).unwrap(), page);
        assert!(brotli.len() < page.len() / 10);
    }

    #[test]
    fn a_page_rendered_before_a_change_is_not_stored_after_it() {
        let cache = PageCache::new(true, 1 << 20);
        let generation = cache.generation.load(Ordering::SeqCst);
        cache.forget(&Changed::default());
        cache.insert(generation, page("/", 3));
        assert!(cache.is_empty());
    }

    fn page(key: &str, size: usize) -> Arc<Entry> {
        let shows = Shows::Article {
            slug: key.trim_start_matches('/').to_owned(),
            also: vec!["shown".to_owned()],
        };
        Arc::new(entry(key, shows, "x".repeat(size)))
    }

    #[test]
    fn the_least_recently_used_pages_go_when_the_bytes_run_out() {
        let ten = 10 * page("/0", 1000).size();
        let cache = PageCache::new(true, ten);
        for n in 0..10 {
            cache.insert(0, page(&format!("/{n}"), 1000));
        }
        assert_eq!(cache.len(), 10);
        assert!(cache.get("/0").is_some(), "used again: now the newest");
        cache.insert(0, page("/new", 1000));
        assert!(cache.bytes() <= ten);
        assert!(cache.get("/0").is_some() && cache.get("/new").is_some());
        assert!(cache.get("/1").is_none(), "the oldest went first");
        assert!(cache.len() < 10);
        cache.insert(0, page("/huge", 20 * ten));
        assert!(cache.get("/huge").is_none(), "larger than the whole cache");
    }

    #[test]
    fn compressed_forms_count_against_the_bound() {
        let cache = PageCache::new(true, 1 << 20);
        let entry = page("/", 50_000);
        cache.insert(0, Arc::clone(&entry));
        let before = cache.bytes();
        entry.compress(Encoding::Gzip);
        cache.grown(&entry);
        let gzip = entry.body(Encoding::Gzip).len();
        assert!(cache.bytes() > before + gzip, "the body and its headers");
        assert!(cache.bytes() < before + gzip + 4096);
        cache.forget(&Changed {
            pages: vec![String::new()],
            ..Changed::default()
        });
        entry.compress(Encoding::Brotli);
        cache.grown(&entry);
        assert_eq!(
            cache.bytes(),
            0,
            "an entry no longer stored counts for nothing"
        );
    }

    #[test]
    fn a_change_forgets_only_the_pages_it_concerns() {
        let cache = PageCache::new(true, 1 << 20);
        for key in ["/a", "/b", "/c"] {
            cache.insert(0, page(key, 10));
        }
        cache.insert(0, Arc::new(entry("/", Shows::Everything, "list")));
        cache.insert(0, Arc::new(entry("/robots.txt", Shows::Nothing, "")));
        let bytes = cache.bytes();
        cache.forget(&Changed {
            pages: vec!["b".into()],
            article: vec!["b".into()],
            everything: false,
        });
        assert!(cache.get("/a").is_some() && cache.get("/c").is_some());
        assert!(cache.get("/b").is_none() && cache.get("/").is_none());
        assert!(cache.get("/robots.txt").is_some());
        assert!(cache.bytes() < bytes);
        cache.forget(&Changed {
            article: vec!["shown".into()],
            ..Changed::default()
        });
        assert_eq!(cache.len(), 1, "every page whose list names it");
        cache.insert(0, page("/a", 10));
        cache.forget(&Changed {
            everything: true,
            ..Changed::default()
        });
        assert_eq!(cache.len(), 1, "an import forgets every article's page");
        assert!(cache.get("/robots.txt").is_some());
    }

    #[test]
    fn keys_keep_only_the_parameters_the_route_reads() {
        let params = ["difficulty", "page"];
        assert_eq!(key("/tags/x", None, &params), "/tags/x");
        assert_eq!(key("/tags/x", Some("cachebust=1"), &params), "/tags/x");
        assert_eq!(
            key("/tags/x", Some("page=2&junk=1&difficulty=e%61sy"), &params),
            "/tags/x?difficulty=easy&page=2"
        );
        assert_eq!(key("/q/a", Some("difficulty=easy"), &[]), "/q/a");
        assert_eq!(
            key("/tags/x", Some("difficulty=a%26b=c"), &params),
            "/tags/x?difficulty=a%26b%3Dc",
            "values stay values"
        );
    }
}
