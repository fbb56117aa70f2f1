//! Result snippets: the passage of a document with the most query terms, escaped, with
//! `<mark>` around the first two matches of each word (a snippet with "is" marked six times
//! marks nothing useful).
//!
//! Our own rather than tantivy's `SnippetGenerator`, which assumes tokens arrive with growing
//! offsets; the Python tokenizer emits a compound and then its parts (`__del__`, `del`), and
//! tantivy then cuts fragments mid-token and panics on some documents.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use super::tokenizer::{analyze, is_operator, is_word, stemmed_analyzer};
use crate::render::escape_html;

/// Context kept before the first match of a snippet, in bytes.
const LEAD: usize = 40;
/// How many times one word is marked in a snippet.
const MARKS_PER_WORD: usize = 2;

/// Finds the query terms in stored text, for snippets and for a hit's best section.
///
/// This runs over every hit's whole body on every query, so it is a plain scan rather than the
/// indexing tokenizer (which allocates a string per token): words are lowercased into one
/// buffer, and a word is stemmed only when it could match, since stemming changes endings only
/// and each distinct word is stemmed once.
pub struct TermMatcher<'a> {
    terms: &'a BTreeMap<String, f32>,
    /// The first two characters of every term (the second absent for a one-letter term).
    starts: Vec<(char, Option<char>)>,
    stemmed: TextAnalyzer,
    stems_match: HashMap<String, bool>,
    word: String,
}

impl<'a> TermMatcher<'a> {
    pub fn new(terms: &'a BTreeMap<String, f32>) -> Self {
        let mut starts: Vec<(char, Option<char>)> = terms
            .keys()
            .filter_map(|t| {
                let mut chars = t.chars();
                Some((chars.next()?, chars.next()))
            })
            .collect();
        starts.sort_unstable();
        starts.dedup();
        TermMatcher {
            terms,
            starts,
            stemmed: stemmed_analyzer(),
            stems_match: HashMap::new(),
            word: String::new(),
        }
    }

