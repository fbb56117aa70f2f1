//! The query language readers can use, and only it: words, "phrases" in double quotes, and
//! -exclusions. Everything else is plain text. We build tantivy queries from it ourselves rather
//! than hand user input to tantivy's query parser, whose full grammar is not meant for it.

use std::collections::HashMap;
use std::sync::LazyLock;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::schema::{Fields, normalize_title};
use super::tokenizer::{analyze, exact_analyzer, stemmed_analyzer};

/// The longest query we accept, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words and phrases are used; the rest of a long query is ignored.
const MAX_TERMS: usize = 12;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub excluded: Vec<String>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// The query written back in the grammar, e.g. after a spelling correction.
    pub fn to_query_string(&self) -> String {
        // A word that starts with "-" came from quotes (else it would be an exclusion) and
        // keeps them, so the string reads back as the same query.
        let mut parts: Vec<String> = self
            .words
            .iter()
            .map(|w| {
                if w.starts_with('-') && w.len() > 1 {
                    format!("\"{w}\"")
                } else {
                    w.clone()
                }
            })
            .collect();
        parts.extend(self.phrases.iter().map(|p| format!("\"{p}\"")));
        parts.extend(self.excluded.iter().map(|e| {
            if e.contains(' ') {
                format!("-\"{e}\"")
            } else {
                format!("-{e}")
            }
        }));
        parts.join(" ")
    }
}

/// Parses the reader's query. Never fails: an unbalanced quote runs to the end of the input.
pub fn parse(input: &str) -> ParsedQuery {
    let mut query = ParsedQuery::default();
    let mut chars = input.chars().peekable();
    while chars.peek().is_some() {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let negated = chars.next_if_eq(&'-').is_some();
        let (text, quoted) = if chars.next_if_eq(&'"').is_some() {
            (
                chars.by_ref().take_while(|c| *c != '"').collect::<String>(),
                true,
            )
        } else {
            let mut word = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                word.push(c);
            }
            (word, false)
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            if negated && !quoted {
                query.words.push("-".to_owned());
            }
            continue;
        }
        // On a Python site a minus often starts a command-line option or a number, not an
        // exclusion: `python -m venv`, `pip install -e .`, `--upgrade`, `-OO`, `-7 // 2`. A
        // minus before a word of one or two characters, a second minus or a digit stays part
        // of the word; `-word` of three characters or more excludes.
        let option = negated && !quoted && is_option_or_number(&text);
        let (negated, text) = if option {
            (false, format!("-{text}"))
        } else {
            (negated, text)
        };
        match (negated, quoted && text.contains(' ')) {
            // "list vs tuple" asks about lists and tuples: the comparison word names no topic,
            // and as a title word it would favour any "X vs Y" page over the one compared.
            (false, false) if !quoted && is_comparison_word(&text) => {}
            (true, _) => query.excluded.push(text),
            (false, true) => query.phrases.push(text),
            (false, false) => query.words.push(text),
        }
    }
    query.words.truncate(MAX_TERMS);
    query.phrases.truncate(MAX_TERMS);
    query.excluded.truncate(MAX_TERMS);
    query
}

/// What follows a minus in `-m`, `-OO`, `--upgrade` or `-7`: a command-line option or a
/// number rather than a word to exclude.
fn is_option_or_number(after_minus: &str) -> bool {
    after_minus.starts_with('-')
        || after_minus.starts_with(|c: char| c.is_ascii_digit())
        || after_minus.chars().count() <= 2
}

fn is_comparison_word(word: &str) -> bool {
    ["vs", "vs.", "versus"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Groups of synonyms from `synonyms.txt`.
static SYNONYMS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    include_str!("synonyms.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.split(',')
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect()
});

/// A word without a plural ending, so that "threads" or "dictionaries" finds the synonyms of
/// "thread" and "dictionary". Plurals only: a stemmer would also take "finally" to
/// "finalizer"'s group.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() >= 2) {
        return format!("{stem}y");
    }
    for ending in ["sses", "shes", "ches", "xes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    match word.strip_suffix('s') {
        Some(stem)
            if stem.len() >= 3
                && !stem.ends_with('s')
                && !stem.ends_with('u')
                && !stem.ends_with('i') =>
        {
            stem.to_owned()
        }
        _ => word.to_owned(),
    }
}

