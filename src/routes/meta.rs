//! What a public page tells browsers, search engines and link previews about itself: its
//! canonical address (always from `PYKB_BASE_URL`, never the request's `Host`), a description
//! and OpenGraph tags; and for questions, schema.org `QAPage` data.

use crate::config::Config;
use crate::render::script_safe_json;

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
    /// The answer's text as a JSON string literal already safe inside `<script>`
    /// (`render::script_safe_json`), made when the body was saved: answers are long, and a
    /// page view should not escape them again.
    pub answer_json: &'a str,
    pub created_iso: &'a str,
    pub updated_iso: &'a str,
}

impl QaPage<'_> {
    /// The JSON, safe inside `<script type="application/ld+json">`: `<`, `>` and `&` are
    /// written as `\u003c`, `\u003e` and `\u0026`, so no text in it can close the element.
    pub fn to_json_ld(&self) -> String {
        let text = if self.details.is_empty() {
            self.question
        } else {
            self.details
        };
        let [url, name, text, created, updated] = [
            self.url,
            self.question,
            text,
            self.created_iso,
            self.updated_iso,
        ]
        .map(script_safe_json);
        let author = r#"{"@type":"Organization","name":"pykb"}"#;
        format!(
            r#"{{"@context":"https://schema.org","@type":"QAPage","mainEntity":{{"@type":"Question","name":{name},"text":{text},"answerCount":1,"dateCreated":{created},"author":{author},"acceptedAnswer":{{"@type":"Answer","text":{answer},"url":{url},"dateCreated":{created},"dateModified":{updated},"upvoteCount":0,"author":{author}}}}}}}"#,
            answer = self.answer_json,
        )
    }
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
            answer_json: &script_safe_json("Because a > b && c < d."),
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
        assert_eq!(
            back["mainEntity"]["acceptedAnswer"]["text"],
            "Because a > b && c < d."
        );
        assert_eq!(back["mainEntity"]["acceptedAnswer"]["url"], page.url);
        assert_eq!(
            back["mainEntity"]["acceptedAnswer"]["dateModified"],
            page.updated_iso
        );
        assert_eq!(back["mainEntity"]["author"]["name"], "pykb");
        assert_eq!(back["@type"], "QAPage");
    }
}
