//! The database layer: every SQL statement of the application lives in this module's files.
//! SQLite today; a PostgreSQL backend would be a sibling module with the same functions.

pub mod articles;
pub mod baseline;
pub mod maintenance;
pub mod outbox;
pub mod redirects;
pub mod revisions;
pub mod seed;
pub mod sessions;
pub mod settings;
pub mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

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

impl Db {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // An acknowledged edit must survive a power cut, not only a process crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
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

/// The items of a comma-separated list built by a query's `group_concat` (tags, related
/// slugs), in order.
pub fn split_list(csv: &str) -> impl Iterator<Item = &str> {
    csv.split(',').filter(|item| !item.is_empty())
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
