//! Editing articles: the admin form's fields and their validation, the one transaction that
//! saves an article with its tags, links, revision, redirect and search-outbox row, the trash,
//! and the history of revisions with their diffs.

mod diff;
mod form;
mod rerender;
pub mod review;
mod save;
mod trash;

use crate::db::Db;
use crate::page_cache::PageCache;
use crate::search::Search;

pub use diff::{DiffLine, LineKind, VersionFields, diff_lines, revision_text};
pub use form::{ArticleForm, FieldErrors, MAX_BODY_CHARS};
pub use rerender::{record_current_renderer, renderer_is_current, rerender_stale};
pub use save::{NewTopics, Saved, save};
pub use trash::{Backlink, Moved, backlinks, move_to_trash, restore_from_trash};

/// What a write touches: the database it writes, the search index it catches up and the page
/// cache it invalidates after the commit. Handlers pass `AppState::stores()`.
#[derive(Clone, Copy)]
pub struct Stores<'a> {
    pub db: &'a Db,
    pub search: &'a Search,
    pub pages: &'a PageCache,
    /// Told after a commit that queued examples to run (`verify::worker`).
    pub verify_wake: &'a tokio::sync::Notify,
}
