//! `pykb export DIR`: every article, whatever its status, as `DIR/{slug}.md` in the format of
//! `content/`. Reads one snapshot; safe while the site runs.

use std::path::Path;

use std::io::Write as _;

use anyhow::Context as _;

use super::open_existing;
use crate::config::Config;
use crate::content::write_document;
use crate::db::articles;
use crate::domain::Slug;

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
    let all = articles::all_for_export(&db).await?;
    db.close().await;
    let total = all.len();
    for (n, article) in all.iter().enumerate() {
        // The stored slug is checked again: a slug such as `../x` would write outside `dir`.
        let slug = Slug::parse(&article.slug).map_err(|err| {
            anyhow::anyhow!(
                "article {} has the slug {:?}, which is not a valid slug ({err}); give it a \
                 valid one in the admin form and export again",
                article.id,
                article.slug
            )
        })?;
        let path = dir.join(format!("{slug}.md"));
        if path.parent() != Some(dir) {
            anyhow::bail!(
                "refusing to write {}: it is outside {}",
                path.display(),
                dir.display()
            );
        }
        // Never over an existing file, nor through a link someone put there meanwhile.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| file.write_all(write_document(article).as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))?;
        if (n + 1) % 100 == 0 {
            println!("  {}/{total} written", n + 1);
        }
    }
    println!("Exported {total} articles to {}.", dir.display());
    Ok(())
}
