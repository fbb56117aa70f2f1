//! The article form as typed, and its validation into an `ArticleDraft`. Nothing here touches
//! the database; checks that need it (slug taken, related slugs exist) are in `save`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::db::articles::ForEdit;
use crate::domain::{
    ArticleDraft, Difficulty, Kind, PythonRange, Slug, Status, TagName, forbidden_char,
    normalize_newlines,
};
use crate::render::check_body;

pub use crate::domain::{MAX_BODY_CHARS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS};
pub const MAX_TAGS: usize = 10;
/// The longest note an editor may leave with a save.
pub const MAX_NOTE_CHARS: usize = 500;
pub use crate::domain::MAX_RELATED;

/// Every field exactly as the editor typed it (the field names are a contract).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ArticleForm {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub tags: String,
    pub related: String,
    pub kind: String,
    pub difficulty: String,
    pub status: String,
    /// The Pythons the page is about (`>=3.10`, `>=3.10,<3.13`); empty: every version.
    pub python: String,
    pub body: String,
    pub version: String,
    pub csrf_token: String,
    /// The article's id when editing (so Preview knows where the form saves to); empty on create.
    pub id: String,
    /// `1`: the editor confirmed that the tags may create new topics.
    pub new_tags_ok: String,
    /// The editor's note on this save, kept with the revision (optional).
    pub note: String,
}

