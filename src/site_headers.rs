//! The headers every answer carries: the content security policy (unless a handler set its
//! own), no MIME sniffing, the referrer and opener policies, and HSTS when the site is served
//! over https. One list, applied by a layer to everything the router answers and built into
//! each cached page's headers (see `page_cache::front`), so both paths send the same.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;
use std::sync::Arc;

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub struct SiteHeaders {
    /// Set on every answer, replacing a handler's.
    overriding: HeaderMap,
}

impl SiteHeaders {
    /// The headers for a site served over https (`https`) or plain http.
    pub fn new(https: bool) -> Self {
        let mut overriding = HeaderMap::new();
        overriding.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        overriding.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        overriding.insert(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
        if https {
            overriding.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=63072000; includeSubDomains"),
            );
        }
        Self { overriding }
    }

    pub fn apply(&self, headers: &mut HeaderMap) {
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            );
        }
        for (name, value) in &self.overriding {
            headers.insert(name.clone(), value.clone());
        }
    }
}

/// The layer's function (`axum::middleware::map_response_with_state`).
pub async fn add(State(site): State<Arc<SiteHeaders>>, mut response: Response) -> Response {
    site.apply(response.headers_mut());
    response
}
