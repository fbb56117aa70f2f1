//! Markdown to safe HTML: CommonMark with tables, raw HTML shown as text, headings with anchors,
//! code highlighted on the server, and the result passed through an allow-list sanitizer.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::asked_as;
use super::highlight::highlight;
use super::nesting::{Flatten, flatten_lines};
use crate::domain::slugify;

/// Renders an article body. The result is safe to insert into a page unescaped.
pub fn render_markdown(markdown: &str) -> String {
    let markdown = flatten_lines(markdown);
    let parser = Parser::new_ext(&markdown, options()).map(|event| (event, ()));
    let events = transform(Flatten::new(parser));
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    SANITIZER.clean(&html).to_string()
}

pub(super) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Rewrites the event stream: raw HTML becomes text, headings get ids and anchors (and an h1
/// becomes an h2, since the page title is the page's only h1), fenced code gets highlighted.
fn transform<'a>(parser: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut ids = HeadingIds::default();
    let mut code_blocks = 0;
    let mut examples = 0;
    // The info string of the last code block, for the caption of an output block before another.
    let mut previous_info: Option<String> = None;
    let mut budget = HighlightBudget::default();
    let mut events = parser.into_iter();
    while let Some(event) = events.next() {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => out.push(Event::Text(raw)),
            Event::Start(Tag::Heading { level, .. }) => {
                let level = level.max(HeadingLevel::H2);
                let inner: Vec<Event> = events
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .map(|e| match e {
                        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                        other => other,
                    })
                    .collect();
                let text = plain_text(&inner);
                let id = ids.next(&text);
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id.clone())),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                out.extend(inner);
                out.push(Event::Html(CowStr::from(format!(
                    r##" <a class="anchor" href="#{id}" aria-label="Link to this section">#</a>"##
                ))));
                out.push(Event::End(TagEnd::Heading(level)));
            }
            // The Content-Security-Policy allows no images from other sites and the site hosts
            // none, so an image would only show broken: it becomes a link to the picture,
            // labelled with its alt text (or its address).
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                ..
            }) => {
                let label: Vec<Event> = events
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Image)))
                    .map(|e| match e {
                        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                        other => other,
                    })
                    .collect();
                let empty = plain_text(&label).trim().is_empty();
                let text = dest_url.clone();
                out.push(Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title,
                    id,
                }));
                if empty {
                    out.push(Event::Text(text));
                } else {
                    out.extend(label);
                }
                out.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for event in events
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::CodeBlock)))
                {
                    if let Event::Text(text) = event {
                        code.push_str(&text);
                    }
                }
                if language(&info) != "output" {
                    code_blocks += 1;
                }
                // Python blocks are the examples (`verify::blocks` counts them the same way);
                // the page marks each with its verification at render time.
                let example = (language(&info) == "python").then(|| {
                    examples += 1;
                    examples - 1
                });
                // A plain output block followed by a version-specific one covers only the
                // versions that one leaves: its caption says so.
                if let Some(label) = crate::verify::blocks::plain_output_label(&info)
                    && let Some(Event::Html(previous)) = out.last_mut()
                    && previous.starts_with(PLAIN_OUTPUT)
                {
                    let relabelled = previous.replacen(
                        PLAIN_OUTPUT,
                        &format!(
                            "<figure class=\"output\"><figcaption>Output on {label}</figcaption>"
                        ),
                        1,
                    );
                    *previous = CowStr::from(relabelled);
                }
                // So does an `output python=3.N+` block followed by a later `3.M+` one.
                if let Some(before) = previous_info.as_deref()
                    && let Some(label) = crate::verify::blocks::narrowed_output_label(before, &info)
                    && let Some(Event::Html(previous)) = out.last_mut()
                    && let Some(wide) = crate::verify::blocks::versions_label(before)
                {
                    let relabelled = previous.replacen(
                        &format!("<figcaption>Output on {wide}</figcaption>"),
                        &format!("<figcaption>Output on {label}</figcaption>"),
                        1,
                    );
                    *previous = CowStr::from(relabelled);
                }
                out.push(Event::Html(CowStr::from(code_block(
                    &info,
                    &code,
                    code_blocks,
                    example,
                    &mut budget,
                ))));
                previous_info = Some(info);
            }
            other => out.push(other),
        }
    }
    mark_asked_as(&mut out);
    out
}

