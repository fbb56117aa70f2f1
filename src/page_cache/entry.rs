//! One cached page: its body, the compressed forms made on first request for them, its strong
//! ETag, and for each form the complete response headers, built once, so that serving a hit
//! costs a clone of a header map and of a `Bytes`, not a walk through the middleware that made
//! them (see `front`).

use std::io::Write as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

use super::Shows;
use crate::metrics::RouteCounters;
use crate::site_headers::SiteHeaders;

/// What an entry costs besides its key, bodies and header maps (validators, the map slot).
const ENTRY_OVERHEAD: usize = 256;

/// One cached answer.
pub struct Entry {
    pub(super) key: Box<str>,
    pub(super) shows: Shows,
    /// The request counters of the route that made it, for answers that skip the router.
    pub(super) counters: RouteCounters,
    /// The headers every form shares: the handler's own, the validators and the site's.
    base: HeaderMap,
    /// What a 304 carries: the validators and the site's headers, no content headers.
    not_modified: HeaderMap,
    identity: Form,
    gzip: OnceLock<Form>,
    brotli: OnceLock<Form>,
    /// The cache's clock when this entry was last served (least recently used go first).
    pub(super) last_used: AtomicU64,
    /// Bytes the cache counts for this entry; changed only under the cache's write lock.
    pub(super) counted: AtomicUsize,
}

/// A body in one encoding with the headers that go with it.
struct Form {
    body: Bytes,
    headers: HeaderMap,
}

impl Form {
    fn size(&self) -> usize {
        self.body.len() + map_size(&self.headers)
    }
}

/// Roughly what a header map holds on the heap (its slots and their values).
fn map_size(map: &HeaderMap) -> usize {
    map.capacity() * 96 + map.iter().map(|(_, v)| v.len()).sum::<usize>()
}

impl Entry {
    /// An entry for a handler's successful answer (`headers`, `body`), or None when the
    /// answer cannot be cached (no content type, or already encoded).
    pub(super) fn new(
        key: &str,
        shows: Shows,
        counters: RouteCounters,
        site: &SiteHeaders,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Option<Entry> {
        if !headers.contains_key(header::CONTENT_TYPE)
            || headers.contains_key(header::CONTENT_ENCODING)
        {
            return None;
        }
        let digest = Sha256::digest(&body);
        let tag: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        let mut base = headers.clone();
        base.remove(header::CONTENT_LENGTH);
        base.insert(
            header::ETAG,
            HeaderValue::from_str(&format!("\"{tag}\"")).ok()?,
        );
        base.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        site.apply(&mut base);
        let mut not_modified = base.clone();
        not_modified.remove(header::CONTENT_TYPE);
        let identity = Form {
            headers: form_headers(&base, body.len(), None),
            body,
        };
        Some(Entry {
            key: key.into(),
            shows,
            counters,
            base,
            not_modified,
            identity,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            last_used: AtomicU64::new(0),
            counted: AtomicUsize::new(0),
        })
    }

    /// The bytes this entry holds now.
    pub(super) fn size(&self) -> usize {
        ENTRY_OVERHEAD
            + self.key.len()
            + map_size(&self.base)
            + map_size(&self.not_modified)
            + self.identity.size()
            + self.gzip.get().map_or(0, Form::size)
            + self.brotli.get().map_or(0, Form::size)
    }

    /// Whether answering `wants` needs a form compressed first (a HEAD does too: its
    /// `Content-Length` is the compressed one).
    pub(super) fn needs_compressing(&self, wants: &Wants) -> bool {
        let missing = match wants.encoding {
            Encoding::Brotli => self.brotli.get().is_none(),
            Encoding::Gzip => self.gzip.get().is_none(),
            Encoding::Identity => false,
        };
        missing && !wants.has_this(&self.base)
    }

    /// Makes the compressed form for `encoding` (CPU work: called in the render pool).
    pub(super) fn compress(&self, encoding: Encoding) {
        match encoding {
            Encoding::Brotli => drop(self.brotli()),
            Encoding::Gzip => drop(self.gzip()),
            Encoding::Identity => {}
        }
    }

    fn gzip(&self) -> &Form {
        self.gzip.get_or_init(|| {
            let body = &self.identity.body;
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 3),
                flate2::Compression::best(),
            );
            // Writing to a Vec cannot fail.
            let _ = encoder.write_all(body);
            let body = Bytes::from(encoder.finish().unwrap_or_default());
            Form {
                headers: form_headers(&self.base, body.len(), Some("gzip")),
                body,
            }
        })
    }

    fn brotli(&self) -> &Form {
        self.brotli.get_or_init(|| {
            let mut out = Vec::with_capacity(self.identity.body.len() / 4);
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            let _ = brotli::BrotliCompress(&mut &self.identity.body[..], &mut out, &params);
            let body = Bytes::from(out);
            Form {
                headers: form_headers(&self.base, body.len(), Some("br")),
                body,
            }
        })
    }

    /// The answer to a request: 304 when the client has this version, else the body in the
    /// best encoding the client accepts (compressing it here if it was not yet: callers on an
    /// async worker check `needs_compressing` first).
    pub(super) fn respond(&self, wants: &Wants) -> Response {
        if wants.has_this(&self.base) {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            *response.headers_mut() = self.not_modified.clone();
            return response;
        }
        let form = match wants.encoding {
            Encoding::Brotli => self.brotli(),
            Encoding::Gzip => self.gzip(),
            Encoding::Identity => &self.identity,
        };
        let mut response = if wants.head {
            Response::new(Body::empty())
        } else {
            Response::new(Body::from(form.body.clone()))
        };
        *response.headers_mut() = form.headers.clone();
        response
    }

    #[cfg(test)]
    pub(super) fn body(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Brotli => self.brotli().body.clone(),
            Encoding::Gzip => self.gzip().body.clone(),
            Encoding::Identity => self.identity.body.clone(),
        }
    }
}

/// `base` with the content headers of one form.
fn form_headers(base: &HeaderMap, length: usize, encoding: Option<&'static str>) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(base.len() + 2);
    headers.extend(
        base.iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    headers
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// What a request asks of a cached page, read before the request is handed on.
pub(super) struct Wants {
    pub(super) head: bool,
    pub(super) encoding: Encoding,
    if_none_match: Option<HeaderValue>,
}

impl Wants {
    pub(super) fn of<B>(request: &Request<B>) -> Wants {
        Wants {
            head: request.method() == Method::HEAD,
            encoding: accepted(request.headers()),
            if_none_match: request.headers().get(header::IF_NONE_MATCH).cloned(),
        }
    }

    /// Whether the client already has the version whose validators are in `headers`.
    fn has_this(&self, headers: &HeaderMap) -> bool {
        match (&self.if_none_match, headers.get(header::ETAG)) {
            (Some(tags), Some(etag)) => etag_matches(tags, etag),
            _ => false,
        }
    }
}

/// The encoding to send: brotli over gzip over none, honouring `q=0` refusals.
pub(super) fn accepted(headers: &HeaderMap) -> Encoding {
    let mut brotli = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for part in value.split(',') {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("").trim();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if name.eq_ignore_ascii_case("br") {
                brotli = !refused;
            } else if name.eq_ignore_ascii_case("gzip") {
                gzip = !refused;
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
