//! Full-text search. SQLite is the truth; this index is derived from it and can always be
//! rebuilt. One module owns it: the schema, one writer behind a lock, one reader (a fresh
//! searcher per request), and the outbox replay that keeps it caught up with the database.
//! Every tantivy call blocks, so callers reach it through `spawn_blocking`.

mod landing;
mod query;
mod run;
mod schema;
mod snippet;
mod tokenizer;

pub use crate::memo::MemoStats;
pub use query::{MAX_QUERY_CHARS, ParsedQuery, parse};
pub use run::{Hit, MAX_RESULTS, SearchRequest, SearchResults};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use tantivy::schema::Facet;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::db::articles::ForIndex;
use crate::db::{Db, articles, outbox};
use crate::domain::Status;
use crate::memo::Memo;
use crate::render::outline;
use schema::{Fields, SCHEMA_VERSION, normalize_title};

const VERSION_FILE: &str = "pykb-schema-version";
/// Searches allowed to run at once (each on a blocking thread); more wait their turn.
const CONCURRENT_SEARCHES: usize = 4;
/// Articles read from the database and handed to the writer at a time, in a rebuild or a
/// catch-up: what either holds in memory.
const INDEX_BATCH: usize = 500;
/// The index writer's memory budget: a bulk load flushes a segment each time it fills. Half
/// of it left 15 segments after an import of 100,000 articles, searched at half the speed
/// of the 2 this leaves (tantivy's merge policy joins them as they come).
const WRITER_BUDGET: usize = 32_000_000;
/// A catch-up of this many articles is a bulk load: progress in the log.
const BULK: usize = 5_000;
/// Searches allowed to wait by default; past this the server is overloaded and answers 503.
pub const MAX_WAITING_SEARCHES: usize = 1024;

/// How the index serves searches.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Searches that may wait for a turn; past this, answer 503 (`SearchError::Busy`).
    pub max_waiting: usize,
    /// Whether results and "more like this" lists are remembered until the index changes
    /// (`PYKB_SEARCH_CACHE`).
    pub remember_searches: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_waiting: MAX_WAITING_SEARCHES,
            remember_searches: true,
        }
    }
}

/// The search index as the rest of the app sees it. The index is opened (or rebuilt) in the
/// background at start-up so pages are served meanwhile; until it is ready, searches answer 503
/// and `/healthz` says why.
pub struct Search {
    state: tokio::sync::watch::Sender<IndexState>,
}

#[derive(Clone)]
enum IndexState {
    Opening,
    Ready(Arc<SearchIndex>),
    Failed(String),
}

impl Search {
    /// Starts opening the index in `dir` on a background task and returns at once.
    pub fn start(dir: &Path, db: &Db, options: Options) -> Arc<Self> {
        let search = Arc::new(Search {
            state: tokio::sync::watch::Sender::new(IndexState::Opening),
        });
        let (dir, db, handle) = (dir.to_path_buf(), db.clone(), Arc::clone(&search));
        tokio::spawn(async move {
            let state = match SearchIndex::open(&dir, &db, options).await {
                Ok(index) => IndexState::Ready(index),
                Err(err) => {
                    tracing::error!(error = format!("{err:#}"), dir = %dir.display(), "the search index cannot be opened; search is unavailable");
                    IndexState::Failed(format!("{err:#}"))
                }
            };
            let ready = match &state {
                IndexState::Ready(index) => Some(Arc::clone(index)),
                _ => None,
            };
            handle.state.send_replace(state);
            // A write that committed while the index was opening found it absent and left its
            // change in the outbox: apply it now.
            if let Some(index) = ready
                && let Err(err) = index.catch_up(&db).await
            {
                tracing::error!(error = format!("{err:#}"), "search index catch-up failed");
            }
        });
        search
    }

    /// Waits until the index is open (or has failed to open).
    pub async fn wait_ready(&self) {
        let mut receiver = self.state.subscribe();
        // An error here means the sender is gone, which cannot happen while `self` lives.
        let _ = receiver
            .wait_for(|s| !matches!(s, IndexState::Opening))
            .await;
    }

    /// `Ok` once the index is open, or why it is not.
    pub fn health(&self) -> Result<(), String> {
        match &*self.state.borrow() {
            IndexState::Ready(_) => Ok(()),
            IndexState::Opening => Err("the search index is being opened or rebuilt".to_owned()),
            IndexState::Failed(why) => Err(format!("the search index cannot be opened: {why}")),
        }
    }

