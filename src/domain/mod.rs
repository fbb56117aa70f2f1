//! Validated values. Input from files, forms and URLs is parsed into these types at the edge,
//! so the rest of the code only ever sees values that are known to be valid.

mod article;
mod draft;
mod python;
mod slug;
mod tag;
mod text;

pub use article::{Difficulty, Kind, Role, Status};
pub use draft::ArticleDraft;
pub use python::{Minor, PythonRange, parse_minor};
pub use slug::{Slug, slugify};
pub use tag::{TagName, tag_label, topic_rank};
pub use text::{
    Forbidden, MAX_BODY_CHARS, MAX_RELATED, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, forbidden_char,
    normalize_newlines,
};

/// Why a value was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// The shortest password accepted for an account.
pub const MIN_PASSWORD_CHARS: usize = 10;
