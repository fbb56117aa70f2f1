//! Turning data into HTML: the template responder and the Markdown renderer.

mod highlight;
mod markdown;

pub use highlight::stylesheet as highlight_stylesheet;
pub use markdown::{Outline, Section, outline, render_markdown};

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Renders an askama template as an HTML response; a template that fails to render becomes
/// our 500 page rather than a blank response.
pub struct HtmlTemplate<T>(pub T);

impl<T: Template> IntoResponse for HtmlTemplate<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => Html(html).into_response(),
            Err(err) => crate::Error::Internal(err.into()).into_response(),
        }
    }
}

/// Renders a template with a status other than 200 (errors, form re-renders).
pub fn with_status<T: Template>(status: StatusCode, template: T) -> Response {
    let mut response = HtmlTemplate(template).into_response();
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
}
