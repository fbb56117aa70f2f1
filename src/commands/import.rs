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
use crate::render::render_body_pooled;

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
    let db = Db::connect(&config.database, config.busy_timeout).await?;
    let report = apply(&db, &drafts).await;
    db.close().await;
    let report = report?;
    println!(
        "Imported: {} created, {} updated, {} unchanged. The search index catches up when the \
         server starts.",
        report.created, report.updated, report.unchanged
    );
    Ok(())
}

/// The largest file `pykb import` reads: a body at its limit with its front matter fits.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Every `*.md` file of `dir`, parsed; all problems at once, each naming its file and line.
/// Only regular files are read, never through a symbolic link (one could lead anywhere, or to
/// `/dev/zero`, which never ends), and none larger than `MAX_FILE_BYTES`.
fn read_dir(dir: &Path) -> anyhow::Result<Vec<(String, ArticleDraft)>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the directory {}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .collect();
    entries.sort_by_key(std::fs::DirEntry::path);
    if entries.is_empty() {
        anyhow::bail!("{} holds no .md files to import", dir.display());
    }
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let path = entry.path();
        let name = path.display().to_string();
        match read_file(&entry) {
            Ok(text) => match parse_document(&name, &text) {
                Ok(draft) => drafts.push((name, draft)),
                Err(err) => problems.push(err.to_string()),
            },
            Err(problem) => problems.push(format!("{name}: {problem}")),
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

/// A regular file's text, refused (with why) when it is anything else or too large.
fn read_file(entry: &std::fs::DirEntry) -> Result<String, String> {
    use std::io::Read as _;
    let kind = entry
        .file_type()
        .map_err(|err| format!("cannot read it: {err}"))?;
    if kind.is_symlink() {
        return Err(
            "is a symbolic link; import reads only regular files: copy the file itself here".into(),
        );
    }
    if !kind.is_file() {
        return Err("is not a regular file; import reads only regular files".into());
    }
    let file = std::fs::File::open(entry.path()).map_err(|err| format!("cannot read it: {err}"))?;
    // Checked again on the open file: the name may have been swapped for something else.
    let metadata = file
        .metadata()
        .map_err(|err| format!("cannot read it: {err}"))?;
    let too_large = || {
        format!(
            "is larger than {} KiB, more than any article may be; split it into several",
            MAX_FILE_BYTES / 1024
        )
    };
    if !metadata.is_file() {
        return Err("is not a regular file; import reads only regular files".into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|err| format!("cannot read it as UTF-8 text: {err}"))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(text)
}

fn same(current: &articles::ForEdit, draft: &ArticleDraft) -> bool {
    let join = |items: Vec<&str>| items.join(",");
    current.title == draft.title
        && current.summary == draft.summary
        && current.body == draft.body
        && current.kind == draft.kind
        && current.difficulty == draft.difficulty
        && current.status == draft.status.stored()
        && current.tags == join(draft.tags.iter().map(TagName::as_str).collect())
        && current.related == join(draft.related.iter().map(Slug::as_str).collect())
}

async fn apply(db: &Db, drafts: &[(String, ArticleDraft)]) -> anyhow::Result<Report> {
    let now = db::now();
    let mut report = Report::default();
    let mut tx = db.begin_write().await?;
    let was_empty = articles::count(&mut tx).await? == 0;
    // Related links may point at any file's article, so they are set once all exist.
    let mut changed = Vec::new();
    for (n, (name, draft)) in drafts.iter().enumerate() {
        let id = match articles::id_and_version(&mut tx, draft.slug.as_str()).await? {
            None => {
                report.created += 1;
                let rendered = render_body_pooled(draft.body.clone()).await?;
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
                let rendered = render_body_pooled(draft.body.clone()).await?;
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
        revisions::record(&mut tx, *id, None, now, "").await?;
        if draft.status == crate::domain::Status::Review {
            // Kept as a draft, its text waiting for a reviewer (`editing::review`).
            let current = articles::for_edit(&mut tx, *id)
                .await?
                .with_context(|| format!("{name}: the article vanished during the import"))?;
            let mut form = crate::editing::ArticleForm::from_article(&current);
            form.status = crate::domain::Status::Published.to_string();
            let form = serde_json::to_string(&form)?;
            crate::db::pending::put(&mut tx, *id, None, &form, "Imported for review.", None, now)
                .await?;
        }
        crate::db::outbox::record(&mut tx, *id, now, "*", draft.slug.as_str()).await?;
        crate::db::verification::enqueue(&mut tx, *id, now).await?;
    }
    if was_empty {
        settings::set(&mut tx, SEED_SETTING, "off").await?;
        // Every body here was rendered just now: the first start has nothing to render again.
        crate::editing::record_current_renderer(&mut tx).await?;
    }
    db::page_context::refresh_all(&mut tx).await?;
    tx.commit().await?;
    Ok(report)
}
