//! Executing searches: ranking, filters and their counts, snippets, the best section of each
//! hit, "did you mean" corrections and title suggestions.

use std::collections::BTreeMap;

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, FuzzyTermQuery, MoreLikeThisQuery, Occur, Query,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, OwnedValue, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::SearchIndex;
use super::landing::{Landing, QueryWords, SectionEvidence, pick_section};
use super::query::{
    Builder, COMPLETIONS, ParsedQuery, Targets, Vocabulary, parse, synonyms_by_word, synonyms_of,
};
use super::schema::{
    Fields, PAGE, ROLE_COLLECTION, ROLE_INTRO, ROLE_RECAP, SECTION, normalize_title,
};
use super::snippet::TermMatcher;
use super::tokenizer::{analyze, exact_analyzer, stemmed_analyzer};

/// Length of a result snippet, in bytes (about two lines of a results page).
const SNIPPET_LEN: usize = 220;
/// Length of the snippet of each section listed under a result.
const SECTION_SNIPPET_LEN: usize = 140;
/// The top of the page ranking that is ranked again with what the pages' sections say: a page
/// with one section all about the query beats a long page that mentions its words throughout.
const RERANK_WINDOW: usize = 50;
/// How much a page's best section adds to the page's own score.
const SECTION_WEIGHT: f32 = 3.0;
/// Sections scored for the pages of the window at most (their best ones first).
const SECTIONS_SCORED: usize = 2000;
/// What a collection page scores, as a share of its plain score, before its sections count.
const COLLECTION_WEIGHT: f32 = 0.5;
/// What a section that recaps its page scores, as a share of its plain score.
const RECAP_WEIGHT: f32 = 0.5;
/// Sections listed under a result at most.
const SECTIONS_PER_HIT: usize = 3;
/// A section is listed when it scores at least this share of the page's best section.
const LISTED_SHARE: f32 = 0.3;

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
    /// Results as the reader types: the last word may be unfinished and matches as a prefix.
    pub as_you_type: bool,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// Escaped text with `<mark>` around the matches, from where the hit lands (the section,
    /// or the page): safe to insert as HTML.
    pub snippet: String,
    /// The section the reader should land on; `None` lands on the page itself (the query
    /// matches the title, or the page as a whole better than any one section).
    pub section: Option<SectionHit>,
    /// Up to three sections that match, best first (the landing one among them).
    pub sections: Vec<SectionHit>,
    /// What decided between the page and its best section.
    pub landing: Landing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionHit {
    /// The heading's id on the page.
    pub anchor: String,
    pub heading: String,
    /// Escaped, with `<mark>`s, from this section's own text.
    pub snippet: String,
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

struct SearcherVocabulary<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// Page documents, deleted ones included (as in term frequencies).
    pages: u64,
}