/// Gives "Also asked as" paragraphs (see `asked_as`) a class, so they read as a note on the
/// question rather than as part of the answer. (The paragraph's end stays `</p>`.)
fn mark_asked_as(events: &mut [Event]) {
    let mut nesting = asked_as::Nesting::default();
    for i in 0..events.len() {
        let top_level = nesting.follow(&events[i]);
        if top_level && asked_as::opens_paragraph(&events[i..]) {
            events[i] = Event::Html(CowStr::from("<p class=\"asked-as\">"));
        }
    }
}

fn plain_text(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// Unique, readable heading ids within one document.
#[derive(Default)]
struct HeadingIds {
    seen: HashMap<String, u32>,
}

impl HeadingIds {
    fn next(&mut self, text: &str) -> String {
        let base = match slugify(text) {
            s if s.is_empty() => "section".to_owned(),
            s => s,
        };
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        }
    }
}

/// A body split for the search index: its prose, its code, and its sections with the anchors
/// the rendered page gives their headings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outline {
    pub prose: String,
    pub code: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's id on the page; empty for the text before the first heading.
    pub anchor: String,
    /// The heading's text; empty for the introduction.
    pub heading: String,
    /// The section's prose, without its heading.
    pub prose: String,
    /// The section's code blocks.
    pub code: String,
    /// The phrasings of its "Also asked as" paragraphs (`asked_as`), which are not in `prose`.
    pub asked_as: Vec<String>,
}

impl Section {
    fn is_empty(&self) -> bool {
        self.heading.trim().is_empty()
            && self.prose.trim().is_empty()
            && self.code.trim().is_empty()
            && self.asked_as.is_empty()
    }
}

pub fn outline(markdown: &str) -> Outline {
    let mut out = Outline {
        sections: vec![Section::default()],
        ..Outline::default()
    };
    let mut ids = HeadingIds::default();
    let mut in_code = false;
    let mut heading: Option<String> = None;
    let mut nesting = asked_as::Nesting::default();
    // Where the "Also asked as" paragraph being read starts in the page's and the section's
    // prose: it is read like any other, then taken out of both.
    let mut asked_as_from: Option<(usize, usize)> = None;
    let markdown = flatten_lines(markdown);
    let events: Vec<Event> = Parser::new_ext(&markdown, options()).collect();
    for (i, event) in events.iter().enumerate() {
        let current = out.sections.last_mut().expect("there is always a section");
        let top_level = nesting.follow(event);
        match event {
            Event::Start(Tag::Paragraph)
                if top_level && asked_as::opens_paragraph(&events[i..]) =>
            {
                asked_as_from = Some((out.prose.len(), current.prose.len()));
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some((whole_start, part_start)) = asked_as_from.take() {
                    let phrasings = asked_as::phrasings(&current.prose[part_start..]);
                    out.prose.truncate(whole_start);
                    current.prose.truncate(part_start);
                    current.asked_as.extend(phrasings);
                    current.asked_as.truncate(asked_as::MAX_PHRASINGS);
                } else {
                    out.prose.push('\n');
                    current.prose.push('\n');
                }
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let text = heading.take().unwrap_or_default();
                out.prose.push_str(&text);
                out.prose.push('\n');
                out.sections.push(Section {
                    anchor: ids.next(&text),
                    heading: text,
                    ..Section::default()
                });
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(text);
                    continue;
                }
                let (whole, part) = if in_code {
                    (&mut out.code, &mut current.code)
                } else {
                    (&mut out.prose, &mut current.prose)
                };
                whole.push_str(text);
                part.push_str(text);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Item) if !in_code => {
                out.prose.push('\n');
                current.prose.push('\n');
            }
            _ => {}
        }
    }
    if out.sections.first().is_some_and(Section::is_empty) {
        out.sections.remove(0);
    }
    out
}

