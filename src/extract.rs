//! Our own extractors: the same as axum's, but a rejection becomes our 400 page instead of
//! axum's plain-text message.

use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::Error;

/// Path parameters; a malformed path (e.g. invalid percent-encoding) is a 400.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(Error::BadRequest(format!(
                "This address is not valid: {}.",
                rejection.body_text()
            ))),
        }
    }
}

/// Query-string parameters; a malformed query string is a 400 that says what is wrong.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(Error::BadRequest(format!(
                "The query string is not valid: {}.",
                rejection.body_text()
            ))),
        }
    }
}

/// Query-string parameters of an `/api` route: a malformed query string is a JSON 400.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(err) => Err(crate::error::ApiError(err)),
        }
    }
}

/// A URL-encoded form body; a body too large is a 413, a malformed one a 400, each with our
/// page and a message.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        match axum::extract::Form::<T>::from_request(request, state).await {
            Ok(axum::extract::Form(value)) => Ok(Form(value)),
            Err(FormRejection::BytesRejection(rejection))
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(Error::form_too_large())
            }
            Err(rejection) => Err(Error::BadRequest(format!(
                "The form could not be read: {}.",
                rejection.body_text()
            ))),
        }
    }
}

/// Path parameters of an `/api` route: a malformed path is a JSON 400.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(err) => Err(crate::error::ApiError(err)),
        }
    }
}

/// A `?page=N` parameter: 1 when absent or empty, a 400 with a message for anything that is not
/// a page number (1 to a million).
pub fn page_number(text: Option<&str>) -> Result<i64, Error> {
    match text.map(str::trim) {
        None | Some("") => Ok(1),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| {
                Error::BadRequest(format!(
                    "“{text}” is not a page number: use ?page=1, 2, 3 …"
                ))
            }),
    }
}