    fn index(&self) -> Result<Arc<SearchIndex>, SearchError> {
        match &*self.state.borrow() {
            IndexState::Ready(index) => Ok(Arc::clone(index)),
            _ => Err(SearchError::NotReady),
        }
    }

    pub async fn search(&self, request: SearchRequest) -> Result<SearchResults, SearchError> {
        self.index()?.search(request).await
    }

    /// Ids of the published articles most like the article `id` ("more like this"),
    /// remembered under `slug` until the index changes.
    pub async fn similar(
        &self,
        slug: &str,
        id: i64,
        title: String,
        limit: usize,
    ) -> Result<Vec<i64>, SearchError> {
        let index = self.index()?;
        let (generation, ids) = index
            .run(move |index| {
                let searcher = index.reader.searcher();
                let ids = index.similar_ids(&searcher, id, &title, limit)?;
                Ok((searcher.generation().generation_id(), ids))
            })
            .await?;
        if let Some(memo) = &index.similar_memo {
            memo.insert(generation, (slug.to_owned(), limit), ids.clone());
        }
        Ok(ids)
    }

    /// What `similar` found for `slug` with the index as it is now, if it was asked before:
    /// a page asks on every view, and the answer only changes when the index does.
    pub fn similar_remembered(&self, slug: &str, limit: usize) -> Option<Vec<i64>> {
        let index = self.index().ok()?;
        index
            .similar_memo
            .as_ref()?
            .get(index.generation(), &(slug.to_owned(), limit))
    }

    /// Applies the outbox to the index before a write's response returns. While the index is
    /// still opening there is nothing to do: the opening task applies the outbox when it is done.
    pub async fn catch_up(&self, db: &Db) -> anyhow::Result<()> {
        match self.index() {
            Ok(index) => index.catch_up(db).await,
            Err(_) => Ok(()),
        }
    }

    /// How many logged changes this node's index has not applied yet (all of them while it
    /// opens).
    pub async fn lag(&self, db: &Db) -> anyhow::Result<i64> {
        let applied = self.index().map_or(0, |index| index.applied());
        Ok(outbox::count_after(db, applied).await?)
    }

    /// Replaces the whole index with the published articles of the database.
    pub async fn rebuild(&self, db: &Db) -> anyhow::Result<usize> {
        let index = self.index()?;
        let count = index.rebuild(db).await?;
        index.catch_up(db).await?;
        Ok(count)
    }

    /// Number of documents a fresh searcher sees (0 while the index is not open).
    pub fn num_docs(&self) -> u64 {
        self.index().map_or(0, |index| index.num_docs())
    }

    /// Hits, misses and entries of the search-results memo and of the "more like this" memo
    /// (zeros while the index opens or with `PYKB_SEARCH_CACHE=0`).
    pub fn memo_stats(&self) -> (MemoStats, MemoStats) {
        let Ok(index) = self.index() else {
            return Default::default();
        };
        let stats = |memo: Option<MemoStats>| memo.unwrap_or_default();
        (
            stats(index.results_memo.as_ref().map(|m| m.stats())),
            stats(index.similar_memo.as_ref().map(|m| m.stats())),
        )
    }
}

pub struct SearchIndex {
    reader: IndexReader,
    /// Held through a rebuild or a catch-up: two overlapping catch-ups could otherwise apply
    /// an older copy of an article after a newer one.
    updating: tokio::sync::Mutex<()>,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    /// The change log's position this index has applied through (recorded in each commit's
    /// payload, so it survives restarts with the index it describes); `None` for an index made
    /// before the log kept its rows.
    applied: std::sync::Mutex<Option<i64>>,
    fields: Fields,
    permits: tokio::sync::Semaphore,
    waiting: AtomicUsize,
    /// Past this many waiting searches, answer 503 (`SearchError::Busy`).
    max_waiting: usize,
    /// "More like this" ids by slug and limit.
    /// Off, like `results_memo`, with `PYKB_SEARCH_CACHE=0`.
    similar_memo: Option<Memo<(String, usize), Vec<i64>>>,
    /// Search results by request; `None` when switched off (`PYKB_SEARCH_CACHE=0`).
    results_memo: Option<Memo<SearchRequest, SearchResults>>,
}

/// Changes applied per index commit when catching up (after an import the log names every
/// article: their rows at once would be the whole site in memory).
const CHANGES_PER_CATCH_UP: i64 = 20_000;

