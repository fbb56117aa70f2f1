//! The database layer: every SQL statement of the application lives in this module's files.
//! SQLite today; a PostgreSQL backend would be a sibling module with the same functions.

pub mod articles;
pub mod autosaves;
pub mod baseline;
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

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqliteConnection, SqlitePool};

/// The embedded migrations, applied at start-up and in every test database.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// The file name of the database inside the data directory.
pub const DATABASE_FILE: &str = "pykb.sqlite";

/// A transaction or a single connection: what the write functions run on.
pub type Conn = SqliteConnection;

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: SqlitePool,
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
        Ok(Self { pool })
    }

    /// Answers once the database can run a query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query_scalar!("SELECT 1 AS \"one!: i64\"")
            .fetch_one(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Why SQLite could not write just now, if that is what `err` (or one of its causes) says:
/// another writer held the database past the busy timeout, or the disk (or the file's size
/// limit) is full. Both pass; the caller answers 503 and keeps what the user typed.
pub fn transient_failure(err: &(dyn std::error::Error + 'static)) -> Option<Transient> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(sqlx::Error::Database(db)) = current.downcast_ref::<sqlx::Error>() {
            let code = db.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
            // Extended result codes carry the primary code in their low byte.
            match code & 0xff {
                5 | 6 => return Some(Transient::Busy),
                13 => return Some(Transient::Full),
                _ => {}
            }
        }
        cause = current.source();
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transient {
    Busy,
    Full,
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

/// Stores the closed-set domain enums as their TEXT names (the schema's CHECK constraints
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
    )+};
}

text_column!(
    crate::domain::Kind,
    crate::domain::Difficulty,
    crate::domain::Status,
    crate::domain::Role
);