/// Every run of one to three words of the query as (first word, length, the run as typed
/// and in the singular), lowercase.
fn runs(query: &ParsedQuery) -> Vec<(usize, usize, [String; 2])> {
    let lower: Vec<String> = query.words.iter().map(|w| w.to_lowercase()).collect();
    let single: Vec<String> = lower.iter().map(|w| singular(w)).collect();
    let mut out = Vec::new();
    for len in 1..=3 {
        for start in 0..lower.len().saturating_sub(len - 1) {
            let run = start..start + len;
            out.push((
                start,
                len,
                [lower[run.clone()].join(" "), single[run].join(" ")],
            ));
        }
    }
    out
}

/// The other members of every synonym group that a word or phrase of the query belongs to.
pub fn synonyms_of(query: &ParsedQuery) -> Vec<String> {
    let mut typed: Vec<String> = runs(query)
        .into_iter()
        .flat_map(|(_, _, forms)| forms)
        .collect();
    typed.extend(query.phrases.iter().map(|p| p.to_lowercase()));
    let mut out = Vec::new();
    for group in SYNONYMS.iter() {
        if group.iter().any(|entry| typed.contains(entry)) {
            for entry in group {
                if !typed.contains(entry) && !out.contains(entry) {
                    out.push(entry.clone());
                }
            }
        }
    }
    out
}

/// For each word of the query, the synonyms of the word and of the two- and three-word runs
/// it is part of ("pass" in "pass by value" gets "call by value").
pub fn synonyms_by_word(query: &ParsedQuery) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); query.words.len()];
    for (start, len, forms) in runs(query) {
        for group in SYNONYMS
            .iter()
            .filter(|g| forms.iter().any(|f| g.contains(f)))
        {
            for entry in group.iter().filter(|e| !forms.contains(e)) {
                for found in &mut out[start..start + len] {
                    if !found.contains(entry) {
                        found.push(entry.clone());
                    }
                }
            }
        }
    }
    out
}

/// What the index knows of words: whether a term occurs, and which known words are closest
/// to an unknown one (typo tolerance is only spent on words the index does not have).
pub trait Vocabulary {
    fn contains(&self, term: &Term) -> bool;
    /// Known words within a small edit distance of `word`, best first.
    fn closest(&self, word: &str) -> Vec<String>;
    /// The share of pages (0 to 1) that have the token in some field.
    fn share(&self, token: &str) -> f32;
    /// Known words that start with `prefix` (not `prefix` itself), the commonest first.
    fn completions(&self, prefix: &str) -> Vec<String>;
}

/// Completions of a word typed so far that are searched for it at most.
pub const COMPLETIONS: usize = 12;
/// Weight of a completion of the last word typed so far.
const COMPLETION: f32 = 0.8;

/// A word in more than this share of the pages says little about any of them: it adds to a
/// page's score but does not make it a result on its own ("is" in "is vs ==").
const COMMON: f32 = 0.5;

/// The fields one kind of document is searched in. Pages have all of them; sections have a
/// heading for a title and no title, summary or tags of their own.
#[derive(Clone, Copy)]
pub struct Targets {
    title: Field,
    title_stem: Field,
    title_norm: Option<Field>,
    tags: Option<Field>,
    summary: Option<Field>,
    summary_stem: Option<Field>,
    asked_as: Option<Field>,
    asked_as_stem: Option<Field>,
    body: Field,
    body_stem: Field,
    code: Field,
    /// Multiplies the title's weights: a heading says less of a section than a title of a
    /// page, and one word of the query in a heading should not outweigh all of them in a
    /// section's text. (Tuned on the tuning part of `relevance_sections.txt`.)
    title_weight: f32,
    /// Multiplies the "Also asked as" phrasings' weights: a section's phrasings say what one
    /// section answers, among the many a page has. (Tuned on the tuning part of
    /// `relevance_sections.txt`.)
    asked_as_weight: f32,
    /// Multiplies the code's weight: a section's code is its example, often what a query
    /// about that section names (`send()`, `filter(None, …)`).
    code_weight: f32,
}