/// Searches remembered at most (a few kilobytes each).
const REMEMBERED_SEARCHES: usize = 2048;
/// "More like this" answers remembered at most: one per article page.
const REMEMBERED_SIMILAR: usize = 8192;

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("too many searches are waiting; try again in a moment")]
    Busy,
    #[error("the search index is being rebuilt; try again in a moment")]
    NotReady,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl SearchIndex {
    /// Opens the index in `dir`, or builds it from the database when it is missing, empty, of
    /// another schema version or unreadable (the broken one is moved aside, not deleted), or
    /// when the change log was pruned past where it stopped (a node stopped for longer than
    /// the log keeps changes). Then follows the log so the index agrees with the database.
    pub async fn open(dir: &Path, db: &Db, options: Options) -> anyhow::Result<Arc<Self>> {
        let dir = dir.to_path_buf();
        let (index, fresh) =
            tokio::task::spawn_blocking(move || open_or_create(&dir, options)).await??;
        let position = match index.recorded() {
            Some(position) => Some(position),
            // An index from before the log kept its rows: they were removed once applied, so
            // whatever is left is what it has not applied.
            None if !fresh => Some(match outbox::first_id(db).await? {
                Some(first) => first - 1,
                None => outbox::last_id(db).await?,
            }),
            None => None,
        };
        match position {
            Some(position) if position >= outbox::pruned_through(db).await? => {
                index.set_applied(position);
            }
            Some(position) => {
                tracing::info!(
                    applied_through = position,
                    "the change log no longer holds what this index missed; rebuilding it"
                );
                index.rebuild(db).await?;
            }
            None => {
                index.rebuild(db).await?;
            }
        }
        index.catch_up(db).await?;
        Ok(index)
    }

    /// The log position the index's last commit recorded, if any.
    fn recorded(&self) -> Option<i64> {
        let writer = self.writer().ok()?;
        let metas = writer.index().load_metas().ok()?;
        metas.payload.as_deref()?.trim().parse().ok()
    }

    /// The change log's position applied so far (0 before any).
    pub fn applied(&self) -> i64 {
        self.applied.lock().ok().and_then(|a| *a).unwrap_or(0)
    }

    fn set_applied(&self, position: i64) {
        if let Ok(mut applied) = self.applied.lock() {
            *applied = Some(position);
        }
    }

    /// Replaces the whole index with the published articles of the database.
    async fn rebuild(self: &Arc<Self>, db: &Db) -> anyhow::Result<usize> {
        let _updating = self.updating.lock().await;
        // Changes logged from here on may or may not be in what is read below: catch-up applies
        // them again (applying a change twice gives the same documents).
        let position = outbox::last_id(db).await?;
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            this.writer()?.delete_all_documents()?;
            Ok(())
        })
        .await??;
        let (mut count, mut after) = (0, 0);
        let mut progress = Progress::new("search index rebuilding", 0, true);
        loop {
            let rows = articles::published_for_index(db, after, INDEX_BATCH as i64).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            (count, after) = (count + rows.len(), last);
            progress.advance(rows.len());
            let this = Arc::clone(self);
            tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
                let writer = this.writer()?;
                for row in &rows {
                    for doc in this.documents(row) {
                        writer.add_document(doc)?;
                    }
                }
                Ok(())
            })
            .await??;
        }
        self.commit(position).await?;
        tracing::info!(documents = count, "search index rebuilt from the database");
        Ok(count)
    }

    /// Applies the changes logged after the position it recorded, then records the new one
    /// with the commit. Called at start-up (a crash may have left some), after every write on
    /// this node before the response returns, and whenever another node logs a change
    /// (`crate::follow`).
    async fn catch_up(self: &Arc<Self>, db: &Db) -> anyhow::Result<()> {
        let _updating = self.updating.lock().await;
        loop {
            let pending = outbox::after(db, self.applied(), CHANGES_PER_CATCH_UP).await?;
            let Some(last) = pending.last().map(|p| p.id) else {
                return Ok(());
            };
            self.apply(db, &pending, last).await?;
        }
    }

    /// Brings the articles `changes` name up to date in the index and commits, recording `last`.
    async fn apply(
        self: &Arc<Self>,
        db: &Db,
        changes: &[outbox::Change],
        last: i64,
    ) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let mut ids: Vec<i64> = changes.iter().map(|p| p.article_id).collect();
        ids.sort_unstable();
        ids.dedup();
        // In batches: after an import the outbox names every article, and the rows of all of
        // them at once would be the whole site in memory.
        let bulk = ids.len() >= BULK;
        let mut progress = Progress::new("search index catching up", ids.len(), bulk);
        for batch in ids.chunks(INDEX_BATCH) {
            // A list of integers always serializes.
            let wanted = serde_json::to_string(batch).unwrap_or_else(|_| "[]".to_owned());
            let rows = articles::for_index(db, &wanted).await?;
            let (count, batch) = (batch.len(), batch.to_vec());
            let this = Arc::clone(self);
            tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
                let writer = this.writer()?;
                for id in batch {
                    writer.delete_term(Term::from_field_u64(this.fields.id, id as u64));
                }
                for row in rows.iter().filter(|r| r.status == Status::Published) {
                    for doc in this.documents(row) {
                        writer.add_document(doc)?;
                    }
                }
                Ok(())
            })
            .await??;
            progress.advance(count);
        }
        let applied = started.elapsed();
        self.commit(last).await?;
        tracing::debug!(
            articles = ids.len(),
            through = last,
            apply_ms = applied.as_secs_f64() * 1e3,
            commit_ms = (started.elapsed() - applied).as_secs_f64() * 1e3,
            "search index caught up"
        );
        Ok(())
    }

    /// Commits what the writer was given, recording that it covers the change log through
    /// `position`, and lets searches see it.
    async fn commit(self: &Arc<Self>, position: i64) -> anyhow::Result<()> {
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let started = std::time::Instant::now();
            {
                let mut writer = this.writer()?;
                let mut commit = writer.prepare_commit()?;
                commit.set_payload(&position.to_string());
                commit.commit()?;
            }
            this.set_applied(position);
            let committed = started.elapsed();
            this.reader.reload()?;
            tracing::debug!(
                writer_ms = committed.as_secs_f64() * 1e3,
                reload_ms = (started.elapsed() - committed).as_secs_f64() * 1e3,
                "search index committed"
            );
            Ok(())
        })
        .await?
    }

    fn writer(&self) -> anyhow::Result<std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>>> {
        self.writer
            .lock()
            .map_err(|_| anyhow::anyhow!("index writer lock poisoned"))
    }

    /// Number of articles a fresh searcher sees (pages, not their sections).
    fn num_docs(&self) -> u64 {
        let searcher = self.reader.searcher();
        run::count_pages(&searcher, &self.fields).unwrap_or_default()
    }

    /// Runs a blocking search job on the bounded queue.
    async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        job: impl FnOnce(&SearchIndex) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, SearchError> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(SearchError::Busy);
        }
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let _permit = permit.map_err(|_| SearchError::Busy)?;
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || job(&this))
            .await
            .map_err(|err| SearchError::Internal(anyhow::anyhow!("search task failed: {err}")))?
            .map_err(SearchError::Internal)
    }

    async fn search(
        self: &Arc<Self>,
        request: SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let Some(memo) = &self.results_memo else {
            return self.run(move |index| index.execute(&request)).await;
        };
        // Read before searching: the results are then at least as new as the generation
        // they are remembered under.
        let generation = self.generation();
        if let Some(results) = memo.get(generation, &request) {
            return Ok(results);
        }
        let key = request.clone();
        let results = self.run(move |index| index.execute(&request)).await?;
        memo.insert(generation, key, results.clone());
        Ok(results)
    }

    /// Which state of the index a fresh searcher sees; every commit makes a new one.
    fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// The documents of one article: its page, then each of its sections.
    fn documents(&self, row: &ForIndex) -> Vec<TantivyDocument> {
        let f = &self.fields;
        let outline = outline(&row.body);
        // The introduction's phrasings speak for the page; a section's, for the section.
        let asked_as = outline
            .sections
            .iter()
            .find(|s| s.anchor.is_empty())
            .map_or(&[][..], |intro| &intro.asked_as[..]);
        let mut page = TantivyDocument::default();
        page.add_u64(f.id, row.id as u64);
        page.add_text(f.kind, schema::PAGE);
        page.add_text(f.title, &row.title);
        page.add_text(f.title_stem, &row.title);
        page.add_text(f.title_norm, normalize_title(&row.title));
        page.add_text(f.summary, &row.summary);
        page.add_text(f.summary_stem, &row.summary);
        for phrasing in asked_as {
            page.add_text(f.asked_as, phrasing);
            page.add_text(f.asked_as_stem, phrasing);
        }
        // All phrasings are the page's text too (typo correction and word statistics read the
        // body), but no section's prose.
        let mut prose = outline.prose;
        for phrasing in outline.sections.iter().flat_map(|s| &s.asked_as) {
            prose.push('\n');
            prose.push_str(phrasing);
        }
        page.add_text(f.body, &prose);
        page.add_text(f.body_stem, &prose);
        page.add_text(f.code, &outline.code);
        for tag in row.tags.iter() {
            page.add_text(f.tags, tag);
            page.add_facet(f.facets, Facet::from_path(["tag", tag]));
        }
        page.add_facet(
            f.facets,
            Facet::from_path(["difficulty", row.difficulty.as_str()]),
        );
        let role = if row.kind == crate::domain::Kind::Collection {
            schema::ROLE_COLLECTION
        } else {
            schema::ROLE_BODY
        };
        page.add_u64(f.role, role);
        let mut documents = vec![page];
        for section in &outline.sections {
            let mut doc = TantivyDocument::default();
            doc.add_u64(f.id, row.id as u64);
            doc.add_text(f.kind, schema::SECTION);
            doc.add_text(f.anchor, &section.anchor);
            doc.add_text(f.heading, &section.heading);
            doc.add_text(f.heading_stem, &section.heading);
            doc.add_text(f.section_body, &section.prose);
            doc.add_text(f.section_body_stem, &section.prose);
            doc.add_text(f.section_code, &section.code);
            if !section.anchor.is_empty() {
                for phrasing in &section.asked_as {
                    doc.add_text(f.section_asked_as, phrasing);
                    doc.add_text(f.section_asked_as_stem, phrasing);
                }
            }
            doc.add_u64(f.role, schema::role(&section.anchor, &section.heading));
            documents.push(doc);
        }
        documents
    }
}

