//! Following the change log (`db::outbox`): how a node's search index and page cache learn of
//! writes made on other nodes, when several pykb nodes share one PostgreSQL database.
//!
//! A write applies its own change on the node that made it before answering (the index
//! catches up, then the page cache forgets: `editing::save::commit_revision`). Every other
//! node hears of it through PostgreSQL's `LISTEN pykb_changes` (each logged change sends a
//! `NOTIFY` at commit) and does the same: its index applies the log after the position its
//! last commit recorded, then its page cache forgets the pages each new row names. Should the
//! listening connection drop (the server restarted), the node polls every quarter second until
//! it is back; with it, a slow poll still runs as a safety net. On SQLite there is one node,
//! and nothing to follow.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;

use crate::db::{self, Db, outbox};
use crate::page_cache::{Changed, PageCache};
use crate::search::Search;

/// How often to look at the log while no signal can arrive.
const POLL_WITHOUT_SIGNAL: Duration = Duration::from_millis(250);
/// How often to look anyway while signals arrive (a lost one costs at most this).
const POLL_WITH_SIGNAL: Duration = Duration::from_secs(5);
/// Changes read per query.
const BATCH: i64 = 1000;

/// The node's follower: runs until the process ends (PostgreSQL only).
pub async fn run_forever(db: Db, search: Arc<Search>, pages: Arc<PageCache>) {
    let Db::Postgres(pool) = &db else {
        return;
    };
    // The page cache starts empty: nothing logged before now can be in it.
    let mut seen = loop {
        match outbox::last_id(&db).await {
            Ok(last) => break last,
            Err(err) => {
                tracing::warn!(error = %err, "cannot read the change log yet");
                tokio::time::sleep(POLL_WITHOUT_SIGNAL).await;
            }
        }
    };
    let mut listener: Option<PgListener> = None;
    let mut reported_down = false;
    loop {
        if listener.is_none() {
            match listen(pool).await {
                Ok(connected) => {
                    if reported_down {
                        tracing::info!("listening for other nodes' changes again");
                    }
                    reported_down = false;
                    listener = Some(connected);
                }
                Err(err) => {
                    if !reported_down {
                        tracing::warn!(
                            error = %err,
                            "cannot listen for other nodes' changes; polling the change log"
                        );
                    }
                    reported_down = true;
                }
            }
        }
        match &mut listener {
            Some(connected) => {
                match tokio::time::timeout(POLL_WITH_SIGNAL, connected.try_recv()).await {
                    // A signal, a lost connection sqlx re-established (signals in between are
                    // lost: look now), or the safety poll.
                    Ok(Ok(_)) | Err(_) => {}
                    Ok(Err(err)) => {
                        tracing::warn!(error = %err, "the change signal's connection failed");
                        reported_down = true;
                        listener = None;
                    }
                }
            }
            None => tokio::time::sleep(POLL_WITHOUT_SIGNAL).await,
        }
        if let Err(err) = follow(&db, &search, &pages, &mut seen).await {
            // The database is away: the next round tries again.
            tracing::debug!(
                error = format!("{err:#}"),
                "cannot follow the change log now"
            );
        }
    }
}

async fn listen(pool: &sqlx::PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(outbox::CHANNEL).await?;
    Ok(listener)
}

/// Applies what was logged after `seen`: the index first, then the pages, as the writing node
/// does, so no page is cached again with what the index said before the change.
async fn follow(db: &Db, search: &Search, pages: &PageCache, seen: &mut i64) -> anyhow::Result<()> {
    loop {
        let changes = outbox::after(db, *seen, BATCH).await?;
        let Some(last) = changes.last().map(|c| c.id) else {
            return Ok(());
        };
        search.catch_up(db).await?;
        for change in &changes {
            pages.forget(&Changed::logged(change));
        }
        *seen = last;
        if (changes.len() as i64) < BATCH {
            return Ok(());
        }
    }
}

/// Removes changes older than the log keeps, once an hour (any node may: the newest row always
/// stays, and the position removed is recorded for nodes that were away).
pub async fn prune_forever(db: Db) {
    let mut every = tokio::time::interval(Duration::from_secs(60 * 60));
    loop {
        every.tick().await;
        let before = db::now() - outbox::KEEP_DAYS * 24 * 60 * 60;
        match outbox::prune(&db, before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(changes = n, "pruned the change log"),
            Err(err) => tracing::warn!(error = %err, "cannot prune the change log"),
        }
    }
}
