//! "Also asked as": a paragraph of an article's introduction that lists other ways its
//! question is put (`*Also asked as:* How do I …? · Why does …?`). Search treats these
//! phrasings like the title: they say what the page as a whole answers, in the words readers
//! use. Kept out of the introduction's own text, so a query about one section is not drawn to
//! the introduction by them.

use std::borrow::Cow;

/// How the paragraph starts, as editors write it.
const MARKER: &str = "*Also asked as:*";
/// Phrasings kept at most, and their length at most in bytes: bounds on what one article
/// adds to the index.
const MAX_PHRASINGS: usize = 12;
const MAX_LEN: usize = 200;

/// The phrasings of `body`'s "Also asked as" paragraph (in its introduction, before the first
/// heading; it may be wrapped over several lines), and the body without that paragraph.
pub fn split(body: &str) -> (Vec<String>, Cow<'_, str>) {
    if !body.contains(MARKER) {
        return (Vec::new(), Cow::Borrowed(body));
    }
    let lines: Vec<&str> = body.lines().collect();
    let Some(first) = marker_line(&lines) else {
        return (Vec::new(), Cow::Borrowed(body));
    };
    // The paragraph runs to the next blank line or heading.
    let end = lines[first + 1..]
        .iter()
        .position(|line| line.trim().is_empty() || is_heading(line))
        .map_or(lines.len(), |n| first + 1 + n);
    let mut text = lines[first].trim_start()[MARKER.len()..].to_owned();
    for line in &lines[first + 1..end] {
        text.push(' ');
        text.push_str(line.trim());
    }
    let phrasings = text
        .split(" · ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(MAX_PHRASINGS)
        .map(|p| p[..p.floor_char_boundary(MAX_LEN)].to_owned())
        .collect();
    let mut without = lines[..first].to_vec();
    without.extend_from_slice(&lines[end..]);
    (phrasings, Cow::Owned(without.join("\n")))
}

/// The line that starts the paragraph, if the introduction has one (code blocks are skipped).
fn marker_line(lines: &[&str]) -> Option<usize> {
    let mut in_code = false;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if is_heading(line) {
            // The first heading ends the introduction.
            return None;
        }
        if trimmed.starts_with(MARKER) {
            return Some(i);
        }
    }
    None
}

/// An ATX heading (`## Title`); `#!` or `#hashtag` is text.
fn is_heading(line: &str) -> bool {
    let trimmed = line.trim_start();
    let after_hashes = trimmed.trim_start_matches('#');
    trimmed.starts_with('#') && (after_hashes.is_empty() || after_hashes.starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paragraph_in_the_introduction_is_split_off() {
        let body =
            "The answer.\n\n*Also asked as:* How do I `x`? · Why y? ·  \n\n## Details\n\nMore.";
        let (phrasings, rest) = split(body);
        assert_eq!(phrasings, ["How do I `x`?", "Why y?"]);
        assert_eq!(rest, "The answer.\n\n\n## Details\n\nMore.");
    }

    #[test]
    fn a_wrapped_paragraph_is_read_to_its_end() {
        let body = "Intro.\n\n*Also asked as:* How do I `x`? ·\nWhy y?\n· What z?\nText right after.\n\nMore intro.\n\n## A";
        let (phrasings, rest) = split(body);
        assert_eq!(
            phrasings,
            ["How do I `x`?", "Why y?", "What z? Text right after."]
        );
        assert_eq!(rest, "Intro.\n\n\nMore intro.\n\n## A");
        let at_the_end = "Intro.\n*Also asked as:* One? · Two?";
        assert_eq!(
            split(at_the_end),
            (
                vec!["One?".to_owned(), "Two?".to_owned()],
                Cow::Borrowed("Intro.")
            )
        );
    }

    #[test]
    fn only_the_introduction_counts_and_code_is_not_read() {
        let later = "Intro.\n\n## A\n\n*Also asked as:* Not this?";
        assert_eq!(split(later), (Vec::new(), Cow::Borrowed(later)));
        let in_code = "```\n*Also asked as:* Code?\n```\n";
        assert!(split(in_code).0.is_empty());
        let not_a_heading = "#!/usr/bin/env python3 runs it.\n\n*Also asked as:* Run it?";
        assert_eq!(split(not_a_heading).0, ["Run it?"]);
        let long = format!("*Also asked as:* {}", "é".repeat(300));
        assert!(split(&long).0[0].len() <= MAX_LEN);
    }
}
