//! The seed content is part of the product: every page is complete, linked, and every Python
//! example runs with the machine's `python3` and prints exactly the output shown under it.

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use pykb::domain::{ArticleDraft, Kind, slugify};
use pykb::verify::blocks::NOT_EXECUTED;

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

/// A fenced block in a page, with the block that follows it directly (if any).
#[derive(Debug, Clone)]
struct Block {
    info: String,
    code: String,
    /// The next block, when nothing but whitespace separates the two.
    directly_followed_by: Option<(String, String)>,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut found: Vec<(String, String, usize, usize)> = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => "(indented)".to_owned(),
                };
                current = Some((info, String::new(), range.start));
            }
            Event::Text(text) => {
                if let Some((_, code, _)) = current.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, code, start)) = current.take() {
                    found.push((info, code, start, range.end));
                }
            }
            _ => {}
        }
    }
    (0..found.len())
        .map(|i| {
            let (info, code, _, end) = &found[i];
            let next = found
                .get(i + 1)
                .filter(|n| markdown[*end..n.2].trim().is_empty());
            Block {
                info: info.clone(),
                code: code.clone(),
                directly_followed_by: next.map(|n| (n.0.clone(), n.1.clone())),
            }
        })
        .collect()
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
    let mut problems = Vec::new();
    let mut pages_with_examples = 0;
    for page in pages() {
        let blocks = blocks(&page.draft.body);
        if blocks.iter().any(|b| b.info == "python") {
            pages_with_examples += 1;
        }
        for (i, block) in blocks.iter().enumerate() {
            let ok = match block.info.as_str() {
                "python" => true,
                "output" => {
                    i > 0
                        && blocks[i - 1].info == "python"
                        && blocks[i - 1].directly_followed_by.is_some()
                }
                other => NOT_EXECUTED.contains(&other),
            };
            if !ok {
                problems.push(format!(
                    "{}: block {} has info string {:?}: use python (+ output right after it) or one of {NOT_EXECUTED:?}",
                    page.file,
                    i + 1,
                    block.info
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        pages_with_examples >= 50,
        "only {pages_with_examples} pages have an executed example"
    );
}

struct Outcome {
    stdout: String,
    stderr: String,
    success: bool,
}

/// Runs a program as `python3 -c` would, in an empty temporary directory, with no stdin and a
/// clean environment (so the caller's PYTHON* settings cannot change the result).
fn run_python(code: &str) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(code)
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("PYTHONIOENCODING", "utf-8")
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start python3: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).map(|_| s)
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).map(|_| s)
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err("timed out after 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_reader
        .join()
        .map_err(|_| "reader panicked")?
        .map_err(|e| e.to_string())?;
    let stderr = err_reader
        .join()
        .map_err(|_| "reader panicked")?
        .map_err(|e| e.to_string())?;
    Ok(Outcome {
        stdout,
        stderr,
        success: status.success(),
    })
}

/// What the output block should hold for this run: stdout, plus the last line of the
/// traceback when the program fails.
fn shown_output(outcome: &Outcome) -> String {
    if outcome.success {
        return outcome.stdout.clone();
    }
    let last = outcome
        .stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    format!("{}{last}\n", outcome.stdout)
}

#[test]
fn every_python_example_runs_and_prints_exactly_its_shown_output() {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !require_tool("python3", found) {
        return;
    }
    let mut jobs = Vec::new();
    for page in pages() {
        for (i, block) in blocks(&page.draft.body).into_iter().enumerate() {
            if block.info == "python" {
                jobs.push((page.file, i + 1, block));
            }
        }
    }
    let total = jobs.len();
    assert!(
        total >= 100,
        "expected the seed to carry many examples, found {total}"
    );
    let queue = Mutex::new(jobs);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some((file, n, block)) = queue.lock().unwrap().pop() else { break };
                    let expected = match &block.directly_followed_by {
                        Some((info, output)) if info == "output" => output.clone(),
                        _ => String::new(),
                    };
                    let failure = match run_python(&block.code) {
                        Err(err) => Some(err),
                        Ok(outcome) if shown_output(&outcome) != expected => Some(format!(
                            "output differs\n--- shown\n{expected}--- actual (exit ok: {})\n{}--- stderr\n{}",
                            outcome.success,
                            shown_output(&outcome),
                            outcome.stderr
                        )),
                        Ok(_) => None,
                    };
                    if let Some(failure) = failure {
                        failures.lock().unwrap().push(format!("{file}, code block {n}: {failure}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {total} examples failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    eprintln!("ran {total} Python examples: all printed their shown output");
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
    assert_eq!(by_page.len(), 62);
    assert!(
        Path::new("content").is_dir(),
        "tests run from the crate root"
    );
}
