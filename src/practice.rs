//! Practice cards (issue 23): flashcards from a question and its one-sentence summary, and
//! "predict the output" cards from the site's examples whose output is verified. A card's id
//! is a hash of its source text, so it stays the same across deploys while that text does.
//!
//! An output card needs an example that printed what its page shows on every Python it was
//! run on, within the page's versions, with a short output (something to type) and nothing
//! that changes from run to run (an address, a hash-ordered set is beyond what a reader can
//! predict). Each output must have come out of two runs at least, where the site has two
//! interpreters: every run has its own random hash seed and address layout (the sandbox clears
//! the environment and passes `-E`), so an output two runs agree on is one a reader can
//! predict. Where Pythons print different things, there is a card per output, naming the
//! versions it is for. Choices (for short one-line outputs) are real outputs: of the same code
//! on other Pythons, or of the page's other examples.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::verification::StoredRun;
use crate::domain::PythonRange;
use crate::verify::blocks::{Example, examples};
use crate::verify::engine::fingerprint;

/// The longest output a card asks for: lines, and characters.
pub const MAX_OUTPUT_LINES: usize = 5;
pub const MAX_OUTPUT_CHARS: usize = 160;
/// The longest program shown on a card: lines, and characters.
pub const MAX_CODE_LINES: usize = 14;
pub const MAX_CODE_CHARS: usize = 700;
/// Outputs this short (one line) are offered as a choice among real outputs.
const CHOICE_CHARS: usize = 40;
const DISTRACTORS: usize = 3;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    /// `flashcard` or `output`.
    pub kind: &'static str,
    pub slug: String,
    /// The question (a flashcard), or what to do (an output card).
    pub question: String,
    /// The summary (a flashcard), or the title of the answer that explains it.
    pub answer: String,
    /// Where the answer is explained: the page, or the example's code block on it.
    pub url: String,
    pub code: Option<String>,
    pub output: Option<String>,
    /// The Pythons the output is for ("3.9, 3.10, 3.11"), on an output card.
    pub python: Option<String>,
    /// The real output among real outputs of other code or other Pythons; empty: type it.
    pub choices: Vec<String>,
}

fn card_id(prefix: &str, parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let hex: String = hash
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{prefix}-{hex}")
}

/// The flashcard of a question with a summary.
pub fn flashcard(slug: &str, question: &str, summary: &str) -> Option<Card> {
    let summary = summary.trim();
    if summary.is_empty() {
        return None;
    }
    Some(Card {
        id: card_id("f", &[slug, question, summary]),
        kind: "flashcard",
        slug: slug.to_owned(),
        question: question.to_owned(),
        answer: summary.to_owned(),
        url: format!("/q/{slug}"),
        code: None,
        output: None,
        python: None,
        choices: Vec::new(),
    })
}

/// Whether an output could change between two runs of the same program.
fn may_vary(output: &str) -> bool {
    let bytes = output.as_bytes();
    // A memory address: 0x followed by six or more hex digits.
    bytes
        .windows(8)
        .any(|w| w[0] == b'0' && w[1] == b'x' && w[2..].iter().all(|b| b.is_ascii_hexdigit()))
        || output.contains(" object at ")
}

fn short_enough(example: &Example, output: &str) -> bool {
    let code = example.code.trim_end();
    !output.trim().is_empty()
        && output.lines().count() <= MAX_OUTPUT_LINES
        && output.chars().count() <= MAX_OUTPUT_CHARS
        && code.lines().count() <= MAX_CODE_LINES
        && code.chars().count() <= MAX_CODE_CHARS
}

/// An output, with the Python minors ("3.12") that printed it and how many runs did.
type Printed = (String, Vec<String>, usize);

/// Runs that must agree on an output before it makes a card.
const RUNS_AGREEING: usize = 2;

