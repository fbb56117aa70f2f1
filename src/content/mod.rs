//! Articles as Markdown files with TOML front matter: the seed content in `content/`, embedded
//! in the binary, and the format of `pykb export` / `pykb import` (`write_document` and
//! `parse_document` are inverses).
//!
//! ```text
//! +++
//! title = "What is Python used for?"
//! slug = "what-is-python-used-for"
//! kind = "question"
//! summary = "One sentence."
//! tags = ["basics"]
//! difficulty = "beginner"
//! related = ["is-python-interpreted-or-compiled-or-both"]
//! python = ">=3.10"   # optional: the Pythons the page is about
//! +++
//!
//! The answer, in Markdown.
//! ```

mod seed;

pub use seed::{SeedReport, sync_files, sync_seed};

use serde::Deserialize;

use crate::domain::{
    ArticleDraft, Difficulty, Kind, MAX_RELATED, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, PythonRange,
    Slug, Status, TagName, forbidden_char, normalize_newlines,
};
use crate::render::check_body;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The seed files compiled into the binary, as (file name, text).
pub fn seed_files() -> &'static [(&'static str, &'static str)] {
    embedded::CONTENT
}

pub(crate) fn static_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::STATIC_FILES
}

const DELIMITER: &str = "+++";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    slug: String,
    kind: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    difficulty: Option<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    python: String,
}

