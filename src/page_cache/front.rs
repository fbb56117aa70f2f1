//! The page cache in front of the router: the accept loop asks it first, and a plain hit is
//! answered from the entry's prebuilt headers and shared body without the middleware stack
//! (tracing span, timeout timer, metrics lookup, header layers, routing, the cached route's
//! own middleware), which on a cached page cost more than the answer itself.
//!
//! Only what cannot differ from the routed answer is answered here: a GET or HEAD with no
//! query string (the key is then the path alone) and no body, for an entry whose form the
//! client wants is already compressed. Everything else, misses included, goes to the router,
//! whose cached routes store the entries this reads. The entry's headers are the ones the
//! router's answer would carry (the handler's, the validators, `site_headers`), and it counts
//! in `/metrics` under its route as if routed.

use std::sync::Arc;
use std::time::Instant;

use axum::http::{Method, Request, header};
use axum::response::Response;

use super::PageCache;
use super::entry::Wants;

#[derive(Clone)]
pub struct Front {
    cache: Arc<PageCache>,
}

impl Front {
    pub fn new(cache: Arc<PageCache>) -> Self {
        Self { cache }
    }

    /// The cached answer to `request`, or None when the router must answer it.
    pub fn answer<B>(&self, request: &Request<B>) -> Option<Response> {
        let method = request.method();
        if !self.cache.enabled
            || !(method == Method::GET || method == Method::HEAD)
            || request.uri().query().is_some()
            || request.headers().contains_key(header::CONTENT_LENGTH)
            || request.headers().contains_key(header::TRANSFER_ENCODING)
        {
            return None;
        }
        let started = Instant::now();
        let entry = self.cache.get(request.uri().path())?;
        let wants = Wants::of(request);
        if entry.needs_compressing(&wants) {
            // Compressing is CPU work for the render pool: the routed path does it.
            return None;
        }
        let response = entry.respond(&wants);
        entry
            .counters
            .served_from_cache(response.status(), started.elapsed());
        Some(response)
    }
}