impl Targets {
    pub fn pages(f: &Fields) -> Self {
        Targets {
            title: f.title,
            title_stem: f.title_stem,
            title_norm: Some(f.title_norm),
            tags: Some(f.tags),
            summary: Some(f.summary),
            summary_stem: Some(f.summary_stem),
            asked_as: Some(f.asked_as),
            asked_as_stem: Some(f.asked_as_stem),
            body: f.body,
            body_stem: f.body_stem,
            code: f.code,
            title_weight: 1.0,
            asked_as_weight: 1.0,
            code_weight: 1.0,
        }
    }

    pub fn sections(f: &Fields) -> Self {
        Targets {
            title: f.heading,
            title_stem: f.heading_stem,
            title_norm: None,
            tags: None,
            summary: None,
            summary_stem: None,
            asked_as: Some(f.section_asked_as),
            asked_as_stem: Some(f.section_asked_as_stem),
            body: f.section_body,
            body_stem: f.section_body_stem,
            code: f.section_code,
            title_weight: 0.2,
            asked_as_weight: SECTION_ASKED_AS,
            code_weight: 1.5,
        }
    }
}

pub struct Builder<'a> {
    pub fields: &'a Fields,
    /// Where the query being built looks.
    targets: Targets,
    /// Known words close to each unknown one, asked of the vocabulary once per query however
    /// many times the query is built (for pages, then for sections).
    closest: HashMap<String, Vec<String>>,
    exact: TextAnalyzer,
    stemmed: TextAnalyzer,
    /// Whether unknown words are replaced by the nearest known ones.
    typo_tolerant: bool,
    /// Each unknown word the reader typed, with the known word that stood in for it.
    pub corrections: Vec<(String, String)>,
    /// The word still being typed (searching as you type), which also matches as a prefix,
    /// with the known words it completes to once they are looked up.
    typing: Option<(String, Option<Vec<String>>)>,
}

/// Weights of the fields: title matches weigh most, stemmed forms a little less than exact ones.
const TITLE: f32 = 5.0;
const TITLE_STEM: f32 = 3.5;
const TAGS: f32 = 3.0;
const SUMMARY: f32 = 2.0;
const SUMMARY_STEM: f32 = 1.5;
/// The other ways a page's question is asked: between the title and the summary (tuned on
/// the tuning parts of the relevance sets).
const ASKED_AS: f32 = 3.5;
const ASKED_AS_STEM: f32 = 2.5;
/// A section's phrasings, against the page's (see `Targets::asked_as_weight`): about as much
/// as its heading. Tuned on the tuning parts: 0.15 to 0.25 land the same share of queries right,
/// more draws page-level queries to sections (at 1.0 tuning section accuracy fell to 0.876).
const SECTION_ASKED_AS: f32 = 0.2;
const BODY: f32 = 1.0;
const BODY_STEM: f32 = 0.8;
const CODE: f32 = 0.6;
/// Weight of the known words that stand in for a misspelt one.
const FUZZY: f32 = 0.6;
const SYNONYM: f32 = 0.5;
const PHRASE: f32 = 2.0;
const EXACT_TITLE: f32 = 100.0;

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqsAndPositions,
    );
    Box::new(BoostQuery::new(Box::new(query), boost))
}

impl<'a> Builder<'a> {
    pub fn new(fields: &'a Fields, typo_tolerant: bool) -> Self {
        Self {
            fields,
            targets: Targets::pages(fields),
            closest: HashMap::new(),
            exact: exact_analyzer(),
            stemmed: stemmed_analyzer(),
            typo_tolerant,
            corrections: Vec::new(),
            typing: None,
        }
    }

