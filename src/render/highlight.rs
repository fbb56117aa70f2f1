//! Syntax highlighting on the server with CSS classes (`hl-…`), never inline styles.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Languages whose blocks are shown without highlighting: program output, interactive
/// sessions with prompts, plain text.
const PLAIN: &[&str] = &["", "output", "text", "pycon"];

/// Returns the HTML for the inside of `<code>`: the code, escaped, with highlighting spans.
pub fn highlight(lang: &str, code: &str) -> String {
    let token = match lang {
        "console" | "shell" | "sh" => "bash",
        other => other,
    };
    let syntax = match PLAIN.contains(&lang) {
        true => None,
        false => SYNTAXES.find_syntax_by_token(token),
    };
    let Some(syntax) = syntax else {
        return super::escape_html(code);
    };
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if html
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A grammar that fails on some input must not lose the reader's code.
            return super::escape_html(code);
        }
    }
    html.finalize()
}

/// The stylesheet for the highlighting classes: a light theme, and a dark one for readers
/// whose system prefers dark.
pub fn stylesheet() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub"),
        css("base16-ocean.dark")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_plain_languages_are_escaped_text() {
        assert_eq!(highlight("powershell", "a < b & c"), "a &lt; b &amp; c");
        assert_eq!(highlight("output", "<tag>\n"), "&lt;tag&gt;\n");
    }

    #[test]
    fn the_stylesheet_has_both_themes_and_only_our_prefix() {
        let css = stylesheet();
        assert!(css.contains(".hl-"), "{css}");
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
