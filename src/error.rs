//! The one error type of the web layer. Every failure a handler can meet is a variant here, and
//! one `match` decides its status. Users see a page in the site's layout with a plain message;
//! internal causes are logged, never shown.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such page, or one readers may not see (drafts, trashed entries).
    #[error("not found")]
    NotFound,
    /// The request itself is malformed: a bad path, query string or form encoding.
    #[error("{0}")]
    BadRequest(String),
    /// The request is not allowed (a missing or wrong CSRF token, a foreign Origin, a role).
    #[error("{0}")]
    Forbidden(String),
    /// The path exists, but not for this method; the response lists the allowed ones.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request took longer than the server allows.
    #[error("timeout")]
    Timeout,
    /// The request body is larger than we accept.
    #[error("{0}")]
    TooLarge(String),
    /// Too many attempts (failed sign-ins); the client may retry after this many seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// A dependency (database, search index) cannot serve right now; retry later.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an unexpected failure. Logged with its cause; users see a generic message.
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// A database that is busy or full is a 503 the client may retry, not a 500.
impl From<anyhow::Error> for Error {
    fn from(err: anyhow::Error) -> Self {
        if let Some(busy) = err.downcast_ref::<crate::cpu::Busy>() {
            return Error::from(*busy);
        }
        match crate::db::transient_failure(err.as_ref()) {
            Some(transient) => {
                tracing::warn!(
                    error = format!("{err:#}"),
                    "the database cannot serve this request for now (503)"
                );
                Error::Unavailable(transient.message().to_owned())
            }
            None => Error::Internal(err),
        }
    }
}

/// A CPU pool with no free slot in time: the client may retry.
impl From<crate::cpu::Busy> for Error {
    fn from(busy: crate::cpu::Busy) -> Self {
        tracing::warn!(work = busy.what, "refused: the pool is full");
        Error::Unavailable(busy.to_string())
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        Error::from(anyhow::Error::from(err))
    }
}

impl Error {
    /// A request body over `app::MAX_BODY_BYTES`.
    pub fn form_too_large() -> Self {
        Error::TooLarge(
            "The form is larger than the server accepts (1 MiB). Shorten the text and send it \
             again; use your browser's Back button to get your text back."
                .to_owned(),
        )
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Timeout => StatusCode::REQUEST_TIMEOUT,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the user is told: never an internal cause.
    pub fn public_message(&self) -> String {
        match self {
            Error::NotFound => "There is no page at this address. It may have been moved or \
                                removed; try searching for it."
                .to_owned(),
            Error::BadRequest(message)
            | Error::Forbidden(message)
            | Error::TooLarge(message)
            | Error::TooManyRequests { message, .. }
            | Error::Unavailable(message) => message.clone(),
            Error::MethodNotAllowed => "This address does not accept that kind of request \
                                        (method). Follow a link or use the site's forms instead."
                .to_owned(),
            Error::Timeout => "This request took too long and was stopped. A change is saved \
                               whole or not at all: reload the page to see which, then try \
                               again."
                .to_owned(),
            Error::Internal(_) => "Something went wrong on our side. The error has been \
                                   logged; please try again in a moment."
                .to_owned(),
        }
    }

    fn log(&self) {
        if let Error::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
    }

    /// Seconds after which a retry may succeed, for the `Retry-After` header.
    fn retry_after(&self) -> Option<u64> {
        match self {
            Error::TooManyRequests { retry_after, .. } => Some(*retry_after),
            Error::Unavailable(_) => Some(5),
            _ => None,
        }
    }

    /// The same error as JSON, for the `/api` routes.
    pub fn into_json_response(self) -> Response {
        self.log();
        let status = self.status();
        let body = serde_json::json!({ "error": { "status": status.as_u16(), "message": self.public_message() } });
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after() {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<crate::search::SearchError> for Error {
    fn from(err: crate::search::SearchError) -> Self {
        match err {
            crate::search::SearchError::Busy | crate::search::SearchError::NotReady => {
                Error::Unavailable(err.to_string())
            }
            crate::search::SearchError::Internal(cause) => Error::Internal(cause),
        }
    }
}

/// An error of a `/api` route: the same variants, answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json_response()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub heading: &'static str,
    pub message: String,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let retry_after = self.retry_after();
        let page = ErrorPage {
            status: status.as_u16(),
            heading: match status {
                StatusCode::NOT_FOUND => "Page not found",
                StatusCode::BAD_REQUEST => "Bad request",
                StatusCode::FORBIDDEN => "Not allowed",
                StatusCode::PAYLOAD_TOO_LARGE => "Too large",
                StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
                StatusCode::METHOD_NOT_ALLOWED => "Method not allowed",
                StatusCode::REQUEST_TIMEOUT => "Request timed out",
                StatusCode::SERVICE_UNAVAILABLE => "Temporarily unavailable",
                _ => "Something went wrong",
            },
            message: self.public_message(),
        };
        let mut response = match page.render() {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            // The error page itself failed: fall back to text rather than recursing.
            Err(_) => (status, page.message).into_response(),
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