/// Replaces the index in `dir` with one built from the database (`pykb reindex`, with the
/// server stopped); returns how many articles it holds.
pub async fn rebuild_in(dir: &Path, db: &Db) -> anyhow::Result<u64> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("cannot remove the old index {}", dir.display()))?;
    }
    let index = SearchIndex::open(dir, db, Options::default()).await?;
    Ok(index.num_docs())
}

/// The change log's position the index in `dir` recorded at its last commit (`pykb check`).
pub fn recorded_position(dir: &Path) -> anyhow::Result<Option<i64>> {
    let index = Index::open_in_dir(dir)
        .with_context(|| format!("cannot open the index {}", dir.display()))?;
    Ok(index
        .load_metas()?
        .payload
        .as_deref()
        .and_then(|p| p.trim().parse().ok()))
}

/// The article ids in the index in `dir`, read without taking its writer lock (`pykb check`,
/// safe beside a running server).
pub fn indexed_ids(dir: &Path) -> anyhow::Result<Vec<i64>> {
    let index = Index::open_in_dir(dir)
        .with_context(|| format!("cannot open the index {}", dir.display()))?;
    let id = index
        .schema()
        .get_field("id")
        .context("the index has no id field")?;
    let kind = index
        .schema()
        .get_field("kind")
        .context("the index has no kind field")?;
    let searcher = index.reader()?.searcher();
    let pages = tantivy::query::TermQuery::new(
        Term::from_field_text(kind, schema::PAGE),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&pages, &tantivy::collector::DocSetCollector)?;
    let mut ids = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(value) =
            tantivy::schema::Value::as_u64(&doc.get_first(id).context("a document without id")?)
        {
            ids.push(value as i64);
        }
    }
    Ok(ids)
}

