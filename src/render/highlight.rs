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

/// The code background of `style.css` (`--code-bg`), light and dark: the theme colours are
/// adjusted to be readable on them.
const LIGHT_CODE_BG: Rgb = Rgb(0xf6, 0xf8, 0xfa);
const DARK_CODE_BG: Rgb = Rgb(0x1b, 0x1f, 0x26);
/// WCAG AA for normal text is 4.5:1; a little margin for rounding.
const MIN_CONTRAST: f64 = 4.6;

/// Where each theme applies: a reader's explicit choice (`data-theme` on the root element, set
/// by the theme switch), else the system's preference. Every rule of a theme is scoped to its
/// own conditions, so no rule of one theme can ever apply under the other: without the scopes
/// the light theme's two-class rules (`.hl-variable.hl-parameter`) outranked the dark theme's
/// one-class rules and painted dark text on the dark background.
const LIGHT_CHOSEN: &str = r#":root[data-theme="light"]"#;
const LIGHT_BY_SYSTEM: &str = r#":root:not([data-theme="dark"])"#;
const DARK_CHOSEN: &str = r#":root[data-theme="dark"]"#;
const DARK_BY_SYSTEM: &str = r#":root:not([data-theme="light"])"#;

/// The stylesheet for the highlighting classes: a light theme and a dark one, each scoped as
/// above. Theme colours too faint for WCAG AA on our code background (comments, numbers,
/// builtins in the stock themes) are darkened or lightened until they pass; backgrounds come
/// from `style.css`.
pub fn stylesheet() -> String {
    let (light, dark) = themes();
    format!(
        "{}\n@media (prefers-color-scheme: light) {{\n{}\n}}\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        scoped(&light, LIGHT_CHOSEN),
        scoped(&light, LIGHT_BY_SYSTEM),
        scoped(&dark, DARK_CHOSEN),
        scoped(&dark, DARK_BY_SYSTEM),
    )
}

/// The light and the dark theme's CSS, each readable on its code background, unscoped.
fn themes() -> (String, String) {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let css = |name: &str, background: Rgb| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .map(|css| readable_on(&css, background))
            .unwrap_or_default()
    };
    (
        css("InspiredGitHub", LIGHT_CODE_BG),
        css("base16-ocean.dark", DARK_CODE_BG),
    )
}

/// `css` with `scope ` before every selector of every rule (syntect writes one rule's
/// selectors on its opening line, comma-separated).
fn scoped(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut in_comment = false;
    for line in css.lines() {
        let trimmed = line.trim();
        if in_comment || trimmed.starts_with("/*") {
            in_comment = !trimmed.ends_with("*/");
            continue;
        }
        match trimmed.strip_suffix('{') {
            Some(selectors) => {
                let prefixed: Vec<String> = selectors
                    .split(',')
                    .map(|s| format!("{scope} {}", s.trim()))
                    .collect();
                out.push_str(&prefixed.join(", "));
                out.push_str(" {");
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    fn parse(hex: &str) -> Option<Rgb> {
        let hex = hex.strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        match hex.len() {
            6 | 8 => Some(Rgb(byte(0)?, byte(2)?, byte(4)?)),
            _ => None,
        }
    }

    /// Relative luminance (WCAG 2).
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// `self` moved `amount` (0..=1) of the way to `to`.
    fn mix(self, to: Rgb, amount: f64) -> Rgb {
        let m =
            |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
        Rgb(m(self.0, to.0), m(self.1, to.1), m(self.2, to.2))
    }

    /// The nearest colour (toward black on light backgrounds, white on dark ones) with at
    /// least `MIN_CONTRAST` against `background`.
    fn readable_on(self, background: Rgb) -> Rgb {
        let toward = if background.luminance() > 0.5 {
            Rgb(0, 0, 0)
        } else {
            Rgb(255, 255, 255)
        };
        (0..=20)
            .map(|step| self.mix(toward, f64::from(step) / 20.0))
            .find(|c| c.contrast(background) >= MIN_CONTRAST)
            .unwrap_or(toward)
    }
}

/// The theme's CSS with every text colour made readable on `background`, and the theme's own
/// background colours dropped (the page's `--code-bg` is the background).
fn readable_on(css: &str, background: Rgb) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("background-color:") {
            continue;
        }
        match trimmed
            .strip_prefix("color:")
            .map(|rest| rest.trim().trim_end_matches(';'))
            .and_then(Rgb::parse)
        {
            Some(colour) => {
                let Rgb(r, g, b) = colour.readable_on(background);
                out.push_str(&format!(" color: #{r:02x}{g:02x}{b:02x};"));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
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
    fn every_rule_applies_under_one_theme_only() {
        let css = stylesheet();
        assert!(css.contains(".hl-"), "{css}");
        let mut scopes = std::collections::HashSet::new();
        for line in css.lines().filter(|l| l.trim_end().ends_with('{')) {
            if line.starts_with("@media") {
                continue;
            }
            for selector in line.trim_end_matches('{').split(", ") {
                let scope = [LIGHT_CHOSEN, LIGHT_BY_SYSTEM, DARK_CHOSEN, DARK_BY_SYSTEM]
                    .into_iter()
                    .find(|scope| selector.starts_with(&format!("{scope} .hl-")));
                assert!(scope.is_some(), "unscoped selector: {selector}");
                scopes.extend(scope);
            }
        }
        assert_eq!(scopes.len(), 4, "both themes, chosen and by system");
        // The "by system" copies sit inside the matching media query.
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        assert!(!light.contains(DARK_BY_SYSTEM) && !dark.contains(LIGHT_BY_SYSTEM));
        assert!(light.contains("@media (prefers-color-scheme: light)"));
    }

    #[test]
    fn every_highlight_colour_meets_wcag_aa_on_the_code_background() {
        let (light, dark) = themes();
        for (part, background) in [(light, LIGHT_CODE_BG), (dark, DARK_CODE_BG)] {
            let colours: Vec<Rgb> = part
                .lines()
                .filter_map(|l| l.trim().strip_prefix("color:"))
                .filter_map(|c| Rgb::parse(c.trim().trim_end_matches(';')))
                .collect();
            assert!(colours.len() > 10, "{part}");
            for colour in colours {
                assert!(
                    colour.contrast(background) >= 4.5,
                    "{colour:?} on {background:?}"
                );
            }
            assert!(!part.contains("background-color"), "{part}");
        }
    }

    #[test]
    fn contrast_matches_the_wcag_formula() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert_eq!(Rgb::parse("#0086b3"), Some(Rgb(0, 0x86, 0xb3)));
        // The stock comment grey fails on our light background and is darkened just enough.
        let grey = Rgb(0x96, 0x98, 0x96);
        assert!(grey.contrast(LIGHT_CODE_BG) < 4.5);
        let fixed = grey.readable_on(LIGHT_CODE_BG);
        assert!(fixed.contrast(LIGHT_CODE_BG) >= 4.6);
        assert!(fixed.0 > 0x50, "still a grey, not black: {fixed:?}");
    }
}
