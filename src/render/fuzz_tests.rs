//! Property tests of the Markdown renderer over generated hostile input: it never panics, and
//! whatever the input, the HTML carries no script, no event handler, no `javascript:` or
//! `data:` link and no inline style, and every heading id the table of contents names exists.
//! CI runs 256 cases; `PROPTEST_CASES=100000 cargo test -q --lib render::fuzz_tests` runs
//! longer. Failing inputs are kept in `tests/fixtures/proptest-regressions/` and rerun first;
//! the two found so far are also plain tests in `markdown.rs`.

use proptest::prelude::*;

use super::{headings, outline, render_markdown};

/// Pieces that make Markdown and HTML parsers work hard, mixed with arbitrary text.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        6 => proptest::sample::select(vec![
            "# ", "## ", "### ", "\n", "\n\n", "```", "```python\n", "```output\n", "~~~", "    ",
            "*", "**", "_", "`", "[", "]", "(", ")", "![", "<", ">", "</", "/>", "&", "&amp;",
            "&#x3c;", "\"", "'", "|", "|---|", "- ", "1. ", "> ", "\\", "javascript:", "data:",
            "JaVaScRiPt:alert(1)", "<script>", "</script>", "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:x\">", "onload=", "style=\"x\"", "<svg/onload=alert(1)>",
            "<iframe>", "/q/", "http://", "mailto:", "\u{0}", "\r\n", "\u{202e}", "🐍", "é",
            "[x](javascript:alert(1))", "[x](/q/a)", "<!--", "-->", "<![CDATA[", "]]>", "\t",
        ])
        .prop_map(str::to_owned),
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 0..60).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Failing inputs found so far, rerun first (kept with the other test fixtures).
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Direct(
            "tests/fixtures/proptest-regressions/render.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn rendered_html_is_always_inert(markdown in document()) {
        let html = render_markdown(&markdown);
        // Checked on the parsed tree, as a browser reads it: hostile markup shown as escaped
        // text is fine, as markup it is not.
        let fragment = scraper::Html::parse_fragment(&html);
        for element in fragment.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let tag = element.value().name();
            prop_assert!(
                !matches!(tag, "script" | "iframe" | "img" | "svg" | "object" | "embed" | "style" | "form" | "input"),
                "<{tag}> in {html}"
            );
            for (name, value) in element.value().attrs() {
                let name = name.to_lowercase();
                prop_assert!(!name.starts_with("on") && name != "style", "{name} in {html}");
                if name == "href" || name == "src" {
                    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                    let value = value.to_lowercase();
                    prop_assert!(
                        !value.starts_with("javascript:") && !value.starts_with("data:") && !value.starts_with("vbscript:"),
                        "{name}={value} in {html}"
                    );
                }
            }
        }
        for heading in headings(&markdown) {
            prop_assert!(html.contains(&format!("id=\"{}\"", heading.id)), "{} in {html}", heading.id);
        }
        let _ = outline(&markdown);
    }
}
