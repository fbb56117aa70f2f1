//! The index schema. Bump `SCHEMA_VERSION` whenever fields or analyzers change: an index with
//! another stamp is rebuilt from the database at start-up.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use super::tokenizer::{EXACT, STEMMED};

/// 2: each section is a document of its own, beside its page's. 3: pages have a role too.
/// 4: the "Also asked as" phrasings have fields of their own. 5: so do a section's.
pub const SCHEMA_VERSION: u32 = 5;

/// What a document is: a whole page, or one section of it (the text under one heading, or
/// the introduction before the first). Both carry the article's `id`, so deleting by id
/// removes a page with its sections.
pub const PAGE: &str = "page";
pub const SECTION: &str = "section";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    /// `PAGE` or `SECTION`.
    pub kind: Field,
    /// Stored: whether a query covers the title decides if a hit lands on the page.
    pub title: Field,
    pub title_stem: Field,
    /// The whole title, normalized, as one token: an exact title query ranks first.
    pub title_norm: Field,
    pub summary: Field,
    pub summary_stem: Field,
    /// Stored: the other ways the page's question is asked (`render/asked_as.rs`); how much of
    /// a query they hold weighs in where a hit lands.
    pub asked_as: Field,
    pub asked_as_stem: Field,
    pub body: Field,
    /// Stored: snippets are cut from it.
    pub body_stem: Field,
    pub code: Field,
    pub tags: Field,
    /// `/tag/{name}` and `/difficulty/{level}`, counted for the result filters.
    pub facets: Field,
    // A section's own fields. Separate from the page's, so that neither kind of document
    // changes the other's term statistics.
    /// Stored: the heading's id on the page; empty for the introduction.
    pub anchor: Field,
    /// Stored: the heading's text.
    pub heading: Field,
    pub heading_stem: Field,
    pub section_body: Field,
    /// Stored: a section's snippet is cut from it.
    pub section_body_stem: Field,
    pub section_code: Field,
    /// Stored: the section's own "Also asked as" phrasings (not the introduction's: those are
    /// the page's), read like the page's, and its snippet when its text does not match.
    pub section_asked_as: Field,
    pub section_asked_as_stem: Field,
    /// What part a document plays: for a section `ROLE_BODY`, `ROLE_RECAP` or `ROLE_INTRO`;
    /// for a page `ROLE_BODY` or `ROLE_COLLECTION`.
    pub role: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | STORED | FAST),
        kind: builder.add_text_field("kind", STRING),
        title: builder.add_text_field("title", text(EXACT, true)),
        title_stem: builder.add_text_field("title_stem", text(STEMMED, false)),
        title_norm: builder.add_text_field("title_norm", STRING),
        summary: builder.add_text_field("summary", text(EXACT, false)),
        summary_stem: builder.add_text_field("summary_stem", text(STEMMED, false)),
        asked_as: builder.add_text_field("asked_as", text(EXACT, true)),
        asked_as_stem: builder.add_text_field("asked_as_stem", text(STEMMED, false)),
        body: builder.add_text_field("body", text(EXACT, false)),
        body_stem: builder.add_text_field("body_stem", text(STEMMED, true)),
        code: builder.add_text_field("code", text(EXACT, false)),
        tags: builder.add_text_field("tags", text(EXACT, false)),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
        anchor: builder.add_text_field("anchor", STORED),
        heading: builder.add_text_field("heading", text(EXACT, true)),
        heading_stem: builder.add_text_field("heading_stem", text(STEMMED, false)),
        section_body: builder.add_text_field("section_body", text(EXACT, false)),
        section_body_stem: builder.add_text_field("section_body_stem", text(STEMMED, true)),
        section_code: builder.add_text_field("section_code", text(EXACT, false)),
        section_asked_as: builder.add_text_field("section_asked_as", text(EXACT, true)),
        section_asked_as_stem: builder
            .add_text_field("section_asked_as_stem", text(STEMMED, false)),
        role: builder.add_u64_field("role", FAST),
    };
    (builder.build(), fields)
}

/// How titles and whole queries are compared for an exact match: lowercase words only.
pub fn normalize_title(text: &str) -> String {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A section under an ordinary heading (and a page that answers a question or explains).
pub const ROLE_BODY: u64 = 0;
/// A section that sums up its page (see `is_recap`).
pub const ROLE_RECAP: u64 = 1;
/// The text before the first heading: the page's own answer.
pub const ROLE_INTRO: u64 = 2;
/// A page that collects links to other answers (`Kind::Collection`): it mentions every topic it
/// lists, but the answers are on the pages it links to.
pub const ROLE_COLLECTION: u64 = 3;

/// The role of a section with this `anchor` and `heading`.
pub fn role(anchor: &str, heading: &str) -> u64 {
    if anchor.is_empty() {
        ROLE_INTRO
    } else if is_recap(heading) {
        ROLE_RECAP
    } else {
        ROLE_BODY
    }
}

/// Whether a heading names one of the sections that sum up a page rather than add to it
/// ("Common wrong answers", "Follow-up questions"): they mention most of the page's words, so
/// plain scoring would land readers there for almost anything the page is about.
pub fn is_recap(heading: &str) -> bool {
    const RECAPS: &[&str] = &[
        "common wrong answers",
        "follow up questions",
        "pitfalls and follow up questions",
        "where to go next",
    ];
    RECAPS.contains(&normalize_title(heading).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recaps_are_the_summing_up_sections_only() {
        assert!(is_recap("Common wrong answers"));
        assert!(is_recap("Follow-up questions"));
        assert!(!is_recap("Pitfalls"));
        assert!(!is_recap("Why the follow-up questions matter"));
    }
}
