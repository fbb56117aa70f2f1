//! Links between entries inside a rendered body. The body's HTML is stored at save time, but
//! whether a linked entry is published can change later (a draft, the trash), so links to
//! entries readers cannot see are turned back into plain text when the page is served.

/// `html` with every `<a href="/q/{slug}…">text</a>` whose slug is not published replaced by
/// its text. The HTML is our sanitizer's output, so links are well-formed and never nested.
pub fn unlink_unpublished(html: &str, is_published: impl Fn(&str) -> bool) -> String {
    const START: &str = "<a href=\"/q/";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(START) {
        let after = &rest[at + START.len()..];
        let slug_end = after.find(['"', '#', '?']).unwrap_or(after.len());
        let slug = &after[..slug_end];
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

/// Whether rendered `html` holds a link to the entry `slug` (exactly that slug, not one that
/// merely starts with it).
pub fn links_to(html: &str, slug: &str) -> bool {
    let start = format!("<a href=\"/q/{slug}");
    html.match_indices(&start).any(|(at, _)| {
        html[at + start.len()..]
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '"' | '#' | '?'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_exactly_one_slug() {
        let html = "<p><a href=\"/q/is-python-fast-ok\">x</a> <a href=\"/q/gil#why\">y</a></p>";
        assert!(links_to(html, "gil"));
        assert!(links_to(html, "is-python-fast-ok"));
        assert!(!links_to(html, "is-python-fast"));
        assert!(!links_to(html, "why"));
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
