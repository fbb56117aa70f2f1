//! The database layer: every SQL statement of the application lives under this module. Each
//! module declares its functions once (`store::dispatch!`); each backend's own module
//! (`sqlite/`, `postgres/`) holds their SQL.

pub mod articles;
pub mod autosaves;
pub mod baseline;
pub mod copy;
pub mod listing;
pub mod maintenance;
pub mod outbox;
pub mod page_context;
pub mod pending;
pub mod practice;
pub mod redirects;
pub mod revisions;
pub mod search_stats;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod users;
pub mod verification;

#[cfg(not(pykb_sqlx = "sqlite"))]
mod postgres;
#[cfg(not(pykb_sqlx = "postgres"))]
mod sqlite;
pub mod store;

pub use store::{Conn, Db};

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// The embedded SQLite migrations, applied at start-up and in every test database.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// The PostgreSQL migrations: the same schema, in PostgreSQL's terms. A schema change adds a
/// migration to both directories.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// The file name of the database inside the data directory.
pub const DATABASE_FILE: &str = "pykb.sqlite";

/// Connections each node keeps to PostgreSQL (its server's `max_connections`, 100 by default,
/// is shared by every node).
pub const POSTGRES_CONNECTIONS: u32 = 16;

/// `url` without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// How long a write waits for another writer before giving up with "busy".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Db {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        Self::open_with(path, BUSY_TIMEOUT).await
    }

    /// The same with another busy timeout (tests shorten it).
    pub async fn open_with(path: &Path, busy_timeout: Duration) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // An acknowledged edit must survive a power cut, not only a process crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(busy_timeout)
            // No memory map: at 100,000 articles the file is a gigabyte, and every page a
            // scan touched stayed in the process's resident memory (500 MiB after a sitemap
            // and a few topic pages, against 71 MiB with reads; benches/scale.sh). Reads go
            // through the OS page cache instead (each connection keeps SQLite's default 2 MiB).
            .pragma("mmap_size", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            // A connection whose transaction was not committed goes, rather than back to the
            // pool. When a disk-full or I/O error makes SQLite roll a transaction back by
            // itself, sqlx's ROLLBACK then fails and it keeps counting the transaction as
            // open, so every later `begin` on that connection would fail ("non-zero
            // transaction depth"). Reads use no transactions; only failed writes pay for a
            // new connection.
            .after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(options)
            .await
            .map_err(|err| anyhow::anyhow!("cannot open the database {}: {err}", path.display()))?;
        MIGRATOR.run(&pool).await.map_err(|err| {
            anyhow::anyhow!("cannot migrate the database {}: {err}", path.display())
        })?;
        Ok(Db::Sqlite(pool))
    }

    /// Opens the configured database: the SQLite file (created if missing) or the PostgreSQL
    /// server's database, migrated either way.
    pub async fn connect(
        database: &crate::config::Database,
        busy_timeout: Duration,
    ) -> anyhow::Result<Self> {
        match database {
            crate::config::Database::Sqlite(path) => Self::open_with(path, busy_timeout).await,
            crate::config::Database::Postgres(url) => {
                Self::connect_postgres(url, busy_timeout).await
            }
        }
    }

    /// Connects to the PostgreSQL database at `url` and applies pending migrations. Each
    /// connection waits at most `busy_timeout` for a lock, so a stuck writer turns into "busy,
    /// try again" as on SQLite rather than a hung request.
    pub async fn connect_postgres(url: &str, busy_timeout: Duration) -> anyhow::Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|err| anyhow::anyhow!("PYKB_DATABASE_URL is not a PostgreSQL URL: {err}"))?
            .options([("lock_timeout", format!("{}ms", busy_timeout.as_millis()))]);
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS)
            // A request waiting for a connection while PostgreSQL is away gets its 503 in
            // seconds, not after sqlx's default 30.
            .acquire_timeout(Duration::from_secs(5))
            .after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(options)
            .await
            .map_err(|err| {
                anyhow::anyhow!("cannot connect to PostgreSQL ({}): {err}", redact(url))
            })?;
        POSTGRES_MIGRATOR.run(&pool).await.map_err(|err| {
            anyhow::anyhow!(
                "cannot migrate the PostgreSQL database ({}): {err}",
                redact(url)
            )
        })?;
        Ok(Db::Postgres(pool))
    }

    /// Answers once the database can run a query.
    pub async fn ping(&self) -> sqlx::Result<()> {
        maintenance::ping(self).await
    }
}

