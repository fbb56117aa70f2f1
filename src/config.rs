//! Settings, from command-line flags or `PYKB_*` environment variables. The variable names,
//! defaults and subcommands are a contract: operators and outside checks rely on them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::auth::ThrottlePolicy;

#[derive(Debug, Parser)]
#[command(
    name = "pykb",
    version,
    about = "A web knowledge base of Python interview questions"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    /// What to do; with none, serve the site.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default).
    Serve,
    /// Manage editors' and admins' accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a consistent copy of the database to FILE (safe while the site runs).
    Backup { file: PathBuf },
    /// Replace the database with a backup FILE, checked first (not while a server runs).
    Restore { file: PathBuf },
    /// Write every article to DIR/{slug}.md, in the format of content/ (safe while the site runs).
    Export { dir: PathBuf },
    /// Create or update articles by slug from DIR/*.md, in one transaction (not while a server
    /// runs).
    Import { dir: PathBuf },
    /// Rebuild the search index from the database (not while a server runs).
    Reindex,
    /// Copy a whole site into an empty database, either way between SQLite and PostgreSQL:
    /// articles, revisions, redirects, users, verification results, settings (sessions with
    /// `--sessions`), then check the target (safe while the site on the source runs).
    Copy {
        /// The database to copy: `sqlite://FILE` or `postgres://…` [default: the site's own,
        /// PYKB_DATABASE_URL or pykb.sqlite in the data directory].
        #[arg(long, value_name = "URL")]
        from: Option<String>,
        /// The empty database to copy into: `sqlite://FILE` (created) or `postgres://…` (a
        /// database created beforehand, e.g. with `createdb`).
        #[arg(long, value_name = "URL")]
        to: String,
        /// Copy the sign-in sessions too, so nobody has to sign in again.
        #[arg(long)]
        sessions: bool,
    },
    /// Check the database's integrity and that the search index agrees with it; exits 1 on
    /// any problem (safe while the site runs).
    Check,
    /// Run the examples of the named published articles (all without a name) on every
    /// interpreter found and print the results; exits 1 when one fails (safe while the site
    /// runs).
    Verify {
        slugs: Vec<String>,
        /// Check Markdown files in the format of content/ (or every `.md` in a directory)
        /// instead of the database: for writing pages before they are imported.
        #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with = "slugs")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from stdin (one line).
    Add {
        name: String,
        /// `editor` changes content; `reviewer` also publishes changes under review
        /// (`PYKB_REVIEW=on`); `admin` also manages accounts.
        #[arg(long, default_value = "editor")]
        role: crate::domain::Role,
    },
    /// Set a new password, read from stdin (one line); ends the user's sessions.
    Passwd { name: String },
    /// Disable an account and end its sessions.
    Disable { name: String },
    /// Enable a disabled account again.
    Enable { name: String },
    /// List the accounts.
    List,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "PYKB_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// Directory holding the database (pykb.sqlite) and the search index; created if missing.
    #[arg(long, env = "PYKB_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// The database: unset (or `sqlite://FILE`) for the embedded SQLite file in the data
    /// directory; `postgres://USER:PASSWORD@HOST/DB` for a PostgreSQL server shared by several
    /// nodes.
    #[arg(long, env = "PYKB_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Public URL of the site, used for every absolute link [default: http://{PYKB_ADDR}].
    #[arg(long, env = "PYKB_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Name of the admin account created when the database has no user yet.
    #[arg(long, env = "PYKB_ADMIN_USER", default_value = "admin", global = true)]
    pub admin_user: String,
    /// Password of that first admin; when unset, a strong one is generated and logged once.
    #[arg(
        long,
        env = "PYKB_ADMIN_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    /// Address of a reverse proxy whose X-Forwarded-For header names the client (for sign-in
    /// throttling); without it the socket peer is the client.
    #[arg(long, env = "PYKB_TRUSTED_PROXY", global = true)]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Seconds a request may take before it is answered 408.
    #[arg(
        long,
        env = "PYKB_REQUEST_TIMEOUT",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout: u64,
    /// Seconds a client may take to send a request's headers before the connection is closed.
    #[arg(long, env = "PYKB_HEADER_TIMEOUT", default_value_t = 10, global = true)]
    pub header_timeout: u64,
    /// `1` serves Prometheus metrics at /metrics.
    #[arg(long, env = "PYKB_METRICS", default_value = "0", global = true)]
    pub metrics: String,
    /// `0` renders every page from the database instead of serving it from memory.
    #[arg(long, env = "PYKB_PAGE_CACHE", default_value = "1", global = true)]
    pub page_cache: String,
    /// The most memory the page cache may hold, in MiB (pages and their compressed forms).
    #[arg(long, env = "PYKB_PAGE_CACHE_MB", default_value_t = 64, global = true)]
    pub page_cache_mb: usize,
    /// `0` runs every search on the index instead of answering repeated ones from memory.
    #[arg(long, env = "PYKB_SEARCH_CACHE", default_value = "1", global = true)]
    pub search_cache: String,
    /// Days of search statistics kept for the editors' report (/admin/search).
    #[arg(
        long,
        env = "PYKB_SEARCH_STATS_DAYS",
        default_value_t = 90,
        global = true
    )]
    pub search_stats_days: u32,
    /// `on`: a change an editor would publish waits for a reviewer (readers see the last
    /// published text until then); `off`: saves publish at once.
    #[arg(long, env = "PYKB_REVIEW", default_value = "off", global = true)]
    pub review: String,
    /// `0` runs no examples: pages then say their examples are not verified.
    #[arg(long, env = "PYKB_VERIFY", default_value = "1", global = true)]
    pub verify: String,
    /// Examples run at once (each on one interpreter at a time).
    #[arg(long, env = "PYKB_VERIFY_JOBS", default_value_t = 1, global = true)]
    pub verify_jobs: usize,
    /// The interpreters to run examples on, comma-separated paths; unset: `python3` and every
    /// `python3.N` on PATH, and pyenv's versions.
    #[arg(long, env = "PYKB_PYTHONS", global = true)]
    pub pythons: Option<String>,
}

