//! Links between entries inside a rendered body. The body's HTML is stored at save time, but
//! whether a linked entry is published can change later (a draft, the trash), so links to
//! entries readers cannot see are turned back into plain text when the page is served.

use std::ops::Range;

/// How our sanitizer writes the start of a link to an entry.
const START: &str = "<a href=\"/q/";

/// The slug at the start of an entry link's address (`after` follows `/q/`).
fn slug_of(after: &str) -> &str {
    &after[..after.find(['"', '#', '?']).unwrap_or(after.len())]
}

/// `html` with every `<a href="/q/{slug}…">text</a>` whose slug is not published replaced by
/// its text. The HTML is our sanitizer's output, so links are well-formed and never nested.
pub fn unlink_unpublished(html: &str, is_published: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(START) {
        let after = &rest[at + START.len()..];
        let slug = slug_of(after);
        let (Some(open_end), Some(close)) = (after.find('>'), after.find("</a>")) else {
            break;
        };
        if is_published(slug) || close < open_end {
            out.push_str(&rest[..at + START.len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..at]);
        out.push_str(&after[open_end + 1..close]);
        rest = &after[close + "</a>".len()..];
    }
    out.push_str(rest);
    out
}

/// `markdown` with every link to an entry whose slug is not published replaced by the link's
/// own text, and reference definitions that point at one removed: the Markdown twin of
/// `unlink_unpublished`, for the API, which hands out the source.
pub fn unlink_unpublished_markdown(markdown: &str, is_published: impl Fn(&str) -> bool) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let text = super::nesting::flatten_lines(markdown);
    let hidden = |dest: &str| {
        dest.strip_prefix("/q/")
            .map(slug_of)
            .is_some_and(|slug| !slug.is_empty() && !is_published(slug))
    };
    struct Open {
        whole: Range<usize>,
        hide: bool,
        inner: Option<Range<usize>>,
    }
    // (what to replace, with which part of the text; None for nothing)
    let mut edits: Vec<(Range<usize>, Option<Range<usize>>)> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut parser = Parser::new_ext(&text, super::markdown::options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        if let Some(top) = open.last_mut()
            && !matches!(event, Event::End(TagEnd::Link | TagEnd::Image))
        {
            let inner = top.inner.get_or_insert(range.clone());
            *inner = inner.start.min(range.start)..inner.end.max(range.end);
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => open.push(Open {
                whole: range,
                hide: hidden(&dest_url),
                inner: None,
            }),
            Event::Start(Tag::Image { .. }) => open.push(Open {
                whole: range,
                hide: false,
                inner: None,
            }),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(link) = open.pop().filter(|link| link.hide) {
                    edits.push((link.whole, link.inner));
                }
            }
            _ => {}
        }
    }
    for (_, definition) in parser.reference_definitions().iter() {
        if hidden(&definition.dest) {
            edits.push((definition.span.clone(), None));
        }
    }
    if edits.is_empty() {
        return markdown.to_owned();
    }
    edits.sort_by_key(|(whole, _)| whole.start);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (whole, keep) in edits {
        if whole.start < copied {
            continue;
        }
        out.push_str(&text[copied..whole.start]);
        if let Some(keep) = keep {
            out.push_str(&text[keep]);
        }
        copied = whole.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The slugs of the entries rendered `html` links to, sorted, each once.
pub fn linked_slugs(html: &str) -> Vec<&str> {
    let mut slugs: Vec<&str> = html
        .match_indices(START)
        .map(|(at, _)| slug_of(&html[at + START.len()..]))
        .filter(|slug| !slug.is_empty())
        .collect();
    slugs.sort_unstable();
    slugs.dedup();
    slugs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_exactly_one_slug() {
        let html = "<p><a href=\"/q/is-python-fast-ok\">x</a> <a href=\"/q/gil#why\">y</a></p>";
        assert_eq!(linked_slugs(html), ["gil", "is-python-fast-ok"]);
    }

    #[test]
    fn linked_slugs_are_sorted_and_unique() {
        let html = "<a href=\"/q/gil#why\">a</a> <a href=\"/q/abc\">b</a> <a href=\"/q/gil\">c</a> \
                    <a href=\"https://example.com/q/x\">d</a>";
        assert_eq!(linked_slugs(html), ["abc", "gil"]);
    }

    #[test]
    fn markdown_links_to_unpublished_entries_become_their_text() {
        let body = "See [the **draft**](/q/draft#why), [live](/q/live) and [ref][d].\n\n\
                    [d]: /q/draft\n[docs]: https://docs.python.org/\n";
        let out = unlink_unpublished_markdown(body, |slug| slug == "live");
        assert!(!out.contains("/q/draft"), "{out}");
        assert!(
            out.contains("See the **draft**, [live](/q/live) and ref."),
            "{out}"
        );
        assert!(out.contains("[docs]: https://docs.python.org/"), "{out}");
        assert_eq!(unlink_unpublished_markdown(body, |_| true), body);
    }

    #[test]
    fn only_links_to_unpublished_entries_lose_their_anchor() {
        let html = "<p>See <a href=\"/q/live#x\" rel=\"noopener noreferrer\">live</a> and \
                    <a href=\"/q/draft\" rel=\"noopener noreferrer\">the <em>draft</em></a>, \
                    <a href=\"https://docs.python.org/\">docs</a>.</p>";
        assert_eq!(
            unlink_unpublished(html, |slug| slug == "live"),
            "<p>See <a href=\"/q/live#x\" rel=\"noopener noreferrer\">live</a> and \
             the <em>draft</em>, <a href=\"https://docs.python.org/\">docs</a>.</p>"
        );
        assert_eq!(
            unlink_unpublished("<a href=\"/q/x", |_| false),
            "<a href=\"/q/x"
        );
    }
}
