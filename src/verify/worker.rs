//! Verification in the background: takes the articles queued by writes
//! (`db::verification`), runs each example that has no stored run for its current text on
//! each interpreter (`PYKB_VERIFY_JOBS` runs at once, on blocking threads, never on an async
//! worker), stores the results in one transaction and forgets the article's cached pages.
//! A crash loses nothing: the queue row goes only with the stored results.

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::{Notify, Semaphore};

use super::blocks::{Applies, Example, Range, examples};
use super::interpreters::Interpreter;
use super::sandbox::Limits;
use crate::db::verification::{self, StoredRun};
use crate::db::{self, Db};
use crate::page_cache::PageCache;

/// The interpreters and how many runs may go at once.
pub struct Verifier {
    interpreters: Vec<Interpreter>,
    runs: Arc<Semaphore>,
    limits: Limits,
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

impl Verifier {
    pub fn new(interpreters: Vec<Interpreter>, jobs: usize) -> Self {
        Verifier {
            interpreters,
            runs: Arc::new(Semaphore::new(jobs.max(1))),
            limits: Limits::default(),
            metrics: None,
        }
    }

    /// Counts its runs and failures in `/metrics`.
    pub fn with_metrics(mut self, metrics: Arc<crate::metrics::Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }
}

/// Verifies queued articles until the queue is empty; returns how many it took.
pub async fn drain(db: &Db, pages: &PageCache, verifier: &Verifier) -> anyhow::Result<usize> {
    let mut done = 0;
    while let Some((id, generation)) = verification::next_queued(&db.pool).await? {
        verify_article(db, pages, verifier, id, generation).await?;
        done += 1;
    }
    Ok(done)
}

async fn verify_article(
    db: &Db,
    pages: &PageCache,
    verifier: &Verifier,
    id: i64,
    generation: i64,
) -> anyhow::Result<()> {
    let Some((slug, body)) = verification::published_body(&db.pool, id).await? else {
        // A draft or the trash: verified when published.
        return Ok(verification::dequeue(&db.pool, id, generation).await?);
    };
    // A body that breaks the rules (written before they were checked) has no examples.
    let found = examples(&body).unwrap_or_default();
    let stored = verification::runs(&db.pool, id).await?;
    let mut tasks = tokio::task::JoinSet::new();
    let mut kept = Vec::new();
    for example in found {
        let fingerprint = fingerprint(&example);
        let example = Arc::new(example);
        for interpreter in &verifier.interpreters {
            let python = interpreter.version.to_string();
            let index = example.index as i64;
            if let Some(run) = stored
                .iter()
                .find(|r| r.example == index && r.python == python && r.fingerprint == fingerprint)
            {
                kept.push(run.clone());
                continue;
            }
            let permit = Arc::clone(&verifier.runs).acquire_owned().await?;
            let (example, interpreter, limits) = (
                Arc::clone(&example),
                interpreter.clone(),
                verifier.limits.clone(),
            );
            let fingerprint = fingerprint.clone();
            tasks.spawn_blocking(move || {
                let _permit = permit;
                let outcomes = super::run_example(
                    &example,
                    &Range::default(),
                    std::slice::from_ref(&interpreter),
                    &limits,
                );
                (example.index as i64, python, fingerprint, outcomes)
            });
        }
    }
    let mut ran = 0;
    while let Some(joined) = tasks.join_next().await {
        let (example, python, fingerprint, outcomes) = joined?;
        // An interpreter that cannot start (removed since start-up) leaves no result: the
        // example shows as not run on it.
        let Some(outcome) = outcomes.ok().and_then(|mut o| o.pop()) else {
            continue;
        };
        ran += 1;
        if let Some(metrics) = &verifier.metrics {
            metrics.example_runs.inc();
            if !outcome.matches && !outcome.outside_range {
                metrics.example_run_failures.inc();
            }
        }
        kept.push(StoredRun {
            example,
            python,
            fingerprint,
            matches: outcome.matches,
            outside_range: outcome.outside_range,
            output: outcome.output,
            problem: outcome.problem,
        });
    }
    verification::store(&db.pool, id, generation, &kept, db::now()).await?;
    if ran > 0 {
        pages.forget_articles(std::slice::from_ref(&slug));
    }
    tracing::debug!(article = %slug, ran, kept = kept.len() - ran, "examples verified");
    Ok(())
}

/// What a stored run depends on: the code, its marks and its output blocks.
fn fingerprint(example: &Example) -> String {
    let mut hash = Sha256::new();
    hash.update(example.code.as_bytes());
    hash.update(format!("\0{:?}\0{:?}", example.min, example.max).as_bytes());
    for output in &example.outputs {
        let applies = match output.applies {
            Applies::Every => String::new(),
            Applies::Only((a, b)) => format!("={a}.{b}"),
            Applies::From((a, b)) => format!("+{a}.{b}"),
        };
        hash.update(format!("\0{applies}\0").as_bytes());
        hash.update(output.text.as_bytes());
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The setting that remembers which interpreters every published article was queued for.
const VERIFIED_WITH: &str = "verified_with";

/// Queues every published article when the interpreters differ from those last seen (a new
/// Python installed, or a first start): each then runs on what it has not run on yet.
pub async fn queue_for_new_interpreters(
    db: &Db,
    interpreters: &[Interpreter],
) -> anyhow::Result<()> {
    let versions = interpreters
        .iter()
        .map(|i| i.version.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let mut tx = db.pool.begin_with("BEGIN IMMEDIATE").await?;
    if db::settings::get(&mut tx, VERIFIED_WITH).await?.as_deref() != Some(versions.as_str()) {
        let queued = verification::enqueue_all_published(&mut tx, db::now()).await?;
        db::settings::set(&mut tx, VERIFIED_WITH, &versions).await?;
        tracing::info!(articles = queued, pythons = %versions, "queued every published article's examples for these interpreters");
    }
    tx.commit().await?;
    Ok(())
}

/// The server's verification task: finds the interpreters (in the background, so start-up
/// is not slower), then verifies what writes queue, woken by each write and every minute.
pub async fn run_forever(
    db: Db,
    pages: Arc<PageCache>,
    wake: Arc<Notify>,
    pythons: Option<String>,
    jobs: usize,
    metrics: Arc<crate::metrics::Metrics>,
) {
    let places = super::interpreters::Places::with(pythons);
    let interpreters =
        match tokio::task::spawn_blocking(move || super::interpreters::discover(&places)).await {
            Ok(found) => found,
            Err(err) => {
                tracing::error!(error = %err, "finding Python interpreters failed");
                return;
            }
        };
    if interpreters.is_empty() {
        tracing::warn!(
            "no CPython 3.9 or later found: examples are not verified (put python3 on PATH, \
             install versions with pyenv, or set PYKB_PYTHONS)"
        );
        return;
    }
    tracing::info!(
        pythons = %interpreters.iter().map(|i| i.version.to_string()).collect::<Vec<_>>().join(" "),
        "examples are verified on these interpreters"
    );
    if let Err(err) = queue_for_new_interpreters(&db, &interpreters).await {
        tracing::error!(
            error = format!("{err:#}"),
            "could not queue examples for new interpreters"
        );
    }
    let verifier = Verifier::new(interpreters, jobs).with_metrics(metrics);
    loop {
        match drain(&db, &pages, &verifier).await {
            Ok(0) => {}
            Ok(done) => tracing::info!(articles = done, "examples verified"),
            Err(err) => {
                tracing::error!(
                    error = format!("{err:#}"),
                    "verifying examples failed; retrying"
                );
            }
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
    }
}
