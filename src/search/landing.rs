//! Where a hit lands: which of its page's sections, and whether on that section or on the
//! page itself. Both choices read how much of the query (its words weighted by rarity) the
//! title, the sections and their "Also asked as" phrasings have; the constants were tuned on
//! the tuning parts of the relevance sets (`tests/app/relevance_sections.rs`), never on the
//! held-out part.

use std::collections::HashSet;

use super::tokenizer::{analyze, exact_analyzer, stemmed_analyzer};

/// A query whose words (weighted by rarity) are in a page's title at least this much lands on
/// the page, unless its best section has more of them.
const TITLE_COVERAGE: f32 = 0.3;
/// A query this much in a page's title lands on the page whatever its sections say.
const TITLE_SAYS_ALL: f32 = 0.7;
/// How much "Also asked as" phrasings count, against a title or a section's text, in the
/// choice between a page and its section: they are many and loosely worded, so a query
/// half in one of them says about as much as one all in the title.
const ASKED_AS_COVERAGE: f32 = 0.5;
/// How much the share of the query's telling words a section has (those its siblings lack)
/// counts against its score (as a share of the best), in choosing among a page's sections.
/// On the tuning parts 0.5 chose best (5 more of 388 section queries right than without);
/// 0.3 and 0.7 one fewer, 1.0 gave back most of it.
const DISTINCT_WORDS: f32 = 0.5;
/// How much a section's own phrasings asking the query count, likewise (0 and 0.4: one fewer).
const OWN_PHRASINGS: f32 = 0.2;

/// The words of a query as a text is checked for them: the stemmed forms that count as each
/// (its own, and those of the known words standing in for a misspelt one) and its weight,
/// rarer words weighing more.
pub(super) struct QueryWords(pub(super) Vec<(Vec<Vec<String>>, f32)>);

impl QueryWords {
    /// How much of the query (by weight) is in `text`, from 0 to 1.
    pub(super) fn coverage(&self, text: &str) -> f32 {
        self.share(&self.found_in(text))
    }

    /// Whether each word is in `text`.
    ///
    /// This reads up to three sections of every hit on every query, so only the words that
    /// could stem to a query word are stemmed (stemming changes endings only, as for snippets),
    /// each once.
    pub(super) fn found_in(&self, text: &str) -> Vec<bool> {
        let starts: HashSet<(Option<char>, Option<char>)> = self
            .0
            .iter()
            .flat_map(|(forms, _)| forms.iter().flatten())
            .map(|stem| first_two(stem))
            .collect();
        let mut stemmed = stemmed_analyzer();
        let mut seen = HashSet::new();
        let mut stems = HashSet::new();
        for word in analyze(&mut exact_analyzer(), text) {
            if starts.contains(&first_two(&word)) && seen.insert(word.clone()) {
                stems.extend(analyze(&mut stemmed, &word));
            }
        }
        self.0
            .iter()
            .map(|(forms, _)| forms.iter().any(|f| f.iter().all(|s| stems.contains(s))))
            .collect()
    }

    /// The weight of the words `found` (one flag per word) as a share of all, from 0 to 1.
    pub(super) fn share(&self, found: &[bool]) -> f32 {
        self.weighted_share(found, |_, weight| weight)
    }

    /// The share of the words `found`, each word weighing `weight(its index, its rarity)`.
    fn weighted_share(&self, found: &[bool], weight: impl Fn(usize, f32) -> f32) -> f32 {
        let (mut total, mut part) = (0.0, 0.0);
        for (i, ((_, rarity), found)) in self.0.iter().zip(found).enumerate() {
            let w = weight(i, *rarity);
            total += w;
            if *found {
                part += w;
            }
        }
        if total > 0.0 { part / total } else { 0.0 }
    }
}

/// What the choice between landing on a page and landing on its best section looks at. Scores
/// are BM25 over sections; coverages are the share (by rarity) of the query's words found.
/// `lands_on_page` reads some of them; all are recorded, so that the relevance test can write
/// them out (`PYKB_RELEVANCE_FEATURES`) and a new rule can be tried against the tuning sets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Landing {
    /// The query, normalized, is the page's title.
    pub is_title: bool,
    pub title_coverage: f32,
    /// The best section's heading and text.
    pub section_coverage: f32,
    /// The best section's heading alone.
    pub heading_coverage: f32,
    /// The introduction's score as a share of the best section's (0 when it does not match).
    pub intro_share: f32,
    /// The second best section's score as a share of the best's.
    pub second_share: f32,
    /// Sections (not the introduction) that match at all.
    pub matching_sections: usize,
    /// The page's own score as a share of its best section's.
    pub page_share: f32,
    /// Words in the query.
    pub words: usize,
    /// The page's "Also asked as" phrasings, all together.
    pub page_asked_coverage: f32,
    /// The best section's own phrasings, all together.
    pub section_asked_coverage: f32,
}

impl Landing {
    /// Whether the reader lands on the page rather than on its best section.
    pub(super) fn lands_on_page(&self) -> bool {
        // Where the best-scoring section is the introduction, the reader lands on the page.
        let intro_is_best = self.intro_share >= 1.0;
        // The page says what the query asks (its title, or its phrasings for half), and the
        // best section says no more of it (its text, or its own phrasings for half).
        let page = self
            .title_coverage
            .max(ASKED_AS_COVERAGE * self.page_asked_coverage);
        let section = self
            .section_coverage
            .max(ASKED_AS_COVERAGE * self.section_asked_coverage);
        let about_the_page = page >= TITLE_COVERAGE && section <= page;
        self.is_title || about_the_page || self.title_coverage >= TITLE_SAYS_ALL || intro_is_best
    }
}

