//! `pykb backup FILE` and `pykb restore FILE`.

use std::path::Path;

use anyhow::Context as _;

use super::{DataDirLock, human_size, open_existing};
use crate::config::Config;
use crate::db::{DATABASE_FILE, Db, maintenance};

/// A consistent copy of the live database, made while the site runs, checked after writing.
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        anyhow::bail!(
            "{} already exists; a backup never overwrites a file: choose a new name",
            file.display()
        );
    }
    let db = open_existing(config).await?;
    println!(
        "Backing up {} to {} …",
        config.database_path().display(),
        file.display()
    );
    maintenance::vacuum_into(&db.pool, file)
        .await
        .with_context(|| format!("cannot write the backup to {}", file.display()))?;
    db.pool.close().await;
    let info = maintenance::inspect_backup(file).await?;
    println!(
        "Backed up {} articles and {} users to {} ({}); it passes SQLite's integrity check.",
        info.articles,
        info.users,
        file.display(),
        human_size(file)
    );
    Ok(())
}

/// Puts a backup in place as the data directory's database. The backup is checked first; the
/// replaced database is kept beside it (renamed), and the search index is rebuilt at the next
/// start.
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    let _lock = DataDirLock::acquire(&config.data_dir, "restore")?;
    println!("Checking {} …", file.display());
    let info = maintenance::inspect_backup(file).await?;
    if !info.unknown_migrations.is_empty() {
        anyhow::bail!(
            "{} was made by a newer pykb (migrations {:?} are unknown here): upgrade pykb first",
            file.display(),
            info.unknown_migrations
        );
    }
    let dir = &config.data_dir;
    let target = config.database_path();
    let staging = dir.join(format!("{DATABASE_FILE}.restoring"));
    std::fs::copy(file, &staging)
        .with_context(|| format!("cannot copy {} into {}", file.display(), dir.display()))?;
    std::fs::File::open(&staging)?.sync_all()?;
    let stamp = crate::db::now();
    let mut kept = None;
    // The database and its WAL files move together, so the replaced copy stays whole.
    for suffix in ["", "-wal", "-shm"] {
        let current = dir.join(format!("{DATABASE_FILE}{suffix}"));
        if current.exists() {
            let aside = dir.join(format!("{DATABASE_FILE}.replaced-{stamp}{suffix}"));
            std::fs::rename(&current, &aside)
                .with_context(|| format!("cannot move {} aside", current.display()))?;
            if suffix.is_empty() {
                kept = Some(aside);
            }
        }
    }
    std::fs::rename(&staging, &target)
        .with_context(|| format!("cannot put the backup in place at {}", target.display()))?;
    let index = config.index_path();
    if index.exists() {
        std::fs::remove_dir_all(&index)
            .with_context(|| format!("cannot remove the old search index {}", index.display()))?;
    }
    // Brings an older backup's schema up to date now, so the next start has nothing to do.
    Db::open(&target).await?.pool.close().await;
    println!(
        "Restored {} articles and {} users from {}.",
        info.articles,
        info.users,
        file.display()
    );
    if let Some(kept) = kept {
        println!("The replaced database is kept as {}.", kept.display());
    }
    println!("The search index will be rebuilt when the server starts.");
    Ok(())
}