/// A file that cannot be used, with the place at fault and what to do about it.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ContentError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Parses one article file into a validated draft.
pub fn parse_document(file: &str, text: &str) -> Result<ArticleDraft, ContentError> {
    let fail = |line: usize, message: String| ContentError {
        file: file.to_owned(),
        line,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Byte offsets of the front matter (between the delimiter lines) and of the body after it.
    let mut offset = 0;
    let mut front = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let next = offset + line.len();
        if line.trim_end() == DELIMITER {
            if index > 0 {
                front = Some((first_line_end(text), offset, next));
                break;
            }
        } else if index == 0 {
            return Err(fail(
                1,
                format!(
                    "the file must start with a `{DELIMITER}` line that opens the front matter"
                ),
            ));
        }
        offset = next;
    }
    let Some((front_start, front_end, body_start)) = front else {
        return Err(fail(
            1,
            format!("the front matter is never closed: add a `{DELIMITER}` line after it"),
        ));
    };
    let front = &text[front_start..front_end];
    let body = text[body_start..]
        .trim_start_matches(['\n', '\r'])
        .to_owned();

    let matter: FrontMatter = toml::from_str(front).map_err(|err| {
        let line = err
            .span()
            .map_or(0, |span| front[..span.start].matches('\n').count())
            + 2;
        fail(line, format!("front matter: {}", err.message()))
    })?;
    let field_line = |field: &str| {
        front
            .lines()
            .position(|l| l.trim_start().starts_with(field))
            .map_or(1, |i| i + 2)
    };
    let field = |name: &str, err: crate::domain::Invalid| {
        fail(field_line(name), format!("`{name}`: {err}"))
    };

    let title = matter.title.trim().to_owned();
    if title.is_empty() {
        return Err(fail(field_line("title"), "`title` is empty".into()));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(fail(
            field_line("title"),
            format!("`title` is longer than {MAX_TITLE_CHARS} characters"),
        ));
    }
    if let Some(forbidden) = forbidden_char(&title, false) {
        return Err(fail(field_line("title"), forbidden.message("`title`")));
    }
    let summary = normalize_newlines(matter.summary.trim()).into_owned();
    if summary.chars().count() > MAX_SUMMARY_CHARS {
        return Err(fail(
            field_line("summary"),
            format!("`summary` is longer than {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    if let Some(forbidden) = forbidden_char(&summary, true) {
        return Err(fail(field_line("summary"), forbidden.message("`summary`")));
    }
    // The body's first line, counted in the file.
    let body_line = text[..text.len() - body.len()].matches('\n').count() + 1;
    let body = normalize_newlines(&body).into_owned();
    if body.trim().is_empty() {
        return Err(fail(
            body_line,
            "the body after the front matter is empty".into(),
        ));
    }
    if let Err(problem) = check_body(&body) {
        let line = problem.line.map_or(body_line, |line| body_line + line - 1);
        return Err(fail(line, problem.message));
    }
    if matter.related.len() > MAX_RELATED {
        return Err(fail(
            field_line("related"),
            format!("`related` lists more than {MAX_RELATED} entries"),
        ));
    }
    Ok(ArticleDraft {
        slug: Slug::parse(&matter.slug).map_err(|e| field("slug", e))?,
        title,
        summary,
        body,
        kind: matter.kind.parse::<Kind>().map_err(|e| field("kind", e))?,
        difficulty: matter
            .difficulty
            .as_deref()
            .unwrap_or("intermediate")
            .parse::<Difficulty>()
            .map_err(|e| field("difficulty", e))?,
        status: matter
            .status
            .as_deref()
            .unwrap_or("published")
            .parse::<Status>()
            .map_err(|e| field("status", e))?,
        tags: TagName::parse_list(&matter.tags.join(",")).map_err(|e| field("tags", e))?,
        related: matter
            .related
            .iter()
            .map(|s| Slug::parse(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| field("related", e))?,
        python: PythonRange::parse(&matter.python).map_err(|e| field("python", e))?,
    })
}

/// An article as a file in this format (`status` is written only when it is not
/// `published`, as in `content/`). Parsing the result gives the same article back.
pub fn write_document(article: &crate::db::articles::ForEdit) -> String {
    // A JSON string is a valid TOML basic string: the same quotes and escapes.
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    let list = |csv: &str| {
        let items: Vec<String> = crate::db::split_list(csv).map(quote).collect();
        format!("[{}]", items.join(", "))
    };
    let mut out = String::with_capacity(article.body.len() + 512);
    out.push_str(DELIMITER);
    out.push('\n');
    out.push_str(&format!("title = {}\n", quote(&article.title)));
    out.push_str(&format!("slug = {}\n", quote(&article.slug)));
    out.push_str(&format!("kind = {}\n", quote(article.kind.as_str())));
    out.push_str(&format!("summary = {}\n", quote(&article.summary)));
    out.push_str(&format!("tags = {}\n", list(&article.tags)));
    out.push_str(&format!(
        "difficulty = {}\n",
        quote(article.difficulty.as_str())
    ));
    out.push_str(&format!("related = {}\n", list(&article.related)));
    if article.status != Status::Published {
        out.push_str(&format!("status = {}\n", quote(article.status.as_str())));
    }
    if !article.python.is_empty() {
        out.push_str(&format!("python = {}\n", quote(&article.python)));
    }
    out.push_str(DELIMITER);
    out.push_str("\n\n");
    out.push_str(article.body.trim_start_matches(['\n', '\r']));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn first_line_end(text: &str) -> usize {
    text.find('\n').map_or(text.len(), |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\ntitle = \"What is X?\"\nslug = \"what-is-x\"\nkind = \"question\"\n\
                        summary = \"X is Y.\"\ntags = [\"basics\", \"oop\"]\ndifficulty = \"beginner\"\n\
                        related = [\"a\", \"b\"]\n+++\n\nThe answer.\n";

    #[test]
    fn a_complete_file_parses() {
        let draft = parse_document("what-is-x.md", GOOD).unwrap();
        assert_eq!(draft.title, "What is X?");
        assert_eq!(draft.slug.as_str(), "what-is-x");
        assert_eq!(draft.kind, Kind::Question);
        assert_eq!(draft.difficulty, Difficulty::Beginner);
        assert_eq!(draft.status, Status::Published);
        assert_eq!(draft.tags.len(), 2);
        assert_eq!(draft.related.len(), 2);
        assert_eq!(draft.body, "The answer.\n");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let bad = GOOD.replace("kind = \"question\"", "kind = \"essay\"");
        let err = parse_document("x.md", &bad).unwrap_err();
        assert_eq!((err.file.as_str(), err.line), ("x.md", 4), "{err}");
        assert!(err.to_string().contains("not a valid kind"), "{err}");

        let bad = GOOD.replace("summary = \"X is Y.\"", "summary = X is Y.");
        let err = parse_document("x.md", &bad).unwrap_err();
        assert_eq!(err.line, 5, "{err}");

        let err = parse_document("x.md", "no front matter").unwrap_err();
        assert_eq!(err.line, 1, "{err}");
    }

    #[test]
    fn written_documents_parse_back_to_the_same_article() {
        let article = crate::db::articles::ForEdit {
            id: 7,
            slug: "quotes-and-unicode".into(),
            title: "Why \"quotes\", back\\slashes and ünïcödé \u{1F40D}?".into(),
            summary: "Line one\ttabbed.".into(),
            body: "Body with +++ inside\n\n```python\nprint('hi')\n```\n".into(),
            kind: Kind::Article,
            difficulty: Difficulty::Advanced,
            status: Status::Trashed,
            version: 3,
            tags: "memory,internals".into(),
            related: "a-b,c".into(),
            python: ">=3.10,<3.13".into(),
        };
        let text = write_document(&article);
        let draft = parse_document("quotes-and-unicode.md", &text).unwrap();
        assert_eq!(draft.title, article.title);
        assert_eq!(draft.summary, article.summary);
        assert_eq!(draft.body, article.body);
        assert_eq!(draft.kind, Kind::Article);
        assert_eq!(draft.difficulty, Difficulty::Advanced);
        assert_eq!(draft.status, Status::Trashed);
        let tags: Vec<&str> = draft.tags.iter().map(TagName::as_str).collect();
        assert_eq!(tags, ["memory", "internals"]);
        let related: Vec<&str> = draft.related.iter().map(Slug::as_str).collect();
        assert_eq!(related, ["a-b", "c"]);
        assert_eq!(draft.python.to_string(), ">=3.10,<3.13");
        // The seed files are in the same format: writing one back gives the file itself.
        let (name, seed) = seed_files()[0];
        let draft = parse_document(name, seed).unwrap();
        let again = crate::db::articles::ForEdit {
            id: 1,
            slug: draft.slug.to_string(),
            title: draft.title.clone(),
            summary: draft.summary.clone(),
            body: draft.body.clone(),
            kind: draft.kind,
            difficulty: draft.difficulty,
            status: draft.status,
            version: 1,
            tags: draft
                .tags
                .iter()
                .map(TagName::as_str)
                .collect::<Vec<_>>()
                .join(","),
            related: draft
                .related
                .iter()
                .map(Slug::as_str)
                .collect::<Vec<_>>()
                .join(","),
            python: draft.python.to_string(),
        };
        assert_eq!(write_document(&again), seed, "{name}");
    }

    #[test]
    fn unknown_fields_are_refused_rather_than_ignored() {
        let bad = GOOD.replace("+++\n\nThe", "tittle = \"typo\"\n+++\n\nThe");
        assert!(parse_document("x.md", &bad).is_err());
    }

    #[test]
    fn every_embedded_seed_file_parses_and_is_named_by_its_slug() {
        assert!(!seed_files().is_empty());
        for (name, text) in seed_files() {
            let draft = parse_document(name, text).unwrap_or_else(|err| panic!("{err}"));
            assert_eq!(
                *name,
                format!("{}.md", draft.slug),
                "file name must be {{slug}}.md"
            );
        }
    }
}
