//! A bound on how deeply a body may nest, so that no body can make rendering slow. Markdown
//! parsers and HTML tree builders spend time on every element for every element it sits in:
//! `- - - - … x` (one list inside the other, 50,000 deep on one line) took a minute to render,
//! 40,000 `> ` quotes five seconds. Real answers nest a few levels; past `MAX_NESTING` levels a
//! body is refused on the form (with the line) and, wherever it comes from, rendered flat.
//!
//! Two guards, both linear in the body's length:
//! - before parsing, a scan of each line's container markers (`>`, `-`, `+`, `*`, `1.`, `1)`)
//!   and indentation; a line that opens too many is made plain text (its first marker past the
//!   limit is escaped), so the parser never builds that stack;
//! - after parsing, `Flatten` drops the start and end of every element (inline ones too:
//!   emphasis, links) that sits deeper than the limit, keeping its text.

use std::borrow::Cow;

use pulldown_cmark::Event;

/// Block and inline elements a body may nest, one inside the other.
pub const MAX_NESTING: usize = 32;

/// Where one line opens more containers than the limit allows.
struct DeepLine {
    /// Byte offset of the line in the body.
    start: usize,
    /// Byte offset, within the line, of the first marker past the limit.
    marker: usize,
}

/// The 1-based number of the first line that nests deeper than `MAX_NESTING`, if any: what the
/// editor is told to fix.
pub fn too_deep_line(markdown: &str) -> Option<usize> {
    let offset = deep_lines(markdown)
        .next()
        .map(|deep| deep.start)
        .or_else(|| {
            let mut flatten = Flatten::new(
                pulldown_cmark::Parser::new_ext(markdown, super::markdown::options())
                    .into_offset_iter()
                    .map(|(event, range)| (event, range.start)),
            );
            flatten.by_ref().for_each(drop);
            flatten.first_cut
        })?;
    Some(markdown[..offset.min(markdown.len())].matches('\n').count() + 1)
}

/// `markdown` with every line that opens too many containers made flat (see the module doc).
pub fn flatten_lines(markdown: &str) -> Cow<'_, str> {
    let mut deep = deep_lines(markdown).peekable();
    if deep.peek().is_none() {
        return Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut copied = 0;
    for line in deep {
        let at = line.start + line.marker;
        out.push_str(&markdown[copied..at]);
        // A backslash makes the marker a literal character; the rest of the line is text.
        out.push('\\');
        copied = at;
    }
    out.push_str(&markdown[copied..]);
    Cow::Owned(out)
}

/// Each line that opens more than `MAX_NESTING` containers. Fenced code is code: its
/// indentation does not count, though its markers still do (a fence may close early, where
/// the parser sees those lines as Markdown again).
fn deep_lines(markdown: &str) -> impl Iterator<Item = DeepLine> + '_ {
    let mut fence: Option<(u8, usize)> = None;
    let mut start = 0;
    markdown.split_inclusive('\n').filter_map(move |line| {
        let line_start = start;
        start += line.len();
        let bytes = line.as_bytes();
        let (indent, mut i) = indentation(bytes, 0);
        let mut depth = if fence.is_some() { 0 } else { indent / 2 };
        let mut cut = None;
        while i < bytes.len() {
            let Some(after) = container_marker(bytes, i) else {
                break;
            };
            depth += 1;
            if depth > MAX_NESTING && cut.is_none() {
                cut = Some(i);
            }
            i = indentation(bytes, after).1;
        }
        let rest = &bytes[i..];
        let run = |c: u8| rest.iter().take_while(|&&b| b == c).count();
        match fence {
            None => {
                for c in [b'`', b'~'] {
                    if run(c) >= 3 {
                        fence = Some((c, run(c)));
                    }
                }
            }
            Some((c, n)) => {
                let closing = run(c);
                if closing >= n && rest[closing..].iter().all(u8::is_ascii_whitespace) {
                    fence = None;
                }
            }
        }
        cut.map(|marker| DeepLine {
            start: line_start,
            marker,
        })
    })
}

/// Columns of spaces and tabs from `i` (a tab counts as four), and where they end.
fn indentation(bytes: &[u8], mut i: usize) -> (usize, usize) {
    let mut columns = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' => columns += 1,
            b'\t' => columns += 4,
            _ => break,
        }
        i += 1;
    }
    (columns, i)
}

