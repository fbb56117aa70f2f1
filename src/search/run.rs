//! Executing searches: ranking, filters and their counts, snippets, the best section of each
//! hit, "did you mean" corrections and title suggestions.

use std::collections::BTreeMap;

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, FuzzyTermQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, OwnedValue, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::SearchIndex;
use super::query::{Builder, ParsedQuery, Vocabulary, parse, synonyms_of};
use super::snippet::TermMatcher;
use super::tokenizer::{analyze, exact_analyzer, stemmed_analyzer};

/// Length of a result snippet, in bytes (about two lines of a results page).
const SNIPPET_LEN: usize = 220;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    pub query: String,
    pub tag: Option<String>,
    pub difficulty: Option<String>,
    pub offset: usize,
    pub limit: usize,
    /// Whether a query without results may be retried with a spelling correction.
    pub correct: bool,
    /// Whether to count results by tag and difficulty (the results page shows the counts; the
    /// JSON API does not, and skips that second pass over the matches).
    pub facets: bool,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// Escaped text with `<mark>` around the matches: safe to insert as HTML.
    pub snippet: String,
    /// The heading id of the section that matches best, when that is not the introduction.
    pub anchor: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Matches per tag and per difficulty for the query without filters, most first.
    pub tag_counts: Vec<(String, u64)>,
    pub difficulty_counts: Vec<(String, u64)>,
    /// Set when the query found nothing and a spelling correction did: the corrected query,
    /// whose results these are.
    pub corrected: Option<String>,
    /// A correction that also found nothing (offered, not run).
    pub suggestion: Option<String>,
}

struct SearcherVocabulary<'a>(&'a Searcher, &'a super::schema::Fields);

impl Vocabulary for SearcherVocabulary<'_> {
    fn contains(&self, term: &Term) -> bool {
        in_a_live_document(self.0, term)
    }

    fn closest(&self, word: &str) -> Vec<String> {
        let fields = self.1;
        closest_terms(self.0, &[fields.title, fields.body], word, 3)
    }
}

/// The deepest an offset can reach; further pages are refused.
pub const MAX_RESULTS: usize = 1000;

impl SearchIndex {
    pub(super) fn execute(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        let searcher = self.reader.searcher();
        let parsed = parse(&request.query);
        let mut builder = Builder::new(&self.fields, request.correct);
        let mut results =
            self.execute_parsed(&searcher, &mut builder, &parsed, &request.query, request)?;
        if results.total > 0 {
            // Results found through stand-ins for misspelt words: say what was searched.
            results.corrected = builder.corrected(&parsed).map(|q| q.to_query_string());
        } else if !parsed.words.is_empty() {
            results.suggestion = self
                .correct(&searcher, &parsed)
                .map(|q| q.to_query_string());
        }
        Ok(results)
    }

