//! Verification in the background: takes the articles queued by writes
//! (`db::verification`), runs each example that has no stored run for its current text on
//! each interpreter (`PYKB_VERIFY_JOBS` runs at once, on blocking threads, never on an async
//! worker), stores the results in one transaction and forgets the article's cached pages.
//! A crash loses nothing: the queue row goes only with the stored results.

use std::sync::Arc;
use std::time::Duration;

use super::blocks::{PythonRange, examples};
use super::engine::{Verifier, fingerprint, stored};
use super::interpreters::Interpreter;
use super::slots::Lane;
use crate::db::verification;
use crate::db::{self, Db};
use crate::page_cache::PageCache;

/// Verifies queued articles until the queue is empty; returns how many it took.
pub async fn drain(db: &Db, pages: &PageCache, verifier: &Arc<Verifier>) -> anyhow::Result<usize> {
    let mut done = 0;
    while let Some((id, generation)) = verification::next_queued(db).await? {
        verify_article(db, pages, verifier, id, generation).await?;
        done += 1;
    }
    Ok(done)
}

async fn verify_article(
    db: &Db,
    pages: &PageCache,
    verifier: &Arc<Verifier>,
    id: i64,
    generation: i64,
) -> anyhow::Result<()> {
    let Some(article) = verification::published_body(db, id).await? else {
        // A draft or the trash: verified when published.
        return Ok(verification::dequeue(db, id, generation).await?);
    };
    // A body or range that breaks the rules (written before they were checked) counts as
    // having no examples, or as being about every version.
    let found = examples(&article.body).unwrap_or_default();
    let page = PythonRange::parse(&article.python).unwrap_or_default();
    let stored_runs = verification::runs(db, id).await?;
    let interpreters = verifier.interpreters().await.to_vec();
    let mut tasks = tokio::task::JoinSet::new();
    let mut kept = Vec::new();
    for example in found {
        let fingerprint = fingerprint(&example, &page);
        let example = Arc::new(example);
        for interpreter in &interpreters {
            let python = interpreter.version.to_string();
            let index = example.index as i64;
            if let Some(run) = stored_runs
                .iter()
                .find(|r| r.example == index && r.python == python && r.fingerprint == fingerprint)
            {
                kept.push(run.clone());
                continue;
            }
            let (verifier, example, interpreter, fingerprint) = (
                Arc::clone(verifier),
                Arc::clone(&example),
                interpreter.clone(),
                fingerprint.clone(),
            );
            tasks.spawn(async move {
                let index = example.index;
                let outcome = verifier
                    .run(Lane::Background, example, page, &interpreter)
                    .await;
                outcome.map(|o| stored(index, fingerprint, o, db::now()))
            });
        }
    }
    let mut ran = 0;
    while let Some(joined) = tasks.join_next().await {
        // An interpreter that cannot start (removed since start-up), or a run that panicked,
        // leaves no result: the example shows as not run on it, and the article leaves the
        // queue all the same rather than being tried again forever.
        if let Some(run) = joined? {
            ran += 1;
            kept.push(run);
        }
    }
    let changed = (ran > 0).then_some(article.slug.as_str());
    verification::store(db, id, generation, &kept, changed).await?;
    if ran > 0 {
        pages.forget_articles(std::slice::from_ref(&article.slug));
    }
    tracing::debug!(article = %article.slug, ran, kept = kept.len() - ran, "examples verified");
    Ok(())
}

/// The setting that remembers which interpreters every published article was queued for.
pub const VERIFIED_WITH: &str = "verified_with";

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
    let mut tx = db.begin_write().await?;
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
pub async fn run_forever(db: Db, pages: Arc<PageCache>, verifier: Arc<Verifier>) {
    let interpreters = verifier.interpreters().await;
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
    if let Err(err) = queue_for_new_interpreters(&db, interpreters).await {
        tracing::error!(
            error = format!("{err:#}"),
            "could not queue examples for new interpreters"
        );
    }
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
            () = verifier.wake.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
    }
}
