//! The state every handler shares (`State<AppState>`): the database, the search index, the
//! configuration, the caches and counters, and how it is opened at start-up.

use std::sync::Arc;

use anyhow::Context as _;

use crate::auth::{SignInThrottle, Signer, hash_password, random_token};
use crate::config::Config;
use crate::db::{self, Db};
use crate::domain::{MIN_PASSWORD_CHARS, Role};
use crate::search::Search;

/// Everything handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub search: Arc<Search>,
    pub config: Arc<Config>,
    /// Signs the CSRF cookie of visitors who are not signed in.
    pub signer: Arc<Signer>,
    pub sign_in_throttle: Arc<SignInThrottle>,
    pub metrics: Arc<crate::metrics::Metrics>,
    pub page_cache: Arc<crate::page_cache::PageCache>,
    /// The headers every answer carries, cached pages' prebuilt ones among them.
    pub site_headers: Arc<crate::site_headers::SiteHeaders>,
    /// Runs examples for previews and the background worker (`verify::worker`), whom writes
    /// wake through it.
    pub verifier: Arc<crate::verify::Verifier>,
    /// Counts of what readers search for, waiting to be written (`search_log`).
    pub search_log: Arc<crate::search_log::SearchLog>,
}

impl AppState {
    /// Renders again the bodies a previous renderer stored (see `editing::rerender`); the
    /// server runs it in the background after start-up.
    pub async fn rerender_stale(&self) -> anyhow::Result<usize> {
        crate::editing::rerender_stale(self.stores()).await
    }

    /// The handles a write takes (see `editing::Stores`).
    pub fn stores(&self) -> crate::editing::Stores<'_> {
        crate::editing::Stores {
            db: &self.db,
            search: &self.search,
            pages: &self.page_cache,
            verify_wake: &self.verifier.wake,
        }
    }

    /// Creates the data directory, opens and migrates the database and brings the seed
    /// content up to date: everything pages need before they can be served. The search index
    /// opens in the background (`search.wait_ready()` waits for it).
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
        let db = Db::connect(&config.database, config.busy_timeout).await?;
        // A fresh database: the seed import renders with this renderer, so nothing is stale.
        let mut conn = db.acquire().await?;
        if db::articles::count(&mut conn).await? == 0 {
            crate::editing::record_current_renderer(&mut conn).await?;
        }
        drop(conn);
        sync_seed_unless_imported(&db).await?;
        // Writes keep them current; this covers a database from before the table. Checking
        // costs two counts; working them all out again, seconds at 100,000 articles.
        let mut tx = db.begin_write().await?;
        if !db::page_context::is_complete(&mut tx).await? {
            tracing::info!("working out the page context of every article");
            db::page_context::refresh_all(&mut tx).await?;
        }
        tx.commit().await?;
        // Only a speed-up for reads: a database another process is using goes on as it is.
        if let Err(err) = db::maintenance::checkpoint(&db).await {
            tracing::warn!(error = %err, "could not fold the write-ahead log into the database");
        }
        bootstrap_admin(&db, &config).await?;
        let key = db::settings::get_or_insert(&db, "csrf_signing_key", &random_token()?).await?;
        let search = Search::start(
            &config.index_path(),
            &db,
            crate::search::Options {
                max_waiting: config.search_queue,
                remember_searches: config.search_cache,
            },
        );
        let metrics = Arc::new(crate::metrics::Metrics::new());
        let verifier =
            crate::verify::Verifier::new(config.verify, config.pythons.clone(), config.verify_jobs)
                .with_metrics(metrics.clone());
        Ok(Self {
            db,
            search,
            signer: Arc::new(Signer::new(&key)),
            sign_in_throttle: Arc::new(SignInThrottle::new(config.sign_in_throttle.clone())),
            metrics,
            page_cache: Arc::new(crate::page_cache::PageCache::new(
                config.page_cache,
                config.page_cache_bytes,
            )),
            site_headers: Arc::new(crate::site_headers::SiteHeaders::new(config.is_https())),
            verifier: Arc::new(verifier),
            search_log: Arc::default(),
            config: Arc::new(config),
        })
    }
}

/// Brings the seed content up to date, except in a data directory that `pykb import` filled:
/// that one holds exactly what was imported.
async fn sync_seed_unless_imported(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.acquire().await?;
    let setting = db::settings::get(&mut conn, crate::commands::import::SEED_SETTING).await?;
    drop(conn);
    if setting.as_deref() == Some("off") {
        tracing::info!("seed import skipped: this data directory was filled by `pykb import`");
        return Ok(());
    }
    let report = crate::content::sync_seed(db)
        .await
        .context("seed import failed")?;
    tracing::info!(
        inserted = report.inserted,
        updated = report.updated,
        kept_editor_changes = report.kept,
        unchanged = report.unchanged,
        "seed content synced"
    );
    Ok(())
}

/// When the database has no user yet, creates the first admin from `PYKB_ADMIN_USER` and
/// `PYKB_ADMIN_PASSWORD`, generating a strong password (logged once) when none is set.
async fn bootstrap_admin(db: &Db, config: &Config) -> anyhow::Result<()> {
    if db::users::count(db).await? > 0 {
        return Ok(());
    }
    let name = config.admin_user.trim();
    if name.is_empty() {
        anyhow::bail!("PYKB_ADMIN_USER is empty: set it to the first admin's user name");
    }
    let (password, generated) = match &config.admin_password {
        Some(password) if password.chars().count() >= MIN_PASSWORD_CHARS => {
            (password.clone(), false)
        }
        Some(_) => anyhow::bail!(
            "PYKB_ADMIN_PASSWORD is shorter than {MIN_PASSWORD_CHARS} characters: choose a longer one, or unset it to have one generated"
        ),
        None => (random_token()?[..24].to_owned(), true),
    };
    let hash = hash_password(password.clone()).await?;
    let mut conn = db.acquire().await?;
    db::users::insert(&mut conn, name, &hash, Role::Admin, db::now()).await?;
    if generated {
        tracing::warn!(
            user = name,
            password = %password,
            "created the first admin with a generated password; it is shown only this once: sign in at /admin/login and keep it safe"
        );
    } else {
        tracing::info!(
            user = name,
            "created the first admin from PYKB_ADMIN_USER and PYKB_ADMIN_PASSWORD"
        );
    }
    Ok(())
}
