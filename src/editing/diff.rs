//! Comparing two versions of an article: each version as one text (its fields, then its
//! body), and a line diff between two such texts with a little context around each change.

use std::time::Duration;

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
    let list = |csv: &str| {
        csv.split(',')
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
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => LineKind::Same,
                    ChangeTag::Delete => LineKind::Removed,
                    ChangeTag::Insert => LineKind::Added,
                };
                lines.push(DiffLine {
                    kind,
                    old_line: change.old_index().map(|i| i + 1),
                    new_line: change.new_index().map(|i| i + 1),
                    text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
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