    /// Searching as the reader types `raw`: its last word may be unfinished, and also
    /// matches the known words it starts ("gen" → generator).
    pub fn typing(mut self, parsed: &ParsedQuery, raw: &str) -> Self {
        let unfinished = !raw.ends_with(char::is_whitespace) && !raw.ends_with('"');
        self.typing = parsed
            .words
            .last()
            .filter(|_| unfinished)
            .map(|w| (w.clone(), None));
        self
    }

    /// The known words the unfinished last word completes to, once looked up.
    pub fn completed(&self) -> &[String] {
        match &self.typing {
            Some((_, Some(known))) => known,
            _ => &[],
        }
    }

    /// The known words that the unfinished `word` completes to; none for any other word.
    fn completions(&mut self, word: &str, vocabulary: &dyn Vocabulary) -> Vec<String> {
        let Some((typing, known)) = &mut self.typing else {
            return Vec::new();
        };
        if typing != word {
            return Vec::new();
        }
        if let Some(known) = known {
            return known.clone();
        }
        let found = analyze(&mut self.exact, word)
            .first()
            .filter(|main| main.chars().count() >= 2)
            .map(|main| vocabulary.completions(main))
            .unwrap_or_default();
        *known = Some(found.clone());
        found
    }

    /// The query with each corrected word replaced, when any was.
    pub fn corrected(&self, query: &ParsedQuery) -> Option<ParsedQuery> {
        if self.corrections.is_empty() {
            return None;
        }
        let mut corrected = query.clone();
        for word in &mut corrected.words {
            if let Some((_, known)) = self.corrections.iter().find(|(typed, _)| typed == word) {
                *word = known.clone();
            }
        }
        Some(corrected)
    }

