//! "Also asked as": a paragraph of an article's introduction that lists other ways its
//! question is put (`*Also asked as:* How do I …? · Why does …?`). Search treats these
//! phrasings like the title: they say what the page as a whole answers, in the words readers
//! use. Kept out of the introduction's own text, so a query about one section is not drawn to
//! the introduction by them.

/// How the paragraph starts, as editors write it.
const MARKER: &str = "*Also asked as:*";
/// Phrasings kept at most, and their length at most in bytes: bounds on what one article
/// adds to the index.
const MAX_PHRASINGS: usize = 12;
const MAX_LEN: usize = 200;

/// The phrasings of `body`'s "Also asked as" paragraph (in its introduction, before the first
/// heading), and the body without that paragraph.
pub fn split(body: &str) -> (Vec<String>, String) {
    let mut in_code = false;
    let mut lines = body.lines().enumerate();
    let found = lines.find_map(|(i, line)| {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        if in_code {
            return None;
        }
        let after_hashes = trimmed.trim_start_matches('#');
        if trimmed.starts_with('#') && (after_hashes.is_empty() || after_hashes.starts_with(' ')) {
            // The first heading ends the introduction.
            return Some(None);
        }
        trimmed.strip_prefix(MARKER).map(|rest| Some((i, rest)))
    });
    let Some(Some((index, rest))) = found else {
        return (Vec::new(), body.to_owned());
    };
    let phrasings = rest
        .split(" · ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(MAX_PHRASINGS)
        .map(|p| truncate(p, MAX_LEN).to_owned())
        .collect();
    let without: Vec<&str> = body
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, line)| line)
        .collect();
    (phrasings, without.join("\n"))
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
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
    fn only_the_introduction_counts_and_code_is_not_read() {
        let later = "Intro.\n\n## A\n\n*Also asked as:* Not this?";
        assert_eq!(split(later), (Vec::new(), later.to_owned()));
        let in_code = "```\n*Also asked as:* Code?\n```\n";
        assert!(split(in_code).0.is_empty());
        let not_a_heading = "#!/usr/bin/env python3 runs it.\n\n*Also asked as:* Run it?";
        assert_eq!(split(not_a_heading).0, ["Run it?"]);
        let long = format!("*Also asked as:* {}", "é".repeat(300));
        assert!(split(&long).0[0].len() <= MAX_LEN);
    }
}
