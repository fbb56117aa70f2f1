//! The store boundary: the database the site runs on, and a connection or transaction on it.
//!
//! The rest of the code calls the functions of `db`'s modules (`db::users::by_id`, …) with a
//! [`Db`] or a [`Conn`]; each function is declared once, in its module, with
//! [`dispatch!`], which hands the call to the same-named function of the backend the site runs
//! on (`db::sqlite::…` or `db::postgres::…`). Each backend has its own SQL, checked at compile
//! time against its own migrations (sqlx's `Any` driver would give those checks up).
//!
//! `.ci/sqlx-prepare` describes each backend's queries against its own database in turn: it
//! builds with `PYKB_SQLX=sqlite`, then `PYKB_SQLX=postgres` (`build.rs` turns that into the
//! `pykb_sqlx` cfg), and each build leaves the other backend's module out. The macros find a
//! statement's metadata by a hash of its text, whichever backend it is for, so a PostgreSQL
//! statement whose text would equal its SQLite twin's ends with the comment `-- PostgreSQL`
//! (the script stops on any other clash).

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// The site's database (cheap to clone: a pool handle).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One connection of the pool, or a transaction on one: what multi-statement reads and every
/// write run on. A transaction commits with [`Conn::commit`]; dropped, it rolls back.
#[derive(Debug)]
pub struct Conn(Held);

#[derive(Debug)]
enum Held {
    Sqlite(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    Postgres(PoolConnection<Postgres>),
    PostgresTx(Transaction<'static, Postgres>),
}

impl Db {
    /// A connection for reads that need several statements on one connection.
    pub async fn acquire(&self) -> sqlx::Result<Conn> {
        Ok(Conn(match self {
            Db::Sqlite(pool) => Held::Sqlite(pool.acquire().await?),
            Db::Postgres(pool) => Held::Postgres(pool.acquire().await?),
        }))
    }

    /// A transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`): two deferred transactions upgrading to writers at once would make
    /// one of them fail with "busy" at once instead of waiting its turn. On PostgreSQL it takes
    /// a transaction-level advisory lock, so writes from every node still run one at a time:
    /// the derived rows (page context, topic order and counts) are worked out from what the
    /// other articles hold, which a concurrent writer could change under READ COMMITTED. A
    /// write holds it for milliseconds; a wait past the busy timeout is "busy, try again".
    pub async fn begin_write(&self) -> sqlx::Result<Conn> {
        Ok(Conn(match self {
            Db::Sqlite(pool) => Held::SqliteTx(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                #[cfg(not(pykb_sqlx = "sqlite"))]
                super::postgres::maintenance::one_writer(&mut tx).await?;
                Held::PostgresTx(tx)
            }
        }))
    }

    /// A transaction for a consistent read of several statements, or for writes that may wait
    /// for the lock when they first write and log no change (search counts): whatever logs a
    /// change takes [`Db::begin_write`], so the change log's ids become visible in order.
    pub async fn begin(&self) -> sqlx::Result<Conn> {
        Ok(Conn(match self {
            Db::Sqlite(pool) => Held::SqliteTx(pool.begin().await?),
            Db::Postgres(pool) => Held::PostgresTx(pool.begin().await?),
        }))
    }

    /// A read-only transaction that sees one moment of the database however long it reads
    /// (copying a running site): SQLite's deferred transaction reads one snapshot from its
    /// first statement (WAL); PostgreSQL's default isolation would see each statement's own.
    pub async fn begin_snapshot(&self) -> sqlx::Result<Conn> {
        Ok(Conn(match self {
            Db::Sqlite(pool) => Held::SqliteTx(pool.begin().await?),
            Db::Postgres(pool) => Held::PostgresTx(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?,
            ),
        }))
    }

    /// Closes every connection (start-up's tasks that must release the file, tests).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// The backend's name as `/healthz` and the log say it.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

impl Conn {
    /// Commits the transaction (nothing to do on a plain connection).
    pub async fn commit(self) -> sqlx::Result<()> {
        match self.0 {
            Held::SqliteTx(tx) => tx.commit().await,
            Held::PostgresTx(tx) => tx.commit().await,
            Held::Sqlite(_) | Held::Postgres(_) => Ok(()),
        }
    }
}

/// Which backend a handle is on, with the backend's own handle: what [`dispatch!`] matches.
pub enum Split<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// A handle the store's functions take: the pool ([`Db`]) or a connection ([`Conn`]).
pub trait Backend {
    type Sqlite;
    type Postgres;
    fn split(self) -> Split<Self::Sqlite, Self::Postgres>;
}

impl<'a> Backend for &'a Db {
    type Sqlite = &'a SqlitePool;
    type Postgres = &'a PgPool;
    fn split(self) -> Split<Self::Sqlite, Self::Postgres> {
        match self {
            Db::Sqlite(pool) => Split::Sqlite(pool),
            Db::Postgres(pool) => Split::Postgres(pool),
        }
    }
}

impl<'a> Backend for &'a mut Conn {
    type Sqlite = &'a mut SqliteConnection;
    type Postgres = &'a mut PgConnection;
    fn split(self) -> Split<Self::Sqlite, Self::Postgres> {
        match &mut self.0 {
            Held::Sqlite(conn) => Split::Sqlite(&mut **conn),
            Held::SqliteTx(tx) => Split::Sqlite(&mut **tx),
            Held::Postgres(conn) => Split::Postgres(&mut **conn),
            Held::PostgresTx(tx) => Split::Postgres(&mut **tx),
        }
    }
}

/// Declares functions of the store: each takes a [`Db`] or a [`Conn`] first and runs the
/// same-named function of the backend's module (`dispatch! { users; pub async fn count(db:
/// &Db) -> …; }` runs `db::sqlite::users::count` or `db::postgres::users::count`).
macro_rules! dispatch {
    ($($module:ident)::+; $(
        $(#[$meta:meta])*
        pub async fn $name:ident($first:ident: $first_ty:ty $(, $arg:ident: $arg_ty:ty)* $(,)?) -> $ret:ty;
    )*) => {
        #[cfg(not(pykb_sqlx = "postgres"))]
        use $crate::db::sqlite::$($module)::+ as sqlite_side;
        #[cfg(not(pykb_sqlx = "sqlite"))]
        use $crate::db::postgres::$($module)::+ as postgres_side;
        $(
        $(#[$meta])*
        pub async fn $name($first: $first_ty $(, $arg: $arg_ty)*) -> $ret {
            match $crate::db::store::Backend::split($first) {
                #[cfg(not(pykb_sqlx = "postgres"))]
                $crate::db::store::Split::Sqlite(handle) => {
                    sqlite_side::$name(handle $(, $arg)*).await
                }
                #[cfg(not(pykb_sqlx = "sqlite"))]
                $crate::db::store::Split::Postgres(handle) => {
                    postgres_side::$name(handle $(, $arg)*).await
                }
                // Only in `.ci/sqlx-prepare`'s builds, which leave one backend out and never run.
                #[cfg(any(pykb_sqlx = "sqlite", pykb_sqlx = "postgres"))]
                #[allow(unreachable_patterns)]
                _ => unreachable!("a backend left out of this build"),
            }
        }
    )*};
}

pub(crate) use dispatch;
