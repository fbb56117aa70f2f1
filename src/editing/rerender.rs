//! Bodies are rendered to HTML when they are saved. When the renderer changes (a new
//! `RENDER_VERSION`), every stored body is rendered again in the background after start-up,
//! while pages are served: a page shows its old rendering until its batch is done. At 100,000
//! articles that is minutes of work, which must not keep the site from listening.
//!
//! Batches of `BATCH` articles go by id, each in one short transaction that also records how
//! far the work got (`render_cursor`), so a restart goes on where it stopped. A save in
//! between stores its own rendering by the same renderer, which a batch never overwrites.

use std::time::{Duration, Instant};

use super::Stores;
use crate::db::{articles, outbox, page_context, settings};
use crate::page_cache::Changed;
use crate::render::{RENDER_VERSION, render_body_pooled};

const SETTING: &str = "render_version";
/// `"{version}:{last id done}"`: how far a re-render for `version` got.
const CURSOR: &str = "render_cursor";
const BATCH: i64 = 200;
/// How often progress goes to the log.
const REPORT_EVERY: Duration = Duration::from_secs(5);

/// Records that every stored body was rendered by this renderer: for a writer that rendered
/// all of them itself (an import into an empty database), so the next start renders nothing.
pub async fn record_current_renderer(conn: &mut crate::db::Conn) -> sqlx::Result<()> {
    settings::set(conn, SETTING, &RENDER_VERSION.to_string()).await
}

/// Whether every stored body came from this renderer.
pub async fn renderer_is_current(conn: &mut crate::db::Conn) -> sqlx::Result<bool> {
    let stored = settings::get(conn, SETTING).await?;
    Ok(stored.as_deref() == Some(RENDER_VERSION.to_string().as_str()))
}

/// Renders again every body stored by another renderer version, batch by batch, logging
/// progress; returns how many were rendered (0 when all were current). Meant to run in the
/// background (the server spawns it after start-up: `app::serve`).
pub async fn rerender_stale(stores: Stores<'_>) -> anyhow::Result<usize> {
    let db = &stores.db;
    let mut conn = db.acquire().await?;
    if renderer_is_current(&mut conn).await? {
        return Ok(0);
    }
    let mut after = resume_point(&mut conn).await?;
    let left = articles::count_after(&mut conn, after).await?;
    drop(conn);
    tracing::info!(
        articles = left,
        version = RENDER_VERSION,
        "rendering the stored bodies again with the new renderer, in the background"
    );
    let started = Instant::now();
    let mut reported = Instant::now();
    let mut done = 0_usize;
    loop {
        let mut conn = db.acquire().await?;
        let batch = articles::bodies_after(&mut conn, after, BATCH).await?;
        drop(conn);
        let Some(last) = batch.last().map(|b| b.id) else {
            break;
        };
        // Rendered outside the transaction: the write lock is held only for the writes.
        let mut rendered = Vec::with_capacity(batch.len());
        for stored in &batch {
            rendered.push(render_patiently(&stored.body).await);
        }
        let mut tx = db.begin_write().await?;
        let mut changed = Vec::new();
        for (stored, rendered) in batch.iter().zip(&rendered) {
            if articles::set_rendered(&mut tx, stored.id, &stored.body, rendered).await? {
                changed.push(stored.id);
                // Other nodes forget its page too (`crate::follow`).
                outbox::record(
                    &mut tx,
                    stored.id,
                    crate::db::now(),
                    &stored.slug,
                    &stored.slug,
                )
                .await?;
            }
        }
        // A body's links decide which of them its page shows as text (unpublished ones).
        page_context::refresh(&mut tx, &changed).await?;
        settings::set(&mut tx, CURSOR, &format!("{RENDER_VERSION}:{last}")).await?;
        tx.commit().await?;
        stores
            .pages
            .forget_articles(&batch.iter().map(|b| b.slug.clone()).collect::<Vec<_>>());
        done += batch.len();
        after = last;
        if reported.elapsed() >= REPORT_EVERY {
            reported = Instant::now();
            tracing::info!(
                done,
                of = left,
                percent = (done as i64 * 100).checked_div(left).unwrap_or(100),
                "rendering the stored bodies again"
            );
        }
    }
    let mut conn = db.acquire().await?;
    record_current_renderer(&mut conn).await?;
    drop(conn);
    // Lists and feeds show rendered bodies too (feeds do): forget everything once, at the end.
    stores.pages.forget(&Changed::default());
    tracing::info!(
        articles = done,
        seconds = started.elapsed().as_secs_f64(),
        "rendered the stored bodies again with the new renderer"
    );
    Ok(done)
}

/// Where an interrupted re-render for this renderer stopped (0: from the start).
async fn resume_point(conn: &mut crate::db::Conn) -> sqlx::Result<i64> {
    let cursor = settings::get(conn, CURSOR).await?.unwrap_or_default();
    Ok(cursor
        .split_once(':')
        .filter(|(version, _)| *version == RENDER_VERSION.to_string())
        .and_then(|(_, id)| id.parse().ok())
        .unwrap_or(0))
}

/// Renders in the shared pool, waiting for room when readers' and editors' work fills it:
/// the background job gives way rather than fail.
async fn render_patiently(body: &str) -> crate::render::RenderedBody {
    loop {
        match render_body_pooled(body.to_owned()).await {
            Ok(rendered) => return rendered,
            Err(_busy) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}