/// The validated configuration the application runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// Where the database is (`PYKB_DATABASE_URL`).
    pub database: Database,
    /// Scheme, host and optional path prefix, without a trailing slash.
    pub base_url: String,
    pub admin_user: String,
    pub admin_password: Option<String>,
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// How failed sign-ins are slowed down (not a flag: tests shorten it).
    pub sign_in_throttle: ThrottlePolicy,
    pub request_timeout: Duration,
    pub header_timeout: Duration,
    /// Whether /metrics answers.
    pub metrics: bool,
    /// How long a write waits for another writer (not a flag: tests shorten it).
    pub busy_timeout: Duration,
    /// Searches that may wait for a turn before more are refused with 503.
    pub search_queue: usize,
    /// Whether rendered pages are kept in memory.
    pub page_cache: bool,
    /// The page cache's bound, in bytes.
    pub page_cache_bytes: usize,
    /// Whether search results are kept in memory until the index changes.
    pub search_cache: bool,
    /// Days of search statistics kept (at least 1).
    pub search_stats_days: i64,
    /// Whether changes wait for a reviewer before readers see them (`PYKB_REVIEW`).
    pub review: bool,
    /// Whether examples are run.
    pub verify: bool,
    /// Examples run at once.
    pub verify_jobs: usize,
    /// `PYKB_PYTHONS`, when set.
    pub pythons: Option<String>,
}

