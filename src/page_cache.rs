//! Rendered public pages kept in memory, with their gzip and brotli forms, so a page read
//! thousands of times per edit is rendered once. Pages show other articles' titles (related
//! lists, neighbours, topics, the home page), so any article change simply empties the whole
//! cache (writes are rare). A generation number keeps a page rendered before a change from
//! being stored after it. Entries carry a strong ETag: a client that has the page gets 304.
//!
//! Only successful GET/HEAD answers of the reader's routes are kept; never admin pages, search
//! results, errors or anything that sets a cookie. `PYKB_PAGE_CACHE=0` switches it off.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::app::AppState;

/// Entries kept at most: one per article, topic and feed is far below it; odd query strings
/// cannot grow memory past it.
const MAX_ENTRIES: usize = 4096;
/// Bodies larger than this are served but not kept (the full feed can be a few megabytes).
const MAX_BODY: usize = 8 << 20;

/// One cached answer: the body, its compressed forms (made on first request for them) and its
/// validators.
pub struct Entry {
    content_type: HeaderValue,
    cache_control: Option<HeaderValue>,
    etag: HeaderValue,
    body: Bytes,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

impl Entry {
    fn new(headers: &HeaderMap, body: Bytes) -> Option<Entry> {
        let content_type = headers.get(header::CONTENT_TYPE)?.clone();
        let digest = Sha256::digest(&body);
        let tag: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        Some(Entry {
            content_type,
            cache_control: headers.get(header::CACHE_CONTROL).cloned(),
            etag: HeaderValue::from_str(&format!("\"{tag}\"")).ok()?,
            body,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        })
    }

    fn gzip(&self) -> &Bytes {
        self.gzip.get_or_init(|| {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(self.body.len() / 3),
                flate2::Compression::best(),
            );
            // Writing to a Vec cannot fail.
            let _ = encoder.write_all(&self.body);
            Bytes::from(encoder.finish().unwrap_or_default())
        })
    }

    fn brotli(&self) -> &Bytes {
        self.brotli.get_or_init(|| {
            let mut out = Vec::with_capacity(self.body.len() / 4);
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            let _ = brotli::BrotliCompress(&mut &self.body[..], &mut out, &params);
            Bytes::from(out)
        })
    }

    /// The answer to a request: 304 when the client has this version, else the body in the
    /// best encoding the client accepts.
    fn respond(&self, wants: &Wants) -> Response {
        let mut response = if wants
            .if_none_match
            .as_ref()
            .is_some_and(|tags| etag_matches(tags, &self.etag))
        {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let (encoding, body) = match wants.encoding {
                Encoding::Brotli => (Some("br"), self.brotli().clone()),
                Encoding::Gzip => (Some("gzip"), self.gzip().clone()),
                Encoding::Identity => (None, self.body.clone()),
            };
            let length = body.len();
            let mut response = if wants.head {
                Response::new(Body::empty())
            } else {
                Response::new(Body::from(body))
            };
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, self.content_type.clone());
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(cache_control) = &self.cache_control {
            headers.insert(header::CACHE_CONTROL, cache_control.clone());
        }
        response
    }
}

#[derive(Clone, Copy)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// What a request asks of a cached page, read before the request is handed on.
struct Wants {
    head: bool,
    encoding: Encoding,
    if_none_match: Option<HeaderValue>,
}

impl Wants {
    fn of(request: &Request) -> Wants {
        Wants {
            head: request.method() == Method::HEAD,
            encoding: accepted(request.headers()),
            if_none_match: request.headers().get(header::IF_NONE_MATCH).cloned(),
        }
    }
}

/// The encoding to send: brotli over gzip over none, honouring `q=0` refusals.
fn accepted(headers: &HeaderMap) -> Encoding {
    let mut brotli = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for part in value.split(',') {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            match name.as_str() {
                "br" => brotli = !refused,
                "gzip" => gzip = !refused,
                _ => {}
            }
        }
    }
    if brotli {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(tags), Ok(etag)) = (if_none_match.to_str(), etag.to_str()) else {
        return false;
    };
    tags.split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

