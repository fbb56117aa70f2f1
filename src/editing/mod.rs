//! Editing articles: the admin form's fields and their validation, and the one transaction
//! that saves an article with its tags, links, revision, redirect and search-outbox row.

mod form;
mod save;

pub use form::{ArticleForm, FieldErrors};
pub use save::{Saved, save};
