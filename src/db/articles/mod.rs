//! Queries over articles, their tags, related links and bodies, by job: what readers' pages
//! read, what the admin reads, what the search index reads, and the writes.

mod admin;
mod index;
mod reader;
mod writes;

pub use admin::*;
pub use index::*;
pub use reader::*;
pub use writes::*;

use crate::domain::{Difficulty, Kind};

/// A link to another article. Page queries return lists of them as JSON arrays of
/// `[slug, title, kind, difficulty]`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(from = "(String, String, Kind, Difficulty)")]
pub struct Link {
    pub slug: String,
    pub title: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
}

impl From<(String, String, Kind, Difficulty)> for Link {
    fn from((slug, title, kind, difficulty): (String, String, Kind, Difficulty)) -> Self {
        Link {
            slug,
            title,
            kind,
            difficulty,
        }
    }
}

impl From<Summary> for Link {
    fn from(s: Summary) -> Self {
        Link {
            slug: s.slug,
            title: s.title,
            kind: s.kind,
            difficulty: s.difficulty,
        }
    }
}