/// The language of a fence's info string ("python title=x" -> "python"), restricted to
/// characters that are safe in a class name.
fn language(info: &str) -> String {
    info.split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// How a plain output block's HTML starts (its caption is changed when a version-specific one
/// follows it).
const PLAIN_OUTPUT: &str = "<figure class=\"output\"><figcaption>Output</figcaption>";

/// A code block keeps its language as `class="language-…"` on `<code>` and its exact text
/// inside `<pre>` (highlighting only adds spans), so readers can copy it and tools extract it.
/// Each has an anchor (`#code-N`, N counting code blocks from 1) so it can be linked to;
/// program output is labelled as such and belongs to the block before it, so it has none.
fn code_block(
    info: &str,
    code: &str,
    n: usize,
    example: Option<usize>,
    budget: &mut HighlightBudget,
) -> String {
    let lang = language(info);
    let body = if budget.allows(code) {
        highlight(&lang, code)
    } else {
        super::escape_html(code)
    };
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(r#" class="language-{lang}""#)
    };
    // Focusable, because a long line makes it scroll sideways and keyboards must reach that.
    let pre = format!(r#"<pre tabindex="0"><code{class}>{body}</code></pre>"#);
    // `output python=3.12+`, `python min=3.10`: the reader is told which Pythons it is about.
    let versions = crate::verify::blocks::versions_label(info);
    if lang == "output" {
        match versions {
            Some(versions) => format!(
                "<figure class=\"output\"><figcaption>Output on {versions}</figcaption>{pre}</figure>\n"
            ),
            None => format!("{PLAIN_OUTPUT}{pre}</figure>\n"),
        }
    } else {
        let note = versions.map_or(String::new(), |versions| {
            format!(r#"<span class="code-versions">{versions}</span>"#)
        });
        let example = example.map_or(String::new(), |k| format!(r#" data-example="{k}""#));
        format!(
            r##"<div class="code-block" id="code-{n}"{example}>{note}{pre}<a class="anchor code-anchor" href="#code-{n}" aria-label="Link to this code block">#</a></div>
"##
        )
    }
}

/// How much of a body's code is highlighted. The highlighter's grammars cost a few
/// microseconds per character and more on very long lines, so a hostile body of code could
/// take seconds; real answers stay far inside these bounds, and code past them is shown
/// exactly, only without colours.
#[derive(Default)]
struct HighlightBudget {
    bytes: usize,
    blocks: usize,
}

impl HighlightBudget {
    const BYTES: usize = 48 * 1024;
    const BLOCKS: usize = 300;
    const LINE: usize = 1000;

    /// Whether `code` is highlighted, counting it against the budget if so.
    fn allows(&mut self, code: &str) -> bool {
        let fits = self.blocks < Self::BLOCKS
            && self.bytes + code.len() <= Self::BYTES
            && code.lines().all(|line| line.len() <= Self::LINE);
        if fits {
            self.blocks += 1;
            self.bytes += code.len();
        }
        fits
    }
}

/// A heading of a body, as the table of contents lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    /// 2 to 6: a `#` heading is shown as an h2, like every section of the page.
    pub level: u8,
    /// The heading's id on the rendered page.
    pub id: String,
    pub text: String,
    /// The text as HTML, escaped, with its code spans kept as `<code>` (the table of contents
    /// shows `__del__` as the heading does). Empty in headings stored before it existed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
}

impl Heading {
    /// What the table of contents shows: the heading's HTML, or its escaped text.
    pub fn label_html(&self) -> String {
        if self.html.is_empty() {
            super::escape_html(&self.text)
        } else {
            self.html.clone()
        }
    }
}

/// The headings of a body with the ids `render_markdown` gives them.
pub fn headings(markdown: &str) -> Vec<Heading> {
    let mut ids = HeadingIds::default();
    let mut out = Vec::new();
    let mut current: Option<(u8, String, String)> = None;
    for event in Parser::new_ext(&flatten_lines(markdown), options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some(((level as u8).max(2), String::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, html)) = current.take() {
                    out.push(Heading {
                        level,
                        id: ids.next(&text),
                        text,
                        html,
                    });
                }
            }
            Event::Code(t) => {
                if let Some((_, text, html)) = current.as_mut() {
                    text.push_str(&t);
                    html.push_str(&format!("<code>{}</code>", super::escape_html(&t)));
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some((_, text, html)) = current.as_mut() {
                    text.push_str(&t);
                    html.push_str(&super::escape_html(&t));
                }
            }
            _ => {}
        }
    }
    out
}

/// Bumped whenever `render_markdown`'s output changes, so stored HTML is rendered again at
/// start-up, in the background (see `editing::rerender`).
pub const RENDER_VERSION: u32 = 10;

/// The allow-list: ammonia's safe defaults, links limited to http, https, mailto and relative
/// URLs, plus the few attributes our own markup needs (ids and anchors on headings, classes
/// for highlighting). No `style` attribute ever passes: the CSP forbids inline styles.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("a", ["class", "aria-label"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("figure", ["class"])
        .add_tag_attributes("div", ["class", "id", "data-example"])
        .add_tag_attributes("pre", ["tabindex"])
        .add_allowed_classes("p", ["asked-as"])
        .rm_tags(["img"]);
    for heading in ["h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, ["id"]);
    }
    builder
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_specific_blocks_say_which_pythons_they_are_about() {
        let html = render_markdown(
            "```python min=3.10\nprint(1)\n```\n\n```output\n1\n```\n\n```output python=3.12+\n2\n```\n",
        );
        assert!(
            html.contains(r#"<span class="code-versions">Python 3.10 and later</span>"#),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>Output on Python before 3.12</figcaption>"),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>Output on Python 3.12 and later</figcaption>"),
            "{html}"
        );
        let steps = render_markdown(
            "```python\nprint(1)\n```\n\n```output\n1\n```\n\n```output python=3.10+\n2\n```\n\n```output python=3.11+\n3\n```\n",
        );
        for caption in [
            "Output on Python before 3.10",
            "Output on Python 3.10",
            "Output on Python 3.11 and later",
        ] {
            assert!(
                steps.contains(&format!("<figcaption>{caption}</figcaption>")),
                "{caption}: {steps}"
            );
        }
        let alone = render_markdown("```python\nprint(1)\n```\n\n```output\n1\n```\n");
        assert!(alone.contains("<figcaption>Output</figcaption>"), "{alone}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render_markdown("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_safe_link_schemes_survive() {
        let html = render_markdown(
            "[a](javascript:alert(1)) [b](https://docs.python.org/3/) [c](/q/x) [d](data:text/html,hi)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            html.contains(r#"href="https://docs.python.org/3/""#),
            "{html}"
        );
        assert!(html.contains(r#"href="/q/x""#), "{html}");
    }

    #[test]
    fn headings_get_unique_ids_and_anchors_and_never_h1() {
        let html = render_markdown("# Top\n\n## Why it works\n\n## Why it works\n");
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains(r#"<h2 id="top">"#), "{html}");
        assert!(html.contains(r#"<h2 id="why-it-works">"#), "{html}");
        assert!(html.contains(r#"<h2 id="why-it-works-2">"#), "{html}");
        assert!(html.contains(r##"href="#why-it-works-2""##), "{html}");
    }

    #[test]
    fn code_keeps_its_language_and_exact_text() {
        let code = "x = [1, 2]\nprint(x < 3 and \"a\" or 'b')\n";
        let html = render_markdown(&format!("```python\n{code}```\n\n```output\n[1, 2]\n```\n"));
        assert!(html.contains(r#"<code class="language-python">"#), "{html}");
        assert!(html.contains(r#"<code class="language-output">"#), "{html}");
        assert!(html.contains("<figcaption>Output</figcaption>"), "{html}");
        assert!(
            html.contains("<span class=\"hl-"),
            "python is highlighted: {html}"
        );
        assert!(!html.contains("style="), "{html}");
        let fragment = scraper::Html::parse_fragment(&html);
        let pre = scraper::Selector::parse("pre").unwrap();
        let texts: Vec<String> = fragment
            .select(&pre)
            .map(|p| p.text().collect::<String>())
            .collect();
        assert_eq!(texts, [code, "[1, 2]\n"]);
    }

    #[test]
    fn outlines_split_prose_code_and_sections_with_page_anchors() {
        let outline =
            outline("Intro `x`.\n\n## Why it works\n\nBecause.\n\n```python\nprint(1)\n```\n");
        assert_eq!(outline.code, "print(1)\n");
        assert!(outline.prose.contains("Intro x."), "{outline:?}");
        assert!(outline.prose.contains("Why it works"), "{outline:?}");
        assert!(!outline.prose.contains("print"), "{outline:?}");
        let anchors: Vec<&str> = outline.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(anchors, ["", "why-it-works"]);
        assert_eq!(outline.sections[1].heading, "Why it works");
        assert_eq!(outline.sections[1].prose.trim(), "Because.");
        assert_eq!(outline.sections[1].code, "print(1)\n");
        assert_eq!(outline.sections[0].prose.trim(), "Intro x.");
    }

    #[test]
    fn also_asked_as_paragraphs_belong_to_their_section_and_leave_its_prose() {
        let outline = outline(concat!(
            "The answer.\n\n*Also asked as:* How do I `x`? ·\nWhy y?\n\n",
            "## Details\n\n*Also asked as:* What about z?\n\nMore.\n\n",
            "Also asked as: plain text stays.\n\n",
            "```\n*Also asked as:* Code?\n```\n\n",
            "Setext\n------\n\n_Also asked as:_ Underscores too?\n\n",
            "> *Also asked as:* A quoted example?\n\n",
            "- item\n\n  *Also asked as:* In a list?\n",
        ));
        let asked: Vec<Vec<&str>> = outline
            .sections
            .iter()
            .map(|s| s.asked_as.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            asked,
            [
                vec!["How do I x?", "Why y?"],
                vec!["What about z?"],
                vec!["Underscores too?"]
            ]
        );
        assert_eq!(outline.sections[0].prose.trim(), "The answer.");
        assert_eq!(
            outline.sections[1].prose.trim(),
            "More.\nAlso asked as: plain text stays."
        );
        assert_eq!(outline.sections[1].code, "*Also asked as:* Code?\n");
        assert!(!outline.prose.contains("What about"), "{outline:?}");
        // Quoted or in a list, it is an example of one, not one.
        assert!(
            outline.sections[2].prose.contains("A quoted example?"),
            "{outline:?}"
        );
        assert!(
            outline.sections[2].prose.contains("In a list?"),
            "{outline:?}"
        );
    }

    #[test]
    fn also_asked_as_paragraphs_are_marked_as_notes() {
        let html = render_markdown(
            "*Also asked as:* One? · `two`?\n\n*Emphasis* only.\n\n## A\n\n*Also asked as:* Three?\n",
        );
        assert_eq!(
            html.matches(r#"<p class="asked-as"><em>Also asked as:</em>"#)
                .count(),
            2,
            "{html}"
        );
        let quoted = render_markdown("> *Also asked as:* Quoted?\n\n*Also asked as*: typo\n");
        assert!(!quoted.contains("asked-as"), "{quoted}");
        assert!(html.contains("<p><em>Emphasis</em> only.</p>"), "{html}");
    }

    #[test]
    fn code_blocks_have_anchors_and_headings_match_the_page_ids() {
        let markdown = "# Intro\n\n```python\nx = 1\n```\n\n```output\n1\n```\n\n## `del` and *you*\n\n```\nplain\n```\n\n### Intro\n";
        let html = render_markdown(markdown);
        assert!(
            html.contains(
                r#"<div class="code-block" id="code-1" data-example="0"><pre tabindex="0">"#
            ),
            "the first Python block is example 0: {html}"
        );
        assert!(
            html.contains(r##"href="#code-2""##),
            "output is not counted: {html}"
        );
        assert!(!html.contains("code-3"), "{html}");
        let headings = headings(markdown);
        let shown: Vec<(u8, &str, &str)> = headings
            .iter()
            .map(|h| (h.level, h.id.as_str(), h.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (2, "intro", "Intro"),
                (2, "del-and-you", "del and you"),
                (3, "intro-2", "Intro")
            ]
        );
        for h in &headings {
            assert!(
                html.contains(&format!(r#"id="{}""#, h.id)),
                "{}: {html}",
                h.id
            );
        }
    }

    #[test]
    fn images_become_links_to_the_picture() {
        let html = render_markdown("![a diagram](https://example.org/d.png) ![](/x.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"href="https://example.org/d.png""#),
            "{html}"
        );
        assert!(html.contains(">a diagram</a>"), "{html}");
        assert!(html.contains(">/x.png</a>"), "{html}");
        // Found by the property test: a hostile image keeps nothing hostile.
        let html = render_markdown("![\\[x](javascript:alert(1))");
        assert!(
            !html.contains("<img") && !html.contains("javascript:"),
            "{html}"
        );
    }

    #[test]
    fn code_past_the_highlight_budget_is_shown_exactly_without_colours() {
        let long_line = format!("x = [{}]\n", "1, ".repeat(500));
        let html = render_markdown(&format!("```python\n{long_line}```\n"));
        assert!(!html.contains("hl-"), "a line over the limit is plain");
        let many = "```python\nx = 1\n```\n\n".repeat(HighlightBudget::BLOCKS + 5);
        let html = render_markdown(&many);
        assert_eq!(html.matches("<pre").count(), HighlightBudget::BLOCKS + 5);
        let fragment = scraper::Html::parse_fragment(&html);
        let pre = scraper::Selector::parse("pre").unwrap();
        let texts: Vec<String> = fragment
            .select(&pre)
            .map(|p| p.text().collect::<String>())
            .collect();
        assert!(
            texts.iter().all(|t| t == "x = 1\n"),
            "every block keeps its text"
        );
        let last = html.rsplit("<pre").next().unwrap();
        assert!(!last.contains("hl-"), "blocks past the budget are plain");
    }

    #[test]
    fn hostile_info_strings_cannot_break_out_of_the_class() {
        let html = render_markdown("```py\"><script>x\nbody\n```\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains(r#"class="language-pyscriptx""#), "{html}");
    }
}