    /// Byte ranges of the words that are query terms, sorted; overlapping matches and the
    /// parts of a dotted name (`re` `.` `split`) are merged into one range.
    pub fn matches(&mut self, text: &str) -> Vec<Range<usize>> {
        let kinds: &[CharKind; 128] = &ASCII_KINDS;
        let mut found: Vec<Range<usize>> = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let (kind, len) = CharKind::at(kinds, text, at);
            let from = at;
            at += len;
            if kind == CharKind::Other {
                continue;
            }
            while at < text.len() {
                let (next, len) = CharKind::at(kinds, text, at);
                if next != kind {
                    break;
                }
                at += len;
            }
            let to = at;
            let range = if kind == CharKind::Word {
                // `__del__` matches as itself or as `del`.
                let token = &text[from..to];
                if self.is_term(token) {
                    Some(from..to)
                } else if token.starts_with('_') || token.ends_with('_') {
                    let bare = token.trim_matches('_');
                    let lead = token.len() - token.trim_start_matches('_').len();
                    (!bare.is_empty() && self.is_term(bare))
                        .then(|| from + lead..from + lead + bare.len())
                } else {
                    None
                }
            } else {
                self.terms.contains_key(&text[from..to]).then_some(from..to)
            };
            if let Some(range) = range {
                match found.last_mut() {
                    Some(last)
                        if range.start == last.end + 1 && text[last.end..].starts_with('.') =>
                    {
                        last.end = range.end;
                    }
                    _ => found.push(range),
                }
            }
        }
        found
    }

    fn is_term(&mut self, word: &str) -> bool {
        let bytes = word.as_bytes();
        let (first, second) = match bytes {
            // Most words are ASCII: no Unicode lowercasing needed to look at their start.
            [a, rest @ ..] if a.is_ascii() && rest.first().is_none_or(u8::is_ascii) => (
                char::from(a.to_ascii_lowercase()),
                rest.first().map(|b| char::from(b.to_ascii_lowercase())),
            ),
            _ => {
                let mut lower = word.chars().flat_map(char::to_lowercase);
                let Some(first) = lower.next() else {
                    return false;
                };
                (first, lower.next())
            }
        };
        let could_match = self
            .starts
            .iter()
            .any(|&(a, b)| a == first && (b.is_none() || b == second));
        if !could_match {
            return false;
        }
        self.word.clear();
        if word.is_ascii() {
            self.word.push_str(word);
            self.word.make_ascii_lowercase();
        } else {
            self.word.extend(word.chars().flat_map(char::to_lowercase));
        }
        let word = self.word.as_str();
        if self.terms.contains_key(word) {
            return true;
        }
        if let Some(&known) = self.stems_match.get(word) {
            return known;
        }
        let matched = analyze(&mut self.stemmed, word)
            .first()
            .is_some_and(|stem| self.terms.contains_key(stem));
        self.stems_match.insert(word.to_owned(), matched);
        matched
    }

    /// The snippet of `text`: at most about `max_len` bytes, empty when no term occurs.
    pub fn snippet(&mut self, text: &str, max_len: usize) -> String {
        let matches = self.matches(text);
        let Some(window) = best_window(text, &matches, max_len) else {
            return String::new();
        };
        let mut html = String::with_capacity(window.len() + 64);
        if window.start > 0 {
            html.push('…');
        }
        let mut at = window.start;
        let mut marked: HashMap<String, usize> = HashMap::new();
        for m in matches
            .iter()
            .filter(|m| m.start >= window.start && m.end <= window.end)
        {
            let times = marked.entry(text[m.clone()].to_lowercase()).or_default();
            if *times >= MARKS_PER_WORD {
                continue;
            }
            *times += 1;
            html.push_str(&escape_html(&text[at..m.start]));
            html.push_str("<mark>");
            html.push_str(&escape_html(&text[m.clone()]));
            html.push_str("</mark>");
            at = m.end;
        }
        html.push_str(&escape_html(&text[at..window.end]));
        if window.end < text.len() {
            html.push('…');
        }
        html
    }
}

/// `CharKind::of` for every ASCII byte, worked out once: the scan classifies every character
/// of every hit's body, and most of them are ASCII.
static ASCII_KINDS: std::sync::LazyLock<[CharKind; 128]> = std::sync::LazyLock::new(|| {
    let mut kinds = [CharKind::Other; 128];
    for (byte, kind) in (0_u8..128).zip(kinds.iter_mut()) {
        *kind = CharKind::of(char::from(byte));
    }
    kinds
});

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Word,
    Operator,
    Other,
}

impl CharKind {
    /// The kind of the character at byte `at` (a char boundary), and its length. Words and
    /// operators are what the indexing tokenizer calls them.
    /// `kinds` is `ASCII_KINDS`, dereferenced once by the caller rather than per character.
    fn at(kinds: &[CharKind; 128], text: &str, at: usize) -> (Self, usize) {
        let byte = text.as_bytes()[at];
        if byte.is_ascii() {
            return (kinds[usize::from(byte)], 1);
        }
        text[at..]
            .chars()
            .next()
            .map_or((CharKind::Other, 1), |c| (CharKind::of(c), c.len_utf8()))
    }

    fn of(c: char) -> Self {
        if is_word(c) {
            CharKind::Word
        } else if is_operator(c) {
            CharKind::Operator
        } else {
            CharKind::Other
        }
    }
}

