//! `pykb copy --from URL --to URL`: moves a whole site into an empty database, either way
//! between SQLite and PostgreSQL (or SQLite to SQLite). Every table is copied row for row with
//! its ids, so links between rows, the change log's positions and the data directory's search
//! index stay valid; sign-in sessions only with `--sessions`. The page context, derived from
//! the other tables, is worked out again in the target.
//!
//! The source is read in one snapshot (safe while its site runs: edits made meanwhile are not
//! copied) and the target written in one transaction, so a failure leaves it empty and the
//! command can simply run again. Then the target's row counts are compared with the
//! snapshot's and `pykb check`'s database checks run on it.

use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::config::{Config, Database};
use crate::db::copy::{Counts, accounts, content, site};
use crate::db::{Conn, Db};

/// Rows read and written at a time: a batch of revisions, full texts included, stays a few
/// megabytes.
const BATCH: i64 = 500;

pub async fn copy(
    config: &Config,
    from: Option<&str>,
    to: &str,
    sessions: bool,
) -> anyhow::Result<()> {
    let source = match from {
        Some(url) => Database::from_url(url, "--from")?,
        None => config.database.clone(),
    };
    let target = Database::from_url(to, "--to")?;
    anyhow::ensure!(
        source != target,
        "--from and --to name the same database ({source:?})"
    );
    let source_db = open_source(&source, config.busy_timeout).await?;
    let target_db = open_target(&target, config.busy_timeout).await?;

    let mut from = source_db.begin_snapshot().await?;
    let mut to = target_db.begin_write().await?;
    let present = crate::db::copy::counts(&mut to).await?;
    if present != Counts::default() {
        anyhow::bail!(
            "{target:?} is not empty ({} articles, {} users): copy into a new database (a new \
             file, or `createdb` on PostgreSQL); a server started on it seeds it at once, so \
             start the nodes after the copy",
            present.articles,
            present.users
        );
    }
    let mut expected = crate::db::copy::counts(&mut from).await?;
    if !sessions {
        expected.sessions = 0;
    }
    eprintln!(
        "Copying {} articles, {} revisions and {} users from {source:?} to {target:?}…",
        expected.articles, expected.revisions, expected.users
    );
    let mut progress = Progress::new();
    copy_rows(&mut from, &mut to, &expected, sessions, &mut progress).await?;
    crate::db::copy::finish(&mut to).await?;
    // Worked out again rather than copied: its rows hold JSON that each backend writes in its
    // own spelling, and `pykb check` compares them as text.
    eprintln!("  page_context: working it out again…");
    let started = Instant::now();
    crate::db::page_context::refresh_all(&mut to).await?;
    eprintln!(
        "  page_context: worked out in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Before the commit, so that a copy that does not add up leaves the target empty.
    let copied = crate::db::copy::counts(&mut to).await?;
    let wrong = differences(&expected, &copied);
    anyhow::ensure!(
        wrong.is_empty(),
        "the target's rows do not add up to the source's ({}); nothing was written",
        wrong.join(", ")
    );
    to.commit()
        .await
        .with_context(|| format!("the copy into {target:?} could not be committed"))?;
    drop(from);
    source_db.close().await;
    eprintln!(
        "Copied {} rows in {:.1} s. Checking the target:",
        progress.total,
        progress.started.elapsed().as_secs_f64()
    );
    let problems = super::check::database_problems(&target_db).await?;
    target_db.close().await;
    if !problems.is_empty() {
        for problem in &problems {
            println!("PROBLEM: {problem}");
        }
        anyhow::bail!("the copy in {target:?} fails {} checks", problems.len());
    }
    if !sessions && expected.users > 0 {
        println!("Sessions were not copied: everyone signs in again (--sessions copies them).");
    }
    println!(
        "The site is copied to {target:?}. A node on it keeps the search index of its data \
         directory (the change log kept its positions) or builds one at start."
    );
    Ok(())
}

/// The source: migrated to this release's schema (rows are read in its shape), never created.
async fn open_source(source: &Database, busy_timeout: Duration) -> anyhow::Result<Db> {
    if let Database::Sqlite(path) = source {
        anyhow::ensure!(
            path.exists(),
            "there is no database at {} (--from)",
            path.display()
        );
    }
    Db::connect(source, busy_timeout).await
}

/// The target: created (a SQLite file and its directory) and migrated.
async fn open_target(target: &Database, busy_timeout: Duration) -> anyhow::Result<Db> {
    if let Database::Sqlite(path) = target
        && let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {} (--to)", dir.display()))?;
    }
    Db::connect(target, busy_timeout).await
}