impl Vocabulary for SearcherVocabulary<'_> {
    fn contains(&self, term: &Term) -> bool {
        in_a_live_document(self.searcher, term)
    }

    fn closest(&self, word: &str) -> Vec<String> {
        let f = self.fields;
        closest_terms(self.searcher, &[f.title, f.body], word, 3)
    }

    fn completions(&self, prefix: &str) -> Vec<String> {
        let f = self.fields;
        let mut found: Vec<(u32, String)> = Vec::new();
        for segment in self.searcher.segment_readers() {
            for field in [f.title, f.body] {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
                else {
                    continue;
                };
                // The dictionary is sorted: the words with this prefix come in one run. Read
                // a bounded part of it; a two-letter prefix can start thousands of words.
                let mut read = 0;
                while stream.advance() && read < 512 {
                    read += 1;
                    let Ok(text) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if !text.starts_with(prefix) {
                        break;
                    }
                    if text == prefix {
                        continue;
                    }
                    let freq = stream.value().doc_freq;
                    match found.iter_mut().find(|(_, t)| t == text) {
                        Some(entry) => entry.0 = entry.0.max(freq),
                        None => found.push((freq, text.to_owned())),
                    }
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.truncate(COMPLETIONS);
        found.into_iter().map(|(_, text)| text).collect()
    }

    fn share(&self, token: &str) -> f32 {
        let f = self.fields;
        let most = [f.title, f.summary, f.body, f.code, f.tags]
            .iter()
            .map(|field| {
                self.searcher
                    .doc_freq(&Term::from_field_text(*field, token))
                    .unwrap_or_default()
            })
            .max()
            .unwrap_or_default();
        most as f32 / self.pages.max(1) as f32
    }
}

/// The statistics BM25 scores one kind of document with. Pages and sections share the index
/// but not their fields; counted together, each kind's words would look rarer than they are,
/// and its documents shorter than average.
struct KindStatistics<'a> {
    searcher: &'a Searcher,
    /// Documents of this kind, deleted ones included (as in the other statistics).
    docs: u64,
}

impl<'a> KindStatistics<'a> {
    fn of(searcher: &'a Searcher, fields: &Fields, kind: &str) -> Self {
        let docs = searcher
            .doc_freq(&Term::from_field_text(fields.kind, kind))
            .unwrap_or_default();
        KindStatistics {
            searcher,
            docs: docs.max(1),
        }
    }
}

impl Bm25StatisticsProvider for KindStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

/// Live pages in the index (sections not counted).
pub(super) fn count_pages(searcher: &Searcher, fields: &Fields) -> anyhow::Result<u64> {
    let pages = TermQuery::new(
        Term::from_field_text(fields.kind, PAGE),
        IndexRecordOption::Basic,
    );
    Ok(searcher.search(&pages, &Count)? as u64)
}

/// A page in the ranking, with its sections that match the query, best first.
struct Candidate {
    address: DocAddress,
    id: u64,
    score: f32,
    /// The page's score before its sections count.
    page_score: f32,
    sections: Vec<SectionMatch>,
}

/// A section listed under a hit, as stored.
struct ListedSection {
    score: f32,
    anchor: String,
    heading: String,
    prose: String,
    asked_as: String,
}

struct SectionMatch {
    score: f32,
    address: DocAddress,
    /// The text before the first heading, which is the page itself to a reader.
    intro: bool,
}

/// The deepest an offset can reach; further pages are refused.
pub const MAX_RESULTS: usize = 1000;

impl SearchIndex {
    pub(super) fn execute(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        let searcher = self.reader.searcher();
        let parsed = parse(&request.query);
        let mut builder = Builder::new(&self.fields, request.correct);
        if request.as_you_type {
            builder = builder.typing(&parsed, &request.query);
        }
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
        let pages = KindStatistics::of(searcher, &f, PAGE);
        let vocabulary = SearcherVocabulary {
            searcher,
            fields: &f,
            pages: pages.docs,
        };
        let Some(query) = builder.build(parsed, raw, &vocabulary, Targets::pages(&f)) else {
            return Ok(SearchResults::default());
        };
        let section_query = builder.build(parsed, raw, &vocabulary, Targets::sections(&f));
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
        let (top, total) = searcher.search_with_statistics_provider(
            &filtered,
            &(
                TopDocs::with_limit((offset + limit).max(RERANK_WINDOW)).order_by_score(),
                Count,
            ),
            &pages,
        )?;
        let ids = IdColumn::new(searcher, "id");
        let mut ranked: Vec<Candidate> = top
            .into_iter()
            .map(|(score, address)| Candidate {
                address,
                id: ids.of(address),
                score,
                page_score: score,
                sections: Vec::new(),
            })
            .collect();
        let window = ranked.len().min(RERANK_WINDOW);
        let roles = FastU64::new(searcher, "role");
        for candidate in &mut ranked[..window] {
            if roles.of(candidate.address) == ROLE_COLLECTION {
                candidate.score *= COLLECTION_WEIGHT;
            }
        }
        if let Some(section_query) = &section_query {
            self.score_sections(searcher, &ids, section_query, &mut ranked[..window])?;
        }
        for candidate in &mut ranked[..window] {
            candidate.page_score = candidate.score;
            if let Some(best) = candidate.sections.first() {
                candidate.score += SECTION_WEIGHT * best.score;
            }
        }
        ranked[..window].sort_by(|a, b| b.score.total_cmp(&a.score));

        let words = self.query_words(builder, &vocabulary, parsed);
        let highlight_terms = self.highlight_terms(builder, parsed);
        let mut matcher = TermMatcher::new(&highlight_terms);
        let whole = normalize_title(raw);
        let mut hits = Vec::with_capacity(limit);
        for candidate in ranked.iter().skip(offset).take(limit) {
            hits.push(self.hit(searcher, candidate, &whole, &words, &mut matcher)?);
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

    /// Scores the sections of the `candidates` pages against the query, and gives each
    /// candidate its matching sections, best first.
    fn score_sections(
        &self,
        searcher: &Searcher,
        ids: &IdColumn,
        section_query: &dyn Query,
        candidates: &mut [Candidate],
    ) -> anyhow::Result<()> {
        if candidates.is_empty() {
            return Ok(());
        }
        let f = self.fields;
        let of_these_pages =
            TermSetQuery::new(candidates.iter().map(|c| Term::from_field_u64(f.id, c.id)));
        let query = BooleanQuery::new(vec![
            (Occur::Must, section_query.box_clone()),
            (Occur::Must, Box::new(of_these_pages)),
        ]);
        let sections = KindStatistics::of(searcher, &f, SECTION);
        let found = searcher.search_with_statistics_provider(
            &query,
            &TopDocs::with_limit(SECTIONS_SCORED).order_by_score(),
            &sections,
        )?;
        let roles = FastU64::new(searcher, "role");
        for (score, address) in found {
            let id = ids.of(address);
            let role = roles.of(address);
            let score = if role == ROLE_RECAP {
                score * RECAP_WEIGHT
            } else {
                score
            };
            if let Some(candidate) = candidates.iter_mut().find(|c| c.id == id) {
                candidate.sections.push(SectionMatch {
                    score,
                    address,
                    intro: role == ROLE_INTRO,
                });
            }
        }
        for candidate in candidates.iter_mut() {
            candidate
                .sections
                .sort_by(|a, b| b.score.total_cmp(&a.score));
        }
        Ok(())
    }

    /// Each word the reader typed (phrases word by word), with its forms and its weight.
    fn query_words(
        &self,
        builder: &mut Builder,
        vocabulary: &SearcherVocabulary,
        parsed: &ParsedQuery,
    ) -> QueryWords {
        let mut exact = exact_analyzer();
        let phrase_words = parsed.phrases.iter().flat_map(|p| p.split_whitespace());
        let synonyms = synonyms_by_word(parsed);
        let no_synonyms = Vec::new();
        let mut words = Vec::new();
        let typed = parsed.words.iter().map(String::as_str).chain(phrase_words);
        for (i, word) in typed.enumerate() {
            let forms = builder.forms(word, synonyms.get(i).unwrap_or(&no_synonyms), vocabulary);
            let Some(main) = analyze(&mut exact, word).into_iter().next() else {
                continue;
            };
            if forms.is_empty() {
                continue;
            }
            // Rarity as BM25 weighs it; a misspelt word weighs as its closest stand-in.
            let share = match builder.corrections.iter().find(|(typed, _)| typed == word) {
                Some((_, known)) => vocabulary.share(known),
                None => vocabulary.share(&main),
            };
            let n = share * vocabulary.pages as f32;
            let total = vocabulary.pages as f32;
            let idf = (1.0 + (total - n + 0.5) / (n + 0.5)).ln();
            words.push((forms, idf));
        }
        QueryWords(words)
    }

    /// The stemmed forms of everything the reader typed (its synonyms, and the known words
    /// that stood in for misspelt ones): what snippets mark.
    fn highlight_terms(&self, builder: &Builder, parsed: &ParsedQuery) -> BTreeMap<String, f32> {
        let mut stem = stemmed_analyzer();
        let mut terms = BTreeMap::new();
        let typed = parsed.words.iter().chain(&parsed.phrases);
        let stand_ins = builder
            .corrections
            .iter()
            .map(|(_, known)| known.clone())
            .chain(builder.completed().iter().cloned());
        for text in typed.cloned().chain(synonyms_of(parsed)).chain(stand_ins) {
            for token in analyze(&mut stem, &text) {
                // Operators and one-letter words would light up every line of code.
                if token.chars().count() > 1 || token.chars().any(|c| !c.is_alphanumeric()) {
                    terms.insert(token, 1.0);
                }
            }
        }
        terms
    }

    /// What a ranked page shows: where it lands, its snippet from there, and the sections
    /// that match.
    fn hit(
        &self,
        searcher: &Searcher,
        candidate: &Candidate,
        whole_query: &str,
        words: &QueryWords,
        matcher: &mut TermMatcher,
    ) -> anyhow::Result<Hit> {
        let f = self.fields;
        let page: TantivyDocument = searcher.doc(candidate.address)?;
        let text = |doc: &TantivyDocument, field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let title = text(&page, f.title);
        let all = |doc: &TantivyDocument, field: Field| -> String {
            doc.get_all(field)
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let body = text(&page, f.body_stem);
        let best = candidate.sections.first().map(|s| s.score).unwrap_or(0.0);
        let share = |score: f32| if best > 0.0 { score / best } else { 0.0 };
        let mut landing = Landing {
            is_title: normalize_title(&title) == whole_query,
            title_coverage: words.coverage(&title),
            intro_share: candidate
                .sections
                .iter()
                .find(|s| s.intro)
                .map_or(0.0, |s| share(s.score)),
            matching_sections: candidate.sections.iter().filter(|s| !s.intro).count(),
            page_share: share(candidate.page_score),
            words: words.0.len(),
            page_asked_coverage: words.coverage(&all(&page, f.asked_as)),
            ..Landing::default()
        };
        let mut listed = Vec::new();
        for found in &candidate.sections {
            if found.score < LISTED_SHARE * best {
                break;
            }
            if found.intro {
                continue;
            }
            let doc: TantivyDocument = searcher.doc(found.address)?;
            listed.push(ListedSection {
                score: found.score,
                anchor: text(&doc, f.anchor),
                heading: text(&doc, f.heading),
                prose: text(&doc, f.section_body_stem),
                asked_as: all(&doc, f.section_asked_as),
            });
            if listed.len() == SECTIONS_PER_HIT {
                break;
            }
        }
        let evidence_of = |s: &ListedSection| SectionEvidence {
            score: s.score,
            in_text: words.found_in(&format!("{}\n{}", s.heading, s.prose)),
            in_phrasings: words.found_in(&s.asked_as),
        };
        let mut evidence: Vec<SectionEvidence> =
            listed.first().map(evidence_of).into_iter().collect();
        // Page or section is decided against the best-scoring section: measured against the
        // chosen one, which has more of the query by design, page-level queries went to
        // sections (6 of 120 on a tuning set). The section's phrasings count apart, at half
        // (`lands_on_page`): counted in full with its text, they did too.
        if let (Some(best), Some(evidence)) = (listed.first(), evidence.first()) {
            landing.section_coverage = words.share(&evidence.in_text);
            landing.section_asked_coverage = words.share(&evidence.in_phrasings);
            landing.heading_coverage = words.coverage(&best.heading);
        }
        if let Some(second) = candidate.sections.iter().filter(|s| !s.intro).nth(1) {
            landing.second_share = share(second.score);
        }
        let on_page = listed.is_empty() || landing.lands_on_page();
        if !on_page && listed.len() > 1 {
            // Which section to land on, first, the others in their order. (On the page they
            // are listed by score, and reading the others' words would be wasted.)
            evidence.extend(listed[1..].iter().map(evidence_of));
            let chosen = pick_section(words, &evidence).min(listed.len() - 1);
            listed[..=chosen].rotate_right(1);
        }
        let mut sections = Vec::with_capacity(listed.len());
        for listed in listed {
            let mut snippet = matcher.snippet(&listed.prose, SECTION_SNIPPET_LEN);
            if snippet.is_empty() {
                // Found through its phrasings alone: they show why.
                snippet = matcher.snippet(&listed.asked_as, SECTION_SNIPPET_LEN);
            }
            sections.push(SectionHit {
                snippet,
                heading: listed.heading,
                anchor: listed.anchor,
            });
        }
        let section = if on_page {
            None
        } else {
            sections.first().cloned()
        };
        let snippet = match &section {
            Some(section) if !section.snippet.is_empty() => section.snippet.clone(),
            // On the page, the snippet comes from its introduction when that matches (the
            // sections listed below speak for themselves), else from where the page matches
            // best when no section is listed, else the route shows the summary.
            _ => match candidate.sections.iter().find(|s| s.intro) {
                Some(intro) => {
                    let doc: TantivyDocument = searcher.doc(intro.address)?;
                    matcher.snippet(&text(&doc, f.section_body_stem), SNIPPET_LEN)
                }
                None if sections.is_empty() => matcher.snippet(&body, SNIPPET_LEN),
                None => String::new(),
            },
        };
        Ok(Hit {
            id: candidate.id as i64,
            score: candidate.score,
            snippet,
            section,
            sections,
            landing,
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
        let its_page = BooleanQuery::new(vec![
            (Occur::Must, term_u64(this.clone())),
            (Occur::Must, term(f.kind, PAGE)),
        ]);
        let found = searcher.search(&its_page, &TopDocs::with_limit(1).order_by_score())?;
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
        // The page count as BM25 sees it (a term's document frequency, not a pass over every
        // page): this runs on every article view the memo has not seen.
        let max_docs = (KindStatistics::of(searcher, &f, PAGE).docs / 5).max(2);
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
        let top = searcher.search_with_statistics_provider(
            &query,
            &TopDocs::with_limit(limit.clamp(1, 20)).order_by_score(),
            &KindStatistics::of(searcher, &f, PAGE),
        )?;
        self.article_ids(searcher, top)
    }
}

/// A number field of any document, read from its fast field rather than its stored copy.
struct FastU64(Vec<Option<tantivy::columnar::Column<u64>>>);

/// The article id of any document.
type IdColumn = FastU64;

impl FastU64 {
    fn new(searcher: &Searcher, field: &str) -> Self {
        FastU64(
            searcher
                .segment_readers()
                .iter()
                .map(|segment| segment.fast_fields().u64(field).ok())
                .collect(),
        )
    }

    fn of(&self, address: DocAddress) -> u64 {
        self.0
            .get(address.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(|column| column.first(address.doc_id))
            .unwrap_or_default()
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

fn term_u64(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn facet_query(field: tantivy::schema::Field, path: &[&str]) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, &Facet::from_path(path)),
        IndexRecordOption::Basic,
    ))
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
}