/// The end of the block-quote or list-item marker at `i`, if one starts there.
fn container_marker(bytes: &[u8], i: usize) -> Option<usize> {
    let ends_marker = |at: usize| bytes.get(at).is_none_or(|b| b.is_ascii_whitespace());
    match bytes[i] {
        b'>' => Some(i + 1),
        b'-' | b'+' | b'*' if ends_marker(i + 1) => Some(i + 1),
        b'0'..=b'9' => {
            let digits = bytes[i..]
                .iter()
                .take(10)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let end = i + digits;
            (digits <= 9 && matches!(bytes.get(end), Some(b'.' | b')')) && ends_marker(end + 1))
                .then_some(end + 1)
        }
        _ => None,
    }
}

/// The parser's events with the start and end of every element deeper than `MAX_NESTING`
/// left out (its contents stay). Events come with a position (any `Copy` value) so the first
/// cut can be reported.
pub struct Flatten<'a, I, P> {
    events: I,
    /// For each open element: the levels it counts for, or `None` when it was left out.
    open: Vec<Option<u8>>,
    depth: usize,
    first_cut: Option<P>,
    _events: std::marker::PhantomData<Event<'a>>,
}

impl<'a, I: Iterator<Item = (Event<'a>, P)>, P: Copy> Flatten<'a, I, P> {
    pub fn new(events: I) -> Self {
        Self {
            events,
            open: Vec::new(),
            depth: 0,
            first_cut: None,
            _events: std::marker::PhantomData,
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, P)>, P: Copy> Iterator for Flatten<'a, I, P> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let (event, at) = self.events.next()?;
            match event {
                Event::Start(ref tag) => {
                    let level = u8::from(nests(tag));
                    // An item goes with its list, a cell with its table.
                    let keep = if level == 0 {
                        self.open.last().is_none_or(Option::is_some)
                    } else {
                        self.depth + usize::from(level) <= MAX_NESTING
                    };
                    self.open.push(keep.then_some(level));
                    if keep {
                        self.depth += usize::from(level);
                        return Some(event);
                    }
                    self.first_cut.get_or_insert(at);
                }
                Event::End(_) => {
                    if let Some(level) = self.open.pop().unwrap_or(Some(0)) {
                        self.depth = self.depth.saturating_sub(usize::from(level));
                        return Some(event);
                    }
                }
                other => return Some(other),
            }
        }
    }
}

/// Whether an element counts as a level: a list's items, a table's rows and cells and a
/// paragraph always come with (or inside) one that does.
fn nests(tag: &pulldown_cmark::Tag) -> bool {
    use pulldown_cmark::Tag;
    !matches!(
        tag,
        Tag::Item | Tag::Paragraph | Tag::TableHead | Tag::TableRow | Tag::TableCell
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_nesting_passes_untouched() {
        let body = "- a\n  - b\n    > c\n    > 1. d\n\n```python\n".to_owned()
            + &" ".repeat(120)
            + "deep = 'code'\n>>> print(1)\n```\n";
        assert_eq!(too_deep_line(&body), None);
        assert!(matches!(flatten_lines(&body), Cow::Borrowed(_)));
    }

    #[test]
    fn a_line_of_stacked_markers_is_found_and_flattened() {
        let deep = "- ".repeat(MAX_NESTING + 1) + "x";
        let body = format!("Intro.\n\n{deep}\n\nAfter.\n");
        assert_eq!(too_deep_line(&body), Some(3));
        let flat = flatten_lines(&body);
        assert_eq!(too_deep_line(&flat), None);
        let html = super::super::render_markdown(&body);
        assert_eq!(html.matches("<ul>").count(), MAX_NESTING, "{html}");
        assert!(html.contains("- x"), "the rest is text: {html}");
        for quotes in [
            "> ".repeat(40),
            ">".repeat(40),
            "1. ".repeat(40),
            "> - ".repeat(20),
        ] {
            assert_eq!(too_deep_line(&quotes), Some(1), "{quotes}");
        }
    }

    #[test]
    fn deep_inline_nesting_is_found_and_dropped() {
        let body = "ok\n\n".to_owned() + &"*a _b ".repeat(40) + &" b_ a*".repeat(40);
        assert_eq!(too_deep_line(&body), Some(3));
        let html = super::super::render_markdown(&body);
        let depth = html.matches("<em>").count();
        assert!(depth <= MAX_NESTING, "{depth}: {html}");
    }

    #[test]
    fn indentation_counts_outside_code() {
        let mut body = String::new();
        for level in 0..40 {
            body.push_str(&" ".repeat(level * 2));
            body.push_str("- item\n");
        }
        assert_eq!(too_deep_line(&body), Some(33));
    }
}