    /// The tantivy query for a parsed query over the `targets`' fields, or `None` when nothing
    /// positive is left to search.
    pub fn build(
        &mut self,
        query: &ParsedQuery,
        raw: &str,
        vocabulary: &dyn Vocabulary,
        targets: Targets,
    ) -> Option<Box<dyn Query>> {
        self.targets = targets;
        let f = targets;
        // Some words must match (the telling ones); the commonest only add to the score.
        let (mut telling, mut common): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
        for word in &query.words {
            let is_common = analyze(&mut self.exact, word)
                .first()
                .is_some_and(|main| vocabulary.share(main) > COMMON);
            if let Some(q) = self.word(word, 1.0, true, vocabulary) {
                if is_common {
                    common.push((Occur::Should, q));
                } else {
                    telling.push((Occur::Should, q));
                }
            }
        }
        for phrase in &query.phrases {
            if let Some(q) = self.phrase(phrase, PHRASE, true, vocabulary) {
                telling.push((Occur::Should, q));
            }
        }
        for synonym in synonyms_of(query) {
            let q = if synonym.contains(' ') {
                self.phrase(&synonym, SYNONYM, false, vocabulary)
            } else {
                self.word(&synonym, SYNONYM, false, vocabulary)
            };
            if let Some(q) = q {
                telling.push((Occur::Should, q));
            }
        }
        let mut should = if telling.is_empty() || common.is_empty() {
            telling.into_iter().chain(common).collect()
        } else {
            let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(
                Occur::Must,
                Box::new(BooleanQuery::new(telling)) as Box<dyn Query>,
            )];
            must.extend(common);
            must
        };
        if should.is_empty() {
            return None;
        }
        let whole = normalize_title(raw);
        if let Some(title_norm) = f.title_norm.filter(|_| !whole.is_empty()) {
            should.push((Occur::Should, term_query(title_norm, &whole, EXACT_TITLE)));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(BooleanQuery::new(should)) as Box<dyn Query>,
        )];
        for excluded in &query.excluded {
            for token in analyze(&mut self.exact, excluded) {
                for field in [
                    Some(f.title),
                    f.summary,
                    f.asked_as,
                    Some(f.body),
                    Some(f.code),
                    f.tags,
                ]
                .into_iter()
                .flatten()
                {
                    clauses.push((Occur::MustNot, term_query(field, &token, 1.0)));
                }
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// One word, in every field: the best field counts fully, the others a little.
    /// `stem`: whether the word's stemmed form counts too. Not for synonyms: stemmed,
    /// "finalizer" (a synonym of "destructor") would find "finally".
    fn word(
        &mut self,
        word: &str,
        weight: f32,
        stem: bool,
        vocabulary: &dyn Vocabulary,
    ) -> Option<Box<dyn Query>> {
        let f = self.targets;
        let exact = analyze(&mut self.exact, word);
        let stemmed = analyze(&mut self.stemmed, word);
        let (main, parts) = exact.split_first()?;
        let mut alternatives: Vec<Box<dyn Query>> = vec![
            term_query(f.title, main, TITLE * f.title_weight * weight),
            term_query(f.body, main, BODY * weight),
            term_query(f.code, main, CODE * f.code_weight * weight),
        ];
        if let Some(tags) = f.tags {
            alternatives.push(term_query(tags, main, TAGS * weight));
        }
        if let Some(summary) = f.summary {
            alternatives.push(term_query(summary, main, SUMMARY * weight));
        }
        if let Some(asked_as) = f.asked_as {
            alternatives.push(term_query(
                asked_as,
                main,
                ASKED_AS * f.asked_as_weight * weight,
            ));
        }
        if let Some(stem) = stemmed.first().filter(|_| stem) {
            alternatives.push(term_query(
                f.title_stem,
                stem,
                TITLE_STEM * f.title_weight * weight,
            ));
            alternatives.push(term_query(f.body_stem, stem, BODY_STEM * weight));
            if let Some(summary_stem) = f.summary_stem {
                alternatives.push(term_query(summary_stem, stem, SUMMARY_STEM * weight));
            }
            if let Some(asked_as_stem) = f.asked_as_stem {
                alternatives.push(term_query(
                    asked_as_stem,
                    stem,
                    ASKED_AS_STEM * f.asked_as_weight * weight,
                ));
            }
        }
        // Parts of a compound (`split` of `re.split`) count for less than the compound.
        for part in parts {
            alternatives.push(term_query(f.title, part, TITLE * weight * 0.3));
            alternatives.push(term_query(f.body, part, BODY * weight * 0.3));
        }
        if weight >= 1.0 {
            for completion in self.completions(word, vocabulary) {
                alternatives.push(term_query(
                    f.title,
                    &completion,
                    TITLE * f.title_weight * COMPLETION * weight,
                ));
                alternatives.push(term_query(f.body, &completion, BODY * COMPLETION * weight));
            }
            // A misspelling: search for the nearest known words instead, for less.
            for candidate in self.stand_ins(word, main, vocabulary) {
                if let Some(q) = self.word(&candidate, weight * FUZZY, true, vocabulary) {
                    alternatives.push(q);
                }
            }
        }
        Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
            alternatives,
            0.3,
        )))
    }

    /// The known words that stand in for `word` (whose first token is `main`) when the index
    /// does not have it and typos are tolerated; none otherwise.
    fn stand_ins(&mut self, word: &str, main: &str, vocabulary: &dyn Vocabulary) -> Vec<String> {
        let f = self.fields;
        let letters = main.chars().filter(|c| c.is_alphabetic()).count();
        if !self.typo_tolerant || letters < 4 {
            return Vec::new();
        }
        if let Some(known) = self.closest.get(main) {
            return known.clone();
        }
        let known = [f.title, f.body, f.summary, f.code, f.tags]
            .iter()
            .any(|field| vocabulary.contains(&Term::from_field_text(*field, main)));
        let candidates = if known {
            Vec::new()
        } else {
            vocabulary.closest(main)
        };
        if let Some(best) = candidates.first() {
            self.corrections.push((word.to_owned(), best.clone()));
        }
        self.closest.insert(main.to_owned(), candidates.clone());
        candidates
    }

    /// What counts as `word` in a text, each as the stemmed words that must all be there: the
    /// word itself, the known words standing in for it, and its `synonyms`.
    pub fn forms(
        &mut self,
        word: &str,
        synonyms: &[String],
        vocabulary: &dyn Vocabulary,
    ) -> Vec<Vec<String>> {
        let Some(main) = analyze(&mut self.exact, word).into_iter().next() else {
            return Vec::new();
        };
        let mut forms: Vec<Vec<String>> = analyze(&mut self.stemmed, word)
            .into_iter()
            .take(1)
            .map(|stem| vec![stem])
            .collect();
        let mut stand_ins = self.stand_ins(word, &main, vocabulary);
        stand_ins.extend(self.completions(word, vocabulary));
        let mut others: Vec<String> = synonyms.to_vec();
        for stand_in in &stand_ins {
            others.push(stand_in.clone());
            let alone = ParsedQuery {
                words: vec![stand_in.clone()],
                ..ParsedQuery::default()
            };
            others.extend(synonyms_of(&alone));
        }
        for other in others {
            let stems: Vec<String> = other
                .split_whitespace()
                .filter_map(|w| analyze(&mut self.stemmed, w).into_iter().next())
                .collect();
            if !stems.is_empty() && !forms.contains(&stems) {
                forms.push(stems);
            }
        }
        forms
    }

    fn phrase(
        &mut self,
        phrase: &str,
        weight: f32,
        stem: bool,
        vocabulary: &dyn Vocabulary,
    ) -> Option<Box<dyn Query>> {
        let f = self.targets;
        let mut positions: Vec<(usize, String)> = Vec::new();
        let mut stream = self.exact.token_stream(phrase);
        while let Some(token) = stream.next() {
            if positions.last().is_none_or(|(p, _)| *p != token.position) {
                positions.push((token.position, token.text.clone()));
            }
        }
        drop(stream);
        if positions.len() < 2 {
            return positions
                .first()
                .and_then(|(_, word)| self.word(&word.clone(), weight, stem, vocabulary));
        }
        let phrase_in = |field: Field, boost: f32| -> Box<dyn Query> {
            let terms = positions
                .iter()
                .map(|(p, t)| (*p, Term::from_field_text(field, t)))
                .collect();
            Box::new(BoostQuery::new(
                Box::new(PhraseQuery::new_with_offset(terms)),
                boost * weight,
            ))
        };
        let mut alternatives = vec![
            phrase_in(f.title, TITLE * f.title_weight),
            phrase_in(f.body, BODY),
            phrase_in(f.code, CODE * f.code_weight),
        ];
        if let Some(summary) = f.summary {
            alternatives.push(phrase_in(summary, SUMMARY));
        }
        if let Some(asked_as) = f.asked_as {
            alternatives.push(phrase_in(asked_as, ASKED_AS * f.asked_as_weight));
        }
        Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
            alternatives,
            0.3,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_back_queries_read_back_the_same() {
        // Found by cargo fuzz (benches/fuzz, target `query`): a quoted "-1" was written back
        // as -1, which reads back as an exclusion.
        for input in [
            "\"-1\"\u{3} ",
            "\"-m\" python",
            "--x",
            "-",
            "a\"b \"c d\" -e -\"f g\"",
        ] {
            let once = parse(input).to_query_string();
            let twice = parse(&once).to_query_string();
            assert_eq!(once, twice, "{input:?}");
        }
        assert_eq!(parse("\"-m\" pip").words, ["-m", "pip"]);
        assert_eq!(
            parse(&parse("\"-m\" pip").to_query_string()).words,
            ["-m", "pip"]
        );
    }

    fn words(q: &ParsedQuery) -> Vec<&str> {
        q.words.iter().map(String::as_str).collect()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse(r#"tuple  "immutable sequence" -list -"array module""#);
        assert_eq!(words(&q), ["tuple"]);
        assert_eq!(q.phrases, ["immutable sequence"]);
        assert_eq!(q.excluded, ["list", "array module"]);
    }

    #[test]
    fn comparison_words_are_connectors_unless_quoted() {
        assert_eq!(words(&parse("tuple vs list")), ["tuple", "list"]);
        assert_eq!(words(&parse("is VS. == versus")), ["is", "=="]);
        assert_eq!(words(&parse("\"vs\"")), ["vs"]);
    }

    #[test]
    fn symbols_are_plain_words() {
        let q = parse("a:(^ field:value * ~ ^ != // == __del__ *args");
        assert_eq!(
            words(&q),
            [
                "a:(^",
                "field:value",
                "*",
                "~",
                "^",
                "!=",
                "//",
                "==",
                "__del__",
                "*args"
            ]
        );
    }

    #[test]
    fn unbalanced_quotes_run_to_the_end_and_a_quoted_word_is_a_word() {
        let q = parse(r#"say "hello world"#);
        assert_eq!(words(&q), ["say"]);
        assert_eq!(q.phrases, ["hello world"]);
        assert_eq!(words(&parse(r#""single""#)), ["single"]);
        assert!(parse(r#"""#).is_empty());
        assert!(parse("   ").is_empty());
    }

    #[test]
    fn options_and_negative_numbers_are_words_not_exclusions() {
        let q = parse("py -m ensurepip --upgrade");
        assert_eq!(words(&q), ["py", "-m", "ensurepip", "--upgrade"]);
        assert!(q.excluded.is_empty());
        assert_eq!(words(&parse("python -OO -B")), ["python", "-OO", "-B"]);
        assert_eq!(
            words(&parse("why is -7 // 2")),
            ["why", "is", "-7", "//", "2"]
        );
        // Three letters or more exclude, as does a quoted phrase.
        let q = parse("generators -async -\"-m\" -set");
        assert_eq!(q.excluded, ["async", "-m", "set"]);
        for input in ["pip install -e .", "x --y -1"] {
            let once = parse(input).to_query_string();
            assert_eq!(
                parse(&once),
                parse(input),
                "{input:?} reads back as {once:?}"
            );
        }
    }

    #[test]
    fn a_lone_minus_is_a_word_not_an_exclusion() {
        assert_eq!(words(&parse("a - b")), ["a", "-", "b"]);
    }

    #[test]
    fn long_queries_are_capped() {
        let q = parse(&"w ".repeat(100));
        assert_eq!(q.words.len(), MAX_TERMS);
    }

    #[test]
    fn plurals_find_the_synonyms_of_the_singular() {
        let syn = synonyms_of(&parse("why are arrays not hashable"));
        assert!(syn.contains(&"list".to_owned()), "{syn:?}");
        let syn = synonyms_of(&parse("python dictionaries"));
        assert!(syn.contains(&"hash map".to_owned()), "{syn:?}");
        let syn = synonyms_of(&parse("abstract base classes"));
        assert!(syn.contains(&"interface".to_owned()), "{syn:?}");
        assert_eq!(singular("class"), "class");
        assert_eq!(singular("processes"), "process");
        assert_eq!(singular("args"), "arg");
        assert_eq!(singular("is"), "is");
        // Not a stemmer: "finally" stays out of the destructor's group ("finalizer").
        assert!(!synonyms_of(&parse("try finally")).contains(&"__del__".to_owned()));
    }

    #[test]
    fn synonyms_expand_words_and_phrases() {
        let syn = synonyms_of(&parse("destructor"));
        assert!(syn.contains(&"__del__".to_owned()), "{syn:?}");
        let syn = synonyms_of(&parse("global interpreter lock"));
        assert!(syn.contains(&"gil".to_owned()), "{syn:?}");
    }

    #[test]
    fn each_word_gets_the_synonyms_of_the_runs_it_is_in() {
        let by_word = synonyms_by_word(&parse("is python pass by value"));
        assert_eq!(by_word.len(), 5);
        assert!(by_word[0].is_empty(), "{by_word:?}");
        for word in &by_word[2..] {
            assert!(word.contains(&"call by value".to_owned()), "{by_word:?}");
        }
        let by_word = synonyms_by_word(&parse("hashmap"));
        assert!(by_word[0].contains(&"dict".to_owned()), "{by_word:?}");
    }

    #[test]
    fn the_query_string_round_trips() {
        let q = parse(r#"a "b c" -d -"e f""#);
        assert_eq!(parse(&q.to_query_string()), q);
    }
}
