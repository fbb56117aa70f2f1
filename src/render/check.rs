//! Whether a body can be stored: short enough, free of control characters, and nested no
//! deeper than the renderer keeps (`MAX_NESTING`). The form, `pykb import` and the seed all
//! ask this, so a body refused in one place is refused in all of them.

use super::nesting::{MAX_NESTING, too_deep_line};
use crate::domain::{MAX_BODY_CHARS, forbidden_char};

/// Why a body was refused, and on which of its lines (1-based) when one is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProblem {
    pub line: Option<usize>,
    pub message: String,
}

/// Checks a body whose line ends are already newlines.
pub fn check_body(body: &str) -> Result<(), BodyProblem> {
    if body.trim().is_empty() {
        return Err(BodyProblem {
            line: None,
            message: "The answer (body) is required.".into(),
        });
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(BodyProblem {
            line: None,
            message: format!(
                "The body is longer than {MAX_BODY_CHARS} characters; split it into several \
                 answers that link to each other."
            ),
        });
    }
    if let Some(forbidden) = forbidden_char(body, true) {
        return Err(BodyProblem {
            line: Some(forbidden.line),
            message: forbidden.message("The body"),
        });
    }
    if let Some(line) = too_deep_line(body) {
        return Err(BodyProblem {
            line: Some(line),
            message: format!(
                "Line {line} of the body nests lists, quotes, links or emphasis more than \
                 {MAX_NESTING} levels deep; readers cannot follow that many either: flatten it."
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_problem_names_its_line() {
        assert_eq!(check_body("## Fine\n\n- a\n  - b\n"), Ok(()));
        assert_eq!(check_body(" \n").unwrap_err().line, None);
        assert_eq!(
            check_body(&"x".repeat(MAX_BODY_CHARS + 1))
                .unwrap_err()
                .line,
            None
        );
        let control = check_body("a\nb\u{7}").unwrap_err();
        assert_eq!(control.line, Some(2));
        assert!(control.message.contains("U+0007"), "{}", control.message);
        let deep = check_body(&format!("a\n\n{}x", "> ".repeat(50))).unwrap_err();
        assert_eq!(deep.line, Some(3));
        assert!(deep.message.starts_with("Line 3 "), "{}", deep.message);
    }
}
