//! "Also asked as": a paragraph that lists other ways a question is put, in the words readers
//! use (`*Also asked as:* How do I …? · Why does …?`). In a page's introduction it speaks for
//! the page; right under a heading, for that section. Search treats the phrasings like a title
//! of what they speak for, and keeps them out of the prose, so that the introduction (or a
//! section) is not drawn to queries by words that describe something else.

/// What the paragraph's emphasized start reads as plain text.
const MARKER: &str = "Also asked as:";
/// Phrasings kept at most per paragraph, and their length at most in bytes: bounds on what one
/// article adds to the index.
const MAX_PHRASINGS: usize = 12;
const MAX_LEN: usize = 200;

/// The phrasings of a paragraph, given as the plain text the Markdown parser gives (`*Also
/// asked as:*` is emphasis, so it reads "Also asked as: …"); `None` for any other paragraph.
/// A paragraph wrapped over several lines reads as one.
pub fn phrasings(paragraph: &str) -> Option<Vec<String>> {
    let rest = paragraph.trim_start().strip_prefix(MARKER)?;
    let text = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(
        text.split(" · ")
            .map(|p| p.trim_matches(|c: char| c.is_whitespace() || c == '·'))
            .filter(|p| !p.is_empty())
            .take(MAX_PHRASINGS)
            .map(|p| p[..p.floor_char_boundary(MAX_LEN)].to_owned())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrasings_are_split_on_middle_dots_and_wrapped_lines_joined() {
        assert_eq!(
            phrasings("Also asked as: How do I x? · Why\ny? ·  \n· What z?"),
            Some(vec![
                "How do I x?".into(),
                "Why y?".into(),
                "What z?".into()
            ])
        );
        assert_eq!(
            phrasings("Also asked as: One? ·"),
            Some(vec!["One?".into()])
        );
        assert_eq!(phrasings("Asked as: no."), None);
        assert_eq!(phrasings("It is also asked as: no."), None);
    }

    #[test]
    fn phrasings_are_bounded() {
        let many = format!("Also asked as: {}", vec!["q?"; 40].join(" · "));
        assert_eq!(phrasings(&many).map(|p| p.len()), Some(MAX_PHRASINGS));
        let long = format!("Also asked as: {}", "é".repeat(300));
        let found = phrasings(&long).unwrap_or_default();
        assert!(found[0].len() <= MAX_LEN && !found[0].is_empty());
    }
}
