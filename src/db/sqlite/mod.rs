//! The SQLite store: the SQL of every function `db`'s modules declare, for the embedded
//! database (`migrations/sqlite/`).

pub mod articles;
pub mod autosaves;
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

/// A connection (or a transaction on one) of the SQLite pool.
pub type Conn = sqlx::SqliteConnection;