/// Copies tables in batches, in the order given: for each, `read` a page of rows after the last
/// one copied from the source, `write` it into the target, until none is left.
macro_rules! copy_tables {
    ($from:ident, $to:ident, $progress:ident, $expected:ident;
     $($table:ident: $read:path, $write:path;)+) => {$({
        let name = stringify!($table);
        let mut after = None;
        let mut done = 0;
        loop {
            let rows = $read(&mut *$from, after.as_ref(), BATCH)
                .await
                .with_context(|| format!("reading {name} from the source"))?;
            if rows.is_empty() {
                break;
            }
            $write(&mut *$to, &rows)
                .await
                .with_context(|| format!("writing {name} into the target"))?;
            done += rows.len() as i64;
            $progress.advance(name, done, $expected.$table);
            after = rows.into_iter().last();
        }
        $progress.finish(name, done);
    })+};
}

/// Every table, each after the tables its rows point at.
async fn copy_rows(
    from: &mut Conn,
    to: &mut Conn,
    expected: &Counts,
    sessions: bool,
    progress: &mut Progress,
) -> anyhow::Result<()> {
    use accounts::*;
    use content::*;
    use site::*;
    copy_tables!(from, to, progress, expected;
        users: read_users, write_users;
    );
    if sessions {
        copy_tables!(from, to, progress, expected;
            sessions: read_sessions, write_sessions;
        );
    }
    copy_tables!(from, to, progress, expected;
        articles: read_articles, write_articles;
        tags: read_tags, write_tags;
        article_tags: read_article_tags, write_article_tags;
        related_links: read_related_links, write_related_links;
        article_bodies: read_article_bodies, write_article_bodies;
        body_links: read_body_links, write_body_links;
        revisions: read_revisions, write_revisions;
        slug_redirects: read_slug_redirects, write_slug_redirects;
        verify_queue: read_verify_queue, write_verify_queue;
        example_runs: read_example_runs, write_example_runs;
        autosaves: read_autosaves, write_autosaves;
        pending_changes: read_pending_changes, write_pending_changes;
        search_outbox: read_search_outbox, write_search_outbox;
        settings: read_settings, write_settings;
        seed_imports: read_seed_imports, write_seed_imports;
        search_queries: read_search_queries, write_search_queries;
        search_clicks: read_search_clicks, write_search_clicks;
    );
    Ok(())
}

/// The tables whose count in the target differs from the snapshot's (but the page context,
/// worked out again in the target and compared by the checks).
fn differences(expected: &Counts, copied: &Counts) -> Vec<String> {
    expected
        .by_table()
        .into_iter()
        .zip(copied.by_table())
        .filter(|((table, expected), (_, copied))| *table != "page_context" && expected != copied)
        .map(|((table, expected), (_, copied))| format!("{table} {copied} of {expected}"))
        .collect()
}

/// One line per table on stderr, and a line every few seconds within a long one.
struct Progress {
    started: Instant,
    last_line: Instant,
    total: i64,
}

impl Progress {
    fn new() -> Self {
        let now = Instant::now();
        Progress {
            started: now,
            last_line: now,
            total: 0,
        }
    }

    fn advance(&mut self, table: &str, done: i64, of: i64) {
        if self.last_line.elapsed() >= Duration::from_secs(2) {
            eprintln!("  {table}: {done} of {of} rows…");
            self.last_line = Instant::now();
        }
    }

    fn finish(&mut self, table: &str, done: i64) {
        self.total += done;
        eprintln!("  {table}: {done} rows");
        self.last_line = Instant::now();
    }
}