/// The window of about `max_len` bytes holding the most matches (the earliest on ties),
/// starting a little before its first match and cut at word boundaries.
fn best_window(text: &str, matches: &[Range<usize>], max_len: usize) -> Option<Range<usize>> {
    let mut best: Option<(usize, usize, usize)> = None; // (count, first match, last match)
    let mut last = 0;
    for (first, m) in matches.iter().enumerate() {
        last = last.max(first);
        while last + 1 < matches.len() && matches[last + 1].end <= m.start + max_len {
            last += 1;
        }
        let count = last - first + 1;
        if best.is_none_or(|(c, _, _)| count > c) {
            best = Some((count, first, last));
        }
    }
    let (_, first, last) = best?;
    let anchor = matches[first].start;
    // Lead-in context only as far as the window still holds all the matches it was chosen for.
    let span = matches[last].end - anchor;
    let lead = LEAD.min(max_len.saturating_sub(span) / 2);
    let mut start = text.floor_char_boundary(anchor.saturating_sub(lead));
    if start > 0 {
        // Begin at the next word, not mid-word.
        start = text[start..anchor]
            .find(char::is_whitespace)
            .map_or(anchor, |i| start + i + 1);
    }
    let limit = text.floor_char_boundary((start + max_len).min(text.len()));
    // Never cut a match: extend to the end of the last match that starts inside.
    let limit = matches
        .iter()
        .filter(|m| m.start < limit)
        .map(|m| m.end)
        .fold(limit, usize::max);
    let end = if limit < text.len() {
        text[..limit]
            .rfind(char::is_whitespace)
            .filter(|&i| i > anchor)
            .unwrap_or(limit)
    } else {
        limit
    };
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, terms: &BTreeMap<String, f32>, max_len: usize) -> String {
        TermMatcher::new(terms).snippet(text, max_len)
    }

    fn terms(words: &[&str]) -> BTreeMap<String, f32> {
        words.iter().map(|w| ((*w).to_owned(), 1.0)).collect()
    }

    #[test]
    fn marks_matches_and_escapes_the_rest() {
        let html = snippet("Use <b>tuples</b> & lists", &terms(&["tupl"]), 200);
        assert_eq!(
            html,
            "Use &lt;b&gt;<mark>tuples</mark>&lt;/b&gt; &amp; lists"
        );
    }

    #[test]
    fn compounds_and_their_parts_mark_once() {
        let html = snippet(
            "Define __del__ here; see __init__.py too",
            &terms(&["del", "__del__", "init"]),
            200,
        );
        assert_eq!(
            html,
            "Define <mark>__del__</mark> here; see __<mark>init</mark>__.py too"
        );
    }

    #[test]
    fn dotted_names_and_operators_mark_whole() {
        let html = snippet(
            "Call re.split(x) when a == b",
            &terms(&["re", "split", "=="]),
            200,
        );
        assert_eq!(
            html,
            "Call <mark>re.split</mark>(x) when a <mark>==</mark> b"
        );
    }

    #[test]
    fn the_window_with_most_matches_wins_and_is_cut_at_words() {
        let text = format!(
            "gc once here. {} gc and gc again with gc. {}",
            "filler ".repeat(40),
            "tail ".repeat(40)
        );
        let html = snippet(&text, &terms(&["gc"]), 60);
        assert!(html.starts_with('…'), "{html}");
        assert!(html.ends_with('…'), "{html}");
        // Three matches chose the window; the word is marked twice.
        assert_eq!(html.matches("<mark>gc</mark>").count(), 2, "{html}");
        assert!(
            html.contains("again with gc"),
            "the third stays as text: {html}"
        );
        assert!(!html.contains("once"), "{html}");
    }

    #[test]
    fn each_word_is_marked_at_most_twice() {
        let html = snippet(
            "Is it? It is, is it not; IS is.",
            &terms(&["is", "not"]),
            200,
        );
        assert_eq!(html.matches("<mark>").count(), 3, "{html}");
        assert_eq!(
            html,
            "<mark>Is</mark> it? It <mark>is</mark>, is it <mark>not</mark>; IS is."
        );
    }

    #[test]
    fn no_match_no_snippet_and_odd_text_does_not_panic() {
        assert_eq!(snippet("nothing", &terms(&["gc"]), 50), "");
        for text in ["", "é", "gc", "ééé gc ééé", "__gc__", "gc.gc.gc", "x==gc"] {
            for len in [0, 1, 2, 5, 50] {
                let _ = snippet(text, &terms(&["gc", "=="]), len);
            }
        }
    }
}
