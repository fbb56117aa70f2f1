//! `pykb reindex`: rebuilds the search index from the database.

use super::{DataDirLock, open_existing};
use crate::config::Config;

pub async fn reindex(config: &Config) -> anyhow::Result<()> {
    let _lock = DataDirLock::acquire(&config.data_dir, "reindex")?;
    let db = open_existing(config).await?;
    let dir = config.index_path();
    println!("Rebuilding the search index in {} …", dir.display());
    let started = std::time::Instant::now();
    let count = crate::search::rebuild_in(&dir, &db).await?;
    db.pool.close().await;
    println!(
        "Indexed {count} published articles in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