fn open_or_create(dir: &PathBuf, options: Options) -> anyhow::Result<(Arc<SearchIndex>, bool)> {
    let stamp = std::fs::read_to_string(dir.join(VERSION_FILE)).ok();
    let current = stamp.as_deref().map(str::trim) == Some(&SCHEMA_VERSION.to_string());
    if current {
        match open_existing(dir, options) {
            Ok(index) => return Ok((index, false)),
            Err(err) => {
                tracing::warn!(error = format!("{err:#}"), dir = %dir.display(), "search index unusable; rebuilding it")
            }
        }
    } else if dir.exists() {
        tracing::info!(dir = %dir.display(), found = ?stamp, want = SCHEMA_VERSION, "search index missing or of another schema version; rebuilding it");
    }
    if dir.exists() {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let aside = dir.with_extension(format!("broken-{stamp}"));
        std::fs::rename(dir, &aside)
            .with_context(|| format!("cannot move the old index aside to {}", aside.display()))?;
        tracing::warn!(moved_to = %aside.display(), "old search index moved aside");
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the index directory {}", dir.display()))?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(dir, schema).context("cannot create the search index")?;
    std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())?;
    Ok((assemble(index, fields, options)?, true))
}

fn open_existing(dir: &Path, options: Options) -> anyhow::Result<Arc<SearchIndex>> {
    let index = Index::open_in_dir(dir).context("cannot open the search index")?;
    let (expected, fields) = schema::build();
    if index.schema() != expected {
        anyhow::bail!("the index schema differs from this version's");
    }
    assemble(index, fields, options)
}

