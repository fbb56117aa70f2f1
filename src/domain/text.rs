//! What stored text may contain. A control character (other than tab and newline) cannot be
//! seen on a page, is usually pasted in by accident, and makes an XML feed invalid, so titles,
//! summaries and bodies refuse it wherever they come from (the form, `pykb import`, the seed).

use std::borrow::Cow;

/// The longest body accepted, in characters (a long article is about 40,000).
pub const MAX_BODY_CHARS: usize = 200_000;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 500;
/// Related entries one article may list: enough for an overview that relates every entry it
/// introduces (the seed's "Releasing memory in Python" relates 61), so the form can always
/// save what the seed or an import stored.
pub const MAX_RELATED: usize = 100;

/// A character refused in stored text, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden {
    /// 1-based line of the text.
    pub line: usize,
    pub ch: char,
}

impl Forbidden {
    /// What the person who typed it is told.
    pub fn message(&self, place: &str) -> String {
        format!(
            "{place} has an invisible control character (U+{:04X}) on line {}; delete it (it \
             usually comes from pasting) and save again.",
            u32::from(self.ch),
            self.line
        )
    }
}

/// The first character that has no place in text (`multiline` allows newlines).
pub fn forbidden_char(text: &str, multiline: bool) -> Option<Forbidden> {
    let mut line = 1;
    for ch in text.chars() {
        match ch {
            '\n' if multiline => line += 1,
            '\t' => {}
            // Not characters of XML 1.0 either.
            '\u{FFFE}' | '\u{FFFF}' => return Some(Forbidden { line, ch }),
            c if c.is_control() => return Some(Forbidden { line, ch }),
            _ => {}
        }
    }
    None
}

/// Line ends as one newline: browsers send CR LF from a textarea, old files may have CR alone.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_newlines_pass_other_controls_are_found_by_line() {
        assert_eq!(forbidden_char("a\tb\nc", true), None);
        assert_eq!(
            forbidden_char("a\nb\u{1b}[31m", true),
            Some(Forbidden {
                line: 2,
                ch: '\u{1b}'
            })
        );
        assert_eq!(
            forbidden_char("one\nline", false),
            Some(Forbidden { line: 1, ch: '\n' })
        );
        for ch in ['\0', '\u{7f}', '\u{85}', '\u{FFFF}', '\r'] {
            assert!(forbidden_char(&format!("x{ch}"), true).is_some(), "{ch:?}");
        }
        assert_eq!(forbidden_char("é ünïcode ✓ 𝔘", false), None);
    }

    #[test]
    fn line_ends_become_newlines() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
        assert!(matches!(normalize_newlines("a\nb"), Cow::Borrowed(_)));
    }
}
