//! `pykb reindex`: rebuilds what is derived from the articles: the search index, the topic
//! order and counts on the tag rows, and the page context (what each page shows of other
//! articles).

use super::{DataDirLock, open_existing};
use crate::config::Config;

pub async fn reindex(config: &Config) -> anyhow::Result<()> {
    let _lock = DataDirLock::acquire(&config.data_dir, "reindex")?;
    let db = open_existing(config).await?;
    println!("Working out the topic order, topic counts and page context of every article again …");
    let mut tx = db.begin_write().await?;
    crate::db::maintenance::recount_topics(&mut tx).await?;
    crate::db::page_context::refresh_all(&mut tx).await?;
    tx.commit().await?;
    let dir = config.index_path();
    println!("Rebuilding the search index in {} …", dir.display());
    let started = std::time::Instant::now();
    let count = crate::search::rebuild_in(&dir, &db).await?;
    db.close().await;
    println!(
        "Indexed {count} published articles in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
