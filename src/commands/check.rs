//! `pykb check`: the database's integrity, and whether the stored page context and the search
//! index agree with it. Changes nothing, safe while the site runs; exits 1 when anything is
//! wrong, saying what to do.

use super::open_existing;
use crate::config::Config;
use crate::db::{Db, maintenance, outbox};

pub async fn check(config: &Config) -> anyhow::Result<()> {
    let db = open_existing(config).await?;
    let mut problems = database_problems(&db).await?;
    let published = maintenance::published_ids(&db).await?;
    let pending = match crate::search::recorded_position(&config.index_path()) {
        Ok(Some(position)) => outbox::count_after(&db, position).await?,
        _ => 0,
    };
    db.close().await;
    match crate::search::indexed_ids(&config.index_path()) {
        Ok(mut indexed) => {
            indexed.sort_unstable();
            let missing: Vec<i64> = published
                .iter()
                .filter(|id| indexed.binary_search(id).is_err())
                .copied()
                .collect();
            let extra: Vec<i64> = indexed
                .iter()
                .filter(|id| published.binary_search(id).is_err())
                .copied()
                .collect();
            if missing.is_empty() && extra.is_empty() {
                println!(
                    "search index: ok ({} published articles, all indexed)",
                    published.len()
                );
            } else if pending > 0 {
                println!(
                    "search index: {pending} changes still queued (a running server applies them \
                     in moments); check again"
                );
                problems.push("the search index lags behind the database".to_owned());
            } else {
                problems.push(format!(
                    "the search index disagrees with the database (missing ids {missing:?}, \
                     extra ids {extra:?}): run `pykb reindex` while the server is stopped"
                ));
            }
        }
        Err(err) => problems.push(format!(
            "the search index cannot be read ({err:#}): the server rebuilds it at start, or run \
             `pykb reindex`"
        )),
    }
    if problems.is_empty() {
        println!("All checks passed.");
        return Ok(());
    }
    for problem in &problems {
        println!("PROBLEM: {problem}");
    }
    anyhow::bail!("check found {} problems", problems.len())
}

/// The checks of the database itself (integrity, foreign keys, the stored page context and
/// topic counts), each printed as it passes; what failed, saying what to do. `pykb copy`
/// runs them on its target too.
pub(crate) async fn database_problems(db: &Db) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut conn = db.acquire().await?;
    let integrity = maintenance::integrity_check(&mut conn).await?;
    if integrity == ["ok"] {
        println!("database integrity: ok");
    } else {
        println!("database integrity: {} problems", integrity.len());
        problems.push(format!(
            "the database fails SQLite's integrity check ({}): restore the latest backup with \
             `pykb restore FILE`",
            integrity.join("; ")
        ));
    }
    let dangling = maintenance::foreign_key_problems(&mut conn).await?;
    drop(conn);
    if dangling == 0 {
        println!("foreign keys: ok");
    } else {
        problems.push(format!("{dangling} rows point at rows that do not exist"));
    }
    if maintenance::page_context_is_current(db).await? {
        println!("page context: ok");
    } else {
        problems.push(
            "the stored page context (related entries, neighbours, dead links of article pages) \
             disagrees with the articles: stop the server and run `pykb reindex`, which works it \
             out again"
                .to_owned(),
        );
    }
    let miscounted = maintenance::miscounted_tags(db).await?;
    if miscounted.is_empty() {
        println!("topic counts: ok");
    } else {
        problems.push(format!(
            "the kept counts of {} topics ({}) disagree with their entries: stop the server \
             and run `pykb reindex`, which counts them again",
            miscounted.len(),
            miscounted
                .iter()
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(problems)
}
