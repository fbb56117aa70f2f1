//! The index schema. Bump `SCHEMA_VERSION` whenever fields or analyzers change: an index with
//! another stamp is rebuilt from the database at start-up.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use super::tokenizer::{EXACT, STEMMED};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub title_stem: Field,
    /// The whole title, normalized, as one token: an exact title query ranks first.
    pub title_norm: Field,
    pub summary: Field,
    pub summary_stem: Field,
    pub body: Field,
    /// Stored: snippets are cut from it.
    pub body_stem: Field,
    pub code: Field,
    pub tags: Field,
    /// `/tag/{name}` and `/difficulty/{level}`, counted for the result filters.
    pub facets: Field,
    /// Stored JSON: the sections with their anchors, to link a hit to its best section.
    pub sections: Field,
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
        title: builder.add_text_field("title", text(EXACT, false)),
        title_stem: builder.add_text_field("title_stem", text(STEMMED, false)),
        title_norm: builder.add_text_field("title_norm", STRING),
        summary: builder.add_text_field("summary", text(EXACT, false)),
        summary_stem: builder.add_text_field("summary_stem", text(STEMMED, false)),
        body: builder.add_text_field("body", text(EXACT, false)),
        body_stem: builder.add_text_field("body_stem", text(STEMMED, true)),
        code: builder.add_text_field("code", text(EXACT, false)),
        tags: builder.add_text_field("tags", text(EXACT, false)),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
        sections: builder.add_text_field("sections", STORED),
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
