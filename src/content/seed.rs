//! The seed import: on first start every seed file becomes an article, in one transaction. On
//! later starts a seed file that changed (a better answer in a new release) updates its article,
//! but only while no editor has saved that article since the last import.

use sha2::{Digest, Sha256};

use super::{parse_document, seed_files};
use crate::db::{self, Db, articles, revisions, seed};
use crate::domain::ArticleDraft;
use crate::render::render_body_pooled;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub inserted: usize,
    pub updated: usize,
    /// Seed files whose article an editor has changed (or whose slug an editor took): left as is.
    pub kept: usize,
    pub unchanged: usize,
}

/// Brings the database up to date with the embedded seed files.
pub async fn sync_seed(db: &Db) -> anyhow::Result<SeedReport> {
    sync_files(db, seed_files()).await
}

/// Brings the database up to date with the given seed files, as (file name, text). The same
/// rules as at start-up; tests use it to simulate a release whose seed text changed.
pub async fn sync_files(db: &Db, files: &[(&str, &str)]) -> anyhow::Result<SeedReport> {
    let files = files
        .iter()
        .map(|(name, text)| Ok((parse_document(name, text)?, hash(text))))
        .collect::<Result<Vec<_>, super::ContentError>>()?;
    sync(db, &files).await
}

fn hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn sync(db: &Db, files: &[(ArticleDraft, String)]) -> anyhow::Result<SeedReport> {
    let mut report = SeedReport::default();
    let now = db::now();
    // The writers' lock: the seed logs its changes, and on PostgreSQL several nodes may start
    // at once (the second finds the seed imported and writes nothing).
    let mut tx = db.begin_write().await?;
    // Related links can point at any seed entry, so they are written once all entries exist.
    let mut written = Vec::new();
    for (draft, content_hash) in files {
        let slug = draft.slug.as_str();
        let previous = seed::get(&mut tx, slug).await?;
        if previous
            .as_ref()
            .is_some_and(|p| &p.content_hash == content_hash)
        {
            report.unchanged += 1;
            continue;
        }
        let rendered = render_body_pooled(draft.body.clone()).await?;
        let existing = articles::id_and_version(&mut tx, slug).await?;
        let id = match (previous, existing) {
            (None, None) => {
                report.inserted += 1;
                articles::insert(&mut tx, draft, &rendered, now, None).await?
            }
            (Some(import), Some((id, version)))
                if import.article_id == Some(id) && import.article_version == version =>
            {
                report.updated += 1;
                articles::update(&mut tx, id, version, draft, &rendered, now, None)
                    .await?
                    .ok_or_else(|| {
                        anyhow::anyhow!("article {slug} changed during the seed import")
                    })?;
                id
            }
            // An editor changed the article (or made another one with this slug): theirs wins.
            _ => {
                report.kept += 1;
                continue;
            }
        };
        articles::set_tags(&mut tx, id, &draft.tags).await?;
        written.push((id, draft, content_hash));
    }
    for (id, draft, content_hash) in &written {
        let missing = articles::set_related(&mut tx, *id, &draft.related).await?;
        if !missing.is_empty() {
            tracing::warn!(slug = %draft.slug, ?missing, "seed entry links to unknown related slugs");
        }
        revisions::record(&mut tx, *id, None, now, "").await?;
        crate::db::outbox::record(&mut tx, *id, now, "*", draft.slug.as_str()).await?;
        crate::db::verification::enqueue(&mut tx, *id, now).await?;
        let version = articles::version_of(&mut tx, *id).await?.unwrap_or(1);
        seed::put(
            &mut tx,
            draft.slug.as_str(),
            *id,
            content_hash,
            version,
            now,
        )
        .await?;
    }
    crate::db::page_context::refresh_all(&mut tx).await?;
    tx.commit().await?;
    Ok(report)
}
