//! What readers look for, for the editors' report (`/admin/search`): per day and normalized
//! query, how many searches, how many found nothing, how many opened a result, and which
//! result position was opened. Nothing about a reader is kept or looked at: no cookie, no
//! address, no account.
//!
//! A search costs no write of its own: counts gather here and are written in one transaction
//! every second (`run_forever`) and before the report is read. Everything is bounded: the
//! counts waiting in memory, the distinct queries kept per day, the clicks accepted per second,
//! and the days kept (`PYKB_SEARCH_STATS_DAYS`, pruned daily).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::search_stats::{self, Counts};
use crate::db::{self, Db};
use crate::search::MAX_QUERY_CHARS;

/// Distinct (day, query) counts waiting in memory at most; searches of further new queries
/// before the next write are not counted.
pub const MAX_WAITING: usize = 10_000;
/// Distinct queries kept per day at most.
pub const MAX_QUERIES_PER_DAY: i64 = 10_000;
/// Result positions are counted one by one up to this; later ones count here.
pub const LAST_POSITION: u32 = 20;
/// Clicks accepted per second (a burst of `CLICK_BURST` allowed); more get 429.
const CLICKS_PER_SECOND: f64 = 20.0;
const CLICK_BURST: f64 = 100.0;
/// How often the waiting counts are written.
const WRITE_EVERY: Duration = Duration::from_secs(1);

#[derive(Default)]
struct Waiting {
    queries: HashMap<(i64, String), Counts>,
    positions: HashMap<(i64, u32), i64>,
    /// Searches not counted because `queries` was full.
    dropped: u64,
}

/// A token bucket: `tokens` refill at `CLICKS_PER_SECOND` up to `CLICK_BURST`.
struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct SearchLog {
    waiting: Mutex<Waiting>,
    clicks: Mutex<Bucket>,
    /// Serializes writes, so two never add the same counts twice.
    writing: tokio::sync::Mutex<()>,
}

impl Default for SearchLog {
    fn default() -> Self {
        SearchLog {
            waiting: Mutex::new(Waiting::default()),
            clicks: Mutex::new(Bucket {
                tokens: CLICK_BURST,
                at: Instant::now(),
            }),
            writing: tokio::sync::Mutex::new(()),
        }
    }
}

/// How a query is counted: lowercase words separated by one space, at most
/// `MAX_QUERY_CHARS` characters; `None` for an empty query.
pub fn normalize(query: &str) -> Option<String> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let joined: String = words.join(" ").chars().take(MAX_QUERY_CHARS).collect();
    let joined = joined.trim_end().to_owned();
    (!joined.is_empty()).then_some(joined)
}

/// Today, as days since 1970 (UTC).
pub fn today() -> i64 {
    db::now().div_euclid(86_400)
}

impl SearchLog {
    fn waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        // Counts are a comfort: a panic while one was held leaves them usable.
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn count(&self, query: &str, change: impl FnOnce(&mut Counts)) {
        let Some(query) = normalize(query) else {
            return;
        };
        let mut waiting = self.waiting();
        let key = (today(), query);
        if !waiting.queries.contains_key(&key) && waiting.queries.len() >= MAX_WAITING {
            waiting.dropped += 1;
            return;
        }
        change(waiting.queries.entry(key).or_default());
    }

    /// A search for `query` that found `total` results.
    pub fn searched(&self, query: &str, total: usize) {
        self.count(query, |counts| {
            counts.searches += 1;
            counts.zero_results += i64::from(total == 0);
        });
    }

    /// A reader opened result `position` (1 for the first) of `query`. From the results as you
    /// type, which the server does not count as searches, the opening counts as the search too.
    pub fn opened(&self, query: &str, position: u32, as_you_type: bool) {
        self.count(query, |counts| {
            counts.clicks += 1;
            counts.searches += i64::from(as_you_type);
        });
        let position = position.clamp(1, LAST_POSITION);
        *self
            .waiting()
            .positions
            .entry((today(), position))
            .or_default() += 1;
    }

    /// Whether one more click may be counted now (the rate limit of `/api/search/click`).
    pub fn allow_click(&self) -> bool {
        let mut bucket = self.clicks.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let refill = now.duration_since(bucket.at).as_secs_f64() * CLICKS_PER_SECOND;
        bucket.tokens = (bucket.tokens + refill).min(CLICK_BURST);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Searches not counted since the start because too many new queries came at once.
    pub fn dropped(&self) -> u64 {
        self.waiting().dropped
    }

    /// Writes the waiting counts in one transaction. Counts of a write that fails are lost
    /// (they are statistics; the next write goes on).
    pub async fn write(&self, db: &Db) -> anyhow::Result<()> {
        let _writing = self.writing.lock().await;
        let (queries, positions) = {
            let mut waiting = self.waiting();
            (
                std::mem::take(&mut waiting.queries),
                std::mem::take(&mut waiting.positions),
            )
        };
        if queries.is_empty() && positions.is_empty() {
            return Ok(());
        }
        let mut tx = db.begin().await?;
        let mut known: HashMap<i64, i64> = HashMap::new();
        for ((day, query), counts) in &queries {
            let known = match known.get_mut(day) {
                Some(n) => n,
                None => {
                    let n = search_stats::queries_on(&mut tx, *day).await?;
                    known.entry(*day).or_insert(n)
                }
            };
            search_stats::add(&mut tx, *day, query, *counts, MAX_QUERIES_PER_DAY, known).await?;
        }
        for ((day, position), clicks) in &positions {
            search_stats::add_clicks(&mut tx, *day, i64::from(*position), *clicks).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Writes the counts every second and prunes old days once a day, until the server stops.
    pub async fn run_forever(self: std::sync::Arc<Self>, db: Db, keep_days: i64) {
        let mut every = tokio::time::interval(WRITE_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut pruned_on = None;
        loop {
            every.tick().await;
            if let Err(err) = self.write(&db).await {
                tracing::warn!(error = format!("{err:#}"), "cannot write search statistics");
            }
            let day = today();
            if pruned_on != Some(day) {
                pruned_on = Some(day);
                match search_stats::delete_before(&db, day - keep_days + 1).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(rows = n, "removed old search statistics"),
                    Err(err) => tracing::warn!(error = %err, "cannot prune search statistics"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_counted_as_lowercase_words() {
        assert_eq!(normalize("  Is   VS ==\t").as_deref(), Some("is vs =="));
        assert_eq!(normalize("   "), None);
        assert_eq!(
            normalize(&"x".repeat(500)).map(|q| q.len()),
            Some(MAX_QUERY_CHARS)
        );
    }

    #[test]
    fn waiting_counts_are_bounded() {
        let log = SearchLog::default();
        for n in 0..MAX_WAITING + 5 {
            log.searched(&format!("query {n}"), 1);
        }
        log.searched("query 1", 0);
        assert_eq!(log.waiting().queries.len(), MAX_WAITING);
        assert_eq!(log.dropped(), 5);
        let counts = log.waiting().queries[&(today(), "query 1".to_owned())];
        assert_eq!((counts.searches, counts.zero_results), (2, 1));
    }

    #[test]
    fn clicks_are_rate_limited_after_a_burst() {
        let log = SearchLog::default();
        let allowed = (0..1000).filter(|_| log.allow_click()).count();
        assert!((100..110).contains(&allowed), "{allowed}");
    }
}