/// A message per field, shown next to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl ArticleForm {
    /// The form filled with an article as stored.
    pub fn from_article(article: &ForEdit) -> Self {
        Self {
            title: article.title.clone(),
            slug: article.slug.clone(),
            summary: article.summary.clone(),
            tags: article.tags.replace(',', ", "),
            related: article.related.replace(',', ", "),
            kind: article.kind.to_string(),
            difficulty: article.difficulty.to_string(),
            status: article.status.to_string(),
            python: article.python.clone(),
            body: article.body.clone(),
            version: article.version.to_string(),
            csrf_token: String::new(),
            id: article.id.to_string(),
            new_tags_ok: String::new(),
            note: String::new(),
        }
    }

    /// The version the editor started from: 0 for a new article.
    pub fn version(&self) -> Result<i64, FieldErrors> {
        let text = self.version.trim();
        if text.is_empty() {
            return Ok(0);
        }
        text.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
            let mut errors = FieldErrors::default();
            errors.add(
                "version",
                "The form's version is damaged; reload the page (copy your text first).",
            );
            errors
        })
    }

    /// The body with the browser's CR LF line ends as newlines.
    pub fn normalized_body(&self) -> String {
        normalize_newlines(&self.body).into_owned()
    }

    /// Checks every field and collects every problem at once.
    pub fn validate(&self) -> Result<ArticleDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.add("title", "A title is required.");
        } else if title.chars().count() > MAX_TITLE_CHARS {
            errors.add(
                "title",
                format!("The title is longer than {MAX_TITLE_CHARS} characters."),
            );
        } else if let Some(forbidden) = forbidden_char(&title, false) {
            errors.add("title", forbidden.message("The title"));
        }
        let slug = if self.slug.trim().is_empty() {
            Slug::from_title(&title)
        } else {
            match Slug::parse(self.slug.trim()) {
                Ok(slug) => Some(slug),
                Err(err) => {
                    errors.add("slug", err.0);
                    None
                }
            }
        };
        if slug.is_none() && !title.is_empty() && !errors.0.contains_key("slug") {
            errors.add(
                "slug",
                "No address can be made from this title; type a slug (letters, digits, hyphens).",
            );
        }
        let summary = normalize_newlines(self.summary.trim()).into_owned();
        if summary.chars().count() > MAX_SUMMARY_CHARS {
            errors.add(
                "summary",
                format!("The summary is longer than {MAX_SUMMARY_CHARS} characters."),
            );
        } else if let Some(forbidden) = forbidden_char(&summary, true) {
            errors.add("summary", forbidden.message("The summary"));
        }
        let body = self.normalized_body();
        if let Err(problem) = check_body(&body) {
            errors.add("body", problem.message);
        } else if let Err(problem) = crate::verify::blocks::examples(&body) {
            // The rules of content/: a known language on every code block, an output right
            // after its program, version marks that parse. A wrong output is not refused (it
            // is shown as such once the example has run).
            errors.add(
                "body",
                format!("Code block {}: {}.", problem.block, problem.message),
            );
        }
        let tags = match TagName::parse_list(&self.tags) {
            Ok(tags) if tags.len() > MAX_TAGS => {
                errors.add("tags", format!("Use at most {MAX_TAGS} tags."));
                Vec::new()
            }
            Ok(tags) => tags,
            Err(err) => {
                errors.add("tags", err.0);
                Vec::new()
            }
        };
        let mut related: Vec<Slug> = Vec::new();
        for item in self
            .related
            .split([',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // Accept a pasted page address as well as a bare slug.
            let item = item.rsplit("/q/").next().unwrap_or(item).trim_matches('/');
            match Slug::parse(item) {
                Ok(slug) if !related.contains(&slug) => related.push(slug),
                Ok(_) => {}
                Err(err) => errors.add("related", err.0),
            }
        }
        if related.len() > MAX_RELATED {
            errors.add(
                "related",
                format!("Link at most {MAX_RELATED} related questions."),
            );
        }
        let kind = parse_or(&self.kind, Kind::Question, "kind", &mut errors);
        let difficulty = parse_or(
            &self.difficulty,
            Difficulty::Intermediate,
            "difficulty",
            &mut errors,
        );
        let status = match self.status.trim() {
            "draft" | "" => Status::Draft,
            "published" => Status::Published,
            "review" => Status::Review,
            other => {
                errors.add(
                    "status",
                    format!(
                        "\"{other}\" is not a status the form can set; use draft, review or \
                         published."
                    ),
                );
                Status::Draft
            }
        };
        if self.note.chars().count() > MAX_NOTE_CHARS {
            errors.add(
                "note",
                format!("Keep the note to {MAX_NOTE_CHARS} characters; the text is what changed."),
            );
        }
        if let Some(bad) = forbidden_char(&self.note, false) {
            errors.add("note", bad.message("The note"));
        }
        let python = PythonRange::parse(&self.python).unwrap_or_else(|err| {
            errors.add("python", err.0);
            PythonRange::default()
        });
        match (slug, errors.is_empty()) {
            (Some(slug), true) => Ok(ArticleDraft {
                slug,
                title,
                summary,
                body,
                kind,
                difficulty,
                status,
                tags,
                related,
                python,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_or<T: std::str::FromStr<Err = crate::domain::Invalid>>(
    text: &str,
    default: T,
    field: &'static str,
    errors: &mut FieldErrors,
) -> T {
    let text = text.trim();
    if text.is_empty() {
        return default;
    }
    text.parse().unwrap_or_else(|err: crate::domain::Invalid| {
        errors.add(field, err.0);
        default
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, body: &str) -> ArticleForm {
        ArticleForm {
            title: title.into(),
            body: body.into(),
            ..ArticleForm::default()
        }
    }

    #[test]
    fn defaults_fill_what_is_optional() {
        let mut f = form("What is a Generator?", "Body");
        f.tags = "Data Structures, basics, basics".into();
        f.related = "http://x/q/what-is-python-used-for, what-is-pep-8".into();
        let draft = f.validate().unwrap();
        assert_eq!(draft.slug.as_str(), "what-is-a-generator");
        assert_eq!(draft.kind, Kind::Question);
        assert_eq!(draft.difficulty, Difficulty::Intermediate);
        assert_eq!(draft.status, Status::Draft);
        let tags: Vec<&str> = draft.tags.iter().map(TagName::as_str).collect();
        assert_eq!(tags, ["data-structures", "basics"]);
        let related: Vec<&str> = draft.related.iter().map(Slug::as_str).collect();
        assert_eq!(related, ["what-is-python-used-for", "what-is-pep-8"]);
        assert!(draft.python.is_every_version());
        f.python = ">=3.10".into();
        assert_eq!(f.validate().unwrap().python.to_string(), ">=3.10");
    }

    #[test]
    fn every_problem_is_reported_by_its_field() {
        let mut f = form("", " ");
        f.slug = "Not a slug!".into();
        f.kind = "poem".into();
        f.status = "trashed".into();
        f.summary = "x".repeat(MAX_SUMMARY_CHARS + 1);
        f.python = "3.10+".into();
        let errors = f.validate().unwrap_err();
        for field in [
            "title", "slug", "body", "kind", "status", "summary", "python",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(form("ok", "ok").validate().is_ok());
    }

    #[test]
    fn code_blocks_follow_the_content_rules() {
        let errors = form("Sums", "Text.\n\n```javascript\nalert(1)\n```\n")
            .validate()
            .unwrap_err();
        let message = errors.get("body").unwrap_or_default();
        assert!(
            message.contains("Code block 1") && message.contains("javascript"),
            "{message}"
        );
        let errors = form("Sums", "Text.\n\n```output\n3\n```\n")
            .validate()
            .unwrap_err();
        assert!(
            errors
                .get("body")
                .unwrap_or_default()
                .contains("right after")
        );
        // A wrong output is the example's problem, not the form's.
        let wrong = "```python\nprint(1 + 1)\n```\n\n```output\n3\n```\n";
        assert!(form("Sums", wrong).validate().is_ok());
    }
}
