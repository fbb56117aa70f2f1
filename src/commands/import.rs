//! `pykb import DIR`: creates or updates articles by slug from `DIR/*.md` (the format of
//! `content/`), all in one transaction: either every file is applied or none. Never runs the
//! seed import; a data directory that was empty before stays free of seed content at the next
//! start, so export → import → export gives the same files.

use std::path::Path;

use anyhow::Context as _;

use super::DataDirLock;
use crate::config::Config;
use crate::content::parse_document;
use crate::db::{self, Db, articles, revisions, settings};
use crate::domain::{ArticleDraft, Slug, TagName};
use crate::render::render_body;

/// The setting that tells start-up not to import the seed content.
pub const SEED_SETTING: &str = "seed_import";

#[derive(Debug, Default)]
struct Report {
    created: usize,
    updated: usize,
    unchanged: usize,
}

pub async fn import(config: &Config, dir: &Path) -> anyhow::Result<()> {
    let _lock = DataDirLock::acquire(&config.data_dir, "import")?;
    let drafts = read_dir(dir)?;
    println!("Read {} files from {}.", drafts.len(), dir.display());
    let db = Db::open(&config.database_path()).await?;
    let report = apply(&db, &drafts).await;
    db.pool.close().await;
    let report = report?;
    println!(
        "Imported: {} created, {} updated, {} unchanged. The search index catches up when the \
         server starts.",
        report.created, report.updated, report.unchanged
    );
    Ok(())
}

/// Every `*.md` file of `dir`, parsed; all problems at once, each naming its file and line.
fn read_dir(dir: &Path) -> anyhow::Result<Vec<(String, ArticleDraft)>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the directory {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        anyhow::bail!("{} holds no .md files to import", dir.display());
    }
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse_document(&name, &text) {
                Ok(draft) => drafts.push((name, draft)),
                Err(err) => problems.push(err.to_string()),
            },
            Err(err) => problems.push(format!("{name}: cannot read it: {err}")),
        }
    }
    let mut seen = std::collections::HashMap::new();
    for (name, draft) in &drafts {
        if let Some(first) = seen.insert(draft.slug.as_str(), name) {
            problems.push(format!(
                "{name}: slug {} is also used by {first}",
                draft.slug
            ));
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "nothing was imported; fix these {} files and run the import again:\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    Ok(drafts)
}

fn same(current: &articles::ForEdit, draft: &ArticleDraft) -> bool {
    let join = |items: Vec<&str>| items.join(",");
    current.title == draft.title
        && current.summary == draft.summary
        && current.body == draft.body
        && current.kind == draft.kind
        && current.difficulty == draft.difficulty
        && current.status == draft.status
        && current.tags == join(draft.tags.iter().map(TagName::as_str).collect())
        && current.related == join(draft.related.iter().map(Slug::as_str).collect())
}

async fn apply(db: &Db, drafts: &[(String, ArticleDraft)]) -> anyhow::Result<Report> {
    let now = db::now();
    let mut report = Report::default();
    let mut tx = db.pool.begin_with("BEGIN IMMEDIATE").await?;
    let was_empty = articles::count(&mut tx).await? == 0;
    // Related links may point at any file's article, so they are set once all exist.
    let mut changed = Vec::new();
    for (n, (name, draft)) in drafts.iter().enumerate() {
        let rendered = render_body(&draft.body);
        let id = match articles::id_and_version(&mut tx, draft.slug.as_str()).await? {
            None => {
                report.created += 1;
                articles::insert(&mut tx, draft, &rendered, now, None).await?
            }
            Some((id, version)) => {
                let current = articles::for_edit(&mut tx, id)
                    .await?
                    .with_context(|| format!("{name}: the article vanished during the import"))?;
                if same(&current, draft) {
                    report.unchanged += 1;
                    continue;
                }
                report.updated += 1;
                articles::update(&mut tx, id, version, draft, &rendered, now, None)
                    .await?
                    .with_context(|| format!("{name}: the article changed during the import"))?;
                id
            }
        };
        articles::set_tags(&mut tx, id, &draft.tags).await?;
        changed.push((name, id, draft));
        if (n + 1) % 100 == 0 {
            println!("  {}/{} files applied", n + 1, drafts.len());
        }
    }
    for (name, id, draft) in &changed {
        let missing = articles::set_related(&mut tx, *id, &draft.related).await?;
        if !missing.is_empty() {
            anyhow::bail!(
                "nothing was imported: {name}: `related` names {}, which is neither in the \
                 directory nor in the database",
                missing.join(", ")
            );
        }
        revisions::record(&mut tx, *id, None, now).await?;
        articles::enqueue_for_index(&mut tx, *id, now).await?;
    }
    if was_empty {
        settings::set(&mut tx, SEED_SETTING, "off").await?;
    }
    articles::refresh_page_context(&mut tx).await?;
    tx.commit().await?;
    Ok(report)
}
