//! Everything a page needs from a body, worked out once when the body is saved: the HTML, the
//! headings for the table of contents, the prose for structured data, and the entries it links
//! to. Serving a page reads these instead of parsing the Markdown again.

use super::links::linked_slugs;
use super::markdown::{headings, outline, render_markdown};
use super::script_safe_json;

/// A body rendered for storage next to its Markdown (see `migrations/0003_page_parts.sql`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    /// Sanitized HTML, safe to insert into a page unescaped.
    pub html: String,
    /// The headings with their ids on the page, as a JSON array of `Heading`.
    pub headings: String,
    /// The prose without code or markup, trimmed, as a JSON string literal safe inside
    /// `<script>` (`script_safe_json`): a question's answer in schema.org data.
    pub answer_json: String,
    /// The slugs of the entries the HTML links to, as a sorted JSON array of strings.
    pub links: String,
}

pub fn render_body(markdown: &str) -> RenderedBody {
    let html = render_markdown(markdown);
    // Serializing strings and small integers cannot fail; an empty list is the safe answer
    // should it ever.
    let headings = serde_json::to_string(&headings(markdown)).unwrap_or_else(|_| "[]".into());
    let links = serde_json::to_string(&linked_slugs(&html)).unwrap_or_else(|_| "[]".into());
    let answer_json = script_safe_json(outline(markdown).prose.trim());
    RenderedBody {
        html,
        headings,
        answer_json,
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
        let answer: String = serde_json::from_str(&rendered.answer_json).unwrap();
        assert!(answer.starts_with("Intro with a link."), "{answer}");
        assert!(!answer.contains("x = 1"), "{answer}");
    }
}
