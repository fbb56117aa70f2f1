//! Comparing two versions of an article: each version as one text (its fields, then its
//! body), and a line diff between two such texts with a little context around each change,
//! the words that changed marked inside each changed line.

use std::time::{Duration, Instant};

use similar::{ChangeTag, TextDiff};

use crate::domain::{Difficulty, Kind, Status};

/// Lines of unchanged text kept around each change.
const CONTEXT_LINES: usize = 3;
/// A pathological pair of long texts gets a coarser (still correct) diff instead of a stall.
const DIFF_TIMEOUT: Duration = Duration::from_millis(500);

/// The fields of one version, as `revision_text` lays them out.
pub struct VersionFields<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub summary: &'a str,
    pub tags: &'a str,
    pub related: &'a str,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub status: Status,
    pub body: &'a str,
}

/// One version as a text to compare: a line per field, a blank line, then the body, so a
/// change of title or tags shows up in the same diff as a change of the answer.
pub fn revision_text(fields: &VersionFields<'_>) -> String {
    // Stored lists have no spaces after their commas; a form's usually do.
    let list = |csv: &str| {
        csv.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "Title: {}\nSlug: {}\nSummary: {}\nTags: {}\nRelated: {}\nKind: {}\nDifficulty: {}\nStatus: {}\n\n",
        fields.title,
        fields.slug,
        fields.summary,
        list(fields.tags),
        list(fields.related),
        fields.kind,
        fields.difficulty,
        fields.status,
    );
    text.push_str(fields.body);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Same,
    Removed,
    Added,
    /// Unchanged lines left out between two changes.
    Gap,
}

/// One line of a diff, with its numbers in the old and the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: LineKind,
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    pub text: String,
    /// The line in pieces, each marked when it is a word this side changed (removed from a
    /// removed line, added to an added one); one unmarked piece when the whole line changed
    /// or nothing in it did.
    pub parts: Vec<(bool, String)>,
}

impl DiffLine {
    /// The marker a unified diff puts before the line.
    pub fn sign(&self) -> &'static str {
        match self.kind {
            LineKind::Same => " ",
            LineKind::Removed => "-",
            LineKind::Added => "+",
            LineKind::Gap => "…",
        }
    }

    /// The element that marks a changed word on this line: `del` on a removed line, `ins`
    /// on an added one.
    pub fn mark_tag(&self) -> &'static str {
        match self.kind {
            LineKind::Removed => "del",
            _ => "ins",
        }
    }

    pub fn class(&self) -> &'static str {
        match self.kind {
            LineKind::Same => "diff-same",
            LineKind::Removed => "diff-del",
            LineKind::Added => "diff-ins",
            LineKind::Gap => "diff-gap",
        }
    }
}

/// The changes from `old` to `new` by line, each group of changes with a few lines of context;
/// empty when the texts are the same.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let started = Instant::now();
    let diff = TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_lines(old, new);
    let mut lines = Vec::new();
    for (n, group) in diff.grouped_ops(CONTEXT_LINES).iter().enumerate() {
        if n > 0 {
            lines.push(DiffLine {
                kind: LineKind::Gap,
                old_line: None,
                new_line: None,
                text: String::new(),
                parts: Vec::new(),
            });
        }
        for op in group {
            // The word diff inside changed lines shares the line diff's time budget: past it,
            // lines are still shown, only without their words marked.
            let deadline = started + DIFF_TIMEOUT;
            for change in diff.iter_inline_changes_deadline(op, Some(deadline)) {
                let kind = match change.tag() {
                    ChangeTag::Equal => LineKind::Same,
                    ChangeTag::Delete => LineKind::Removed,
                    ChangeTag::Insert => LineKind::Added,
                };
                let mut parts: Vec<(bool, String)> = change
                    .iter_strings_lossy()
                    .map(|(marked, text)| (marked, text.into_owned()))
                    .collect();
                if let Some((_, last)) = parts.last_mut() {
                    let trimmed = last.trim_end_matches(['\n', '\r']).len();
                    last.truncate(trimmed);
                }
                parts.retain(|(_, text)| !text.is_empty());
                // A line changed as a whole reads better unmarked: the sign says it all.
                if parts.iter().all(|(marked, _)| *marked) {
                    parts.iter_mut().for_each(|(marked, _)| *marked = false);
                }
                let text: String = parts.iter().map(|(_, t)| t.as_str()).collect();
                lines.push(DiffLine {
                    kind,
                    old_line: change.old_index().map(|i| i + 1),
                    new_line: change.new_index().map(|i| i + 1),
                    text,
                    parts,
                });
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_come_with_context_and_line_numbers() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";
        let lines = diff_lines(old, new);
        let shown: Vec<String> = lines
            .iter()
            .map(|l| format!("{}{}", l.sign(), l.text))
            .collect();
        assert_eq!(
            shown,
            [
                " a", "-b", "+B", " c", " d", " e", "…", " j", " k", " l", "+m"
            ]
        );
        assert_eq!(lines[1].old_line, Some(2));
        assert_eq!(lines[2].new_line, Some(2));
        assert!(diff_lines(old, old).is_empty());
    }

    #[test]
    fn a_one_word_change_is_marked_as_that_word() {
        let old = "The GIL makes code thread-safe.\n";
        let new = "The GIL makes code thread-hostile.\n";
        let lines = diff_lines(old, new);
        let marked = |kind: LineKind| -> Vec<String> {
            lines
                .iter()
                .filter(|l| l.kind == kind)
                .flat_map(|l| l.parts.iter().filter(|(m, _)| *m).map(|(_, t)| t.clone()))
                .collect()
        };
        // Words are what whitespace separates.
        assert_eq!(marked(LineKind::Removed), ["thread-safe."]);
        assert_eq!(marked(LineKind::Added), ["thread-hostile."]);
        let removed = lines.iter().find(|l| l.kind == LineKind::Removed).unwrap();
        assert_eq!(removed.text, "The GIL makes code thread-safe.");
        // A line replaced by a wholly different one is not marked word by word.
        let whole = diff_lines("alpha\n", "omega\n");
        assert!(
            whole.iter().all(|l| l.parts.iter().all(|(m, _)| !m)),
            "{whole:?}"
        );
    }

    #[test]
    fn field_changes_show_up_beside_the_body() {
        let fields = |title, tags| VersionFields {
            title,
            slug: "gil",
            summary: "",
            tags,
            related: "",
            kind: Kind::Question,
            difficulty: Difficulty::Advanced,
            status: Status::Published,
            body: "Body.",
        };
        let old = revision_text(&fields("The GIL", "threads,gil"));
        let new = revision_text(&fields("What is the GIL?", "threads,gil"));
        let changed: Vec<String> = diff_lines(&old, &new)
            .into_iter()
            .filter(|l| l.kind != LineKind::Same)
            .map(|l| l.text)
            .collect();
        assert_eq!(changed, ["Title: The GIL", "Title: What is the GIL?"]);
        assert!(old.contains("Tags: threads, gil\n"));
        assert!(old.ends_with("\n\nBody.\n"));
    }
}