fn assemble(index: Index, fields: Fields, options: Options) -> anyhow::Result<Arc<SearchIndex>> {
    index
        .tokenizers()
        .register(tokenizer::EXACT, tokenizer::exact_analyzer());
    index
        .tokenizers()
        .register(tokenizer::STEMMED, tokenizer::stemmed_analyzer());
    // One writer thread: the machine shares two cores with the server.
    let writer = index
        .writer_with_num_threads(1, WRITER_BUDGET)
        .context("cannot lock the search index for writing")?;
    // A process killed between writing a commit's files and recording it leaves files the
    // index does not reference, named after operations this writer will number the same way
    // again: writing one of them fails ("file already exists"). tantivy only collects such
    // files after a commit, so collect them before the first write.
    writer
        .garbage_collect_files()
        .wait()
        .context("cannot remove the files a killed process left in the search index")?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(Arc::new(SearchIndex {
        reader,
        updating: tokio::sync::Mutex::new(()),
        writer: Mutex::new(writer),
        applied: std::sync::Mutex::new(None),
        fields,
        permits: tokio::sync::Semaphore::new(CONCURRENT_SEARCHES),
        similar_memo: options
            .remember_searches
            .then(|| Memo::new(REMEMBERED_SIMILAR)),
        results_memo: options
            .remember_searches
            .then(|| Memo::new(REMEMBERED_SEARCHES)),
        waiting: AtomicUsize::new(0),
        max_waiting: options.max_waiting,
    }))
}

/// A progress line in the log every few seconds of a long index job.
struct Progress {
    what: &'static str,
    total: usize,
    done: usize,
    enabled: bool,
    reported: std::time::Instant,
}

impl Progress {
    fn new(what: &'static str, total: usize, enabled: bool) -> Self {
        Self {
            what,
            total,
            done: 0,
            enabled,
            reported: std::time::Instant::now(),
        }
    }

    fn advance(&mut self, by: usize) {
        self.done += by;
        if self.enabled && self.reported.elapsed() >= std::time::Duration::from_secs(5) {
            self.reported = std::time::Instant::now();
            if self.total > 0 {
                tracing::info!(done = self.done, of = self.total, "{}", self.what);
            } else {
                tracing::info!(done = self.done, "{}", self.what);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a SIGKILL between a commit's files and its record leaves behind, and the next
    /// start numbering its operations the same way (the crash test met it once in CI: the
    /// index could not be opened again).
    #[test]
    fn an_index_opens_and_commits_after_a_killed_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let (index, _) = open_or_create(&path, Options::default()).unwrap();
        let id = index.fields.id;
        let mut doc = TantivyDocument::new();
        doc.add_u64(id, 1);
        index.writer().unwrap().add_document(doc).unwrap();
        index.writer().unwrap().commit().unwrap();
        drop(index);
        // The delete files a commit that never finished wrote (and registered as the index's
        // own), named after the operations the next process will number the same way.
        let segment = std::fs::read_dir(&path)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .find_map(|name| name.strip_suffix(".idx").map(str::to_owned))
            .expect("a segment");
        let managed = path.join(".managed.json");
        let mut files: Vec<String> =
            serde_json::from_str(&std::fs::read_to_string(&managed).unwrap()).unwrap();
        for opstamp in 0..50 {
            let name = format!("{segment}.{opstamp}.del");
            std::fs::write(path.join(&name), b"").unwrap();
            files.push(name);
        }
        std::fs::write(&managed, serde_json::to_string(&files).unwrap()).unwrap();

        let (index, fresh) = open_or_create(&path, Options::default()).unwrap();
        assert!(!fresh);
        index
            .writer()
            .unwrap()
            .delete_term(Term::from_field_u64(id, 1));
        index.writer().unwrap().commit().unwrap();
        index.reader.reload().unwrap();
        assert_eq!(index.reader.searcher().num_docs(), 0);
    }
}
