//! Static assets (CSS, icons, scripts), embedded in the binary. Each is served under a
//! content-hashed name with a one-year immutable cache, and under its plain name with an ETag.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::extract::Path;

pub struct Asset {
    pub bytes: Cow<'static, [u8]>,
    pub content_type: &'static str,
    /// `name.0123456789.ext`: changes whenever the content does.
    pub hashed_name: String,
    pub etag: String,
}

struct Assets {
    by_name: HashMap<String, Asset>,
    /// Hashed name -> plain name.
    hashed: HashMap<String, String>,
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let mut files: Vec<(String, Cow<'static, [u8]>)> = crate::content::static_files()
        .iter()
        .map(|(name, bytes)| ((*name).to_owned(), Cow::Borrowed(*bytes)))
        .collect();
    files.push((
        "highlight.css".to_owned(),
        Cow::Owned(crate::render::highlight_stylesheet().into_bytes()),
    ));
    let mut assets = Assets {
        by_name: HashMap::new(),
        hashed: HashMap::new(),
    };
    for (name, bytes) in files {
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .take(5)
            .map(|b| format!("{b:02x}"))
            .collect();
        let hashed_name = match name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{digest}.{ext}"),
            None => format!("{name}.{digest}"),
        };
        assets.hashed.insert(hashed_name.clone(), name.clone());
        let asset = Asset {
            content_type: content_type(&name),
            etag: format!("\"{digest}\""),
            hashed_name,
            bytes,
        };
        assets.by_name.insert(name, asset);
    }
    assets
});

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("json") | Some("webmanifest") => "application/json",
        _ => "application/octet-stream",
    }
}

/// The URL of an asset by its plain name, e.g. `url("style.css")` -> `/static/style.ab12cd34ef.css`.
/// Templates call this, so a page always references the current content.
pub fn url(name: &str) -> String {
    match ASSETS.by_name.get(name) {
        Some(asset) => format!("/static/{}", asset.hashed_name),
        None => format!("/static/{name}"),
    }
}

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Result<Response, Error> {
    if let Some(name) = ASSETS.hashed.get(&file) {
        let asset = &ASSETS.by_name[name];
        return Ok(respond(
            asset,
            "public, max-age=31536000, immutable",
            &headers,
        ));
    }
    match ASSETS.by_name.get(&file) {
        Some(asset) => Ok(respond(asset, "public, max-age=3600", &headers)),
        None => Err(Error::NotFound),
    }
}

fn respond(asset: &Asset, cache: &'static str, request: &HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&asset.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == asset.etag || tag.trim() == "*")
        });
    let headers = [
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        (header::ETAG, etag),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let body = match &asset.bytes {
        Cow::Borrowed(bytes) => Body::from(*bytes),
        Cow::Owned(bytes) => Body::from(bytes.clone()),
    };
    (headers, [(header::CONTENT_TYPE, asset.content_type)], body).into_response()
}
