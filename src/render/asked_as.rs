//! "Also asked as": a paragraph that lists other ways a question is put, in the words readers
//! use (`*Also asked as:* How do I …? · Why does …?`). In a page's introduction it speaks for
//! the page; in a section (written right under its heading), for that section. Search treats
//! the phrasings like a title of what they speak for, and keeps them out of the prose, so that
//! the introduction (or a section) is not drawn to queries by words that describe something
//! else. Readers see the paragraph, marked as a note.

use pulldown_cmark::{Event, Tag, TagEnd};

/// What the paragraph's emphasized start reads.
const MARKER: &str = "Also asked as:";
/// Phrasings kept at most per section (or introduction), and their length at most in bytes:
/// bounds on what one section adds to the index.
pub const MAX_PHRASINGS: usize = 12;
const MAX_LEN: usize = 200;

/// Whether `events` open an "Also asked as" paragraph: a paragraph that starts with the
/// emphasized marker. The outline search reads and the rendered page both ask this, so the
/// paragraph search takes phrasings from is the one readers see marked as such. Only
/// paragraphs outside lists and quotes count; the caller knows where it is.
pub fn opens_paragraph(events: &[Event]) -> bool {
    matches!(
        events,
        [
            Event::Start(Tag::Paragraph),
            Event::Start(Tag::Emphasis),
            Event::Text(text),
            Event::End(TagEnd::Emphasis),
            ..
        ] if text.trim() == MARKER
    )
}

/// The phrasings of such a paragraph, given as the plain text the Markdown parser gives ("Also
/// asked as: …"). A paragraph wrapped over several lines reads as one.
pub fn phrasings(paragraph: &str) -> Vec<String> {
    let rest = paragraph.trim_start();
    let rest = rest.strip_prefix(MARKER).unwrap_or(rest);
    let text = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    text.split(" · ")
        .map(|p| p.trim_matches(|c: char| c.is_whitespace() || c == '·'))
        .filter(|p| !p.is_empty())
        .take(MAX_PHRASINGS)
        .map(|p| p[..p.floor_char_boundary(MAX_LEN)].to_owned())
        .collect()
}

/// How deep in lists and block quotes an event stream is, so that only top-level paragraphs
/// are read as "Also asked as" (a quoted example of one is text).
#[derive(Debug, Default)]
pub struct Nesting(usize);

impl Nesting {
    /// Follows `event`; returns whether the stream is at the top level after it.
    pub fn follow(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(Tag::Item | Tag::BlockQuote(_)) => self.0 += 1,
            Event::End(TagEnd::Item | TagEnd::BlockQuote(_)) => self.0 = self.0.saturating_sub(1),
            _ => {}
        }
        self.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn opens(markdown: &str) -> bool {
        let events: Vec<Event> = Parser::new(markdown).collect();
        opens_paragraph(&events)
    }

    #[test]
    fn only_the_emphasized_marker_opens_the_paragraph() {
        assert!(opens("*Also asked as:* One? · Two?"));
        assert!(opens("_Also asked as:_ One?"));
        assert!(!opens("Also asked as: plain text."));
        assert!(!opens("*Also asked as*: outside the emphasis."));
        assert!(!opens("*Also asked as: all in italics?*"));
        assert!(!opens("*Note:* Also asked as: no."));
    }

    #[test]
    fn phrasings_are_split_on_middle_dots_and_wrapped_lines_joined() {
        assert_eq!(
            phrasings("Also asked as: How do I x? · Why\ny? ·  \n· What z?"),
            ["How do I x?", "Why y?", "What z?"]
        );
        assert_eq!(phrasings("Also asked as: One? ·"), ["One?"]);
    }

    #[test]
    fn phrasings_are_bounded() {
        let many = format!("Also asked as: {}", vec!["q?"; 40].join(" · "));
        assert_eq!(phrasings(&many).len(), MAX_PHRASINGS);
        let long = format!("Also asked as: {}", "é".repeat(300));
        let found = phrasings(&long);
        assert!(found[0].len() <= MAX_LEN && !found[0].is_empty());
    }
}