    fn execute_parsed(
        &self,
        searcher: &Searcher,
        builder: &mut Builder,
        parsed: &ParsedQuery,
        raw: &str,
        request: &SearchRequest,
    ) -> anyhow::Result<SearchResults> {
        let f = self.fields;
        let Some(query) = builder.build(parsed, raw, &SearcherVocabulary(searcher, &f)) else {
            return Ok(SearchResults::default());
        };
        let facet_counts = if request.facets {
            let mut facets = FacetCollector::for_field("facets");
            facets.add_facet(Facet::from("/tag"));
            facets.add_facet(Facet::from("/difficulty"));
            Some(searcher.search(&query, &facets)?)
        } else {
            None
        };
        let counts = |root: &str| -> Vec<(String, u64)> {
            let Some(facet_counts) = &facet_counts else {
                return Vec::new();
            };
            let mut counts: Vec<(String, u64)> = facet_counts
                .get(root)
                .map(|(facet, n)| {
                    (
                        facet
                            .to_path()
                            .last()
                            .map(|s| s.to_string())
                            .unwrap_or_default(),
                        n,
                    )
                })
                .collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts
        };
        let tag_counts = counts("/tag");
        let difficulty_counts = counts("/difficulty");

        let mut filters: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query.box_clone())];
        if let Some(tag) = &request.tag {
            filters.push((Occur::Must, facet_query(f.facets, &["tag", tag])));
        }
        if let Some(difficulty) = &request.difficulty {
            filters.push((
                Occur::Must,
                facet_query(f.facets, &["difficulty", difficulty]),
            ));
        }
        let filtered: Box<dyn Query> = if filters.len() == 1 {
            query.box_clone()
        } else {
            Box::new(BooleanQuery::new(filters))
        };
        let limit = request.limit.clamp(1, 100);
        let offset = request.offset.min(MAX_RESULTS);
        let (top, total) = searcher.search(
            &filtered,
            &(
                TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score(),
                Count,
            ),
        )?;

        let highlight_terms = self.highlight_terms(parsed);
        let mut matcher = TermMatcher::new(&highlight_terms);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            hits.push(self.hit(searcher, address, score, &mut matcher)?);
        }
        Ok(SearchResults {
            total,
            hits,
            tag_counts,
            difficulty_counts,
            corrected: None,
            suggestion: None,
        })
    }

    /// The stemmed forms of everything the reader typed (and its synonyms): what snippets mark
    /// and what decides a hit's best section.
    fn highlight_terms(&self, parsed: &ParsedQuery) -> BTreeMap<String, f32> {
        let mut stem = stemmed_analyzer();
        let mut terms = BTreeMap::new();
        let typed = parsed.words.iter().chain(&parsed.phrases);
        for text in typed.cloned().chain(synonyms_of(parsed)) {
            for token in analyze(&mut stem, &text) {
                // Operators and one-letter words would light up every line of code.
                if token.chars().count() > 1 || token.chars().any(|c| !c.is_alphanumeric()) {
                    terms.insert(token, 1.0);
                }
            }
        }
        terms
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        matcher: &mut TermMatcher,
    ) -> anyhow::Result<Hit> {
        let f = self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let id = doc
            .get_first(f.id)
            .and_then(|v| v.as_u64())
            .unwrap_or_default() as i64;
        let body = doc
            .get_first(f.body_stem)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let sections: Vec<(String, String)> = doc
            .get_first(f.sections)
            .and_then(|v| v.as_str())
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default();
        Ok(Hit {
            id,
            score,
            snippet: matcher.snippet(body, SNIPPET_LEN),
            anchor: best_section(&sections, matcher),
        })
    }

    /// For each unknown word, the closest word of the index vocabulary; `None` when no word
    /// could be corrected.
    fn correct(&self, searcher: &Searcher, parsed: &ParsedQuery) -> Option<ParsedQuery> {
        let f = self.fields;
        let mut exact = exact_analyzer();
        let mut corrected = parsed.clone();
        let mut changed = false;
        for word in &mut corrected.words {
            let tokens = analyze(&mut exact, word);
            let Some(main) = tokens.first() else { continue };
            let known = [f.title, f.body, f.summary, f.code]
                .iter()
                .any(|field| in_a_live_document(searcher, &Term::from_field_text(*field, main)));
            if known || main.chars().count() < 3 {
                continue;
            }
            if let Some(best) = closest_terms(searcher, &[f.title, f.body], main, 1).pop() {
                *word = best;
                changed = true;
            }
        }
        changed.then_some(corrected)
    }

    /// Ids of published articles whose title has all the words of `prefix`, the last one as a
    /// prefix ("tup" -> "...tuples..."), best first.
    pub(super) fn suggest_ids(&self, prefix: &str, limit: usize) -> anyhow::Result<Vec<i64>> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let mut exact = exact_analyzer();
        let words: Vec<&str> = prefix.split_whitespace().collect();
        let Some((last, complete)) = words.split_last() else {
            return Ok(Vec::new());
        };
        let Some(last) = analyze(&mut exact, last).into_iter().next() else {
            return Ok(Vec::new());
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in complete {
            if let Some(token) = analyze(&mut exact, word).into_iter().next() {
                clauses.push((Occur::Must, term(f.title, &token)));
            }
        }
        let mut completions: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(f.title)?;
            let mut stream = inverted.terms().range().ge(last.as_bytes()).into_stream()?;
            while stream.advance() && completions.len() < 64 {
                let Ok(text) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !text.starts_with(&last) {
                    break;
                }
                completions.push((Occur::Should, term(f.title, text)));
            }
        }
        if completions.is_empty() {
            return Ok(Vec::new());
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(completions))));
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.clamp(1, 20)).order_by_score(),
        )?;
        self.article_ids(&searcher, top)
    }

    /// Published articles whose words are most like the article `id`'s title and body, best
    /// first, without the article itself.
    pub(super) fn similar_ids(
        &self,
        searcher: &Searcher,
        id: i64,
        title: &str,
        limit: usize,
    ) -> anyhow::Result<Vec<i64>> {
        let f = self.fields;
        let this = Term::from_field_u64(f.id, id as u64);
        let found = searcher.search(
            &TermQuery::new(this.clone(), IndexRecordOption::Basic),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some((_, address)) = found.first() else {
            return Ok(Vec::new());
        };
        let doc: TantivyDocument = searcher.doc(*address)?;
        let body = doc
            .get_first(f.body_stem)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        // Common words say nothing about a topic; rare ones (in under a fifth of the articles)
        // do. The title counts twice.
        let max_docs = (searcher.num_docs() / 5).max(2);
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(max_docs)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(30)
            .with_stop_words(STOP_WORDS.iter().map(|w| (*w).to_owned()).collect())
            .with_document_fields(vec![
                (
                    f.title_stem,
                    vec![OwnedValue::from(title), OwnedValue::from(title)],
                ),
                (f.body_stem, vec![OwnedValue::from(body)]),
            ]);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(this, IndexRecordOption::Basic)),
            ),
        ]);
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(limit.clamp(1, 20)).order_by_score(),
        )?;
        self.article_ids(searcher, top)
    }
}