/// The first two characters of a word, which its stem shares.
fn first_two(word: &str) -> (Option<char>, Option<char>) {
    let mut chars = word.chars();
    (chars.next(), chars.next())
}

/// What the choice of a page's section looks at, for each section listed under a hit.
pub(super) struct SectionEvidence {
    /// BM25 over sections.
    pub score: f32,
    /// Each query word: whether the section's heading or text has it.
    pub in_text: Vec<bool>,
    /// Each query word: whether the section's own phrasings have it.
    pub in_phrasings: Vec<bool>,
}

/// Which of a page's listed sections (best-scoring first) the reader lands on: the best
/// score, nudged towards the section that has the query's words its siblings lack and the
/// one whose phrasings ask the query. A page's topic words are in all of its sections and
/// tell none of them apart; BM25 still favours whichever repeats them most, often a long
/// "Pitfalls" that mentions everything.
pub(super) fn pick_section(words: &QueryWords, listed: &[SectionEvidence]) -> usize {
    let Some(best) = listed.first().map(|s| s.score).filter(|s| *s > 0.0) else {
        return 0;
    };
    let siblings = listed.len() as f32;
    let has = |s: &SectionEvidence, i: usize| s.in_text[i] || s.in_phrasings[i];
    // A word weighs its rarity in the index times its rarity among these sections.
    let among_siblings: Vec<f32> = (0..words.0.len())
        .map(|i| {
            let with = listed.iter().filter(|s| has(s, i)).count() as f32;
            (1.0 + siblings / (1.0 + with)).ln()
        })
        .collect();
    let value = |s: &SectionEvidence| {
        let found: Vec<bool> = (0..words.0.len()).map(|i| has(s, i)).collect();
        s.score / best
            + DISTINCT_WORDS * words.weighted_share(&found, |i, rarity| rarity * among_siblings[i])
            + OWN_PHRASINGS * words.share(&s.in_phrasings)
    };
    let mut chosen = 0;
    let mut chosen_value = f32::MIN;
    for (i, section) in listed.iter().enumerate() {
        let v = value(section);
        if v > chosen_value {
            (chosen, chosen_value) = (i, v);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_weighs_words_by_rarity_and_counts_any_of_their_forms() {
        let stems = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        let words = QueryWords(vec![
            (vec![stems(&["python"])], 0.1),
            (vec![stems(&["slot"]), stems(&["__slots__"])], 3.0),
            (vec![stems(&["faster"]), stems(&["speed", "up"])], 0.9),
        ]);
        let full = words.coverage("Speed up Python with __slots__");
        assert!((full - 1.0).abs() < 1e-6, "{full}");
        let rare_only = words.coverage("What are slots?");
        assert!((rare_only - 3.0 / 4.0).abs() < 1e-6, "{rare_only}");
        // "speed" alone is not "speed up".
        assert!(words.coverage("speed of Python") < 0.1);
    }

    #[test]
    fn a_query_lands_on_whichever_says_more_of_it_the_page_or_its_best_section() {
        let about_one_section = Landing {
            title_coverage: 0.4,
            section_coverage: 0.2,
            section_asked_coverage: 1.0,
            page_asked_coverage: 0.6,
            intro_share: 0.6,
            ..Landing::default()
        };
        assert!(!about_one_section.lands_on_page(), "{about_one_section:?}");
        // Asked in the page's words, not the title's.
        let about_the_page = Landing {
            title_coverage: 0.1,
            page_asked_coverage: 1.0,
            section_coverage: 0.3,
            ..about_one_section.clone()
        };
        assert!(about_the_page.lands_on_page(), "{about_the_page:?}");
        // The title alone says most of it; no section says more.
        let in_the_title = Landing {
            title_coverage: 0.6,
            section_coverage: 0.4,
            section_asked_coverage: 0.0,
            page_asked_coverage: 0.0,
            ..about_one_section.clone()
        };
        assert!(in_the_title.lands_on_page(), "{in_the_title:?}");
        let intro_best = Landing {
            intro_share: 1.0,
            ..about_one_section
        };
        assert!(intro_best.lands_on_page());
    }

    #[test]
    fn the_section_with_the_words_its_siblings_lack_wins_a_close_call() {
        // "unpack list into arguments": every section has "arguments" and "list"; only one
        // has "unpack", rare in the index and here.
        let stems = |w: &str| vec![vec![w.to_owned()]];
        let words = QueryWords(vec![
            (stems("unpack"), 2.8),
            (stems("list"), 0.4),
            (stems("argument"), 0.7),
        ]);
        let section = |score: f32, text: [bool; 3]| SectionEvidence {
            score,
            in_text: text.to_vec(),
            in_phrasings: vec![false; 3],
        };
        let pitfalls = section(10.0, [false, true, true]);
        let unpacking = section(8.5, [true, true, true]);
        let other = section(9.0, [false, true, true]);
        assert_eq!(pick_section(&words, &[pitfalls, other, unpacking]), 2);
        // A clear lead in score is kept.
        let far_behind = section(3.0, [true, true, true]);
        let pitfalls = section(10.0, [false, true, true]);
        assert_eq!(pick_section(&words, &[pitfalls, far_behind]), 0);
        // Phrasings that ask the query count too.
        let asked = SectionEvidence {
            score: 8.5,
            in_text: vec![false, true, true],
            in_phrasings: vec![true, true, true],
        };
        let pitfalls = section(10.0, [false, true, true]);
        assert_eq!(pick_section(&words, &[pitfalls, asked]), 1);
        assert_eq!(pick_section(&words, &[]), 0);
    }
}
