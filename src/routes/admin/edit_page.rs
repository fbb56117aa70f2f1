//! The article form's page (`templates/admin/edit.html`): what the editor, the preview, the
//! conflict page and every "form again" answer show.

use askama::Template;

use super::Nav;
use crate::auth::CurrentUser;
use crate::db::articles::ForEdit;
use crate::domain::{Difficulty, Kind};
use crate::editing::{ArticleForm, FieldErrors};

#[derive(Template)]
#[template(path = "admin/edit.html")]
pub struct EditPage {
    pub nav: Option<Nav>,
    pub csrf_token: String,
    /// The article being edited; `None` while creating.
    pub id: Option<i64>,
    pub form: ArticleForm,
    pub errors: FieldErrors,
    /// A confirmation (e.g. "Saved").
    pub notice: Option<String>,
    /// Why the form came back (expired session, stale token, conflict).
    pub problem: Option<String>,
    pub preview_html: Option<String>,
    /// The previewed body's examples, run now.
    pub preview_examples: Option<super::examples::ExamplesView>,
    /// The saved body's examples, from the stored runs.
    pub examples: Option<super::examples::ExamplesView>,
    /// The newer version someone else saved, shown beside the editor's text.
    pub conflict: Option<Box<ForEdit>>,
    /// The editor's own text, kept beside theirs after choosing to edit from theirs.
    pub yours: Option<String>,
    /// Changes this editor typed here and did not save, offered back.
    pub autosave: Option<super::autosave::Offer>,
    /// Their changes since the version this editor started from (`conflict_from`), words
    /// marked.
    pub conflict_diff: Vec<crate::editing::DiffLine>,
    pub conflict_from: i64,
    /// The public address, when the article is published.
    pub public_url: Option<String>,
    /// The article is in the trash (saving takes it out).
    pub trashed: bool,
    /// A change of this article waiting for review (what the form shows), or returned.
    pub review: Option<ReviewState>,
}

/// What the editor is told of the change waiting for review.
pub struct ReviewState {
    /// Who sent it, and when.
    pub by: String,
    pub when: String,
    /// Who returned it, and their note.
    pub returned: Option<(String, String)>,
    /// Readers see the published text meanwhile (false: the article was never published).
    pub published: bool,
}

impl EditPage {
    pub(super) fn new(
        user: Option<&CurrentUser>,
        csrf_token: String,
        id: Option<i64>,
        form: ArticleForm,
    ) -> Self {
        Self {
            nav: user.map(Nav::from),
            csrf_token,
            id,
            form,
            errors: FieldErrors::default(),
            notice: None,
            problem: None,
            preview_html: None,
            preview_examples: None,
            examples: None,
            conflict: None,
            yours: None,
            autosave: None,
            conflict_diff: Vec::new(),
            conflict_from: 0,
            public_url: None,
            trashed: false,
            review: None,
        }
    }

    /// Where the page sends the form while the editor types (`static/admin.js`).
    pub fn autosave_url(&self) -> String {
        match self.id {
            Some(id) => format!("/admin/articles/{id}/autosave"),
            None => "/admin/articles/new/autosave".to_owned(),
        }
    }

    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/admin/articles/{id}"),
            None => "/admin/articles".to_owned(),
        }
    }

    pub fn heading(&self) -> String {
        match self.id {
            Some(_) => format!("Edit “{}”", self.form.title),
            None => "New article".to_owned(),
        }
    }

    pub fn error(&self, field: &str) -> String {
        self.errors.get(field).unwrap_or_default().to_owned()
    }

    /// The one-line fields, in form order.
    pub fn text_fields(&self) -> Vec<TextField> {
        let form = &self.form;
        [
            (
                "title",
                "Title",
                &form.title,
                "The question as a candidate would ask it.",
            ),
            (
                "slug",
                "Slug",
                &form.slug,
                "The address /q/…; left empty, it is made from the title.",
            ),
            (
                "summary",
                "Summary",
                &form.summary,
                "One sentence that answers the question (optional).",
            ),
            (
                "tags",
                "Tags",
                &form.tags,
                "Comma-separated; the first is the main topic (optional).",
            ),
            (
                "related",
                "Related",
                &form.related,
                "Comma-separated slugs of related questions, in order (optional).",
            ),
            (
                "python",
                "Pythons",
                &form.python,
                "The Python versions the page is about, like >=3.10 or >=3.10,<3.13 (optional: \
                 empty means every version). Examples run on every Python the site has; a \
                 result outside these versions is shown, never a failure.",
            ),
        ]
        .into_iter()
        .map(|(name, label, value, hint)| TextField {
            name,
            label,
            value: value.clone(),
            hint,
            error: self.error(name),
        })
        .collect()
    }

    pub fn kinds(&self) -> &'static [Kind] {
        Kind::ALL
    }

    pub fn difficulties(&self) -> &'static [Difficulty] {
        Difficulty::ALL
    }

    pub fn selected_kind(&self) -> &str {
        Some(self.form.kind.as_str())
            .filter(|k| !k.is_empty())
            .unwrap_or("question")
    }

    pub fn selected_difficulty(&self) -> &str {
        Some(self.form.difficulty.as_str())
            .filter(|d| !d.is_empty())
            .unwrap_or("intermediate")
    }
}

pub struct TextField {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub hint: &'static str,
    pub error: String,
}

impl TextField {
    /// Rows for a field shown as a textarea: enough for its text (about 80 characters a row,
    /// at least 2, at most 8), so nothing typed is cut off from view.
    pub fn rows(&self) -> usize {
        let chars = self.value.chars().count();
        let lines = self.value.lines().count();
        (chars / 80 + 1).max(lines).clamp(2, 8)
    }
}
