//! Turning data into HTML: the template responder and the Markdown renderer.

mod asked_as;
mod body;
mod check;
mod highlight;
mod links;
mod markdown;
mod nesting;

#[cfg(test)]
mod fuzz_tests;

pub use body::{RenderedBody, render_body};
pub use check::{BodyProblem, check_body};
pub use highlight::stylesheet as highlight_stylesheet;
pub use links::{unlink_unpublished, unlink_unpublished_markdown};
pub use markdown::{Heading, Outline, RENDER_VERSION, Section, headings, outline, render_markdown};
pub use nesting::{MAX_NESTING, too_deep_line};

/// `render_body` in the bounded render pool, off the async workers (see `cpu`).
pub async fn render_body_pooled(markdown: String) -> Result<RenderedBody, crate::cpu::Busy> {
    crate::cpu::RENDER.run(move || render_body(&markdown)).await
}

/// `render_markdown` in the bounded render pool (previews).
pub async fn render_markdown_pooled(markdown: String) -> Result<String, crate::cpu::Busy> {
    crate::cpu::RENDER
        .run(move || render_markdown(&markdown))
        .await
}

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Renders an askama template as an HTML response; a template that fails to render becomes
/// our 500 page rather than a blank response.
pub struct HtmlTemplate<T>(pub T);

impl<T: Template> IntoResponse for HtmlTemplate<T> {
    fn into_response(self) -> Response {
        html_response(self.0.render())
    }
}

/// Renders a template whose output is mostly `large` bytes of stored HTML into a buffer sized
/// for it up front: growing a String by doubling copies a long article several times.
pub fn render_sized<T: Template>(template: &T, large: usize) -> Response {
    let mut html = String::with_capacity(large + T::SIZE_HINT.max(16 * 1024));
    html_response(template.render_into(&mut html).map(|()| html))
}

fn html_response(rendered: askama::Result<String>) -> Response {
    match rendered {
        Ok(html) => Html(html).into_response(),
        Err(err) => crate::Error::Internal(err.into()).into_response(),
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

/// `text` as a JSON string literal that is also safe inside a `<script>` element: `<`, `>` and
/// `&` are written as `\u003c`, `\u003e` and `\u0026`, which JSON parsers read back unchanged,
/// so no text can close the element or start a comment in it.
pub fn script_safe_json(text: &str) -> String {
    // Serializing a string cannot fail.
    let json = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    let mut rest = json.as_str();
    while let Some(at) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// `text` without the characters XML 1.0 does not allow (control characters other than tab,
/// newline and carriage return; U+FFFE and U+FFFF), which no escape can represent. Returns the
/// text unchanged, without copying, when it has none.
pub fn without_non_xml_chars(text: String) -> String {
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.chars().all(allowed) {
        return text;
    }
    text.chars().filter(|&c| allowed(c)).collect()
}

/// Percent-encodes a query-string value.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Escapes text for HTML content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