/// The output cards of one page: its body, its Pythons and its stored runs.
pub fn output_cards(
    slug: &str,
    title: &str,
    body: &str,
    page_python: &PythonRange,
    runs: &[StoredRun],
) -> Vec<Card> {
    let Ok(found) = examples(body) else {
        return Vec::new();
    };
    // Per example: each output it printed as shown, with the minors that printed it.
    let mut groups: Vec<(&Example, Vec<Printed>)> = Vec::new();
    for example in &found {
        let current = fingerprint(example, page_python);
        let mine: Vec<&StoredRun> = runs
            .iter()
            .filter(|r| r.example == example.index as i64 && r.fingerprint == current)
            .collect();
        // Every run in range must have printed what the page shows: one that did not makes
        // the example no exercise at all.
        let in_range: Vec<&&StoredRun> = mine.iter().filter(|r| !r.outside_range).collect();
        if in_range.is_empty() || in_range.iter().any(|r| !r.matches || r.problem.is_some()) {
            continue;
        }
        let in_range_runs = in_range.len();
        let mut outputs: Vec<Printed> = Vec::new();
        for run in in_range {
            let output = run.output.trim_end().to_owned();
            let minor = run
                .python
                .splitn(3, '.')
                .take(2)
                .collect::<Vec<_>>()
                .join(".");
            match outputs.iter_mut().find(|(o, _, _)| *o == output) {
                Some((_, minors, runs)) => {
                    *runs += 1;
                    if !minors.contains(&minor) {
                        minors.push(minor);
                    }
                }
                None => outputs.push((output, vec![minor], 1)),
            }
        }
        if outputs
            .iter()
            .all(|(o, _, _)| short_enough(example, o) && !may_vary(o))
        {
            // An output only one run printed could be chance: its card waits for another
            // (on a site with one interpreter, one run is all there is).
            let needed = RUNS_AGREEING.min(in_range_runs);
            outputs.retain(|(_, _, runs)| *runs >= needed);
            groups.push((example, outputs));
        }
    }
    let one_liners: Vec<String> = groups
        .iter()
        .flat_map(|(_, outputs)| outputs.iter().map(|(o, _, _)| o.clone()))
        .filter(|o| !o.contains('\n') && o.chars().count() <= CHOICE_CHARS)
        .collect();
    let mut cards = Vec::new();
    for (example, outputs) in &groups {
        for (output, minors, _) in outputs {
            let mut minors = minors.clone();
            minors.sort_by_key(|m| crate::domain::parse_minor(m));
            let python = minors.join(", ");
            let code = example.code.trim_end().to_owned();
            let id = card_id("o", &[slug, &code, output, &python]);
            let mut choices = Vec::new();
            if !output.contains('\n') && output.chars().count() <= CHOICE_CHARS {
                let mut others: Vec<&String> = one_liners.iter().filter(|o| *o != output).collect();
                others.sort();
                others.dedup();
                // The same code's other outputs first: the subtle ones.
                others.sort_by_key(|o| !outputs.iter().any(|(x, _, _)| x == *o));
                let picked: Vec<String> = others.into_iter().take(DISTRACTORS).cloned().collect();
                if picked.len() >= 2 {
                    choices = picked;
                    choices.push(output.clone());
                    // A fixed order that does not give the answer away.
                    choices.sort_by_key(|c| card_id("c", &[&id, c]));
                }
            }
            cards.push(Card {
                id,
                kind: "output",
                slug: slug.to_owned(),
                question: format!("What does this print on Python {}?", span(&minors)),
                answer: title.to_owned(),
                url: format!("/q/{slug}#code-{}", example.block),
                code: Some(code),
                output: Some(output.clone()),
                python: Some(python),
                choices,
            });
        }
    }
    cards
}

/// Minors as people write them: "3.9–3.13" for a run of three or more, else listed.
fn span(minors: &[String]) -> String {
    let parsed: Vec<Option<(u32, u32)>> = minors
        .iter()
        .map(|m| crate::domain::parse_minor(m))
        .collect();
    let consecutive = parsed
        .windows(2)
        .all(|w| matches!(w, [Some(a), Some(b)] if a.0 == b.0 && b.1 == a.1 + 1));
    match minors {
        [first, .., last] if minors.len() >= 3 && consecutive => format!("{first}–{last}"),
        _ => minors.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_runs_read_as_spans() {
        let minors = |list: &[&str]| list.iter().map(|m| (*m).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            span(&minors(&["3.9", "3.10", "3.11", "3.12", "3.13"])),
            "3.9–3.13"
        );
        assert_eq!(span(&minors(&["3.12", "3.13"])), "3.12, 3.13");
        assert_eq!(span(&minors(&["3.9", "3.11", "3.12"])), "3.9, 3.11, 3.12");
        assert_eq!(span(&minors(&["3.12"])), "3.12");
    }

    #[test]
    fn addresses_and_reprs_of_objects_vary_between_runs() {
        assert!(may_vary("<object object at 0x7f3a2b1c9d80>"));
        assert!(may_vary("0x7f3a2b1c"));
        assert!(!may_vary("0x10\n16"));
        assert!(!may_vary("[1, 2, 3]"));
    }

    fn run(python: &str, output: &str, fingerprint: &str) -> StoredRun {
        StoredRun {
            example: 0,
            python: python.to_owned(),
            fingerprint: fingerprint.to_owned(),
            matches: true,
            outside_range: false,
            output: output.to_owned(),
            problem: None,
            ran_at: 0,
        }
    }

    #[test]
    fn an_output_needs_two_runs_that_agree() {
        let body = "```python\nprint(2)\n```\n\n```output\n2\n```\n";
        let range = PythonRange::default();
        let example = &examples(body).unwrap()[0];
        let print = fingerprint(example, &range);
        // With two interpreters, an output only one of them printed makes no card.
        let split = [run("3.12.1", "2\n", &print), run("3.13.0", "3\n", &print)];
        assert!(output_cards("s", "T", body, &range, &split).is_empty());
        // With one interpreter, its run is all there is.
        let one = [run("3.13.0", "2\n", &print)];
        assert_eq!(output_cards("s", "T", body, &range, &one).len(), 1);
        let two = [run("3.12.1", "2\n", &print), run("3.13.0", "2\n", &print)];
        let cards = output_cards("s", "T", body, &range, &two);
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].python.as_deref(), Some("3.12, 3.13"));
        // Runs of an earlier text of the example do not count.
        let stale = [run("3.12.1", "2\n", "old"), run("3.13.0", "2\n", &print)];
        assert_eq!(
            output_cards("s", "T", body, &range, &stale)[0]
                .python
                .as_deref(),
            Some("3.13")
        );
        // A run that printed something else: no card at all.
        let mut wrong = two.clone();
        wrong[0].matches = false;
        assert!(output_cards("s", "T", body, &range, &wrong).is_empty());
    }

    #[test]
    fn flashcard_ids_follow_their_text() {
        let a = flashcard("s", "Q?", "A.").unwrap();
        assert_eq!(a, flashcard("s", "Q?", "A.").unwrap());
        assert_ne!(a.id, flashcard("s", "Q?", "B.").unwrap().id);
        assert!(flashcard("s", "Q?", "  ").is_none());
    }
}
