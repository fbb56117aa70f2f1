//! `pykb export DIR`: every article, whatever its status, as `DIR/{slug}.md` in the format of
//! `content/`. Reads one snapshot; safe while the site runs.

use std::path::Path;

use anyhow::Context as _;

use super::open_existing;
use crate::config::Config;
use crate::content::write_document;
use crate::db::articles;

pub async fn export(config: &Config, dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            anyhow::bail!(
                "{} is not empty; export into a new or empty directory so no file is overwritten",
                dir.display()
            );
        }
    } else {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let db = open_existing(config).await?;
    let all = articles::all_for_export(&db.pool).await?;
    db.pool.close().await;
    let total = all.len();
    for (n, article) in all.iter().enumerate() {
        let path = dir.join(format!("{}.md", article.slug));
        std::fs::write(&path, write_document(article))
            .with_context(|| format!("cannot write {}", path.display()))?;
        if (n + 1) % 100 == 0 {
            println!("  {}/{total} written", n + 1);
        }
    }
    println!("Exported {total} articles to {}.", dir.display());
    Ok(())
}