impl SearchIndex {
    /// The article ids of ranked hits, in order.
    fn article_ids(
        &self,
        searcher: &Searcher,
        top: Vec<(f32, DocAddress)>,
    ) -> anyhow::Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_u64()) {
                ids.push(id as i64);
            }
        }
        Ok(ids)
    }
}

/// English function words, left out of "more like this" queries.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "has", "have", "her",
    "was", "one", "our", "out", "use", "used", "uses", "using", "this", "that", "with", "from",
    "they", "them", "then", "than", "there", "their", "what", "when", "where", "which", "while",
    "who", "why", "how", "will", "would", "should", "could", "into", "onto", "each", "other",
    "some", "such", "only", "also", "just", "more", "most", "very", "does", "did", "done", "its",
    "it's", "your", "about", "after", "before", "because", "between", "both", "same", "these",
    "those", "here", "way", "ways", "get", "gets", "make", "makes", "like", "new", "python",
    "example", "examples", "answer", "question",
];

fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn facet_query(field: tantivy::schema::Field, path: &[&str]) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, &Facet::from_path(path)),
        IndexRecordOption::Basic,
    ))
}

/// The section with the most occurrences of the query's terms; `None` for the introduction.
fn best_section(sections: &[(String, String)], matcher: &mut TermMatcher) -> Option<String> {
    let mut best: Option<(&str, usize)> = None;
    for (anchor, text) in sections {
        let matches = matcher.matches(text).len();
        if matches > 0 && best.is_none_or(|(_, most)| matches > most) {
            best = Some((anchor, matches));
        }
    }
    best.map(|(anchor, _)| anchor.to_owned())
        .filter(|a| !a.is_empty())
}