/// Why the database could not serve just now, if that is what `err` (or one of its causes)
/// says: another writer held it past the busy timeout, the disk is full, or (PostgreSQL) the
/// server cannot be reached. All pass; the caller answers 503 and keeps what the user typed.
pub fn transient_failure(err: &(dyn std::error::Error + 'static)) -> Option<Transient> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        match current.downcast_ref::<sqlx::Error>() {
            Some(sqlx::Error::Database(db)) => {
                if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    return postgres_transient(pg.code());
                }
                let code = db.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
                // SQLite's extended result codes carry the primary code in their low byte.
                match code & 0xff {
                    5 | 6 => return Some(Transient::Busy),
                    13 => return Some(Transient::Full),
                    _ => {}
                }
            }
            // The server went away, or every connection is stuck waiting for it.
            Some(
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Protocol(_),
            ) => return Some(Transient::Unavailable),
            _ => {}
        }
        cause = current.source();
    }
    None
}

/// PostgreSQL's SQLSTATE codes that a retry can get past.
fn postgres_transient(code: &str) -> Option<Transient> {
    match code {
        // lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
        "55P03" | "40001" | "40P01" => Some(Transient::Busy),
        // disk_full, insufficient_resources, out_of_memory.
        "53100" | "53000" | "53200" => Some(Transient::Full),
        // too_many_connections, admin_shutdown, crash_shutdown, cannot_connect_now, and the
        // connection exceptions (08…).
        "53300" | "57P01" | "57P02" | "57P03" => Some(Transient::Unavailable),
        code if code.starts_with("08") => Some(Transient::Unavailable),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transient {
    Busy,
    Full,
    Unavailable,
}

impl Transient {
    pub fn message(self) -> &'static str {
        match self {
            Transient::Busy => {
                "The database is busy with another change, so nothing was saved. Try again in \
                 a few seconds."
            }
            Transient::Full => {
                "The server has no room left to store this, so nothing was saved. Try again \
                 later; the administrator has been alerted in the log."
            }
            Transient::Unavailable => {
                "The database cannot be reached just now, so nothing was changed. Try again in a \
                 few seconds."
            }
        }
    }
}

/// The items of a comma-separated list built by a query's `group_concat` (tags, related
/// slugs), in order.
pub fn split_list(csv: &str) -> impl Iterator<Item = &str> {
    csv.split(',').filter(|item| !item.is_empty())
}

/// A comma-separated column (`article_lists.tags`, `page_context.tags`) decoded where the row
/// is read, into its items in order. Tag names and slugs never hold a comma (`domain`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommaList(pub Vec<String>);

impl CommaList {
    pub fn first(&self) -> Option<&str> {
        self.0.first().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl sqlx::Type<sqlx::Postgres> for CommaList {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <str as sqlx::Type<sqlx::Postgres>>::type_info()
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Postgres> for CommaList {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
        Ok(CommaList(split_list(text).map(str::to_owned).collect()))
    }
}

impl sqlx::Type<sqlx::Sqlite> for CommaList {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <str as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for CommaList {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<sqlx::Sqlite>>::decode(value)?;
        Ok(CommaList(split_list(text).map(str::to_owned).collect()))
    }
}

/// Now, as Unix seconds: the unit of every timestamp column.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Stores the closed-set domain enums as their TEXT names, on both backends (the schema's CHECK constraints
/// list the same names).
macro_rules! text_column {
    ($($ty:ty),+) => {$(
        impl sqlx::Type<sqlx::Sqlite> for $ty {
            fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
                <str as sqlx::Type<sqlx::Sqlite>>::type_info()
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for $ty {
            fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Sqlite>>::decode(value)?;
                Ok(text.parse::<$ty>()?)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Sqlite> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Sqlite>>::encode(self.as_str(), buf)
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $ty {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <str as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $ty {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Ok(text.parse::<$ty>()?)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Postgres> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Postgres as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }
    )+};
}

text_column!(
    crate::domain::Kind,
    crate::domain::Difficulty,
    crate::domain::Status,
    crate::domain::Role
);
