//! `pykb backup FILE` and `pykb restore FILE`.

use std::path::Path;

use anyhow::Context as _;

use super::{DataDirLock, human_size, open_existing};
use crate::config::{Config, Database};
use crate::db::{DATABASE_FILE, Db, maintenance};

/// A consistent copy of the live database, made while the site runs, checked after writing.
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<()> {
    refuse_on_postgres(config, "backup")?;
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
    maintenance::vacuum_into(&db, file)
        .await
        .with_context(|| format!("cannot write the backup to {}", file.display()))?;
    db.close().await;
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

/// Backups are SQLite files: a PostgreSQL site is backed up by PostgreSQL's own tools.
fn refuse_on_postgres(config: &Config, command: &str) -> anyhow::Result<()> {
    if matches!(config.database, Database::Postgres(_)) {
        anyhow::bail!(
            "`pykb {command}` copies the SQLite file; this site's database is PostgreSQL. Use \
             `pg_dump --format=custom --file=FILE \"$PYKB_DATABASE_URL\"` to back it up and \
             `pg_restore --clean --dbname=\"$PYKB_DATABASE_URL\" FILE` to restore, then \
             `pykb check` (README, \"PostgreSQL\")"
        );
    }
    Ok(())
}

fn refuse_unless_pykbs_own(file: &Path, problems: &[String]) -> anyhow::Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "{} is not a database as pykb makes it, so nothing was changed: {}. Restore a backup \
         that `pykb backup` wrote and nothing changed since.",
        file.display(),
        problems.join("; ")
    )
}

/// Copies the backup to `staging`, brings an older backup's schema up to date there, and
/// checks the result again: the data directory's database is not touched yet.
async fn stage(file: &Path, staging: &Path) -> anyhow::Result<()> {
    remove_with_wal(staging);
    std::fs::copy(file, staging)
        .with_context(|| format!("cannot copy {} to {}", file.display(), staging.display()))?;
    Db::open(staging).await?.close().await;
    let info = maintenance::inspect_backup(staging).await?;
    refuse_unless_pykbs_own(file, &info.schema_problems)?;
    std::fs::File::open(staging)?.sync_all()?;
    Ok(())
}

/// Removes a database file with its write-ahead log files, where they exist.
fn remove_with_wal(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(name));
    }
}

/// Puts a backup in place as the data directory's database. The backup is checked first; the
/// replaced database is kept beside it (renamed), and the search index is rebuilt at the next
/// start.
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    refuse_on_postgres(config, "restore")?;
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
    refuse_unless_pykbs_own(file, &info.schema_problems)?;
    let dir = &config.data_dir;
    let target = config.database_path();
    let staging = dir.join(format!("{DATABASE_FILE}.restoring"));
    let staged = stage(file, &staging).await;
    if let Err(err) = staged {
        remove_with_wal(&staging);
        return Err(err);
    }
    // Everything is checked: only now does anything in the data directory move.
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
