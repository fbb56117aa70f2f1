//! The `pykb` subcommands other than `serve`: operator tasks that run against the data
//! directory without starting the web server. Each prints what it did; errors name the file
//! or the setting at fault.

pub mod backup;
pub mod check;
pub mod copy;
pub mod export;
pub mod import;
pub mod lock;
pub mod reindex;
pub mod user;
pub mod verify;

use std::path::Path;

use crate::config::{Config, Database};
use crate::db::Db;

pub use lock::DataDirLock;

/// Opens the data directory's existing database (never creating one: a typo in
/// `PYKB_DATA_DIR` should not produce an empty site), or the PostgreSQL database.
pub(crate) async fn open_existing(config: &Config) -> anyhow::Result<Db> {
    if let Database::Postgres(url) = &config.database {
        return Db::connect_postgres(url, config.busy_timeout).await;
    }
    let path = config.database_path();
    if !path.exists() {
        anyhow::bail!(
            "there is no database at {}: start the server once (cargo run --release) or set \
             PYKB_DATA_DIR to the data directory",
            path.display()
        );
    }
    Db::open(&path).await
}

/// A size for people.
pub(crate) fn human_size(path: &Path) -> String {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / f64::from(1 << 10)),
        b => format!("{b} bytes"),
    }
}
