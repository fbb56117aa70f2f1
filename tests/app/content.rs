//! The seed content is part of the product: every page is complete, linked, and every Python
//! example prints exactly the output shown under it on every CPython the machine has (3.9 and
//! later), with the same engine and sandbox as `pykb verify` (`pykb::verify`).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use pykb::domain::{ArticleDraft, Kind, slugify};
use pykb::verify::blocks::{PythonRange, examples};
use pykb::verify::interpreters::{Places, discover};
use pykb::verify::run_example;
use pykb::verify::sandbox::Limits;

use crate::helpers::{TestApp, attrs, require_tool};

const TAG_VOCABULARY: &[&str] = &[
    "basics",
    "syntax",
    "functions",
    "oop",
    "data-structures",
    "strings-and-bytes",
    "files",
    "errors",
    "concurrency",
    "memory",
    "internals",
    "modules-and-packaging",
    "tooling",
];

struct Page {
    file: &'static str,
    draft: ArticleDraft,
}

fn pages() -> Vec<Page> {
    pykb::content::seed_files()
        .iter()
        .map(|(file, text)| Page {
            file,
            draft: pykb::content::parse_document(file, text).unwrap_or_else(|err| panic!("{err}")),
        })
        .collect()
}

/// A fenced block in a page: its language (the info string's first word) and its text.
#[derive(Debug, Clone)]
struct Block {
    info: String,
    code: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut current: Option<Block> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => "(indented)".to_owned(),
                };
                current = Some(Block {
                    info,
                    code: String::new(),
                });
            }
            Event::Text(text) => {
                if let Some(block) = current.as_mut() {
                    block.code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => found.extend(current.take()),
            _ => {}
        }
    }
    found
}

fn prose_words(markdown: &str) -> usize {
    let mut in_code = false;
    let mut words = 0;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) | Event::Code(text) if !in_code => {
                words += text.split_whitespace().count()
            }
            _ => {}
        }
    }
    words
}

