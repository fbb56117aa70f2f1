//! Everything a page needs from a body, worked out once when the body is saved: the HTML, the
//! headings for the table of contents, the prose for structured data, and the entries it links
//! to. Serving a page reads these instead of parsing the Markdown again.

use super::links::linked_slugs;
use super::markdown::{headings, outline, render_markdown};

/// A body rendered for storage next to its Markdown (see `migrations/0003_page_parts.sql`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    /// Sanitized HTML, safe to insert into a page unescaped.
    pub html: String,
    /// The headings with their ids on the page, as a JSON array of `Heading`.
    pub headings: String,
    /// The prose without code or markup, trimmed: a question's answer in schema.org data.
    pub answer: String,
    /// The slugs of the entries the HTML links to, as a sorted JSON array of strings.
    pub links: String,
}

pub fn render_body(markdown: &str) -> RenderedBody {
    let html = render_markdown(markdown);
    // Serializing strings and small integers cannot fail; an empty list is the safe answer
    // should it ever.
    let headings = serde_json::to_string(&headings(markdown)).unwrap_or_else(|_| "[]".into());
    let links = serde_json::to_string(&linked_slugs(&html)).unwrap_or_else(|_| "[]".into());
    let answer = outline(markdown).prose.trim().to_owned();
    RenderedBody {
        html,
        headings,
        answer,
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Heading;

    #[test]
    fn the_parts_agree_with_the_renderer() {
        let body = "Intro with [a link](/q/gil#why).\n\n## First\n\ntext\n\n```python\nx = 1\n```\n\n\
                    ### Inner\n\nSee [this](/q/abc) and [that](/q/gil).\n";
        let rendered = render_body(body);
        assert_eq!(rendered.html, render_markdown(body));
        let parsed: Vec<Heading> = serde_json::from_str(&rendered.headings).unwrap();
        assert_eq!(parsed, headings(body));
        assert_eq!(
            parsed.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["first", "inner"]
        );
        assert_eq!(rendered.links, r#"["abc","gil"]"#);
        assert!(
            rendered.answer.starts_with("Intro with a link."),
            "{}",
            rendered.answer
        );
        assert!(!rendered.answer.contains("x = 1"), "{}", rendered.answer);
    }
}