#[derive(Default)]
pub struct PageCache {
    enabled: bool,
    generation: AtomicU64,
    entries: RwLock<HashMap<String, Arc<Entry>>>,
}

impl PageCache {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            ..Self::default()
        }
    }

    /// Forgets every page: called after any change to an article.
    pub fn clear(&self) {
        // Bump first: a page being rendered now must not be stored after the clear.
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.entries.read().ok()?.get(key).cloned()
    }

    fn insert(&self, key: String, generation: u64, entry: Arc<Entry>) {
        if let Ok(mut entries) = self.entries.write()
            && self.generation.load(Ordering::SeqCst) == generation
            && entries.len() < MAX_ENTRIES
        {
            entries.insert(key, entry);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Which paths are reader pages whose answer depends on nothing but the URL and the data.
fn cacheable(path: &str) -> bool {
    path == "/"
        || path.starts_with("/q/")
        || path.starts_with("/tags/")
        || matches!(
            path,
            "/feed.xml" | "/sitemap.xml" | "/robots.txt" | "/api/articles"
        )
        || path.starts_with("/api/articles/")
}

/// Middleware: answers from the cache, or renders, stores and answers.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = &state.page_cache;
    let method = request.method();
    if !cache.enabled
        || !(method == Method::GET || method == Method::HEAD)
        || !cacheable(request.uri().path())
    {
        return next.run(request).await;
    }
    let wants = Wants::of(&request);
    let key = request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path(), |pq| pq.as_str());
    if let Some(entry) = cache.get(key) {
        state
            .metrics
            .page_cache_hits
            .fetch_add(1, Ordering::Relaxed);
        return entry.respond(&wants);
    }
    let key = key.to_owned();
    state
        .metrics
        .page_cache_misses
        .fetch_add(1, Ordering::Relaxed);
    let generation = cache.generation.load(Ordering::SeqCst);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Our own handler's body, already in memory: reading it whole cannot run away.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(error = %err, path = %key, "cannot read a page body for the cache");
            return crate::Error::Internal(anyhow::anyhow!("reading a page body: {err}"))
                .into_response();
        }
    };
    if bytes.len() > MAX_BODY {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Some(entry) = Entry::new(&parts.headers, bytes.clone()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let entry = Arc::new(entry);
    cache.insert(key, generation, Arc::clone(&entry));
    entry.respond(&wants)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_str(v).unwrap());
        }
        map
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
        assert!(matches!(accepted(&HeaderMap::new()), Encoding::Identity));
    }

    #[test]
    fn compressed_forms_decode_to_the_page() {
        use std::io::Read as _;
        let page = "<p>hello</p>".repeat(500);
        let entry = Entry::new(
            &headers(&[("content-type", "text/html; charset=utf-8")]),
            Bytes::from(page.clone()),
        )
        .unwrap();
        let mut gunzipped = String::new();
        flate2::read::GzDecoder::new(&entry.gzip()[..])
            .read_to_string(&mut gunzipped)
            .unwrap();
        assert_eq!(gunzipped, page);
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &entry.brotli()[..], &mut unbrotlied).unwrap();
        assert_eq!(String::from_utf8(unbrotlied).unwrap(), page);
        assert!(entry.brotli().len() < page.len() / 10);
    }

    #[test]
    fn a_page_rendered_before_a_change_is_not_stored_after_it() {
        let cache = PageCache::new(true);
        let generation = cache.generation.load(Ordering::SeqCst);
        cache.clear();
        let entry = Entry::new(
            &headers(&[("content-type", "text/html")]),
            Bytes::from("old"),
        )
        .unwrap();
        cache.insert("/".into(), generation, Arc::new(entry));
        assert!(cache.is_empty());
    }
}