#[test]
fn every_page_is_complete_and_well_linked() {
    let pages = pages();
    let slugs: HashSet<&str> = pages.iter().map(|p| p.draft.slug.as_str()).collect();
    let titles: HashSet<&str> = pages.iter().map(|p| p.draft.title.as_str()).collect();
    assert_eq!(slugs.len(), pages.len(), "no two pages share a slug");
    assert_eq!(titles.len(), pages.len(), "no two pages share a title");
    let mut linked_to: HashSet<&str> = HashSet::new();
    let mut problems = Vec::new();
    for page in &pages {
        let d = &page.draft;
        let mut problem = |what: String| problems.push(format!("{}: {what}", page.file));
        if d.slug.as_str() != slugify(&d.title) {
            problem(format!(
                "slug is not the slug rule applied to the title ({})",
                slugify(&d.title)
            ));
        }
        if d.summary.is_empty() {
            problem("no summary".into());
        }
        if d.tags.is_empty() || d.tags.len() > 3 {
            problem(format!("{} tags; give 1 to 3", d.tags.len()));
        }
        for tag in &d.tags {
            if !TAG_VOCABULARY.contains(&tag.as_str()) {
                problem(format!("tag {tag} is not in the seed vocabulary"));
            }
        }
        if d.related.len() < 3 {
            problem(format!(
                "only {} related links; give at least 3",
                d.related.len()
            ));
        }
        if d.kind == Kind::Question && d.related.len() > 6 {
            problem(format!("{} related links; give at most 6", d.related.len()));
        }
        for target in &d.related {
            if !slugs.contains(target.as_str()) || target == &d.slug {
                problem(format!("related slug {target} is not another page"));
            }
            linked_to.insert(target.as_str());
        }
        for link in d.body.split("](/q/").skip(1) {
            let target = link.split([')', '#']).next().unwrap_or_default();
            if !slugs.contains(target) {
                problem(format!("body links to /q/{target}, which does not exist"));
            }
            linked_to.insert(slugs.get(target).copied().unwrap_or_default());
        }
        let words = prose_words(&d.body);
        if d.kind == Kind::Question && words < 250 {
            problem(format!("only {words} words; an answer has at least 250"));
        }
    }
    for page in &pages {
        if !linked_to.contains(page.draft.slug.as_str()) {
            problems.push(format!("{}: no other page links here", page.file));
        }
    }
    assert!(
        problems.is_empty(),
        "content problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn code_blocks_use_documented_info_strings_and_outputs_follow_programs() {
    // The same rules the form applies (`verify::blocks`): a known info string, outputs right
    // after their program, version marks that parse.
    let mut problems = Vec::new();
    let mut pages_with_examples = 0;
    for page in pages() {
        match examples(&page.draft.body) {
            Ok(found) if !found.is_empty() => pages_with_examples += 1,
            Ok(_) => {}
            Err(err) => problems.push(format!("{}: {err}", page.file)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        pages_with_examples >= 50,
        "only {pages_with_examples} pages have an executed example"
    );
}

#[test]
fn every_python_example_prints_its_shown_output_on_every_python() {
    let interpreters = discover(&Places::from_env());
    if !require_tool("python3 (3.9 or later)", !interpreters.is_empty()) {
        return;
    }
    let mut jobs = Vec::new();
    for page in pages() {
        let found = examples(&page.draft.body).unwrap_or_default();
        for example in found {
            for interpreter in &interpreters {
                jobs.push((page.file, example.clone(), interpreter.clone()));
            }
        }
    }
    let total = jobs.len();
    assert!(
        total >= 100 * interpreters.len(),
        "expected the seed to carry many examples, found {total} runs"
    );
    let queue = Mutex::new(jobs);
    let results = Mutex::new(Vec::new());
    // One run per core: the rest of the suite runs beside it.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let next = || queue.lock().unwrap().pop();
                while let Some((file, example, interpreter)) = next() {
                    let outcome = run_example(
                        &example,
                        &PythonRange::default(),
                        std::slice::from_ref(&interpreter),
                        &Limits::default(),
                    )
                    .map_err(|e| format!("cannot run {}: {e}", interpreter.path.display()));
                    results.lock().unwrap().push((file, example, outcome));
                }
            });
        }
    });
    // A table per version, then every run that printed something else within its range.
    let mut table: std::collections::BTreeMap<_, (usize, usize, usize)> = Default::default();
    let mut failures = Vec::new();
    for (file, example, outcome) in results.into_inner().unwrap() {
        let outcome = match outcome {
            Ok(mut outcomes) if outcomes.len() == 1 => outcomes.remove(0),
            Ok(_) => unreachable!("one interpreter, one outcome"),
            Err(err) => {
                failures.push(format!("{file}, example {}: {err}", example.index + 1));
                continue;
            }
        };
        let row = table.entry(outcome.python).or_default();
        row.0 += 1;
        if outcome.outside_range {
            row.2 += 1;
        } else if !outcome.matches {
            // Once more, alone: a run that only failed beside the rest of the suite (a time
            // limit on a starved machine) is reported as flaky rather than as wrong content.
            let interpreter = interpreters
                .iter()
                .find(|i| i.version == outcome.python)
                .expect("the interpreter that ran it");
            let again = run_example(
                &example,
                &PythonRange::default(),
                std::slice::from_ref(interpreter),
                &Limits::default(),
            );
            let described = format!(
                "{file}, example {} on {}: {}\n--- shown\n{}--- printed\n{}",
                example.index + 1,
                outcome.python,
                outcome.problem.as_deref().unwrap_or("output differs"),
                example.expected_for(outcome.python.minor()),
                outcome.output
            );
            if again.is_ok_and(|o| o.iter().all(|o| o.matches)) {
                eprintln!("*** FLAKY (passed when run again alone): {described}");
            } else {
                row.1 += 1;
                failures.push(described);
            }
        }
    }
    eprintln!("\n| Python | runs | differ | outside range |\n|---|---:|---:|---:|");
    for (version, (runs, differ, outside)) in &table {
        eprintln!("| {version} | {runs} | {differ} | {outside} |");
    }
    assert!(
        failures.is_empty(),
        "{} of {total} runs failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Readers and tools see each block with its language class and its exact text.
#[tokio::test]
async fn rendered_pages_keep_each_code_block_exact_and_labelled() {
    let app = TestApp::new().await;
    let fragment_text = |html: &scraper::Html| -> Vec<(String, String)> {
        let selector = scraper::Selector::parse(".prose pre > code").unwrap();
        html.select(&selector)
            .map(|code| {
                let class = code.value().attr("class").unwrap_or("").to_owned();
                (class, code.text().collect())
            })
            .collect()
    };
    let mut by_page: HashMap<String, usize> = HashMap::new();
    for page in pages() {
        let slug = page.draft.slug.as_str();
        let html = app.get(&format!("/q/{slug}")).await.html();
        let expected: Vec<(String, String)> = blocks(&page.draft.body)
            .into_iter()
            .map(|b| (format!("language-{}", b.info), b.code))
            .collect();
        assert_eq!(fragment_text(&html), expected, "/q/{slug}");
        let outputs = attrs(
            &html,
            ".prose figure.output > pre > code.language-output",
            "class",
        )
        .len();
        assert_eq!(
            outputs,
            expected
                .iter()
                .filter(|(class, _)| class == "language-output")
                .count(),
            "every output block is labelled on /q/{slug}"
        );
        by_page.insert(slug.to_owned(), expected.len());
    }
    assert_eq!(by_page.len(), crate::helpers::seed_count());
    assert!(
        Path::new("content").is_dir(),
        "tests run from the crate root"
    );
}