impl Config {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let base_url = match &settings.base_url {
            Some(url) => parse_base_url(url)?,
            None => format!("http://{}", settings.addr),
        };
        Ok(Self {
            addr: settings.addr,
            data_dir: settings.data_dir.clone(),
            database: Database::parse(settings.database_url.as_deref(), &settings.data_dir)?,
            base_url,
            admin_user: settings.admin_user.clone(),
            admin_password: settings.admin_password.clone(),
            trusted_proxy: settings.trusted_proxy,
            sign_in_throttle: ThrottlePolicy::default(),
            request_timeout: Duration::from_secs(settings.request_timeout.max(1)),
            header_timeout: Duration::from_secs(settings.header_timeout.max(1)),
            metrics: switch("PYKB_METRICS", &settings.metrics)?,
            page_cache: switch("PYKB_PAGE_CACHE", &settings.page_cache)?,
            page_cache_bytes: settings.page_cache_mb.saturating_mul(1 << 20),
            search_cache: switch("PYKB_SEARCH_CACHE", &settings.search_cache)?,
            search_stats_days: i64::from(settings.search_stats_days.clamp(1, 3660)),
            review: switch("PYKB_REVIEW", &settings.review)?,
            verify: switch("PYKB_VERIFY", &settings.verify)?,
            verify_jobs: settings.verify_jobs.clamp(1, 64),
            pythons: settings.pythons.clone().filter(|p| !p.trim().is_empty()),
            busy_timeout: crate::db::BUSY_TIMEOUT,
            search_queue: crate::search::MAX_WAITING_SEARCHES,
        })
    }

    /// A configuration with every default but the data directory and the public URL: what
    /// tests and benchmarks run with.
    pub fn local(data_dir: PathBuf, base_url: &str) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: Database::Sqlite(data_dir.join(crate::db::DATABASE_FILE)),
            data_dir,
            base_url: base_url.to_owned(),
            admin_user: "admin".to_owned(),
            admin_password: None,
            trusted_proxy: None,
            sign_in_throttle: ThrottlePolicy::default(),
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            metrics: false,
            busy_timeout: crate::db::BUSY_TIMEOUT,
            search_queue: crate::search::MAX_WAITING_SEARCHES,
            page_cache: true,
            page_cache_bytes: 64 << 20,
            search_cache: true,
            search_stats_days: 90,
            review: false,
            verify: true,
            verify_jobs: 1,
            pythons: None,
        }
    }

    /// The SQLite file: the one of `PYKB_DATABASE_URL`, else `pykb.sqlite` in the data
    /// directory (where backups are restored, even for a PostgreSQL site's copies).
    pub fn database_path(&self) -> PathBuf {
        match &self.database {
            Database::Sqlite(path) => path.clone(),
            Database::Postgres(_) => self.data_dir.join(crate::db::DATABASE_FILE),
        }
    }

    /// The search index directory: derived from the database, rebuilt when missing.
    pub fn index_path(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// Whether the public site is served over https (secure cookies, HSTS).
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// Where the site's database is.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// The embedded SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server's database, by URL (with its password: never logged).
    Postgres(String),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Database::Postgres(url) => write!(f, "{}", crate::db::redact(url)),
        }
    }
}

impl Database {
    /// `PYKB_DATABASE_URL` as given: unset or empty → `pykb.sqlite` in the data directory;
    /// `sqlite://PATH` (or `sqlite:PATH`) → that file; `postgres://…` or `postgresql://…` →
    /// that server.
    pub fn parse(url: Option<&str>, data_dir: &std::path::Path) -> anyhow::Result<Self> {
        let url = url.map(str::trim).unwrap_or_default();
        if url.is_empty() {
            return Ok(Database::Sqlite(data_dir.join(crate::db::DATABASE_FILE)));
        }
        Self::from_url(url, "PYKB_DATABASE_URL")
    }

    /// A database URL given as `setting` (named in the error): `sqlite://PATH` (or
    /// `sqlite:PATH`) or `postgres://…` (`postgresql://…`).
    pub fn from_url(url: &str, setting: &str) -> anyhow::Result<Self> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Database::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or_default();
            anyhow::ensure!(
                !path.is_empty(),
                "{setting} names no file: write sqlite://data/pykb.sqlite (PYKB_DATABASE_URL \
                 may also be left unset for pykb.sqlite in the data directory)"
            );
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        anyhow::bail!(
            "{setting} must start with sqlite:// or postgres:// (got {:?})",
            crate::db::redact(url)
        )
    }
}

/// An on/off setting: 1/0 (true/false, yes/no, on/off are accepted too).
fn switch(name: &str, value: &str) -> anyhow::Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        other => anyhow::bail!("{name} must be 1 or 0 (on or off), got {other:?}"),
    }
}

fn parse_base_url(url: &str) -> anyhow::Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ']) => Ok(trimmed.to_owned()),
        _ => anyhow::bail!(
            "PYKB_BASE_URL must be an absolute http(s) URL such as https://pykb.example.org, got {url:?}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_defaults_to_the_listen_address() {
        let cli = Cli::parse_from(["pykb", "--addr", "127.0.0.1:8080"]);
        let config = Config::from_settings(&cli.settings).unwrap();
        assert_eq!(config.base_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn base_url_is_validated_and_loses_its_trailing_slash() {
        assert_eq!(
            parse_base_url("https://kb.example.org/").unwrap(),
            "https://kb.example.org"
        );
        assert_eq!(
            parse_base_url("http://x/prefix").unwrap(),
            "http://x/prefix"
        );
        assert!(parse_base_url("kb.example.org").is_err());
        assert!(parse_base_url("https://").is_err());
    }

    #[test]
    fn serve_is_the_default_and_can_be_named() {
        assert!(Cli::parse_from(["pykb"]).command.is_none());
        assert!(matches!(
            Cli::parse_from(["pykb", "serve"]).command,
            Some(Command::Serve)
        ));
    }
}
