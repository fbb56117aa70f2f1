//! What a public page tells browsers, search engines and link previews about itself: its
//! canonical address (always from `PYKB_BASE_URL`, never the request's `Host`), a description
//! and OpenGraph tags; and for questions, schema.org `QAPage` data.

use crate::config::Config;

/// The head metadata of a public page (see the `meta` macro in `_macros.html`).
pub struct Meta {
    /// Absolute.
    pub canonical: String,
    pub title: String,
    pub description: String,
    /// OpenGraph type: `article` for entries, `website` for the rest.
    pub og_type: &'static str,
}

/// What pages say when they have nothing more specific.
pub const SITE_DESCRIPTION: &str =
    "Python interview questions with clear, verified answers and runnable examples.";

impl Meta {
    /// `path_and_query` starts with `/`.
    pub fn new(config: &Config, path_and_query: &str, title: &str, description: &str) -> Self {
        let description = match description.trim() {
            "" => SITE_DESCRIPTION,
            text => text,
        };
        Self {
            canonical: format!("{}{path_and_query}", config.base_url),
            title: title.to_owned(),
            description: description.to_owned(),
            og_type: "website",
        }
    }

    pub fn article(mut self) -> Self {
        self.og_type = "article";
        self
    }
}

/// One question and its answer as schema.org `QAPage` JSON-LD.
pub struct QaPage<'a> {
    pub url: &'a str,
    pub question: &'a str,
    /// The question's longer text, if any (its summary).
    pub details: &'a str,
    pub answer: &'a str,
    pub created_iso: &'a str,
    pub updated_iso: &'a str,
}

impl QaPage<'_> {
    /// The JSON, safe inside `<script type="application/ld+json">`: `<`, `>` and `&` are
    /// written as `\u003c`, `\u003e` and `\u0026`, so no text in it can close the element.
    pub fn to_json_ld(&self) -> String {
        let author = Organization {
            kind: "Organization",
            name: "pykb",
        };
        let data = JsonLd {
            context: "https://schema.org",
            kind: "QAPage",
            main_entity: Question {
                kind: "Question",
                name: self.question,
                text: if self.details.is_empty() {
                    self.question
                } else {
                    self.details
                },
                answer_count: 1,
                date_created: self.created_iso,
                author: &author,
                accepted_answer: Answer {
                    kind: "Answer",
                    text: self.answer,
                    url: self.url,
                    date_created: self.created_iso,
                    date_modified: self.updated_iso,
                    upvote_count: 0,
                    author: &author,
                },
            },
        };
        // Serializing borrowed strings and integers cannot fail.
        script_safe(&serde_json::to_string(&data).unwrap_or_default())
    }
}

// schema.org's shapes, serialized straight from borrowed text: answers are long, and a page
// view should not copy them into a `serde_json::Value` first.
#[derive(serde::Serialize)]
struct JsonLd<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "mainEntity")]
    main_entity: Question<'a>,
}

#[derive(serde::Serialize)]
struct Question<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    text: &'a str,
    #[serde(rename = "answerCount")]
    answer_count: u32,
    #[serde(rename = "dateCreated")]
    date_created: &'a str,
    author: &'a Organization<'a>,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: Answer<'a>,
}

#[derive(serde::Serialize)]
struct Answer<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    text: &'a str,
    url: &'a str,
    #[serde(rename = "dateCreated")]
    date_created: &'a str,
    #[serde(rename = "dateModified")]
    date_modified: &'a str,
    #[serde(rename = "upvoteCount")]
    upvote_count: u32,
    author: &'a Organization<'a>,
}

#[derive(serde::Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
}

/// JSON text with the characters that could end a `<script>` element (or start a comment or
/// an entity in it) escaped as JSON `\u` sequences, which JSON parsers read back unchanged.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    let mut rest = json;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let page = QaPage {
            url: "https://kb.example/q/x",
            question: "Why </script><script>alert(1)</script> & <!-- ?",
            details: "",
            answer: "Because a > b && c < d.",
            created_iso: "2026-01-01T00:00:00Z",
            updated_iso: "2026-01-02T00:00:00Z",
        };
        let text = page.to_json_ld();
        for bad in ['<', '>', '&'] {
            assert!(!text.contains(bad), "{text}");
        }
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["mainEntity"]["name"], page.question);
        assert_eq!(back["mainEntity"]["text"], page.question);
        assert_eq!(back["mainEntity"]["acceptedAnswer"]["text"], page.answer);
        assert_eq!(back["@type"], "QAPage");
    }
}
