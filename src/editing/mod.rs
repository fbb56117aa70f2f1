//! Editing articles: the admin form's fields and their validation, the one transaction that
//! saves an article with its tags, links, revision, redirect and search-outbox row, the trash,
//! and the history of revisions with their diffs.

mod diff;
mod form;
mod rerender;
mod save;
mod trash;

pub use diff::{DiffLine, LineKind, VersionFields, diff_lines, revision_text};
pub use form::{ArticleForm, FieldErrors, MAX_BODY_CHARS};
pub use rerender::{record_current_renderer, rerender_if_stale};
pub use save::{Saved, save};
pub use trash::{Backlink, Moved, backlinks, move_to_trash, restore_from_trash};
