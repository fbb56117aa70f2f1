use super::{Difficulty, Kind, PythonRange, Slug, Status, TagName};

/// Everything a save writes about an article, already validated: what the seed import, the
/// admin form and `pykb import` all produce before touching the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: Kind,
    pub difficulty: Difficulty,
    pub status: Status,
    pub tags: Vec<TagName>,
    /// Slugs of related entries, in the order the editor set.
    pub related: Vec<Slug>,
    /// The Pythons the page is about (its examples' results elsewhere are not failures).
    pub python: PythonRange,
}