/// Up to `n` index terms within a small edit distance of `word` (1, or 2 for words of eight
/// letters or more): the closest first, then the most frequent.
fn closest_terms(
    searcher: &Searcher,
    fields: &[tantivy::schema::Field],
    word: &str,
    n: usize,
) -> Vec<String> {
    let max = if word.chars().count() >= 8 { 2 } else { 1 };
    let target: Vec<char> = word.chars().collect();
    let mut found: Vec<(usize, u32, String)> = Vec::new();
    for segment in searcher.segment_readers() {
        for field in fields {
            let Ok(inverted) = segment.inverted_index(*field) else {
                continue;
            };
            // A Levenshtein automaton walks only the part of the term dictionary within
            // reach, instead of comparing the word with every term.
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(*field, word), max as u8, true);
            let Ok(automaton) = fuzzy.automaton() else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !candidate.chars().all(char::is_alphanumeric) {
                    continue;
                }
                let distance = edit_distance(&target, candidate, max);
                if distance == 0 || distance > max {
                    continue;
                }
                let info = stream.value();
                let live = inverted
                    .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                    .is_ok_and(|postings| has_a_live_document(segment, postings));
                if !live {
                    continue;
                }
                let freq = info.doc_freq;
                match found.iter_mut().find(|(_, _, t)| t == candidate) {
                    Some(entry) => entry.1 += freq,
                    None => found.push((distance, freq, candidate.to_owned())),
                }
            }
        }
    }
    found.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.cmp(&a.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    found.truncate(n);
    found.into_iter().map(|(_, _, term)| term).collect()
}

/// Whether `term` occurs in a document still in the index. Term dictionaries go on counting a
/// deleted document (an article made a draft or trashed) until its segment is merged, so
/// `doc_freq` alone would let words readers cannot find steer "did you mean" and fuzzy
/// matches.
fn in_a_live_document(searcher: &Searcher, term: &Term) -> bool {
    searcher.segment_readers().iter().any(|segment| {
        segment
            .inverted_index(term.field())
            .ok()
            .and_then(|inverted| inverted.read_postings(term, IndexRecordOption::Basic).ok())
            .flatten()
            .is_some_and(|postings| has_a_live_document(segment, postings))
    })
}

/// Whether a posting list names a document that is not deleted; stops at the first.
fn has_a_live_document(
    segment: &tantivy::SegmentReader,
    mut postings: tantivy::postings::SegmentPostings,
) -> bool {
    use tantivy::{DocSet as _, TERMINATED};
    let Some(alive) = segment.alive_bitset() else {
        return postings.doc() != TERMINATED;
    };
    let mut doc = postings.doc();
    while doc != TERMINATED {
        if alive.is_alive(doc) {
            return true;
        }
        doc = postings.advance();
    }
    false
}

/// Damerau-Levenshtein distance (adjacent transpositions count 1), giving up above `max`.
fn edit_distance(a: &[char], b: &str, max: usize) -> usize {
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut rows = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        let mut row_min = usize::MAX;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return max + 1;
        }
    }
    rows[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_typos() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), b, 3);
        assert_eq!(d("metaclas", "metaclass"), 1);
        assert_eq!(d("inheritence", "inheritance"), 1);
        assert_eq!(d("teh", "the"), 1);
        assert_eq!(d("same", "same"), 0);
        assert_eq!(d("abc", "xyz"), 3);
    }

    #[test]
    fn best_section_prefers_the_most_matches_and_skips_the_intro() {
        let sections = vec![
            ("".to_owned(), "intro about tuples".to_owned()),
            ("lists".to_owned(), "lists lists tuple".to_owned()),
        ];
        let mut terms = BTreeMap::new();
        terms.insert("list".to_owned(), 1.0);
        assert_eq!(
            best_section(&sections, &mut TermMatcher::new(&terms)),
            Some("lists".to_owned())
        );
        let mut terms = BTreeMap::new();
        terms.insert("intro".to_owned(), 1.0);
        assert_eq!(best_section(&sections, &mut TermMatcher::new(&terms)), None);
    }
}
