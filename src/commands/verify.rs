//! `pykb verify [SLUG...]`: runs the examples of the named published articles (all of them
//! without a name) on every interpreter found, now, and prints what each printed where it
//! differs from its output block, then a table per Python version. Exits 1 when an example
//! fails on an interpreter its page is about. Safe while the site runs (it only reads).
//! `pykb verify --files PATH...` does the same for Markdown files in the format of
//! `content/`, without a database: how a page is checked before it is imported.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::open_existing;
use crate::config::Config;
use crate::db::{articles, verification};
use crate::verify::blocks::{Example, PythonRange, examples};
use crate::verify::interpreters::{Interpreter, Places, Version, discover};
use crate::verify::sandbox::Limits;
use crate::verify::{Outcome, Status, run_example};

/// Articles read from the database at once.
const BATCH: i64 = 500;

struct Job {
    slug: String,
    example: Example,
    /// The Pythons its page is about.
    range: PythonRange,
}

pub async fn verify(config: &Config, slugs: &[String], files: &[PathBuf]) -> anyhow::Result<()> {
    if !config.verify {
        println!("examples are not run: PYKB_VERIFY=0 switches verification off");
        return Ok(());
    }
    let places = Places::with(config.pythons.clone());
    let interpreters = tokio::task::spawn_blocking(move || discover(&places)).await?;
    if interpreters.is_empty() {
        anyhow::bail!(
            "no CPython 3.9 or later found: put python3 on PATH, install versions with pyenv, \
             or name interpreters in PYKB_PYTHONS (comma-separated paths)"
        );
    }
    println!(
        "interpreters: {}",
        interpreters
            .iter()
            .map(|i| format!("{} ({})", i.version, i.path.display()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (jobs, broken) = if files.is_empty() {
        collect(config, slugs).await?
    } else {
        let files = files.to_vec();
        tokio::task::spawn_blocking(move || collect_files(&files)).await??
    };
    let total = jobs.len();
    println!(
        "{total} examples, each on {} interpreters, {} at a time",
        interpreters.len(),
        config.verify_jobs
    );
    let jobs_at_once = config.verify_jobs;
    let report =
        tokio::task::spawn_blocking(move || run_all(jobs, &interpreters, jobs_at_once)).await?;
    report.print();
    let mut problems = report.failures;
    problems += broken;
    if problems > 0 {
        anyhow::bail!(
            "{problems} examples fail on a Python their page is about (or cannot be read): fix \
             the output block, mark a version-specific one (output python=3.N or python=3.N+), \
             or limit the block (python min=3.N / max=3.N)"
        );
    }
    Ok(())
}

/// The examples of the chosen articles, and how many articles have blocks that break the rules
/// (each named on stdout).
async fn collect(config: &Config, slugs: &[String]) -> anyhow::Result<(Vec<Job>, usize)> {
    let db = open_existing(config).await?;
    let mut rows = Vec::new();
    let page = |a: verification::ToVerify| {
        let range = PythonRange::parse(&a.python).unwrap_or_default();
        (a.slug, a.body, range)
    };
    if slugs.is_empty() {
        let mut after = 0;
        loop {
            let batch = verification::published_after(&db, after, BATCH).await?;
            let Some((last, _)) = batch.last() else { break };
            after = *last;
            rows.extend(batch.into_iter().map(|(_, a)| page(a)));
        }
    } else {
        let mut conn = db.acquire().await?;
        let mut ids = Vec::new();
        for slug in slugs {
            let (id, _) = articles::id_and_version(&mut conn, slug)
                .await?
                .with_context(|| format!("no article has the slug {slug:?}"))?;
            ids.push((slug, id));
        }
        drop(conn);
        for (slug, id) in ids {
            let article = verification::published_body(&db, id)
                .await?
                .with_context(|| {
                    format!("{slug} is not published: only published articles are verified")
                })?;
            rows.push(page(article));
        }
    }
    db.close().await;
    Ok(jobs_of(rows))
}

/// The examples of Markdown files (a directory stands for its `.md` files), named by file.
fn collect_files(paths: &[PathBuf]) -> anyhow::Result<(Vec<Job>, usize)> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read the directory {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    let mut rows = Vec::new();
    let mut broken = 0;
    for file in &files {
        match read_page(file) {
            Ok(row) => rows.push(row),
            Err(err) => {
                broken += 1;
                println!("{err:#}");
            }
        }
    }
    let (jobs, more) = jobs_of(rows);
    Ok((jobs, broken + more))
}

fn read_page(file: &Path) -> anyhow::Result<(String, String, PythonRange)> {
    let name = file.display().to_string();
    let text =
        std::fs::read_to_string(file).with_context(|| format!("{name}: cannot read the file"))?;
    let draft = crate::content::parse_document(&name, &text)?;
    Ok((name, draft.body, draft.python))
}

/// Each example of each (name, body, range), and how many bodies break the block rules
/// (each named on stdout).
fn jobs_of(rows: Vec<(String, String, PythonRange)>) -> (Vec<Job>, usize) {
    let mut jobs = Vec::new();
    let mut broken = 0;
    for (slug, body, range) in rows {
        match examples(&body) {
            Ok(found) => jobs.extend(found.into_iter().map(|example| Job {
                slug: slug.clone(),
                example,
                range,
            })),
            Err(err) => {
                broken += 1;
                println!("{slug}: {err}");
            }
        }
    }
    (jobs, broken)
}

/// What the runs found, per version and in all.
#[derive(Default)]
struct Report {
    /// Per version: runs, runs in the example's range that match, runs outside its range
    /// (shown, never failures), seconds.
    versions: Vec<(Version, usize, usize, usize, Duration)>,
    failures: usize,
    statuses: [usize; 3],
    started: Option<Instant>,
}

impl Report {
    fn add(&mut self, job: &Job, outcomes: &[Outcome], elapsed: &[Duration]) {
        for (outcome, took) in outcomes.iter().zip(elapsed) {
            let at = match self.versions.binary_search_by_key(&outcome.python, |r| r.0) {
                Ok(at) => at,
                Err(at) => {
                    let row = (outcome.python, 0, 0, 0, Duration::ZERO);
                    self.versions.insert(at, row);
                    at
                }
            };
            let row = &mut self.versions[at];
            row.1 += 1;
            row.2 += usize::from(outcome.matches && !outcome.outside_range);
            row.3 += usize::from(outcome.outside_range);
            row.4 += *took;
        }
        let status = Status::of(outcomes);
        match status {
            Status::Ok => self.statuses[0] += 1,
            Status::Differs => self.statuses[1] += 1,
            _ => self.statuses[2] += 1,
        }
        let failing: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| !o.matches && !o.outside_range)
            .collect();
        if failing.is_empty() {
            return;
        }
        self.failures += 1;
        println!(
            "\n{}, example {}: {} on {}",
            job.slug,
            job.example.index + 1,
            status.as_str(),
            failing
                .iter()
                .map(|o| o.python.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        for outcome in failing {
            let expected = job.example.expected_for(outcome.python.minor());
            println!("  --- {} expected\n{}", outcome.python, indent(expected));
            match &outcome.problem {
                Some(problem) => println!(
                    "  --- {} {problem}\n{}",
                    outcome.python,
                    indent(&outcome.output)
                ),
                None => println!(
                    "  --- {} printed\n{}",
                    outcome.python,
                    indent(&outcome.output)
                ),
            }
        }
    }

    fn print(&self) {
        println!("\n| Python | runs | match | differ | outside range | seconds |");
        println!("|---|---:|---:|---:|---:|---:|");
        for (version, runs, matching, outside, took) in &self.versions {
            println!(
                "| {version} | {runs} | {matching} | {} | {outside} | {:.1} |",
                runs - matching - outside,
                took.as_secs_f64()
            );
        }
        println!(
            "\nexamples: {} ok, {} differ, {} fail; {:.1} s in all",
            self.statuses[0],
            self.statuses[1],
            self.statuses[2],
            self.started.map_or(0.0, |s| s.elapsed().as_secs_f64())
        );
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs every job on `jobs_at_once` threads, printing progress every few seconds.
fn run_all(jobs: Vec<Job>, interpreters: &[Interpreter], jobs_at_once: usize) -> Report {
    let total = jobs.len();
    let queue = Mutex::new(jobs.into_iter().collect::<Vec<_>>());
    let report = Mutex::new(Report {
        started: Some(Instant::now()),
        ..Report::default()
    });
    let done = std::sync::atomic::AtomicUsize::new(0);
    let limits = Limits::default();
    let last_progress = Mutex::new(Instant::now());
    std::thread::scope(|scope| {
        for _ in 0..jobs_at_once.max(1) {
            scope.spawn(|| {
                // The lock is let go before the job runs (a `while let` on the guard would
                // hold it for the whole body).
                let next = || queue.lock().ok().and_then(|mut q| q.pop());
                while let Some(job) = next() {
                    let mut elapsed = Vec::new();
                    let mut outcomes = Vec::new();
                    for interpreter in interpreters {
                        let one = std::slice::from_ref(interpreter);
                        let began = Instant::now();
                        match run_example(&job.example, &job.range, one, &limits) {
                            Ok(mut found) => outcomes.append(&mut found),
                            Err(err) => println!(
                                "{}, example {}: cannot run {}: {err}",
                                job.slug,
                                job.example.index + 1,
                                interpreter.path.display()
                            ),
                        }
                        elapsed.push(began.elapsed());
                    }
                    if let Ok(mut report) = report.lock() {
                        report.add(&job, &outcomes, &elapsed);
                    }
                    let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    if let Ok(mut last) = last_progress.lock()
                        && last.elapsed() > Duration::from_secs(5)
                    {
                        *last = Instant::now();
                        eprintln!("  verify: {finished}/{total} examples run");
                    }
                }
            });
        }
    });
    report.into_inner().unwrap_or_default()
}
